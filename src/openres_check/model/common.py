"""Building blocks shared by every data model: frozen bases, sources, bilingual text."""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

__all__ = [
    "Confidence",
    "CountryCode",
    "Fact",
    "Frozen",
    "IsoDate",
    "Localized",
    "Reference",
    "Source",
]


class Frozen(BaseModel):
    """Base for every model: immutable, and unknown keys are errors."""

    # Infinity and NaN are no amounts, and `Infinity` is not even valid JSON output.
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=True,
                              defer_build=True, validate_default=True, allow_inf_nan=False)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    # Pydantic would read a number (or digits) as a Unix timestamp: 86400 -> 1970-01-02.
    if isinstance(value, dt.date) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise PydanticCustomError("date_format", "write the date as YYYY-MM-DD")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
"""A date written as a date: YYYY-MM-DD, never a number."""


CountryCode = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$"),
    Field(description="ISO 3166-1 alpha-2 code (or ISO 3166-2 subdivision such as US-CA); "
                      "EU names the European Union as a whole."),
]


class Confidence(str, Enum):
    """How strongly a fact is established.

    `verified`: read in the licensor's own text or an exact copy of it.
    `secondary`: from a verbatim third-party copy or a reliable write-up.
    `unverified`: no source could be read. Such a fact may raise `review`, never `fail`.
    """

    VERIFIED = "verified"
    SECONDARY = "secondary"
    UNVERIFIED = "unverified"


class Source(Frozen):
    """Where a fact comes from."""

    url: str = Field(min_length=1, description="The page or file the fact was read from.")
    section: str | None = Field(
        default=None, description="The clause, section or line within it, e.g. '2' or '1.b.i'."
    )
    quote: str | None = Field(default=None, description="A short verbatim proof phrase.")
    retrieved: IsoDate | None = Field(default=None, description="When it was read.")


class Fact(Frozen):
    """A legal fact: every one carries its source and how sure we are of it."""

    source: Source
    confidence: Confidence = Confidence.VERIFIED
    note: str | None = None


class Localized(Frozen):
    """A text in English and Japanese."""

    en: str = Field(min_length=1)
    ja: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en


class Reference(Frozen):
    """A link to the clause, the article of law or the guideline behind a rule."""

    title: str
    url: str
    secondary: bool = Field(
        default=False,
        description="True when the reference is a secondary source (a write-up, not the text).",
    )
