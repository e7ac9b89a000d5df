"""The lineage traps of the Japanese models a team shortlists, checked end to end."""

from __future__ import annotations

from typing import Any

from openres_check import check
from openres_check.catalog import Catalog
from openres_check.lineage import resolve_model
from openres_check.reporters import RenderOptions, get_reporter

STARTUP: dict[str, Any] = {
    "organization": {"country": "JP", "type": "private"},
    "deployment": {"mode": "self-hosted", "regions": ["JP"], "public_facing": True},
    "use": {"commercial": True, "monthly_active_users": 20000, "sector": "general"},
    "data": {"categories": ["none"], "subject_regions": ["JP"]},
}
RESEARCH: dict[str, Any] = {**STARTUP, "organization": {"country": "JP", "type": "academic"},
                            "use": {**STARTUP["use"], "commercial": False}}


def terms(model: str, catalog: Catalog) -> dict[str, dict[str, Any]]:
    entry = catalog.get(model)
    resolved = resolve_model(entry.descriptor, entry.origin, catalog)
    return {t["license"]: t for t in resolved.facts["effective_terms"]}


def findings(model: str, context: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    report = check(model, context, as_of="2026-06-01", catalog=catalog)
    return {f.rule_id: f for f in report.findings}


def test_llama_31_swallow_instruct_carries_llama_and_gemma_terms(catalog: Catalog) -> None:
    instruct = terms("tokyotech-llm/Llama-3.1-Swallow-8B-Instruct-v0.1", catalog)
    assert not instruct["llama-3.1"]["inherited"]
    gemma = instruct["gemma"]
    # Trained on Gemma 2 outputs: the Gemma Terms reach it as a Model Derivative.
    assert gemma["via"] == ["tokyotech-llm/Llama-3.1-Swallow-8B-Instruct-v0.1",
                            "google/gemma-2-27b-it"]
    assert gemma["relation"] == "trained-on-outputs"
    # The base model was not trained on Gemma outputs: Llama 3.1 only.
    assert set(terms("tokyotech-llm/Llama-3.1-Swallow-8B-v0.1", catalog)) == {"llama-3.1"}
    inherited = findings("tokyotech-llm/Llama-3.1-Swallow-8B-Instruct-v0.1", STARTUP, catalog)[
        "LIN-INHERITED-TERMS"]
    assert inherited.status == "review"
    assert inherited.via[-1] == "google/gemma-2-27b-it"


def test_japanese_report_names_the_trained_on_outputs_relation(catalog: Catalog) -> None:
    report = check("tokyotech-llm/Llama-3.1-Swallow-8B-Instruct-v0.1", STARTUP, ["lineage"],
                   as_of="2026-06-01", lang="ja", catalog=catalog)
    text = get_reporter("text").render(report, RenderOptions())
    assert "google/gemma-2-27b-it [出力を学習に利用]" in text


def test_gemma_2_llama_swallow_carries_the_llama_33_terms_of_its_teacher(
        catalog: Catalog) -> None:
    pretrained = terms("tokyotech-llm/Gemma-2-Llama-Swallow-9b-pt-v0.1", catalog)
    assert pretrained["llama-3.3"]["relation"] == "trained-on-outputs"
    found = terms("tokyotech-llm/Gemma-2-Llama-Swallow-9b-it-v0.1", catalog)
    assert found["gemma"]["confidence"] == "secondary"
    assert found["llama-3.3"]["via"] == ["tokyotech-llm/Gemma-2-Llama-Swallow-9b-it-v0.1",
                                         "tokyotech-llm/Gemma-2-Llama-Swallow-9b-pt-v0.1",
                                         "meta-llama/Llama-3.3-70B-Instruct"]


def test_elyza_jp_carries_llama_3_and_its_user_threshold(catalog: Catalog) -> None:
    elyza = "elyza/Llama-3-ELYZA-JP-8B"
    entry = catalog.get(elyza)
    chain = resolve_model(entry.descriptor, entry.origin, catalog).facts["lineage_chain"]
    assert [link["base"] for link in chain] == ["meta-llama/Meta-Llama-3-8B-Instruct",
                                                "meta-llama/Meta-Llama-3-8B"]
    assert "llama-3" in terms(elyza, catalog)
    big = {**STARTUP, "use": {**STARTUP["use"], "monthly_active_users": 800_000_000}}
    assert findings(elyza, big, catalog)["LIC-USER-THRESHOLD"].status == "fail"
    assert findings(elyza, STARTUP, catalog)["LIC-USER-THRESHOLD"].status == "pass"


def test_stockmark_vision_model_is_under_the_qwen_license(catalog: Catalog) -> None:
    vision = "stockmark/Stockmark-2-VL-100B-beta"
    found = terms(vision, catalog)
    assert found["qwen"]["inherited"] is False
    # The MIT of Stockmark's own language model does not carry into the Qwen-licensed release.
    assert "mit" not in found
    big = {**STARTUP, "use": {**STARTUP["use"], "monthly_active_users": 200_000_000}}
    assert findings(vision, big, catalog)["LIC-USER-THRESHOLD"].status == "fail"
    assert findings("stockmark/Stockmark-2-100B-Instruct-beta", big, catalog)[
        "LIC-USER-THRESHOLD"].status == "pass"


def test_sarashina_non_commercial_sizes_used_commercially(catalog: Catalog) -> None:
    # Version 2.0 of the agreement was read in full: commercial use fails.
    tts = findings("sbintuitions/sarashina2.2-tts", STARTUP, catalog)
    assert tts["LIC-NON-COMMERCIAL"].status == "fail"
    assert findings("sbintuitions/sarashina2.2-tts", RESEARCH, catalog)[
        "LIC-NON-COMMERCIAL"].status != "fail"
    # Version 1.0 (Sarashina2-8x70B) was read only in its title: a review, never a fail.
    moe = findings("sbintuitions/sarashina2-8x70b", STARTUP, catalog)["LIC-NON-COMMERCIAL"]
    assert moe.status == "review"
    # The MIT sizes of the same family are free to use commercially.
    assert findings("sbintuitions/sarashina2-70b", STARTUP, catalog)[
        "LIC-NON-COMMERCIAL"].status == "pass"


def test_sarashina_2_license_excludes_the_eu(catalog: Catalog) -> None:
    eu = {**STARTUP, "organization": {"country": "DE", "type": "private"}}
    assert findings("sbintuitions/sarashina2.2-tts", eu, catalog)[
        "TER-LICENSEE-EXCLUDED"].status == "fail"
    assert findings("sbintuitions/sarashina2.2-tts", STARTUP, catalog)[
        "TER-LICENSEE-EXCLUDED"].status == "pass"


def test_rakutenai_3_records_its_deepseek_v3_base_with_its_confidence(catalog: Catalog) -> None:
    entry = catalog.get("Rakuten/RakutenAI-3.0")
    (link,) = entry.descriptor.lineage
    assert link.base == "deepseek-ai/DeepSeek-V3-0324"
    assert link.confidence == "verified"
    assert link.source is not None
    assert "RakutenAI-3.0.1" in link.source.url
    facts = resolve_model(entry.descriptor, entry.origin, catalog).facts
    assert facts["chain_publisher_countries"] == ["CN", "JP"]
    assert terms("Rakuten/RakutenAI-3.0", catalog)["mit"]["via"][-1] == (
        "deepseek-ai/DeepSeek-V3-0324")


def test_cyberagent_r1_distill_japanese_reaches_qwen_25(catalog: Catalog) -> None:
    apache = terms("cyberagent/DeepSeek-R1-Distill-Qwen-32B-Japanese", catalog)["apache-2.0"]
    assert apache["via"] == ["cyberagent/DeepSeek-R1-Distill-Qwen-32B-Japanese",
                             "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", "Qwen/Qwen2.5-32B"]


def test_karakuri_lm_needs_karakuri_permission_for_commercial_use(catalog: Catalog) -> None:
    chat = "karakuri-ai/karakuri-lm-70b-chat-v0.1"
    assert findings(chat, STARTUP, catalog)["LIC-NON-COMMERCIAL"].status == "fail"
    assert findings(chat, RESEARCH, catalog)["LIC-NON-COMMERCIAL"].status != "fail"
    assert terms(chat, catalog)["llama-2"]["via"][-1] == "meta-llama/Llama-2-70b-hf"
    # The Apache-2.0 Mixtral-based KARAKURI models carry no such restriction.
    assert findings("karakuri-ai/karakuri-lm-8x7b-chat-v0.1", STARTUP, catalog)[
        "LIC-NON-COMMERCIAL"].status == "pass"


def test_partly_read_japanese_terms_never_fail(catalog: Catalog) -> None:
    # PLaMo-100B's agreement was read only in part: its non-commercial scope is a review.
    plamo = findings("pfnet/plamo-100b", STARTUP, catalog)
    assert plamo["LIC-NON-COMMERCIAL"].status == "review"
    assert not [f for f in plamo.values() if f.status == "fail"]
    beta = findings("llm-jp/llm-jp-3-172b-beta1", STARTUP, catalog)
    assert beta["LIC-REGISTRATION"].status == "review"


def test_plamo_community_license_asks_registration_and_a_yen_revenue_check(
        catalog: Catalog) -> None:
    found = findings("pfnet/plamo-2-8b", STARTUP, catalog)
    assert found["LIC-REGISTRATION"].status == "review"
    # The JPY 1 billion limit cannot be compared with a revenue declared in US dollars.
    assert found["LIC-REVENUE-UNMEASURED"].status == "review"
    assert found["LIC-REVENUE-THRESHOLD"].status != "fail"
    assert "Built with PLaMo" in str(found["OBL-ATTRIBUTION"].obligation)
    # PLaMo 2 1B is Apache-2.0: none of this applies.
    small = findings("pfnet/plamo-2-1b", STARTUP, catalog)
    assert small["LIC-REGISTRATION"].status == "pass"
    assert small["LIC-REVENUE-UNMEASURED"].status == "pass"


def test_outputs_of_an_apache_teacher_are_recorded_but_carry_no_terms(catalog: Catalog) -> None:
    entry = catalog.get("stockmark/Stockmark-2-100B-Instruct-beta")
    facts = resolve_model(entry.descriptor, entry.origin, catalog).facts
    assert {t["license"] for t in facts["effective_terms"]} == {"mit"}
    (teacher,) = facts["lineage_chain"]
    assert (teacher["base"], teacher["relation"], teacher["inherits"]) == (
        "Qwen/Qwen2.5-32B-Instruct", "trained-on-outputs", False)
