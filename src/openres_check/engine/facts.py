"""Which facts exist: the fact paths a policy may read, derived from the data models.

The compiler uses this to reject a misspelt fact (`context.use.comercial`) with a "did you
mean" hint when a pack is loaded, instead of letting it silently read as unknown.
"""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from openres_check._loading import suggest

if TYPE_CHECKING:
    from openres_check.model.context import Context

__all__ = ["FactSchema", "context_facts"]


def _country(code: Any) -> Any:
    return code.split("-", 1)[0] if isinstance(code, str) else code


def context_facts(context: Context) -> dict[str, Any]:
    """Facts from a context, dumped once per run.

    Subdivision codes (JP-13, DE-BY) in regions and subject regions become their country, so
    that country lists match them; `organization.country` keeps the subdivision (a ban may be
    a US state's) and `organization.country_code` gives the country.
    """
    facts = context.model_dump(mode="json")
    organization = facts["organization"]
    organization["country_code"] = _country(organization.get("country"))
    deployment = facts["deployment"]
    deployment["provider_country"] = _country(deployment.get("provider_country"))
    for section, key in (("deployment", "regions"), ("data", "subject_regions")):
        values = facts[section].get(key)
        if isinstance(values, list):
            facts[section][key] = sorted({_country(v) for v in values})
    return facts


@cache
def _schemas() -> tuple[dict[str, Any], dict[str, Any]]:
    """The fact roots and item types as models. Built on first use: only a pack that is
    compiled from source (not from the cache) needs them."""
    from pydantic import BaseModel  # noqa: PLC0415

    from openres_check.model.context import Context, Organization  # noqa: PLC0415
    from openres_check.model.descriptor import (  # noqa: PLC0415
        LicenseFile,
        LineageLink,
        ModelDescriptor,
    )
    from openres_check.model.license import LicenseTerms  # noqa: PLC0415
    from openres_check.model.security import (  # noqa: PLC0415
        ArtifactFile,
        LockDrift,
        ModelReferenceFacts,
        SecurityIssue,
    )

    class TermFacts(LicenseTerms):
        """One effective term: a registry entry plus how it reached the model."""

        license: str
        """The registry id, or the raw license name when it is not recognised."""
        component: str
        """weights, code, ... of the model it was assigned to."""
        via: list[str]
        """The lineage path: the evaluated model first, the model that carries the license last."""
        relation: str
        """self, or the relation of the first lineage hop (finetune, distillation, ...)."""
        known: bool
        """False when the license is not in the registry: only `license` is then set."""
        inherited: bool
        carried_by_base: bool
        """The model's own term that a base it derives from carries as well: the model is
        then an adaptation of material under this license."""
        depth: int
        assignment_confidence: str


    class ChainLink(BaseModel):
        base: str
        relation: str
        depth: int
        resolved: bool
        via: list[str]
        inherits: bool
        license: str | None
        """The license of the base's weights, when the base is traced."""


    class DiscoveryFacts(BaseModel):
        """How a scan found the model (absent for models named on the command line)."""

        reference: str
        """The reference as written at its first location."""
        resolved: bool
        how: str
        """catalog, hf.co, provider, ollama-tag, ollama-cloud, hosted, gguf, safetensors,
        folder, ollama-store or unresolved."""
        hosted: bool
        note: str | None
        note_ja: str | None
        locations: list[str]
        """`path:line` of every place that refers to it."""


    class ModelFacts(ModelDescriptor):
        """A descriptor plus what the lineage stage derives from it."""

        effective_terms: list[TermFacts]
        lineage_chain: list[ChainLink]
        unresolved_bases: list[str]
        unknown_licenses: list[str]
        origin: str
        weights_license: str | None
        """The registry id of the license that covers the weights."""
        hf_tag_license: str | None
        """The registry id the card's `license:` tag alone points to (None for other/unknown)."""
        component_scopes: list[str]
        """The distinct commercial-use scopes of the model's own code and weights licenses."""
        mixed_component_scopes: bool
        declared_license: str | None
        """The registry id of what the card declares (`license` plus `license_name`)."""
        chain_publisher_countries: list[str] | None
        """Publisher countries of the model and every base; unknown when a base is untraced."""
        discovery: DiscoveryFacts | None


    class OrganizationFacts(Organization):
        country_code: str | None
        """The country part of `country` (US-TX gives US): what country lists are compared with."""


    class ContextFacts(Context):
        """The context as rules read it: region codes compared at country level."""

        organization: OrganizationFacts


    class RunFacts(BaseModel):
        as_of: str

    roots: dict[str, Any] = {"context": ContextFacts, "model": ModelFacts, "run": RunFacts}
    items: dict[str, Any] = {
        "model.effective_terms": TermFacts,
        "model.license_files": LicenseFile,
        "model.lineage": LineageLink,
        "model.lineage_chain": ChainLink,
        "model.security.issues": SecurityIssue,
        "model.security.files": ArtifactFile,
        "model.security.references": ModelReferenceFacts,
        "model.security.lock.drift": LockDrift,
    }
    return roots, items


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types an annotation may hold, without Optional and Annotated."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        found: list[Any] = []
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                found.extend(_unwrap(arg))
        return found
    return [annotation]


def _step(annotation: Any, part: str) -> list[Any] | None:
    """Types reachable from `annotation` through key `part`; None when the key is invalid."""
    if annotation is Any:
        return [Any]
    origin = typing.get_origin(annotation)
    if origin is dict:
        return _unwrap(typing.get_args(annotation)[1])
    if origin is list:
        return _unwrap(typing.get_args(annotation)[0]) if part.isdigit() else None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, info in annotation.model_fields.items():
            if part in (name, info.alias):
                return _unwrap(info.annotation)
        return None
    return None


def _keys(annotation: Any) -> list[str]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [info.alias or name for name, info in annotation.model_fields.items()]
    return []


class FactSchema:
    """Checks fact paths against the data models."""

    def __init__(self, params: dict[str, Any] | None = None) -> None:
        self.params = params or {}

    def item_type(self, collection: str, outer_item: str | None) -> str | None:
        """The item type a quantifier over `collection` binds, as a key for `check`."""
        items = _schemas()[1]
        if collection in items:
            return collection
        if collection.startswith("item.") and outer_item in items:
            return None
        return "scalar" if collection.startswith("context.") else None

    def check(self, fact: str, item_type: str | None) -> tuple[str, str | None] | None:
        """None when `fact` can exist; otherwise a message and a hint."""
        root, *parts = fact.split(".")
        if root == "params":
            if parts and parts[0] not in self.params:
                close = suggest(parts[0], self.params)
                return (f"unknown parameter {parts[0]!r}",
                        f"did you mean {close[0]!r}?" if close else "declare it under `params:`")
            return None
        if root == "item":
            if item_type is None:
                return None
            if item_type == "scalar":
                return None if not parts else (f"{fact!r}: the items here are plain values",
                                               "compare `item` itself")
            start: list[Any] = [_schemas()[1][item_type]]
        else:
            start = [_schemas()[0][root]]
        current = start
        walked = [root]
        for part in parts:
            following: list[Any] = []
            for annotation in current:
                got = _step(annotation, part)
                if got:
                    following.extend(got)
            if not following:
                choices = [k for a in current for k in _keys(a)]
                close = suggest(part, choices)
                where = ".".join(walked)
                hint = (f"did you mean {where}.{close[0]}?" if close
                        else f"{where} has: {', '.join(sorted(choices))}" if choices
                        else f"{where} holds a plain value")
                return f"unknown fact {fact!r}", hint
            current = following
            walked.append(part)
        return None
