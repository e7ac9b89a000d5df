"""Ollama Modelfiles: `FROM` (the base model or weights file) and `ADAPTER` lines."""

from __future__ import annotations

import os

from openres_check.discovery._names import MAX_NAME, line_text
from openres_check.discovery.interface import FoundReference, ReferenceKind, ScannedFile

__all__ = ["ModelfileFinder"]

_INSTRUCTIONS = ("from", "adapter")
_WEIGHTS = (".gguf", ".safetensors", ".bin")
# `modelfile.py` is code about Modelfiles, not one (`Modelfile.llama3` is one).
_NOT_MODELFILES = frozenset({".py", ".md", ".txt", ".rst", ".json", ".yaml", ".yml", ".js",
                             ".ts", ".go", ".rs", ".sh", ".toml", ".html"})


class ModelfileFinder:
    name = "modelfile"
    needles: tuple[bytes, ...] = (b"FROM", b"from", b"From", b"ADAPTER", b"adapter")
    head_only: int | None = None

    def wants(self, name: str, path: str, head: bytes) -> bool:  # noqa: ARG002 - the name
        lowered = name.lower()
        return lowered == "modelfile" or lowered.endswith(".modelfile") or (
            lowered.startswith("modelfile.")
            and os.path.splitext(lowered)[1] not in _NOT_MODELFILES)  # noqa: PTH122

    def find(self, file: ScannedFile) -> list[FoundReference]:
        text = file.text()
        found = []
        for number, raw in enumerate(text.split("\n"), start=1):
            instruction, _, value = raw.strip().partition(" ")
            value = value.strip().strip("\"'")
            if instruction.lower() not in _INSTRUCTIONS or not value or len(value) > MAX_NAME \
                    or any(c.isspace() for c in value):
                continue
            is_path = value.startswith(("./", "../", "/", "~")) or \
                value.lower().endswith(_WEIGHTS)
            found.append(FoundReference(
                raw=value, kind=ReferenceKind.PATH if is_path else ReferenceKind.OLLAMA,
                path=file.relative, line=number, column=raw.find(value) + 1,
                text=line_text(text, number), finder=self.name,
                attributes=(("_dir", str(file.path.parent)), ("instruction", instruction.upper()))
                if is_path else (("instruction", instruction.upper()),)))
        return found
