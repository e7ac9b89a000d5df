"""Well-known adoption situations, checked end to end with every bundled pack."""

from __future__ import annotations

from typing import Any

from openres_check import check
from openres_check.catalog import Catalog

CLINIC: dict[str, Any] = {
    "organization": {"country": "JP", "type": "private"},
    "deployment": {"mode": "self-hosted", "regions": ["JP"], "public_facing": True},
    "use": {"commercial": True, "monthly_active_users": 20000, "sector": "medical"},
    "data": {"categories": ["personal", "health"], "subject_regions": ["JP"]},
}


def statuses(model: str, context: dict[str, Any], catalog: Catalog,
             category: str | None = None) -> dict[str, str]:
    report = check(model, context, as_of="2026-06-01", catalog=catalog)
    return {f.rule_id: str(f.status) for f in report.findings
            if category is None or f.category == category}


def test_research_only_qwen_used_commercially_fails(catalog: Catalog) -> None:
    assert statuses("Qwen/Qwen2.5-3B-Instruct", CLINIC, catalog)["LIC-RESEARCH-ONLY"] == "fail"
    assert statuses("Qwen/Qwen2.5-7B-Instruct", CLINIC, catalog)["LIC-RESEARCH-ONLY"] == "pass"


def test_llama_vision_is_excluded_for_an_eu_company_only(catalog: Catalog) -> None:
    eu = {**CLINIC, "organization": {"country": "DE"}}
    vision = "meta-llama/Llama-3.2-11B-Vision-Instruct"
    assert statuses(vision, eu, catalog)["TER-LICENSEE-EXCLUDED"] == "fail"
    assert statuses(vision, CLINIC, catalog)["TER-LICENSEE-EXCLUDED"] == "pass"
    assert statuses("meta-llama/Llama-3.3-70B-Instruct", eu, catalog)[
        "TER-LICENSEE-EXCLUDED"] == "pass"


def test_clinic_on_the_hosted_deepseek_api_gets_critical_checklist_items(
        catalog: Catalog) -> None:
    found = statuses("deepseek-ai/DeepSeek-R1", CLINIC, catalog, "data-protection")
    assert found["DP-JP-PRC-HOSTED"] == "pass"
    assert found["DP-JP-MEDICAL-DOMESTIC"] == "pass"
    api = {**CLINIC, "deployment": {"mode": "vendor-api", "regions": ["JP"]}}
    report = check("deepseek-ai/DeepSeek-R1", api, ["data-protection"], catalog=catalog)
    by_rule = {f.rule_id: f for f in report.findings}
    # The law asks for consent or safeguards, not a ban: these are obligations to meet.
    for rule in ("DP-JP-PRC-HOSTED", "DP-JP-MEDICAL-DOMESTIC"):
        assert by_rule[rule].status == "review"
        assert by_rule[rule].obligation
    assert by_rule["DP-JP-MEDICAL-DOMESTIC"].severity == "critical"


def test_distill_carries_llama_terms(catalog: Catalog) -> None:
    report = check("deepseek-ai/DeepSeek-R1-Distill-Llama-70B", CLINIC, as_of="2026-06-01",
                   catalog=catalog)
    by_rule = {f.rule_id: f for f in report.findings}
    inherited = by_rule["LIN-INHERITED-TERMS"]
    assert inherited.status == "review"
    assert inherited.via == ["deepseek-ai/DeepSeek-R1-Distill-Llama-70B",
                             "meta-llama/Llama-3.3-70B-Instruct"]
    attribution = by_rule["OBL-ATTRIBUTION"]
    assert attribution.status == "review"
    assert "Built with Llama" in str(attribution.obligation)
    big = {**CLINIC, "use": {**CLINIC["use"], "monthly_active_users": 800_000_000}}
    assert statuses("deepseek-ai/DeepSeek-R1-Distill-Llama-70B", big, catalog)[
        "LIC-USER-THRESHOLD"] == "fail"


def test_every_license_in_the_chain_owes_its_notice(catalog: Catalog) -> None:
    context = {"use": {"distributes_weights": True}}
    report = check("deepseek-ai/DeepSeek-R1-Distill-Llama-8B", context, ["obligations"],
                   catalog=catalog)
    notice = next(f for f in report.findings if f.rule_id == "OBL-NOTICE")
    assert notice.status == "review"
    # The MIT of the distill comes first, but Llama's own notice must not be lost behind it.
    assert "MIT License" in str(notice.obligation)
    assert "Llama 3.1 is licensed under the Llama 3.1 Community License" in str(notice.obligation)


def test_references_cite_the_clause_of_the_license_that_decided(catalog: Catalog) -> None:
    report = check("meta-llama/Llama-3.1-8B-Instruct", {"use": {"distributes_weights": True}},
                   ["territory", "obligations"], catalog=catalog)
    by_rule = {f.rule_id: f for f in report.findings}
    export = by_rule["TER-EXPORT-CONTROL"]
    assert export.status == "review"
    # The rule's own examples name the Qwen license; a Llama finding cites Llama's clause.
    assert [r.url for r in export.references] == [
        "https://github.com/meta-llama/llama-models/blob/main/models/llama3_1/LICENSE"]
    assert all("Llama 3.1" in r.title for r in by_rule["OBL-NOTICE"].references)
