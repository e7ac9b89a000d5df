"""The metadata of a GGUF file's header (ggml `docs/gguf.md`), read from a stream.

Layout: magic `GGUF`, uint32 version, uint64 tensor count, uint64 key-value count, then the
pairs (key: uint64 length + UTF-8; uint32 value type; value). The caller names the keys it
wants; every other value is skipped by its length without being decoded or kept: a fixed-size
array in one seek, a string array by walking the item lengths in a bounded buffer. A wanted
string is kept up to `max_string` bytes and the rest skipped (the key is then listed as
truncated). Nothing past `max_bytes` is parsed (reads run at most one chunk ahead), and the
counts a hostile header declares are bounded, so any bytes cost at most one pass over that
budget, in bounded memory: every string item skipped takes at least 8 bytes of it.

Discovery reads the `general.*` keys of a file's first bytes; the security scan reads the
chat templates, however large the tokenizer arrays before them.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["MAGIC", "GgufError", "GgufHeader", "Stream", "Value", "read_gguf"]

MAGIC = b"GGUF"
MAX_PAIRS = 1 << 16
"""Real files have fewer than 100 keys."""
MAX_TENSORS = 1 << 20
"""The largest mixture-of-experts files have a few thousand tensors."""
MAX_ARRAY = 1 << 24
"""Items in one array: the largest vocabularies have about 260,000 tokens."""
MAX_KEY = (1 << 16) - 1
"""The specification's bound on a key's length."""
MAX_DEPTH = 3
"""Arrays of arrays, at most this deep (no model ships nested arrays)."""
_CHUNK = 64 * 1024
_STRING, _ARRAY = 8, 9
# Value types and the format and size of the fixed-size ones.
_FIXED = {0: ("<B", 1), 1: ("<b", 1), 2: ("<H", 2), 3: ("<h", 2), 4: ("<I", 4),
          5: ("<i", 4), 6: ("<f", 4), 7: ("<?", 1), 10: ("<Q", 8), 11: ("<q", 8),
          12: ("<d", 8)}
_U32, _U64 = struct.Struct("<I"), struct.Struct("<Q")
Value = str | int | float | bool | list["Value"]


class GgufError(ValueError):
    """The bytes are not a GGUF header this parser reads (bad magic, version, counts, types)."""


class Stream(Protocol):
    """A binary stream: a file or a buffer; seeking, when it can, skips without reading."""

    def read(self, size: int = -1, /) -> bytes: ...
    def seekable(self) -> bool: ...
    def seek(self, offset: int, whence: int = 0, /) -> int: ...
    def tell(self) -> int: ...


@dataclass(frozen=True)
class GgufHeader:
    version: int
    tensor_count: int
    metadata: dict[str, Value] = field(default_factory=dict)
    """The wanted keys read (others are skipped, not kept)."""
    incomplete: str | None = None
    """Why the pairs stopped before the last one (the stream or the byte budget ended): the
    keys after that point are unknown. None when every pair was read."""
    truncated: frozenset[str] = frozenset()
    """Wanted keys whose value was cut: a string to `max_string` bytes, an array to
    `max_items` items."""

    @property
    def complete(self) -> bool:
        return self.incomplete is None


class _CutError(Exception):
    """The stream, or the byte budget, ended inside the metadata."""


class _Input:
    """The header's bytes from `stream`, read in chunks and parsed no further than `limit`
    bytes; a seekable stream's length is known up front, so a skip past its end is a cut."""

    def __init__(self, stream: Stream, limit: int) -> None:
        self._stream = stream
        self._buffer = b""
        self._at = 0
        self.pos = 0
        self._budget = limit
        self._end: int | None = None
        try:
            if stream.seekable():
                start = stream.tell()
                self._end = stream.seek(0, io.SEEK_END) - start
                stream.seek(start)
        except (OSError, ValueError):
            self._end = None
        self._limit = limit if self._end is None else min(limit, self._end)

    def _cut(self, size: int | None = None) -> _CutError:
        """Why `size` more bytes cannot be read (None: the stream returned nothing)."""
        if size is None or (self._end is not None and self.pos + size > self._end):
            return _CutError("the file ends inside its metadata")
        return _CutError(f"the metadata is longer than the {self._budget} bytes read")

    def _need(self, size: int) -> None:
        """Make `size` bytes available at the read position."""
        if self.pos + size > self._limit:
            raise self._cut(size)
        have = len(self._buffer) - self._at
        if have >= size:
            return
        parts = [self._buffer[self._at:]]
        while have < size:
            chunk = self._stream.read(max(_CHUNK, size - have))
            if not chunk:
                raise self._cut()
            parts.append(chunk)
            have += len(chunk)
        self._buffer, self._at = b"".join(parts), 0

    def take(self, size: int) -> bytes:
        self._need(size)
        start = self._at
        self._at += size
        self.pos += size
        return self._buffer[start:self._at]

    def _unsigned(self, layout: struct.Struct) -> int:
        self._need(layout.size)
        value: int = layout.unpack_from(self._buffer, self._at)[0]
        self._at += layout.size
        self.pos += layout.size
        return value

    def u32(self) -> int:
        return self._unsigned(_U32)

    def u64(self) -> int:
        return self._unsigned(_U64)

    def skip(self, size: int) -> None:
        if self.pos + size > self._limit:
            raise self._cut(size)
        have = len(self._buffer) - self._at
        if size <= have:
            self._at += size
        else:
            rest = size - have
            self._buffer, self._at = b"", 0
            if self._end is not None:
                self._stream.seek(rest, io.SEEK_CUR)  # within the file: _limit saw its end
            else:
                while rest:
                    chunk = self._stream.read(min(rest, _CHUNK))
                    if not chunk:
                        raise self._cut()
                    rest -= len(chunk)
        self.pos += size

    def skip_strings(self, count: int) -> None:
        """Skip `count` strings: the ones held whole in the buffer in one tight loop."""
        unpack = _U64.unpack_from
        while count:
            buffer, at = self._buffer, self._at
            end = min(len(buffer), at + self._limit - self.pos)
            while count and at + 8 <= end:
                after = at + 8 + unpack(buffer, at)[0]
                if after > end:
                    break
                at, count = after, count - 1
            self.pos += at - self._at
            self._at = at
            if count:  # one that runs past the buffer: read through the general path
                self.skip(self.u64())
                count -= 1


