"""Python source, read as a syntax tree: never executed, never imported.

Found: `X.from_pretrained("org/name")` on any class, `pipeline(model=...)` (or its second
positional argument), `hf_hub_download` / `snapshot_download(repo_id=...)` (huggingface_hub
and modelscope), `SentenceTransformer(...)`, `LLM(model=...)` (vLLM), and the API clients:
a `model=` keyword on any call (`client.chat.completions.create`, `litellm.completion`,
`ChatOpenAI`, `ChatOllama`, ...), with the `base_url` / `api_base` of the client it is made
on. A name bound once at module level to a string (`MODEL_ID = "..."`) is followed.
"""

from __future__ import annotations

import ast
import bisect
import re

from openres_check.discovery._names import hf_co_name, is_model_name, line_text
from openres_check.discovery.interface import FoundReference, ReferenceKind, ScannedFile

__all__ = ["PythonFinder"]

# The first positional argument names the model.
_POSITIONAL_FIRST = frozenset({"from_pretrained", "SentenceTransformer", "CrossEncoder",
                               "hf_hub_download", "snapshot_download", "LLM", "AsyncLLMEngine",
                               "load_model", "Llama", "StaticModel"})
_MODEL_KEYWORDS = ("pretrained_model_name_or_path", "model_name_or_path", "repo_id",
                   "model_id", "model", "model_name", "model_path")
_RECORDED = {"revision": "revision", "trust_remote_code": "trust_remote_code",
             "code_revision": "code_revision", "base_url": "base_url", "api_base": "base_url",
             "openai_api_base": "base_url", "filename": "filename",
             "tokenizer_revision": "tokenizer_revision"}
_BASE_URL_KEYWORDS = ("base_url", "api_base", "openai_api_base")
_OLLAMA_CALLS = frozenset({"ChatOllama", "OllamaLLM", "Ollama", "OllamaEmbeddings"})
_CLIENT_CALLS = frozenset({"create", "completion", "acompletion", "embedding", "aembedding",
                           "ChatOpenAI", "AzureChatOpenAI", "OpenAIEmbeddings", "ChatLiteLLM",
                           "ChatDeepSeek", "ChatTongyi", "ChatZhipuAI", "ChatMoonshot",
                           "responses", "stream", "parse"})
_MAX_SOURCE = 2 * 1024 * 1024
_CANDIDATE = re.compile(r"from_pretrained|pipeline|_download|SentenceTransformer|CrossEncoder"
                        r"|LLM|Llama|model|repo_id|base_url|api_base|StaticModel")


def _name(node: ast.expr) -> str | None:
    """The called name: `f` for `f(...)`, `m` for `a.b.m(...)`."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _root(node: ast.expr) -> str | None:
    """The object a method chain starts from: `client` in `client.chat.completions.create`."""
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    if isinstance(node, ast.Name):
        return node.id
    return None


def _literal(node: ast.expr) -> str | None:
    """A string the code states: a literal, or the default of `os.getenv(NAME, "...")` /
    `os.environ.get(NAME, "...")` (what runs when the variable is not set; the variable
    itself is runtime configuration a scan cannot know)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and len(node.args) == 2:  # noqa: PLR2004 - name, default
        func = node.func
        reads_env = (isinstance(func, ast.Attribute) and (
            func.attr == "getenv" or (func.attr == "get" and isinstance(func.value,
                                                                       ast.Attribute)
                                      and func.value.attr == "environ")))
        default = node.args[1]
        if reads_env and isinstance(default, ast.Constant) and isinstance(default.value, str):
            return default.value
    return None


def _candidate_lines(text: str) -> list[int]:
    """The lines that mention a model-loading name: only statements spanning one of them
    are walked, so a large module costs little more than its parse."""
    lines: list[int] = []
    line, position = 1, 0
    for match in _CANDIDATE.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def _candidates(tree: ast.Module, lines: list[int]) -> list[ast.AST]:
    """Every node whose lines include a candidate line (nodes without lines are entered)."""
    out: list[ast.AST] = []
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        start = getattr(node, "lineno", None)
        if start is not None:
            end = getattr(node, "end_lineno", None) or start
            index = bisect.bisect_left(lines, start)
            if index == len(lines) or lines[index] > end:
                continue
            out.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return out


