"""The license registry: each license defined once, and a crosswalk from every name it goes by.

A model card may say `llama3.1`, `other` + `license_name: deepseek-license`, an SPDX
`LicenseRef-…` or a ScanCode key. The crosswalk maps each of them, case-insensitively, to
exactly one registry entry.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from openres_check.identify.matcher import Identification

if TYPE_CHECKING:
    from openres_check.identify.fingerprint import Fingerprint
    from openres_check.identify.matcher import Matcher
    from openres_check.model.license import LicenseTerms

__all__ = [
    "ExpressionPart",
    "LicenseRegistry",
    "RegistryConflict",
    "TextMatch",
    "license_name_key",
    "normalize_license_name",
    "normalize_text",
    "split_expression",
]

# `license:` values that say nothing about which license applies.
NON_IDENTIFYING = frozenset({"other", "unknown", "none", "noassertion", ""})


def normalize_license_name(name: str) -> str:
    return " ".join(name.strip().lower().replace("_", "-").split())


_MAX_NAME = 300
# `++` is part of a name: OpenRAIL++-M is not OpenRAIL-M.
_NAME_TOKEN = re.compile(r"[0-9]+(?:\.[0-9]+)*[a-z]?|[a-z]+(?:\+\+)?|[\u3040-\u30ff\u3400-\u9fff]+")
# Words that full license names add or drop without naming another license.
_FILLER = frozenset({"the", "license", "licence", "licensed", "public", "international",
                     "agreement", "version", "ver", "v"})
# The short forms of the Creative Commons license elements (after a leading `cc`).
_CC_ELEMENTS = {"by": "attribution", "nc": "noncommercial", "nd": "noderivatives",
                "sa": "sharealike", "noderivs": "noderivatives"}


def _version(token: str) -> str:
    """4.0 and 4 are one version; 1.3c keeps its letter."""
    while token.endswith(".0"):
        token = token[:-2]
    return token


def license_name_key(name: str) -> str:
    """A license name reduced to what tells licenses apart, for matching full names.

    Case, punctuation, spacing, the words "License", "Public", "International", "Agreement"
    and "Version", a `v` before the version and trailing `.0` do not matter, and `CC BY-NC`
    reads as "Creative Commons Attribution NonCommercial": "Creative Commons
    Attribution-NonCommercial 4.0 International Public License", "CC BY-NC 4.0" and
    "cc-by-nc-4.0" have one key. Empty when fewer than two words are left: "Microsoft Public
    License" reduced to "microsoft" would match any Microsoft license, so a one-word name
    matches only as written.
    """
    folded = unicodedata.normalize("NFKC", name[:_MAX_NAME]).lower()
    expanded: list[str] = []
    for index, word in enumerate(_NAME_TOKEN.findall(folded)):
        if index == 0 and word == "cc":
            expanded.append("creativecommons")
        elif expanded[:1] == ["creativecommons"] and word in _CC_ELEMENTS:
            expanded.append(_CC_ELEMENTS[word])
        elif word[:1].isdigit():
            expanded.append(_version(word))
        elif word not in _FILLER:  # `v3.0` is the filler `v` and the version `3.0`
            expanded.append(word)
    if len(expanded) < 2:  # noqa: PLR2004 - one word names a vendor, not a license
        return ""
    # "Non Commercial" and "NonCommercial", "Llama 3.1" and "llama3.1" are the same name.
    return "".join(expanded).replace(".", "")


_NOT_WORD = re.compile(r"[^0-9a-z\u3040-\u30ff\u3400-\u9fff]+")


def normalize_text(text: str) -> str:
    """License text reduced to words: case, punctuation, markup and layout do not matter."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def _link_key(link: str) -> str:
    return link.strip().lower().removesuffix("/").split("://", 1)[-1]


_OPERATOR = re.compile(r"[()]|\s(?:and|or|with)\s", re.IGNORECASE)
_MAX_EXPRESSION = 512


@dataclass(frozen=True)
class ExpressionPart:
    """One license an SPDX expression names, with the exception it carries, if any."""

    name: str
    exception: str | None = None


