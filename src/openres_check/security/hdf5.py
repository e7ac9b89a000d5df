"""Keras HDF5 models keep their config as a JSON attribute; reading HDF5 needs h5py, so the
first megabytes are searched for the markers of code-carrying layers instead."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openres_check.model.security import IssueKind, SecurityIssue
from openres_check.security.formats import Format

if TYPE_CHECKING:
    from openres_check.security.interface import ScannedFile

__all__ = ["Hdf5Scanner"]

_SEARCHED = 16 * 1024 * 1024
_MARKERS = (b'"class_name": "Lambda"', b'"class_name":"Lambda"')


class Hdf5Scanner:
    formats = frozenset({Format.HDF5})

    def scan(self, file: ScannedFile) -> list[SecurityIssue]:
        try:
            with file.path.open("rb") as stream:
                head = stream.read(_SEARCHED)
        except OSError:
            return []
        if any(marker in head for marker in _MARKERS):
            return [SecurityIssue(kind=IssueKind.REMOTE_CODE, file=file.relative,
                                  detail="a Keras Lambda layer: loading runs its marshalled "
                                  "Python code")]
        return []