class _Parser:
    def __init__(self, source: _Input, max_string: int, max_items: int) -> None:
        self.source = source
        self.max_string = max_string
        self.max_items = max_items
        self.cut = False
        """Set when the value just kept was truncated."""

    def _array_head(self, depth: int) -> tuple[int, int]:
        if depth >= MAX_DEPTH:
            raise GgufError(f"arrays nested deeper than {MAX_DEPTH}")
        kind, count = self.source.u32(), self.source.u64()
        if kind not in _FIXED and kind not in (_STRING, _ARRAY):
            raise GgufError(f"unknown array item type {kind}")
        if count > MAX_ARRAY:
            raise GgufError(f"an array of {count} items: not a plausible header")
        return kind, count

    def skip(self, kind: int, depth: int = 0) -> None:
        source = self.source
        if kind in _FIXED:
            source.skip(_FIXED[kind][1])
        elif kind == _STRING:
            source.skip(source.u64())
        elif kind == _ARRAY:
            self._skip_items(*self._array_head(depth), depth)
        else:
            raise GgufError(f"unknown value type {kind}")

    def _skip_items(self, kind: int, count: int, depth: int) -> None:
        if kind in _FIXED:
            self.source.skip(_FIXED[kind][1] * count)  # in one step, however long
        elif kind == _STRING:
            self.source.skip_strings(count)
        else:
            for _ in range(count):  # each takes at least 12 bytes of the budget
                self.skip(_ARRAY, depth + 1)

    def value(self, kind: int, depth: int = 0) -> Value:
        source = self.source
        if kind in _FIXED:
            fmt, size = _FIXED[kind]
            number: int | float | bool = struct.unpack(fmt, source.take(size))[0]
            return number
        if kind == _STRING:
            length = source.u64()
            kept = source.take(min(length, self.max_string))
            source.skip(length - len(kept))
            self.cut = self.cut or len(kept) < length
            return kept.decode("utf-8", errors="replace")
        if kind != _ARRAY:
            raise GgufError(f"unknown value type {kind}")
        item_kind, count = self._array_head(depth)
        kept_count = min(count, self.max_items)
        items = [self.value(item_kind, depth + 1) for _ in range(kept_count)]
        self._skip_items(item_kind, count - kept_count, depth)
        self.cut = self.cut or kept_count < count
        return items

    def key(self) -> str:
        length = self.source.u64()
        if length > MAX_KEY:
            raise GgufError(f"a {length}-byte key: keys are at most {MAX_KEY} bytes")
        return self.source.take(length).decode("utf-8", errors="replace")


def read_gguf(stream: Stream, wanted: Callable[[str], bool], *, max_string: int,
              max_bytes: int, max_items: int = 64) -> GgufHeader:
    """The header's wanted keys, reading at most `max_bytes` of `stream` from where it is.

    Raises `GgufError` for what is not a GGUF header (magic, version, implausible counts,
    unknown types, a wanted key twice); a header cut short by the stream or the budget gives
    what was read, with `incomplete` saying why. `OSError`s of the stream pass through.
    """
    source = _Input(stream, max_bytes)
    try:
        if source.take(4) != MAGIC:
            raise GgufError("no GGUF magic number")
        version = source.u32()
        if version not in (2, 3):
            raise GgufError(f"GGUF version {version} is not supported (2 and 3 are)")
        tensors, pairs = source.u64(), source.u64()
    except _CutError:
        raise GgufError("the file ends inside the GGUF header") from None
    if tensors > MAX_TENSORS:
        raise GgufError(f"{tensors} tensors: not a plausible header")
    if pairs > MAX_PAIRS:
        raise GgufError(f"{pairs} metadata pairs: not a plausible header")
    parser = _Parser(source, max_string, max_items)
    metadata: dict[str, Value] = {}
    truncated: set[str] = set()
    try:
        for _ in range(pairs):
            key = parser.key()
            kind = source.u32()
            if not wanted(key):
                parser.skip(kind)
                continue
            if key in metadata:
                raise GgufError(f"the key {key!r} appears twice")
            parser.cut = False
            metadata[key] = parser.value(kind)
            if parser.cut:
                truncated.add(key)
    except _CutError as exc:
        return GgufHeader(version, tensors, metadata, str(exc), frozenset(truncated))
    return GgufHeader(version, tensors, metadata, None, frozenset(truncated))
