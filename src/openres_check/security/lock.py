"""The lock file: each model's revision and each file's size and sha256, and the drift of a
model's files from what was locked.

sha256 over a file's bytes is the digest the Hub lists as `lfs.sha256`, Ollama names blobs by
and OpenSSF model signing records, so one lock entry can be compared with any of them.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING

from openres_check.model.security import (
    DriftKind,
    LockDrift,
    LockedFile,
    LockedModel,
    LockFile,
)

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

__all__ = ["REVISION", "drift", "file_digest", "hash_files", "render_lock"]

REVISION = re.compile(r"[0-9a-f]{40}")
_CHUNK = 1024 * 1024


def file_digest(path: Path) -> str:
    """The sha256 of a file, streamed in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def hash_files(files: Iterable[tuple[str, Path]]) -> list[LockedFile]:
    """(relative name, path) pairs to lock entries, sorted by name."""
    return [LockedFile(path=name, size=path.stat().st_size, sha256=file_digest(path))
            for name, path in sorted(files)]


def drift(locked: LockedModel, revision: str | None,
          current: Iterable[tuple[str, Path]] | None) -> list[LockDrift]:
    """What differs between the lock entry and the model now. `current` is None for a model
    without local files: only its revision is compared then. Sizes are compared first, so an
    unchanged folder is hashed once and a resized file is never hashed."""
    found: list[LockDrift] = []
    if locked.revision and revision != locked.revision:
        found.append(LockDrift(path=locked.id, change=DriftKind.REVISION,
                               locked=locked.revision, actual=revision))
    if current is None:
        return found
    present = dict(current)
    expected = {f.path: f for f in locked.files}
    for name in sorted(expected.keys() | present.keys()):
        entry, path = expected.get(name), present.get(name)
        if entry is None:
            found.append(LockDrift(path=name, change=DriftKind.NEW))
        elif path is None:
            found.append(LockDrift(path=name, change=DriftKind.MISSING, locked=entry.sha256))
        else:
            size = path.stat().st_size
            actual = file_digest(path) if size == entry.size else f"{size} bytes"
            if actual != entry.sha256:
                found.append(LockDrift(path=name, change=DriftKind.CHANGED,
                                       locked=entry.sha256, actual=actual))
    return found


def render_lock(lock: LockFile) -> str:
    """The lock as JSON (which the YAML loader reads too), stable for diffs."""
    return json.dumps(lock.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"
