"""Integrity of the bundled catalog: facts are sourced, ids unambiguous, lineage resolves."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel

from conftest import ROOT
from openres_check._docs import render_catalog
from openres_check._yaml import load_yaml
from openres_check.catalog import Catalog
from openres_check.lineage import resolve_model
from openres_check.model.common import Fact


def facts(obj: Any, path: str) -> Iterator[tuple[str, Fact]]:
    if isinstance(obj, Fact):
        yield path, obj
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from facts(getattr(obj, name), f"{path}.{name}")
    elif isinstance(obj, list):
        for index, item in enumerate(obj):
            yield from facts(item, f"{path}[{index}]")


def test_catalog_reaches_its_size(catalog: Catalog) -> None:
    assert len(catalog.licenses) >= 30
    assert len(catalog) >= 80
    assert len({e.descriptor.publisher.name for e in catalog}) >= 15


def test_every_license_fact_names_its_url_and_section(catalog: Catalog) -> None:
    unsourced = [f"{terms.id}{path}" for terms in catalog.licenses
                 for path, fact in facts(terms, "")
                 if not fact.source.url.startswith("https://") or not fact.source.section]
    assert unsourced == []


def test_every_model_fact_names_its_url_and_section(catalog: Catalog) -> None:
    unsourced = []
    for entry in catalog:
        d = entry.descriptor
        for component, assignment in d.licenses.items():
            if not assignment.source.section:
                unsourced.append(f"{d.id} licenses.{component}")
        for link in d.lineage:
            if link.source is None or not link.source.section:
                unsourced.append(f"{d.id} lineage {link.base}")
        # A service id (`hosted_service: deepseek`) is replaced by the service's facts on load.
        if isinstance(d.hosted_service, str) or (
                d.hosted_service and not d.hosted_service.source.section):
            unsourced.append(f"{d.id} hosted_service")
        unsourced.extend(f"{d.id} license_history" for change in d.license_history
                         if not change.source.section)
    assert unsourced == []


def test_every_lineage_base_resolves_without_cycles(catalog: Catalog) -> None:
    unresolved: list[str] = []
    for entry in catalog:
        resolved = resolve_model(entry.descriptor, entry.origin, catalog)  # raises on a cycle
        unresolved.extend(f"{entry.descriptor.id} -> {b}"
                          for b in resolved.facts["unresolved_bases"])
    assert unresolved == []


def test_every_license_a_model_names_is_in_the_registry(catalog: Catalog) -> None:
    unknown = [f"{e.descriptor.id}: {a.license}" for e in catalog
               for a in e.descriptor.licenses.values()
               if catalog.licenses.resolve(a.license) is None]
    assert unknown == []


def test_every_hugging_face_id_maps_to_exactly_one_license(catalog: Catalog) -> None:
    owners: dict[str, set[str]] = {}
    for terms in catalog.licenses:
        for name in [*terms.ids.hf, *terms.ids.hf_names]:
            owners.setdefault(name.lower(), set()).add(terms.id)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}
    for name, ids in owners.items():
        assert catalog.licenses.resolve(name) == next(iter(ids))
    assert not catalog.licenses.conflicts


def test_ids_and_aliases_are_unique(catalog: Catalog) -> None:
    seen: dict[str, str] = {}
    for entry in catalog:
        for name in (entry.descriptor.id, *entry.descriptor.aliases):
            assert seen.setdefault(name.lower(), entry.descriptor.id) == entry.descriptor.id
    assert catalog.find("THUDM/glm-4-9b-chat") is not None or catalog.find(
        "thudm/glm-4-9b") is not None


@pytest.mark.parametrize(("folder", "schema"), [("licenses", "license"),
                                               ("models", "descriptor")])
def test_files_validate_against_the_published_schemas(folder: str, schema: str) -> None:
    validator = jsonschema.Draft202012Validator(
        json.loads((ROOT / "schemas" / f"{schema}.schema.json").read_text()))
    errors: list[str] = []
    for path in sorted((ROOT / "catalog" / folder).rglob("*.yaml")):
        data = json.loads(json.dumps(load_yaml(path).data, default=str))
        documents = data["models"] if isinstance(data, dict) and "models" in data else [data]
        errors.extend(f"{path.name}: {e.message}" for doc in documents
                      for e in validator.iter_errors(doc))
    assert errors == []


def test_docs_catalog_is_fresh(catalog: Catalog) -> None:
    committed = (ROOT / "docs" / "catalog.md").read_text(encoding="utf-8")
    assert committed == render_catalog(catalog), "run `python -m openres_check._docs docs`"


def test_distill_carries_llama_terms_through_its_base(catalog: Catalog) -> None:
    entry = catalog.get("deepseek-ai/DeepSeek-R1-Distill-Llama-70B")
    terms = resolve_model(entry.descriptor, entry.origin, catalog).facts["effective_terms"]
    llama = [t for t in terms if t["license"] == "llama-3.3"]
    assert llama
    assert llama[0]["via"] == ["deepseek-ai/DeepSeek-R1-Distill-Llama-70B",
                               "meta-llama/Llama-3.3-70B-Instruct"]
