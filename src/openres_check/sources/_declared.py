"""Declared license names (a card's tag, a BOM's entries) as license assignments.

A name the registry knows maps to its entry. An SPDX expression is split into its licenses,
each assigned to the weights: with AND every license applies, and with OR every alternative is
checked until a descriptor names the one in use, so a choice never hides a restriction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from openres_check.licenses import split_expression
from openres_check.model.common import Confidence, Source
from openres_check.model.descriptor import LicenseAssignment

if TYPE_CHECKING:
    from openres_check.licenses import LicenseRegistry

__all__ = ["declared_assignments", "weights_component"]


def weights_component(index: int) -> str:
    """`weights` for the first license that covers the weights, `weights:2`… for the rest."""
    return "weights" if index == 0 else f"weights:{index + 1}"


def declared_assignments(names: Sequence[str], registry: LicenseRegistry, source: Source,
                         unknown_note: str) -> dict[str, LicenseAssignment]:
    found: list[tuple[str, bool, str | None]] = []
    for name in names:
        resolved = registry.resolve(name)
        split = None if resolved else split_expression(name)
        if resolved or split is None:
            found.append((resolved or name, bool(resolved), None if resolved else unknown_note))
            continue
        parts, offers_choice = split
        how = ("one alternative of" if offers_choice else "part of")
        for part in parts:
            part_id = registry.resolve(part.name)
            notes = [f"{how} the expression {name!r}"]
            if part.exception:
                notes.append(f"with the exception {part.exception!r}")
            if not part_id:
                notes.append(unknown_note)
            found.append((part_id or part.name, bool(part_id), "; ".join(notes)))
    assignments: dict[str, LicenseAssignment] = {}
    seen: set[str] = set()
    for license_id, known, note in found:
        if license_id in seen:
            continue
        seen.add(license_id)
        assignments[weights_component(len(assignments))] = LicenseAssignment(
            license=license_id, source=source, note=note,
            confidence=Confidence.VERIFIED if known else Confidence.UNVERIFIED)
    return assignments
