"""Lineage: follow base-model chains and compute the effective terms a model carries.

A fine-tune, distillation, merge, quantization or adapter carries its bases' obligations.
`DeepSeek-R1-Distill-Llama-70B` is MIT on its card, but it is built on Llama 3.3, so its
effective terms are MIT *and* the Llama 3.3 license, the latter `via` its base.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from openres_check.catalog import Catalog
from openres_check.errors import InputError, Issue, Location
from openres_check.model.descriptor import LineageLink, ModelDescriptor

__all__ = ["MAX_DEPTH", "ResolvedModel", "resolve_model"]

MAX_DEPTH = 16
_STRENGTH = {"verified": 2, "secondary": 1, "unverified": 0}

BaseResolver = Callable[[str], "tuple[ModelDescriptor, str] | None"]


@dataclass
class ResolvedModel:
    """A descriptor with its lineage followed: the facts the engine reads."""

    descriptor: ModelDescriptor
    origin: str
    facts: dict[str, Any] = field(default_factory=dict)
    reference: str | None = None
    """The reference the user gave (an alias, a path), when it was resolved from one."""
    context_override: dict[str, Any] | None = None
    """Context facts that hold for this model only, over the run's context: a hosted API
    found by a scan is judged as `deployment.mode: vendor-api` whatever the context says."""
    context_note: str | None = None
    """Where the override comes from, for the evidence of the facts it sets."""

    @property
    def id(self) -> str:
        return self.descriptor.id


def _weaker(a: str, b: str) -> str:
    return a if _STRENGTH.get(a, 2) <= _STRENGTH.get(b, 2) else b


def _covers_weights(component: str) -> bool:
    return component == "weights" or component.startswith(("weights:", "file:"))


def _license_summary(descriptor: ModelDescriptor, catalog: Catalog,
                     terms: list[dict[str, Any]]) -> dict[str, Any]:
    """Facts about the model's own licenses: what covers the weights, what the Hub tag says."""
    registry = catalog.licenses
    weights = descriptor.licenses.get("weights") or next(iter(descriptor.licenses.values()), None)
    card = descriptor.hf_license or {}
    tag = card.get("license")
    scopes = sorted({
        str(t["commercial_use"]["scope"]) for t in terms
        if not t["inherited"] and t["known"] and t.get("commercial_use")
        and (t["component"] == "code" or _covers_weights(t["component"]))
    })
    summary: dict[str, Any] = {
        "weights_license": (registry.resolve(weights.license) or weights.license)
        if weights else None,
        "hf_tag_license": registry.resolve_card(tag, None),
        "declared_license": registry.resolve_card(tag, card.get("license_name")),
        "component_scopes": scopes,
        "mixed_component_scopes": len(scopes) > 1,
    }
    return summary


def _chain_summary(descriptor: ModelDescriptor, bases: list[ModelDescriptor],
                   incomplete: bool) -> dict[str, Any]:
    """Facts that travel with the weights through the lineage."""
    countries = {m.publisher.country for m in (descriptor, *bases) if m.publisher.country}
    modalities = list(descriptor.modalities)
    if not modalities:
        # A derivative that does not say otherwise has its base's modalities.
        modalities = next((list(b.modalities) for b in bases if b.modalities), [])
    return {
        # Unknown when a base is untraced: its publisher may be anywhere.
        "chain_publisher_countries": None if incomplete else sorted(countries),
        "modalities": modalities or None,
    }


