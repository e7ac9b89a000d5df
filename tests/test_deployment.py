"""A rule that reads only the deployment is judged once and reported once, in every format,
and every model's verdict, the exit code and the waivers come out as if each model had judged
every rule itself."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from conftest import ROOT
from openres_check import check
from openres_check.api import evaluate, resolve_models
from openres_check.catalog import Catalog
from openres_check.discovery.run import diff_report, scan
from openres_check.engine.waivers import apply_waivers
from openres_check.model.context import Context
from openres_check.model.waiver import Waiver
from openres_check.policies import load_policies
from openres_check.report import Report
from openres_check.reporters import RenderOptions, get_reporter

PACK = """\
pack: test.deployment
version: 1.0.0
title: {en: T, ja: T}
rules:
  - id: T-CONTEXT
    category: regulation
    severity: high
    title: {en: Commercial use declared, ja: 商用利用の申告}
    fails: {fact: context.use.commercial, equals: true}
    message: {en: "declared for {context.use.sector}", ja: "{context.use.sector} で申告"}
  - id: T-CONTEXT-REVIEW
    category: regulation
    severity: low
    title: {en: Organization country, ja: 組織の国}
    review: {fact: context.organization.country, equals: JP}
    message: {en: "in {context.organization.country}", ja: "{context.organization.country}"}
  - id: T-MODEL
    category: license
    severity: medium
    title: {en: Model publisher, ja: 提供元}
    review: {fact: model.publisher.country, equals: CN}
    message: {en: "{model.id} is published in CN", ja: "{model.id} は CN で公開"}
