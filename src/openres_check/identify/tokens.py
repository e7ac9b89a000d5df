"""License text as words, and words as hashed shingles.

Case, punctuation, markup and layout carry no meaning in a license text, so a text is read as
its sequence of words: runs of ASCII letters and digits after NFKC folding, and each CJK
character on its own (Chinese and Japanese do not separate words with spaces). A shingle is
`SHINGLE_WORDS` consecutive words, hashed with CRC-32: stable across processes and platforms,
fast in C, and small enough that a fingerprint of every registry text stays compact.

Every step that reads the whole text is one regular expression (run in C) over a copy of the
same length, so offsets stay valid; where each word sits is worked out only when a span must
be quoted.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
import zlib
from dataclasses import dataclass
from functools import cached_property

__all__ = ["SHINGLE_WORDS", "Words", "shingle_hashes", "words"]

SHINGLE_WORDS = 5

_WORD = re.compile(r"[0-9a-z]+|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|&")
# ASCII-only lower case keeps every offset: after NFKC, words are ASCII or CJK.
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# List markers are layout, not words: `(a)`, `b.`, `iv)`, and `1.` / `2)` at the start of a
# line. Numbers in running text (thresholds, versions such as `3.1`) stay words.
_MARKER = re.compile(r"(?<![0-9a-z])(?:[a-z]|[ivx]{1,5})(?=\)|\.(?![0-9a-z]))")
_LINE_NUMBER = re.compile(r"^([ \t#*>-]*)(\d{1,2})(?=\)|\.(?![0-9a-z]))", re.MULTILINE)
# `01` between `/` or `-` is the month or day 1 (`15/01/2025`), never part of an amount.
_DATE_ZERO = re.compile(
    r"(?:(?<=[^/:][/-])|(?<=[^/:][/-] ))0(?=\d(?!\d))|(?<![0-9.])0(?=\d ?[/-](?!/))")
_PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,60}\]|<[^<>\n]{1,60}>")
# Spellings that mean the same word (the SPDX matching guidelines' equivalents, in part).
_SAME_WORD = {"licence": "license", "licences": "licenses", "licenced": "licensed",
              "https": "http", "copyrights": "copyright", "&": "and"}
_MONTHS = {name: str(number) for number, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), start=1)}


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _blank_number(match: re.Match[str]) -> str:
    return match.group(1) + " " * len(match.group(2))


@dataclass(frozen=True)
class Words:
    """A text's words; where each starts and ends in `text` is found when first asked."""

    text: str
    """The NFKC-folded text that the offsets point into."""
    tokens: tuple[str, ...]
    cleaned: str
    """`text` in lower case with list markers blanked: what the words were read from."""

    @cached_property
    def _spans(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        spans = [m.span() for m in _WORD.finditer(self.cleaned)]
        return tuple(s for s, _ in spans), tuple(e for _, e in spans)

    @property
    def starts(self) -> tuple[int, ...]:
        return self._spans[0]

    @property
    def ends(self) -> tuple[int, ...]:
        return self._spans[1]

    @cached_property
    def placeholders(self) -> frozenset[int]:
        """Indexes of the words inside a template placeholder: `[year]`, `<copyright holders>`."""
        starts, found = self.starts, set[int]()
        for match in _PLACEHOLDER.finditer(self.cleaned):
            first = bisect.bisect_left(starts, match.start())
            found.update(range(first, bisect.bisect_left(starts, match.end(), first)))
        return frozenset(found)


def words(text: str) -> Words:
    folded = unicodedata.normalize("NFKC", text)
    lowered = folded.translate(_LOWER)
    cleaned = _DATE_ZERO.sub(" ", _LINE_NUMBER.sub(_blank_number, _MARKER.sub(_blank, lowered)))
    tokens = _WORD.findall(cleaned)
    for index, token in enumerate(tokens):
        same = _SAME_WORD.get(token)
        if same is not None:
            tokens[index] = same
        elif token in _MONTHS and any(  # `15 January 2025` is `15/01/2025`
                0 <= n < len(tokens) and tokens[n][:1].isdigit() for n in (index - 1, index + 1)):
            tokens[index] = _MONTHS[token]
    return Words(folded, tuple(tokens), cleaned)


def shingle_hashes(tokens: tuple[str, ...] | list[str]) -> list[int]:
    """The hash of each run of `SHINGLE_WORDS` words, in text order (one per start position)."""
    last = len(tokens) - SHINGLE_WORDS + 1
    return [zlib.crc32(" ".join(tokens[i:i + SHINGLE_WORDS]).encode()) for i in range(last)]
