"""What counts as Japanese text, for the tests that check nothing is left in English.

A line passes when it holds Japanese, or when nothing is left of it once the parts that stay
in their original form are taken out: paths and ids, URLs, code and option names, quoted
values (`'...'`, `"..."`, 「...」, backticks), rule and error codes, numbers, and the names of
formats and products the glossary keeps in English.
"""

from __future__ import annotations

import re

__all__ = ["english_left"]

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")
_KEPT = [
    re.compile(r"https?://\S+"),
    re.compile(r"`[^`]*`"),
    re.compile(r"'[^']*'"),
    re.compile(r'"[^"]*"'),
    re.compile(r"「[^」]*」"),
    re.compile(r"<[^>]*>"),
    re.compile(r"\[[a-z0-9-]+\]"),
    re.compile(r"\S*[/\\]\S*"),             # paths and model ids
    re.compile(r"\S+\.(?:ya?ml|json|jsonl|md|txt|sarif|xml|html)\b"),
    re.compile(r"--?[a-z][a-z-]*"),          # options
    re.compile(r"\b[\w-]+(?:\.[\w-]+|\[[^\]]*\])+"),  # key paths: use.commercial, a[0].b
    re.compile(r"\b[A-Z][A-Z0-9]*(?:[-_][A-Z0-9]+)+\b"),  # rule ids, MODEL_REF
    re.compile(r"\b(?:JSON|YAML|UTF|BOM|CycloneDX|SARIF|JUnit|Markdown|HTML|ISO|Hub|Hugging|"
               r"Face|openres-check|ID|TEXT|DIR|MODEL|RULE|NAME|VALUE|YYYY|MM|DD|Lines|"
               r"CPU|OSC|ESC)\b"),
    re.compile(r"\w*\d\w*"),
]


def english_left(line: str) -> str | None:
    """The English words left in `line`, or None when the line is Japanese enough."""
    if _JAPANESE.search(line):
        return None
    rest = line
    for pattern in _KEPT:
        rest = pattern.sub(" ", rest)
    words = re.findall(r"[A-Za-z]{3,}", rest)
    return " ".join(words) if words else None
