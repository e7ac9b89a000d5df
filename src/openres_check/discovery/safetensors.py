"""safetensors weights files: the `__metadata__` of the JSON header, never the tensors.

Layout: uint64 little-endian header length N, then N bytes of JSON. Only headers up to
`MAX_HEADER` bytes are read. A shard inside a Hugging Face model folder (beside its
`config.json` or card) is left to the folder finder, which reads the card; a lone file is a
reference of its own, with whatever its metadata says (often nothing: then it stays unknown).
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

from openres_check.discovery.interface import FoundReference, ReferenceKind, ScannedFile

__all__ = ["MAX_HEADER", "SafetensorsError", "SafetensorsFinder", "parse_safetensors"]

MAX_HEADER = 8 * 1024 * 1024
_MAX_VALUE = 64 * 1024


class SafetensorsError(ValueError):
    """The bytes are not a safetensors header this parser can read."""


def _looks_like(head: bytes) -> bool:
    if len(head) < 10:  # noqa: PLR2004 - the length field and the opening brace
        return False
    length = struct.unpack("<Q", head[:8])[0]
    return 2 <= length <= MAX_HEADER and head[8:9] == b"{"  # noqa: PLR2004


def parse_safetensors(data: bytes) -> dict[str, str]:
    """The `__metadata__` mapping (string to string) of a safetensors header.

    Raises `SafetensorsError` for bytes that are not one, or a header longer than the limit.
    """
    if len(data) < 8:  # noqa: PLR2004
        raise SafetensorsError("shorter than the length field")
    length = struct.unpack("<Q", data[:8])[0]
    if length > MAX_HEADER:
        raise SafetensorsError(f"a {length}-byte header is larger than {MAX_HEADER}")
    if len(data) < 8 + length:
        raise SafetensorsError("the file ends inside the header")
    try:
        header = json.loads(data[8:8 + length].decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise SafetensorsError(f"the header is not JSON ({type(exc).__name__})") from None
    if not isinstance(header, dict):
        raise SafetensorsError("the header is not a JSON object")
    metadata = header.get("__metadata__") or {}
    if not isinstance(metadata, dict):
        raise SafetensorsError("__metadata__ is not an object")
    return {str(k)[:200]: str(v)[:_MAX_VALUE] for k, v in metadata.items()
            if isinstance(v, (str, int, float, bool))}


class SafetensorsFinder:
    name = "safetensors"
    needles: tuple[bytes, ...] = ()
    head_only: int | None = MAX_HEADER + 8

    def wants(self, name: str, path: str, head: bytes) -> bool:  # noqa: ARG002 - the place
        if head[8:9] != b"{" or not _looks_like(head):  # the cheap test first
            return False
        folder = Path(path).parent
        return not ((folder / "config.json").is_file() or (folder / "README.md").is_file())

    def find(self, file: ScannedFile) -> list[FoundReference]:
        try:
            metadata = parse_safetensors(file.data)
        except SafetensorsError as exc:
            file.warn(f"not a readable safetensors header: {exc}")
            return []
        attributes = {f"safetensors:{k}": v for k, v in metadata.items()}
        # The file itself, for the security pack (format, pickles, chat templates).
        attributes["_file"] = str(file.path)
        return [FoundReference(
            raw=file.relative, kind=ReferenceKind.FILE, path=file.relative, line=1, column=1,
            text=f"safetensors, {len(metadata)} metadata keys", finder=self.name,
            attributes=tuple(sorted(attributes.items())))]
