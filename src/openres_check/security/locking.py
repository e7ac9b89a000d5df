"""Locking resolved models, and comparing them with a lock: the bridge between the lock file
and the facts the `security` pack reads."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from openres_check._loading import load_model_file
from openres_check.model.security import (
    DriftKind,
    LockDrift,
    LockedModel,
    LockFacts,
    LockFile,
    SecurityFacts,
)
from openres_check.security.folder import folder_files, model_folder
from openres_check.security.lock import drift, hash_files
from openres_check.security.references import reference_facts

if TYPE_CHECKING:
    from collections.abc import Sequence

    from openres_check.lineage import ResolvedModel

__all__ = ["apply_lock", "build_lock", "load_lock"]


def _files(folder: Path, skip: Path | None) -> list[tuple[str, Path]]:
    resolved_skip = skip.resolve() if skip is not None else None
    return [(name, path) for name, path in folder_files(folder)
            if resolved_skip is None or path.resolve() != resolved_skip]


def build_lock(models: Sequence[ResolvedModel], skip: Path | None = None) -> LockFile:
    """Lock every model: its revision when known, and the sha256 of each local file.
    `skip` is the lock file itself, when it lies inside a model folder."""
    entries = []
    for model in models:
        folder = model_folder(model)
        revision = (model.facts.get("security") or {}).get("revision")
        entries.append(LockedModel(
            id=model.id, reference=model.reference, revision=revision,
            files=hash_files(_files(folder, skip)) if folder is not None else []))
    return LockFile(models=entries)


def load_lock(path: Path) -> LockFile:
    """Read a lock file. Raises `InputError`, located, when it is not one."""
    return load_model_file(LockFile, path, "lock file")


def _is_hub_id(model: ResolvedModel) -> bool:
    return "/" in model.id and not Path(model.id).exists()


def apply_lock(models: Sequence[ResolvedModel], lock: LockFile, source: Path) -> None:
    """Record, in each model's security facts, how it differs from `lock`."""
    by_key: dict[str, LockedModel] = {}
    for locked in lock.models:
        by_key.setdefault(locked.id.lower(), locked)
        if locked.reference:
            by_key.setdefault(locked.reference, locked)
    for model in models:
        entry: LockedModel | None = by_key.get(model.id.lower()) or (
            by_key.get(model.reference) if model.reference else None)
        security: dict[str, Any] = dict(model.facts.get("security") or
                                        SecurityFacts().model_dump(mode="json"))
        folder = model_folder(model)
        if entry is None:
            changes = [LockDrift(path=model.id, change=DriftKind.UNLOCKED)]
        else:
            changes = drift(entry, security.get("revision"),
                            _files(folder, source) if folder is not None else None)
        security["lock"] = LockFacts(file=str(source), drift=changes).model_dump(mode="json")
        if _is_hub_id(model) and folder is None:
            revision = entry.revision if entry is not None else None
            reference = reference_facts(model.id, revision, location=str(source))
            security["references"] = [*security.get("references", []),
                                      reference.model_dump(mode="json")]
        model.facts["security"] = security
