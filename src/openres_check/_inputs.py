"""Which files a run has read, so that its output can never be written over one of them.

A model folder's README.md and LICENSE, a catalog folder's entries and the context file are
all inputs; `-o m/README.md` would destroy the card the run just judged. Every read of an
input file goes through `_yaml.read_head` or the cache's hashing, which record the path here
while a run tracks its reads.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

__all__ = ["read_paths", "record_read", "track_reads"]

_READS: ContextVar[set[Path] | None] = ContextVar("openres_check_reads", default=None)


def record_read(path: Path) -> None:
    reads = _READS.get()
    if reads is not None:
        reads.add(path)


def read_paths() -> frozenset[Path]:
    """The files read so far in the current run (empty when no run tracks its reads)."""
    return frozenset(_READS.get() or ())


@contextlib.contextmanager
def track_reads() -> Iterator[set[Path]]:
    reads: set[Path] = set()
    token = _READS.set(reads)
    try:
        yield reads
    finally:
        _READS.reset(token)
