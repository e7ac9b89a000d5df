"""Every reporter, golden-tested on one scenario with hostile card text, plus format checks."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from conftest import ROOT
from openres_check import check
from openres_check.catalog import Catalog
from openres_check.report import Report
from openres_check.reporters import REPORTERS, OutputFormat, RenderOptions, get_reporter

GOLDEN = Path(__file__).parent / "golden"
HOSTILE_NAME = "<script>document.title='pwned'</script>"
HOSTILE_LICENSE = "<img src=x onerror=\"document.title='pwned'\">"
CONTEXT: dict[str, Any] = {
    "organization": {"country": "JP", "type": "private"},
    "deployment": {"mode": "vendor-api", "regions": ["JP"], "public_facing": True},
    "use": {"commercial": True, "monthly_active_users": 20000, "sector": "medical",
            "purposes": ["diagnostic-support"], "product_name": "Clinic <b>Assistant</b>"},
    "data": {"categories": ["personal", "health"], "subject_regions": ["JP"]},
    "attestations": {"OBL-ACCEPTABLE-USE": "https://example.jp/aup-review"},
}
WAIVERS = [
    {"rule": "LIC-RESEARCH-ONLY", "model": "Qwen/Qwen2.5-3B-Instruct",
     "reason": "Commercial license signed with Alibaba Cloud", "approved_by": "Legal (K. Sato)",
     "expires": "2027-01-01", "ticket": "LEGAL-42"},
    {"rule": "OBL-ATTRIBUTION", "reason": "old exception", "approved_by": "CTO",
     "expires": "2025-01-01"},
    {"rule": "DP-GDPR-TRANSFER-CN", "reason": "not needed", "approved_by": "DPO",
     "expires": "2027-01-01"},
]
EXTENSIONS = {"text": "txt", "json": "json", "sarif": "sarif", "junit": "xml",
              "markdown": "md", "html": "html", "cyclonedx": "cdx.json"}


@pytest.fixture
def scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalog: Catalog) -> dict[str, Report]:
    folder = tmp_path / "hostile-model"
    folder.mkdir()
    (folder / "README.md").write_text(
        f"---\nlicense: other\nlicense_name: {json.dumps(HOSTILE_LICENSE)}\n"
        f"model_name: {json.dumps(HOSTILE_NAME)}\n"
        "base_model: meta-llama/Llama-3.1-8B-Instruct\n---\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    models = ["Qwen/Qwen2.5-3B-Instruct", "deepseek-ai/DeepSeek-R1-Distill-Llama-70B",
              "hostile-model"]
    return {lang: check(models, CONTEXT, as_of="2026-06-01", lang=lang, waivers=WAIVERS,
                        catalog=catalog,
                        declared={"Qwen/Qwen2.5-3B-Instruct": ("openres.yaml", 3)})
            for lang in ("en", "ja")}


def normalise(text: str) -> str:
    """Hashes change whenever a pack or the catalog changes; the layout is what is pinned."""
    return re.sub(r"\b[0-9a-f]{64}\b", "<sha256>", text)


@pytest.mark.parametrize(("fmt", "lang"), [
    *((f, "en") for f in EXTENSIONS), ("text", "ja"), ("markdown", "ja"), ("html", "ja"),
])
def test_golden(scenario: dict[str, Report], fmt: str, lang: str, update_golden: bool) -> None:
    rendered = normalise(get_reporter(fmt).render(scenario[lang], RenderOptions()))
    path = GOLDEN / f"report.{lang}.{EXTENSIONS[fmt]}"
    if update_golden:
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), f"missing golden file {path.name}: run pytest --update-golden"
    assert rendered == path.read_text(encoding="utf-8"), \
        f"{path.name} differs: review the change, then run pytest --update-golden"


def test_registry_covers_every_format() -> None:
    assert set(REPORTERS) == set(OutputFormat)


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_hostile_card_text_is_escaped_where_markup_is_rendered(scenario: dict[str, Report],
                                                               fmt: str) -> None:
    rendered = get_reporter(fmt).render(scenario["en"], RenderOptions(show_all=True))
    assert HOSTILE_LICENSE not in rendered
    assert "<img" not in rendered
    assert "<script>" not in rendered
    assert "<b>Assistant" not in rendered
    assert "&lt;img" in rendered  # still shown, as text


def test_hostile_card_text_stays_data_in_structured_formats(
        scenario: dict[str, Report]) -> None:
    # SARIF and JUnit consumers show text, not markup: the text must survive as a value and
    # never break the document's structure.
    sarif = json.loads(get_reporter("sarif").render(scenario["en"], RenderOptions()))
    messages = [r["message"]["text"] for r in sarif["runs"][0]["results"]]
    assert any(HOSTILE_LICENSE in m for m in messages)
    junit = ET.fromstring(  # noqa: S314 - our own output
        get_reporter("junit").render(scenario["en"], RenderOptions()))
    assert any(HOSTILE_LICENSE in (e.text or "") + str(e.attrib) for e in junit.iter())


def test_sarif_validates_against_the_official_schema(scenario: dict[str, Report]) -> None:
    schema_path = ROOT.parent / "shared" / "external" / "sarif-schema-2.1.0.json"
    if not schema_path.exists():
        pytest.skip("the SARIF 2.1.0 schema is read from the workspace's shared/external")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    document = json.loads(get_reporter("sarif").render(scenario["en"], RenderOptions()))
    jsonschema.Draft7Validator(schema).validate(document)


def test_sarif_content(scenario: dict[str, Report]) -> None:
    document = json.loads(get_reporter("sarif").render(scenario["en"], RenderOptions()))
    run = document["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rule_ids == sorted(rule_ids)
    results = run["results"]
    assert {r["ruleId"] for r in results} == set(rule_ids)
    assert all(rule_ids[r["ruleIndex"]] == r["ruleId"] for r in results)
    waived = [r for r in results if r["ruleId"] == "LIC-RESEARCH-ONLY"
              and r["properties"]["model"] == "Qwen/Qwen2.5-3B-Instruct"]
    assert waived[0]["suppressions"][0]["kind"] == "external"
    physical = waived[0]["locations"][0]["physicalLocation"]
    assert physical == {"artifactLocation": {"uri": "openres.yaml"}, "region": {"startLine": 3}}
    assert all(r["locations"][0]["logicalLocations"][0]["name"] for r in results)
    # Code scanning rejects results without a file: every result has one.
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
               for r in results)


def test_junit_parses_and_counts(scenario: dict[str, Report]) -> None:
    report = scenario["en"]
    root = ET.fromstring(get_reporter("junit").render(report, RenderOptions()))  # noqa: S314
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [m.id for m in report.models]
    cases = root.findall("testsuite/testcase")
    assert len(cases) == len(report.findings)
    assert int(str(root.get("failures"))) == report.summary["fail"]
    assert len(root.findall("testsuite/testcase/failure")) == report.summary["fail"]


def test_markdown_tables_are_well_formed(scenario: dict[str, Report]) -> None:
    text = get_reporter("markdown").render(scenario["en"], RenderOptions(show_all=True))
    for block in re.split(r"\n\n", text):
        rows = [line for line in block.splitlines() if line.startswith("|")]
        widths = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
        assert len(widths) <= 1, block


def test_waivers_behave(scenario: dict[str, Report]) -> None:
    report = scenario["en"]
    states = {note.waiver.rule: note.state for note in report.waivers}
    assert states == {"LIC-RESEARCH-ONLY": "applied", "OBL-ATTRIBUTION": "expired",
                      "DP-GDPR-TRANSFER-CN": "unused"}
    waived = next(f for f in report.findings if f.rule_id == "LIC-RESEARCH-ONLY"
              and f.model == "Qwen/Qwen2.5-3B-Instruct")
    assert waived.status == "waived"
    assert waived.waiver is not None
    assert waived.waiver.approved_by == "Legal (K. Sato)"
    assert waived.waiver.expires == "2027-01-01"
    expired = [f for f in report.findings if f.rule_id == "OBL-ATTRIBUTION"]
    assert all(f.status != "waived" for f in expired)


def test_html_with_all_findings_does_not_send_readers_to_the_json(
        scenario: dict[str, Report]) -> None:
    pointer = "Passed and not-applicable rules are listed in the JSON report."
    assert pointer in get_reporter("html").render(scenario["en"], RenderOptions())
    everything = get_reporter("html").render(scenario["en"], RenderOptions(show_all=True))
    assert pointer not in everything


def test_a_misspelt_attestation_is_pointed_out() -> None:
    context = {"deployment": {"public_facing": True}, "use": {"commercial": True},
               "attestations": {"OBL-ATRIBUTION": "https://example.com/about"}}
    report = check("meta-llama/Llama-3.1-8B-Instruct", context, ["obligations"],
                   as_of="2026-01-01")
    assert report.stray_attestations == {"OBL-ATRIBUTION": "OBL-ATTRIBUTION"}
    text = get_reporter("text").render(report, RenderOptions())
    stray = "attestation OBL-ATRIBUTION names no rule of this run"
    assert f"{stray} (did you mean OBL-ATTRIBUTION?)" in text
