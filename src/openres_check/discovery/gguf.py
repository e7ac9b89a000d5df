"""GGUF weights files: the `general.*` metadata of the header, never the tensors.

Layout (ggml `docs/gguf.md`): magic `GGUF`, uint32 version, uint64 tensor count, uint64
key-value count, then the key-value pairs (key: uint64 length + UTF-8; uint32 value type;
value). Only the first `MAX_HEADER` bytes are read; the parser walks the pairs inside them,
skips every value it does not keep by its length, and stops at the first inconsistency, so
arbitrary bytes cost at most one pass over that buffer. A file is found by its magic number,
whatever its name (an Ollama blob is `sha256-<hex>`).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

from openres_check.discovery.interface import FoundReference, ReferenceKind, ScannedFile

__all__ = ["MAX_HEADER", "GgufError", "GgufFinder", "GgufHeader", "is_store_blob", "parse_gguf"]

MAGIC = b"GGUF"
MAX_HEADER = 16 * 1024 * 1024
_MAX_PAIRS = 1_000_000
_MAX_KEPT_STRING = 64 * 1024
_MAX_KEPT_ITEMS = 64
_MAX_DEPTH = 4
# Value types and the size of the fixed-size ones.
_STRING, _ARRAY = 8, 9
_FIXED = {0: ("<B", 1), 1: ("<b", 1), 2: ("<H", 2), 3: ("<h", 2), 4: ("<I", 4),
          5: ("<i", 4), 6: ("<f", 4), 7: ("<?", 1), 10: ("<Q", 8), 11: ("<q", 8),
          12: ("<d", 8)}
Value = str | int | float | bool | list["Value"]


class GgufError(ValueError):
    """The bytes are not a GGUF header this parser can read."""


@dataclass(frozen=True)
class GgufHeader:
    version: int
    tensor_count: int
    metadata: dict[str, Value] = field(default_factory=dict)
    """The `general.*` keys (others are skipped, not kept)."""
    complete: bool = True
    """False when the pairs ran past the bytes read: the keys after that are unknown."""


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, size: int) -> bytes:
        end = self.pos + size
        if size < 0 or end > len(self.data):
            raise EOFError
        chunk = self.data[self.pos:end]
        self.pos = end
        return chunk

    def skip(self, size: int) -> None:
        if size < 0 or self.pos + size > len(self.data):
            raise EOFError
        self.pos += size

    def number(self, fmt: str, size: int) -> int | float | bool:
        value: int | float | bool = struct.unpack(fmt, self.take(size))[0]
        return value

    def u32(self) -> int:
        return int(self.number("<I", 4))

    def u64(self) -> int:
        return int(self.number("<Q", 8))

    def string(self, keep: bool) -> str | None:
        length = self.u64()
        if not keep or length > _MAX_KEPT_STRING:
            self.skip(length)
            return None
        return self.take(length).decode("utf-8", errors="replace")


def _value(reader: _Reader, kind: int, keep: bool, depth: int = 0) -> Value | None:
    if kind in _FIXED:
        fmt, size = _FIXED[kind]
        if not keep:
            reader.skip(size)
            return None
        return reader.number(fmt, size)
    if kind == _STRING:
        return reader.string(keep)
    if kind == _ARRAY and depth < _MAX_DEPTH:
        item_kind, count = reader.u32(), reader.u64()
        if item_kind in _FIXED:
            fmt, size = _FIXED[item_kind]
            kept = min(count, _MAX_KEPT_ITEMS) if keep else 0
            numbers: list[Value] = [reader.number(fmt, size) for _ in range(kept)]
            reader.skip(size * (count - kept))  # the rest in one step, however long
            return numbers if keep else None
        if item_kind not in _FIXED and item_kind not in (_STRING, _ARRAY):
            raise GgufError(f"unknown array item type {item_kind}")
        items: list[Value] = []
        for index in range(count):
            if index > len(reader.data):  # each item takes at least one byte
                raise EOFError
            item = _value(reader, item_kind, keep and index < _MAX_KEPT_ITEMS, depth + 1)
            if item is not None:
                items.append(item)
        return items if keep else None
    raise GgufError(f"unknown value type {kind}")


def parse_gguf(data: bytes) -> GgufHeader:
    """The header of a GGUF file from its first bytes. Raises `GgufError` for anything that
    is not one; a header cut short by the buffer gives what was read, `complete=False`."""
    reader = _Reader(data)
    try:
        if reader.take(4) != MAGIC:
            raise GgufError("no GGUF magic number")
        version = reader.u32()
        if version not in (2, 3):
            raise GgufError(f"GGUF version {version} is not supported (2 and 3 are)")
        tensors, pairs = reader.u64(), reader.u64()
    except EOFError:
        raise GgufError("the file ends inside the GGUF header") from None
    if pairs > _MAX_PAIRS:
        raise GgufError(f"{pairs} metadata pairs: not a plausible header")
    metadata: dict[str, Value] = {}
    try:
        for _ in range(pairs):
            key = reader.string(keep=True) or ""
            kind = reader.u32()
            value = _value(reader, kind, keep=key.startswith("general."))
            if value is not None:
                metadata[key] = value
    except EOFError:
        return GgufHeader(version, tensors, metadata, complete=False)
    except struct.error as exc:  # pragma: no cover - take() guards every length
        raise GgufError(str(exc)) from None
    return GgufHeader(version, tensors, metadata)


def is_store_blob(path: Path) -> bool:
    """A blob of an Ollama store (`blobs/sha256-<hex>` beside `manifests/`)."""
    return path.parent.name == "blobs" and path.name.startswith("sha256-") and \
        (path.parent.parent / "manifests").is_dir()


def header_attributes(metadata: dict[str, Value]) -> dict[str, str]:
    """The metadata as `gguf:<key>` attributes of a reference (lists joined by commas)."""
    out: dict[str, str] = {}
    for key, value in sorted(metadata.items()):
        if isinstance(value, list):
            text = ", ".join(str(v) for v in value if not isinstance(v, list))
        else:
            text = str(value)
        out[f"gguf:{key}"] = text[:_MAX_KEPT_STRING]
    return out


class GgufFinder:
    name = "gguf"
    needles: tuple[bytes, ...] = ()
    head_only: int | None = MAX_HEADER

    def wants(self, name: str, path: str, head: bytes) -> bool:  # noqa: ARG002 - the magic
        # A blob of an Ollama store is reported through the manifest that names it.
        return head.startswith(MAGIC) and not is_store_blob(Path(path))

    def find(self, file: ScannedFile) -> list[FoundReference]:
        try:
            header = parse_gguf(file.data)
        except GgufError as exc:
            file.warn(f"not a readable GGUF header: {exc}")
            return []
        attributes = header_attributes(header.metadata)
        if not header.complete:
            attributes["gguf_header"] = "incomplete"
        # The file itself, for the security pack (format, pickles, chat templates).
        attributes["_file"] = str(file.path)
        return [FoundReference(
            raw=file.relative, kind=ReferenceKind.FILE, path=file.relative, line=1, column=1,
            text=f"GGUF v{header.version}, {header.tensor_count} tensors", finder=self.name,
            attributes=tuple(sorted(attributes.items())))]
