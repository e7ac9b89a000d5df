"""The project file `openres.yaml`: models, context, policies, catalogs and waivers together."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openres_check._loading import validate_document
from openres_check._yaml import Document, load_yaml
from openres_check.errors import InputError, Issue, Location
from openres_check.model.context import Context
from openres_check.model.project import ProjectFile
from openres_check.model.waiver import Waiver

__all__ = ["PROJECT_FILE", "Project", "find_project", "load_project"]

PROJECT_FILE = "openres.yaml"


@dataclass(frozen=True)
class Project:
    path: Path
    file: ProjectFile
    document: Document

    @property
    def folder(self) -> Path:
        return self.path.parent

    def _relative(self, value: str) -> str:
        path = Path(value).expanduser()
        return str(path if path.is_absolute() else self.folder / path)

    def model_references(self) -> list[str]:
        """Model references; paths are taken relative to the project file."""
        refs = []
        for ref in self.file.models:
            looks_like_path = ref.startswith((".", "/", "~")) or ref.endswith(
                (".yaml", ".yml", ".json", ".md")) or (self.folder / ref).exists()
            refs.append(self._relative(ref) if looks_like_path else ref)
        return refs

    def declared(self) -> dict[str, tuple[str, int | None]]:
        """Where each model reference is written in the project file (file, line)."""
        return {ref: (self.path.name, self.document.locate(("models", index)).line)
                for index, ref in enumerate(self.model_references())}

    def context(self) -> Context | str | None:
        value = self.file.context
        return self._relative(value) if isinstance(value, str) else value

    def context_source(self) -> str | None:
        """How evidence cites an inline `context:` (`openres.yaml:12`); None for a path."""
        if not isinstance(self.file.context, Context):
            return None
        return f"{self.path.name}:{self.document.locate(('context',)).line}"

    def policies(self) -> list[str] | None:
        if self.file.policies is None:
            return None
        return [p if "/" not in p and not p.endswith((".yaml", ".yml")) else self._relative(p)
                for p in self.file.policies]

    def scan_paths(self) -> list[str]:
        """The paths `scan:` names, relative to the project file."""
        return [self._relative(p) for p in self.file.scan or []]

    def catalogs(self) -> list[str]:
        return [self._relative(c) for c in self.file.catalogs]

    def lock(self) -> str | None:
        return self._relative(self.file.lock) if self.file.lock else None

    def waivers(self) -> list[Waiver] | str | None:
        value = self.file.waivers
        return self._relative(value) if isinstance(value, str) else value


def load_project(path: Path) -> Project:
    doc = load_yaml(path)
    return Project(path=path, file=validate_document(ProjectFile, doc, "project file"),
                   document=doc)


def find_project(folder: Path) -> Project:
    """`openres.yaml` in `folder`. Raises `InputError` when it is absent."""
    path = folder / PROJECT_FILE
    if not path.is_file():
        raise InputError("no model given and no openres.yaml here", [Issue(
            "no-models", "give a model id, alias or path, or write an openres.yaml",
            Location(str(path)),
            "e.g. `openres-check check Qwen/Qwen2.5-7B-Instruct`, or `openres-check init`")])
    return load_project(path)
