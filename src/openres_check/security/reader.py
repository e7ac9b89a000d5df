"""The stream the opcode walker reads: bounded lines, and large payloads skipped by length.

`pickletools.genops` reads a BINBYTES8 argument with one `read(n)`; a tensor pickled inline
would be read whole into memory. Here a read above `SKIP_ABOVE` bytes seeks past the payload
instead and returns a stand-in of the right length, so a multi-gigabyte pickle costs what its
opcodes cost. A line (GLOBAL, INT, ...) is read up to `MAX_LINE` bytes only.
"""

from __future__ import annotations

import io
import os
from typing import Protocol

__all__ = ["MAX_LINE", "SKIP_ABOVE", "BinaryStream", "BoundedReader", "Skipped"]


class BinaryStream(Protocol):
    """What the walker needs of a stream: a file, a buffer, or a decompressor."""

    def read(self, size: int = -1, /) -> bytes: ...
    def readline(self, size: int = -1, /) -> bytes: ...
    def seek(self, offset: int, whence: int = 0, /) -> int: ...
    def tell(self) -> int: ...

SKIP_ABOVE = 1024 * 1024
MAX_LINE = 64 * 1024


class Skipped(bytes):
    """A payload that was skipped: empty content, but the length the pickle declared."""

    length: int

    def __new__(cls, length: int) -> Skipped:  # noqa: PYI034 - bytes.__new__ returns Self
        value = super().__new__(cls)
        value.length = length
        return value

    def __len__(self) -> int:
        return self.length


class BoundedReader(io.RawIOBase):
    """Wraps a seekable binary stream; `size` is its length when known without reading it
    (None for a decompressing stream, whose forward seeks report where they stopped)."""

    def __init__(self, stream: BinaryStream, size: int | None) -> None:
        super().__init__()
        self._stream = stream
        self._size = size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._stream.tell()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._stream.seek(offset, whence)

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0 or size <= SKIP_ABOVE:
            return self._stream.read(MAX_LINE if size is None or size < 0 else size)
        start = self._stream.tell()
        if self._size is not None and start + size > self._size:
            return b""  # shorter than declared: the caller reports the truncation
        reached = self._stream.seek(size, io.SEEK_CUR)
        return Skipped(size) if reached - start == size else b""

    def readline(self, size: int | None = -1) -> bytes:
        limit = MAX_LINE if size is None or size < 0 else min(size, MAX_LINE)
        return self._stream.readline(limit)

    def peek_byte(self) -> bytes:
        """The next byte, without consuming it."""
        peek = getattr(self._stream, "peek", None)
        if peek is not None:
            return bytes(peek(1)[:1])
        position = self._stream.tell()
        byte = self._stream.read(1)
        self._stream.seek(position)
        return byte


def stream_size(stream: BinaryStream) -> int | None:
    """The length of a file or an in-memory buffer, without reading it (None otherwise)."""
    if isinstance(stream, io.BytesIO):
        return stream.getbuffer().nbytes
    if isinstance(stream, (io.BufferedReader, io.FileIO)):
        try:
            return os.fstat(stream.fileno()).st_size
        except OSError:  # io.UnsupportedOperation: a buffered decompressor, not a file
            return None
    return None
