"""Walk the scanned paths and hand each file to the finders that read it.

Skipped by default: what `.gitignore` files ignore, virtual environments (a folder holding
`pyvenv.cfg`, or named `.venv`/`venv`), `node_modules` and tool caches; `.git` always. Symbolic
links are never followed out of the scanned tree, nor into folders (no loops). Every file is
opened once: a small one is read whole in one call, a large one only as far as a finder that
wants it needs (a weights header), so the cost stays near that of reading the tree.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openres_check.discovery.ignore import Ignorer, parse_rules
from openres_check.discovery.interface import (
    HEAD_BYTES,
    Finder,
    FoundReference,
    ScannedFile,
    ScanWarning,
)

__all__ = ["SKIPPED_FOLDERS", "Discovery", "scan_files", "walk_files"]

SKIPPED_FOLDERS = frozenset({"node_modules", ".venv", "venv", "__pycache__", ".tox", ".nox",
                             ".mypy_cache", ".ruff_cache", ".pytest_cache", ".eggs",
                             "site-packages", ".hypothesis"})
_ALWAYS_SKIPPED = frozenset({".git", ".hg", ".svn"})
_WHOLE = 2 * 1024 * 1024
"""Files up to this size are read whole; text finders read nothing larger."""
_FIRST = 64 * 1024
"""The first read of every file: most source files are smaller, so one call reads them."""

Progress = Callable[[int, int], None]
"""Called with (files done, files in all) as the scan goes."""


@dataclass
class Discovery:
    """What a scan found: references and the files it could not read."""

    references: list[FoundReference] = field(default_factory=list)
    warnings: list[ScanWarning] = field(default_factory=list)
    files: int = 0
    """How many files were looked at."""


@dataclass(frozen=True)
class _Entry:
    path: str
    relative: str


def _inside(path: str, root: Path) -> bool:
    try:
        Path(path).resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def _prefix(root: Path) -> str:
    """What reported paths start with: the root as given when relative (`src` gives
    `src/app.py`, as code scanning expects), relative to the current folder when it is
    inside it, else nothing (a path of this machine has no place in a report)."""
    if root.is_absolute():
        try:
            root = root.relative_to(Path.cwd())
        except ValueError:
            return ""
    prefix = root.as_posix().rstrip("/")
    return "" if prefix in ("", ".") else prefix


class _Walk:
    """One walk of one root: strings and `os.scandir`, as cheap per file as a walk can be."""

    def __init__(self, root: Path, exclude: Sequence[str], include_ignored: bool,
                 warnings: list[ScanWarning]) -> None:
        self.root = root
        self.real_root = root.resolve()
        self.prefix = _prefix(root)
        self.include_ignored = include_ignored
        self.warnings = warnings
        self.gitignore = Ignorer()
        self.excludes = Ignorer(parse_rules("\n".join(exclude)))

    def skipped(self, parts: tuple[str, ...], is_dir: bool) -> bool:
        if self.excludes.rules and self.excludes.ignored(parts, is_dir):
            return True
        return (not self.include_ignored and bool(self.gitignore.rules)
                and self.gitignore.ignored(parts, is_dir))

    def label(self, parts: tuple[str, ...]) -> str:
        relative = "/".join(parts)
        return f"{self.prefix}/{relative}" if self.prefix else relative

    def skipped_folder(self, item: os.DirEntry[str], parts: tuple[str, ...]) -> bool:
        name = item.name
        if name in _ALWAYS_SKIPPED:
            return True
        if not self.include_ignored and (
                name in SKIPPED_FOLDERS
                or os.path.isfile(os.path.join(item.path, "pyvenv.cfg"))):  # noqa: PTH113, PTH118
            return True
        return self.skipped(parts, is_dir=True)

    def read_gitignore(self, folder: str, parts: tuple[str, ...]) -> None:
        try:
            with open(os.path.join(folder, ".gitignore"), "rb") as handle:  # noqa: PTH118, PTH123
                text = handle.read(1024 * 1024).decode("utf-8", errors="replace")
        except OSError:
            return
        self.gitignore.add(parse_rules(text, parts))

    def files(self) -> list[_Entry]:
        entries: list[_Entry] = []
        stack: list[tuple[str, tuple[str, ...]]] = [(str(self.root), ())]
        while stack:
            folder, parts = stack.pop()
            try:
                with os.scandir(folder) as listing:
                    items = sorted(listing, key=lambda item: item.name)
            except OSError as exc:
                self.warnings.append(ScanWarning(self.label(parts) or ".", None,
                                                 f"cannot list it: {exc.strerror}"))
                continue
            if not self.include_ignored and any(i.name == ".gitignore" for i in items):
                self.read_gitignore(folder, parts)
            subfolders = []
            for item in items:
                here = (*parts, item.name)
                try:
                    if item.is_dir(follow_symlinks=False):
                        if not self.skipped_folder(item, here):
                            subfolders.append((item.path, here))
                    elif item.is_symlink():
                        # A link to a file inside the tree is read; never one leading out,
                        # and never a link to a folder (no loops).
                        if not self.skipped(here, is_dir=False) and \
                                _inside(item.path, self.real_root) and item.is_file():
                            entries.append(_Entry(item.path, self.label(here)))
                    elif item.is_file(follow_symlinks=False) and \
                            not self.skipped(here, is_dir=False):
                        entries.append(_Entry(item.path, self.label(here)))
                except OSError:
                    continue
            stack.extend(reversed(subfolders))
        return entries


def walk_files(root: Path, *, exclude: Sequence[str] = (), include_ignored: bool = False,
               warnings: list[ScanWarning] | None = None) -> list[_Entry]:
    """The files to scan under `root` (a folder or one file), in a stable order."""
    warnings = warnings if warnings is not None else []
    if root.is_file():
        prefix = _prefix(root.parent)
        return [_Entry(str(root), f"{prefix}/{root.name}" if prefix else root.name)]
    return _Walk(root, exclude, include_ignored, warnings).files()


def _read(entry: _Entry, finders: Sequence[Finder]) -> tuple[bytes, int, list[Finder]] | None:
    """The bytes the wanting finders need, the file's size (when it had to be read) and
    those finders; None when no finder wants the file. Raises `OSError`."""
    with open(entry.path, "rb", buffering=0) as handle:  # noqa: PTH123 - strings, unbuffered: one read call
        data = handle.read(_FIRST)
        head = data[:HEAD_BYTES]
        name = entry.path.rpartition(os.sep)[2]
        wanting = [f for f in finders if f.wants(name, entry.path, head)]
        if not wanting:
            return None
        size = len(data)
        if size == _FIRST:  # there may be more
            size = os.fstat(handle.fileno()).st_size
            if size > _WHOLE:
                # Too large for a text finder: only those that read a header go on.
                wanting = [f for f in wanting if f.head_only is not None]
                limit = max((f.head_only or 0 for f in wanting), default=0)
            else:
                limit = _WHOLE
            if not wanting:
                return None
            data += handle.read(max(limit - len(data), 0))
    return data, size, wanting


def _mentions(data: bytes, needles: tuple[bytes, ...]) -> bool:
    for needle in needles:  # noqa: SIM110 - no generator per file; each test is a C search
        if needle in data:
            return True
    return False


def scan_files(entries: Iterable[_Entry], finders: Sequence[Finder], discovery: Discovery,
               progress: Progress | None = None, total: int = 0) -> None:
    for done, entry in enumerate(entries, start=1):
        discovery.files += 1
        if progress is not None and done % 256 == 0:
            progress(done, total)
        try:
            read = _read(entry, finders)
        except OSError as exc:
            discovery.warnings.append(ScanWarning(entry.relative, None,
                                                  f"cannot read it: {exc.strerror or exc}"))
            continue
        if read is None:
            continue
        data, size, wanting = read
        for finder in wanting:
            view = data if finder.head_only is None else data[:finder.head_only]
            if finder.needles and not _mentions(view, finder.needles):
                continue
            file = ScannedFile(Path(entry.path), entry.relative, view,
                               truncated=len(view) < size)
            try:
                discovery.references.extend(finder.find(file))
            except RecursionError:
                file.warn("nests too deeply to be read")
            discovery.warnings.extend(file.warnings)
    if progress is not None:
        progress(total, total)
