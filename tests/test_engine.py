from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from openres_check import check
from openres_check.catalog import Catalog
from openres_check.errors import InputError
from openres_check.model.finding import Finding

PACK = """
pack: test.engine
version: 0.1.0
requires: ">=0.1"
title: {en: Test, ja: テスト}
params: {start: 2025-08-02}
rules:
  - id: T-ATTRIBUTION
    category: attribution
    severity: medium
    title: {en: Attribution, ja: 帰属表示}
    applies: {fact: context.deployment.public_facing, equals: true}
    review:
      some:
        in: model.effective_terms
        where: {fact: item.attribution.display, exists: true}
    obligation: {en: "Display {item.attribution.display}.", ja: "「{item.attribution.display}」を表示してください。"}
    message: {en: "{item.name} requires {item.attribution.display}.", ja: "{item.name} は表示が必要です。"}
  - id: T-DATED
    category: regulation
    severity: high
    title: {en: Dated, ja: 日付}
    effective: {from: 2025-08-02}
    fails: {fact: context.use.commercial, equals: true}
    message: {en: "fails", ja: "不適合"}
  - id: T-UNVERIFIED
    category: license
    severity: critical
    title: {en: Unverified, ja: 未検証}
    confidence: unverified
    fails: {fact: context.use.commercial, equals: true}
    message: {en: "rests on an unverified fact", ja: "未検証"}
"""


@pytest.fixture
def pack(write: Callable[[str, str], Path]) -> Path:
    return write("pack.yaml", PACK)


def by_rule(findings: tuple[Finding, ...]) -> dict[str, Finding]:
    return {f.rule_id: f for f in findings}


def test_obligation_stays_review_until_attested(pack: Path, catalog: Catalog) -> None:
    context = {"deployment": {"public_facing": True}}
    report = check("meta-llama/Llama-3.1-8B-Instruct", context, [str(pack)],
                   as_of="2026-01-01", catalog=catalog)
    finding = by_rule(report.findings)["T-ATTRIBUTION"]
    assert finding.status == "review"
    assert finding.obligation == "Display Built with Llama."
    attested = {**context, "attestations": {"T-ATTRIBUTION": "https://example.jp/about"}}
    report = check("meta-llama/Llama-3.1-8B-Instruct", attested, [str(pack)],
                   as_of="2026-01-01", catalog=catalog)
    finding = by_rule(report.findings)["T-ATTRIBUTION"]
    assert finding.status == "pass"
    assert finding.attestation == "https://example.jp/about"
    assert "https://example.jp/about" in finding.message


def test_obligation_not_triggered_passes(pack: Path, catalog: Catalog) -> None:
    report = check("Qwen/Qwen2.5-7B-Instruct", {"deployment": {"public_facing": True}},
                   [str(pack)], as_of="2026-01-01", catalog=catalog)
    assert by_rule(report.findings)["T-ATTRIBUTION"].status == "pass"


def test_rules_are_not_applicable_before_their_effective_date(pack: Path,
                                                             catalog: Catalog) -> None:
    context = {"use": {"commercial": True}}
    before = check("Qwen/Qwen2.5-7B-Instruct", context, [str(pack)], as_of="2025-08-01",
                   catalog=catalog)
    after = check("Qwen/Qwen2.5-7B-Instruct", context, [str(pack)], as_of=dt.date(2025, 8, 2),
                  catalog=catalog)
    assert by_rule(before.findings)["T-DATED"].status == "not_applicable"
    assert "2025-08-02" in by_rule(before.findings)["T-DATED"].message
    assert by_rule(after.findings)["T-DATED"].status == "fail"


def test_unverified_rule_never_fails(pack: Path, catalog: Catalog) -> None:
    report = check("Qwen/Qwen2.5-7B-Instruct", {"use": {"commercial": True}}, [str(pack)],
                   as_of="2026-01-01", catalog=catalog)
    finding = by_rule(report.findings)["T-UNVERIFIED"]
    assert finding.status == "review"
    assert "unverified" in finding.message


def test_review_names_the_missing_facts_in_japanese(pack: Path, catalog: Catalog) -> None:
    report = check("Qwen/Qwen2.5-7B-Instruct", {}, [str(pack)], as_of="2026-01-01",
                   lang="ja", catalog=catalog)
    finding = by_rule(report.findings)["T-DATED"]
    assert finding.status == "review"
    assert finding.missing == ["context.use.commercial"]
    assert "不明" in finding.message
    assert "context.use.commercial" in finding.message


