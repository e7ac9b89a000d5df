"""Code that comes with a model: `auto_map` (which needs `trust_remote_code`), Python files in
the folder, Keras model configs, and chat templates in the tokenizer configs."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from openres_check.model.security import IssueKind, SecurityIssue
from openres_check.security.keras import keras_config_issues
from openres_check.security.templates import MAX_TEMPLATE, template_issues

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from pathlib import Path

    from openres_check.security.interface import ScannedFile

__all__ = ["RemoteCodeCheck", "auto_map_issues"]

_MAX_CONFIG = 4 * 1024 * 1024
_MAX_PY_LISTED = 20


def _entries(auto_map: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for auto_class, value in auto_map.items():
        for target in value if isinstance(value, list) else [value]:
            if isinstance(target, str) and target:
                yield str(auto_class), target


def auto_map_issues(config: dict[str, Any], file: str) -> list[SecurityIssue]:
    """One issue per `auto_map` entry; `org/repo--module.Class` names the other repo."""
    auto_map = config.get("auto_map")
    if not isinstance(auto_map, dict):
        return []
    found: list[SecurityIssue] = []
    for auto_class, target in _entries(auto_map):
        repo, separator, code = target.partition("--")
        if separator and "/" in repo:
            found.append(SecurityIssue(
                kind=IssueKind.REMOTE_CODE_CROSS_REPO, file=file, member=f"auto_map.{auto_class}",
                callable=code, repo=repo,
                detail=f"{auto_class} loads {code} from another repository, {repo}: "
                "`revision=` does not pin it, only `code_revision=` does"))
        else:
            found.append(SecurityIssue(
                kind=IssueKind.REMOTE_CODE, file=file, member=f"auto_map.{auto_class}",
                callable=target, detail=f"{auto_class} runs {target} from the model "
                "repository (needs trust_remote_code)"))
    return found


def _json(path: Path) -> Any:
    try:
        with path.open("rb") as handle:
            raw = handle.read(_MAX_CONFIG + 1)
        return None if len(raw) > _MAX_CONFIG else json.loads(raw)
    except (OSError, ValueError, RecursionError):
        return None


def _templates(config: Any) -> Iterator[tuple[str, str]]:
    value = config.get("chat_template") if isinstance(config, dict) else None
    if isinstance(value, str):
        yield "chat_template", value
    elif isinstance(value, list):
        for index, entry in enumerate(value):
            if isinstance(entry, dict) and isinstance(entry.get("template"), str):
                yield f"chat_template[{entry.get('name', index)}]", entry["template"]


class RemoteCodeCheck:
    """auto_map in every top-level *config*.json, *.py files, and chat templates."""

    def check(self, folder: Path, files: Sequence[ScannedFile]) -> list[SecurityIssue]:
        del folder  # the scanned files say everything needed
        found: list[SecurityIssue] = []
        python = [f.relative for f in files if f.relative.endswith(".py")]
        if python:
            shown = ", ".join(python[:_MAX_PY_LISTED])
            more = f" and {len(python) - _MAX_PY_LISTED} more" if len(python) > \
                _MAX_PY_LISTED else ""
            found.append(SecurityIssue(
                kind=IssueKind.REMOTE_CODE, file="*.py",
                detail=f"the model ships Python code ({shown}{more}), which "
                "trust_remote_code or a custom loader would run"))
        for file in files:
            name = file.relative
            if "/" in name:
                continue
            if name.endswith(".jinja"):
                try:
                    text = file.path.read_bytes()[:MAX_TEMPLATE + 1].decode(
                        "utf-8", errors="replace")
                except OSError:
                    continue
                found.extend(template_issues(text, name, name))
            elif name.endswith(".json") and ("config" in name or name == "chat_template.json"):
                config = _json(file.path)
                if isinstance(config, dict):
                    found.extend(auto_map_issues(config, name))
                    if "class_name" in config and "config" in config:  # a Keras model config
                        found.extend(keras_config_issues(config, name, None))
                    for where, template in _templates(config):
                        found.extend(template_issues(template, name, where))
        return found
