"""The Ollama library mapping: which upstream model a library name and tag pulled, and when.

One file per library name (`catalog/ollama/<name>.yaml`). A tag may have pointed at different
upstream models over time (`deepseek-r1:8b`); each period is its own entry with its dates and
the source that shows it.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from openres_check.model.common import Fact, Flag, Frozen, IsoDate, Source

__all__ = ["OllamaLibraryEntry", "OllamaTagPeriod"]

OllamaName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,79}$")]
OllamaTagName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,79}$")]


class OllamaTagPeriod(Fact):
    """Tags that pulled one upstream model for a period (`since` inclusive, `until` exclusive)."""

    tags: list[OllamaTagName] = Field(
        min_length=1, description="Tags (lower case) that named this model in the period, "
        "`latest` included where it pointed here; quantization suffixes such as `-q4_K_M` "
        "need not be listed.")
    model: str | None = Field(description="Canonical id (Hugging Face repo id) of the "
                              "upstream weights, or none when no source names them.")
    external: Flag = Field(
        default=False, description="True when `model` is a Hugging Face id not in the catalog.")
    since: IsoDate | None = Field(default=None, description="First day (none: from the start).")
    until: IsoDate | None = Field(
        default=None, description="First day the tags no longer pulled this model (none: still).")


class OllamaLibraryEntry(Frozen):
    name: OllamaName = Field(description="The library name, as in `ollama pull NAME`.")
    page: str | None = Field(default=None, description="The library page on ollama.com.")
    tags: list[OllamaTagPeriod] = Field(min_length=1)
    note: str | None = None
    sources: list[Source] = Field(min_length=1)
