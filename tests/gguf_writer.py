"""A tiny GGUF writer for tests: a header with these keys and no tensor data.

The layout is ggml's `docs/gguf.md`: magic, version, tensor count, key count, then each key
(length-prefixed) with its value type and value. Values map to GGUF types by their Python
type: str 8 (string), bool 7, int 4 (uint32) or 11 (int64) when it does not fit, float 12
(float64), bytes an array of 0 (uint8), a list of str an array of strings, a list of int an
array of 5 (int32).
"""

from __future__ import annotations

import struct
from collections.abc import Mapping

__all__ = ["GgufValue", "gguf", "gguf_string"]

GgufValue = str | int | float | bool | bytes | list[str] | list[int]


def gguf_string(value: str) -> bytes:
    raw = value.encode()
    return struct.pack("<Q", len(raw)) + raw


def _value(value: GgufValue) -> bytes:
    if isinstance(value, bool):
        return struct.pack("<I?", 7, value)
    if isinstance(value, int):
        return struct.pack("<II", 4, value) if 0 <= value < 2**32 else \
            struct.pack("<Iq", 11, value)
    if isinstance(value, float):
        return struct.pack("<Id", 12, value)
    if isinstance(value, str):
        return struct.pack("<I", 8) + gguf_string(value)
    if isinstance(value, bytes):
        return struct.pack("<IIQ", 9, 0, len(value)) + value
    if all(isinstance(item, str) for item in value):
        return struct.pack("<IIQ", 9, 8, len(value)) + b"".join(
            gguf_string(str(item)) for item in value)
    return struct.pack("<IIQ", 9, 5, len(value)) + b"".join(
        struct.pack("<i", int(item)) for item in value)


def gguf(metadata: Mapping[str, GgufValue], *, version: int = 3, tensors: int = 0) -> bytes:
    out = [b"GGUF", struct.pack("<IQQ", version, tensors, len(metadata))]
    for key, value in metadata.items():
        out.append(gguf_string(key) + _value(value))
    return b"".join(out)
