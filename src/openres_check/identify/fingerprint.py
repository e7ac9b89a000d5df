"""A compact fingerprint of a registry text: its shingle hashes in text order, never the text.

One JSON file per license id (`catalog/fingerprints/<id>.json`) holds one fingerprint per
known variant of the text (the license with or without its appendix, its use policy). The
hashes are stored as base64 of big-endian unsigned 32-bit integers.
"""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import dataclass, field
from typing import Any

from openres_check.errors import InputError, Issue, Location
from openres_check.identify.tokens import SHINGLE_WORDS, shingle_hashes, words

__all__ = ["FORMAT", "Fingerprint", "fingerprint_file", "fingerprint_text", "read_fingerprints",
           "sampled"]

FORMAT = f"crc32-word-shingles-{SHINGLE_WORDS}"
KINDS = ("license", "policy")


@dataclass(frozen=True)
class Fingerprint:
    """One registry text, as the ordered hashes of its shingles."""

    license_id: str
    kind: str
    """license (the agreement itself) or policy (its acceptable-use policy)."""
    source: str
    """Where the reference text was read (URL, with a commit where there is one)."""
    word_count: int
    hashes: tuple[int, ...]
    optional: tuple[tuple[int, int], ...] = ()
    """[start, end) word ranges a copy may replace or leave out: the reference text's
    placeholders (`<year>`, `[name of copyright owner]`)."""
    shingles: frozenset[int] = field(init=False, repr=False, compare=False)
    optional_mask: int = field(init=False, repr=False, compare=False)
    sample: frozenset[int] = field(init=False, repr=False, compare=False)
    """The shingles whose hash is 0 modulo `SAMPLE_EVERY`: a cheap estimate of what two
    texts share (the same hashes are sampled on both sides)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "shingles", frozenset(self.hashes))
        object.__setattr__(self, "sample", sampled(self.shingles))
        mask = 0
        for start, end in self.optional:
            mask |= ((1 << (end - start)) - 1) << (self.word_count - end)
        object.__setattr__(self, "optional_mask", mask)

    def to_json(self) -> dict[str, Any]:
        packed = struct.pack(f">{len(self.hashes)}I", *self.hashes)
        document: dict[str, Any] = {"kind": self.kind, "source": self.source,
                                    "words": self.word_count}
        if self.optional:
            document["optional"] = [list(r) for r in self.optional]
        document["shingles"] = base64.b64encode(packed).decode("ascii")
        return document


SAMPLE_EVERY = 8


def sampled(shingles: frozenset[int]) -> frozenset[int]:
    return frozenset(h for h in shingles if not h % SAMPLE_EVERY)


def fingerprint_text(license_id: str, kind: str, source: str, text: str) -> Fingerprint:
    parsed = words(text)
    optional, start = [], None
    for index in range(len(parsed.tokens) + 1):
        inside = index in parsed.placeholders
        if inside and start is None:
            start = index
        elif not inside and start is not None:
            optional.append((start, index))
            start = None
    return Fingerprint(license_id, kind, source, len(parsed.tokens),
                       tuple(shingle_hashes(parsed.tokens)), tuple(optional))


def fingerprint_file(license_id: str, texts: list[Fingerprint]) -> dict[str, Any]:
    """The JSON document stored for one license id."""
    return {"id": license_id, "format": FORMAT,
            "texts": [t.to_json() for t in sorted(texts, key=lambda t: (t.kind, t.source))]}


def _bad(origin: str, path: tuple[str | int, ...], message: str) -> InputError:
    return InputError(f"invalid fingerprint file {origin}", [Issue(
        "invalid-fingerprint", message, Location(origin, path),
        "regenerate it: python -m openres_check._fingerprints REFERENCE_DIR catalog")])


def read_fingerprints(data: Any, origin: str) -> list[Fingerprint]:
    """The fingerprints in one parsed JSON document; a located error for any other shape."""
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise _bad(origin, (), "expected an object with an `id`")
    if data.get("format") != FORMAT:
        raise _bad(origin, ("format",), f"expected format {FORMAT!r}")
    texts = data.get("texts")
    if not isinstance(texts, list):
        raise _bad(origin, ("texts",), "expected a list")
    found = []
    for index, item in enumerate(texts):
        where: tuple[str | int, ...] = ("texts", index)
        if not isinstance(item, dict) or item.get("kind") not in KINDS or not isinstance(
                item.get("source"), str) or not isinstance(item.get("words"), int):
            raise _bad(origin, where, "expected kind (license|policy), source and words")
        try:
            packed = base64.b64decode(str(item.get("shingles", "")), validate=True)
        except (binascii.Error, ValueError):
            raise _bad(origin, (*where, "shingles"), "not base64") from None
        if len(packed) % 4:
            raise _bad(origin, (*where, "shingles"), "not a whole number of 32-bit hashes")
        hashes = struct.unpack(f">{len(packed) // 4}I", packed)
        optional = item.get("optional", [])
        if not isinstance(optional, list) or not all(
                isinstance(r, list) and len(r) == 2 and all(isinstance(n, int) for n in r)  # noqa: PLR2004 - [start, end)
                and 0 <= r[0] < r[1] <= item["words"] for r in optional):
            raise _bad(origin, (*where, "optional"), "expected [start, end) word ranges")
        found.append(Fingerprint(data["id"], item["kind"], item["source"], item["words"],
                                 hashes, tuple((r[0], r[1]) for r in optional)))
    return found

