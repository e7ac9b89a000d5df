"""Keras model configs: `Lambda` layers carry marshalled Python, and `module` or
`registered_name` fields outside Keras name code that deserialisation imports (CVE-2025-1550:
even in safe mode before Keras 3.9)."""

from __future__ import annotations

from typing import Any

from openres_check.model.security import IssueKind, SecurityIssue

__all__ = ["keras_config_issues"]

_MAX_NODES = 200_000
_KERAS_MODULES = ("keras", "keras_nlp", "keras_hub", "keras_cv", "tensorflow.keras", "tf_keras")


def _keras_module(value: str) -> bool:
    return value.split(".", 1)[0] in _KERAS_MODULES or value.startswith(_KERAS_MODULES)


def keras_config_issues(config: Any, file: str, member: str | None) -> list[SecurityIssue]:
    """Walk the config (bounded) for Lambda layers and foreign modules."""
    found: list[SecurityIssue] = []
    seen: set[str] = set()
    pending: list[Any] = [config]
    nodes = 0
    while pending and nodes < _MAX_NODES:
        node = pending.pop()
        nodes += 1
        if isinstance(node, list):
            pending.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        pending.extend(node.values())
        details = []
        if node.get("class_name") == "Lambda":
            details.append("a Keras Lambda layer: loading runs its marshalled Python code")
        module = node.get("module")
        if isinstance(module, str) and not _keras_module(module):
            details.append(f"a Keras object from module {module!r}: loading imports it")
        registered = node.get("registered_name")
        if isinstance(registered, str) and ">" in registered:
            details.append(f"a custom Keras object {registered!r}: loading needs its code")
        for detail in details:
            if detail not in seen:
                seen.add(detail)
                found.append(SecurityIssue(kind=IssueKind.REMOTE_CODE, file=file,
                                           member=member, detail=detail))
    if pending:
        found.append(SecurityIssue(kind=IssueKind.REMOTE_CODE, file=file, member=member,
                                   detail="the Keras config is too large to check fully"))
    return found
