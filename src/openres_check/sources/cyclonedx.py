"""CycloneDX ML-BOMs (JSON): every `machine-learning-model` component is a model reference.

A component whose purl is `pkg:huggingface/<org>/<name>` (or whose name is a catalog id) is
looked up in the catalog; any other is described from the BOM itself: its licenses, its
publisher and, from `pedigree.ancestors`, its base models.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import unquote

from openres_check._text import lone_surrogate
from openres_check._yaml import read_file, read_head
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

__all__ = ["MODEL_ID_PROPERTY", "CycloneDxSource", "huggingface_id"]

_MAX_BYTES = 20 * 1024 * 1024
_MAX_COMPONENTS = 10_000
_MAX_DEPTH = 16
_JSON_TYPES: dict[type, str] = {dict: "an object", list: "an array", str: "a string",
                                bool: "a boolean", int: "a number", float: "a number"}
_SCHEMA_HINT = "see the CycloneDX 1.6 JSON schema for this field"
_LONG_NUMBER = re.compile(rb"\d{4301,}")  # past Python's default int(text) limit

Where = tuple[str | int, ...]
T = TypeVar("T", dict[str, Any], list[Any], str)


def huggingface_id(purl: str) -> str | None:
    """`pkg:huggingface/org/name@rev` to `org/name`; None for other purls."""
    if not purl.startswith("pkg:huggingface/"):
        return None
    path = purl[len("pkg:huggingface/"):].split("?", 1)[0].split("#", 1)[0]
    path = path.split("@", 1)[0]
    return unquote(path) or None


def _error(path: Path, message: str, hint: str | None = None, where: Where = ()) -> InputError:
    return InputError(f"cannot use {path}", [Issue("bad-bom", message, Location(str(path), where),
                                                   hint)])


def _field(path: Path, obj: dict[str, Any], key: str, kind: type[T], where: Where) -> T | None:
    """`obj[key]` when present: a value of another JSON type is an error, never skipped."""
    value = obj.get(key)
    if value is None or isinstance(value, kind):
        return value
    found = _JSON_TYPES.get(type(value), type(value).__name__)
    raise _error(path, f"{key} must be {_JSON_TYPES[kind]}, not {found}", _SCHEMA_HINT,
                 (*where, key))


MODEL_ID_PROPERTY = "openres-check:model-id"
"""The component property in which openres-check writes the id a model was checked as."""


def _model_id_property(path: Path, component: dict[str, Any], where: Where) -> str | None:
    """The model id openres-check wrote (`openres-check:model-id`), for a model that has no
    Hugging Face purl."""
    properties = _field(path, component, "properties", list, where) or []
    for index, item in enumerate(properties):
        at = (*where, "properties", index)
        if not isinstance(item, dict):
            raise _error(path, "a property must be an object with a name and a value",
                         _SCHEMA_HINT, at)
        if _field(path, item, "name", str, at) == MODEL_ID_PROPERTY:
            return _field(path, item, "value", str, at)
    return None


def _components(path: Path, parent: dict[str, Any], where: Where = (),
                depth: int = 0) -> Iterator[tuple[Where, dict[str, Any]]]:
    """Every component under `parent`, nested ones included, with its path in the BOM."""
    items = _field(path, parent, "components", list, where) or []
    if items and depth >= _MAX_DEPTH:
        raise _error(path, f"components nest more than {_MAX_DEPTH} levels deep",
                     "list the model components nearer the top of the BOM",
                     (*where, "components"))
    for index, item in enumerate(items):
        at = (*where, "components", index)
        if not isinstance(item, dict):
            raise _error(path, "a component must be an object", _SCHEMA_HINT, at)
        yield at, item
        yield from _components(path, item, at, depth + 1)


def _licenses(path: Path, component: dict[str, Any], where: Where, catalog: Catalog,
              source: Source) -> dict[str, LicenseAssignment]:
    found: list[str] = []
    for index, entry in enumerate(_field(path, component, "licenses", list, where) or []):
        at = (*where, "licenses", index)
        if not isinstance(entry, dict):
            raise _error(path, "a license entry must be an object", _SCHEMA_HINT, at)
        expression = _field(path, entry, "expression", str, at)
        if expression:
            found.append(expression)
        license_obj = _field(path, entry, "license", dict, at) or {}
        name = (_field(path, license_obj, "id", str, (*at, "license"))
                or _field(path, license_obj, "name", str, (*at, "license")))
        if name:
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
        head = read_head(path, 4096)
        return b'"bomFormat"' in head or path.name.endswith((".cdx.json", ".bom.json"))

    def load(self, path: Path, catalog: Catalog) -> list[LoadedModel]:
        bom = self._read(path)
        loaded: list[LoadedModel] = []
        models = [(where, c) for where, c in _components(path, bom)
                  if c.get("type") == "machine-learning-model"]
        if len(models) > _MAX_COMPONENTS:
            raise _error(path, f"more than {_MAX_COMPONENTS} model components")
        for index, (where, component) in enumerate(models):
            purl = _field(path, component, "purl", str, where)
            name = _field(path, component, "name", str, where)
            group = _field(path, component, "group", str, where)
            candidate = (huggingface_id(purl) if purl else None) or _model_id_property(
                path, component, where) or (f"{group}/{name}" if group and name else name)
            if not candidate:
                raise _error(path, "this model component has neither a purl nor a name",
                             "give it a purl (pkg:huggingface/ORG/NAME) or a name", where)
            entry = catalog.find(candidate)
            origin = f"{path}#components[{index}]"
            descriptor = entry.descriptor if entry is not None else self._describe(
                path, component, where, candidate, catalog, Source(url=str(path), section=origin))
            loaded.append(LoadedModel(descriptor, origin))
        if not loaded:
            raise _error(path, "the BOM has no component of type machine-learning-model",
                         "add the models as components with type machine-learning-model")
        return loaded

    def _describe(self, path: Path, component: dict[str, Any], where: Where, model_id: str,
                  catalog: Catalog, source: Source) -> ModelDescriptor:
        supplier = _field(path, component, "supplier", dict, where) or {}
        publisher = (_field(path, component, "publisher", str, where)
                     or _field(path, supplier, "name", str, (*where, "supplier")))
        pedigree = _field(path, component, "pedigree", dict, where) or {}
        lineage = []
        at = (*where, "pedigree")
        for index, ancestor in enumerate(_field(path, pedigree, "ancestors", list, at) or []):
            if not isinstance(ancestor, dict):
                raise _error(path, "an ancestor must be an object", _SCHEMA_HINT,
                             (*at, "ancestors", index))
            purl = _field(path, ancestor, "purl", str, (*at, "ancestors", index))
            base = (huggingface_id(purl) if purl else None) or _field(
                path, ancestor, "name", str, (*at, "ancestors", index))
            if base:
                lineage.append(LineageLink(base=base, relation=Relation.FINETUNE,
                                           source=source))
        return ModelDescriptor(
            id=model_id,
            name=_field(path, component, "name", str, where) or model_id,
            publisher=Publisher(name=publisher or "unknown (from BOM)"),
            licenses=_licenses(path, component, where, catalog, source),
            lineage=lineage,
            sources=[source],
        )

    def _read(self, path: Path) -> dict[str, Any]:
        raw = read_file(path, _MAX_BYTES)
        try:
            bom = json.loads(raw.decode("utf-8-sig"))
        except RecursionError:
            raise _error(path, "the JSON nests too deeply") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise _bad_json(path, f"not valid JSON: {exc}", getattr(exc, "lineno", None)) from None
        except ValueError:  # an integer too long to convert
            long = _LONG_NUMBER.search(raw)
            line = raw.count(b"\n", 0, long.start()) + 1 if long else None
            raise _bad_json(path, "a number has too many digits to be read", line) from None
        if b"\\u" in raw and (where := lone_surrogate(bom)) is not None:
            raise _error(path, f"{where or 'the document'} holds a lone surrogate escape (such "
                         "as \\ud800), which is no character",
                         "write the text as UTF-8, or escape a whole surrogate pair")
        if not isinstance(bom, dict) or bom.get("bomFormat") != "CycloneDX":
            raise _error(path, "not a CycloneDX BOM (bomFormat is not CycloneDX)")
        return bom


def _bad_json(path: Path, message: str, line: int | None) -> InputError:
    return InputError(f"cannot read {path}", [Issue(
        "bad-json", message, Location(str(path), (), line),
        "check that the file is a CycloneDX JSON BOM")])
