"""Model references to descriptors: catalog ids and aliases, or paths to files and folders."""

from __future__ import annotations

from pathlib import Path

from openres_check.catalog import Catalog
from openres_check.errors import InputError, Issue, Location, UnknownModelError
from openres_check.model.security import SecurityFacts
from openres_check.sources.cyclonedx import CycloneDxSource
from openres_check.sources.descriptor import DescriptorFileSource
from openres_check.sources.folder import FolderSource
from openres_check.sources.huggingface import HuggingFaceCardSource
from openres_check.sources.interface import LoadedModel, ModelSource

__all__ = ["SOURCES", "LoadedModel", "ModelSource", "load_reference"]

SOURCES: tuple[ModelSource, ...] = (FolderSource(), HuggingFaceCardSource(),
                                    CycloneDxSource(), DescriptorFileSource())


def _exists(path: Path) -> bool:
    """Whether `path` exists; a name the system cannot even look up (too long) does not."""
    try:
        return path.exists()
    except OSError:
        return False


def _looks_like_path(reference: str) -> bool:
    return reference.startswith((".", "/", "~")) or reference.endswith(
        (".yaml", ".yml", ".json", ".md")) or "\\" in reference or _exists(Path(reference))


def load_reference(reference: str, catalog: Catalog, base_dir: Path | None = None,
                   *, hub: bool = False, revision: str | None = None) -> list[LoadedModel]:
    """Resolve one model reference. Raises `InputError` (or `UnknownModelError`).

    With `hub`, a reference that is neither a catalog id nor a path is fetched from the
    Hugging Face Hub (card and license files only) and read as a local folder.
    """
    entry = catalog.find(reference)
    if entry is not None and not _looks_like_path(reference):
        return [LoadedModel(entry.descriptor, entry.origin)]
    path = Path(reference).expanduser()
    if base_dir is not None and not path.is_absolute():
        path = base_dir / path
    if _exists(path):
        for source in SOURCES:
            if source.accepts(path):
                return source.load(path, catalog)
        raise InputError(f"cannot read {reference}", [Issue(
            "unsupported-reference", "this path is not a descriptor YAML, a model card, a "
            "model folder or a CycloneDX BOM", Location(str(path)),
            "pass a catalog id, or one of those files")])
    if entry is not None:
        return [LoadedModel(entry.descriptor, entry.origin)]
    if hub and "/" in reference:
        from openres_check.hub import fetch_model  # noqa: PLC0415 - optional extra
        from openres_check.security import folder_revision  # noqa: PLC0415

        folder = fetch_model(reference, revision)
        loaded = FolderSource().load(folder, catalog)[0]
        pinned = f"https://huggingface.co/{reference}/tree/{folder.name}"
        # Only the card and license files were fetched: the weights were not scanned.
        descriptor = loaded.descriptor.model_copy(update={"id": reference, "security": (
            SecurityFacts(revision=folder_revision(folder)))})
        return [LoadedModel(descriptor, pinned)]
    raise UnknownModelError(reference, catalog.suggest(reference))
