"""CycloneDX ML-BOMs (JSON): every `machine-learning-model` component is a model reference.

A component whose purl is `pkg:huggingface/<org>/<name>` (or whose name is a catalog id) is
looked up in the catalog; any other is described from the BOM itself: its licenses, its
publisher and, from `pedigree.ancestors`, its base models.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from openres_check.errors import InputError, Issue, Location
from openres_check.model.common import Confidence, Source
from openres_check.model.descriptor import (
    LicenseAssignment,
    LineageLink,
    ModelDescriptor,
    Publisher,
    Relation,
)
from openres_check.sources._declared import declared_assignments
from openres_check.sources.interface import LoadedModel

if TYPE_CHECKING:
    from collections.abc import Iterator

    from openres_check.catalog import Catalog

__all__ = ["CycloneDxSource", "huggingface_id"]

_MAX_BYTES = 20 * 1024 * 1024
_MAX_COMPONENTS = 10_000


def huggingface_id(purl: str) -> str | None:
    """`pkg:huggingface/org/name@rev` to `org/name`; None for other purls."""
    if not purl.startswith("pkg:huggingface/"):
        return None
    path = purl[len("pkg:huggingface/"):].split("?", 1)[0].split("#", 1)[0]
    path = path.split("@", 1)[0]
    return unquote(path) or None


def _components(items: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if not isinstance(items, list) or depth > 16:  # noqa: PLR2004
        return
    for item in items:
        if isinstance(item, dict):
            yield item
            yield from _components(item.get("components"), depth + 1)


def _licenses(component: dict[str, Any], catalog: Catalog, source: Source) -> dict[
        str, LicenseAssignment]:
    found: list[str] = []
    for entry in component.get("licenses") or []:
        if not isinstance(entry, dict):
            continue
        if isinstance(entry.get("expression"), str):
            found.append(entry["expression"])
        license_obj = entry.get("license")
        if isinstance(license_obj, dict):
            name = license_obj.get("id") or license_obj.get("name")
            if isinstance(name, str):
                found.append(name)
    if not found:
        return {"weights": LicenseAssignment(
            license="unknown (no license in the BOM)", source=source,
            confidence=Confidence.UNVERIFIED)}
    return declared_assignments(found, catalog.licenses, source,
                                "the BOM's license is not in the registry")


class CycloneDxSource:
    name = "cyclonedx"

    def accepts(self, path: Path) -> bool:
        if not path.is_file() or path.suffix.lower() != ".json":
            return False
        with path.open("rb") as handle:
            head = handle.read(4096)
        return b'"bomFormat"' in head or path.name.endswith((".cdx.json", ".bom.json"))

    def load(self, path: Path, catalog: Catalog) -> list[LoadedModel]:
        bom = self._read(path)
        loaded: list[LoadedModel] = []
        refs: dict[str, str] = {}
        models = [c for c in _components(bom.get("components"))
                  if c.get("type") == "machine-learning-model"]
        if len(models) > _MAX_COMPONENTS:
            raise self._error(path, f"more than {_MAX_COMPONENTS} model components")
        for index, component in enumerate(models):
            purl = component.get("purl") if isinstance(component.get("purl"), str) else ""
            hf_id = huggingface_id(purl) if purl else None
            name = str(component.get("name") or "")
            group = component.get("group")
            candidate = hf_id or (f"{group}/{name}" if isinstance(group, str) and group else name)
            entry = catalog.find(candidate) if candidate else None
            origin = f"{path}#components[{index}]"
            if entry is not None:
                descriptor = entry.descriptor
            elif candidate:
                descriptor = self._describe(component, candidate, catalog,
                                            Source(url=str(path), section=origin))
            else:
                raise self._error(path, f"model component {index} has neither a purl nor a name")
            ref = component.get("bom-ref")
            if isinstance(ref, str):
                refs[ref] = descriptor.id
            loaded.append(LoadedModel(descriptor, origin))
        if not loaded:
            raise self._error(path, "the BOM has no component of type machine-learning-model",
                              "add the models as components with type machine-learning-model")
        return loaded

    def _describe(self, component: dict[str, Any], model_id: str, catalog: Catalog,
                  source: Source) -> ModelDescriptor:
        publisher = component.get("publisher") or (component.get("supplier") or {}).get("name")
        ancestors = ((component.get("pedigree") or {}).get("ancestors")) or []
        lineage = []
        for ancestor in ancestors if isinstance(ancestors, list) else []:
            if not isinstance(ancestor, dict):
                continue
            purl = ancestor.get("purl") if isinstance(ancestor.get("purl"), str) else ""
            base = huggingface_id(purl) if purl else None
            base = base or ancestor.get("name")
            if isinstance(base, str) and base:
                lineage.append(LineageLink(base=base, relation=Relation.FINETUNE,
                                           source=source))
        return ModelDescriptor(
            id=model_id,
            name=str(component.get("name") or model_id),
            publisher=Publisher(name=str(publisher or "unknown (from BOM)")),
            licenses=_licenses(component, catalog, source),
            lineage=lineage,
            sources=[source],
        )

    def _read(self, path: Path) -> dict[str, Any]:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise self._error(path, f"cannot read the file: {exc.strerror}") from None
        if len(raw) > _MAX_BYTES:
            raise self._error(path, f"larger than {_MAX_BYTES} bytes")
        try:
            bom = json.loads(raw.decode("utf-8-sig"))
        except RecursionError:
            raise self._error(path, "the JSON nests too deeply") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            line = getattr(exc, "lineno", None)
            raise InputError(f"cannot read {path}", [Issue(
                "bad-json", f"not valid JSON: {exc}", Location(str(path), (), line),
                "check that the file is a CycloneDX JSON BOM")]) from None
        if not isinstance(bom, dict) or bom.get("bomFormat") != "CycloneDX":
            raise self._error(path, "not a CycloneDX BOM (bomFormat is not CycloneDX)")
        return bom

    def _error(self, path: Path, message: str, hint: str | None = None) -> InputError:
        return InputError(f"cannot use {path}", [Issue("bad-bom", message, Location(str(path)),
                                                       hint)])
