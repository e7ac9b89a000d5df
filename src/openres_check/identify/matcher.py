"""Identify a text by how much of it a registry text explains, and how much of that text it holds.

For each registry fingerprint a file shares shingles with, a word of the file is *explained*
when a shingle that covers it occurs in the registry text, and a word of the registry text is
*present* when a shingle that covers it occurs in the file. The best fingerprint (the one whose
worse direction is best) decides:

- `exact`: the file's shingles are the registry text's, in order;
- `high`: it explains the whole file except for tolerated spans (copyright lines, a short
  header or footer that states no terms) and the file holds nearly all of it;
- `modified`: the file holds most of a registry text but adds text to it (or leaves out part of
  it). The added spans are quoted, and the file is never identified as the base license;
- `ambiguous`: two licenses explain it equally well;
- `none`: nothing explains enough of it. Candidates are named when some text is shared.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from openres_check.identify.fingerprint import SAMPLE_EVERY, Fingerprint, sampled
from openres_check.identify.tokens import SHINGLE_WORDS, Words, shingle_hashes, words

__all__ = ["Identification", "Matcher"]

# A registry text the file holds at least this share of is its base (identified or modified).
BASE_SHARE = 0.6
# Shared text below this share (both ways) is not worth naming as a candidate.
CANDIDATE_SHARE = 0.25
# What a copy may leave out of the registry text and still be that text: short gaps (a title,
# a placeholder such as `<year> <copyright holders>`), in all at most this share of it.
MISSING_GAP_WORDS = 6
MISSING_SHARE = 0.05
# A header or footer the registry text does not explain, tolerated when it is this short and
# states no terms (a title, a project name, a URL).
EDGE_WORDS = 40
EDGE_EXPLAINED = 2 * SHINGLE_WORDS
# A registry text's title or copyright line, missing at its very start or end.
MISSING_EDGE_WORDS = 12
MAX_QUOTES = 5
MAX_QUOTE_CHARS = 240
_SAMPLED_FROM = 400  # shingles: below this, a sample is too small to estimate from

# Words that make an unexplained header or footer a term rather than a label.
_TERM_WORDS = frozenset({
    "shall", "must", "not", "only", "no", "prohibited", "prohibit", "restricted", "restrict",
    "require", "required", "requires", "revenue", "users", "user", "commercial", "exceed",
    "exceeds", "display", "except", "unless", "territory", "region", "may", "agree", "comply",
    "grant", "granted", "permitted", "permission", "allowed", "condition",
    "conditions", "million", "billion", "prior", "written", "approval", "obtain",
    "research", "evaluation", "noncommercial", "non", "personal", "internal",
    "exclusively", "solely", "outside", "within", "excluding", "exclude", "excluded",
    "forbidden", "apply", "applies", "limited", "limit", "revoke", "terminate",
})
_COPYRIGHT_LINE = re.compile(r"copyright|\(c\)|©", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Identification:
    license: str | None
    confidence: str
    """exact, high, modified, ambiguous or none."""
    base: str | None = None
    """For `modified`: the registry license the text starts from."""
    kind: str | None = None
    """license or policy: which registry text matched."""
    file_coverage: float | None = None
    """Share of the file's words the registry text explains."""
    license_coverage: float | None = None
    """Share of the registry text's words the file holds."""
    added: tuple[str, ...] = ()
    """Spans of the file that the registry text does not explain, each in “…” (bounded)."""
    omitted_words: int = 0
    candidates: tuple[str, ...] = ()
    matched: tuple[str, ...] = ()
    """Distinctive phrases found (the registry's `fingerprints`), for a text nothing explains."""