class _Module:
    """What the module binds: string constants, and clients with their base URL."""

    def __init__(self, tree: ast.Module) -> None:
        self.constants: dict[str, str] = {}
        self.clients: dict[str, str] = {}
        counts: dict[str, int] = {}
        for node in tree.body:
            targets: list[ast.expr] = []
            value: ast.expr | None = None
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value = [node.target], node.value
            for target in targets:
                if isinstance(target, ast.Name):
                    counts[target.id] = counts.get(target.id, 0) + 1
                    found = _literal(value) if value is not None else None
                    if found is not None:
                        self.constants[target.id] = found
        # A name bound more than once could hold either value: it is not followed.
        for name, count in counts.items():
            if count > 1:
                self.constants.pop(name, None)

    def client(self, node: ast.Assign | ast.AnnAssign) -> None:
        """`client = OpenAI(base_url=...)`: later calls on `client` go to that server."""
        if not isinstance(node.value, ast.Call):
            return
        url = self.keyword(node.value, _BASE_URL_KEYWORDS)
        if url is None:
            return
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target]):
            key = _name(target)
            if key:
                self.clients[key] = url

    def string(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            return self.constants.get(node.id)
        return _literal(node)

    def keyword(self, call: ast.Call, names: tuple[str, ...]) -> str | None:
        for keyword in call.keywords:
            if keyword.arg in names:
                value = self.string(keyword.value)
                if value is not None:
                    return value
        return None


class PythonFinder:
    name = "python"
    # Each test is a search of the whole file, so they are few and cover each other:
    # `pretrained` stands for every `X.from_pretrained(`, the imports `vllm` and
    # `sentence_transformers` for `LLM("...")`, `SentenceTransformer(...)` and
    # `CrossEncoder(...)`, `model_` for `model_id=` and `Llama(model_path=...)`. `model=`,
    # not the bare word: "model" is common in prose and ORMs.
    needles: tuple[bytes, ...] = (b"pretrained", b"pipeline(", b"_download(",
                                  b"sentence_transformers", b"vllm", b"model=", b"model_",
                                  b"repo_id=")
    head_only: int | None = None

    def wants(self, name: str, path: str, head: bytes) -> bool:  # noqa: ARG002 - the name
        return name.endswith((".py", ".pyi"))

    def find(self, file: ScannedFile) -> list[FoundReference]:
        if len(file.data) > _MAX_SOURCE:
            return []
        text = file.text()
        try:
            tree = ast.parse(text, filename=file.relative)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            line = getattr(exc, "lineno", None)
            file.warn(f"not valid Python, skipped ({type(exc).__name__})", line)
            return []
        module = _Module(tree)
        calls: list[ast.Call] = []
        for node in _candidates(tree, _candidate_lines(text)):
            if isinstance(node, ast.Call):
                calls.append(node)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                module.client(node)
        found: list[FoundReference] = []
        for call in sorted(calls, key=lambda c: (c.lineno, c.col_offset)):
            reference = self._call(call, module, file, text)
            if reference is not None:
                found.append(reference)
        return found

    def _call(self, call: ast.Call, module: _Module, file: ScannedFile,
              text: str) -> FoundReference | None:
        called = _name(call.func)
        if called is None:
            return None
        argument: ast.expr | None = None
        for keyword in call.keywords:
            if keyword.arg in _MODEL_KEYWORDS:
                argument = keyword.value
                break
        if argument is None and call.args:
            if called in _POSITIONAL_FIRST or called.startswith("from_pretrained"):
                argument = call.args[0]
            elif called == "pipeline" and len(call.args) > 1:
                argument = call.args[1]
        if argument is None:
            return None
        raw = module.string(argument)
        if raw is None or not is_model_name(raw.strip()):
            return None
        raw = raw.strip()
        attributes: dict[str, str] = {}
        if isinstance(argument, ast.Name):
            attributes["constant"] = argument.id
        for keyword in call.keywords:
            key = _RECORDED.get(keyword.arg or "")
            if key is None:
                continue
            value = module.string(keyword.value)
            if value is None and isinstance(keyword.value, ast.Constant):
                value = str(keyword.value.value)
            if value is not None:
                attributes.setdefault(key, value)
        root = _root(call.func)
        if "base_url" not in attributes and root in module.clients:
            attributes["base_url"] = module.clients[root]
        kind = ReferenceKind.MODEL
        if called in _OLLAMA_CALLS or root == "ollama":
            kind = ReferenceKind.OLLAMA
        elif called in _CLIENT_CALLS or "base_url" in attributes:
            kind = ReferenceKind.HOSTED
        hf = hf_co_name(raw)
        if hf is not None and hf[1]:
            attributes["quant"] = hf[1]
        line = getattr(argument, "lineno", call.lineno)
        column = getattr(argument, "col_offset", call.col_offset) + 1
        return FoundReference(raw=raw, kind=kind, path=file.relative, line=line, column=column,
                              text=line_text(text, line), finder=self.name,
                              attributes=tuple(sorted(attributes.items())))
