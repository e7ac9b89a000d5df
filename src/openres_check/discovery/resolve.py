"""From found references to descriptors: what each reference is, as far as facts can tell.

In order: a catalog id or alias; an `hf.co/...` or provider-prefixed name (its remainder is
looked up); the metadata of a weights file (GGUF, safetensors) or a model folder (its license
through the license registry, its base model through lineage); an Ollama library tag through
the catalog's dated tag mapping; a hosted API through the catalog's hosted-service
descriptors. A reference that resolves to nothing is kept as an unresolved model (the
engine gives it a `review`), never dropped.

The tag mapping and the hosted services are read through `ServiceLookup`, which the catalog
implements; tests and other callers may pass their own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from openres_check._yaml import read_head
from openres_check.discovery._names import hf_co_name, is_repo_id, provider_kind, split_provider
from openres_check.discovery.gguf import MAX_HEADER, GgufError, header_attributes, parse_gguf
from openres_check.discovery.interface import FoundReference, ReferenceKind
from openres_check.errors import InputError
from openres_check.lookup.hosted import host_of
from openres_check.model.common import Confidence, Source
from openres_check.model.descriptor import (
    HostedService,
    LicenseAssignment,
    LicenseFile,
    LineageLink,
    ModelDescriptor,
    ModelKind,
    Publisher,
    Relation,
)
from openres_check.sources._declared import declared_assignments

if TYPE_CHECKING:
    from openres_check.catalog import Catalog
    from openres_check.lookup.hosted import HostedEndpoint
    from openres_check.lookup.ollama import OllamaTag

__all__ = ["DiscoveredModel", "ServiceLookup", "discovery_facts", "resolve_references"]

_LOCAL_HOSTS = ("localhost", "127.0.0.1", "0.0.0.0", "::1", "host.docker.internal")  # noqa: S104
_MAX_LICENSE = 2 * 1024 * 1024


class ServiceLookup(Protocol):
    """Hosted services and Ollama tags: what the catalog knows beyond model descriptors
    (`Catalog.find_hosted`, `Catalog.find_ollama`, and the services by id)."""

    services: dict[str, dict[str, Any]]

    def find_hosted(self, *, host: str | None = None,
                    model: str | None = None) -> HostedEndpoint | None: ...

    def find_ollama(self, reference: str, as_of: dt.date) -> OllamaTag | None: ...


@dataclass
class DiscoveredModel:
    """One model the scan found, with every place that refers to it."""

    key: str
    descriptor: ModelDescriptor
    origin: str
    how: str
    """How it was resolved: catalog, hf.co, provider, ollama-tag, hosted, gguf, safetensors,
    folder, ollama-store, or unresolved."""
    locations: list[FoundReference] = field(default_factory=list)
    hosted: bool = False
    """Runs on a hosted service: judged as `deployment.mode: vendor-api`."""
    note: str | None = None
    note_ja: str | None = None
    """The note in Japanese, where the scan wrote one (unresolved references)."""

    @property
    def resolved(self) -> bool:
        return self.how != "unresolved"


def _host(url: str | None) -> str | None:
    return host_of(url) if url else None


def _is_local(host: str | None) -> bool:
    # A name without a dot is a service on the same network (docker-compose, Kubernetes).
    return host is None or host in _LOCAL_HOSTS or "." not in host or host.endswith(
        (".local", ".internal", ".svc", ".cluster.local")) or host.startswith(("10.", "192.168."))


def _strip_tag(name: str) -> str:
    """`user/repo:Q4_K_M` (llama.cpp `-hf`) or `repo@rev` as the repo id."""
    for mark in (":", "@"):
        head, sep, _tail = name.partition(mark)
        if sep and is_repo_id(head):
            return head
    return name


def _unknown(note: str, source: Source) -> dict[str, LicenseAssignment]:
    return {"weights": LicenseAssignment(license=f"unknown ({note})", source=source,
                                         confidence=Confidence.UNVERIFIED)}


def _hf_repo(url: str) -> str | None:
    """The repo id of a Hub URL (`https://huggingface.co/ORG/NAME`), or an id as it is."""
    found = hf_co_name(url.rstrip("/"))
    if found is not None:
        return found[0]
    return url if is_repo_id(url) else None


class _Resolver:
    def __init__(self, catalog: Catalog, services: ServiceLookup, as_of: dt.date) -> None:
        self.catalog = catalog
        self.services = services
        self.as_of = as_of
        self.models: dict[str, DiscoveredModel] = {}

    def add(self, reference: FoundReference) -> None:
        model = self.resolve(reference)
        existing = self.models.setdefault(model.key.lower(), model)
        existing.locations.append(reference)

    # -- steps -------------------------------------------------------------------------

    def resolve(self, ref: FoundReference) -> DiscoveredModel:
        if ref.kind in (ReferenceKind.FILE, ReferenceKind.PATH):
            return self.weights(ref)
        name = ref.raw
        provider, rest = split_provider(name)
        how = "catalog"
        if provider is not None:
            how = "provider"
            kind = provider_kind(provider)
            if kind == "ollama":
                return self.ollama(rest, ref)
            if kind == "publisher":
                return self.hosted(rest, _host(ref.attribute("base_url")), provider) or \
                    self.unresolved(ref, f"the {provider} API model {rest!r} is not in the "
                                    "catalog's hosted services",
                                    f"{provider} の API モデル「{rest}」はカタログのホスト型"
                                    "サービスに記録されていません")
            name = rest
        hf = hf_co_name(name)
        if hf is not None:
            name, how = hf[0], "hf.co"
        if ref.kind == ReferenceKind.OLLAMA and hf is None:
            return self.ollama(name, ref)
        host = _host(ref.attribute("base_url"))
        if ref.kind == ReferenceKind.HOSTED and not _is_local(host):
            found = self.hosted(name, host, provider)
            if found is not None:
                return found
        entry = self.catalog.find(name) or self.catalog.find(_strip_tag(name))
        if entry is not None:
            return DiscoveredModel(entry.id, entry.descriptor, entry.origin, how)
        if ref.kind == ReferenceKind.HOSTED and host is None:
            found = self.hosted(name, None, provider)
            if found is not None:
                return found
        return self.unresolved(ref, "not a catalog id or alias, and no hosted service or "
                               "Ollama tag in the catalog matches it",
                               "カタログの ID・別名ではなく、カタログのホスト型サービスや "
                               "Ollama タグにも一致しません")

    def hosted(self, api_model: str, host: str | None,
               provider: str | None) -> DiscoveredModel | None:
        endpoint = self.services.find_hosted(host=host, model=api_model)
        if endpoint is None:
            return None
        return self.service_model(endpoint.service, endpoint.host or endpoint.service_id,
                                  endpoint.api_model or api_model, endpoint.model, provider)

    def service_model(self, service: HostedService, where: str, api_model: str,
                      served_id: str | None, provider: str | None) -> DiscoveredModel:
        """A model used through a hosted service: the served weights' descriptor (when the
        catalog says which) with the service's facts, under its own id."""
        key = f"{where}/{api_model}"
        served = self.catalog.find(served_id) if served_id else None
        via = f" via {provider}" if provider else ""
        note = (f"{api_model} on {service.name}{via}"
                + (f", serving {served.id}" if served else ""))
        if served is not None:
            descriptor = served.descriptor.model_copy(update={
                "id": key, "name": note, "aliases": [], "hosted_service": service})
            origin = served.origin
        else:
            what = (f"serves {served_id}, which the catalog does not describe" if served_id
                    else "the catalog does not say which weights this API serves")
            descriptor = ModelDescriptor(
                id=key, name=note, kind=ModelKind.PLATFORM, open_weights=False,
                publisher=Publisher(name=service.operator, country=service.country),
                licenses=_unknown(f"a hosted API under the service's terms; {what}",
                                  service.source),
                hosted_service=service, sources=[service.source])
            origin = service.source.url
        return DiscoveredModel(key, descriptor, origin, "hosted", hosted=True, note=note)

    def ollama(self, name: str, ref: FoundReference) -> DiscoveredModel:
        found = self.services.find_ollama(name, self.as_of)
        if found is not None and found.hosted:
            return self.ollama_cloud(name, found)
        tag = name.rpartition(":")[2] if ":" in name else ""
        if found is None and (tag == "cloud" or tag.endswith("-cloud")):
            return self.ollama_cloud(name, None)
        entry = self.catalog.find(found.model) if found is not None and found.model else None
        if found is not None and entry is not None:
            note = (f"Ollama tag {found.name}:{found.tag} pulled {entry.id} on "
                    f"{self.as_of.isoformat()} (source {found.source.url})")
            return DiscoveredModel(entry.id, entry.descriptor, entry.origin, "ollama-tag",
                                   note=note)
        if found is not None and found.model:
            return self.unresolved(ref, f"the Ollama tag {found.name}:{found.tag} pulls "
                                   f"{found.model}, which the catalog does not describe",
                                   f"Ollama タグ {found.name}:{found.tag} は {found.model} を"
                                   "取得しますが、このモデルはカタログにありません")
        day = self.as_of
        return self.unresolved(ref, "an Ollama tag the catalog's tag mapping does not know "
                               f"on {day.isoformat()}", f"{day.year}年{day.month}月{day.day}日"
                               "時点のカタログの Ollama タグ対応表にないタグです")

    def ollama_cloud(self, name: str, found: OllamaTag | None) -> DiscoveredModel:
        """A cloud tag runs on Ollama's hosted service, not on this machine."""
        data = self.services.services.get(found.service) if found and found.service else None
        if data is not None:
            from openres_check.lookup.hosted import hosted_facts  # noqa: PLC0415 - only here

            service = HostedService.model_validate(hosted_facts(data))
            model = self.service_model(service, "ollama-cloud", name,
                                       found.model if found else None, None)
            model.note = f"{model.note}; a cloud tag: runs on a hosted service, not locally"
            model.how = "ollama-cloud"
            return model
        source = Source(url="https://docs.ollama.com/cloud/models", section="Cloud models",
                        quote="Cloud models run in Ollama’s cloud")
        descriptor = ModelDescriptor(
            id=name, name=f"{name} (runs on Ollama's hosted service, not locally)",
            kind=ModelKind.PLATFORM, publisher=Publisher(name="Ollama"),
            licenses=_unknown("a cloud tag: the model runs on a hosted service", source),
            sources=[source])
        return DiscoveredModel(name, descriptor, source.url, "ollama-cloud", hosted=True,
                               note="a cloud tag: runs on Ollama's hosted service, not on "
                               "this machine")

    def weights(self, ref: FoundReference) -> DiscoveredModel:
        attributes = dict(ref.attributes)
        if ref.finder == "hf-folder" and "_folder" in attributes:
            return self.folder(ref, Path(attributes["_folder"]), attributes)
        if ref.kind == ReferenceKind.PATH:
            attributes.update(self.path_header(ref))
            # Named from another file: the same model as the file itself, when it is here.
            key = posixpath.normpath(posixpath.join(posixpath.dirname(ref.path), ref.raw))
            ref = dataclasses.replace(ref, raw=key)
        gguf = {k.removeprefix("gguf:"): v for k, v in attributes.items()
                if k.startswith("gguf:")}
        safetensors = {k.removeprefix("safetensors:"): v for k, v in attributes.items()
                       if k.startswith("safetensors:")}
        if not gguf and not safetensors and ref.finder != "ollama-store":
            return self.unresolved(ref, "a weights file whose header names no license or "
                                   "base model", "ヘッダーにライセンスもベースモデルも記載されて"
                                   "いない重みファイルです")
        return self.from_metadata(ref, gguf, safetensors, attributes)

    def path_header(self, ref: FoundReference) -> dict[str, str]:
        """The GGUF header of a weights file a command or Modelfile names, when it is here."""
        folder = ref.attribute("_dir")
        path = Path(ref.raw).expanduser()
        if folder is not None and not path.is_absolute():
            path = Path(folder) / path
        try:
            if path.is_file():
                return header_attributes(parse_gguf(read_head(path, MAX_HEADER)).metadata)
        except (GgufError, InputError, OSError):
            return {}
        return {}

    def folder(self, ref: FoundReference, folder: Path,
               attributes: dict[str, str]) -> DiscoveredModel:
        from openres_check.sources.folder import FolderSource  # noqa: PLC0415 - card reading

        named = attributes.get("name_or_path")
        try:
            loaded = FolderSource().load(folder, self.catalog)[0]
        except InputError as exc:
            return self.unresolved(ref, f"the model folder cannot be read ({exc.message})",
                                   f"モデルフォルダを読み取れません（{exc.message}）")
        descriptor = loaded.descriptor.model_copy(update={"id": ref.raw})
        weights = descriptor.licenses.get("weights")
        entry = self.catalog.find(named) if named else None
        if entry is not None and (weights is None or weights.license.startswith("unknown")):
            # No card of its own: the config names the Hub model it was saved from.
            return DiscoveredModel(entry.id, entry.descriptor, entry.origin, "folder",
                                   note=f"config.json names {entry.id}")
        return DiscoveredModel(ref.raw, descriptor, loaded.origin, "folder")

    def from_metadata(self, ref: FoundReference, gguf: dict[str, str],
                      safetensors: dict[str, str],
                      attributes: dict[str, str]) -> DiscoveredModel:
        what = "GGUF header" if gguf else "safetensors header" if safetensors else \
            "Ollama manifest"
        source = Source(url=ref.path, section=what)
        license_name = (gguf.get("general.license") or gguf.get("general.license.name")
                        or safetensors.get("license") or safetensors.get("modelspec.license"))
        registry = self.catalog.licenses
        files = self.license_files(attributes)
        if license_name:
            licenses = declared_assignments([license_name], registry, source,
                                            f"the {what}'s license is not in the registry")
        elif files and files[0].identified:
            licenses = {"weights": LicenseAssignment(
                license=files[0].identified, note="identified from the license layer",
                source=Source(url=files[0].path, section="whole text"))}
        else:
            licenses = _unknown(f"the {what} names no license", source)
        lineage = []
        count = gguf.get("general.base_model.count", "0")
        for index in range(int(count) if count.isdigit() else 0):
            prefix = f"general.base_model.{index}."
            base = _hf_repo(gguf.get(prefix + "repo_url", "")) or \
                _hf_repo(gguf.get(prefix + "name", ""))
            if base is None:
                continue
            lineage.append(LineageLink(base=base, relation=Relation.FINETUNE, source=Source(
                url=ref.path, section=f"GGUF {prefix}repo_url")))
        source_repo = _hf_repo(gguf.get("general.source.repo_url", "")) or \
            _hf_repo(gguf.get("general.source.url", ""))
        if not lineage and source_repo:
            lineage.append(LineageLink(base=source_repo, relation=Relation.QUANTIZATION,
                                       source=Source(url=ref.path,
                                                     section="GGUF general.source.repo_url")))
        if ref.finder == "ollama-store" and not lineage and not license_name and not files:
            return self.unresolved(ref, "an Ollama model whose manifest, GGUF header and "
                                   "layers name neither license nor base model",
                                   "マニフェスト、GGUF ヘッダー、レイヤーのいずれにもライセンスや"
                                   "ベースモデルの記載がない Ollama モデルです")
        hf_license = {"license": license_name} if license_name else None
        descriptor = ModelDescriptor(
            id=ref.raw, name=gguf.get("general.name") or safetensors.get("modelspec.title")
            or Path(ref.raw).name,
            publisher=Publisher(name=gguf.get("general.organization")
                                or gguf.get("general.author") or "unknown (weights file)"),
            licenses=licenses, hf_license=hf_license, lineage=lineage, license_files=files,
            sources=[source])
        how = "gguf" if gguf else "safetensors" if safetensors else ref.finder
        return DiscoveredModel(ref.raw, descriptor, ref.path, how)

    def license_files(self, attributes: dict[str, str]) -> list[LicenseFile]:
        path = attributes.get("_license_file")
        if not path:
            return []
        try:
            raw = read_head(Path(path), _MAX_LICENSE)
        except InputError:
            return []
        match = self.catalog.licenses.identify_text(raw.decode("utf-8", errors="replace"))
        return [LicenseFile(path=Path(path).name, sha256=hashlib.sha256(raw).hexdigest(),
                            role="weights", identified=match.license,
                            confidence=match.confidence, matched=list(match.matched),
                            candidates=list(match.candidates))]

    def unresolved(self, ref: FoundReference, why: str, why_ja: str) -> DiscoveredModel:
        source = Source(url=f"{ref.path}:{ref.line}", section="scan")
        descriptor = ModelDescriptor(
            id=ref.raw, name=ref.raw, publisher=Publisher(name="unknown"),
            licenses=_unknown("an unresolved reference", source), sources=[source])
        return DiscoveredModel(ref.raw, descriptor, source.url, "unresolved", note=why,
                               note_ja=why_ja)


def resolve_references(references: list[FoundReference], catalog: Catalog,
                       services: ServiceLookup | None = None,
                       as_of: dt.date | None = None) -> list[DiscoveredModel]:
    """The models behind `references`, each with all its locations, in a stable order."""
    resolver = _Resolver(catalog, services or catalog,
                         as_of or dt.date.today())  # noqa: DTZ011 - the adopter's calendar day
    for reference in sorted(references, key=lambda r: (r.path, r.line, r.column, r.raw)):
        resolver.add(reference)
    return sorted(resolver.models.values(), key=lambda m: m.key.lower())


def discovery_facts(model: DiscoveredModel) -> dict[str, Any]:
    """What the engine reads about how a model was found (`model.discovery.*`)."""
    first = model.locations[0] if model.locations else None
    return {
        "reference": first.raw if first else model.key,
        "resolved": model.resolved,
        "how": model.how,
        "hosted": model.hosted,
        "note": model.note,
        "note_ja": model.note_ja or model.note,
        "locations": [f"{loc.path}:{loc.line}" for loc in model.locations],
    }
