"""The compact bulk format of `check --inventory` (one JSON document per line), as a schema."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, RootModel
from pydantic.json_schema import SkipJsonSchema

from openres_check.model.common import Count, Flag, Frozen
from openres_check.model.finding import Finding
from openres_check.model.report import PolicyInfo, ToolInfo

__all__ = ["BulkLine"]


class RuleText(Frozen):
    policy: str
    severity: str
    category: str
    scope: Literal["model", "deployment"] = Field(
        description="deployment: the rule reads only context, params and run facts, so it is "
        "decided once per run and reported under `deployment`.")
    title: dict[str, str]
    message: dict[str, str] = Field(description="The message template, per language.")


class DeploymentFinding(Finding):
    """A finding of a deployment-scoped rule: the same for every model, so without one."""

    # Absent: the finding holds for every model; the run line's `rules` give each scope.
    model: str | None = None
    scope: SkipJsonSchema[Literal["model", "deployment"]] = Field(default="deployment",
                                                                   exclude=True)


class RunLine(Frozen):
    type: Literal["run"]
    schema_version: Count
    tool: ToolInfo
    as_of: str
    lang: str
    policies: list[PolicyInfo]
    rules: dict[str, RuleText]
    context: dict[str, Any]
    deployment: list[DeploymentFinding]
    deployment_summary: dict[str, Count]


class DecidingFact(Frozen):
    fact: str | None = Field(default=None, description="The fact that decided the rule.")
    value: Any = Field(default=None, description="Its value, for a short model fact.")


class ReasonsLine(Frozen):
    type: Literal["reasons"]
    id: str
    fail: dict[str, DecidingFact] = Field(default_factory=dict)
    review: dict[str, DecidingFact] = Field(default_factory=dict)


class ModelLine(Frozen):
    type: Literal["model"]
    model: str
    verdict: Literal["pass", "conditional", "fail"]
    gate: Flag = Field(description="True when this model makes the exit status 1.")
    licenses: list[str]
    counts: dict[str, Count]
    fail: list[str] = Field(default_factory=list)
    review: list[str] = Field(default_factory=list)
    waived: list[str] = Field(default_factory=list)
    reasons: str = Field(description="The id of the reasons line written before this one.")


class BulkLine(RootModel[RunLine | ReasonsLine | ModelLine]):
    """One line of `check --inventory` output in the default compact format."""
