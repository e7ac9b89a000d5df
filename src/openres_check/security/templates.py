"""Chat templates are Jinja code the serving runtime renders (llama-cpp-python
CVE-2024-34359, SGLang CVE-2026-5760): flag the constructs server-side template injection
uses. Plain substring tests on a bounded, whitespace-free copy: nothing can backtrack."""

from __future__ import annotations

from openres_check.model.security import IssueKind, SecurityIssue

__all__ = ["MAX_TEMPLATE", "template_issues"]

MAX_TEMPLATE = 1024 * 1024
_MARKERS = (
    "__class__", "__globals__", "__subclasses__", "__builtins__", "__import__", "__mro__",
    "__base__", "__bases__", "__init__", "__dict__", "__getattribute__", "__reduce__",
    "__code__", "__closure__", "__self__", "__func__", "__loader__", "__spec__",
    "|attr(", "cycler", "joiner", "lipsum", "url_for", "get_flashed_messages",
    "\\x5f", "\\u005f", "\\137", "namespace.__", "self._", "os.popen", "subprocess",
    "mro()", ".func_globals", "'_'*", '"_"*', "['__", '["__',
)


def template_issues(template: str, file: str, where: str) -> list[SecurityIssue]:
    """The injection constructs in one template (`where` names the key or the file)."""
    if len(template) > MAX_TEMPLATE:
        return [SecurityIssue(kind=IssueKind.PICKLE_UNANALYSABLE, file=file, member=where,
                              detail=f"the chat template is larger than {MAX_TEMPLATE} "
                              "characters and was not checked")]
    compact = "".join(template.split()).lower()
    hits = [marker for marker in _MARKERS if marker in compact]
    if not hits:
        return []
    return [SecurityIssue(kind=IssueKind.CHAT_TEMPLATE, file=file, member=where,
                          detail="the chat template uses " + ", ".join(hits[:8]))]
