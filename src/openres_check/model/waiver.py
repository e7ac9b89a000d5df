"""Waivers: a named person accepts a finding until a date."""

from __future__ import annotations

from pydantic import Field

from openres_check.model.common import Frozen, IsoDate, NonBlank

__all__ = ["Waiver", "WaiverFile"]


class Waiver(Frozen):
    rule: NonBlank = Field(description="The rule id the waiver covers.")
    model: str | None = Field(default=None, description="Limit it to one model; all if absent.")
    reason: NonBlank
    approved_by: NonBlank
    expires: IsoDate
    ticket: str | None = None
    license_text_sha256: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{64}$",
        description="Pin the waiver to one license text: it stops applying when the text changes.",
    )


class WaiverFile(Frozen):
    waivers: list[Waiver] = Field(default_factory=list)
