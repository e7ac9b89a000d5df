"""Apply waivers: a named person accepts a finding until a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from openres_check.model.finding import Finding, Status, WaiverApplied
from openres_check.model.waiver import Waiver

__all__ = ["WaiverNote", "apply_waivers"]


@dataclass(frozen=True)
class WaiverNote:
    """What became of one waiver in this run."""

    waiver: Waiver
    state: str
    """applied, expired, unused or text-changed."""
    matched: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        w = self.waiver
        return {
            "rule": w.rule, "model": w.model, "state": self.state, "reason": w.reason,
            "approved_by": w.approved_by, "expires": w.expires.isoformat(),
            "ticket": w.ticket, "matched": list(self.matched),
        }


def _matches(waiver: Waiver, finding: Finding, aliases: dict[str, set[str]]) -> bool:
    if waiver.rule != finding.rule_id:
        return False
    if waiver.model is None:
        return True
    if finding.model is None:
        return False  # a waiver for one model; the model judges that rule on its own
    names = aliases.get(finding.model, {finding.model.lower()})
    return waiver.model.lower() in names


def apply_waivers(findings: Sequence[Finding], waivers: Sequence[Waiver], as_of: dt.date,
                  aliases: dict[str, set[str]],
                  license_hashes: dict[str, set[str]],
                  shared: Mapping[str, Sequence[str]] | None = None,
                  ) -> tuple[list[Finding], list[WaiverNote]]:
    """Turn covered `fail`/`review` findings into `waived`; report each waiver's fate.

    `shared` gives, by rule id, the models that take a finding of the deployment (one with no
    model), so that a note names the models such a waiver covered.
    """
    out = list(findings)
    notes = []
    for waiver in waivers:
        matched: list[str] = []
        state = "unused"
        for index, finding in enumerate(out):
            if finding.status not in (Status.FAIL, Status.REVIEW) or not _matches(
                    waiver, finding, aliases):
                continue
            names = ([finding.model] if finding.model is not None
                     else list((shared or {}).get(finding.rule_id, ())))
            matched.extend(names)
            if waiver.expires < as_of:
                state = "expired"
                continue
            pinned = waiver.license_text_sha256
            if pinned and (finding.model is None
                           or pinned not in license_hashes.get(finding.model, set())):
                state = "text-changed"
                continue
            state = "applied"
            out[index] = finding.model_copy(update={
                "status": Status.WAIVED.value,
                "waiver": WaiverApplied(approved_by=waiver.approved_by,
                                        expires=waiver.expires.isoformat(),
                                        reason=waiver.reason, ticket=waiver.ticket),
            })
        notes.append(WaiverNote(waiver, state, tuple(sorted(set(matched)))))
    return out, notes
