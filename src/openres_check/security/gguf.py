"""GGUF files: the metadata key-value pairs (ggml docs/gguf.md), read only as far as the
chat templates they carry; arrays (the token lists) are skipped by length."""

from __future__ import annotations

import struct
from typing import IO, TYPE_CHECKING

from openres_check.model.security import IssueKind, SecurityIssue
from openres_check.security.formats import Format
from openres_check.security.templates import MAX_TEMPLATE, template_issues

if TYPE_CHECKING:
    from openres_check.security.interface import ScannedFile

__all__ = ["GgufScanner", "gguf_templates"]

_FIXED = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
_STRING, _ARRAY = 8, 9
_MAX_KEYS = 1_000_000
_MAX_STRING = 64 * 1024 * 1024
_TEMPLATE_KEY = "tokenizer.chat_template"


class _BadGgufError(Exception):
    pass


def _u64(stream: IO[bytes]) -> int:
    raw = stream.read(8)
    if len(raw) != 8:  # noqa: PLR2004
        raise _BadGgufError("the file ends inside its metadata")
    return int(struct.unpack("<Q", raw)[0])


def _u32(stream: IO[bytes]) -> int:
    raw = stream.read(4)
    if len(raw) != 4:  # noqa: PLR2004
        raise _BadGgufError("the file ends inside its metadata")
    return int(struct.unpack("<I", raw)[0])


def _string(stream: IO[bytes], keep: bool) -> str | None:
    length = _u64(stream)
    if length > _MAX_STRING:
        raise _BadGgufError("a metadata string is implausibly long")
    if not keep:
        stream.seek(length, 1)
        return None
    raw = stream.read(length)
    if len(raw) != length:
        raise _BadGgufError("the file ends inside a string")
    return raw.decode("utf-8", errors="replace")


def _skip(stream: IO[bytes], kind: int, depth: int = 0) -> None:
    if kind in _FIXED:
        stream.seek(_FIXED[kind], 1)
    elif kind == _STRING:
        _string(stream, keep=False)
    elif kind == _ARRAY and depth < 2:  # noqa: PLR2004 - arrays of arrays at most
        inner, count = _u32(stream), _u64(stream)
        if inner in _FIXED:
            stream.seek(_FIXED[inner] * count, 1)
        else:
            for _ in range(count):
                _skip(stream, inner, depth + 1)
    else:
        raise _BadGgufError(f"unknown metadata value type {kind}")


def _read_templates(stream: IO[bytes]) -> list[tuple[str, str]]:
    if stream.read(4) != b"GGUF":
        raise _BadGgufError("not a GGUF file")
    version = _u32(stream)
    if version < 2:  # noqa: PLR2004 - v1 used 32-bit counts; no model ships it now
        raise _BadGgufError(f"GGUF version {version} is not supported")
    _u64(stream)  # tensor count
    count = _u64(stream)
    if count > _MAX_KEYS:
        raise _BadGgufError("implausibly many metadata keys")
    found = []
    for _ in range(count):
        key = _string(stream, keep=True) or ""
        kind = _u32(stream)
        if kind == _STRING and key.startswith(_TEMPLATE_KEY):
            found.append((key, _string(stream, keep=True) or ""))
        else:
            _skip(stream, kind)
    return found


def gguf_templates(stream: IO[bytes]) -> list[tuple[str, str]]:
    """(key, template) for each chat template in the metadata. Raises `ValueError`."""
    try:
        return _read_templates(stream)
    except _BadGgufError as exc:
        raise ValueError(str(exc)) from None


class GgufScanner:
    formats = frozenset({Format.GGUF})

    def scan(self, file: ScannedFile) -> list[SecurityIssue]:
        try:
            with file.path.open("rb") as stream:
                templates = gguf_templates(stream)
        except (OSError, ValueError) as exc:
            return [SecurityIssue(kind=IssueKind.PICKLE_UNANALYSABLE, file=file.relative,
                                  detail=f"the GGUF metadata cannot be read ({exc}), so its "
                                  "chat template was not checked")]
        issues: list[SecurityIssue] = []
        for key, template in templates:
            issues.extend(template_issues(template[:MAX_TEMPLATE + 1], file.relative, key))
        return issues
