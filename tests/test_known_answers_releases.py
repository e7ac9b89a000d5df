"""Known answers for the 2025-2026 releases: the traps their licenses set, checked end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from openres_check import check
from openres_check.catalog import Catalog
from openres_check.lineage import resolve_model

JAPANESE_COMPANY: dict[str, Any] = {
    "organization": {"country": "JP", "type": "private"},
    "deployment": {"mode": "self-hosted", "regions": ["JP"], "public_facing": True},
    "use": {"commercial": True, "monthly_active_users": 20000},
}


def findings(model: str, context: dict[str, Any], catalog: Catalog,
             lang: str = "en") -> dict[str, Any]:
    report = check(model, context, as_of="2026-06-01", catalog=catalog, lang=lang)
    return {f.rule_id: f for f in report.findings}


def located_in(country: str) -> dict[str, Any]:
    return {**JAPANESE_COMPANY, "organization": {"country": country, "type": "private"}}


@pytest.mark.parametrize("country", ["DE", "FR", "GB", "KR"])
def test_hunyuan_withholds_its_grant_from_the_eu_the_uk_and_korea(
        catalog: Catalog, country: str) -> None:
    # Text-only, unlike the Llama 3.2 clause: the Hunyuan exclusion covers every model.
    found = findings("tencent/Hunyuan-A13B-Instruct", located_in(country), catalog)
    territory = found["TER-LICENSEE-EXCLUDED"]
    assert territory.status == "fail"
    assert any(e.value == ["EU", "GB", "KR"] for e in territory.evidence)
    assert territory.references[0].url == (
        "https://github.com/Tencent-Hunyuan/Hunyuan-A13B/blob/main/LICENSE")


def test_hunyuan_is_open_to_a_japanese_company_and_hy3_to_everyone(catalog: Catalog) -> None:
    assert findings("tencent/Hunyuan-7B-Instruct", JAPANESE_COMPANY, catalog)[
        "TER-LICENSEE-EXCLUDED"].status == "pass"
    # Tencent's 2026 Hy3 is plain Apache 2.0: the same German company is not excluded.
    assert findings("tencent/Hy3", located_in("DE"), catalog)[
        "TER-LICENSEE-EXCLUDED"].status == "pass"


def test_hunyuan_finding_in_japanese_names_the_license_and_the_territory(
        catalog: Catalog) -> None:
    message = str(findings("tencent/Hunyuan-MT-7B", located_in("IT"), catalog, "ja")[
        "TER-LICENSEE-EXCLUDED"].message)
    assert "TENCENT HUNYUAN COMMUNITY LICENSE AGREEMENT" in message
    assert "主たる事業所" in message
    assert "IT" in message


def test_hunyuan_outputs_may_not_train_another_model(catalog: Catalog) -> None:
    context = {**JAPANESE_COMPANY, "use": {**JAPANESE_COMPANY["use"], "trains_on_outputs": True}}
    found = findings("tencent/Hunyuan-0.5B-Instruct", context, catalog)
    assert found["OUT-TRAINING-PROHIBITED"].status == "fail"
    big = {**JAPANESE_COMPANY, "use": {"commercial": True, "monthly_active_users": 150_000_000}}
    assert findings("tencent/Hunyuan-0.5B-Instruct", big, catalog)[
        "LIC-USER-THRESHOLD"].status == "fail"


@pytest.mark.parametrize(("model", "license_id"), [
    ("LGAI-EXAONE/EXAONE-4.0-32B", "exaone-1.2-nc"),
    ("LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct", "exaone-1.1-nc"),
])
def test_exaone_used_commercially_fails_under_its_own_license_version(
        catalog: Catalog, model: str, license_id: str) -> None:
    assert catalog.get(model).descriptor.licenses["weights"].license == license_id
    assert findings(model, JAPANESE_COMPANY, catalog)["LIC-NON-COMMERCIAL"].status == "fail"
    research = {**JAPANESE_COMPANY, "use": {"commercial": False}}
    assert findings(model, research, catalog)["LIC-NON-COMMERCIAL"].status == "not_applicable"


def test_exaone_versions_differ_on_output_use(catalog: Catalog) -> None:
    # 1.1-NC bars improving any other model; 1.2-NC only models that compete with LG's.
    older = catalog.licenses.get("exaone-1.1-nc")
    newer = catalog.licenses.get("exaone-1.2-nc")
    assert older is not None
    assert newer is not None
    assert older.output_use is not None
    assert newer.output_use is not None
    assert older.output_use.train_other_models == "prohibited"
    assert newer.output_use.train_other_models == "restricted"


def test_qwen2_5_omni_3b_is_research_only_unlike_the_7b(catalog: Catalog) -> None:
    assert findings("Qwen/Qwen2.5-Omni-3B", JAPANESE_COMPANY, catalog)[
        "LIC-RESEARCH-ONLY"].status == "fail"
    assert findings("Qwen/Qwen2.5-Omni-7B", JAPANESE_COMPANY, catalog)[
        "LIC-RESEARCH-ONLY"].status == "pass"


def test_flux_dev_is_non_commercial_and_a_lora_on_it_inherits_that(
        catalog: Catalog, tmp_path: Path) -> None:
    for model in ("black-forest-labs/FLUX.1-dev", "black-forest-labs/FLUX.1-Kontext-dev"):
        assert findings(model, JAPANESE_COMPANY, catalog)["LIC-NON-COMMERCIAL"].status == "fail"
    assert findings("black-forest-labs/FLUX.1-schnell", JAPANESE_COMPANY, catalog)[
        "LIC-NON-COMMERCIAL"].status == "pass"
    # A community LoRA whose card says Apache 2.0 still runs on FLUX.1 [dev] weights.
    lora = tmp_path / "lora.yaml"
    lora.write_text(
        "id: example/flux-dev-style-lora\n"
        "publisher: {name: Example}\n"
        "modalities: [text, image]\n"
        "licenses: {weights: {license: apache-2.0, source: {url: 'https://example.invalid/card'}}}\n"
        "lineage: [{base: black-forest-labs/FLUX.1-dev, relation: adapter}]\n"
        "sources: [{url: 'https://example.invalid/card'}]\n", encoding="utf-8")
    non_commercial = findings(str(lora), JAPANESE_COMPANY, catalog)["LIC-NON-COMMERCIAL"]
    assert non_commercial.status == "fail"
    assert non_commercial.via == ["example/flux-dev-style-lora", "black-forest-labs/FLUX.1-dev"]


def test_r1_0528_qwen3_8b_distill_carries_the_qwen3_base_terms(catalog: Catalog) -> None:
    entry = catalog.get("deepseek-ai/DeepSeek-R1-0528-Qwen3-8B")
    terms = resolve_model(entry.descriptor, entry.origin, catalog).facts["effective_terms"]
    via = {t["license"]: t["via"] for t in terms}
    assert via["apache-2.0"] == ["deepseek-ai/DeepSeek-R1-0528-Qwen3-8B", "Qwen/Qwen3-8B-Base"]
    # The teacher is DeepSeek's own MIT release: the DeepSeek License of V3-Base does not carry.
    assert "deepseek-license-1.0" not in via
    inherited = findings("deepseek-ai/DeepSeek-R1-0528-Qwen3-8B", JAPANESE_COMPANY, catalog)[
        "LIN-INHERITED-TERMS"]
    assert inherited.status == "review"
    assert inherited.via == ["deepseek-ai/DeepSeek-R1-0528-Qwen3-8B", "Qwen/Qwen3-8B-Base"]


def test_lfm_revenue_cap_applies_to_the_licensees_group(catalog: Catalog) -> None:
    def revenue(usd: int) -> dict[str, Any]:
        return {**JAPANESE_COMPANY, "organization": {"country": "JP", "annual_revenue_usd": usd}}
    assert findings("LiquidAI/LFM2-Audio-1.5B", revenue(25_000_000), catalog)[
        "LIC-REVENUE-THRESHOLD"].status == "fail"
    assert findings("LiquidAI/LFM2-Audio-1.5B", revenue(2_000_000), catalog)[
        "LIC-REVENUE-THRESHOLD"].status == "pass"


def test_kimi_k2_5_asks_for_its_own_name_above_the_threshold(catalog: Catalog) -> None:
    context = {**JAPANESE_COMPANY,
               "use": {"commercial": True, "monthly_revenue_usd": 30_000_000}}
    attribution = findings("moonshotai/Kimi-K2.5", context, catalog)["OBL-ATTRIBUTION"]
    assert attribution.status == "review"
    assert "Kimi K2.5" in str(attribution.obligation)


def test_hyperclova_terms_that_were_not_read_never_fail(catalog: Catalog) -> None:
    found = findings("naver-hyperclovax/HyperCLOVAX-SEED-Think-14B", JAPANESE_COMPANY, catalog)
    assert found["LIC-NON-COMMERCIAL"].status == "review"
    assert "fail" not in {f.status for f in found.values() if f.category == "commercial-use"}


def test_a_japanese_company_hosting_hunyuan_in_the_eu_is_outside_the_license(
        catalog: Catalog) -> None:
    frankfurt = {**JAPANESE_COMPANY,
                 "deployment": {"mode": "cloud", "regions": ["DE"], "public_facing": True},
                 "data": {"subject_regions": ["JP"]}}
    found = findings("tencent/Hunyuan-A13B-Instruct", frankfurt, catalog)
    # The licensee is Japanese, so the place-of-business rule passes; the use rule does not.
    assert found["TER-LICENSEE-EXCLUDED"].status == "pass"
    assert found["TER-USE-OUTSIDE-TERRITORY"].status == "fail"
    # Llama's EU clause looks only at the licensee, so the same deployment passes it.
    assert findings("meta-llama/Llama-3.2-11B-Vision-Instruct", frankfurt, catalog)[
        "TER-USE-OUTSIDE-TERRITORY"].status == "pass"
