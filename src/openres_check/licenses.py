"""The license registry: each license defined once, and a crosswalk from every name it goes by.

A model card may say `llama3.1`, `other` + `license_name: deepseek-license`, an SPDX
`LicenseRef-…` or a ScanCode key. The crosswalk maps each of them, case-insensitively, to
exactly one registry entry.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from openres_check.model.license import LicenseTerms

__all__ = [
    "LicenseRegistry",
    "RegistryConflict",
    "TextMatch",
    "normalize_license_name",
    "normalize_text",
]

# `license:` values that say nothing about which license applies.
NON_IDENTIFYING = frozenset({"other", "unknown", "none", "noassertion", ""})


def normalize_license_name(name: str) -> str:
    return " ".join(name.strip().lower().replace("_", "-").split())


_NOT_WORD = re.compile(r"[^0-9a-z\u3040-\u30ff\u3400-\u9fff]+")


def normalize_text(text: str) -> str:
    """License text reduced to words: case, punctuation, markup and layout do not matter."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return " ".join(_NOT_WORD.sub(" ", folded).split())


@dataclass(frozen=True)
class TextMatch:
    """What a license text was identified as, and how sure that is."""

    license: str | None
    confidence: str
    """exact (a known copy, by hash), high (two or more distinctive phrases), medium (one),
    ambiguous (a tie between licenses) or none."""
    matched: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegistryConflict:
    """One name claimed by two entries."""

    name: str
    first: str
    second: str


@dataclass
class LicenseRegistry:
    entries: dict[str, LicenseTerms] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    _names: dict[str, str] = field(default_factory=dict)
    _hf_names: dict[str, str] = field(default_factory=dict)
    conflicts: list[RegistryConflict] = field(default_factory=list)
    _dumps: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, terms: LicenseTerms, origin: str) -> None:
        """Add or override an entry (a user catalog may override a bundled one)."""
        previous = self.entries.get(terms.id)
        if previous is not None:
            self._forget(previous)
        self.entries[terms.id] = terms
        self.origins[terms.id] = origin
        self._dumps.pop(terms.id, None)
        self._claim(self._names, terms.id, terms.id)
        for name in (*terms.ids.hf, *terms.ids.aliases, terms.ids.spdx, terms.ids.scancode):
            if name:
                self._claim(self._names, name, terms.id)
        for name in terms.ids.hf_names:
            self._claim(self._hf_names, name, terms.id)

    def _claim(self, table: dict[str, str], name: str, license_id: str) -> None:
        key = normalize_license_name(name)
        owner = table.get(key)
        if owner is not None and owner != license_id:
            self.conflicts.append(RegistryConflict(name, owner, license_id))
            return
        table[key] = license_id

    def _forget(self, terms: LicenseTerms) -> None:
        for table in (self._names, self._hf_names):
            for key in [k for k, v in table.items() if v == terms.id]:
                del table[key]

    def __contains__(self, license_id: object) -> bool:
        return license_id in self.entries

    def __iter__(self) -> Iterator[LicenseTerms]:
        return iter(sorted(self.entries.values(), key=lambda t: t.id))

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, license_id: str) -> LicenseTerms | None:
        return self.entries.get(license_id)

    def resolve(self, name: str | None) -> str | None:
        """The registry id for any name a license goes by, or None."""
        if not name:
            return None
        key = normalize_license_name(name)
        return self._names.get(key) or self._hf_names.get(key)

    def resolve_card(self, license_tag: str | None, license_name: str | None) -> str | None:
        """Map a card's `license:` and `license_name:` to a registry id.

        A restrictive `license_name` wins over a permissive tag: Janus cards say
        `license: mit` with `license_name: deepseek`, and the DeepSeek terms apply.
        """
        if license_name:
            named = self._hf_names.get(normalize_license_name(license_name)) or self.resolve(
                license_name)
            if named:
                return named
        if license_tag and normalize_license_name(license_tag) not in NON_IDENTIFYING:
            return self.resolve(license_tag)
        return None

    def facts(self, license_id: str) -> dict[str, Any]:
        """The entry as plain facts, dumped once and reused for every model."""
        dumped = self._dumps.get(license_id)
        if dumped is None:
            dumped = self.entries[license_id].model_dump(mode="json", exclude={"fingerprints"})
            self._dumps[license_id] = dumped
        return dumped

    def identify_text(self, text: str) -> TextMatch:
        """Identify a license (or use-policy) text by normalised hash, then by phrases."""
        normalized = normalize_text(text)
        digest = hashlib.sha256(normalized.encode()).hexdigest()
        for terms in self.entries.values():
            if digest in terms.text_sha256:
                return TextMatch(terms.id, "exact")
        scores: dict[str, tuple[str, ...]] = {}
        for terms in self.entries.values():
            hits = tuple(p for p in terms.fingerprints if p in normalized)
            if hits:
                scores[terms.id] = hits
        if not scores:
            return TextMatch(None, "none")
        best = max(len(hits) for hits in scores.values())
        leaders = sorted(lid for lid, hits in scores.items() if len(hits) == best)
        if len(leaders) > 1:
            return TextMatch(None, "ambiguous", candidates=tuple(leaders))
        winner = leaders[0]
        return TextMatch(winner, "high" if best >= 2 else "medium",  # noqa: PLR2004
                         matched=scores[winner])

    def hf_ids(self) -> Iterable[tuple[str, str]]:
        for terms in self:
            for name in terms.ids.hf:
                yield name, terms.id
