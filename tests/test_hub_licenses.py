"""The Hugging Face Hub's license ids, full license names, and how a card's license is read."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openres_check import check
from openres_check.catalog import Catalog, load_catalog
from openres_check.licenses import LicenseRegistry, license_name_key, split_expression
from openres_check.sources.huggingface import card_descriptor, parse_card

# The ids of the Hub's license list (huggingface/hub-docs, docs/hub/repositories-licenses.md,
# as of August 2026).
HUB_IDS = ["apache-2.0", "mit", "openrail", "bigscience-openrail-m", "creativeml-openrail-m", "bigscience-bloom-rail-1.0", "bigcode-openrail-m", "afl-3.0", "artistic-2.0", "bsl-1.0", "bsd", "bsd-2-clause", "bsd-3-clause", "bsd-3-clause-clear", "c-uda", "cc", "cc0-1.0", "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0", "cc-by-sa-3.0", "cc-by-sa-4.0", "cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nd-4.0", "cc-by-nc-nd-3.0", "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0", "cc-by-nc-sa-4.0", "cdla-sharing-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0", "wtfpl", "ecl-2.0", "epl-1.0", "epl-2.0", "etalab-2.0", "eupl-1.1", "eupl-1.2", "agpl-3.0", "gfdl", "gpl", "gpl-2.0", "gpl-3.0", "lgpl", "lgpl-2.1", "lgpl-3.0", "isc", "h-research", "intel-research", "lppl-1.3c", "ms-pl", "apple-ascl", "apple-amlr", "mpl-2.0", "odc-by", "odbl", "openmdw-1.0", "openmdw-1.1", "openrail++", "osl-3.0", "postgresql", "ofl-1.1", "ncsa", "unlicense", "zlib", "pddl", "lgpl-lr", "deepfloyd-if-license", "fair-noncommercial-research-license", "llama2", "llama3", "llama3.1", "llama3.2", "llama3.3", "llama4", "grok2-community", "gemma", "unknown", "other"]
MARKERS = {"unknown", "other"}


def card(meta: str) -> str:
    return f"---\n{meta}---\n# model\n"


# The Hub's full names for its ids, as its list gives them.
HUB_NAMES = {
    "apache-2.0": "Apache license 2.0", "openrail++": "Open Rail++-M License",
    "bigcode-openrail-m": "BigCode Open RAIL-M v1", "bsl-1.0": "Boost Software License 1.0",
    "bsd-2-clause": 'BSD 2-clause "Simplified" license', "zlib": "zLib License",
    "ms-pl": "Microsoft Public License", "postgresql": "PostgreSQL License",
    "ncsa": "University of Illinois/NCSA Open Source License",
    "cdla-permissive-2.0": "Community Data License Agreement – Permissive, Version 2.0",
    "wtfpl": "Do What The F*ck You Want To Public License",
    "cc-by-nc-nd-3.0": "Creative Commons Attribution Non Commercial No Derivatives 3.0",
    "lgpl-lr": "Lesser General Public License For Linguistic Resources",
    "apple-amlr": "Apple Model License for Research",
    "openmdw-1.0": "Open Model, Data & Weights License Agreement",
    "llama3.3": "Llama 3.3 Community License Agreement", "gemma": "Gemma Terms of Use",
}


@pytest.mark.parametrize(("hub_id", "name"), sorted(HUB_NAMES.items()))
def test_the_hubs_full_names_resolve_like_its_ids(catalog: Catalog, hub_id: str,
                                                  name: str) -> None:
    assert catalog.licenses.resolve(name) == catalog.licenses.resolve(hub_id)


def test_the_hub_list_is_complete() -> None:
    assert len(HUB_IDS) == len(set(HUB_IDS)) == 83


@pytest.mark.parametrize("hub_id", [h for h in HUB_IDS if h not in MARKERS])
def test_every_hub_id_names_one_registry_entry(catalog: Catalog, hub_id: str) -> None:
    license_id = catalog.licenses.resolve(hub_id)
    assert license_id is not None
    terms = catalog.licenses.get(license_id)
    assert terms is not None
    assert hub_id in terms.ids.hf


@pytest.mark.parametrize("marker", sorted(MARKERS))
def test_the_two_markers_are_no_license(catalog: Catalog, marker: str) -> None:
    assert catalog.licenses.resolve_card(marker, None) is None


def test_new_entries_carry_the_new_facts(catalog: Catalog) -> None:
    registry = catalog.licenses
    nd = registry.get("cc-by-nd-4.0")
    assert nd is not None
    assert nd.no_derivatives is not None
    assert nd.no_derivatives.private_adaptations is True
    agpl = registry.get("agpl-3.0")
    assert agpl is not None
    assert agpl.share_alike is not None
    assert agpl.share_alike.network_use
    gpl = registry.get("gpl-3.0")
    assert gpl is not None
    assert gpl.share_alike is not None
    assert not gpl.share_alike.network_use
    nc_sa = registry.get("cc-by-nc-sa-4.0")
    assert nc_sa is not None
    assert nc_sa.commercial_use is not None
    assert nc_sa.commercial_use.scope == "non-commercial"
    assert registry.get("cc-by-4.0").patent.grant is False  # type: ignore[union-attr]


@pytest.mark.parametrize(("name", "license_id"), [
    ("Llama 3.1 Community License Agreement", "llama-3.1"),
    ("LLAMA 3.1 COMMUNITY LICENSE", "llama-3.1"),
    ("Llama 3.2 Community License", "llama-3.2"),
    ("Creative Commons Attribution Non Commercial 4.0", "cc-by-nc-4.0"),
    ("Creative Commons Attribution-NonCommercial 4.0 International Public License",
     "cc-by-nc-4.0"),
    ("CC BY-NC-SA 4.0", "cc-by-nc-sa-4.0"),
    ("CC-BY-SA-4.0", "cc-by-sa-4.0"),
    ("Creative Commons Attribution-NoDerivatives 4.0 International", "cc-by-nd-4.0"),
    ("Creative Commons Attribution-NonCommercial-NoDerivs 3.0 Unported", "cc-by-nc-nd-3.0"),
    ("GNU General Public License v3.0", "gpl-3.0"),
    ("GPL-3.0-only", "gpl-3.0"),
    ("GNU Affero General Public License v3.0", "agpl-3.0"),
    ("Apache License, Version 2.0", "apache-2.0"),
    ("BSD 3-Clause License", "bsd-3-clause"),
    ('BSD 3-clause "New" or "Revised" license', "bsd-3-clause"),
    ("Mozilla Public License 2.0", "mpl-2.0"),
    ("Boost Software License 1.0", "bsl-1.0"),
    ("FAIR Noncommercial Research License v1", "fair-noncommercial-research-license"),
    ("Gemma Terms of Use", "gemma"),
])
def test_full_license_names_resolve(catalog: Catalog, name: str, license_id: str) -> None:
    assert catalog.licenses.resolve(name) == license_id


@pytest.mark.parametrize("name", [
    "Creative Commons Attribution 4.0 NonCommercial Research",  # not a CC license
    "Llama 3.9 Community License Agreement",
    "CreativeML Open RAIL-M++",
    "Business Source License 1.1",
    "Microsoft",  # "Microsoft Public License" without its distinguishing words
    "Microsoft License",
    "Apple License",
])
def test_names_of_other_licenses_do_not_resolve(catalog: Catalog, name: str) -> None:
    assert catalog.licenses.resolve(name) is None


def test_openrail_plus_plus_is_not_openrail(catalog: Catalog) -> None:
    assert catalog.licenses.resolve("CreativeML Open RAIL++-M License") == "creativeml-openrail++-m"
    assert catalog.licenses.resolve("CreativeML Open RAIL-M") == "creativeml-openrail-m"


_NAME = st.text(max_size=80)
_WORDS = st.lists(st.sampled_from(["llama", "3.1", "community", "Creative", "Commons", "by",
                                   "NC", "4.0", "gpl", "v2", "MIT", "apache", "bsd", "rail++"]),
                  min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(_NAME)
def test_any_name_has_a_key(name: str) -> None:
    key = license_name_key(name)
    assert license_name_key(f" ({name}) ") == key
    assert re.fullmatch(r"[0-9a-z+\u3040-\u30ff\u3400-\u9fff]*", key)


@settings(max_examples=300, deadline=None)
@given(_WORDS, st.sampled_from([" ", "-", "_", " - ", ", "]), st.booleans())
def test_case_punctuation_and_filler_words_do_not_matter(
        words: list[str], separator: str, upper: bool) -> None:
    plain = " ".join(words)
    varied = separator.join(words) + " International Public License Agreement"
    assert license_name_key(varied.upper() if upper else varied) == license_name_key(plain)


@settings(max_examples=200, deadline=None)
@given(_WORDS, st.sampled_from(["", ".0", ".0.0"]))
def test_version_forms_do_not_matter(words: list[str], zeros: str) -> None:
    name = " ".join(words)
    assert license_name_key(f"{name} v5{zeros}") == license_name_key(f"{name} 5")
    assert license_name_key(f"{name} 5.1") != license_name_key(f"{name} 5")


def test_a_name_with_and_in_it_is_not_an_expression() -> None:
    assert split_expression("NVIDIA OPEN MODEL AND DATA LICENSE AGREEMENT") is None
    assert split_expression("Llama 3.1 Community License AND mit") is None
    split = split_expression("apache-2.0 AND LicenseRef-scancode-llama-3.1-license-2024")
    assert split is not None
    assert [p.name for p in split[0]] == ["apache-2.0", "LicenseRef-scancode-llama-3.1-license-2024"]


def _licenses(catalog: Catalog, meta: str) -> dict[str, str]:
    parsed = parse_card(card(meta), "README.md")
    descriptor = card_descriptor(parsed, "m", catalog)
    return {k: a.license for k, a in descriptor.licenses.items()}


def test_a_list_of_licenses_means_each_applies(catalog: Catalog) -> None:
    assert _licenses(catalog, "license:\n  - apache-2.0\n  - cc-by-nc-4.0\n") == {
        "weights": "apache-2.0", "weights:2": "cc-by-nc-4.0"}


def test_a_list_with_other_takes_the_license_name(catalog: Catalog) -> None:
    assert _licenses(catalog, "license: [mit, other]\nlicense_name: deepseek\n") == {
        "weights": "mit", "weights:2": "deepseek-license-1.0"}


def test_other_with_a_known_name_resolves_and_says_so(catalog: Catalog) -> None:
    parsed = parse_card(card("license: other\nlicense_name: qwen-research\n"), "README.md")
    assignment = card_descriptor(parsed, "m", catalog).licenses["weights"]
    assert assignment.license == "qwen-research"
    assert assignment.note is not None
    assert "other" in assignment.note


def test_other_with_an_unknown_name_stays_other(catalog: Catalog) -> None:
    assert _licenses(catalog, "license: other\nlicense_name: acme-model-license\n"
                     "license_link: LICENSE\n") == {
        "weights": "other (license_name: acme-model-license)"}


def test_other_without_a_name_is_named_by_its_link(catalog: Catalog) -> None:
    assert _licenses(catalog, "license: other\nlicense_link: https://example.invalid/terms\n") == {
        "weights": "other (license_link: https://example.invalid/terms)"}


def test_other_with_a_link_the_registry_knows_resolves(catalog: Catalog) -> None:
    link = "https://huggingface.co/xai-org/grok-2/blob/main/LICENSE"
    assert _licenses(catalog, f"license: other\nlicense_link: {link}\n") == {
        "weights": "grok2-community"}


def test_bare_other_is_other_not_unknown(catalog: Catalog) -> None:
    licenses = _licenses(catalog, "license: other\n")
    assert next(iter(licenses.values())).startswith("other (")
    assert _licenses(catalog, "license: unknown\n") == {
        "weights": "unknown (no license declared or found)"}


# -- the no-derivatives rule on a lineage and on an unverified fact -------------------------

SOURCE = {"url": "https://example.invalid/card", "section": "card"}
DISTRIBUTES = {"use": {"distributes_weights": True, "fine_tunes": False}}


def _status(write: Callable[[str, str], Path], models: list[dict[str, Any]],
            licenses: dict[str, Any] | None = None, rule: str = "LIC-NO-DERIVATIVES") -> str:
    write("user/models/acme.yaml", json.dumps({"models": models}))
    if licenses:
        write(f"user/licenses/{licenses['id']}.yaml", json.dumps(licenses))
    catalog = load_catalog([write("user/.keep", "").parent])
    report = check(models[-1]["id"], DISTRIBUTES, ["license", "obligations"], catalog=catalog)
    return next(str(f.status) for f in report.findings if f.rule_id == rule)


def _model(model_id: str, license_id: str, **extra: Any) -> dict[str, Any]:
    return {"id": model_id, "publisher": {"name": "Example"}, "sources": [SOURCE],
            "licenses": {"weights": {"license": license_id, "source": SOURCE}}, **extra}


def test_distributing_a_quantization_of_a_no_derivatives_model_fails(write: Any) -> None:
    base = _model("acme/base", "cc-by-nd-4.0")
    quantized = _model("acme/base-gguf", "cc-by-nd-4.0", lineage=[
        {"base": "acme/base", "relation": "quantization", "source": SOURCE}])
    assert _status(write, [base, quantized]) == "fail"
    assert _status(write, [base]) == "pass"  # the unmodified model itself


def test_distributing_a_quantization_of_a_share_alike_model_carries_the_duty(
        write: Any) -> None:
    base = _model("acme/base", "cc-by-sa-4.0")
    quantized = _model("acme/base-gguf", "cc-by-sa-4.0", lineage=[
        {"base": "acme/base", "relation": "quantization", "source": SOURCE}])
    assert _status(write, [base, quantized], rule="OBL-SHARE-ALIKE") == "review"
    assert _status(write, [base], rule="OBL-SHARE-ALIKE") == "pass"


def test_an_unverified_no_derivatives_fact_gives_review(write: Any, catalog: Catalog) -> None:
    terms = catalog.licenses.get("cc-by-nd-4.0")
    assert terms is not None
    data = terms.model_dump(mode="json")
    data.update(id="acme-nd", ids={"hf_names": ["acme-nd"]})
    data["no_derivatives"]["confidence"] = "unverified"
    base = _model("acme/base", "acme-nd")
    quantized = _model("acme/base-gguf", "acme-nd", lineage=[
        {"base": "acme/base", "relation": "quantization", "source": SOURCE}])
    assert _status(write, [base, quantized], data) == "review"


def test_every_new_kind_of_fact_quotes_its_source(catalog: Catalog) -> None:
    unquoted = [f"{terms.id}.{kind}" for terms in catalog.licenses
                for kind in ("share_alike", "no_derivatives", "patent", "trademark")
                if (fact := getattr(terms, kind)) is not None and not fact.source.quote]
    assert unquoted == []


def test_an_entry_for_a_license_family_stays_open(catalog: Catalog) -> None:
    # What a family entry does not record is unknown for its members, never absent.
    for family in ("bsd", "cc", "gpl", "lgpl", "gfdl", "openrail"):
        terms = catalog.licenses.get(family)
        assert terms is not None
        assert terms.confidence == "unverified"
        assert terms.ids.spdx is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([h for h in HUB_IDS if h not in MARKERS]), min_size=1,
                max_size=4, unique=True))
def test_any_list_of_hub_ids_assigns_each_license(hub_ids: list[str]) -> None:
    catalog = _bundled()
    meta = "license:\n" + "".join(f"  - {h!r}\n" for h in hub_ids)
    assigned = list(_licenses(catalog, meta).values())
    expected = [catalog.licenses.resolve(h) for h in hub_ids]
    assert assigned == list(dict.fromkeys(expected))  # in order, each once



@cache
def _bundled() -> Catalog:
    """The bundled catalog, loaded once: hypothesis tests take no function-scoped fixtures."""
    return load_catalog()


def test_a_name_two_entries_share_matches_neither() -> None:
    # Two versions of one license may carry one name; only their ids tell them apart.
    registry = LicenseRegistry()
    for license_id in ("acme-1.0", "acme-2.0"):
        registry.add_data({"id": license_id, "name": "Acme Model License Agreement",
                           "ids": {}}, "test")
    registry.add_data({"id": "other-one", "name": "Other Model License", "ids": {}}, "test")
    assert registry.resolve("Acme Model License Agreement") is None
    assert registry.resolve("acme-2.0") == "acme-2.0"
    assert registry.resolve("other model license") == "other-one"
    assert registry.conflicts == []
