"""A cache of validated bundled data, keyed by the content of the files it came from.

Parsing and validating the catalog and the policy packs costs more than everything else in a
single-model run. The result is plain JSON (never pickle: loading it runs no code), stored in
the user's cache folder under a name derived from the SHA-256 of the source files and the
tool version, so any change to a file makes a new entry. Set OPENRES_CHECK_CACHE_DIR to move
the cache, or to `off` to disable it. A cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from openres_check._inputs import record_read
from openres_check._version import __version__

__all__ = ["cache_dir", "cached", "content_key"]


def cache_dir() -> Path | None:
    configured = os.environ.get("OPENRES_CHECK_CACHE_DIR", "").strip()
    if configured.lower() in ("off", "0", "none", "false"):
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "openres-check"


@functools.cache
def _code_digest() -> bytes:
    """The data models' source: a checkout whose models changed under an unchanged version
    number (a branch, an editable install) must not read entries another one wrote."""
    digest = hashlib.sha256()
    for path in sorted((Path(__file__).parent / "model").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.digest()


def content_key(kind: str, files: Iterable[Path], root: Path) -> str:
    digest = hashlib.sha256(f"{kind}\0{__version__}\0".encode() + _code_digest())
    for path in files:
        record_read(path)
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def cached(kind: str, key: str, build: Callable[[], Any],
           valid: Callable[[Any], bool] = lambda _value: True) -> tuple[Any, bool]:
    """`build()`'s JSON-able result, and whether it came from the cache (built before).

    A cached entry that is not JSON, or that `valid` (a cheap shape check) refuses, was
    damaged after it was written: it is rebuilt and rewritten.
    """
    folder = cache_dir()
    path = folder / f"{kind}-{key[:40]}.json" if folder else None
    if path is not None:
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            pass
        else:
            if valid(value):
                return value, True
    value = build()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            import tempfile  # noqa: PLC0415 - only when an entry is written

            fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(value, handle, ensure_ascii=False, separators=(",", ":"))
            Path(temp).replace(path)
        except OSError:
            pass  # a read-only home still works, only slower
    return value, False
