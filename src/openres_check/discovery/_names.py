"""How model names are written: Hub repo ids, `hf.co/` names, provider prefixes, Ollama tags.

Every pattern here is anchored, has no nested quantifier, and runs on a value already cut to
`MAX_NAME` characters, so no scanned text can make matching slow.
"""

from __future__ import annotations

import re

__all__ = [
    "ENV_MODEL_KEY",
    "MAX_NAME",
    "WEIGHTS_SUFFIXES",
    "hf_co_name",
    "is_hub_repo",
    "is_model_name",
    "is_repo_id",
    "line_text",
    "split_provider",
]

MAX_NAME = 200
_REPO_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}")
_MODEL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/@+-]{1,199}")
_HF_CO = re.compile(r"(?:https?://)?(?:hf\.co|huggingface\.co)/"
                    r"([A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95})"
                    r"(?::([A-Za-z0-9._-]{1,64}))?/?")
ENV_MODEL_KEY = re.compile(r"(?:[A-Z0-9_]{0,40}_)?MODEL(?:_ID|_NAME|_REPO|_PATH)?")
"""Environment variables that name a model: MODEL_ID (TGI), HF_MODEL_ID, LLM_MODEL, ..."""

# LiteLLM provider prefixes whose remainder is the model as its server knows it: a Hub id
# for the self-hosted servers, a tag for Ollama, a vendor's API name for the hosted ones.
_SELF_HOSTED = frozenset({"hosted_vllm", "vllm", "openai", "text-completion-openai",
                          "huggingface", "sagemaker", "lm_studio", "llamafile", "xinference",
                          "openai_like", "custom_openai", "triton", "nvidia_nim"})
_OLLAMA = frozenset({"ollama", "ollama_chat"})
_THIRD_PARTY = frozenset({"together_ai", "fireworks_ai", "groq", "openrouter", "deepinfra",
                          "bedrock", "azure", "azure_ai", "vertex_ai", "replicate",
                          "anyscale", "perplexity", "cloudflare", "sambanova", "cerebras",
                          "novita", "nebius", "hyperbolic", "featherless_ai", "siliconflow"})
_PUBLISHER_APIS = frozenset({"deepseek", "dashscope", "moonshot", "zai", "zhipuai",
                             "minimax", "mistral", "codestral", "gemini", "anthropic",
                             "xai", "cohere", "volcengine"})
PROVIDERS = _SELF_HOSTED | _OLLAMA | _THIRD_PARTY | _PUBLISHER_APIS
WEIGHTS_SUFFIXES = (".gguf", ".safetensors", ".bin", ".pt", ".pth", ".ggml", ".llamafile")


def is_repo_id(value: str) -> bool:
    """`ORG/NAME` as the Hub spells repo ids."""
    return len(value) <= MAX_NAME and _REPO_ID.fullmatch(value) is not None


def is_hub_repo(value: str) -> bool:
    """A name the Hub could hold: a repo id that is no provider-prefixed API name
    (`deepseek/deepseek-reasoner`, `ollama/llama3`) and no weights file (`models/w.bin`)."""
    return (is_repo_id(value) and split_provider(value)[0] is None
            and not value.lower().endswith(WEIGHTS_SUFFIXES))


def is_model_name(value: str) -> bool:
    """A plausible model name: one token, with a separator or a digit (so `rf` or `base`, a
    keyword's ordinary value, is not taken for a model)."""
    if len(value) > MAX_NAME or not _MODEL_NAME.fullmatch(value):
        return False
    return any(c in value for c in "/:-.") or any(c.isdigit() for c in value)


def hf_co_name(value: str) -> tuple[str, str | None] | None:
    """`hf.co/USER/REPO[:QUANT]` as (repo id, quant); None for anything else."""
    if len(value) > MAX_NAME:
        return None
    match = _HF_CO.fullmatch(value)
    return (match.group(1), match.group(2)) if match else None


def split_provider(value: str) -> tuple[str | None, str]:
    """`hosted_vllm/Qwen/Qwen2.5-7B` as (`hosted_vllm`, `Qwen/Qwen2.5-7B`). A first part that
    is no known provider (an organisation) leaves the value whole."""
    head, sep, rest = value.partition("/")
    if sep and head.lower() in PROVIDERS and rest:
        return head.lower(), rest
    return None, value


def provider_kind(provider: str) -> str:
    """How a LiteLLM provider runs the model: self-hosted, ollama, third-party or publisher."""
    if provider in _OLLAMA:
        return "ollama"
    if provider in _SELF_HOSTED:
        return "self-hosted"
    return "publisher" if provider in _PUBLISHER_APIS else "third-party"


def line_text(text: str, line: int, limit: int = 160) -> str:
    """Line `line` (1-based) of `text`, stripped and shortened, for the report."""
    lines = text.split("\n", line)
    value = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return value if len(value) <= limit else value[: limit - 1] + "…"