@dataclass(frozen=True)
class _Score:
    fingerprint: Fingerprint
    file_coverage: float
    license_coverage: float
    unexplained: tuple[tuple[int, int], ...]
    """Runs of unexplained file words, as [start, end) word indexes."""
    missing_gaps: tuple[int, ...]
    """Lengths of the runs of registry-text words the file does not hold, except a short
    title or copyright line at its start or end."""
    exact: bool

    @property
    def rank(self) -> tuple[float, float]:
        return (min(self.file_coverage, self.license_coverage),
                self.file_coverage + self.license_coverage)


_HIT_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
_UNCOVERED = re.compile("0+")


def _covered(hashes: Iterable[int], shingles: frozenset[int], length: int, also: int = 0
             ) -> tuple[int, list[tuple[int, int]]]:
    """How many of `length` words a shingle in `shingles` covers (or `also` marks, as a bit
    mask with word 0 highest), and the [start, end) runs of the others. Bit arithmetic on one
    integer: every step runs in C."""
    hits = bytes(map(shingles.__contains__, hashes)).translate(_HIT_DIGITS).decode()
    mask = int(hits + "0" * (SHINGLE_WORDS - 1), 2) if hits else 0
    covered = mask | also
    for shift in range(1, SHINGLE_WORDS):
        covered |= mask >> shift
    flags = format(covered, f"0{length}b")[-length:] if length else ""
    return flags.count("1"), [m.span() for m in _UNCOVERED.finditer(flags)]


def _score(text: Words, hashes: list[int], shingles: frozenset[int],
           fingerprint: Fingerprint, explaining: frozenset[int]) -> _Score:
    """`explaining`: the shingles of every text of the license (its agreement and its use
    policy together explain a file that holds both)."""
    explained, unexplained = _covered(hashes, explaining, len(text.tokens))
    present, missing = _covered(fingerprint.hashes, shingles, fingerprint.word_count,
                                fingerprint.optional_mask)
    return _Score(
        fingerprint,
        explained / max(len(text.tokens), 1),
        present / max(fingerprint.word_count, 1),
        tuple(unexplained),
        tuple(end - start for start, end in missing
              if not (end - start <= MISSING_EDGE_WORDS
                      and (start == 0 or end == fingerprint.word_count))),
        tuple(hashes) == fingerprint.hashes,
    )


def _line_of(text: Words, index: int) -> str:
    start = text.text.rfind("\n", 0, text.starts[index]) + 1
    end = text.text.find("\n", text.ends[index])
    return text.text[start:end if end >= 0 else len(text.text)]


def _tolerated(text: Words, run: tuple[int, int],
               runs: tuple[tuple[int, int], ...] = ()) -> bool:
    """Whether an unexplained run is a label rather than a term: words on copyright lines,
    unfilled placeholders, or a short header or footer (before or after everything the
    registry text explains) that uses no word of obligation. A version or a name changed
    inside the text is never tolerated: it is another text."""
    start, end = run
    if _TERM_WORDS.intersection(text.tokens[start:end]):
        return False
    labels = [i for i in range(start, end) if not _COPYRIGHT_LINE.search(_line_of(text, i))
              and i not in text.placeholders]
    if not labels:
        return True
    if len(labels) > EDGE_WORDS:
        return False
    if start == 0 or end == len(text.tokens):
        return True
    # After a title the registry text explains (or before a closing line): still a header,
    # unless it holds a number (a version, a date, an amount is never a label).
    before = start - sum(e - s for s, e in runs if e <= start)
    after = len(text.tokens) - end - sum(e - s for s, e in runs if s >= end)
    return min(before, after) < EDGE_EXPLAINED and not any(
        ch.isdigit() for i in labels for ch in text.tokens[i])


def _quote(text: Words, run: tuple[int, int]) -> str:
    raw = text.text[text.starts[run[0]]:text.ends[run[1] - 1]]
    quoted = " ".join(_CONTROL.sub(" ", raw).split())
    if len(quoted) > MAX_QUOTE_CHARS:
        quoted = quoted[:MAX_QUOTE_CHARS - 1] + "…"
    return f"“{quoted}”"  # marked, so that quotes listed in one message stay apart


