"""Every reporter, golden-tested on one scenario with hostile card text, plus format checks."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from conftest import ROOT, compare_golden
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
HOSTILE_FILE = "<img src=x onerror=\"document.title='pwned'\">.py"
HOSTILE_CODE = ('AutoModel.from_pretrained("acme/clinic-ft", revision='
                "\"<script>document.title='pwned'</script>\", trust_remote_code=True)"
                "  # \u202egnp.exe")
"""A scanned file whose name, code and attributes hold markup, script and a bidi override."""
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
    # A pickle that calls os.system (built from opcodes) and remote code with hostile names.
    (folder / "pytorch_model.bin").write_bytes(
        b"\x80\x02cposix\nsystem\nX\x02\x00\x00\x00id\x85R.")
    (folder / "config.json").write_text(json.dumps(
        {"auto_map": {"AutoModel": f"modeling_x.{HOSTILE_NAME}"}}), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    models = ["Qwen/Qwen2.5-3B-Instruct", "deepseek-ai/DeepSeek-R1-Distill-Llama-70B",
              "hostile-model"]
    return {lang: check(models, CONTEXT, as_of="2026-06-01", lang=lang, waivers=WAIVERS,
                        catalog=catalog,
                        declared={"Qwen/Qwen2.5-3B-Instruct": ("openres.yaml", 3)})
            for lang in ("en", "ja")}


@pytest.fixture
def hostile_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalog: Catalog) -> Report:
    from openres_check.discovery.run import scan  # noqa: PLC0415

    app = tmp_path / "project" / "app"
    app.mkdir(parents=True)
    (app / HOSTILE_FILE).write_text(f"from transformers import AutoModel\n{HOSTILE_CODE}\n",
                                    encoding="utf-8")
    monkeypatch.chdir(tmp_path / "project")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    report = scan(["."], CONTEXT, ["license"], as_of="2026-06-01", catalog=catalog)
    assert report.locations["acme/clinic-ft"][0]["text"] == HOSTILE_CODE
    return report


def normalise(text: str) -> str:
    """Hashes change whenever a pack or the catalog changes; the layout is what is pinned."""
    return re.sub(r"\b[0-9a-f]{64}\b", "<sha256>", text)


@pytest.mark.parametrize(("fmt", "lang"), [
    *((f, "en") for f in EXTENSIONS), ("text", "ja"), ("markdown", "ja"), ("html", "ja"),
])
def test_golden(scenario: dict[str, Report], fmt: str, lang: str, update_golden: bool) -> None:
    rendered = normalise(get_reporter(fmt).render(scenario[lang], RenderOptions()))
    path = GOLDEN / f"report.{lang}.{EXTENSIONS[fmt]}"
    compare_golden(path, rendered, update_golden)


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


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_hostile_text_in_a_location_is_escaped_where_markup_is_rendered(
        hostile_scan: Report, fmt: str) -> None:
    rendered = get_reporter(fmt).render(hostile_scan, RenderOptions(show_all=True))
    assert "<img" not in rendered
    assert "<script" not in rendered
    assert "\u202e" not in rendered  # the override is spelt out, never obeyed
    assert "&lt;img src=x onerror=" in rendered  # the file name, shown as text
    if fmt == "html":
        assert ("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;&#34;, "
                "trust_remote_code=True)  # \\u202egnp.exe</code>") in rendered
        assert "<code>revision=&lt;script&gt;" in rendered


def test_hostile_text_in_a_location_stays_data_in_junit_and_cyclonedx(
        hostile_scan: Report) -> None:
    path = f"app/{HOSTILE_FILE}"
    junit = get_reporter("junit").render(hostile_scan, RenderOptions())
    assert "\u202e" not in junit
    case = ET.fromstring(junit.split("\n", 1)[1]).find("testsuite/testcase")  # noqa: S314
    assert case is not None
    assert (case.get("file"), case.get("line")) == (path, "2")
    out = case.findtext("system-out") or ""
    assert f"{path}:2:27  {HOSTILE_CODE}".replace("\u202e", "\\u202e") in out
    assert "(revision=<script>document.title='pwned'</script>, trust_remote_code=True)" in out
    bom = get_reporter("cyclonedx").render(hostile_scan, RenderOptions())
    assert "\u202e" not in bom  # a JSON escape in the file; the exact text once parsed
    occurrence = json.loads(bom)["components"][0]["evidence"]["occurrences"][0]
    assert occurrence["location"] == path
    assert occurrence["additionalContext"].split("\n") == [
        HOSTILE_CODE, "revision=<script>document.title='pwned'</script>, trust_remote_code=True"]


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
    assert [s.get("name") for s in suites] == [*(m.id for m in report.models), "deployment"]
    scope = suites[-1].find("properties/property")
    assert scope is not None
    assert scope.attrib == {"name": "scope", "value": "deployment"}
    deployment = [c.get("name", "").split(":")[0] for c in suites[-1].findall("testcase")]
    assert deployment == [f.rule_id for f in report.deployment_findings]
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


# A run over five models with a fail, reviews, a waiver, inherited terms (the R1 distill of
# Llama 3.3, the hostile fine-tune of Llama 3.1) and a base whose terms do not carry (R1 from
# DeepSeek-V3-Base): the pictures, the verdicts and the print layout are checked on it.
FIVE_MODELS = ["Qwen/Qwen2.5-3B-Instruct", "deepseek-ai/DeepSeek-R1",
               "deepseek-ai/DeepSeek-R1-Distill-Llama-70B", "meta-llama/Llama-3.1-8B-Instruct",
               "hostile-model"]
FIVE_CONTEXT: dict[str, Any] = {
    **CONTEXT,
    "deployment": {"mode": "self-hosted", "regions": ["JP"], "public_facing": True},
}
FIVE_WAIVERS = [
    {"rule": "OBL-ATTRIBUTION", "model": "meta-llama/Llama-3.1-8B-Instruct",
     "reason": "Built with Llama is shown on the about page", "approved_by": "Legal (K. Sato)",
     "expires": "2027-01-01"},
    WAIVERS[1],
]


@pytest.fixture
def five_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                catalog: Catalog) -> dict[str, Report]:
    folder = tmp_path / "hostile-model"
    folder.mkdir()
    (folder / "README.md").write_text(
        f"---\nlicense: other\nlicense_name: {json.dumps(HOSTILE_LICENSE)}\n"
        f"model_name: {json.dumps(HOSTILE_NAME)}\n"
        "base_model: meta-llama/Llama-3.1-8B-Instruct\n---\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    return {lang: check(FIVE_MODELS, FIVE_CONTEXT, as_of="2026-06-01", lang=lang,
                        waivers=FIVE_WAIVERS, catalog=catalog)
            for lang in ("en", "ja")}


def test_five_model_run_has_what_the_pictures_must_show(five_models: dict[str, Report]) -> None:
    report = five_models["en"]
    statuses = {str(f.status) for f in report.findings}
    assert {"fail", "review", "waived"} <= statuses
    r1 = next(m for m in report.models if m.id == "deepseek-ai/DeepSeek-R1")
    assert [link["inherits"] for link in r1.facts["lineage_chain"]] == [False]
    distill = next(m for m in report.models if m.id.endswith("Distill-Llama-70B"))
    assert any(t["inherited"] for t in distill.facts["effective_terms"])


def _decisions(report: Report, **flags: Any) -> dict[str, str]:
    return {m.id: report.verdict(m.id, **flags).decision for m in report.models}


def test_verdict_follows_the_gate_flags(five_models: dict[str, Report]) -> None:
    report = five_models["en"]
    qwen = "Qwen/Qwen2.5-3B-Instruct"
    blocked = report.verdict(qwen)
    assert blocked.decision == "blocked"
    assert [f.rule_id for f in blocked.deciding] == ["LIC-RESEARCH-ONLY"]
    assert report.exit_code() == 1
    # Below the gate's threshold the fail is still an item to be done, never "usable".
    assert report.verdict(qwen, fail_on="never").decision == "conditional"
    assert qwen in {f.model for f in report.verdict(qwen, fail_on="never").deciding}
    # --strict: reviews at or above the threshold block as they make the exit status 1.
    assert _decisions(report)["deepseek-ai/DeepSeek-R1"] == "conditional"
    strict = report.verdict("deepseek-ai/DeepSeek-R1", strict=True)
    assert strict.decision == "blocked"
    assert {str(f.status) for f in strict.deciding} == {"review"}
    assert all(f.severity in ("critical", "high") for f in strict.deciding)


@pytest.mark.parametrize("flags", [{}, {"fail_on": "never"}, {"strict": True},
                                   {"fail_on": "critical"}, {"fail_on": "info"}])
def test_unknown_facts_never_give_may_be_used(five_models: dict[str, Report],
                                              flags: dict[str, Any]) -> None:
    report = five_models["en"]
    for model in report.models:
        verdict = report.verdict(model.id, **flags)
        open_items = [f for f in report.findings_for(model.id)
                      if str(f.status) in ("fail", "review")]
        assert verdict.open_items == len(open_items)
        assert (verdict.decision == "usable") == (not open_items)
        if verdict.decision == "blocked":
            assert report.exit_code(**flags) == 1


def test_usable_once_nothing_is_open(five_models: dict[str, Report]) -> None:
    import dataclasses  # noqa: PLC0415

    report = five_models["en"]
    closed = dataclasses.replace(report, findings=tuple(
        f for f in report.findings if str(f.status) not in ("fail", "review")))
    assert set(_decisions(closed, strict=True).values()) == {"usable"}
    text = get_reporter("text").render(closed, RenderOptions())
    assert text.count("Verdict: May be used.") == len(FIVE_MODELS)


def test_json_verdict_is_the_reports_and_takes_the_gate_flags(
        five_models: dict[str, Report]) -> None:
    report = five_models["en"]
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    for strict in (False, True):
        document = json.loads(get_reporter("json").render(report, RenderOptions(strict=strict)))
        jsonschema.Draft202012Validator(schema).validate(document)
        for entry in document["models"]:
            verdict = report.verdict(entry["id"], strict=strict)
            assert entry["verdict"] == {"decision": verdict.decision,
                                        "open_items": verdict.open_items,
                                        "deciding": [f.rule_id for f in verdict.deciding]}
    assert json.loads(report.to_json())["models"][0]["verdict"]["decision"] == "blocked"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_each_model_opens_with_its_verdict(five_models: dict[str, Report], lang: str) -> None:
    report = five_models[lang]
    expected = {"en": "May not be used as declared.", "ja": "申告どおりの利用は不可"}[lang]
    text = get_reporter("text").render(report, RenderOptions()).splitlines()
    first = text.index("Qwen/Qwen2.5-3B-Instruct")
    assert expected in text[first + 1]
    assert "LIC-RESEARCH-ONLY" in text[first + 1]
    conditional = {"en": "May be used once these", "ja": "条件付きで利用可（対応が必要な項目"}
    r1 = text.index("deepseek-ai/DeepSeek-R1")
    assert conditional[lang] in text[r1 + 1]
    markdown = get_reporter("markdown").render(report, RenderOptions())
    section = markdown.split("### Qwen/Qwen2.5-3B-Instruct", 1)[1].lstrip().splitlines()[0]
    assert expected in section
    assert "(#m1-lic-research-only)" in section
    assert '<a id="m1-lic-research-only"></a>' in markdown


def _fragments(html: str) -> tuple[list[str], set[str]]:
    return re.findall(r'href="#([^"]+)"', html), set(re.findall(r'\bid="([^"]+)"', html))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_html_verdicts_link_to_their_findings(five_models: dict[str, Report], lang: str) -> None:
    html = get_reporter("html").render(five_models[lang], RenderOptions())
    links, ids = _fragments(html)
    assert "m1-lic-research-only" in links
    assert set(links) <= ids  # every link lands on something
    first_section = html.split('<section id="verdicts">', 1)[1].split("</section>", 1)[0]
    assert first_section.count('class="verdict v-') == len(FIVE_MODELS)
    assert html.index('id="verdicts"') < html.index('id="summary"')


def _figures(report: Report) -> list[Any]:
    from openres_check.reporters import html as html_reporter  # noqa: PLC0415

    figures = [html_reporter.severity_chart(report), html_reporter.category_chart(report)]
    figures += [html_reporter.lineage(m, n, report.lang)["figure"]
                for n, m in enumerate(report.models, 1)]
    return [f for f in figures if f is not None]


def _inside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    return (inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2]
            and inner[3] <= outer[3])


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_figure_texts_fit_their_viewbox_boxes_and_each_other(
        five_models: dict[str, Report], lang: str) -> None:
    """The layout's own (conservative) text boxes: inside the viewBox, never across a node's
    border, never on top of another text. The browser test checks the same with real fonts."""
    figures = _figures(five_models[lang])
    assert len(figures) == 2 + len(FIVE_MODELS)
    for figure in figures:
        assert figure.overflowing() == [], figure.id
        boxes = [t.box() for t in figure.texts]
        nodes = [(r.x, r.y, r.x + r.width, r.y + r.height) for r in figure.rects
                 if r.cls.startswith("node")]
        for box in boxes:
            for node in nodes:
                assert _inside(box, node) or not _overlap(box, node), (figure.id, box, node)
        for index, box in enumerate(boxes):
            assert not any(_overlap(box, other) for other in boxes[index + 1:]), \
                (figure.id, figure.texts[index])


def test_text_width_counts_cjk_as_double() -> None:
    from openres_check.reporters._svg import text_width, wrap  # noqa: PLC0415

    assert text_width("要確認", 12) >= 3 * 12  # a full em each: never under-estimated
    assert text_width("要確認") >= 1.5 * text_width("abc")
    assert text_width("REVIEW") > text_width("review")
    lines = wrap("deepseek-ai/DeepSeek-R1-Distill-Llama-70B", 150)
    assert "".join(lines) == "deepseek-ai/DeepSeek-R1-Distill-Llama-70B"
    assert all(text_width(line) <= 150 for line in lines)
    cjk = wrap("ライセンスの連鎖と派生関係（系譜）" * 3, 100)
    assert all(text_width(line) <= 100 for line in cjk)
    # A card's license name can be any length: a box shows four lines, the table the rest.
    long = wrap("Custom License " * 5000, 280, max_lines=4)
    assert len(long) == 4
    assert long[-1].endswith("…")
    assert all(text_width(line) <= 280 for line in long)


def test_severity_rows_weigh_by_severity_not_by_count(five_models: dict[str, Report]) -> None:
    from openres_check.reporters import html as html_reporter  # noqa: PLC0415

    chart = html_reporter.severity_chart(five_models["en"])
    bars = [r for r in chart.rects if r.cls.startswith("bar-") and r.y > 20]
    thickness = {round(r.y + r.height / 2): r.height for r in bars}
    ordered = [thickness[k] for k in sorted(thickness)]
    assert ordered == sorted(ordered, reverse=True)  # critical thickest, info thinnest
    assert ordered[0] > ordered[-1]
    # The counts are told in words too; the two deployment reviews once, not once per model.
    assert "info: REVIEW 2" in chart.desc


class _SvgCollector:
    """The inline SVGs of a page: their attributes and whether they hold a title and desc."""

    def __init__(self, html: str) -> None:
        from html.parser import HTMLParser  # noqa: PLC0415

        self.svgs: list[dict[str, Any]] = []
        collector = self

        class Parser(HTMLParser):
            def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
                if tag == "svg":
                    collector.svgs.append({"attrs": dict(attrs), "children": []})
                elif collector.svgs:
                    collector.svgs[-1]["children"].append(tag)

        Parser().feed(html)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_svg_is_an_image_with_title_and_description(
        five_models: dict[str, Report], lang: str) -> None:
    html = get_reporter("html").render(five_models[lang], RenderOptions())
    svgs = _SvgCollector(html).svgs
    assert len(svgs) == 2 + len(FIVE_MODELS)
    for svg in svgs:
        assert svg["attrs"]["role"] == "img"
        assert svg["children"][:2] == ["title", "desc"]
        labelled = svg["attrs"]["aria-labelledby"].split()
        assert all(f'id="{name}"' in html for name in labelled)
    assert "<script" not in html
    assert "default-src 'none'" in html


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_lineage_tells_inherited_from_not_inherited_in_words(
        five_models: dict[str, Report], lang: str) -> None:
    html = get_reporter("html").render(five_models[lang], RenderOptions())
    r1 = html.split('id="model-2"', 1)[1].split('id="model-3"', 1)[0]
    dashed = 'class="edge-not-inherited" stroke-dasharray'
    assert r1.count(dashed) == 2  # the R1 ← V3-Base edge, and the legend's sample
    assert 'marker-end="url(#lineage-2-arrow)"' in r1
    words = {"en": ("terms not inherited", "do not pass down to deepseek-ai/DeepSeek-R1",
                    "fine-tune"),
             "ja": ("継承される条件なし", "deepseek-ai/DeepSeek-R1 に継承されません",
                    "ファインチューニング")}[lang]
    for word in words:
        assert word in r1
    assert "DeepSeek-V3-Base" in r1
    note = {"en": "the licensor of both, released R1 under MIT",  # the catalog's own note,
            "ja": "両モデルのライセンサーである DeepSeek が R1 を MIT で公開"}[lang]  # translated
    assert note in r1
    distill = html.split('id="model-3"', 1)[1].split('id="model-4"', 1)[0]
    assert distill.count(dashed) == 1  # the legend's only
    assert ("pass down to" if lang == "en" else "に継承されます") in distill


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio of two sRGB colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_ratio_matches_the_wcag_examples() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_every_colour_pair_meets_wcag_aa(five_models: dict[str, Report]) -> None:
    from openres_check.reporters.html import CONTRAST_PAIRS, PALETTE  # noqa: PLC0415

    for fg, bg, minimum in CONTRAST_PAIRS:
        assert contrast(PALETTE[fg], PALETTE[bg]) >= minimum, (fg, bg)
    html = get_reporter("html").render(five_models["ja"], RenderOptions())
    # No colour outside the checked palette, and every palette colour in a checked pair
    # (except the rules and outlines, which carry no information).
    assert set(re.findall(r"#[0-9a-fA-F]{6}\b", html)) <= set(PALETTE.values())
    assert "rgb(" not in html
    paired = {name for pair in CONTRAST_PAIRS for name in pair[:2]}
    assert set(PALETTE) - paired == {"line"}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_status_is_never_told_by_colour_alone(five_models: dict[str, Report], lang: str) -> None:
    from openres_check.reporters._labels import LABELS  # noqa: PLC0415

    labels = LABELS[lang]
    html = get_reporter("html").render(five_models[lang], RenderOptions())
    badges = re.findall(r'<span class="badge (\w+)">([^<]*)</span>', html)
    assert badges
    assert all(text == labels[status] for status, text in badges)
    answers = re.findall(r'<div class="verdict v-(\w+)">.*?</span>([^<]*)</div>', html,
                         re.DOTALL)
    words = {"blocked": labels["verdict_blocked"], "usable": labels["verdict_usable"],
             "conditional": labels["verdict_conditional"].split("{")[0]}
    assert answers
    assert all(words[decision] in text for decision, text in answers)
    # Chart legends name each status next to its swatch; patterns tell review from waived.
    for status in ("fail", "review", "waived"):
        assert f">{labels[status]}</text>" in html
    assert 'fill="url(#chart-severity-review)"' in html


def test_sarif_writes_file_names_as_uri_references(hostile_scan: Report) -> None:
    from urllib.parse import unquote  # noqa: PLC0415

    document = json.loads(get_reporter("sarif").render(hostile_scan, RenderOptions()))
    uris = {location["physicalLocation"]["artifactLocation"]["uri"]
            for run in document["runs"] for result in run["results"]
            for location in result.get("locations", [])}
    written = f"app/{HOSTILE_FILE}"
    encoded = [uri for uri in uris if unquote(uri) == written]
    assert encoded, uris
    # Nothing a URI reference may not hold is left as it is; `/` still separates folders.
    assert not re.search(r"[\s<>\"{}|\\^`#?]", encoded[0])
    assert encoded[0].startswith("app/")


@pytest.mark.parametrize(("path", "uri"), [
    ("app/notes.py", "app/notes.py"),
    ("my app/<x>.py", "my%20app/%3Cx%3E.py"),
    ("a:b/c#d?.py", "a%3Ab/c%23d%3F.py"),
    ("data/100%.py", "data/100%25.py"),
    ("モデル/読込.py", "%E3%83%A2%E3%83%87%E3%83%AB/%E8%AA%AD%E8%BE%BC.py"),
])
def test_file_uri(path: str, uri: str) -> None:
    from openres_check.reporters.sarif import file_uri  # noqa: PLC0415

    assert file_uri(path) == uri
