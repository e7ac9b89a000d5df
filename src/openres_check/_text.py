"""The one place that makes untrusted text safe to show.

Card text, model ids, context keys and inventory records are written by people we do not
know. A terminal obeys escape sequences (ESC, OSC, BEL), `\\r` overwrites what was shown, and
Unicode bidi controls reorder what a reader sees (`gnp\\u202e.exe` displays as `exe.png`).
Every human-readable output and every diagnostic passes through `for_display`; JSON outputs
pass through `for_json`, which keeps the exact string but spells those characters as JSON
escapes. Lone surrogates (from `"\\ud800"` in JSON input) cannot be encoded as UTF-8 at all:
both functions spell them out too, so writing never fails on them.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["for_display", "for_json", "has_surrogate", "invalid_utf8_column", "lone_surrogate"]

# Invisible or reordering characters that let text pose as other text: bidi embeddings,
# overrides and isolates, zero-width and word-joiner characters, line/paragraph separators,
# the BOM and interlinear annotation marks. Tab and newline stay: they only lay text out.
_INVISIBLE = ("\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f"
              "\ufeff\ufff9-\ufffb")
_SURROGATE = "\ud800-\udfff"
_UNSAFE_DISPLAY = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}{_SURROGATE}]")
# JSON already escapes C0 controls; the rest would reach a viewer raw.
_UNSAFE_JSON = re.compile(f"[\x7f-\x9f{_INVISIBLE}{_SURROGATE}]")
_ANY_SURROGATE = re.compile(f"[{_SURROGATE}]")


def _spell(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"  # noqa: PLR2004


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def for_display(text: object, *, one_line: bool = False) -> str:
    """`text` with every control, bidi and invisible character spelt as an escape; with
    `one_line`, tab and newline too (a key or a path must not start a line of its own)."""
    shown = _UNSAFE_DISPLAY.sub(_spell, str(text))
    return shown.replace("\n", "\\n").replace("\t", "\\t") if one_line else shown


def for_json(document: str) -> str:
    """A JSON document with those characters written as `\\uXXXX` escapes.

    Only valid inside JSON strings, which is the only place such characters can be in a
    document that `json.dumps` wrote: the decoded value is unchanged.
    """
    return _UNSAFE_JSON.sub(_json_escape, document)


def has_surrogate(text: str) -> bool:
    return _ANY_SURROGATE.search(text) is not None


def invalid_utf8_column(text: str) -> tuple[int, int] | None:
    """For text decoded with `surrogateescape`: (1-based column, byte) of the first byte that
    was not UTF-8, or None when every byte was."""
    match = _ANY_SURROGATE.search(text)
    if match is None:
        return None
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # noqa: PLR2004 - the range surrogateescape uses
        return match.start() + 1, code - 0xDC00
    return None


def lone_surrogate(value: Any) -> str | None:
    """The path (`cardData.license`) of the first string in parsed JSON that holds a lone
    surrogate, `""` when `value` itself is one, or None when there is none."""
    pending: list[tuple[str, Any]] = [("", value)]
    while pending:
        path, item = pending.pop()
        if isinstance(item, str):
            if has_surrogate(item):
                return path
        elif isinstance(item, dict):
            for key, child in item.items():
                if has_surrogate(str(key)):
                    return path or "a key"
                pending.append((f"{path}.{key}" if path else str(key), child))
        elif isinstance(item, list):
            pending.extend((f"{path}[{index}]", child) for index, child in enumerate(item))
    return None