def test_findings_are_ordered_by_model_severity_rule(pack: Path, catalog: Catalog) -> None:
    report = check(["Qwen/Qwen2.5-7B-Instruct", "deepseek-ai/DeepSeek-R1"],
                   {"use": {"commercial": True}}, [str(pack), "license"], as_of="2026-01-01",
                   catalog=catalog)
    # The deployment's findings (no model) come last: T-DATED and T-UNVERIFIED read only
    # the context.
    keys = [(f.model is None, (f.model or "").lower(), f.severity, f.rule_id)
            for f in report.findings]
    rank = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
    assert keys == sorted(keys, key=lambda k: (k[0], k[1], rank[k[2]], k[3]))
    assert report.findings[0].model == "deepseek-ai/DeepSeek-R1"
    assert report.findings[-1].model is None
    assert [f.rule_id for f in report.deployment_findings] == ["T-UNVERIFIED", "T-DATED"]


def test_exit_code_follows_fail_on_and_strict(pack: Path, catalog: Catalog) -> None:
    report = check("Qwen/Qwen2.5-7B-Instruct", {"use": {"commercial": True}}, [str(pack)],
                   as_of="2026-01-01", catalog=catalog)
    assert report.exit_code("high") == 1  # T-DATED fails at high
    assert report.exit_code("critical") == 0  # the critical rule only reviews
    assert report.exit_code("critical", strict=True) == 1
    assert report.exit_code("never", strict=True) == 0


def test_pack_errors_are_located(write: Callable[[str, str], Path], catalog: Catalog) -> None:
    bad = write("bad.yaml", PACK.replace("item.attribution.display, exists",
                                         "item.atribution.display, exists"))
    with pytest.raises(InputError) as exc:
        check("Qwen/Qwen2.5-7B-Instruct", {}, [str(bad)], catalog=catalog)
    issue = exc.value.issues[0]
    assert issue.code == "unknown-fact"
    expected_line = next(i for i, line in enumerate(PACK.splitlines(), 1)
                         if "item.attribution.display, exists" in line)
    assert issue.location.line == expected_line
    assert "item.attribution" in str(issue.hint)


def test_requires_mismatch_is_a_clear_error(write: Callable[[str, str], Path],
                                           catalog: Catalog) -> None:
    bad = write("future.yaml", PACK.replace('requires: ">=0.1"', 'requires: ">=99"'))
    with pytest.raises(InputError) as exc:
        check("Qwen/Qwen2.5-7B-Instruct", {}, [str(bad)], catalog=catalog)
    assert exc.value.issues[0].code == "version-mismatch"


def test_param_overrides_are_checked(catalog: Catalog) -> None:
    report = check("meta-llama/Llama-3.1-8B-Instruct",
                   {"organization": {"country": "DE"}, "use": {"purposes": ["hiring"]}},
                   ["regulation"], as_of="2027-01-01", catalog=catalog,
                   params={"eu_ai_act_dates": "omnibus"})
    assert by_rule(report.findings)["REG-EU-ANNEX3-DEPLOYER"].status == "not_applicable"
    report = check("meta-llama/Llama-3.1-8B-Instruct",
                   {"organization": {"country": "DE"}, "use": {"purposes": ["hiring"]}},
                   ["regulation"], as_of="2027-01-01", catalog=catalog)
    assert by_rule(report.findings)["REG-EU-ANNEX3-DEPLOYER"].status == "review"
    with pytest.raises(InputError) as exc:
        check("meta-llama/Llama-3.1-8B-Instruct", {}, ["regulation"], catalog=catalog,
              params={"eu_ai_act_dates": "omnibuss"})
    assert "did you mean 'omnibus'" in str(exc.value.issues[0].hint)
    with pytest.raises(InputError) as exc:
        check("meta-llama/Llama-3.1-8B-Instruct", {}, ["regulation"], catalog=catalog,
              params={"eu_ai_act_date": "omnibus"})
    assert exc.value.issues[0].code == "unknown-param"


def test_cli_param_flag(cli: Callable[..., tuple[int, str, str]]) -> None:
    code, _, err = cli("check", "Qwen/Qwen2.5-7B-Instruct", "--param", "nonsense")
    assert code == 2
    assert "NAME=VALUE" in err


def test_cannot_decide_names_the_unknown_side_of_a_comparison(catalog: Catalog) -> None:
    # The declared revenue is known; the unverified license's threshold is what is missing.
    context = {"use": {"commercial": True, "monthly_revenue_usd": 1000},
               "organization": {"annual_revenue_usd": 1_500_000}}
    report = check("Qwen/Qwen1.5-32B", context, ["license"], catalog=catalog)
    finding = by_rule(report.findings)["LIC-REVENUE-THRESHOLD"]
    assert finding.status == "review"
    assert "context.organization.annual_revenue_usd" not in finding.missing
    assert "effective_terms[tongyi-qianwen].revenue_threshold.limit" in finding.missing
