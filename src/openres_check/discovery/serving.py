"""Serving commands in shell scripts, Dockerfiles, Makefiles and Procfiles.

`vllm serve ORG/NAME`, `--model` (vLLM), `--model-path` (SGLang), `--model-id` and the
`MODEL_ID` variable (TGI), `-m file.gguf` and `-hf user/repo[:quant]` (llama.cpp),
`ollama pull|run NAME[:TAG]`, each with `--revision`, `--code-revision` and
`--trust-remote-code` when given to the same command.
"""

from __future__ import annotations

from pathlib import Path

from openres_check.discovery._commands import scan_argv, split_line
from openres_check.discovery._names import line_text
from openres_check.discovery.interface import FoundReference, ReferenceKind, ScannedFile

__all__ = ["ServingCommandFinder", "command_references", "logical_lines"]

_NAMES = frozenset({"Dockerfile", "Containerfile", "Makefile", "makefile", "GNUmakefile",
                    "Procfile", "justfile", "Justfile"})
_SUFFIXES = (".sh", ".bash", ".zsh", ".ksh", ".dockerfile", ".containerfile", ".mk",
             ".command", ".ps1")
NEEDLES = (b"vllm", b"--model", b"-hf", b"--hf-repo", b"ollama", b"MODEL", b".gguf",
           b"sglang", b"llama-")


def logical_lines(text: str) -> list[tuple[int, list[str]]]:
    """(first line number, physical lines) of each logical line: a trailing backslash
    continues a command on the next line."""
    out: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 1
    for number, line in enumerate(text.split("\n"), start=1):
        if not current:
            start = number
        current.append(line)
        if not line.rstrip().endswith("\\"):
            out.append((start, current))
            current = []
    if current:
        out.append((start, current))
    return out


def _locate(word: str, start: int, lines: list[str]) -> tuple[int, int]:
    for offset, line in enumerate(lines):
        column = line.find(word)
        if column >= 0:
            return start + offset, column + 1
    return start, 1


def command_references(text: str, relative: str, finder: str,
                       folder: Path | None = None) -> list[FoundReference]:
    """The references in every command line of `text` (a file in `folder`)."""
    found: list[FoundReference] = []
    for start, lines in logical_lines(text):
        joined = " ".join(line.rstrip().removesuffix("\\") for line in lines)
        if not any(needle.decode() in joined for needle in NEEDLES):
            continue
        argv = split_line(joined)
        for hit in scan_argv(argv):
            line, column = _locate(hit.raw, start, lines)
            if hit.kind == ReferenceKind.PATH and folder is not None:
                hit.attributes["_dir"] = str(folder)
            found.append(FoundReference(
                raw=hit.raw, kind=hit.kind, path=relative, line=line, column=column,
                text=line_text(text, line), finder=finder,
                attributes=tuple(sorted(hit.attributes.items()))))
    return found


class ServingCommandFinder:
    name = "serving"
    needles: tuple[bytes, ...] = NEEDLES
    head_only: int | None = None

    def wants(self, name: str, path: str, head: bytes) -> bool:  # noqa: ARG002 - the name
        return (name in _NAMES or name.startswith(("Dockerfile.", "Containerfile."))
                or name.lower().endswith(_SUFFIXES) or (head.startswith(b"#!/") and
                b"sh" in head.split(b"\n", 1)[0]))

    def find(self, file: ScannedFile) -> list[FoundReference]:
        return command_references(file.text(), file.relative, self.name, file.path.parent)
