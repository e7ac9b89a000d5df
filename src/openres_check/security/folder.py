"""The security scan of one model folder: every file's format by content, each file through
the scanner for its format, then the folder-wide checks."""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from openres_check.model.security import (
    ArtifactFile,
    IssueKind,
    SecurityFacts,
    SecurityIssue,
)
from openres_check.security.archives import SealedArchiveScanner, ZipScanner
from openres_check.security.compressed import CompressedPickleScanner
from openres_check.security.formats import (
    CODE_BEARING,
    HEAD_SIZE,
    Format,
    promises_data_only,
    sniff,
)
from openres_check.security.gguf import GgufScanner
from openres_check.security.hdf5 import Hdf5Scanner
from openres_check.security.lock import REVISION
from openres_check.security.numpy_files import NumpyScanner
from openres_check.security.pickles import PickleScanner, unanalysable
from openres_check.security.remote_code import RemoteCodeCheck
from openres_check.security.signing import signature_facts

if TYPE_CHECKING:
    from collections.abc import Iterator

    from openres_check.lineage import ResolvedModel
    from openres_check.security.interface import ArtifactScanner, FolderCheck, ScannedFile

__all__ = ["SCANNERS", "folder_files", "folder_revision", "model_folder", "scan_file",
           "scan_folder"]

SCANNERS: tuple[ArtifactScanner, ...] = (PickleScanner(), ZipScanner(), NumpyScanner(),
                                         GgufScanner(), Hdf5Scanner(), SealedArchiveScanner(),
                                         CompressedPickleScanner())
CHECKS: tuple[FolderCheck, ...] = (RemoteCodeCheck(),)
_BY_FORMAT = {fmt: scanner for scanner in SCANNERS for fmt in scanner.formats}
_MAX_FILES = 20_000
_MAX_DEPTH = 8
_SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", ".cache"})
_PICKLE_SUFFIXES = frozenset({".pkl", ".pickle", ".joblib"})


def folder_files(folder: Path) -> Iterator[tuple[str, Path]]:
    """(relative name, path) of every regular file, bounded in count and depth; file
    symlinks (the Hub cache's snapshots) are followed, folder symlinks are not."""
    count = 0
    for root, dirs, names in os.walk(folder):
        depth = len(Path(root).relative_to(folder).parts)
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and depth < _MAX_DEPTH)
        for name in sorted(names):
            path = Path(root) / name
            if not path.is_file():
                continue
            count += 1
            if count > _MAX_FILES:
                return
            yield path.relative_to(folder).as_posix(), path


def folder_revision(folder: Path) -> str | None:
    """The Hub commit of a Hub cache snapshot folder (`.../snapshots/<40-hex>`)."""
    name = folder.resolve().name if folder.exists() else folder.name
    parent = folder.resolve().parent.name if folder.exists() else folder.parent.name
    return name if parent == "snapshots" and REVISION.fullmatch(name) else None


def model_folder(model: ResolvedModel) -> Path | None:
    """The model's local folder, when its files were scanned there (not for a single file,
    a card or a catalog entry)."""
    security = model.facts.get("security") or {}
    if not security.get("scanned"):
        return None
    path = Path(model.origin)
    return path if path.is_dir() else None


def _identify(relative: str, path: Path) -> ScannedFile | None:
    from openres_check.security.interface import ScannedFile  # noqa: PLC0415 - cycle-free

    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(HEAD_SIZE)
    except OSError:
        return None
    fmt = sniff(head, relative)
    if fmt is Format.OTHER and PurePath(relative).suffix.lower() in _PICKLE_SUFFIXES:
        fmt = Format.PICKLE  # protocol 0 and 1 pickles have no magic: analyse as one
    return ScannedFile(path=path, relative=relative, size=size, format=fmt)


def _scan_files(pairs: Iterator[tuple[str, Path]] | list[tuple[str, Path]]
                ) -> tuple[list[ScannedFile], list[SecurityIssue]]:
    files: list[ScannedFile] = []
    issues: list[SecurityIssue] = []
    for relative, path in pairs:
        scanned = _identify(relative, path)
        if scanned is None:
            issues.append(unanalysable(relative, None, "the file cannot be read"))
            continue
        files.append(scanned)
        if scanned.format in CODE_BEARING and promises_data_only(relative):
            issues.append(SecurityIssue(
                kind=IssueKind.FORMAT_MISMATCH, file=relative,
                detail=f"named like a data-only file, but its content is {scanned.format.value}, "
                "which a loader may unpickle"))
        scanner = _BY_FORMAT.get(scanned.format)
        if scanner is not None:
            issues.extend(scanner.scan(scanned))
    return files, issues


def _facts(files: list[ScannedFile], issues: list[SecurityIssue], **more: object
           ) -> SecurityFacts:
    named = [i.model_copy(update={"detail": f"member {i.member}: {i.detail}"})
             if i.member else i for i in issues]
    return SecurityFacts.model_validate({
        "scanned": True, "issues": named, **more,
        "files": [ArtifactFile(path=f.relative, size=f.size, format=f.format.value)
                  for f in files]})


def scan_folder(folder: Path) -> SecurityFacts:
    """Scan every file of a model folder. Never raises for what the files contain."""
    files, issues = _scan_files(folder_files(folder))
    for check in CHECKS:
        issues.extend(check.check(folder, files))
    return _facts(files, issues, revision=folder_revision(folder),
                  signature=signature_facts(folder, files))


def scan_file(path: Path) -> SecurityFacts:
    """Scan one model file given on its own (a GGUF, a checkpoint): its format, its pickles
    and its chat templates. Never raises for what the file contains."""
    files, issues = _scan_files([(path.name, path)])
    return _facts(files, issues)
