"""Findings (DESIGN §4): values, never errors."""

from __future__ import annotations

from enum import Enum
from typing import Any, Literal

from pydantic import Field

from openres_check.model.common import Frozen, Reference
from openres_check.model.policy import Category, Severity

__all__ = ["Evidence", "Finding", "Status", "WaiverApplied"]


class Status(str, Enum):
    FAIL = "fail"
    REVIEW = "review"
    PASS = "pass"  # noqa: S105 - a status, not a password
    WAIVED = "waived"
    NOT_APPLICABLE = "not_applicable"


class Evidence(Frozen):
    fact: str
    value: Any = None
    source: str | None = None


class WaiverApplied(Frozen):
    approved_by: str
    expires: str
    reason: str
    ticket: str | None = None


class Finding(Frozen):
    rule_id: str
    policy_id: str
    model: str | None = Field(description="The model judged; null for a finding of the "
                              "deployment (scope `deployment`), which holds for every model.")
    scope: Literal["model", "deployment"] = Field(
        default="model", description="`deployment`: the rule reads only context, params and "
        "run facts, so it was judged once for the run and applies to every model (except "
        "those whose `deployment_except` names it).")
    status: Status
    severity: Severity
    category: Category
    title: str
    message: str
    evidence: list[Evidence] = Field(default_factory=list)
    obligation: str | None = None
    attestation: str | None = None
    remediation: str | None = None
    references: list[Reference] = Field(default_factory=list)
    via: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list, description="Facts that were unknown.")
    waiver: WaiverApplied | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: empty optional fields left out, `model` always there (null for a
        finding of the deployment)."""
        data = self.model_dump(mode="json", exclude_none=True)
        if self.model is None:
            data = {"rule_id": data.pop("rule_id"), "policy_id": data.pop("policy_id"),
                    "model": None, **data}
        return data
