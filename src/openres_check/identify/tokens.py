"""License text as words, and words as hashed shingles.

Case, punctuation, markup and layout carry no meaning in a license text, so a text is read as
its sequence of words: runs of ASCII letters and digits after NFKC folding, and each CJK
character on its own (Chinese and Japanese do not separate words with spaces). A shingle is
`SHINGLE_WORDS` consecutive words, hashed with CRC-32: stable across processes and platforms,
fast in C, and small enough that a fingerprint of every registry text stays compact.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
import zlib
from dataclasses import dataclass

__all__ = ["SHINGLE_WORDS", "Words", "shingle_hashes", "words"]

SHINGLE_WORDS = 5

_WORD = re.compile(r"[0-9a-z]+|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|&")
# ASCII-only lower case keeps every offset: after NFKC, words are ASCII or CJK.
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# List markers are layout, not words: `(a)`, `b.`, `iv)`, and `1.` / `2)` at the start of a
# line. Numbers in running text (thresholds, versions such as `3.1`) stay words.
_PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,60}\]|<[^<>\n]{1,60}>")
_MARKER = re.compile(r"[a-z]|[ivx]{1,5}")
_LINE_NUMBER = re.compile(r"\d{1,2}")
# Spellings that mean the same word (the SPDX matching guidelines' equivalents, in part).
_SAME_WORD = {"licence": "license", "licences": "licenses", "licenced": "licensed",
              "https": "http", "copyrights": "copyright", "&": "and"}


@dataclass(frozen=True)
class Words:
    """A text's words, where each starts and ends in `text`, and the line each is on."""

    text: str
    """The NFKC-folded text that the offsets point into."""
    tokens: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    placeholders: frozenset[int]
    """Indexes of the words inside a template placeholder: `[year]`, `<copyright holders>`."""


def words(text: str) -> Words:
    folded = unicodedata.normalize("NFKC", text)
    lowered = folded.translate(_LOWER)
    tokens, starts, ends = [], [], []
    for match in _WORD.finditer(lowered):
        start, end = match.span()
        if lowered[end:end + 1] in (".", ")") and _is_marker(lowered, start, end):
            continue
        token = match.group()
        tokens.append(_SAME_WORD.get(token, token))
        starts.append(start)
        ends.append(end)
    _dates_as_numbers(tokens, lowered, starts, ends)
    placeholders: set[int] = set()
    for match in _PLACEHOLDER.finditer(lowered):
        first = bisect.bisect_left(starts, match.start())
        placeholders.update(range(first, bisect.bisect_left(starts, match.end(), first)))
    return Words(folded, tuple(tokens), tuple(starts), tuple(ends), frozenset(placeholders))


_MONTHS = {name: str(number) for number, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), start=1)}


def _dates_as_numbers(tokens: list[str], text: str, starts: list[int], ends: list[int]
                      ) -> None:
    """`15 January 2025` and `15/01/2025` are the same date: a month name next to a number
    becomes its number, and so does `01` between `/` or `-` (never `1.05`, an amount)."""
    for index, token in enumerate(tokens):
        if len(token) == 2 and token[0] == "0" and token[1].isdigit():  # noqa: PLR2004 - "0d"
            around = (text[ends[index - 1]:starts[index]] if index else "",
                      text[ends[index]:starts[index + 1]] if index + 1 < len(tokens) else "")
            if any(sep.strip() in ("/", "-") for sep in around):
                tokens[index] = token[1]
        elif token in _MONTHS and any(
                0 <= n < len(tokens) and tokens[n][:1].isdigit() for n in (index - 1, index + 1)):
            tokens[index] = _MONTHS[token]


def _is_marker(text: str, start: int, end: int) -> bool:
    """Whether the word at [start, end), followed by `.` or `)`, is a list marker."""
    after = text[end:end + 2]
    closes = after[:1] == ")" or (after[:1] == "." and not after[1:2].isalnum())
    opens = text[start - 1:start] == "("
    if _MARKER.fullmatch(text, start, end):
        return closes or (opens and after[:1] == ")")
    if _LINE_NUMBER.fullmatch(text, start, end) and closes:
        line_start = text.rfind("\n", 0, start) + 1
        return not text[line_start:start].strip(" \t#*>-")
    return False


def shingle_hashes(tokens: tuple[str, ...] | list[str]) -> list[int]:
    """The hash of each run of `SHINGLE_WORDS` words, in text order (one per start position)."""
    last = len(tokens) - SHINGLE_WORDS + 1
    return [zlib.crc32(" ".join(tokens[i:i + SHINGLE_WORDS]).encode()) for i in range(last)]
