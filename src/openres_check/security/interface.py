"""The two plug-in families of the security scan: per-file scanners and per-folder checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from openres_check.model.security import SecurityIssue
    from openres_check.security.formats import Format

__all__ = ["ArtifactScanner", "FolderCheck", "ScannedFile"]


@dataclass(frozen=True)
class ScannedFile:
    path: Path
    relative: str
    """The path relative to the model folder, with `/` separators: what findings name."""
    size: int
    format: Format


class ArtifactScanner(Protocol):
    """Reads one file of the formats it handles and reports what loading it would run."""

    formats: frozenset[Format]

    def scan(self, file: ScannedFile) -> list[SecurityIssue]:
        """Never raises for bad content: what cannot be read is an unanalysable issue."""


class FolderCheck(Protocol):
    """Reads a model folder as a whole (configs, code, templates, signatures)."""

    def check(self, folder: Path, files: Sequence[ScannedFile]) -> list[SecurityIssue]:
        """Issues found in the folder."""
