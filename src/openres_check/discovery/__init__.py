"""Discovery: find the models a project uses, and where it uses them.

One finder per kind of file (`interface.Finder`), each a module of this package, listed in
`FINDERS`. `discover()` walks the paths and returns every reference with its location;
`resolve` turns references into descriptors for the engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openres_check.discovery.deploy_yaml import DeploymentYamlFinder
from openres_check.discovery.dotenv import DotenvFinder
from openres_check.discovery.gguf import GgufFinder
from openres_check.discovery.hf_folder import HuggingFaceFolderFinder
from openres_check.discovery.interface import (
    Finder,
    FoundReference,
    ReferenceKind,
    ScannedFile,
    ScanWarning,
)
from openres_check.discovery.modelfile import ModelfileFinder
from openres_check.discovery.ollama_store import OllamaStoreFinder
from openres_check.discovery.python_code import PythonFinder
from openres_check.discovery.safetensors import SafetensorsFinder
from openres_check.discovery.serving import ServingCommandFinder
from openres_check.discovery.walker import Discovery, Progress, scan_files, walk_files
from openres_check.errors import InputError, Issue, Location

__all__ = ["FINDERS", "Discovery", "Finder", "FoundReference", "ReferenceKind", "ScanWarning",
           "ScannedFile", "discover"]

FINDERS: tuple[Finder, ...] = (
    PythonFinder(), ServingCommandFinder(), DeploymentYamlFinder(), DotenvFinder(),
    ModelfileFinder(), OllamaStoreFinder(), GgufFinder(), SafetensorsFinder(),
    HuggingFaceFolderFinder(),
)


def discover(paths: Sequence[str | Path] = (".",), *, exclude: Sequence[str] = (),
             include_ignored: bool = False, progress: Progress | None = None,
             finders: Sequence[Finder] = FINDERS) -> Discovery:
    """Every model reference under `paths` (folders or files).

    `exclude` takes gitignore-style globs, relative to each path. `include_ignored` also
    scans what .gitignore ignores, virtual environments and node_modules.
    Raises `InputError` for a path that does not exist.
    """
    discovery = Discovery()
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise InputError("nothing to scan", [Issue(
            "not-found", "no such file or folder", Location(p),
            "give folders or files that exist (default: the current folder)")
            for p in missing])
    entries = []
    for path in paths:
        entries.extend(walk_files(Path(path), exclude=exclude, include_ignored=include_ignored,
                                  warnings=discovery.warnings))
    scan_files(entries, finders, discovery, progress, len(entries))
    return discovery
