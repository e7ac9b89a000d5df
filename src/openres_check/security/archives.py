"""Zip archives read as torch reads them (and .npz, .keras), plus archives no reader here
opens (7z, tar), which are never reported clean.

Members are read from their local headers without CRC checks, as torch's reader tolerates
what Python's zipfile would refuse; a broken CRC or a duplicate name is reported, and every
copy of a duplicated name is analysed.
"""

from __future__ import annotations

import io
import json
import re
import struct
import zipfile
import zlib
from collections import Counter
from typing import TYPE_CHECKING, BinaryIO

from openres_check.model.security import IssueKind, SecurityIssue
from openres_check.security.allowlist import Profile
from openres_check.security.formats import Format, sniff
from openres_check.security.keras import keras_config_issues
from openres_check.security.numpy_files import holds_objects, npy_issues
from openres_check.security.pickle_scan import Budget, analyse_pickle
from openres_check.security.pickles import issues_from, unanalysable

if TYPE_CHECKING:
    from openres_check.security.interface import ScannedFile

__all__ = ["SealedArchiveScanner", "ZipScanner"]

_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_MAX_MEMBER = 512 * 1024 * 1024
_MAX_MEMBERS = 200_000
_HEAD = 64 * 1024
_TORCH_STORAGE = re.compile(r"[^/]{1,255}/data/\d{1,12}")
"""`archive/data/N`: raw tensor bytes that torch maps by offset and never unpickles."""


def _read_member(handle: BinaryIO, info: zipfile.ZipInfo, limit: int, *,
                 head: bool = False) -> bytes:
    """The member's bytes from its local header, without checking its CRC; with `head`,
    only up to `limit` of them."""
    handle.seek(info.header_offset)
    header = handle.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise ValueError("its local header is missing")
    fields = _LOCAL_HEADER.unpack(header)
    handle.seek(fields[10] + fields[11], 1)  # file name and extra field lengths
    if info.compress_size > limit and not head:
        raise ValueError(f"it is larger than {limit} bytes")
    if head:  # a prefix is enough: deflate decodes a prefix of its input
        raw = handle.read(min(info.compress_size, limit if info.compress_type ==
                              zipfile.ZIP_STORED else _HEAD))
    else:
        raw = handle.read(info.compress_size)
    if info.compress_type == zipfile.ZIP_STORED:
        return raw
    if info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-15)
        data = inflater.decompress(raw, limit + 1)
        if len(data) > limit and not head:
            raise ValueError(f"it inflates beyond {limit} bytes")
        return data
    raise ValueError(f"it uses compression method {info.compress_type}")


def _local_name(handle: BinaryIO, info: zipfile.ZipInfo) -> bytes:
    """The file name in the member's local header (readers that walk local headers see it;
    torch, like zipfile, goes by the central directory)."""
    handle.seek(info.header_offset)
    header = handle.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size:
        return b""
    return handle.read(_LOCAL_HEADER.unpack(header)[10])


def _pickle_member(name: str, head: bytes) -> bool:
    if name.endswith((".pkl", ".pickle")):
        return True
    return sniff(head, name) in (Format.PICKLE, Format.LEGACY_TORCH)