def split_expression(expression: str) -> tuple[list[ExpressionPart], bool] | None:
    """The licenses an SPDX expression names, and whether it offers a choice (OR).

    None for a plain license name, or for text that is not a valid expression.
    """
    if len(expression) > _MAX_EXPRESSION or not _OPERATOR.search(f" {expression} "):
        return None
    # Expressions join license keys, which hold no spaces: "NVIDIA OPEN MODEL AND DATA
    # LICENSE AGREEMENT" is one name with "AND" in it, not two licenses.
    if any(" " in word.strip() for word in _OPERATOR.split(f" {expression} ")):
        return None
    # license-expression is the field's parser; only compound names need it.
    from license_expression import (  # noqa: PLC0415
        ExpressionError,
        LicenseWithExceptionSymbol,
        Licensing,
    )

    licensing = Licensing()
    try:
        parsed = licensing.parse(expression, validate=False, strict=False)
        symbols = ([] if parsed is None
                   else licensing.license_symbols(parsed, decompose=False))
    # Some malformed input escapes the parser as IndexError or AssertionError.
    except (ExpressionError, RecursionError, IndexError, AssertionError):
        return None
    parts = [ExpressionPart(s.license_symbol.key, s.exception_symbol.key)
             if isinstance(s, LicenseWithExceptionSymbol) else ExpressionPart(s.key)
             for s in symbols]
    pending, offers_choice = [parsed], False
    while pending and not offers_choice:
        node = pending.pop()
        offers_choice = isinstance(node, licensing.OR)
        pending.extend(getattr(node, "args", ()) or ())
    return (parts, offers_choice) if parts else None


TextMatch = Identification
"""What a license text was identified as, and how sure that is (see `identify.matcher`)."""


@dataclass(frozen=True)
class RegistryConflict:
    """One name claimed by two entries."""

    name: str
    first: str
    second: str


