from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliResult

Cli = Callable[..., CliResult]


def test_list_json_has_the_documented_shape(cli: Cli) -> None:
    code, out, _ = cli("catalog", "list", "--format", "json")
    assert code == 0
    models = json.loads(out)
    assert len(models) >= 80
    first = models[0]
    assert set(first) == {"id", "aliases", "name", "kind", "publisher", "licenses", "lineage",
                          "sources"}
    assert set(first["publisher"]) == {"name", "country"}


def test_list_filters_by_publisher_and_inherited_license(cli: Cli) -> None:
    _, out, _ = cli("catalog", "list", "--publisher", "deepseek", "--license", "llama3.3",
                    "--format", "json")
    ids = {m["id"] for m in json.loads(out)}
    assert ids == {"deepseek-ai/DeepSeek-R1-Distill-Llama-70B"}


def test_show_distill_names_the_inherited_llama_terms(cli: Cli) -> None:
    code, out, _ = cli("catalog", "show", "deepseek-ai/DeepSeek-R1-Distill-Llama-70B")
    assert code == 0
    assert "llama-3.3" in out
    assert "via [deepseek-ai/DeepSeek-R1-Distill-Llama-70B -> meta-llama/Llama-3.3-70B-Instruct]" \
        in out
    assert "Built with Llama" in out
    code, out, _ = cli("catalog", "show", "deepseek-ai/DeepSeek-R1-Distill-Llama-70B",
                       "--format", "json")
    terms = {t["license"]: t for t in json.loads(out)["effective_terms"]}
    assert terms["llama-3.3"]["relation"] == "finetune"


def test_show_accepts_renamed_organisations(cli: Cli) -> None:
    code, out, _ = cli("catalog", "show", "THUDM/glm-4-9b-chat")
    assert code == 0
    assert out.startswith("zai-org/")


def test_licenses_json(cli: Cli) -> None:
    code, out, _ = cli("catalog", "licenses", "--format", "json")
    assert code == 0
    entries = {e["id"]: e for e in json.loads(out)}
    assert len(entries) >= 30
    assert set(entries["llama-3.1"]) == {"id", "name", "spdx", "hf_ids", "commercial_use",
                                         "confidence", "sources"}
    assert entries["qwen-research"]["commercial_use"] == "research-only"
    assert "llama3.1" in entries["llama-3.1"]["hf_ids"]


def test_one_license_shows_its_facts_with_sources(cli: Cli) -> None:
    code, out, _ = cli("catalog", "licenses", "qwen research license", "--format", "json")
    assert code == 0
    facts = json.loads(out)
    assert facts["id"] == "qwen-research"
    assert facts["commercial_use"]["scope"] == "research-only"
    assert facts["commercial_use"]["source"]["url"].startswith("https://")


def test_search_finds_by_any_name(cli: Cli) -> None:
    code, out, _ = cli("catalog", "search", "janus")
    assert code == 0
    assert "deepseek-ai/Janus-Pro-7B" in out


@pytest.mark.parametrize(("args", "hint"), [
    (("search", "no-such-model-anywhere"), "no model matches"),
    (("show", "deepseek-ai/DeepSeek-R"), "did you mean"),
    (("licenses", "qwen-resarch"), "did you mean qwen-research"),
    (("show", "qwen-research"), "catalog licenses qwen-research"),
])
def test_bad_references_exit_2_with_a_hint(cli: Cli, args: tuple[str, ...], hint: str) -> None:
    code, _, err = cli("catalog", *args)
    assert code == 2
    assert hint in err


def test_user_catalog_folder_extends_the_catalog(cli: Cli,
                                                 write: Callable[[str, str], Path]) -> None:
    path = write("cat/models/acme.yaml", """
id: acme/clinic-ft
publisher: {name: ACME Clinic, country: JP}
licenses:
  weights: {license: apache-2.0, source: {url: "https://acme.example/card", section: "License"}}
lineage:
  - {base: Qwen/Qwen2.5-3B-Instruct, relation: finetune}
sources: [{url: "https://acme.example/card"}]
""")
    folder = str(path.parent.parent)
    code, out, _ = cli("catalog", "--catalog", folder, "show", "acme/clinic-ft")
    assert code == 0
    assert "qwen-research" in out
    code, out, _ = cli("check", "acme/clinic-ft", "--catalog", folder, "--policy", "license",
                       "--format", "json")
    findings = {f["rule_id"]: f for f in json.loads(out)["findings"]}
    assert findings["LIC-RESEARCH-ONLY"]["status"] == "review"  # commercial use not declared
