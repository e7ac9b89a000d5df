from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from openres_check.catalog import Catalog, load_catalog
from openres_check.errors import InputError
from openres_check.lineage import resolve_model

SRC = "source: {url: 'https://example.invalid/card'}"


def model(model_id: str, license_id: str, base: str | None = None) -> str:
    lineage = f"\n    lineage: [{{base: {base}, relation: finetune}}]" if base else ""
    return (f"  - id: {model_id}\n    publisher: {{name: Example}}\n"
            f"    licenses: {{weights: {{license: {license_id}, {SRC}}}}}{lineage}\n"
            f"    sources: [{{url: 'https://example.invalid/card'}}]\n")


def user_catalog(write: Callable[[str, str], Path], *models: str) -> Path:
    path = write("cat/models/example.yaml", "models:\n" + "".join(models))
    return path.parent.parent


def test_inherited_terms_carry_the_via_path(write: Callable[[str, str], Path]) -> None:
    folder = user_catalog(write, model("ex/ft", "mit", "meta-llama/Llama-3.1-8B-Instruct"))
    catalog = load_catalog([folder])
    resolved = resolve_model(catalog.get("ex/ft").descriptor, "x", catalog)
    terms = {t["license"]: t for t in resolved.facts["effective_terms"]}
    assert set(terms) == {"mit", "llama-3.1"}
    assert terms["llama-3.1"]["via"] == ["ex/ft", "meta-llama/Llama-3.1-8B-Instruct"]
    assert terms["llama-3.1"]["inherited"] is True
    assert terms["llama-3.1"]["relation"] == "finetune"


def test_unresolved_base_is_recorded(write: Callable[[str, str], Path]) -> None:
    folder = user_catalog(write, model("ex/ft", "mit", "someone/unknown-base"))
    catalog = load_catalog([folder])
    resolved = resolve_model(catalog.get("ex/ft").descriptor, "x", catalog)
    assert resolved.facts["unresolved_bases"] == ["someone/unknown-base"]
    assert resolved.facts["lineage_chain"][0]["resolved"] is False


def test_cycles_are_an_error_not_a_hang(write: Callable[[str, str], Path]) -> None:
    folder = user_catalog(write, model("ex/a", "mit", "ex/b"), model("ex/b", "mit", "ex/a"))
    catalog = load_catalog([folder])
    with pytest.raises(InputError) as exc:
        resolve_model(catalog.get("ex/a").descriptor, "x", catalog)
    assert exc.value.issues[0].code == "lineage-cycle"


def test_deep_chains_are_an_error(write: Callable[[str, str], Path]) -> None:
    chain = [model(f"ex/m{i}", "mit", f"ex/m{i + 1}") for i in range(40)]
    folder = user_catalog(write, *chain, model("ex/m40", "mit"))
    catalog = load_catalog([folder])
    with pytest.raises(InputError) as exc:
        resolve_model(catalog.get("ex/m0").descriptor, "x", catalog)
    assert exc.value.issues[0].code == "lineage-depth"


def test_user_catalog_overrides_a_bundled_entry(write: Callable[[str, str], Path],
                                                catalog: Catalog) -> None:
    folder = user_catalog(write, model("Qwen/Qwen2.5-7B-Instruct", "qwen-research"))
    overridden = load_catalog([folder])
    assert overridden.get("qwen/qwen2.5-7b-instruct").descriptor.licenses["weights"].license == \
        "qwen-research"
    assert catalog.get("Qwen/Qwen2.5-7B-Instruct").descriptor.licenses["weights"].license == \
        "apache-2.0"


def test_ambiguous_alias_is_an_error(write: Callable[[str, str], Path]) -> None:
    text = model("ex/a", "mit").replace("    publisher", "    aliases: [qwen2.5-7b]\n    publisher")
    folder = user_catalog(write, text)
    with pytest.raises(InputError) as exc:
        load_catalog([folder])
    assert any(i.code == "ambiguous-alias" for i in exc.value.issues)
