"""Ollama names (`deepseek-r1:8b`, `registry.ollama.ai/library/qwen3:8b`) to upstream models.

Names follow Ollama's `{host}/{namespace}/{model}:{tag}@{digest}`, with the defaults
`registry.ollama.ai`, `library` and `latest`. Only library models have a mapping: a user's
namespace or another registry resolves to nothing here.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass
from typing import Any

from openres_check.errors import Issue, Location
from openres_check.model.common import Source

__all__ = ["CLOUD_SERVICE", "DEFAULT_REGISTRY", "OllamaIndex", "OllamaReference", "OllamaTag",
           "parse_ollama_reference"]

DEFAULT_REGISTRY = "registry.ollama.ai"
DEFAULT_NAMESPACE = "library"
DEFAULT_TAG = "latest"
CLOUD_SERVICE = "ollama-cloud"
"""The catalog id of Ollama's hosted service, where cloud tags run."""
_MAX_REFERENCE = 512
_MAX_PART = 80
_NAME_CHARS = frozenset(string.ascii_lowercase + string.digits + "._-")
_HOST_CHARS = frozenset(string.ascii_lowercase + string.digits + ".-:")
_PATH_PARTS = 3
# A quantization or precision suffix: `8b-q4_K_M` pulls the same weights as `8b`. The input
# is at most _MAX_PART characters and the pattern has no nested quantifier.
_QUANTIZATION = re.compile(r"-(?:i?q[0-9][0-9a-z_]*|fp16|bf16|fp32|f16|f32)$")


@dataclass(frozen=True)
class OllamaReference:
    """A parsed Ollama model name, lower case, defaults filled in."""

    host: str
    namespace: str
    name: str
    tag: str
    digest: str | None = None

    @property
    def hosted(self) -> bool:
        """Cloud tags (`...-cloud`, `cloud`) run on Ollama's hosted service, not locally."""
        return self.tag == "cloud" or self.tag.endswith("-cloud")

    @property
    def is_library(self) -> bool:
        return self.host == DEFAULT_REGISTRY and self.namespace == DEFAULT_NAMESPACE


def _valid_part(part: str, chars: frozenset[str]) -> bool:
    return 0 < len(part) <= _MAX_PART and part[0] not in "._-" and chars.issuperset(part)


def parse_ollama_reference(text: str) -> OllamaReference | None:
    """Parse `name`, `name:tag`, `namespace/name:tag` or `host/namespace/name:tag` (each
    optionally `@sha256:...`); None for anything else."""
    value = text.strip().lower()
    if not value or len(value) > _MAX_REFERENCE:
        return None
    value, _, digest = value.partition("@")
    parts = value.split("/")
    if len(parts) > _PATH_PARTS:
        return None
    host = parts[0] if len(parts) == _PATH_PARTS else DEFAULT_REGISTRY
    namespace = parts[-2] if len(parts) > 1 else DEFAULT_NAMESPACE
    name, colon, tag = parts[-1].partition(":")
    tag = tag if colon else DEFAULT_TAG
    if not (_valid_part(host, _HOST_CHARS) and _valid_part(namespace, _NAME_CHARS)
            and _valid_part(name, _NAME_CHARS) and _valid_part(tag, _NAME_CHARS)):
        return None
    if digest and not _valid_part(digest.replace("sha256:", "", 1), _NAME_CHARS):
        return None
    return OllamaReference(host, namespace, name, tag, digest or None)


@dataclass(frozen=True)
class OllamaTag:
    """What an Ollama library tag pulled on a given date."""

    name: str
    """The library name (`deepseek-r1`)."""
    tag: str
    """The tag as written (`8b`, `latest`, `8b-q4_k_m`)."""
    model: str | None
    """Canonical id (Hugging Face repo id) of the upstream weights, when a source names them."""
    since: dt.date | None
    until: dt.date | None
    source: Source
    hosted: bool
    """A cloud tag: the model runs on Ollama's hosted service."""
    confidence: str
    external: bool
    """`model` is a Hugging Face id that is not in the catalog."""
    note: str | None = None
    service: str | None = None
    """For a cloud tag, the catalog service it runs on (`Catalog.services`), when recorded."""


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


class OllamaIndex:
    """Library name -> tag -> dated periods, indexed once."""

    def __init__(self, entries: dict[str, dict[str, Any]], origins: dict[str, str],
                 cloud_service: str | None = None) -> None:
        self._cloud_service = cloud_service
        self._tags: dict[str, dict[str, list[dict[str, Any]]]] = {}
        self.issues: list[Issue] = []
        for name in sorted(entries):
            tags = self._tags.setdefault(name, {})
            for index, period in enumerate(entries[name]["tags"]):
                for tag in period["tags"]:
                    clash = next((p for p in tags.get(tag, []) if _overlap(p, period)), None)
                    if clash is not None:
                        self.issues.append(Issue(
                            "ambiguous-ollama-tag", f"{name}:{tag} has two upstream models "
                            "in overlapping periods", Location(
                                origins.get(name, "catalog"), ("tags", index, "since")),
                            "give each period `since`/`until` dates that do not overlap"))
                        continue
                    tags.setdefault(tag, []).append(period)

    def find(self, reference: str, as_of: dt.date) -> OllamaTag | None:
        parsed = parse_ollama_reference(reference)
        if parsed is None or not parsed.is_library:
            return None
        tags = self._tags.get(parsed.name)
        if tags is None:
            return None
        periods = tags.get(parsed.tag)
        if periods is None:
            periods = tags.get(_QUANTIZATION.sub("", parsed.tag), [])
        for period in periods:
            since, until = _date(period.get("since")), _date(period.get("until"))
            if (since is None or since <= as_of) and (until is None or as_of < until):
                return OllamaTag(
                    name=parsed.name, tag=parsed.tag, model=period.get("model"),
                    since=since, until=until, source=Source.model_validate(period["source"]),
                    hosted=parsed.hosted, confidence=str(period.get("confidence") or "verified"),
                    external=bool(period.get("external")), note=period.get("note"),
                    service=self._cloud_service if parsed.hosted else None)
        return None


def _overlap(first: dict[str, Any], second: dict[str, Any]) -> bool:
    low = dt.date.min.isoformat()
    high = dt.date.max.isoformat()
    return (str(first.get("since") or low) < str(second.get("until") or high)
            and str(second.get("since") or low) < str(first.get("until") or high))
