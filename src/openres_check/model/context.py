"""The adopter's deployment context (DESIGN §3). Every field is optional: unknown never passes."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import Field

from openres_check.model.common import Amount, Count, CountryCode, Flag, Frozen

__all__ = [
    "Context",
    "DataCategory",
    "DataFacts",
    "Deployment",
    "DeploymentMode",
    "Organization",
    "OrganizationType",
    "Sector",
    "Use",
]


class OrganizationType(str, Enum):
    PRIVATE = "private"
    GOVERNMENT = "government"
    PUBLIC_SECTOR = "public-sector"
    ACADEMIC = "academic"
    NONPROFIT = "nonprofit"


class DeploymentMode(str, Enum):
    SELF_HOSTED = "self-hosted"
    CLOUD = "cloud"
    VENDOR_API = "vendor-api"
    ON_DEVICE = "on-device"


class Sector(str, Enum):
    GENERAL = "general"
    MEDICAL = "medical"
    MANUFACTURING = "manufacturing"
    LOGISTICS = "logistics"
    EDUCATION = "education"
    FINANCE = "finance"
    PUBLIC_SECTOR = "public-sector"
    LEGAL = "legal"
    HR = "hr"


class DataCategory(str, Enum):
    NONE = "none"
    PERSONAL = "personal"
    SENSITIVE = "sensitive"
    HEALTH = "health"
    CHILDREN = "children"
    BIOMETRIC = "biometric"
    FINANCIAL = "financial"
    CONFIDENTIAL = "confidential"


class Organization(Frozen):
    country: CountryCode | None = Field(default=None, description="Principal place of business.")
    type: OrganizationType | None = None
    annual_revenue_usd: Amount | None = None


class Deployment(Frozen):
    mode: DeploymentMode | None = None
    regions: list[CountryCode] | None = Field(
        default=None, description="Where inference runs and data is processed."
    )
    provider_country: CountryCode | None = Field(
        default=None, description="For cloud: the country of the cloud operator."
    )
    public_facing: Flag | None = Field(
        default=None, description="End users outside the organization use it."
    )


class Use(Frozen):
    commercial: Flag | None = None
    monthly_active_users: Count | None = None
    monthly_revenue_usd: Amount | None = None
    sector: Sector | None = None
    purposes: list[str] | None = Field(
        default=None, description="Free-form tags; the policies name the ones they know."
    )
    distributes_weights: Flag | None = None
    fine_tunes: Flag | None = None
    trains_on_outputs: Flag | None = Field(
        default=None, description="Uses the model's outputs to train or improve another model."
    )
    product_name: str | None = None


class DataFacts(Frozen):
    categories: list[DataCategory] | None = None
    subject_regions: list[CountryCode] | None = Field(
        default=None, description="Where the people whose data is processed are."
    )


class Context(Frozen):
    """What the adopter declares about itself, its deployment, its use and its data."""

    organization: Organization = Field(default_factory=Organization)
    deployment: Deployment = Field(default_factory=Deployment)
    use: Use = Field(default_factory=Use)
    data: DataFacts = Field(default_factory=DataFacts)
    attestations: dict[str, str] = Field(
        default_factory=dict,
        description="Obligations met, keyed by rule id; the value is the evidence.",
    )

    @classmethod
    def from_file(cls, path: str | Path) -> Context:
        """Load and validate a context file. Raises `InputError` on any problem."""
        from openres_check._loading import load_model_file  # noqa: PLC0415 - avoids a cycle

        return load_model_file(cls, Path(path), section="context")

    @classmethod
    def from_mapping(cls, data: dict[str, Any], source: str = "<context>") -> Context:
        """Validate a mapping. Raises `InputError` listing every problem."""
        from openres_check._loading import validate  # noqa: PLC0415 - avoids a cycle

        return validate(cls, data, source)
