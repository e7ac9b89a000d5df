"""Building blocks shared by every data model: frozen bases, sources, bilingual text."""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

__all__ = [
    "Amount",
    "Confidence",
    "Count",
    "CountryCode",
    "Fact",
    "Flag",
    "Frozen",
    "IsoDate",
    "Localized",
    "NonBlank",
    "Number",
    "Reference",
    "Source",
]

# Every number and yes/no in a user's file is read strictly: pydantic's lax mode would take
# `true` as 1 user (so a threshold rule passes) or "yes" as true. A wrong type is an input
# error, never a guess. `tests/test_strict_models.py` walks every model to keep it so.
Flag = Annotated[bool, Strict()]
"""true or false, nothing else (not 1, not "yes")."""
Count = Annotated[int, Strict(), Field(ge=0)]
"""A whole number of things (users, steps), never a boolean or a string."""
Amount = Annotated[float, Strict(), Field(ge=0)]
"""A non-negative quantity (money, parameters); an integer is welcome, a boolean is not."""
Number = Annotated[float, Strict()]
"""Any finite quantity; an integer is welcome, a boolean is not."""


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank_string", "must not be blank (only spaces)")
    return value


NonBlank = Annotated[str, StringConstraints(min_length=1), AfterValidator(_not_blank)]
"""A required text: empty or only whitespace counts as missing."""


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

    url: NonBlank = Field(description="The page or file the fact was read from.")
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

    en: NonBlank
    ja: NonBlank

    def get(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en


class Reference(Frozen):
    """A link to the clause, the article of law or the guideline behind a rule."""

    title: str
    title_ja: str | None = Field(
        default=None, description="The title in Japanese (a law's Japanese name, with its "
        "article). Without it, Japanese reports quote the title as the source's own name.")
    url: str
    secondary: Flag = Field(
        default=False,
        description="True when the reference is a secondary source (a write-up, not the text).",
    )

    def in_lang(self, lang: str) -> Reference:
        """This reference as a report in `lang` shows it: one title, in that language."""
        if lang != "ja":
            return self if self.title_ja is None else Reference.model_construct(
                title=self.title, title_ja=None, url=self.url, secondary=self.secondary)
        return Reference.model_construct(title=self.title_ja or quote_title_ja(self.title),
                                         title_ja=None, url=self.url, secondary=self.secondary)


# How our own notes on a secondary source read in Japanese; the source's name is quoted.
_TITLE_NOTES_JA = (
    (", as reported (unverified)", "（報道による、未検証）"),
    (", as reported", "（報道による）"),
    (", as described", "（解説記事による）"),
    (", reproduced", "（転載）"),
    (", quoted with its exceptions", "（例外を含む引用）"),
    (", quoted", "（引用）"),
    (", copy", "（写し）"),
    (", mirror", "（ミラー）"),
    (" (text mirror)", "（本文のミラー）"),
    (" (unverified)", "（未検証）"),
)


def quote_title_ja(title: str) -> str:
    """`Llama 3.1 Community License §2` as 「Llama 3.1 Community License §2」: a document's
    own name stays in its language, marked as a quotation; our notes on it are Japanese."""
    for note, note_ja in _TITLE_NOTES_JA:
        if title.endswith(note):
            return f"「{title[: -len(note)]}」{note_ja}"
    return f"「{title}」"
