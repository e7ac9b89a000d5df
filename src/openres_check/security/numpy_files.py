"""numpy `.npy` files: raw array data, unless the dtype holds Python objects, which
`numpy.load(allow_pickle=True)` unpickles from the bytes after the header."""

from __future__ import annotations

import struct
from typing import IO, TYPE_CHECKING

from openres_check.security.allowlist import Profile
from openres_check.security.formats import Format
from openres_check.security.pickle_scan import analyse_pickle
from openres_check.security.pickles import issues_from, unanalysable

if TYPE_CHECKING:
    from openres_check.model.security import SecurityIssue
    from openres_check.security.interface import ScannedFile

__all__ = ["NumpyScanner", "holds_objects", "npy_issues"]

_MAX_HEADER = 1024 * 1024


def _object_dtype(header: str) -> bool:
    """Whether the header's `descr` holds an object field (`|O`, or `O` in a record)."""
    start = header.find("'descr'")
    if start < 0:
        return True  # no descr: cannot tell, so assume the worst
    end = header.find("'fortran_order'")
    descr = header[start:end if end > start else len(header)]
    return "O" in descr.replace("'descr'", "")


def holds_objects(stream: IO[bytes]) -> bool:
    """Whether the .npy array on `stream` holds Python objects (a pickle follows its header).
    Leaves the stream after the header. Raises `ValueError` for a header it cannot read."""
    head = stream.read(10)
    if len(head) < 10 or not head.startswith(b"\x93NUMPY"):  # noqa: PLR2004 - magic, version
        raise ValueError("not a numpy .npy header")
    if head[6] == 1:
        (length,) = struct.unpack("<H", head[8:10])
    else:
        (length,) = struct.unpack("<I", head[8:10] + stream.read(2))
    if length > _MAX_HEADER:
        raise ValueError("the .npy header is too large")
    header = stream.read(length)
    if len(header) != length:
        raise ValueError("the .npy header is cut short")
    return _object_dtype(header.decode("latin-1"))


def npy_issues(stream: IO[bytes], file: str, member: str | None) -> list[SecurityIssue]:
    try:
        if not holds_objects(stream):
            return []
    except ValueError as exc:
        return [unanalysable(file, member, str(exc))]
    report = analyse_pickle(stream, Profile.NUMPY)
    return issues_from(report, file, member, Profile.NUMPY)


class NumpyScanner:
    formats = frozenset({Format.NUMPY})

    def scan(self, file: ScannedFile) -> list[SecurityIssue]:
        try:
            with file.path.open("rb") as stream:
                return npy_issues(stream, file.relative, None)
        except OSError as exc:
            return [unanalysable(file.relative, None, f"cannot be read: {exc.strerror}")]
