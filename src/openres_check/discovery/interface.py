"""The interface every finder implements: one file's bytes in, model references out.

The walker reads each file once. A finder first says, from the file's name and its first bytes
(a magic number), whether it reads such files (`wants`), then whether the bytes can hold a
reference at all (`needles`: a cheap substring test on the raw bytes), and only then parses
them (`find`). Most files of a
source tree stop at the first or second step, which keeps a scan near the cost of reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Protocol

__all__ = ["HEAD_BYTES", "Finder", "FoundReference", "ReferenceKind", "ScanWarning", "ScannedFile"]

HEAD_BYTES = 64
"""How much of every file the walker reads first, for the finders' magic-number tests."""


class ReferenceKind(str, Enum):
    """What a raw reference names, which decides how it is resolved."""

    MODEL = "model"
    """A Hugging Face repo id or a catalog alias (`Qwen/Qwen2.5-7B-Instruct`)."""
    OLLAMA = "ollama"
    """An Ollama model name (`deepseek-r1:8b`, `hf.co/user/repo:Q4_K_M`)."""
    HOSTED = "hosted"
    """A model name sent to a hosted API (`deepseek-chat` at `api.deepseek.com`)."""
    FILE = "file"
    """A weights file or model folder whose own metadata says what it is (GGUF, safetensors,
    a Hugging Face folder or cache entry, an Ollama store manifest)."""
    PATH = "path"
    """A path to a local weights file named in a command (`-m ./models/x.gguf`)."""

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class FoundReference:
    """One place where a project refers to a model."""

    raw: str
    """The reference as written (after resolving a module-level constant)."""
    kind: ReferenceKind
    path: str
    """The file, relative to the scanned root, with `/` separators."""
    line: int
    column: int
    text: str
    """The source line (stripped, shortened), for the report."""
    finder: str
    attributes: tuple[tuple[str, str], ...] = ()
    """What the code says next to it: revision, trust_remote_code, code_revision, base_url,
    provider, quant, and for weights files the metadata read from their header."""

    def attribute(self, name: str) -> str | None:
        return next((v for k, v in self.attributes if k == name), None)


@dataclass(frozen=True)
class ScanWarning:
    """A file in the tree that could not be read as what it looked like: reported, not fatal."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        """`PATH[:LINE]: warning[scan]: MESSAGE`, the shape of the CLI's other diagnostics."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: warning[scan]: {self.message}"


@dataclass
class ScannedFile:
    """One file handed to the finders: its path, and its bytes when they were read."""

    path: Path
    relative: str
    data: bytes
    truncated: bool = False
    """True when only the start of the file was read (weights files: the header is enough)."""
    warnings: list[ScanWarning] = field(default_factory=list)

    def warn(self, message: str, line: int | None = None) -> None:
        self.warnings.append(ScanWarning(self.relative, line, message))

    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


class Finder(Protocol):
    """Finds model references in one kind of file."""

    name: str
    needles: tuple[bytes, ...]
    """Byte strings of which at least one must occur for `find` to be called; empty means
    every file that `wants` accepts is parsed (weights files, whose header is the test)."""
    head_only: int | None
    """Read only this many bytes of the file (None: all of it, up to the walker's limit)."""

    def wants(self, name: str, path: str, head: bytes) -> bool:
        """True when a file with this name (and place: `path`) and these first bytes (up to
        `HEAD_BYTES`) may hold what this finder reads. Called for every file of the tree,
        so it works on strings; a `Path` is made only when a test needs one."""

    def find(self, file: ScannedFile) -> list[FoundReference]:
        """The references in `file`. Never raises for bad content: `file.warn` instead."""
