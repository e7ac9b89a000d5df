"""A model descriptor: cited facts about one model release (or platform)."""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from openres_check.model.common import (
    Amount,
    Confidence,
    Count,
    CountryCode,
    Flag,
    Frozen,
    IsoDate,
    Number,
    Source,
)
from openres_check.model.security import SecurityFacts
from openres_check.model.service import ServiceId

__all__ = [
    "HostedService",
    "LicenseAssignment",
    "LicenseChange",
    "LicenseFile",
    "LineageLink",
    "ModelDescriptor",
    "ModelKind",
    "Publisher",
    "Relation",
]


class ModelKind(str, Enum):
    MODEL = "model"
    PLATFORM = "platform"


class Relation(str, Enum):
    """How a model is built on another.

    `trained-on-outputs` names a model whose outputs (synthetic data) trained this one, while
    its weights are not a base: the Gemma Terms (1.1(e)) and the DeepSeek License count such a
    model as a derivative, so with `inherit_terms` the teacher's terms carry; where the
    teacher's license does not reach the student, set `inherit_terms: false`. The teacher still
    counts among the chain's publishers, since its outputs shaped the model's answers.
    """

    FINETUNE = "finetune"
    DISTILLATION = "distillation"
    MERGE = "merge"
    QUANTIZATION = "quantization"
    ADAPTER = "adapter"
    TRAINED_ON_OUTPUTS = "trained-on-outputs"


class Publisher(Frozen):
    name: str
    country: CountryCode | None = None


class LicenseAssignment(Frozen):
    """Which license covers a component (weights, code, ...), and where that is stated."""

    license: str = Field(description="A registry id, or a raw name when it is not recognised.")
    source: Source
    confidence: Confidence = Confidence.VERIFIED
    note: str | None = None


class LineageLink(Frozen):
    base: str = Field(description="The base model's canonical id (or a path, from a card).")
    relation: Relation
    inherit_terms: Flag = Field(
        default=True,
        description="False when the base's licensor itself released this model under other "
        "terms (e.g. DeepSeek-R1, MIT, trained from DeepSeek-V3-Base): its terms do not carry.",
    )
    source: Source | None = None
    confidence: Confidence = Confidence.VERIFIED
    note: str | None = None


class HostedService(Frozen):
    """The publisher's own hosted service (vendor API) and what its terms say."""

    name: str
    operator: str
    country: CountryCode
    data_location: list[CountryCode] = Field(description="Where inputs are stored or processed.")
    governing_law: str | None = None
    trains_on_inputs: Flag | None = Field(
        default=None, description="Whether the operator may use inputs to train its models."
    )
    opt_out: Flag | None = None
    terms_url: str | None = None
    privacy_url: str | None = None
    source: Source
    confidence: Confidence = Confidence.VERIFIED
    note: str | None = None
    service: str | None = Field(
        default=None, description="The catalog service (catalog/services) these facts come "
        "from, where they do.")


class LicenseChange(Frozen):
    """A license the release was under for a period, before or after a change."""

    license: str
    component: str = "weights"
    until: IsoDate | None = None
    since: IsoDate | None = None
    note: str | None = None
    source: Source


class LicenseFile(Frozen):
    """A license-like file shipped with a model, and what its text was identified as."""

    path: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="Of the file's bytes.")
    role: str = Field(description="weights, code, policy (acceptable use) or notice.")
    identified: str | None = Field(default=None, description="Registry id, when identified.")
    confidence: str = Field(description="exact, high, modified, ambiguous or none.")
    matched: list[str] = Field(default_factory=list, description="Phrases that matched.")
    candidates: list[str] = Field(
        default_factory=list, description="Ties when ambiguous; closest registry texts otherwise.")
    modified_from: str | None = Field(
        default=None, description="For `modified`: the registry license the text starts from; "
        "the text is never identified as it.")
    added: list[str] = Field(
        default_factory=list, description="For `modified`: quoted spans the registry text does "
        "not explain (bounded in number and length).")
    omitted_words: Count = Field(
        default=0, description="For `modified`: words of the registry text it leaves out.")
    coverage: Amount | None = Field(
        default=None, le=1, description="Share of the file the registry text explains.")
    license_coverage: Amount | None = Field(
        default=None, le=1, description="Share of the registry text the file holds.")


class ModelDescriptor(Frozen):
    id: str = Field(description="Canonical id: the Hugging Face repo id.")
    name: str | None = None
    aliases: list[str] = Field(default_factory=list)
    kind: ModelKind = ModelKind.MODEL
    publisher: Publisher
    released: IsoDate | None = None
    modalities: list[str] = Field(default_factory=list)
    parameters_b: Number | None = Field(default=None, description="Parameters, in billions.")
    training_compute_flops: Number | None = None
    open_weights: Flag = True
    licenses: dict[str, LicenseAssignment] = Field(
        description="Per component: weights, code, and others where they differ."
    )
    hf_license: dict[str, str] | None = Field(
        default=None, description="The card's license metadata as published (license, "
        "license_name, license_link), for comparison with what the text says.",
    )
    lineage: list[LineageLink] = Field(default_factory=list)
    hosted_service: HostedService | ServiceId | None = Field(
        default=None, description="The publisher's hosted service: its facts, or the id of a "
        "catalog service (catalog/services) whose facts apply.")
    license_history: list[LicenseChange] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    license_files: list[LicenseFile] = Field(
        default_factory=list,
        description="License files found beside a local model, with their hashes "
        "(recorded by the folder importer, as cargo-deny's `clarify` does).",
    )
    security: SecurityFacts | None = Field(
        default=None, description="What the model's local files are and what loading them "
        "runs (recorded by the folder source; absent for a model known only from the catalog).")
    sources: list[Source] = Field(min_length=1)