@dataclass
class LicenseRegistry:
    """License entries kept as validated plain data; objects are built only when asked for.

    The engine reads plain facts, so a run that checks one model never pays for turning
    forty entries into objects.
    """

    _data: dict[str, dict[str, Any]] = field(default_factory=dict)
    _objects: dict[str, LicenseTerms] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    _names: dict[str, str] = field(default_factory=dict)
    _hf_names: dict[str, str] = field(default_factory=dict)
    _display_names: dict[str, str] = field(default_factory=dict)
    _ambiguous_names: set[str] = field(default_factory=set)
    _keys: dict[str, str] = field(default_factory=dict)
    _ambiguous_keys: set[str] = field(default_factory=set)
    _links: dict[str, str] = field(default_factory=dict)
    conflicts: list[RegistryConflict] = field(default_factory=list)
    _facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    _fingerprint_data: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)
    _fingerprint_sources: list[Callable[[], list[list[Any]]]] = field(default_factory=list)
    _matcher: Matcher | None = None

    def add(self, terms: LicenseTerms, origin: str) -> None:
        """Add or override an entry (a user catalog may override a bundled one)."""
        self.add_data(terms.model_dump(mode="json"), origin)
        self._objects[terms.id] = terms

    def add_data(self, data: dict[str, Any], origin: str) -> None:
        """Add an entry from data that was validated as `LicenseTerms` before (a cache)."""
        license_id = str(data["id"])
        if license_id in self._data:
            self._forget(license_id)
        self._data[license_id] = data
        self.origins[license_id] = origin
        self._objects.pop(license_id, None)
        self._facts.pop(license_id, None)
        self._matcher = None
        ids = data.get("ids") or {}
        self._claim(self._names, license_id, license_id)
        for name in (*ids.get("hf", []), *ids.get("aliases", []), ids.get("spdx"),
                     ids.get("scancode")):
            if name:
                self._claim(self._names, name, license_id)
        for name in ids.get("hf_names", []):
            self._claim(self._hf_names, name, license_id)
        if data.get("name"):
            # Versions of one license may share a name: a shared name matches neither.
            self._claim_soft(self._display_names, self._ambiguous_names,
                             normalize_license_name(str(data["name"])), license_id)
        for name in (license_id, data.get("name"), *ids.get("hf", []),
                     *ids.get("hf_names", []), *ids.get("aliases", []), ids.get("spdx")):
            if name:
                self._claim_soft(self._keys, self._ambiguous_keys, license_name_key(str(name)),
                                 license_id)
        for link in ids.get("links", []):
            self._claim(self._links, _link_key(link), license_id)

    @staticmethod
    def _claim_soft(table: dict[str, str], ambiguous: set[str], key: str,
                    license_id: str) -> None:
        """Display names and loose keys are a fallback: one two entries share matches neither."""
        if not key or key in ambiguous:
            return
        owner = table.setdefault(key, license_id)
        if owner != license_id:
            del table[key]
            ambiguous.add(key)

    def _claim(self, table: dict[str, str], name: str, license_id: str) -> None:
        key = normalize_license_name(name)
        owner = table.get(key)
        if owner is not None and owner != license_id:
            self.conflicts.append(RegistryConflict(name, owner, license_id))
            return
        table[key] = license_id

    def _forget(self, license_id: str) -> None:
        for table in (self._names, self._hf_names, self._display_names, self._keys,
                      self._links):
            for key in [k for k, v in table.items() if v == license_id]:
                del table[key]

    def add_fingerprint_data(self, data: dict[str, Any], origin: str) -> None:
        """Add (or override) the text fingerprints of one license id: a parsed, validated
        `fingerprints/<id>.json`. Decoded only when a text is first identified; inert while
        no entry has that id."""
        self._fingerprint_data[str(data["id"])] = (data, origin)
        self._matcher = None

    def add_fingerprint_source(self, source: Callable[[], list[list[Any]]]) -> None:
        """A folder's fingerprints as `[data, origin]` pairs, read when first needed; sources
        are read in the order they were added, so a later folder overrides an earlier one."""
        self._fingerprint_sources.append(source)
        self._matcher = None

    def matcher(self) -> Matcher:
        """The fingerprints of every registry entry, compiled once."""
        while self._fingerprint_sources:
            for data, origin in self._fingerprint_sources.pop(0)():
                self.add_fingerprint_data(data, str(origin))
        if self._matcher is None:
            from openres_check.identify.fingerprint import read_fingerprints  # noqa: PLC0415
            from openres_check.identify.matcher import Matcher  # noqa: PLC0415 - lazy

            active: list[Fingerprint] = []
            for license_id, (data, origin) in sorted(self._fingerprint_data.items()):
                if license_id in self._data:
                    active.extend(read_fingerprints(data, origin))
            self._matcher = Matcher(active)
        return self._matcher

    def data(self) -> list[tuple[dict[str, Any], str]]:
        """Every entry as (plain data, origin), for the cache."""
        return [(self._data[k], self.origins[k]) for k in sorted(self._data)]

    def __contains__(self, license_id: object) -> bool:
        return license_id in self._data

    def ids(self) -> list[str]:
        """Every license id, without building the entries' objects."""
        return sorted(self._data)

    def __iter__(self) -> Iterator[LicenseTerms]:
        return iter(terms for k in sorted(self._data) if (terms := self.get(k)) is not None)

    def __len__(self) -> int:
        return len(self._data)

    def get(self, license_id: str) -> LicenseTerms | None:
        if license_id not in self._data:
            return None
        terms = self._objects.get(license_id)
        if terms is None:
            from openres_check.model.license import LicenseTerms  # noqa: PLC0415 - lazy

            terms = LicenseTerms.model_validate(self._data[license_id])
            self._objects[license_id] = terms
        return terms

    def resolve(self, name: str | None) -> str | None:
        """The registry id for any name a license goes by, or None."""
        if not name:
            return None
        key = normalize_license_name(name)
        return (self._names.get(key) or self._hf_names.get(key)
                or self._display_names.get(key) or self._keys.get(license_name_key(name)))

    def resolve_link(self, link: str | None) -> str | None:
        """The registry id a card's `license_link` names, when an entry lists that URL."""
        return self._links.get(_link_key(link)) if link else None

    def resolve_card(self, license_tag: str | None, license_name: str | None,
                     license_link: str | None = None) -> str | None:
        """Map a card's `license:`, `license_name:` and `license_link:` to a registry id.

        A restrictive `license_name` wins over a permissive tag: Janus cards say
        `license: mit` with `license_name: deepseek`, and the DeepSeek terms apply. A
        `license_link` decides only where the name does not.
        """
        if license_name:
            named = self._hf_names.get(normalize_license_name(license_name)) or self.resolve(
                license_name)
            if named:
                return named
        if license_tag and normalize_license_name(license_tag) not in NON_IDENTIFYING:
            return self.resolve(license_tag)
        return self.resolve_link(license_link)

    def facts(self, license_id: str) -> dict[str, Any]:
        """The entry as plain facts, shared by every model that carries it."""
        facts = self._facts.get(license_id)
        if facts is None:
            facts = {k: v for k, v in self._data[license_id].items()
                     if k not in ("fingerprints", "text_sha256")}
            self._facts[license_id] = facts
        return facts

    def identify_text(self, text: str, prefer: str | None = None) -> TextMatch:
        """Identify a license (or use-policy) text: by the normalised hash of a known copy,
        then by how much of it a registry text explains (see `identify.matcher`).

        `prefer` (the declared license) settles a tie between registry texts that explain the
        file equally well. Distinctive phrases never identify a text on their own: they only
        name candidates for a text nothing explains.
        """
        normalized = normalize_text(text)
        digest = hashlib.sha256(normalized.encode()).hexdigest()
        for license_id, data in self._data.items():
            if digest in data.get("text_sha256", ()):
                return TextMatch(license_id, "exact", file_coverage=1.0, license_coverage=1.0)
        found = self.matcher().identify(text, prefer)
        if found.confidence != "none":
            return found
        hinted = sorted(lid for lid, data in self._data.items()
                        if any(p in normalized for p in data.get("fingerprints", ())))
        if not hinted:
            return found
        phrases = tuple(p for lid in hinted for p in self._data[lid].get("fingerprints", ())
                        if p in normalized)
        return TextMatch(None, "none", candidates=tuple(
            dict.fromkeys((*found.candidates, *hinted))), matched=tuple(dict.fromkeys(phrases)))
