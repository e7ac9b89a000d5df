"""Policy packs and rules: the judgements, written as data."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from pydantic import Field, WithJsonSchema, model_validator

from openres_check.model.common import Confidence, Frozen, IsoDate, Localized, Reference

__all__ = [
    "CONDITION_SCHEMA",
    "Category",
    "Condition",
    "Effective",
    "PolicyPack",
    "Rule",
    "Severity",
]


class Severity(str, Enum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self.value]


_SEVERITY_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}


class Category(str, Enum):
    LICENSE = "license"
    COMMERCIAL_USE = "commercial-use"
    USE_RESTRICTION = "use-restriction"
    ATTRIBUTION = "attribution"
    OUTPUT_USE = "output-use"
    TERRITORY = "territory"
    LINEAGE = "lineage"
    DATA_PROTECTION = "data-protection"
    REGULATION = "regulation"
    PROVENANCE = "provenance"
    SECURITY = "security"


_FACT_REF = {
    "type": "object",
    "properties": {
        "fact": {"type": "string"},
        "times": {"type": "number"},
    },
    "required": ["fact"],
    "additionalProperties": False,
}
_SET_REF = {
    "type": "object",
    "properties": {"set": {"type": "string"}},
    "required": ["set"],
    "additionalProperties": False,
}
_OPERAND = {"anyOf": [{"$ref": "#/$defs/FactRef"}, {"$ref": "#/$defs/SetRef"},
                      {"not": {"type": "object"}}]}
_FACT_PATTERN = r"^(model|context|item|params|run)(\.[A-Za-z0-9_-]+)*$"
_COMPARISON_KEYS = ("equals", "not_equals", "in", "contains", "intersects", "gt", "gte", "lt",
                    "lte", "version", "matches")

CONDITION_SCHEMA: dict[str, Any] = {
    "description": "A condition tree: all / any / not / some / every over fact comparisons.",
    "oneOf": [
        {"type": "object", "properties": {"all": {"type": "array",
                                                  "items": {"$ref": "#/$defs/Condition"}}},
         "required": ["all"], "additionalProperties": False},
        {"type": "object", "properties": {"any": {"type": "array",
                                                  "items": {"$ref": "#/$defs/Condition"}}},
         "required": ["any"], "additionalProperties": False},
        {"type": "object", "properties": {"not": {"$ref": "#/$defs/Condition"}},
         "required": ["not"], "additionalProperties": False},
        {"type": "object",
         "properties": {"some": {"$ref": "#/$defs/Quantifier"}},
         "required": ["some"], "additionalProperties": False},
        {"type": "object",
         "properties": {"every": {"$ref": "#/$defs/Quantifier"}},
         "required": ["every"], "additionalProperties": False},
        {"type": "object",
         "properties": {
             "fact": {"type": "string", "pattern": _FACT_PATTERN},
             "exists": {"type": "boolean"},
             **dict.fromkeys(_COMPARISON_KEYS, _OPERAND),
         },
         "required": ["fact"], "minProperties": 2, "maxProperties": 2,
         "additionalProperties": False},
        {"type": "boolean"},
    ],
}
QUANTIFIER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"in": {"type": "string"}, "where": {"$ref": "#/$defs/Condition"}},
    "required": ["in", "where"],
    "additionalProperties": False,
}

Condition = Annotated[
    Any,
    # Replaced by {"$ref": "#/$defs/Condition"} when the schema is generated (_schemas.py).
    WithJsonSchema({"x-openres-condition": True}),
]


class Effective(Frozen):
    """The period in which a rule applies (e.g. an obligation that starts on a date)."""

    from_: IsoDate | None = Field(default=None, alias="from")
    until: IsoDate | None = None
    source: str | None = Field(default=None, description="Why this date, when disputed.")


class RuleDocs(Frozen):
    """The rule's documentation, shown by `explain` and in docs/rules."""

    why: Localized | None = None
    example: Localized | None = None


class Rule(Frozen):
    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
    name: str | None = Field(default=None, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    category: Category
    severity: Severity
    title: Localized
    description: Localized | None = Field(default=None, description="What the rule checks.")
    applies: Condition | None = Field(
        default=None, description="When false the rule is not_applicable; when unknown, review."
    )
    fails: Condition | None = Field(default=None, description="When true, the rule fails.")
    review: Condition | None = Field(
        default=None, description="When true, a human must look: the rule yields review."
    )
    obligation: Localized | None = Field(
        default=None,
        description="Makes the rule a checklist item: it stays review until the context "
        "attests it under `attestations.<rule id>`.",
    )
    message: Localized = Field(description="Shown when the rule fails or needs review.")
    pass_message: Localized | None = None
    remediation: Localized | None = None
    references: list[Reference] = Field(default_factory=list)
    effective: Effective | None = None
    confidence: Confidence = Field(
        default=Confidence.VERIFIED,
        description="The weakest confidence of the facts the rule rests on. An unverified "
        "rule never fails; it yields review.",
    )
    docs: RuleDocs | None = None

    @model_validator(mode="after")
    def _one_outcome(self) -> Rule:
        if (self.fails is None) == (self.review is None):
            msg = "a rule needs exactly one of `fails` or `review`"
            raise ValueError(msg)
        return self


class PolicyPack(Frozen):
    pack: str = Field(pattern=r"^[a-z0-9]+([._-][a-z0-9]+)*$")
    version: str
    requires: str | None = Field(
        default=None, description="A version specifier the tool must satisfy, e.g. '>=0.1'."
    )
    title: Localized
    description: Localized | None = None
    sets: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Named lists, used as `in: {set: NAME}` (e.g. EU member states).",
    )
    params: dict[str, Any] = Field(
        default_factory=dict,
        description="Switchable parameters, read as facts `params.NAME` (e.g. disputed dates).",
    )
    choices: dict[str, list[Any]] = Field(
        default_factory=dict,
        description="The values a parameter may take; an override outside them is an error.",
    )
    rules: list[Rule] = Field(min_length=1)
