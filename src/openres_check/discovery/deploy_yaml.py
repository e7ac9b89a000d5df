"""YAML deployment files: docker-compose, Kubernetes manifests, LiteLLM proxy configs, CI.

Read with the project's safe YAML loader, one document at a time (a manifest may hold many):
a container's `entrypoint:` / `command:` / `args:` (strings or lists of words) go through the
command-line rules as one command line, and so do CI jobs' shell scripts (`run:`, `script:`);
`environment:` / `env:` entries that name a model (`MODEL_ID`, ...) count; and a LiteLLM
`model_list[].litellm_params.model` is taken with its provider prefix and `api_base`. A file
the loader refuses (merge keys, duplicate keys) is a warning, and its lines are still read as
command lines.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from openres_check._yaml import Document, load_yaml_text
from openres_check.discovery._commands import scan_argv, split_line
from openres_check.discovery._names import ENV_MODEL_KEY, is_model_name, line_text
from openres_check.discovery.interface import FoundReference, ReferenceKind, ScannedFile
from openres_check.discovery.serving import command_references
from openres_check.errors import InputError

__all__ = ["DeploymentYamlFinder"]

_COMMAND_ORDER = ("entrypoint", "command", "args")
_COMMAND_KEYS = frozenset(_COMMAND_ORDER)
_SCRIPT_KEYS = frozenset({"run", "script", "before_script", "after_script"})
_ENV_KEYS = frozenset({"environment", "env"})
_MAX_YAML = 2 * 1024 * 1024
Path_ = tuple[str | int, ...]


def _documents(text: str) -> list[str]:
    """Each `---`-separated document, padded with newlines so line numbers stay true."""
    documents: list[str] = []
    current: list[str] = []
    offset = 0
    for number, line in enumerate(text.split("\n")):
        if line.startswith("---") and line[3:].strip() in ("", "|", ">"):
            documents.append("\n" * offset + "\n".join(current))
            current, offset = [], number + 1
            continue
        current.append(line)
    documents.append("\n" * offset + "\n".join(current))
    return [d for d in documents if d.strip() and not all(
        not line.strip() or line.lstrip().startswith("#") for line in d.split("\n"))]


class DeploymentYamlFinder:
    name = "deploy-yaml"
    # `model` covers `--model`, `--model-id`, LiteLLM's `model:`; `MODEL` the environment.
    needles: tuple[bytes, ...] = (b"model", b"MODEL", b"vllm", b"-hf", b"ollama", b"llama-",
                                  b".gguf", b"sglang")
    head_only: int | None = None

    def wants(self, name: str, path: str, head: bytes) -> bool:  # noqa: ARG002 - the name
        return name.lower().endswith((".yaml", ".yml"))

    def find(self, file: ScannedFile) -> list[FoundReference]:
        if len(file.data) > _MAX_YAML:
            return []
        text = file.text()
        found: list[FoundReference] = []
        for document in _documents(text):
            try:
                doc = load_yaml_text(document, file.relative)
            except InputError as exc:
                issue = exc.issues[0] if exc.issues else None
                file.warn(f"YAML not read ({issue.message if issue else exc.message}); "
                          "its command lines are still scanned",
                          issue.location.line if issue else None)
                found.extend(command_references(document, file.relative, self.name,
                                                 file.path.parent))
                continue
            _Walk(doc, file, text, found, self.name).visit(doc.data, ())
        return found


class _Walk:
    def __init__(self, doc: Document, file: ScannedFile, text: str,
                 found: list[FoundReference], finder: str) -> None:
        self.doc = doc
        self.file = file
        self.text = text
        self.found = found
        self.finder = finder

    def add(self, raw: str, kind: ReferenceKind, at: Path_,
            attributes: dict[str, str] | None = None) -> None:
        attributes = dict(attributes or {})
        if kind == ReferenceKind.PATH:
            attributes["_dir"] = str(self.file.path.parent)
        location = self.doc.locate(at)
        line = location.line or 1
        source_line = self.text.split("\n", line)[line - 1] if line else ""
        column = source_line.find(raw)
        self.found.append(FoundReference(
            raw=raw, kind=kind, path=self.file.relative, line=line,
            column=column + 1 if column >= 0 else location.column or 1,
            text=line_text(self.text, line), finder=self.finder,
            attributes=tuple(sorted(attributes.items()))))

    def visit(self, node: Any, at: Path_) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("model_list"), list):
                self.litellm(node["model_list"], (*at, "model_list"))
            # A container's entrypoint/command and its args make one command line
            # (`command: [vllm, serve]` with `args: [Qwen/Qwen2.5-7B-Instruct]`).
            self.command([(node[k], (*at, k)) for k in _COMMAND_ORDER if k in node])
            for key, value in node.items():
                where = (*at, key)
                if key in _COMMAND_KEYS:
                    continue
                if key in _SCRIPT_KEYS:
                    self.script(value, where)
                elif key in _ENV_KEYS:
                    self.environment(value, where)
                elif key != "model_list":
                    self.visit(value, where)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                self.visit(item, (*at, index))

    def command(self, parts: list[tuple[Any, Path_]]) -> None:
        """The words of `parts` (strings or lists of words) as one argv, each word placed."""
        argv: list[str] = []
        places: list[Path_] = []
        for value, at in parts:
            if isinstance(value, str):
                words = split_line(value)
                argv.extend(words)
                places.extend([at] * len(words))
            elif isinstance(value, list) and all(isinstance(v, (str, int, float))
                                                 for v in value):
                for index, item in enumerate(value):
                    # Each item is a word, unless it is a whole command line (`sh -c "..."`).
                    words = split_line(str(item)) if " " in str(item) else [str(item)]
                    argv.extend(words)
                    places.extend([(*at, index)] * len(words))
        for hit in scan_argv(argv) if argv else []:
            self.add(hit.raw, hit.kind, places[hit.index], hit.attributes)

    def script(self, value: Any, at: Path_) -> None:
        """A CI job's shell script (`run: |` in GitHub Actions, `script:` in GitLab CI)."""
        blocks = [(value, at)] if isinstance(value, str) else [
            (item, (*at, index)) for index, item in enumerate(value)
            if isinstance(item, str)] if isinstance(value, list) else []
        lines = self.text.split("\n")
        for text, where in blocks:
            start = self.doc.locate(where).line or 1
            head = lines[start - 1] if start <= len(lines) else ""
            # A block scalar (`run: |`) starts on the next line; a plain one on this line.
            offset = start if head.rstrip().endswith(("|", ">", "|-", ">-")) else start - 1
            for ref in command_references(text, self.file.relative, self.finder,
                                          self.file.path.parent):
                line = offset + ref.line
                column = lines[line - 1].find(ref.raw) + 1 if line <= len(lines) else 0
                self.found.append(dataclasses.replace(
                    ref, line=line, column=max(column, 1), text=line_text(self.text, line)))

    def environment(self, value: Any, at: Path_) -> None:
        pairs: list[tuple[str, Any, Path_]] = []
        if isinstance(value, dict):
            pairs = [(str(k), v, (*at, k)) for k, v in value.items()]
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str) and "=" in item:
                    key, _, raw = item.partition("=")
                    pairs.append((key, raw, (*at, index)))
                elif isinstance(item, dict) and "name" in item and "value" in item:
                    pairs.append((str(item["name"]), item["value"], (*at, index, "value")))
        for key, raw, where in pairs:
            if isinstance(raw, str) and len(key) <= 64 and ENV_MODEL_KEY.fullmatch(key) \
                    and "$" not in raw and is_model_name(raw.strip()):  # noqa: PLR2004
                self.add(raw.strip(), ReferenceKind.MODEL, where)

    def litellm(self, entries: list[Any], at: Path_) -> None:
        for index, entry in enumerate(entries):
            params = entry.get("litellm_params") if isinstance(entry, dict) else None
            if not isinstance(params, dict):
                continue
            model = params.get("model")
            if not isinstance(model, str) or not model.strip() or "os.environ" in model:
                continue
            attributes: dict[str, str] = {}
            if isinstance(entry.get("model_name"), str):
                attributes["alias"] = entry["model_name"]
            for key in ("api_base", "base_url"):
                if isinstance(params.get(key), str) and "os.environ" not in params[key]:
                    attributes["base_url"] = params[key]
            self.add(model.strip(), ReferenceKind.HOSTED,
                     (*at, index, "litellm_params", "model"), attributes)
