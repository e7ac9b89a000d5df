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
from openres_check.model.descriptor import ModelDescriptor

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

    @property
    def id(self) -> str:
        return self.descriptor.id


def _weaker(a: str, b: str) -> str:
    return a if _STRENGTH.get(a, 2) <= _STRENGTH.get(b, 2) else b


def _license_summary(descriptor: ModelDescriptor, catalog: Catalog,
                     terms: list[dict[str, Any]]) -> dict[str, Any]:
    """Facts about the model's own licenses: what covers the weights, what the Hub tag says."""
    registry = catalog.licenses
    weights = descriptor.licenses.get("weights") or next(iter(descriptor.licenses.values()), None)
    tag = (descriptor.hf_license or {}).get("license")
    scopes = sorted({
        str(t["commercial_use"]["scope"]) for t in terms
        if not t["inherited"] and t["known"] and t.get("commercial_use")
        and t["component"] in ("weights", "code")
    })
    summary: dict[str, Any] = {
        "weights_license": (registry.resolve(weights.license) or weights.license)
        if weights else None,
        "hf_tag_license": registry.resolve_card(tag, None),
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


def resolve_model(descriptor: ModelDescriptor, origin: str, catalog: Catalog,
                  resolve_base: BaseResolver | None = None) -> ResolvedModel:
    """Follow the lineage of `descriptor` through the catalog (and `resolve_base`, for paths).

    Raises `InputError` for a lineage cycle or a chain deeper than `MAX_DEPTH`.
    """
    terms: list[dict[str, Any]] = []
    chain: list[dict[str, Any]] = []
    unresolved: list[str] = []
    unknown: list[str] = []
    seen_terms: set[tuple[str, str]] = set()
    chain_models: list[ModelDescriptor] = []

    def find(reference: str) -> tuple[ModelDescriptor, str] | None:
        entry = catalog.find(reference)
        if entry is not None:
            return entry.descriptor, entry.origin
        return resolve_base(reference) if resolve_base else None

    def visit(model: ModelDescriptor, via: list[str], relation: str, own: bool) -> None:
        components = model.licenses
        if not own and "weights" in components:
            components = {"weights": components["weights"]}
        for component, assignment in sorted(components.items()):
            key = (assignment.license, component if own else "weights")
            if key in seen_terms:
                continue
            seen_terms.add(key)
            license_id = catalog.licenses.resolve(assignment.license)
            extra = {
                "license": license_id or assignment.license,
                "component": component,
                "via": list(via),
                "relation": relation,
                "inherited": not own,
                "depth": len(via) - 1,
                "assignment_confidence": assignment.confidence,
            }
            if license_id is None:
                unknown.append(assignment.license)
                terms.append({**extra, "known": False, "confidence": assignment.confidence,
                              "source": assignment.source.model_dump(mode="json")})
                continue
            registry = catalog.licenses.facts(license_id)
            confidence = _weaker(registry.get("confidence", "verified"), assignment.confidence)
            # A verified registry entry records every clause it has: an absent clause is
            # absent from the license, not unknown. Unverified entries stay open.
            complete = confidence != "unverified"
            terms.append({**registry, **extra, "known": True, "confidence": confidence,
                          "_complete": complete})
        for link in model.lineage:
            if len(via) > MAX_DEPTH:
                raise InputError("lineage too deep", [Issue(
                    "lineage-depth", f"the chain {' -> '.join(via)} is deeper than "
                    f"{MAX_DEPTH} models", Location(origin, ("lineage",)),
                    "check the base_model entries for a loop")])
            found = find(link.base)
            chain.append({"base": found[0].id if found else link.base,
                          "relation": link.relation, "depth": len(via),
                          "resolved": found is not None, "via": list(via),
                          "inherits": link.inherit_terms})
            if found is None:
                unresolved.append(link.base)
                if link.inherit_terms:
                    # Unknown never passes: an untraced base carries terms nobody knows.
                    terms.append({
                        "license": f"unknown terms of {link.base}", "component": "weights",
                        "via": [*via, link.base], "relation": str(link.relation),
                        "inherited": True, "depth": len(via), "known": False,
                        "assignment_confidence": "unverified", "confidence": "unverified",
                    })
                continue
            base, _base_origin = found
            if not link.inherit_terms:
                continue
            if base.id in via:
                raise InputError(f"lineage cycle at {base.id}", [Issue(
                    "lineage-cycle", f"{' -> '.join([*via, base.id])} returns to a model "
                    "already on the path", Location(origin, ("lineage",)),
                    "remove the base that points back")])
            first_relation = link.relation if own else relation
            chain_models.append(base)
            visit(base, [*via, base.id], str(first_relation), own=False)

    visit(descriptor, [descriptor.id], "self", own=True)
    facts = descriptor.model_dump(mode="json", by_alias=True)
    facts.update(_license_summary(descriptor, catalog, terms))
    facts.update(_chain_summary(descriptor, chain_models, bool(unresolved)))
    facts.update({
        "effective_terms": terms,
        "lineage_chain": chain,
        "unresolved_bases": unresolved,
        "unknown_licenses": sorted(set(unknown)),
        "origin": origin,
    })
    return ResolvedModel(descriptor=descriptor, origin=origin, facts=facts)
