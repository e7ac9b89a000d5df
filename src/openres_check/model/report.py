"""The JSON report document (DESIGN §5), as a schema for consumers."""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import Field

from openres_check.model.common import Count, Flag, Frozen
from openres_check.model.finding import Finding

__all__ = ["ReportDocument"]


class ToolInfo(Frozen):
    name: str
    version: str


class PolicyInfo(Frozen):
    id: str
    version: str
    sha256: str


class LineageEntry(Frozen):
    base: str
    relation: str
    resolved: Flag
    depth: Count


class EffectiveTermEntry(Frozen):
    license: str
    component: str
    known: Flag
    via: list[str]


class LicenseFileEntry(Frozen):
    path: str
    sha256: str
    role: str
    identified: str | None = None
    confidence: str


class Decision(str, Enum):
    """May the model be used as declared, with the run's gate flags (--fail-on, --strict)?"""

    USABLE = "usable"
    CONDITIONAL = "conditional"
    BLOCKED = "blocked"


class VerdictDoc(Frozen):
    """`usable`: nothing open. `conditional`: usable once the open fail/review items are done.
    `blocked`: a finding fails the gate, so it may not be used as declared."""

    decision: Decision
    open_items: Count = Field(description="Fail and review findings of the model.")
    deciding: list[str] = Field(
        description="Rule ids of the deciding findings: those failing the gate when "
        "blocked, else the open ones.")


class CodeLocation(Frozen):
    """Where a scan found a model: relative to the scanned root."""

    path: str
    line: Count
    column: Count
    text: str
    attributes: dict[str, str] = Field(
        default_factory=dict, description="What the code says beside the reference: "
        "revision, trust_remote_code, code_revision, base_url, provider, quant, and the "
        "reference as written when it differs from the model id.")


class ModelInfo(Frozen):
    id: str
    source: str
    licenses: dict[str, str]
    lineage: list[LineageEntry]
    effective_terms: list[EffectiveTermEntry]
    license_files: list[LicenseFileEntry] = Field(default_factory=list)
    verdict: VerdictDoc = Field(description="Decided on the model's own findings and the "
                                "deployment findings that apply to it.")
    deployment_except: list[str] = Field(
        default_factory=list, description="Rule ids of the deployment findings that do not "
        "apply to this model: it judged those rules on its own (a waiver names it for them, "
        "or its context differs), and its own findings for them are in `findings`; or their "
        "pack did not judge it (a reference a scan could not resolve).")
    locations: list[CodeLocation] = Field(default_factory=list,
                                          description="Where a scan found the model.")


class Summary(Frozen):
    fail: Count
    review: Count
    pass_: Count = Field(alias="pass")
    waived: Count
    not_applicable: Count


class DeploymentDoc(Frozen):
    """The findings of the rules that read only the deployment (context, parameters, run date):
    each judged once and listed once in `findings`, with `model` null and `scope`
    `deployment`. Each applies to every model except those whose `deployment_except` names it."""

    summary: Summary = Field(description="The deployment findings' statuses.")
    rules: list[str] = Field(description="Their rule ids, in the order of `findings`.")


class WaiverNoteDoc(Frozen):
    rule: str
    model: str | None
    state: str
    reason: str
    approved_by: str
    expires: str
    ticket: str | None
    matched: list[str]


class ReportDocument(Frozen):
    schema_version: str
    tool: ToolInfo
    as_of: str
    lang: str
    context: dict[str, Any]
    policies: list[PolicyInfo]
    models: list[ModelInfo]
    findings: list[Finding] = Field(description="Every finding once, by model, severity and "
                                    "rule id; the deployment's after every model's.")
    summary: Summary = Field(description="The statuses of `findings`, each counted once.")
    deployment: DeploymentDoc
    waivers: list[WaiverNoteDoc] = Field(default_factory=list)
