"""Hugging Face model folders (a `config.json` with its card) and the Hub cache layout.

A folder whose `config.json` declares a `model_type` or `architectures` is a model: it is read
like a model folder given to `check` (card front matter, license files), and the config's
`_name_or_path` is kept. In the Hub cache (`models--ORG--NAME/refs/REF` holding the commit of
`snapshots/REV`), the folder name is the repo id and the ref file the revision.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from openres_check.discovery._names import is_repo_id
from openres_check.discovery.interface import FoundReference, ReferenceKind, ScannedFile

__all__ = ["HuggingFaceFolderFinder", "cache_repo_id"]

_MAX_CONFIG = 1024 * 1024
_REVISION = 40


def cache_repo_id(folder_name: str) -> str | None:
    """`models--Qwen--Qwen2.5-7B` as `Qwen/Qwen2.5-7B`."""
    if not folder_name.startswith("models--"):
        return None
    org, sep, name = folder_name.removeprefix("models--").partition("--")
    repo = f"{org}/{name}"
    return repo if sep and is_repo_id(repo) else None


def _in_snapshot(path: Path) -> bool:
    parts = path.parts
    return len(parts) > 3 and parts[-3] == "snapshots" and \
        cache_repo_id(parts[-4]) is not None  # noqa: PLR2004


class HuggingFaceFolderFinder:
    name = "hf-folder"
    needles: tuple[bytes, ...] = ()
    head_only: int | None = _MAX_CONFIG

    def wants(self, name: str, path: str, head: bytes) -> bool:  # noqa: ARG002 - the name
        if name == "config.json":
            return not _in_snapshot(Path(path))
        if "refs" not in path:  # a cheap test first: this runs for every file
            return False
        folder = os.path.dirname(path)  # noqa: PTH120 - strings: this runs for every file
        return os.path.basename(folder) == "refs" and cache_repo_id(  # noqa: PTH119
            os.path.basename(os.path.dirname(folder))) is not None  # noqa: PTH119, PTH120

    def find(self, file: ScannedFile) -> list[FoundReference]:
        if file.path.parent.name == "refs":
            return self._cache_ref(file)
        try:
            config = json.loads(file.data.decode("utf-8"))
        except (ValueError, RecursionError):
            return []  # many config.json files are not model configs
        if not isinstance(config, dict) or not ("model_type" in config
                                                 or "architectures" in config):
            return []
        folder = file.relative.rpartition("/")[0] or "."
        attributes = {"_folder": str(file.path.parent)}
        name = config.get("_name_or_path")
        if isinstance(name, str) and is_repo_id(name):
            attributes["name_or_path"] = name
        return [FoundReference(
            raw=folder, kind=ReferenceKind.FILE, path=file.relative, line=1, column=1,
            text=f"model folder ({config.get('model_type', 'model')})", finder=self.name,
            attributes=tuple(sorted(attributes.items())))]

    def _cache_ref(self, file: ScannedFile) -> list[FoundReference]:
        repo = cache_repo_id(file.path.parent.parent.name)
        revision = file.data[:_REVISION + 2].decode("ascii", errors="replace").strip()
        if repo is None:
            return []
        attributes = {"ref": file.path.name}
        if len(revision) == _REVISION and all(c in "0123456789abcdef" for c in revision):
            attributes["revision"] = revision
        return [FoundReference(
            raw=repo, kind=ReferenceKind.MODEL, path=file.relative, line=1, column=1,
            text=f"Hugging Face cache: {repo} ({file.path.name})", finder=self.name,
            attributes=tuple(sorted(attributes.items())))]