"""
MODELS = ["Qwen/Qwen2.5-7B-Instruct", "deepseek-ai/DeepSeek-R1",
          "meta-llama/Llama-3.1-8B-Instruct"]
CONTEXT: dict[str, Any] = {"use": {"commercial": True, "sector": "medical"},
                           "organization": {"country": "JP"}}
GATES: list[dict[str, Any]] = [{}, {"strict": True}, {"fail_on": "never"}, {"fail_on": "critical", "strict": True},
         {"fail_on": "low"}, {"fail_on": "info", "strict": True}]


@pytest.fixture
def pack(write: Callable[[str, str], Path]) -> str:
    return str(write("deployment-pack.yaml", PACK))


def _run(pack: str, catalog: Catalog, models: list[str] = MODELS,
         waivers: list[dict[str, Any]] | None = None, **options: Any) -> Report:
    return check(models, options.pop("context", CONTEXT), [pack], as_of="2026-06-01",
                 catalog=catalog, waivers=waivers, **options)


def _per_model(models: list[str], context: dict[str, Any], policies: list[str] | None,
               waivers: list[dict[str, Any]], catalog: Catalog) -> Report:
    """The run as it was before: every rule judged for every model, waivers on each."""
    day = dt.date(2026, 6, 1)
    resolved = resolve_models(models, catalog)
    packs = load_policies(policies)
    findings = evaluate(resolved, Context.from_mapping(context), packs, day, "en")
    aliases = {m.id: {m.id.lower(), *(a.lower() for a in m.descriptor.aliases)}
               for m in resolved}
    hashes: dict[str, set[str]] = {m.id: set() for m in resolved}
    findings, notes = apply_waivers(findings, [Waiver.model_validate(w) for w in waivers],
                                    day, aliases, hashes)
    return Report(findings=tuple(findings), models=tuple(resolved), policies=tuple(packs),
                  context=Context.from_mapping(context), context_source="<context>",
                  as_of=day, lang="en", waivers=tuple(notes))


def _judged(findings: list[Any]) -> list[tuple[Any, ...]]:
    return [(f.rule_id, str(f.status), f.message, f.evidence, f.obligation, f.waiver)
            for f in findings]


BUNDLED_WAIVERS: list[dict[str, Any]] = [
    # Deployment rules: one waived for every model, one for a single model, one expired for a
    # single model; and a model rule, for one model.
    {"rule": "REG-JP-AI-GUIDELINES", "reason": "r", "approved_by": "CTO",
     "expires": "2027-01-01"},
    {"rule": "REG-JP-SAMD", "model": "deepseek-ai/DeepSeek-R1", "reason": "r",
     "approved_by": "QA", "expires": "2027-01-01"},
    {"rule": "REG-JP-MEDICAL-GUIDELINES", "model": "qwen2.5-7b-instruct", "reason": "r",
     "approved_by": "QA", "expires": "2026-01-01"},
    {"rule": "OBL-ATTRIBUTION", "model": "meta-llama/Llama-3.1-8B-Instruct", "reason": "r",
     "approved_by": "Legal", "expires": "2027-01-01"},
    {"rule": "REG-CN-LABELLING", "reason": "never matches", "approved_by": "L",
     "expires": "2027-01-01"},
]
BUNDLED_CONTEXT: dict[str, Any] = {
    "organization": {"country": "JP", "type": "private"},
    "deployment": {"mode": "vendor-api", "regions": ["JP"], "public_facing": True},
    "use": {"commercial": True, "monthly_active_users": 20000, "sector": "medical",
            "purposes": ["diagnostic-support"]},
    "data": {"categories": ["personal", "health"], "subject_regions": ["JP"]},
}


def test_verdicts_exit_codes_and_waivers_equal_judging_every_rule_per_model(
        catalog: Catalog) -> None:
    models = [*MODELS, "Qwen/Qwen2.5-3B-Instruct", "deepseek-ai/DeepSeek-R1-Distill-Llama-70B"]
    report = check(models, BUNDLED_CONTEXT, as_of="2026-06-01", catalog=catalog,
                   waivers=BUNDLED_WAIVERS)
    reference = _per_model(models, BUNDLED_CONTEXT, None, BUNDLED_WAIVERS, catalog)
    assert report.deployment_findings, "the bundled packs have deployment rules"
    assert len(report.findings) < len(reference.findings)
    for model in report.models:
        # The same findings apply to each model, with the same texts and evidence.
        assert _judged(report.findings_for(model.id)) == _judged(reference.by_model[model.id])
        for gate in GATES:
            assert report.verdict(model.id, **gate).to_dict() == \
                reference.verdict(model.id, **gate).to_dict()
    for gate in GATES:
        assert report.exit_code(**gate) == reference.exit_code(**gate)
        assert {f.rule_id for f in report.gating(**gate)} == \
            {f.rule_id for f in reference.gating(**gate)}
    assert [n.to_dict() for n in report.waivers] == [n.to_dict() for n in reference.waivers]
    states = {n.waiver.rule: n.state for n in report.waivers}
    assert states == {"REG-JP-AI-GUIDELINES": "applied", "REG-JP-SAMD": "applied",
                      "REG-JP-MEDICAL-GUIDELINES": "expired", "OBL-ATTRIBUTION": "applied",
                      "REG-CN-LABELLING": "unused"}


def test_a_context_only_rule_is_reported_once_and_a_model_rule_per_model(
        pack: str, catalog: Catalog) -> None:
    report = _run(pack, catalog)
    deployment = report.deployment_findings
    assert [(f.rule_id, f.model, f.scope, str(f.status)) for f in deployment] == [
        ("T-CONTEXT", None, "deployment", "fail"),
        ("T-CONTEXT-REVIEW", None, "deployment", "review")]
    for model in report.models:
        own = [f.rule_id for f in report.by_model[model.id]]
        assert own == ["T-MODEL"]  # the model-scoped rule stays with each model
        assert [f.rule_id for f in report.findings_for(model.id)] == [
            "T-CONTEXT", "T-MODEL", "T-CONTEXT-REVIEW"]
        assert report.verdict(model.id).decision == "blocked"
    # `findings` holds everything, each once; the summary counts each once.
    assert len(report.findings) == len(MODELS) + 2
    assert report.summary["fail"] == 1
    assert report.exit_code() == 1
    assert report.exit_code(fail_on="critical") == 0


def test_the_json_document_lists_each_finding_once(pack: str, catalog: Catalog) -> None:
    report = _run(pack, catalog)
    document = json.loads(report.to_json())
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["schema_version"] == "2.0"
    rows = [(f["rule_id"], f["model"], f["scope"]) for f in document["findings"]]
    assert rows.count(("T-CONTEXT", None, "deployment")) == 1
    assert [r for r in rows if r[0] == "T-CONTEXT"] == [("T-CONTEXT", None, "deployment")]
    assert rows[-2:] == [("T-CONTEXT", None, "deployment"),
                         ("T-CONTEXT-REVIEW", None, "deployment")]  # after every model's
    assert document["deployment"] == {
        "summary": {"fail": 1, "review": 1, "pass": 0, "waived": 0, "not_applicable": 0},
        "rules": ["T-CONTEXT", "T-CONTEXT-REVIEW"]}
    assert document["summary"]["fail"] == 1
    assert all("deployment_except" not in m for m in document["models"])
    assert {m["verdict"]["decision"] for m in document["models"]} == {"blocked"}


def test_a_waiver_naming_a_model_keeps_the_rule_under_that_model(
        pack: str, catalog: Catalog) -> None:
    waivers = [{"rule": "T-CONTEXT", "model": "deepseek-r1", "reason": "accepted",
                "approved_by": "Legal", "expires": "2027-01-01"}]
    report = _run(pack, catalog, waivers=waivers)
    r1 = "deepseek-ai/DeepSeek-R1"
    own = {f.rule_id: f for f in report.by_model[r1]}
    assert str(own["T-CONTEXT"].status) == "waived"  # judged for R1, waived for it alone
    assert own["T-CONTEXT"].scope == "model"
    assert [f.rule_id for f in report.deployment_findings] == ["T-CONTEXT", "T-CONTEXT-REVIEW"]
    assert str(report.deployment_findings[0].status) == "fail"  # the others still fail
    assert report.sharing("T-CONTEXT") == ["Qwen/Qwen2.5-7B-Instruct",
                                           "meta-llama/Llama-3.1-8B-Instruct"]
    assert report.verdict(r1).decision == "conditional"
    assert report.verdict("Qwen/Qwen2.5-7B-Instruct").decision == "blocked"
    note = report.waivers[0]
    assert (note.state, note.matched) == ("applied", (r1,))
    document = json.loads(report.to_json())
    excepted = {m["id"]: m.get("deployment_except") for m in document["models"]}
    assert excepted == {r1: ["T-CONTEXT"], "Qwen/Qwen2.5-7B-Instruct": None,
                        "meta-llama/Llama-3.1-8B-Instruct": None}
    text = get_reporter("text").render(report, RenderOptions())
    assert text.count("T-CONTEXT  ") == 2  # under R1 (waived) and under Deployment (fail)
    # The same rule without a waiver for any one model is shared by all of them.
    shared = _run(pack, catalog)
    assert all("T-CONTEXT" in rules for rules in shared.shared.values())


def test_waivers_for_every_model_and_expired_ones_keep_their_notes(
        pack: str, catalog: Catalog) -> None:
    waivers = [
        {"rule": "T-CONTEXT", "reason": "all", "approved_by": "CTO", "expires": "2027-01-01"},
        {"rule": "T-CONTEXT-REVIEW", "model": "meta-llama/Llama-3.1-8B-Instruct",
         "reason": "old", "approved_by": "L", "expires": "2025-01-01"},
        {"rule": "T-MODEL", "model": "nobody/none", "reason": "x", "approved_by": "L",
         "expires": "2027-01-01"},
    ]
    report = _run(pack, catalog, waivers=waivers)
    notes = {n.waiver.rule: (n.state, n.matched) for n in report.waivers}
    assert notes == {"T-CONTEXT": ("applied", tuple(sorted(MODELS))),
                     "T-CONTEXT-REVIEW": ("expired", ("meta-llama/Llama-3.1-8B-Instruct",)),
                     "T-MODEL": ("unused", ())}
    assert str(report.deployment_findings[0].status) == "waived"
    assert report.exit_code() == 0
    reference = _per_model(MODELS, CONTEXT, [report.policies[0].source], waivers, catalog)
    assert [n.to_dict() for n in report.waivers] == [n.to_dict() for n in reference.waivers]


def test_a_pinned_waiver_judges_its_rule_for_each_model(pack: str, catalog: Catalog) -> None:
    # A waiver pinned to a license text can only be decided per model.
    waivers = [{"rule": "T-CONTEXT", "reason": "r", "approved_by": "L", "expires": "2027-01-01",
                "license_text_sha256": "0" * 64}]
    report = _run(pack, catalog, waivers=waivers)
    assert [f.rule_id for f in report.deployment_findings] == ["T-CONTEXT-REVIEW"]
    assert all(any(f.rule_id == "T-CONTEXT" for f in report.by_model[m]) for m in MODELS)
    assert report.waivers[0].state == "text-changed"


def test_every_format_reports_the_deployment_once(pack: str, catalog: Catalog,
                                                  write: Callable[[str, str], Path]) -> None:
    context = write("context.yaml", "use: {commercial: true, sector: medical}\n"
                    "organization: {country: JP}\n")
    report = _run(pack, catalog, context=str(context))
    options = RenderOptions()
    for fmt in ("text", "markdown", "html"):
        rendered = get_reporter(fmt).render(report, options)
        assert rendered.count("declared for medical") == 1, fmt
    markdown = get_reporter("markdown").render(report, options)
    assert "### Deployment: findings that do not depend on the model" in markdown
    assert "(#deployment-t-context)" in markdown  # each verdict links to the one finding
    assert '<a id="deployment-t-context"></a>' in markdown
    ja = check(MODELS, str(context), [pack], as_of="2026-06-01", catalog=catalog, lang="ja")
    assert "デプロイ状況: モデルによらない検出事項" in get_reporter("text").render(ja, options)
    sarif = json.loads(get_reporter("sarif").render(report, options))
    results = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "T-CONTEXT"]
    assert len(results) == 1
    assert results[0]["properties"]["scope"] == "deployment"
    assert results[0]["level"] == "error"  # it fails the gate
    physical = results[0]["locations"][0]["physicalLocation"]
    assert physical == {"artifactLocation": {"uri": str(context)}}
    junit = ET.fromstring(get_reporter("junit").render(report, options))  # noqa: S314
    suites = {s.get("name"): s for s in junit.findall("testsuite")}
    assert list(suites) == [*MODELS, "deployment"]
    assert [c.get("name") for c in suites["deployment"].findall("testcase")] == [
        "T-CONTEXT: Commercial use declared", "T-CONTEXT-REVIEW: Organization country"]
    assert junit.get("failures") == "1"
    bom = json.loads(get_reporter("cyclonedx").render(report, options))
    names = [p["name"] for p in bom["metadata"]["properties"]]
    assert "openres-check:deployment-finding:T-CONTEXT" in names
    assert all(not p["name"].endswith(":T-CONTEXT") for c in bom["components"]
               for p in c["properties"])


def test_sarif_points_an_inline_context_at_its_line(pack: str, catalog: Catalog) -> None:
    report = _run(pack, catalog, context_source="openres.yaml:7")
    sarif = json.loads(get_reporter("sarif").render(report, RenderOptions()))
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "T-CONTEXT")
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "openres.yaml"}, "region": {"startLine": 7}}


def test_a_baseline_knows_a_deployment_finding_for_the_models_it_had(
        pack: str, catalog: Catalog, tmp_path: Path) -> None:
    two = MODELS[:2]
    baseline = tmp_path / "baseline.json"
    baseline.write_text(_run(pack, catalog, models=two).to_json(), encoding="utf-8")
    assert _run(pack, catalog, models=two, baseline=baseline).exit_code() == 0
    # A model the baseline did not have makes the deployment's fail new again, as its own
    # copy of the finding did when each model listed it.
    grown = _run(pack, catalog, baseline=baseline)
    assert grown.exit_code() == 1
    assert [f.rule_id for f in grown.gating()] == ["T-CONTEXT"]
    # A 1.0 baseline, which listed the finding under each model, reads the same.
    old = json.loads(baseline.read_text(encoding="utf-8"))
    old["findings"] = [
        {**f, "model": m, "scope": "model"} for f in old["findings"] for m in
        ([f["model"]] if f["model"] else two)]
    baseline.write_text(json.dumps(old), encoding="utf-8")
    assert _run(pack, catalog, models=two, baseline=baseline).exit_code() == 0
    assert _run(pack, catalog, baseline=baseline).exit_code() == 1


def test_a_diff_keeps_the_deployment_finding_for_the_new_model_only(
        pack: str, catalog: Catalog, tmp_path: Path) -> None:
    base = tmp_path / "base.json"
    base.write_text(_run(pack, catalog, models=MODELS[:2]).to_json(), encoding="utf-8")
    diffed = diff_report(_run(pack, catalog), base)
    new = MODELS[2]
    assert [m.id for m in diffed.models] == [new]
    assert dict(diffed.shared) == {new: frozenset({"T-CONTEXT", "T-CONTEXT-REVIEW"})}
    assert diffed.verdict(new).decision == "blocked"
    assert diffed.exit_code() == 1
    assert diff_report(_run(pack, catalog, models=MODELS[:2]), base).exit_code() == 0


def test_a_hosted_api_found_by_a_scan_judges_the_deployment_rules_itself(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalog: Catalog) -> None:
    root = tmp_path / "clinic"
    shutil.copytree(ROOT / "tests" / "assets" / "scan-project", root)
    monkeypatch.chdir(root)
    context = {**BUNDLED_CONTEXT, "deployment": {"mode": "self-hosted", "regions": ["JP"]}}
    report = scan(["."], context, as_of="2026-06-01", catalog=catalog)
    hosted = "api.deepseek.com/deepseek-chat"
    assert hosted not in report.shared  # its context differs: vendor-api
    own = {f.rule_id: f for f in report.by_model[hosted]}
    special = own["DP-JP-SPECIAL-CARE"]
    assert str(special.status) == "review"
    assert any(e.fact == "context.deployment.mode" and e.value == "vendor-api"
               for e in special.evidence)
    shared = next(f for f in report.deployment_findings if f.rule_id == "DP-JP-SPECIAL-CARE")
    assert str(shared.status) != "review"  # self-hosted, for the others
    unresolved = "acme-clinic/notes-triage-ft"
    assert unresolved not in report.shared  # judged by the discovery pack alone
    assert [f.rule_id for f in report.findings_for(unresolved)] == ["SCAN-UNRESOLVED"]
    document = json.loads(report.to_json())
    excepted = {m["id"]: m.get("deployment_except", []) for m in document["models"]}
    assert excepted[hosted] == document["deployment"]["rules"]
    reference = [m for m in report.models if m.id in report.shared]
    assert reference
    assert all(not excepted[m.id] for m in reference)


@pytest.mark.parametrize(("rule", "lang", "expected"), [
    ("REG-JP-AI-GUIDELINES", "en", "- Scope: the deployment: it reads only the context"),
    ("REG-JP-AI-GUIDELINES", "ja", "- 判定の単位: デプロイ状況。"),
    ("LIC-RESEARCH-ONLY", "en", "- Scope: each model"),
    ("LIC-RESEARCH-ONLY", "ja", "- 判定の単位: モデルごと"),
])
def test_explain_says_whether_a_rule_is_judged_once_for_the_deployment(
        cli: Any, rule: str, lang: str, expected: str) -> None:
    code, out, _err = cli("explain", rule, "--lang", lang)
    assert code == 0
    assert any(line.startswith(expected) for line in out.splitlines())
