"""The project file, `openres.yaml`: models, context, policies and waivers together."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from openres_check.model.common import Frozen
from openres_check.model.context import Context
from openres_check.model.waiver import Waiver

__all__ = ["FailOn", "ProjectFile"]

FailOn = Literal["critical", "high", "medium", "low", "info", "never"]


class ProjectFile(Frozen):
    models: list[str] = Field(default_factory=list, description="Catalog ids, aliases or paths.")
    context: Context | str | None = Field(
        default=None, description="The deployment context inline, or a path to a context file."
    )
    policies: list[str] | None = Field(
        default=None, description="Bundled pack names or paths; all bundled packs if absent."
    )
    catalogs: list[str] = Field(default_factory=list, description="Extra catalog folders.")
    waivers: list[Waiver] | str | None = Field(
        default=None, description="Waivers inline, or a path to a waivers file."
    )
    params: dict[str, Any] = Field(
        default_factory=dict,
        description="Overrides for the packs' switchable parameters, by name.",
    )
    lock: str | None = Field(
        default=None, description="A lock file (openres-check lock) the models must match.")
    signer_identity: str | None = Field(
        default=None, description="The signer (an email or a URI) whose OpenSSF model-signing "
        "signature (model.sig) every local model folder must carry; with signer_issuer.")
    signer_issuer: str | None = Field(
        default=None, description="The OpenID Connect issuer that certified signer_identity, "
        "e.g. https://accounts.google.com.")
    scan: list[str] | None = Field(
        default=None, description="Folders or files to scan for model references (relative "
        "to the project file); `check` with no arguments then judges what is found too.")
    exclude: list[str] = Field(
        default_factory=list, description="Gitignore-style globs the scan skips, relative "
        "to each scanned path (e.g. test fixtures).")
    fail_on: FailOn | None = None
    lang: Literal["en", "ja"] | None = None
