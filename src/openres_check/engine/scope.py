"""What a compiled condition reads from: the facts of one model, one context and one item."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ABSENT", "MISSING", "Read", "Scope", "lookup"]


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()
"""A fact nobody recorded: comparisons on it are unknown."""


class _Absent:
    __slots__ = ()

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False


ABSENT: Any = _Absent()
"""A fact known not to exist: a complete license entry has no such clause. Comparisons on it
are definitely false (`not_equals` true), never unknown."""

COMPLETE = "_complete"
"""Marks a mapping whose absent keys are ABSENT rather than MISSING."""


@dataclass(slots=True)
class Read:
    """One fact read during evaluation: the evidence trail.

    Where the fact came from (source, confidence) is worked out only when a finding needs it,
    so evaluations that pass cost no more than the lookup itself.
    """

    root: str
    parts: tuple[str, ...]
    value: Any
    item_label: str | None
    base: Any
    fallback: str | None

    def provenance(self) -> tuple[str | None, str | None]:
        """(source, confidence) of this fact: the nearest enclosing ones along its path."""
        _value, source, confidence = lookup(self.base, self.parts)
        return source or self.fallback, confidence


@dataclass(slots=True)
class Scope:
    """The facts visible to one rule evaluation, and what the evaluation read."""

    roots: dict[str, Any]
    sources: dict[str, str | None]
    reads: list[Read] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    item_label: str | None = None
    bound: dict[str, Any] = field(default_factory=dict)
    """The item a quantifier matched, kept for the message and the `via` path."""
    matches: list[dict[str, Any]] | None = None
    """When a list, `some` goes on past its first match and collects every matching item
    here (each license in a chain that owes an obligation); None stops at the first."""

    def peek(self, root: str, parts: tuple[str, ...]) -> Any:
        """Read a fact without recording it as evidence (e.g. a quantifier's collection)."""
        return value_at(self.roots.get(root), parts)

    def read(self, root: str, parts: tuple[str, ...]) -> Any:
        base = self.roots.get(root)
        value = value_at(base, parts)
        label = self.item_label if root == "item" else None
        self.reads.append(Read(root, parts, value, label, base, self.sources.get(root)))
        return value


def value_at(base: Any, parts: tuple[str, ...]) -> Any:
    """The value at `parts` (or MISSING / ABSENT): `lookup` without the provenance."""
    value = base
    nothing = MISSING
    for part in parts:
        if isinstance(value, dict):
            if nothing is MISSING and value.get(COMPLETE):
                nothing = ABSENT
            value = value.get(part, nothing)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return nothing
        if value is None:
            return nothing
    return value


def lookup(base: Any, parts: tuple[str, ...]) -> tuple[Any, str | None, str | None]:
    """Follow `parts` through nested mappings.

    Returns the value (or MISSING), the nearest enclosing source (url and section), and the
    nearest enclosing confidence, so that evidence cites the clause a fact came from.
    """
    value = base
    source: str | None = None
    confidence: str | None = None
    nothing = MISSING
    for part in parts:
        if isinstance(value, dict):
            source = _source_of(value) or source
            confidence = _weakest(confidence, value.get("confidence"))
            if value.get(COMPLETE):
                nothing = ABSENT
            value = value.get(part, nothing)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return nothing, source, confidence
        if value is None:
            return nothing, source, confidence
    if isinstance(value, dict):
        source = _source_of(value) or source
        confidence = _weakest(confidence, value.get("confidence"))
    return value, source, confidence


_STRENGTH = {"verified": 2, "secondary": 1, "unverified": 0}


def _weakest(current: str | None, new: Any) -> str | None:
    """Confidence along a path is that of its weakest link."""
    if not isinstance(new, str) or new not in _STRENGTH:
        return current
    if current is None or _STRENGTH[new] < _STRENGTH[current]:
        return new
    return current


def _source_of(mapping: dict[str, Any]) -> str | None:
    src = mapping.get("source")
    if isinstance(src, dict) and "url" in src:
        section = src.get("section")
        return f"{src['url']} §{section}" if section else str(src["url"])
    sources = mapping.get("sources")
    if isinstance(sources, list) and sources and isinstance(sources[0], dict):
        return str(sources[0].get("url"))
    return None