class Matcher:
    """Fingerprints compiled once; `identify` compares one text against all of them."""

    def __init__(self, fingerprints: Iterable[Fingerprint]) -> None:
        self.fingerprints = tuple(fingerprints)
        by_id: dict[str, set[int]] = {}
        for fingerprint in self.fingerprints:
            by_id.setdefault(fingerprint.license_id, set()).update(fingerprint.shingles)
        self._by_id = {k: frozenset(v) for k, v in by_id.items()}

    def identify(self, text: str, prefer: str | None = None) -> Identification:
        parsed = words(text)
        hashes = shingle_hashes(parsed.tokens)
        if not hashes:
            return Identification(None, "none")
        shingles = frozenset(hashes)
        sample = sampled(shingles)
        scores = []
        for fingerprint in self.fingerprints:
            smaller = min(len(shingles), len(fingerprint.shingles))
            # Large texts are compared on a sample first (with a margin for its error).
            if smaller >= _SAMPLED_FROM:
                estimate = len(sample & fingerprint.sample) * SAMPLE_EVERY
                if estimate < CANDIDATE_SHARE / 2 * smaller:
                    continue
            shared = len(shingles & fingerprint.shingles)
            if shared >= CANDIDATE_SHARE * smaller:
                scores.append(_score(parsed, hashes, shingles, fingerprint,
                                     self._by_id[fingerprint.license_id]))
        best_by_id: dict[str, _Score] = {}
        for score in scores:
            held = best_by_id.get(score.fingerprint.license_id)
            if held is None or score.rank > held.rank:
                best_by_id[score.fingerprint.license_id] = score
        ranked = sorted(best_by_id.values(), key=lambda s: s.rank, reverse=True)
        candidates = tuple(s.fingerprint.license_id for s in ranked
                           if max(s.file_coverage, s.license_coverage) >= CANDIDATE_SHARE)
        if not ranked or ranked[0].license_coverage < BASE_SHARE:
            return Identification(None, "none", candidates=candidates[:5])
        return self._decide(parsed, ranked, prefer, candidates)

    def _decide(self, text: Words, ranked: list[_Score], prefer: str | None,
                candidates: tuple[str, ...]) -> Identification:
        whole = [s for s in ranked if _is_whole(text, s)]
        if whole:
            top = [s for s in whole if s.rank == whole[0].rank]
            chosen = next((s for s in top if s.fingerprint.license_id == prefer), None)
            if chosen is None and len(top) > 1:
                return Identification(None, "ambiguous", candidates=tuple(
                    sorted(s.fingerprint.license_id for s in top)))
            chosen = chosen or top[0]
            return Identification(
                chosen.fingerprint.license_id, "exact" if chosen.exact else "high",
                kind=chosen.fingerprint.kind, file_coverage=round(chosen.file_coverage, 4),
                license_coverage=round(chosen.license_coverage, 4))
        base = ranked[0]
        added = [run for run in base.unexplained
                 if not _tolerated(text, run, base.unexplained)]
        return Identification(
            None, "modified", base=base.fingerprint.license_id, kind=base.fingerprint.kind,
            file_coverage=round(base.file_coverage, 4),
            license_coverage=round(base.license_coverage, 4),
            added=tuple(_quote(text, run) for run in added[:MAX_QUOTES]),
            omitted_words=sum(g for g in base.missing_gaps if g > MISSING_GAP_WORDS),
            candidates=candidates[:5])


def _is_whole(text: Words, score: _Score) -> bool:
    """Whether the file is this registry text: nothing added beyond tolerated spans, and
    nothing left out beyond short gaps."""
    if score.exact:
        return True
    missing = sum(score.missing_gaps)
    if any(g > MISSING_GAP_WORDS for g in score.missing_gaps) or (
            missing > MISSING_SHARE * score.fingerprint.word_count):
        return False
    return all(_tolerated(text, run, score.unexplained) for run in score.unexplained)
