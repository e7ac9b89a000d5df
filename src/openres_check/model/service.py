"""A hosted-service descriptor: cited facts about one hosted model API (an operator's offering
on its own endpoints), as `catalog/services/*.yaml` records them.

Regional editions run by different entities under different terms (Alibaba Cloud's mainland
and international Model Studio, for instance) are separate services of one `family`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from openres_check.model.common import CountryCode, Fact, Flag, Frozen, IsoDate, Source

__all__ = [
    "ApiModel",
    "DataLocation",
    "DocumentLink",
    "Endpoint",
    "GoverningLaw",
    "InputTraining",
    "Operator",
    "ServiceDescriptor",
    "ServiceId",
]

ServiceId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.-]{0,63}$")]
"""A service's catalog id: lower case letters, digits, dots and hyphens."""

HostPattern = Annotated[str, StringConstraints(
    pattern=r"^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$")]


class Operator(Fact):
    """Who runs the service (the contracting entity), and where it is established."""

    name: str = Field(min_length=1)
    country: CountryCode


class Endpoint(Fact):
    """A host the service answers on. `*.example.com` matches any subdomain (workspace hosts)."""

    host: HostPattern = Field(description="Lower-case host name; `*.` for any subdomain.")
    region: str | None = Field(default=None, description="The provider's name for its region.")


class ApiModel(Fact):
    """An API model name, and the open-weights model it serves where the provider says so."""

    name: str = Field(min_length=1, max_length=128, description="The `model` value in requests.")
    model: str | None = Field(
        default=None, description="Canonical id (Hugging Face repo id) of the weights served, "
        "or none when the provider does not say.")
    external: Flag = Field(
        default=False, description="True when `model` is a Hugging Face id not in the catalog "
        "(resolution then reports it unknown).")
    since: IsoDate | None = None
    until: IsoDate | None = Field(
        default=None, description="The first day the name no longer served `model`.")


class DataLocation(Fact):
    """Where inputs are stored or processed."""

    countries: list[CountryCode] = Field(min_length=1)


class InputTraining(Fact):
    """Whether the operator may use inputs (prompts, files) to train or improve its models."""

    used: Flag | None = None
    opt_out: Flag | None = Field(default=None, description="Whether the customer can refuse.")


class GoverningLaw(Fact):
    jurisdiction: CountryCode


class DocumentLink(Fact):
    url: str = Field(min_length=1)


class ServiceDescriptor(Frozen):
    id: ServiceId
    name: str = Field(min_length=1)
    family: str | None = Field(
        default=None, description="Groups regional editions of one API; they may share API "
        "model names, which then need the host to tell them apart.")
    operator: Operator
    endpoints: list[Endpoint] = Field(min_length=1)
    models: list[ApiModel] = Field(default_factory=list)
    data_location: DataLocation
    trains_on_inputs: InputTraining | None = None
    governing_law: GoverningLaw | None = None
    terms: DocumentLink | None = None
    privacy: DocumentLink | None = None
    note: str | None = None
    sources: list[Source] = Field(min_length=1)
