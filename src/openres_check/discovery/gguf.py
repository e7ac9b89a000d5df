"""GGUF weights files: the `general.*` metadata of the header, never the tensors.

Only the first `MAX_HEADER` bytes are read; the shared parser (`openres_check._gguf`) walks
the pairs inside them, skips every value it does not keep by its length, and stops at the
first inconsistency, so arbitrary bytes cost at most one pass over that buffer. A file is
found by its magic number, whatever its name (an Ollama blob is `sha256-<hex>`).
"""

from __future__ import annotations

import io
from pathlib import Path

from openres_check._gguf import MAGIC, GgufError, GgufHeader, Value, read_gguf
from openres_check.discovery.interface import FoundReference, ReferenceKind, ScannedFile

__all__ = ["MAX_HEADER", "GgufError", "GgufFinder", "GgufHeader", "is_store_blob", "parse_gguf"]

MAX_HEADER = 16 * 1024 * 1024
_MAX_KEPT_STRING = 64 * 1024
_MAX_KEPT_ITEMS = 64


def _general(key: str) -> bool:
    return key.startswith("general.")


def parse_gguf(data: bytes) -> GgufHeader:
    """The `general.*` keys of a GGUF file from its first bytes. Raises `GgufError` for
    anything that is not one; a header cut short by the buffer gives what was read,
    `complete` false."""
    return read_gguf(io.BytesIO(data), _general, max_string=_MAX_KEPT_STRING,
                     max_bytes=MAX_HEADER, max_items=_MAX_KEPT_ITEMS)


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
