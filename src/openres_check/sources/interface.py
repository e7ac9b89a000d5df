"""The interface every model source implements: a reference in, descriptors out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from openres_check.catalog import Catalog
    from openres_check.model.descriptor import ModelDescriptor

__all__ = ["LoadedModel", "ModelSource"]


@dataclass(frozen=True)
class LoadedModel:
    descriptor: ModelDescriptor
    origin: str
    """Where the descriptor came from: a catalog file, a card path, a BOM component."""


class ModelSource(Protocol):
    """Turns one kind of model reference into descriptors."""

    name: str

    def accepts(self, path: Path) -> bool:
        """True when this source reads files or folders like `path`."""

    def load(self, path: Path, catalog: Catalog) -> list[LoadedModel]:
        """Read `path`. Raises `InputError` when it cannot."""
