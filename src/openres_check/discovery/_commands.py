"""Model references in command lines: what vLLM, SGLang, TGI, llama.cpp and Ollama are told.

Shared by the finders of shell scripts and Dockerfiles (one logical line at a time) and of
YAML deployment files (a container's `command:` and `args:`). A value that is a shell
variable (`$MODEL`) is runtime configuration: it cannot be known here and is left out.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from openres_check.discovery._names import (
    ENV_MODEL_KEY,
    MAX_NAME,
    WEIGHTS_SUFFIXES,
    is_model_name,
)
from openres_check.discovery.interface import ReferenceKind

__all__ = ["CommandHit", "scan_argv", "split_line"]

# Flags whose value names the model, by server.
_MODEL_FLAGS = frozenset({"--model", "--model-path", "--model-id", "--hf-repo", "-hf",
                          "--hf-model-repo", "-hfr", "--model-name-or-path"})
_ATTRIBUTE_FLAGS = {"--revision": "revision", "--code-revision": "code_revision",
                    "--hf-file": "filename", "-hff": "filename",
                    "--tokenizer-revision": "tokenizer_revision"}
_ATTRIBUTE_ENV = {"REVISION": "revision", "TRUST_REMOTE_CODE": "trust_remote_code",
                  "HF_ENDPOINT": "hf_endpoint"}
_SWITCHES = {"--trust-remote-code": "trust_remote_code"}
_SEPARATORS = frozenset({"&&", "||", ";", "|", "&"})
_EDGE = "[]\"',"


@dataclass
class CommandHit:
    raw: str
    kind: ReferenceKind
    index: int
    """The token's position in the argv."""
    attributes: dict[str, str] = field(default_factory=dict)


def split_line(line: str) -> list[str]:
    """Shell words of one logical line, comments dropped; whitespace words when the quoting
    is unbalanced. Brackets, quotes and commas of exec-form lists (`["vllm", "serve"]`) go."""
    try:
        words = shlex.split(line, comments=True)
    except ValueError:
        words = line.split()
    return [w.strip(_EDGE) for w in words if w.strip(_EDGE)]


def _value_kind(value: str, flag: str | None) -> ReferenceKind | None:
    if "$" in value or "{{" in value or len(value) > MAX_NAME:
        return None
    if value.startswith(("./", "/", "~", "../")) or value.lower().endswith(WEIGHTS_SUFFIXES):
        return ReferenceKind.PATH
    if flag == "-m":
        return None  # `python -m module`: only a weights file makes `-m` a model
    return ReferenceKind.MODEL if is_model_name(value) else None


def _is_llama_cpp(argv: list[str]) -> bool:
    return any(word.rsplit("/", 1)[-1].startswith(("llama-", "llama_", "llamafile"))
               for word in argv[:3])


def scan_argv(argv: list[str]) -> list[CommandHit]:
    """The model references in one command's words, with the flags that qualify them."""
    hits: list[CommandHit] = []
    attributes: dict[str, str] = {}
    start = 0  # the first hit of the current command: flags qualify only its own hits
    llama_cpp = _is_llama_cpp(argv)
    index = 0
    while index < len(argv):
        word = argv[index]
        following = argv[index + 1] if index + 1 < len(argv) else None
        flag, sep, inline = word.partition("=")
        if word in _SEPARATORS:
            for hit in hits[start:]:
                hit.attributes.update(attributes)
            attributes, start = {}, len(hits)
        elif flag in _MODEL_FLAGS or (flag == "-m" and (llama_cpp or (following and
                                                         following.endswith(".gguf")))):
            value = inline if sep else following
            kind = _value_kind(value, "--model" if llama_cpp else flag) if value else None
            if kind is not None and value is not None:
                hits.append(CommandHit(value, kind, index if sep else index + 1))
            index += 0 if sep else 1
        elif flag in _ATTRIBUTE_FLAGS and (sep or following):
            attributes[_ATTRIBUTE_FLAGS[flag]] = inline if sep else str(following)
            index += 0 if sep else 1
        elif word in _SWITCHES:
            attributes[_SWITCHES[word]] = "true"
        elif word == "serve" and index > 0 and argv[index - 1].endswith("vllm") and following \
                and not following.startswith("-"):
            kind = _value_kind(following, None)
            if kind is not None:
                hits.append(CommandHit(following, kind, index + 1))
            index += 1
        elif word in ("pull", "run") and index > 0 and argv[index - 1].endswith("ollama") \
                and following and not following.startswith("-") and "$" not in following:
            hits.append(CommandHit(following, ReferenceKind.OLLAMA, index + 1))
            index += 1
        elif sep and len(flag) <= 64 and ENV_MODEL_KEY.fullmatch(flag):  # noqa: PLR2004
            kind = _value_kind(inline, None)
            if kind is not None:
                hits.append(CommandHit(inline, kind, index))
        elif sep and flag in _ATTRIBUTE_ENV:
            attributes[_ATTRIBUTE_ENV[flag]] = inline
        elif word == "ENV" and following and ENV_MODEL_KEY.fullmatch(following[:64]) \
                and index + 2 < len(argv):
            kind = _value_kind(argv[index + 2], None)
            if kind is not None:
                hits.append(CommandHit(argv[index + 2], kind, index + 2))
            index += 2
        index += 1
    for hit in hits[start:]:
        hit.attributes.update(attributes)
    return hits
