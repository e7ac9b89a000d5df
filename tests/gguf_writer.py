"""A tiny GGUF writer for tests: a v3 header with these keys and no tensors.

The layout is ggml's `docs/gguf.md`: magic, version, tensor count, key count, then each key
(length-prefixed) with its value type (4 = uint32, 8 = string) and value.
"""

from __future__ import annotations

import struct

__all__ = ["gguf"]


def gguf(metadata: dict[str, str | int]) -> bytes:
    out = [b"GGUF", struct.pack("<IQQ", 3, 0, len(metadata))]
    for key, value in metadata.items():
        name = key.encode()
        out.append(struct.pack("<Q", len(name)) + name)
        if isinstance(value, int):
            out.append(struct.pack("<II", 4, value))
        else:
            text = value.encode()
            out.append(struct.pack("<IQ", 8, len(text)) + text)
    return b"".join(out)
