"""File formats by content (magic bytes), and what a file's name promises.

A loader picks its code path from the bytes (torch.load reads a pickle whatever the file is
called), so the content decides what a file is, and a name that promises a data-only format
over code-bearing content is reported.
"""

from __future__ import annotations

import struct
from enum import Enum
from pathlib import PurePath

__all__ = ["CODE_BEARING", "HEAD_SIZE", "Format", "promises_data_only", "sniff"]

HEAD_SIZE = 512
_LEGACY_TORCH_MAGIC = (0x1950A86A20F9469CFC6C).to_bytes(10, "little")
_MAX_SAFETENSORS_HEADER = 100 * 1024 * 1024


class Format(str, Enum):
    TORCH_ZIP = "torch-zip"
    ZIP = "zip"
    LEGACY_TORCH = "legacy-torch"
    PICKLE = "pickle"
    NUMPY = "numpy"
    JOBLIB_COMPRESSED = "compressed"
    SEVEN_ZIP = "7z"
    TAR = "tar"
    GGUF = "gguf"
    SAFETENSORS = "safetensors"
    HDF5 = "hdf5"
    ONNX = "onnx"
    OTHER = "other"


CODE_BEARING = frozenset({Format.TORCH_ZIP, Format.ZIP, Format.LEGACY_TORCH, Format.PICKLE,
                          Format.JOBLIB_COMPRESSED, Format.SEVEN_ZIP, Format.TAR})
"""Formats whose loaders may unpickle (or unpack something that may be unpickled)."""

_COMPRESSED = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"\x5d\x00\x00", b"\x04\x22\x4d\x18",
               b"\x78\x01", b"\x78\x5e", b"\x78\x9c", b"\x78\xda")

_DATA_ONLY_SUFFIXES = frozenset({
    ".safetensors", ".gguf", ".ggml", ".onnx", ".npy", ".h5", ".hdf5", ".json", ".txt",
    ".md", ".model", ".tiktoken", ".tflite", ".msgpack", ".yaml", ".yml", ".png", ".jpg",
    ".jinja", ".csv", ".vocab", ".spm", ".mlmodel", ".engine", ".plan", ".ot",
})


def _pickle_start(head: bytes) -> bool:
    """PROTO 2-5 then an opcode: the header every protocol >= 2 pickle starts with."""
    return len(head) >= 3 and head[0] == 0x80 and 2 <= head[1] <= 5  # noqa: PLR2004


def sniff(head: bytes, name: str) -> Format:
    """The format of a file from its first `HEAD_SIZE` bytes (and, only for ONNX, which
    has no magic, its name)."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return Format.ZIP
    if head.startswith(b"\x80\x02\x8a\x0a" + _LEGACY_TORCH_MAGIC):
        return Format.LEGACY_TORCH
    if _pickle_start(head):
        return Format.PICKLE
    if head.startswith(b"\x93NUMPY"):
        return Format.NUMPY
    if head.startswith(b"GGUF"):
        return Format.GGUF
    if head.startswith(b"\x89HDF\r\n\x1a\n"):
        return Format.HDF5
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return Format.SEVEN_ZIP
    if head[257:262] == b"ustar":
        return Format.TAR
    if len(head) > 8 and head[8:9] == b"{":  # noqa: PLR2004 - u64 length, then JSON
        (length,) = struct.unpack("<Q", head[:8])
        if 2 <= length <= _MAX_SAFETENSORS_HEADER:  # noqa: PLR2004 - at least "{}"
            return Format.SAFETENSORS
    if head.startswith(_COMPRESSED) and PurePath(name).suffix.lower() in (
            ".joblib", ".pkl", ".pickle", ".gz", ".z", ".bz2", ".xz", ".lzma", ".lz4"):
        return Format.JOBLIB_COMPRESSED
    if PurePath(name).suffix.lower() == ".onnx" and head[:1] == b"\x08":
        return Format.ONNX
    return Format.OTHER


def promises_data_only(name: str) -> bool:
    """Whether a file's name says it holds data that is never unpickled."""
    path = PurePath(name)
    return path.suffix.lower() in _DATA_ONLY_SUFFIXES or path.name.upper() in (
        "README", "LICENSE", "NOTICE")
