"""A license registry entry: what one license says, once, with a source for every fact."""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import Field

from openres_check.model.common import (
    Confidence,
    CountryCode,
    Fact,
    Flag,
    Frozen,
    IsoDate,
    Number,
    Source,
)

__all__ = [
    "Attribution",
    "AttributionTrigger",
    "ChangesByReference",
    "CommercialScope",
    "CommercialUse",
    "DerivativeNaming",
    "GoverningLaw",
    "LicenseIds",
    "LicenseTerms",
    "NoDerivatives",
    "Notice",
    "OutputUse",
    "PatentClause",
    "Redistribution",
    "Registration",
    "Revocation",
    "ShareAlike",
    "ShareAlikeScope",
    "TerritorialExclusion",
    "Threshold",
    "TrademarkClause",
    "UsePolicy",
]


class CommercialScope(str, Enum):
    ALLOWED = "allowed"
    CONDITIONAL = "conditional"
    RESEARCH_ONLY = "research-only"
    NON_PRODUCTION = "non-production"
    NON_COMMERCIAL = "non-commercial"


class LicenseIds(Frozen):
    """The license's names in every vocabulary a model card or scanner may use."""

    hf: list[str] = Field(default_factory=list, description="Hugging Face `license:` values.")
    hf_names: list[str] = Field(
        default_factory=list,
        description="`license_name` values seen with `license: other`, including variants.",
    )
    spdx: str | None = Field(default=None, description="SPDX id or LicenseRef.")
    scancode: str | None = Field(default=None, description="ScanCode LicenseDB key.")
    aliases: list[str] = Field(default_factory=list, description="Other names people use.")
    links: list[str] = Field(
        default_factory=list,
        description="`license_link` URLs that identify this license when the name is shared "
        "(e.g. `modified-mit` is used by both Kimi K2 and MiniMax).",
    )


class CommercialUse(Fact):
    scope: CommercialScope


class Threshold(Fact):
    """A size gate: above `limit`, the license no longer grants the rights by itself."""

    metric: str = Field(description="monthly_active_users or annual_revenue_usd.")
    limit: Number
    measured: str | None = Field(default=None, description="How and when it is measured.")
    consequence: str = Field(description="e.g. separate-license-required, enterprise-license.")
    applies_to: str | None = Field(default=None, description="e.g. 'commercial use only'.")
    inclusive: Flag = Field(
        default=False,
        description="True when the limit itself is over the line ('10 million or more'); "
        "false when only more than the limit is ('greater than 700 million').",
    )


class Registration(Fact):
    required: Flag
    kind: str = Field(description="e.g. 'registration', 'approval', 'application form'.")
    when: str | None = None


class UsePolicy(Fact):
    """Use restrictions: an acceptable-use policy or an attachment of restrictions."""

    name: str
    url: str | None = None
    pass_through: str = Field(
        description="'enforceable-terms' when the restrictions must be written into your own "
        "agreements with users, 'copy-of-agreement' when only a copy must travel, 'none'."
    )
    restrictions: list[str] = Field(default_factory=list, description="Short summaries.")


# Each trigger is a branch of OBL-ATTRIBUTION; a new one needs a new branch there too.
AttributionTrigger = Literal[
    "distributes",
    "makes-available-product-or-service",
    "distributes-derivative-model",
    "derivative-model-distributed-or-made-available",
    "public-statement-about-derivative",
    "above-user-or-revenue-threshold",
]


class Attribution(Fact):
    display: str = Field(description="The exact text to display.")
    where: str | None = None
    when: list[AttributionTrigger] = Field(
        default_factory=list,
        description="When the display is owed: distributing the model, making a product or "
        "service available, distributing a derivative model, distributing or making available "
        "(e.g. as a service) a model created or improved with the model or its outputs, a "
        "public statement about a derivative, or growing past the license's user or revenue "
        "threshold.",
    )


class Notice(Fact):
    text: str | None = Field(default=None, description="The required notice sentence.")
    file: str | None = Field(default=None, description="e.g. 'Notice' or 'NOTICE'.")
    copy_of_license: Flag = Field(default=True, description="Recipients must get a copy.")
    mark_modified_files: Flag = False


class DerivativeNaming(Fact):
    prefix: str
    when: list[str] = Field(default_factory=list)


class OutputUse(Fact):
    train_other_models: str = Field(
        description="allowed | allowed-with-naming | allowed-with-attribution | prohibited | "
        "restricted"
    )
    distillation_is_derivative: Flag = Field(
        default=False,
        description="A model trained on outputs or by distillation is a derivative of the model.",
    )