@dataclass
class _Walk:
    """One walk down a model's lineage, collecting terms and the chain."""

    catalog: Catalog
    origin: str
    resolve_base: BaseResolver | None
    terms: list[dict[str, Any]] = field(default_factory=list)
    chain: list[dict[str, Any]] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    bases: list[ModelDescriptor] = field(default_factory=list)
    _seen: set[tuple[str, str]] = field(default_factory=set)
    _walked: set[str] = field(default_factory=set)

    def find(self, reference: str) -> tuple[ModelDescriptor, str] | None:
        entry = self.catalog.find(reference)
        if entry is not None:
            return entry.descriptor, entry.origin
        return self.resolve_base(reference) if self.resolve_base else None

    def add_terms(self, model: ModelDescriptor, via: list[str], relation: str,
                  own: bool) -> None:
        components = model.licenses
        if not own:
            # A derivative inherits what covers its base's weights, not the base's code.
            carried = {k: v for k, v in components.items() if _covers_weights(k)}
            components = carried or components
        for component, assignment in sorted(components.items()):
            key = (assignment.license, component if own else "weights")
            if key in self._seen:
                if not own:
                    # The model and a base it derives from share this license: the model
                    # is an adaptation of material under it (a quantization of a CC BY-ND
                    # model is one, even with the same tag).
                    for term in self.terms:
                        if (term["license"] == (self.catalog.licenses.resolve(
                                assignment.license) or assignment.license)
                                and not term["inherited"]):
                            term["carried_by_base"] = True
                continue
            self._seen.add(key)
            license_id = self.catalog.licenses.resolve(assignment.license)
            extra = {
                "license": license_id or assignment.license,
                "component": component,
                "via": list(via),
                "relation": relation,
                "inherited": not own,
                "carried_by_base": False,
                "depth": len(via) - 1,
                "assignment_confidence": assignment.confidence,
            }
            if license_id is None:
                self.unknown.append(assignment.license)
                self.terms.append({**extra, "known": False, "confidence": assignment.confidence,
                                   "source": assignment.source.model_dump(mode="json")})
                continue
            registry = self.catalog.licenses.facts(license_id)
            confidence = _weaker(registry.get("confidence", "verified"), assignment.confidence)
            # A verified registry entry records every clause it has: an absent clause is
            # absent from the license, not unknown. Unverified entries stay open.
            self.terms.append({**registry, **extra, "known": True, "confidence": confidence,
                               "_complete": confidence != "unverified"})

    def untraced(self, link: LineageLink, via: list[str]) -> None:
        self.unresolved.append(link.base)
        if link.inherit_terms:
            # Unknown never passes: an untraced base carries terms nobody knows.
            self.terms.append({
                "license": f"unknown terms of {link.base}", "component": "weights",
                "via": [*via, link.base], "relation": str(link.relation),
                "inherited": True, "carried_by_base": False, "depth": len(via), "known": False,
                "assignment_confidence": "unverified", "confidence": "unverified",
            })

    def visit(self, model: ModelDescriptor, via: list[str], relation: str, own: bool) -> None:
        self.add_terms(model, via, relation, own)
        for link in model.lineage:
            if len(via) > MAX_DEPTH:
                raise InputError("lineage too deep", [Issue(
                    "lineage-depth", f"the chain {' -> '.join(via)} is deeper than "
                    f"{MAX_DEPTH} models", Location(self.origin, ("lineage",)),
                    "check the base_model entries for a loop")])
            found = self.find(link.base)
            base_weights = (found[0].licenses.get("weights") if found else None)
            self.chain.append({"base": found[0].id if found else link.base,
                               "relation": link.relation, "depth": len(via),
                               "resolved": found is not None, "via": list(via),
                               "inherits": link.inherit_terms, "note": link.note,
                               "license": self.catalog.licenses.resolve(base_weights.license)
                               or base_weights.license if base_weights else None})
            if found is None:
                self.untraced(link, via)
                continue
            base = found[0]
            if base.id in via:
                raise InputError(f"lineage cycle at {base.id}", [Issue(
                    "lineage-cycle", f"{' -> '.join([*via, base.id])} returns to a model "
                    "already on the path", Location(self.origin, ("lineage",)),
                    "remove the base that points back")])
            if base.id in self._walked:
                # A base reached again through another parent adds nothing new; walking it
                # again would make a DAG of repeated bases exponential.
                continue
            self.bases.append(base)
            if link.inherit_terms:
                self._walked.add(base.id)
                self.visit(base, [*via, base.id], str(link.relation if own else relation),
                           own=False)


def resolve_model(descriptor: ModelDescriptor, origin: str, catalog: Catalog,
                  resolve_base: BaseResolver | None = None) -> ResolvedModel:
    """Follow the lineage of `descriptor` through the catalog (and `resolve_base`, for paths).

    Raises `InputError` for a lineage cycle or a chain deeper than `MAX_DEPTH`.
    """
    walk = _Walk(catalog, origin, resolve_base)
    walk.visit(descriptor, [descriptor.id], "self", own=True)
    facts = descriptor.model_dump(mode="json", by_alias=True)
    facts.update(_license_summary(descriptor, catalog, walk.terms))
    facts.update(_chain_summary(descriptor, walk.bases, bool(walk.unresolved)))
    facts.update({
        "effective_terms": walk.terms,
        "lineage_chain": walk.chain,
        "unresolved_bases": walk.unresolved,
        "unknown_licenses": sorted(set(walk.unknown)),
        "origin": origin,
    })
    return ResolvedModel(descriptor=descriptor, origin=origin, facts=facts)
