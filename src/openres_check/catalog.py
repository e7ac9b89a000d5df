"""The model catalog: bundled and user descriptors, looked up by id or alias.

A catalog folder holds `licenses/*.yaml` (one registry entry per file),
`models/**/*.yaml` (one descriptor per file, or `models: [...]` for a family),
`services/*.yaml` (one hosted-service descriptor per file), `ollama/*.yaml` (one Ollama
library name per file) and `fingerprints/<license id>.json` (generated text fingerprints, see
`_fingerprints`). User folders extend the bundled catalog and may override an entry by using the
same id (or library name).
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from openres_check import _resources
from openres_check._cache import cached, content_key
from openres_check._loading import validate_document
from openres_check._yaml import Document, load_yaml, read_file
from openres_check.errors import InputError, Issue, Location, UnknownModelError
from openres_check.licenses import LicenseRegistry
from openres_check.lookup.hosted import HostedEndpoint, HostedIndex, hosted_facts
from openres_check.lookup.ollama import CLOUD_SERVICE, OllamaIndex, OllamaTag
from openres_check.model.descriptor import HostedService, ModelDescriptor

__all__ = ["KINDS", "Catalog", "CatalogEntry", "load_catalog", "unreadable", "validate_part"]

KINDS = ("licenses", "models", "services", "ollama", "fingerprints")
"""The subfolders of a catalog folder."""

M = TypeVar("M", bound=BaseModel)
_MAX_FINGERPRINT_FILE = 4 * 1024 * 1024


class CatalogEntry:
    """One descriptor: validated plain data, turned into an object when first used."""

    __slots__ = ("_descriptor", "data", "origin")

    def __init__(self, data: dict[str, Any], origin: str,
                 descriptor: ModelDescriptor | None = None) -> None:
        self.data = data
        self.origin = origin
        self._descriptor = descriptor

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def descriptor(self) -> ModelDescriptor:
        if self._descriptor is None:
            self._descriptor = ModelDescriptor.model_validate(self.data)
        return self._descriptor


@dataclass
class Catalog:
    """Descriptors and the license registry, with case-insensitive id and alias lookup."""

    licenses: LicenseRegistry = field(default_factory=LicenseRegistry)
    entries: dict[str, CatalogEntry] = field(default_factory=dict)
    _index: dict[str, str] = field(default_factory=dict)
    services: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Hosted-service descriptors as validated plain data, by id."""
    ollama: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The Ollama library mapping as validated plain data, by library name."""
    origins: dict[str, str] = field(default_factory=dict)
    """Where each service (`service:ID`) and Ollama entry (`ollama:NAME`) came from."""
    _hosted: HostedIndex | None = None
    _ollama: OllamaIndex | None = None

    # -- building ------------------------------------------------------------------------

    def add(self, descriptor: ModelDescriptor, origin: str) -> None:
        """Add or replace (by id) a descriptor; call `build_index` when done."""
        self.entries[descriptor.id] = CatalogEntry(descriptor.model_dump(mode="json"), origin,
                                                   descriptor)

    def add_data(self, data: dict[str, Any], origin: str) -> None:
        """Add a descriptor from data validated before (the cache)."""
        self.entries[str(data["id"])] = CatalogEntry(data, origin)

    def build_index(self) -> list[Issue]:
        """Index ids and aliases; an alias claimed by two models is an issue."""
        self._index = {}
        issues: list[Issue] = []
        for model_id in sorted(self.entries):
            owner = self._index.get(model_id.lower())
            if owner is not None:
                issues.append(Issue(
                    "duplicate-id", f"{model_id} and {owner} differ only in case",
                    Location(self.entries[model_id].origin, ("id",)), "keep one spelling"))
            self._index[model_id.lower()] = model_id
        for model_id in sorted(self.entries):
            entry = self.entries[model_id]
            for alias in entry.data.get("aliases", []):
                key = alias.lower()
                owner = self._index.get(key)
                if owner is not None and owner != model_id:
                    issues.append(Issue(
                        "ambiguous-alias", f"alias {alias!r} of {model_id} is already "
                        f"{'the id' if owner.lower() == key else 'an alias'} of {owner}",
                        Location(entry.origin, ("aliases",)), "remove or rename the alias"))
                    continue
                self._index[key] = model_id
        return issues

    def add_service_data(self, data: dict[str, Any], origin: str) -> None:
        """Add or replace (by id) a hosted service validated before; indexes are rebuilt."""
        self.services[str(data["id"])] = data
        self.origins[f"service:{data['id']}"] = origin
        self._hosted = None

    def add_ollama_data(self, data: dict[str, Any], origin: str) -> None:
        """Add or replace (by name) an Ollama library entry validated before."""
        self.ollama[str(data["name"])] = data
        self.origins[f"ollama:{data['name']}"] = origin
        self._ollama = None

    def build_lookups(self) -> list[Issue]:
        """Index hosts, API model names and Ollama tags; ambiguities are issues."""
        self._hosted = HostedIndex(self.services, {
            k: self.origins.get(f"service:{k}", "catalog") for k in self.services})
        self._ollama = OllamaIndex(self.ollama, {
            k: self.origins.get(f"ollama:{k}", "catalog") for k in self.ollama},
            CLOUD_SERVICE if CLOUD_SERVICE in self.services else None)
        return [*self._hosted.issues, *self._ollama.issues]

    def link_services(self) -> list[Issue]:
        """Replace each descriptor's `hosted_service: SERVICE-ID` by that service's facts."""
        issues: list[Issue] = []
        for model_id, entry in self.entries.items():
            reference = entry.data.get("hosted_service")
            if not isinstance(reference, str):
                continue
            service = self.services.get(reference)
            if service is None:
                issues.append(unknown_service(reference, entry.origin, sorted(self.services)))
                continue
            self.entries[model_id] = CatalogEntry(
                {**entry.data, "hosted_service": hosted_facts(service)}, entry.origin)
        return issues

    def linked(self, descriptor: ModelDescriptor, origin: str) -> ModelDescriptor:
        """`descriptor` with a `hosted_service: SERVICE-ID` replaced by the service's facts.

        Raises `InputError` for an id the catalog does not know.
        """
        reference = descriptor.hosted_service
        if not isinstance(reference, str):
            return descriptor
        service = self.services.get(reference)
        if service is None:
            issue = unknown_service(reference, origin, sorted(self.services))
            raise InputError(f"{origin} names an unknown hosted service", [issue])
        facts = HostedService.model_validate(hosted_facts(service))
        return descriptor.model_copy(update={"hosted_service": facts})

    # -- lookup --------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[CatalogEntry]:
        return iter(self.entries[k] for k in sorted(self.entries, key=str.lower))

    def find(self, reference: str) -> CatalogEntry | None:
        model_id = self._index.get(reference.strip().lower())
        return self.entries.get(model_id) if model_id else None

    def get(self, reference: str) -> CatalogEntry:
        """The entry for an id or alias. Raises `UnknownModelError` with close matches."""
        entry = self.find(reference)
        if entry is None:
            raise UnknownModelError(reference, self.suggest(reference))
        return entry

    def suggest(self, reference: str, n: int = 3) -> list[str]:
        """Ids the reference is probably a typo of; none rather than a wrong guess.

        A candidate must carry the same numbers (`deepseek-chat` is not `DeepSeek-V2-Chat`,
        and `Llama-3.3-8B` is not `Llama-3.1-8B`: another version is another model), and be
        close in spelling, or differ only in its organisation; or complete a cut-off id.
        """
        key = reference.strip().lower()
        numbers = _NUMBERS.findall(key)
        # Same numbers, or a completion of a cut-off id (`DeepSeek-R` -> `DeepSeek-R1`).
        same_numbers = [k for k in self._index if _NUMBERS.findall(k) == numbers
                        or (k.startswith(key) and _NUMBERS.findall(k)[:len(numbers)] == numbers)]
        matches = difflib.get_close_matches(key, same_numbers, n=n, cutoff=0.8)
        if not matches and "/" in key:
            tail = key.rsplit("/", 1)[-1]
            matches = [k for k in same_numbers if k.rsplit("/", 1)[-1] == tail][:n]
        return sorted({self._index[m] for m in matches})

    def find_hosted(self, *, host: str | None = None,
                    model: str | None = None) -> HostedEndpoint | None:
        """The hosted service behind a host (a URL or a bare host, any case) and the weights
        behind an API model name, where the catalog records them.

        With a host, the host decides the service (an unknown host gives None, whatever the
        model). With only a model name, the name must belong to one service: a name that
        regional editions share (`qwen-plus`) gives None, as where data goes is then unknown.
        """
        if self._hosted is None:
            self.build_lookups()
        assert self._hosted is not None  # noqa: S101 - set by build_lookups, for mypy
        return self._hosted.find(host, model)

    def find_ollama(self, reference: str, as_of: dt.date) -> OllamaTag | None:
        """What an Ollama library name (`name`, `name:tag`, `library/name:tag`,
        `registry.ollama.ai/library/name:tag`) pulled on `as_of`, where a source records it."""
        if self._ollama is None:
            self.build_lookups()
        assert self._ollama is not None  # noqa: S101 - set by build_lookups, for mypy
        return self._ollama.find(reference, as_of)

    def search(self, text: str) -> list[CatalogEntry]:
        """Entries whose id, name, alias, publisher or license mentions every word of `text`.

        Spaces, hyphens, dots and case do not matter, and a number is a whole word:
        `llama 3.2` finds `Llama-3.2-1B`, not `Llama-3.1-32B`.
        """
        words = [f" {_words(w)}" for w in text.split()]
        hits = []
        for entry in self:
            d = entry.data
            haystack = " ".join(_words(h) for h in (
                d["id"], d.get("name") or "", d["publisher"]["name"], *d.get("aliases", []),
                *d.get("tags", []), *(a["license"] for a in d["licenses"].values())))
            if words and all(w in f" {haystack} " for w in words):
                hits.append(entry)
        return hits


_NUMBERS = re.compile(r"\d+")
_WORD_BREAK = re.compile(r"[^0-9a-z]+|(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")


def _words(text: str) -> str:
    """`Qwen2.5-7B` as `qwen 2 5 7 b`: words and numbers apart, whatever joined them."""
    return " ".join(w for w in _WORD_BREAK.split(text.lower()) if w)


def unreadable(path: Path | str, exc: OSError) -> InputError:
    """The located error for a file or folder that exists but cannot be read."""
    return InputError(f"cannot read {path}", [Issue(
        "unreadable", f"cannot read it: {exc.strerror or exc}", Location(str(path)),
        "check its permissions, or pass another path")])


def unknown_service(reference: str, origin: str, known: list[str]) -> Issue:
    close = difflib.get_close_matches(reference, known, n=3)
    return Issue("unknown-service", f"hosted_service names {reference!r}, which is not a "
                 "service in the catalog", Location(origin, ("hosted_service",)),
                 f"did you mean {' or '.join(close)}?" if close
                 else "run `openres-check catalog services` to list them")


def _catalog_files(folder: Path, kind: str) -> list[Path]:
    root = folder / kind
    if not root.is_dir():
        return []
    if kind == "fingerprints":  # generated data, one JSON file per license id
        return sorted(root.glob("*.json"))
    return sorted(p for p in root.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def _read_fingerprints(path: Path, label: str) -> list[Any]:
    """One fingerprint file as stored data; it is validated once here, before the cache."""
    from openres_check.identify.fingerprint import read_fingerprints  # noqa: PLC0415 - rarely

    try:
        data = json.loads(read_file(path, _MAX_FINGERPRINT_FILE).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InputError(f"invalid fingerprint file {label}", [Issue(
            "invalid-fingerprint", f"not JSON: {exc}", Location(label),
            "regenerate it: python -m openres_check._fingerprints")]) from None
    read_fingerprints(data, label)
    return [data, label]


def _label(path: Path, folder: Path, bundled: bool) -> str:
    relative = path.relative_to(folder).as_posix()
    return f"catalog/{relative}" if bundled else str(path)


def _descriptor_parts(doc: Document) -> Iterable[tuple[Any, tuple[str | int, ...]]]:
    data = doc.data
    if isinstance(data, dict) and set(data) == {"models"} and isinstance(data["models"], list):
        for index, item in enumerate(data["models"]):
            yield item, ("models", index)
    else:
        yield data, ()


def _shift(issue: Issue, prefix: tuple[str | int, ...]) -> Issue:
    loc = issue.location
    return Issue(issue.code, issue.message,
                 Location(loc.source, (*prefix, *loc.path), loc.line, loc.column), issue.hint)


def validate_part(cls: type[M], data: Any, doc: Document, prefix: tuple[str | int, ...],
                  what: str) -> M:
    """Validate `data`, the value at `prefix` in `doc`, so that issues name the file's lines
    and the full path."""
    if not prefix:
        return validate_document(cls, doc, what)
    marks = {k[len(prefix):]: v for k, v in doc.marks.items() if k[:len(prefix)] == prefix}
    try:
        return validate_document(cls, Document(doc.source, data, marks), what)
    except InputError as exc:
        raise InputError(exc.message, [_shift(i, prefix) for i in exc.issues]) from None


def _load_folder(folder: Path, bundled: bool) -> dict[str, Any]:
    """Parse and validate one catalog folder into plain data (what the cache stores)."""
    from openres_check.model.license import LicenseTerms  # noqa: PLC0415 - only on a cache miss
    from openres_check.model.ollama import OllamaLibraryEntry  # noqa: PLC0415 - same
    from openres_check.model.service import ServiceDescriptor  # noqa: PLC0415 - same

    issues: list[Issue] = []
    licenses: list[list[Any]] = []
    models: list[list[Any]] = []
    services: list[list[Any]] = []
    ollama: list[list[Any]] = []
    for kind, cls, what, into in (
            ("services", ServiceDescriptor, "hosted-service descriptor", services),
            ("ollama", OllamaLibraryEntry, "Ollama library mapping", ollama)):
        for path in _catalog_files(folder, kind):
            label = _label(path, folder, bundled)
            try:
                item = validate_document(cls, load_yaml(path, label=label), what)
            except InputError as exc:
                issues.extend(exc.issues)
                continue
            into.append([item.model_dump(mode="json"), label])
    for path in _catalog_files(folder, "licenses"):
        label = _label(path, folder, bundled)
        try:
            terms = validate_document(LicenseTerms, load_yaml(path, label=label),
                                      "license registry entry")
        except InputError as exc:
            issues.extend(exc.issues)
            continue
        licenses.append([terms.model_dump(mode="json"), label])
    for path in _catalog_files(folder, "models"):
        label = _label(path, folder, bundled)
        try:
            doc = load_yaml(path, label=label)
        except InputError as exc:
            issues.extend(exc.issues)
            continue
        for data, prefix in _descriptor_parts(doc):
            try:
                descriptor = validate_part(ModelDescriptor, data, doc, prefix,
                                           "model descriptor")
            except InputError as exc:
                issues.extend(exc.issues)
                continue
            models.append([descriptor.model_dump(mode="json"), label])
    if issues:
        raise InputError(f"the catalog has {len(issues)} problem"
                         f"{'s' if len(issues) != 1 else ''}", issues)
    return {"licenses": licenses, "models": models, "services": services, "ollama": ollama}


def _load_fingerprints(folder: Path, bundled: bool) -> dict[str, Any]:
    """A folder's text fingerprints, validated: cached apart from the rest of the folder,
    because only a run that identifies a license text needs them (half the catalog's bytes)."""
    issues: list[Issue] = []
    fingerprints = []
    for path in _catalog_files(folder, "fingerprints"):
        try:
            fingerprints.append(_read_fingerprints(path, _label(path, folder, bundled)))
        except InputError as exc:  # noqa: PERF203 - collect every broken file, not the first
            issues.extend(exc.issues)
    if issues:
        raise InputError(f"the catalog has {len(issues)} problem"
                         f"{'s' if len(issues) != 1 else ''}", issues)
    return {"fingerprints": fingerprints}


def _cached_fingerprints(folder: Path, bundled: bool, key: str) -> list[list[Any]]:
    content, _hit = cached("fingerprints", key,
                           functools.partial(_load_fingerprints, folder, bundled),
                           _is_fingerprint_content)
    return list(content["fingerprints"])


def _is_fingerprint_content(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("fingerprints"), list) and all(
        isinstance(pair, list) and len(pair) == 2 for pair in value["fingerprints"])  # noqa: PLR2004


def _is_folder_content(value: Any) -> bool:
    """Whether a cached entry has the shape `_load_folder` returns: a cheap check (no
    validation) so that a damaged cache file is rebuilt instead of failing later."""
    return isinstance(value, dict) and all(
        isinstance(pairs := value.get(kind), list) and all(
            isinstance(pair, list) and len(pair) == 2  # noqa: PLR2004 - [data, origin]
            and isinstance(pair[0], dict)
            and isinstance(pair[0].get("name" if kind == "ollama" else "id"), str)
            and isinstance(pair[1], str) for pair in pairs)
        for kind in KINDS if kind != "fingerprints")


def load_catalog(extra: Iterable[str | Path] = (), *, include_bundled: bool = True) -> Catalog:
    """Load the bundled catalog and any user folders. Raises `InputError` listing every issue.

    Each folder's validated content is cached by the hash of its files (see `_cache`).
    """
    catalog = Catalog()
    issues: list[Issue] = []
    folders: list[tuple[Path, bool]] = []
    if include_bundled:
        folders.append((_resources.bundled("catalog"), True))
    for path in extra:
        folder = Path(path)
        try:
            found = folder.is_dir()
        except OSError as exc:
            raise unreadable(folder, exc) from None
        if not found:
            raise InputError(f"catalog folder {folder} does not exist", [Issue(
                "not-found", "no such folder", Location(str(folder)),
                "pass a folder that holds licenses/ and models/")])
        if not any((folder / kind).is_dir() for kind in KINDS):
            # Descriptors placed at the top would be ignored, and the model then "unknown".
            raise InputError(f"catalog folder {folder} has no licenses/, models/, services/ "
                             "or ollama/", [Issue(
                "catalog-layout", "a catalog folder holds its entries in licenses/, models/, "
                "services/ and ollama/", Location(str(folder)),
                "move license entries to licenses/, model descriptors to models/, hosted "
                "services to services/ and Ollama mappings to ollama/")])
        folders.append((folder, False))
    for folder, bundled in folders:
        try:
            files = [path for kind in KINDS for path in _catalog_files(folder, kind)]
            key = content_key("catalog", files, folder)
            content, _hit = cached("catalog", key, functools.partial(_load_folder, folder, bundled),
                                   _is_folder_content)
        except OSError as exc:
            # Name what failed: one file or subfolder of a readable catalog may be unreadable.
            issues.extend(unreadable(exc.filename or folder, exc).issues)
            continue
        except InputError as exc:
            issues.extend(exc.issues)
            continue
        for data, origin in content["licenses"]:
            catalog.licenses.add_data(data, origin)
        for data, origin in content["models"]:
            catalog.add_data(data, origin)
        for data, origin in content["services"]:
            catalog.add_service_data(data, origin)
        for data, origin in content["ollama"]:
            catalog.add_ollama_data(data, origin)
        fingerprints = functools.partial(_cached_fingerprints, folder, bundled, key)
        if bundled:  # tested with the package: read only when a text is identified
            catalog.licenses.add_fingerprint_source(fingerprints)
            continue
        try:  # a user's folder is checked now, so a broken file is reported with the rest
            for data, origin in fingerprints():
                catalog.licenses.add_fingerprint_data(data, origin)
        except InputError as exc:
            issues.extend(exc.issues)
    issues.extend(
        Issue("ambiguous-license-name", f"{c.name!r} names both {c.first} and {c.second}",
              Location(catalog.licenses.origins.get(c.second, "catalog")),
              "keep the name on one registry entry only")
        for c in catalog.licenses.conflicts
    )
    issues.extend(catalog.build_index())
    issues.extend(catalog.link_services())
    issues.extend(catalog.build_lookups())
    if issues:
        raise InputError(f"the catalog has {len(issues)} problem"
                         f"{'s' if len(issues) != 1 else ''}", issues)
    return catalog


def descriptor_summary(entry: CatalogEntry) -> dict[str, Any]:
    """The catalog-list view of one descriptor."""
    d = entry.descriptor
    return {
        "id": d.id,
        "aliases": list(d.aliases),
        "name": d.name or d.id.rsplit("/", 1)[-1],
        "kind": d.kind,
        "publisher": {"name": d.publisher.name, "country": d.publisher.country},
        "licenses": {k: v.license for k, v in d.licenses.items()},
        "lineage": [{"base": link.base, "relation": link.relation} for link in d.lineage],
        "sources": [s.url for s in d.sources],
    }