class TerritorialExclusion(Fact):
    excluded: list[CountryCode] = Field(description="Who is excluded, e.g. ['EU'].")
    basis: str = Field(description="e.g. principal-place-of-business, domicile.")
    applies_to: str = Field(description="e.g. multimodal-models, all-models.")
    exempt: list[str] = Field(default_factory=list, description="e.g. ['end-users'].")


class GoverningLaw(Fact):
    jurisdiction: str | None = Field(description="e.g. US-CA, CN, FR; null when none is set.")
    venue: str | None = None


class ChangesByReference(Fact):
    value: Flag


class Revocation(Fact):
    """Whether the licensor may take the grant back without a breach on your side."""

    revocable: Flag = Field(
        description="True when the text calls the grant revocable or lets the licensor end or "
        "withdraw it for reasons other than your breach or your lawsuit; false when it ends "
        "only on breach or litigation, or is stated to be irrevocable."
    )
    grounds: str | None = Field(
        default=None, description="When the licensor may revoke, in the license's own words."
    )


class Redistribution(Fact):
    hosting_is_distribution: Flag = False


ShareAlikeScope = Literal["derivative-work", "library", "modified-files", "database"]
"""What the same-license duty reaches: the whole derivative or adaptation (GPL, CC BY-SA),
the library and its modifications but not works that only use it (LGPL), only the files that
hold licensed code (MPL, EPL), or a derived database (ODbL, CDLA-Sharing)."""


class ShareAlike(Fact):
    """Copyleft: what you share must be licensed under the same (or a compatible) license."""

    scope: ShareAlikeScope
    network_use: Flag = Field(
        default=False,
        description="Letting users interact with a modified version over a network triggers "
        "the duty too, not only distribution (AGPL-3.0 §13, OSL-3.0 §5).")
    source_required: Flag = Field(
        default=False, description="Recipients must be offered the source form.")


class NoDerivatives(Fact):
    """The license does not allow sharing adaptations (fine-tunes, quantizations, merges)."""

    private_adaptations: Flag = Field(
        description="True when adaptations may be made and kept to yourself (CC 4.0 ND); "
        "false when the license grants no right to make adaptations at all (CC 3.0 ND).")


class PatentClause(Fact):
    grant: Flag = Field(description="The license grants an express patent license.")
    retaliation: Flag = Field(
        default=False,
        description="The patent license (or the whole license) ends for whoever sues over "
        "patent infringement by the licensed work.")


class TrademarkClause(Fact):
    excluded: Flag = Field(description="The license grants no right to the licensor's "
                                       "trademarks or names.")


class LicenseTerms(Frozen):
    """One license, defined once. Descriptors point here by `id`."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.+-]*$")
    name: str
    version: str | None = None
    version_date: IsoDate | None = None
    url: str | None = Field(default=None, description="Canonical text.")
    family: str | None = Field(default=None, description="e.g. llama, qwen, rail, permissive.")
    ids: LicenseIds = Field(default_factory=LicenseIds)
    osi_approved: Flag = False
    commercial_use: CommercialUse | None = None
    user_threshold: Threshold | None = None
    revenue_threshold: Threshold | None = None
    registration: Registration | None = None
    use_policy: UsePolicy | None = None
    attribution: Attribution | None = None
    notice: Notice | None = None
    derivative_naming: DerivativeNaming | None = None
    output_use: OutputUse | None = None
    territory: list[TerritorialExclusion] = Field(default_factory=list)
    export_control_notice: Fact | None = None
    governing_law: GoverningLaw | None = None
    changes_by_reference: ChangesByReference | None = None
    revocation: Revocation | None = None
    redistribution: Redistribution | None = None
    share_alike: ShareAlike | None = None
    no_derivatives: NoDerivatives | None = None
    patent: PatentClause | None = None
    trademark: TrademarkClause | None = None
    fingerprints: list[str] = Field(
        default_factory=list,
        description="Distinctive phrases, normalised (lowercase, punctuation as spaces), that "
        "identify this license's text or its use policy.",
    )
    text_sha256: list[str] = Field(
        default_factory=list,
        description="SHA-256 of the normalised text of known copies (license and use policy).",
    )
    confidence: Confidence = Confidence.VERIFIED
    note: str | None = Field(default=None, description="What the entry covers, or leaves out.")
    sources: list[Source] = Field(min_length=1)