class ZipScanner:
    formats = frozenset({Format.ZIP, Format.TORCH_ZIP})

    def scan(self, file: ScannedFile) -> list[SecurityIssue]:
        try:
            with file.path.open("rb") as handle:
                return self._scan(handle, file.relative)
        except (OSError, zipfile.BadZipFile, ValueError, EOFError) as exc:
            return [unanalysable(file.relative, None, f"the zip archive cannot be read: {exc}")]

    def _scan(self, handle: BinaryIO, relative: str) -> list[SecurityIssue]:
        archive = zipfile.ZipFile(handle)  # reads the central directory only
        members = archive.infolist()
        if len(members) > _MAX_MEMBERS:
            return [unanalysable(relative, None, f"more than {_MAX_MEMBERS} members")]
        issues: list[SecurityIssue] = []
        counts = Counter(info.filename for info in members)
        issues.extend(unanalysable(relative, name, f"{count} members share this name: "
                                   "loaders disagree on which copy they read")
                      for name, count in sorted(counts.items()) if count > 1)
        keras = any(info.filename == "config.json" for info in members) and any(
            info.filename == "metadata.json" for info in members)
        budget = Budget()  # one budget for the whole archive, however many pickles it holds
        torchscript = any(info.filename.endswith("/constants.pkl") for info in members)
        for info in members:
            if info.is_dir():
                continue
            issues.extend(self._member(handle, info, relative, budget, keras=keras,
                                       torchscript=torchscript))
        return issues

    def _member(self, handle: BinaryIO, info: zipfile.ZipInfo, relative: str, budget: Budget,
                *, keras: bool, torchscript: bool) -> list[SecurityIssue]:
        name = info.filename
        wanted = name.endswith((".pkl", ".pickle", ".py")) or (
            keras and name == "config.json")
        if not wanted and _TORCH_STORAGE.fullmatch(name):
            return []  # tensor bytes: never unpickled, so never read
        try:
            head = b"" if wanted else _read_member(handle, info, _HEAD, head=True)
            if name.endswith(".npy") and not _npy_objects(head):
                return []  # a plain array: its data is never unpickled
            if not wanted and not name.endswith(".npy") and not _pickle_member(name, head):
                return []
            data = _read_member(handle, info, _MAX_MEMBER)
        except ValueError as exc:
            return [unanalysable(relative, name, f"the member cannot be read: {exc}")]
        issues: list[SecurityIssue] = []
        local = _local_name(handle, info)
        if local not in (info.orig_filename.encode("utf-8"), info.orig_filename.encode("cp437")):
            issues.append(unanalysable(relative, name, "its local header names another file "
                                       f"({local[:80].decode('utf-8', 'replace')!r}): "
                                       "scanners and loaders may read different members"))
        if zlib.crc32(data) != info.CRC:
            issues.append(unanalysable(relative, name, "its CRC does not match its bytes"))
        if name.endswith(".py"):
            issues.append(SecurityIssue(
                kind=IssueKind.REMOTE_CODE, file=relative, member=name,
                detail="the archive carries Python code (TorchScript or a packaged module)"))
        elif keras and name == "config.json":
            issues.extend(_keras(data, relative))
        elif name.endswith(".npy"):
            issues.extend(npy_issues(io.BytesIO(data), relative, name))
        else:
            profile = (Profile.TORCHSCRIPT if torchscript else Profile.TORCH) \
                if name.endswith(("data.pkl", "constants.pkl")) else Profile.JOBLIB
            report = analyse_pickle(io.BytesIO(data), profile, budget)
            issues.extend(issues_from(report, relative, name, profile))
        return issues


def _npy_objects(head: bytes) -> bool:
    """Whether a .npy member may hold objects; True when its header does not fit the head,
    so that the whole member is read and judged."""
    try:
        return holds_objects(io.BytesIO(head))
    except ValueError:
        return True


def _keras(data: bytes, relative: str) -> list[SecurityIssue]:
    try:
        config = json.loads(data)
    except (ValueError, RecursionError):
        return [unanalysable(relative, "config.json", "the Keras config is not JSON")]
    return keras_config_issues(config, relative, "config.json")


class SealedArchiveScanner:
    """7z and tar: a loader (or a person) may unpack and unpickle what they hold, and
    nothing here unpacks them, so they always need review."""

    formats = frozenset({Format.SEVEN_ZIP, Format.TAR})

    def scan(self, file: ScannedFile) -> list[SecurityIssue]:
        return [unanalysable(file.relative, None, f"a {file.format.value} archive: its "
                             "content is not analysed, and may hold a pickle")]
