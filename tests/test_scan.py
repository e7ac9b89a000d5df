"""`scan`: a realistic project gives the right models, places and findings (golden JSON,
SARIF, HTML, JUnit and CycloneDX); the walker's skipping rules; bad files are warnings; the CLI
and openres.yaml."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from conftest import ROOT, CliResult, compare_golden
from gguf_writer import gguf
from openres_check import check
from openres_check.catalog import Catalog
from openres_check.cli import run
from openres_check.discovery import discover
from openres_check.discovery.run import scan
from openres_check.lookup.hosted import HostedEndpoint
from openres_check.lookup.ollama import OllamaTag
from openres_check.model.common import Source
from openres_check.model.descriptor import HostedService
from openres_check.report import Report
from openres_check.reporters import RenderOptions, get_reporter

PROJECT = ROOT / "tests" / "assets" / "scan-project"
GOLDEN = ROOT / "tests" / "golden"
CONTEXT: dict[str, Any] = {
    "organization": {"country": "JP", "type": "private"},
    "deployment": {"mode": "self-hosted", "regions": ["JP"], "public_facing": True},
    "use": {"commercial": True, "monthly_active_users": 20000, "sector": "medical",
            "distributes_weights": False, "fine_tunes": False},
    "data": {"categories": ["personal", "health"], "subject_regions": ["JP"]},
}


CLINIC_GGUF: dict[str, str | int] = {
    "general.name": "Clinic Notes 8B",
    "general.license": "llama3.1",
    "general.base_model.count": 1,
    "general.base_model.0.name": "Llama 3.1 8B Instruct",
    "general.base_model.0.repo_url": "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "clinic"
    shutil.copytree(PROJECT, root)
    (root / "models").mkdir(exist_ok=True)
    # A file name that reveals nothing: only the GGUF header says what it is.
    (root / "models" / "weights-01.bin").write_bytes(gguf(CLINIC_GGUF))
    monkeypatch.chdir(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    return root


@pytest.fixture
def report(project: Path, catalog: Catalog) -> Report:
    return scan(["."], CONTEXT, as_of="2026-06-01", catalog=catalog)


def places(report: Report) -> dict[str, list[str]]:
    return {model: [f"{p['path']}:{p['line']}" for p in found]
            for model, found in report.locations.items()}


def status(report: Report, model: str, rule: str) -> str:
    return next(str(f.status) for f in report.findings
                if f.model == model and f.rule_id == rule)


def test_every_model_is_found_where_it_is_used(report: Report) -> None:
    assert places(report) == {
        # One model, five places: code (twice, through a constant), compose, LiteLLM, .env.
        "Qwen/Qwen2.5-7B-Instruct": [".env.example:2", "app/inference.py:9",
                                     "app/inference.py:10", "deploy/docker-compose.yml:4",
                                     "deploy/litellm.yaml:4"],
        "google/gemma-2-9b-it": ["app/inference.py:14"],
        "meta-llama/Llama-3.1-8B-Instruct": ["deploy/tgi.yaml:13"],
        "deepseek-ai/DeepSeek-R1-Distill-Llama-70B": ["scripts/serve-reasoner.sh:4"],
        # Hosted APIs: by the client's base URL, and by LiteLLM's provider prefix.
        "api.deepseek.com/deepseek-chat": ["app/assistant.py:10"],
        "deepseek/deepseek-reasoner": ["deploy/litellm.yaml:8"],
        # The GGUF file, and the Modelfile that builds on it.
        "models/weights-01.bin": ["models/weights-01.bin:1", "ollama/Modelfile:2"],
        "acme-clinic/notes-triage-ft": ["app/notes.py:4"],
        "ollama/clinic-notes": ["deploy/litellm.yaml:11"],
    }  # app/dynamic.py reads os.environ["MODEL_NAME"]: no reference a scan can know


def test_attributes_beside_a_reference_are_recorded(report: Report) -> None:
    qwen = {(p["path"], p["line"]): p.get("attributes", {})
            for p in report.locations["Qwen/Qwen2.5-7B-Instruct"]}
    assert qwen[("app/inference.py", 9)]["revision"] == "a09a35458c702b33eeacc393d103063234e8bc28"
    assert qwen[("app/inference.py", 9)]["constant"] == "MODEL_ID"
    assert qwen[("app/inference.py", 10)]["trust_remote_code"] == "True"
    assert qwen[("deploy/docker-compose.yml", 4)]["revision"].startswith("a09a3545")
    assert qwen[("deploy/litellm.yaml", 4)]["reference"] == "hosted_vllm/Qwen/Qwen2.5-7B-Instruct"
    script = report.locations["deepseek-ai/DeepSeek-R1-Distill-Llama-70B"][0]
    assert script["attributes"]["trust_remote_code"] == "true"


def test_the_gguf_header_gives_license_and_lineage(report: Report) -> None:
    model = next(m for m in report.models if m.id == "models/weights-01.bin")
    assert model.descriptor.licenses["weights"].license == "llama-3.1"
    assert next(c["base"] for c in model.facts["lineage_chain"]) == \
        "meta-llama/Llama-3.1-8B-Instruct"
    assert all(c["resolved"] for c in model.facts["lineage_chain"])
    # Llama terms reach it: the attribution duty of a public product.
    assert status(report, "models/weights-01.bin", "OBL-ATTRIBUTION") == "review"


def test_a_hosted_api_is_judged_as_the_vendor_api_it_is(report: Report) -> None:
    hosted = "api.deepseek.com/deepseek-chat"
    # The context says self-hosted; the DeepSeek API stores data in the PRC all the same.
    assert status(report, hosted, "DP-VENDOR-SERVICE-UNKNOWN") == "pass"
    assert status(report, hosted, "DP-JP-PRC-HOSTED") in ("fail", "review")
    assert status(report, hosted, "DP-PROVIDER-TRAINS-ON-INPUTS") == "review"
    # Nothing of the weights is passed on through an API.
    for rule in ("OBL-USE-RESTRICTIONS-DOWNSTREAM", "OBL-NOTICE", "OBL-MODIFIED-FILES"):
        assert status(report, hosted, rule) == "not_applicable"
    # The self-hosted models keep the context's deployment.
    assert status(report, "deepseek-ai/DeepSeek-R1-Distill-Llama-70B",
                  "DP-VENDOR-SERVICE-UNKNOWN") == "not_applicable"
    evidence = next(f for f in report.findings
                    if f.model == hosted and f.rule_id == "DP-JP-PRC-HOSTED").evidence
    mode = next(e for e in evidence if e.fact == "context.deployment.mode")
    assert mode.value == "vendor-api"
    assert "app/assistant.py:10" in str(mode.source)


def test_an_unresolved_reference_is_a_review_naming_where_it_is(report: Report) -> None:
    finding = next(f for f in report.findings if f.model == "acme-clinic/notes-triage-ft")
    assert (finding.rule_id, str(finding.status)) == ("SCAN-UNRESOLVED", "review")
    assert "acme-clinic/notes-triage-ft" in finding.message
    assert "app/notes.py:4" in finding.message
    # Judged by the discovery pack alone: no pile of unknown-license findings besides.
    assert {f.rule_id for f in report.findings
            if f.model == "acme-clinic/notes-triage-ft"} == {"SCAN-UNRESOLVED"}
    # A known model is out of that rule's scope.
    assert status(report, "google/gemma-2-9b-it", "SCAN-UNRESOLVED") == "not_applicable"


def test_an_ollama_tag_resolves_through_the_dated_mapping(tmp_path: Path,
                                                          catalog: Catalog) -> None:
    (tmp_path / "Modelfile").write_text("FROM deepseek-r1:8b\n", encoding="utf-8")
    # The tag pulled the R1 distill on Llama 3.1 8B until 2025-05-30, then the Qwen3 distill.
    during = scan([tmp_path], as_of="2025-03-01", catalog=catalog)
    after = scan([tmp_path], as_of="2025-07-01", catalog=catalog)
    assert [m.id for m in during.models] == ["deepseek-ai/DeepSeek-R1-Distill-Llama-8B"]
    assert during.models[0].facts["discovery"]["how"] == "ollama-tag"
    assert [m.id for m in after.models] == ["deepseek-ai/DeepSeek-R1-0528-Qwen3-8B"]


class _Upstream:
    """The catalog, plus a tag whose upstream model the catalog does not describe."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.services = catalog.services

    def find_hosted(self, *, host: str | None = None,
                    model: str | None = None) -> HostedEndpoint | None:
        return self.catalog.find_hosted(host=host, model=model)

    def find_ollama(self, reference: str, as_of: dt.date) -> OllamaTag | None:
        if reference != "clinic":
            return self.catalog.find_ollama(reference, as_of)
        return OllamaTag(name="clinic", tag="latest", model="acme/clinic-8b",
                         since=as_of, until=None,
                         source=Source(url="https://ollama.com/library/clinic"),
                         hosted=False, confidence="verified", external=True)


def test_a_tag_whose_upstream_is_unknown_is_a_review_naming_it(tmp_path: Path,
                                                               catalog: Catalog) -> None:
    (tmp_path / "Modelfile").write_text("FROM clinic\n", encoding="utf-8")
    found = scan([tmp_path], as_of="2026-06-01", catalog=catalog, services=_Upstream(catalog))
    assert [m.id for m in found.models] == ["clinic"]
    finding = next(f for f in found.findings if f.rule_id == "SCAN-UNRESOLVED")
    assert str(finding.status) == "review"
    assert "acme/clinic-8b" in finding.message
    assert "Modelfile:1" in finding.message


def test_a_cloud_tag_is_said_to_run_on_a_hosted_service(tmp_path: Path,
                                                        catalog: Catalog) -> None:
    (tmp_path / "pull.sh").write_text("ollama pull gpt-oss:120b-cloud\n", encoding="utf-8")
    found = scan([tmp_path], CONTEXT, as_of="2026-06-01", catalog=catalog)
    model = found.models[0]
    assert model.facts["discovery"]["hosted"] is True
    assert "not locally" in str(model.facts["discovery"]["note"])
    assert model.descriptor.hosted_service is not None  # Ollama Cloud's recorded facts
    assert status(found, model.id, "DP-VENDOR-SERVICE-UNKNOWN") == "pass"
    assert status(found, model.id, "OBL-USE-RESTRICTIONS-DOWNSTREAM") == "not_applicable"


def normalise(text: str) -> str:
    """Pack and catalog hashes change with every fact; the layout is what is pinned."""
    return re.sub(r"\b[0-9a-f]{64}\b", "<sha256>", text)


@pytest.mark.parametrize(("fmt", "extension"), [("json", "json"), ("sarif", "sarif"),
                                                ("html", "html"), ("junit", "xml"),
                                                ("cyclonedx", "cdx.json")])
def test_golden(project: Path, catalog: Catalog, fmt: str, extension: str,
                update_golden: bool) -> None:
    # Two packs keep it legible; the other packs are judged the same way (tests above).
    report = scan(["."], CONTEXT, ["license", "obligations"],
                  as_of="2026-06-01", catalog=catalog)
    rendered = normalise(get_reporter(fmt).render(report, RenderOptions()))
    path = GOLDEN / f"scan.en.{extension}"
    compare_golden(path, rendered, update_golden)


def test_sarif_points_at_the_line_that_loads_the_model(report: Report) -> None:
    document = json.loads(get_reporter("sarif").render(report, RenderOptions()))
    results = document["runs"][0]["results"]
    unresolved = next(r for r in results if r["ruleId"] == "SCAN-UNRESOLVED"
                      and r["properties"]["model"] == "acme-clinic/notes-triage-ft")
    physical = unresolved["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "app/notes.py"
    assert physical["region"]["startLine"] == 4
    qwen = next(r for r in results if r["properties"]["model"] == "Qwen/Qwen2.5-7B-Instruct")
    assert qwen["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        ".env.example"
    related = [r["physicalLocation"]["artifactLocation"]["uri"]
               for r in qwen["relatedLocations"]]
    assert related == ["app/inference.py", "app/inference.py", "deploy/docker-compose.yml",
                       "deploy/litellm.yaml"]


def test_text_and_markdown_say_where_each_model_is(report: Report) -> None:
    text = get_reporter("text").render(report, RenderOptions())
    assert "found at: deploy/tgi.yaml:13" in text
    markdown = get_reporter("markdown").render(report, RenderOptions())
    assert "deploy/tgi.yaml:13" in markdown


def _model_section(html: str, model_id: str) -> str:
    """The model's part of the Models section."""
    models = html.split('<section id="models">', 1)[1].split("</section>", 1)[0]
    number = 1 + re.findall(r'<h3 id="model-\d+">([^<]*)</h3>', models).index(model_id)
    return models.split(f'id="model-{number}"', 1)[1].split(f'id="model-{number + 1}"', 1)[0]


@pytest.mark.parametrize(("lang", "heading"), [("en", "Found at"), ("ja", "検出箇所")])
def test_html_lists_every_place_with_its_code_and_attributes(
        project: Path, catalog: Catalog, lang: str, heading: str) -> None:
    report = scan(["."], CONTEXT, ["license"], as_of="2026-06-01", catalog=catalog, lang=lang)
    html = get_reporter("html").render(report, RenderOptions())
    qwen = _model_section(html, "Qwen/Qwen2.5-7B-Instruct")
    assert f"<h4>{heading}</h4>" in qwen
    listed_places = qwen.split('<ul class="places">', 1)[1].split("</ul>", 1)[0]
    shown = re.findall(r'<li><span class="mono">([^<]*)</span>', listed_places)
    assert shown == [f"{p['path']}:{p['line']}:{p['column']}"
                     for p in report.locations["Qwen/Qwen2.5-7B-Instruct"]]
    assert ('<code class="snippet">model = AutoModelForCausalLM.from_pretrained(MODEL_ID, '
            "trust_remote_code=True)</code>") in qwen
    assert "<code>trust_remote_code=True</code>" in qwen
    assert "<code>revision=a09a35458c702b33eeacc393d103063234e8bc28</code>" in qwen
    # Each model lists its own places only, and a model named on the command line none.
    assert "deploy/tgi.yaml" not in qwen
    listed = check(["google/gemma-2-9b-it"], CONTEXT, ["license"], as_of="2026-06-01",
                   catalog=catalog, lang=lang)
    assert heading not in get_reporter("html").render(listed, RenderOptions())


@pytest.mark.parametrize("strict", [False, True])  # reviews: system-out, or failures
def test_junit_points_ci_at_the_first_place_and_lists_them_all(report: Report,
                                                               strict: bool) -> None:
    rendered = get_reporter("junit").render(report, RenderOptions(strict=strict))
    root = ET.fromstring(rendered)  # noqa: S314 - our own output
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    qwen = suites["Qwen/Qwen2.5-7B-Instruct"].findall("testcase")
    assert {(c.get("file"), c.get("line")) for c in qwen} == {(".env.example", "2")}
    places = [f"found at: {p['path']}:{p['line']}:{p['column']}"
              for p in report.locations["Qwen/Qwen2.5-7B-Instruct"]]
    open_cases = [c for c in qwen if c.find("failure") is not None
                  or c.find("system-out") is not None]
    assert open_cases
    assert any(c.find("failure") is not None for c in open_cases) == strict
    for case in open_cases:
        out = case.findtext("system-out") or ""
        assert [line.split("  ", 1)[0] for line in out.splitlines()
                if line.startswith("found at: ")] == places
    assert "(constant=MODEL_ID, trust_remote_code=True)" in (open_cases[0].findtext("system-out")
                                                              or "")
    # Passing and skipped cases carry the file but no list.
    quiet = [c for c in qwen if c not in open_cases]
    assert quiet
    assert all(c.get("file") == ".env.example" for c in quiet)
    unresolved = suites["acme-clinic/notes-triage-ft"].find("testcase")
    assert unresolved is not None
    assert (unresolved.get("file"), unresolved.get("line")) == ("app/notes.py", "4")


def test_cyclonedx_records_each_place_as_evidence_and_reads_back(
        report: Report, catalog: Catalog, tmp_path: Path) -> None:
    from cyclonedx.schema import SchemaVersion  # noqa: PLC0415
    from cyclonedx.validation.json import JsonStrictValidator  # noqa: PLC0415

    text = get_reporter("cyclonedx").render(report, RenderOptions())
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    components = {c["bom-ref"]: c for c in json.loads(text)["components"]}
    occurrences = components["Qwen/Qwen2.5-7B-Instruct"]["evidence"]["occurrences"]
    assert [(o["location"], o["line"], o["offset"]) for o in occurrences] == [
        (p["path"], p["line"], p["column"] - 1)
        for p in report.locations["Qwen/Qwen2.5-7B-Instruct"]]
    code = occurrences[2]
    assert code["symbol"] == "MODEL_ID"
    assert code["additionalContext"] == (
        "model = AutoModelForCausalLM.from_pretrained(MODEL_ID, trust_remote_code=True)\n"
        "constant=MODEL_ID, trust_remote_code=True")
    assert occurrences[0]["symbol"] == "EMBEDDING_MODEL"  # the .env variable
    assert "symbol" not in components["google/gemma-2-9b-it"]["evidence"]["occurrences"][0]
    # The importer reads the BOM back: the same models, whatever the evidence says.
    bom = tmp_path / "scan.cdx.json"
    bom.write_text(text, encoding="utf-8")
    again = check(str(bom), CONTEXT, ["license"], as_of="2026-06-01", catalog=catalog)
    assert sorted(m.id for m in again.models) == sorted(m.id for m in report.models)


# -- the walker ------------------------------------------------------------------------


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


LOADS = 'from transformers import AutoModel\nAutoModel.from_pretrained("{}")\n'


def test_gitignored_vendored_and_excluded_paths_are_skipped(tmp_path: Path) -> None:
    _write(tmp_path, {
        ".gitignore": "build/\n*.tmp.py\n!keep.tmp.py\n",
        "app.py": LOADS.format("org/app"),
        "build/gen.py": LOADS.format("org/build"),
        "x.tmp.py": LOADS.format("org/tmp"),
        "keep.tmp.py": LOADS.format("org/keep"),
        "node_modules/pkg/a.py": LOADS.format("org/node"),
        ".venv/lib/b.py": LOADS.format("org/venv"),
        "env/pyvenv.cfg": "home = /usr\n",
        "env/c.py": LOADS.format("org/env"),
        "tests/fixtures/d.py": LOADS.format("org/fixture"),
        ".git/e.py": LOADS.format("org/git"),
    })
    found = {r.raw for r in discover([tmp_path], exclude=["tests/fixtures/"]).references}
    assert found == {"org/app", "org/keep"}
    everything = {r.raw for r in discover([tmp_path], include_ignored=True).references}
    assert everything == {"org/app", "org/keep", "org/build", "org/tmp", "org/node",
                          "org/venv", "org/env", "org/fixture"}


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_symlinks_never_lead_out_of_the_tree(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    _write(outside, {"secret.py": LOADS.format("org/outside")})
    root = tmp_path / "root"
    _write(root, {"real.py": LOADS.format("org/inside")})
    (root / "link.py").symlink_to(outside / "secret.py")
    (root / "linked-dir").symlink_to(outside, target_is_directory=True)
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "alias.py").symlink_to(root / "real.py")
    found = sorted(r.path for r in discover([root]).references)
    assert found == ["alias.py", "real.py"]


def test_bad_files_are_located_warnings_not_crashes(tmp_path: Path) -> None:
    _write(tmp_path, {
        "broken.py": "def f(:\n    AutoModel.from_pretrained('org/x')\n",
        "compose.yaml": "services:\n  a: {command: --model org/y\n",
        "ok.py": LOADS.format("org/ok"),
    })
    (tmp_path / "model.gguf").write_bytes(b"GGUF\x03\x00\x00\x00" + b"\xff" * 20)
    found = discover([tmp_path])
    assert {r.raw for r in found.references} >= {"org/ok"}
    messages = {w.path: (w.line, w.message) for w in found.warnings}
    assert messages["broken.py"][0] == 1
    assert "not valid Python" in messages["broken.py"][1]
    assert "YAML not read" in messages["compose.yaml"][1]
    assert "GGUF" in messages["model.gguf"][1]
    # An unparsable YAML file is still read as command lines.
    assert "org/y" in {r.raw for r in found.references}


def test_a_huggingface_cache_and_an_ollama_store_are_read(tmp_path: Path,
                                                          catalog: Catalog) -> None:
    repo = tmp_path / "hub" / "models--Qwen--Qwen2.5-7B-Instruct"
    _write(repo, {"refs/main": "a09a35458c702b33eeacc393d103063234e8bc28",
                  "snapshots/a09a35458c702b33eeacc393d103063234e8bc28/config.json":
                      '{"model_type": "qwen2"}'})
    store = tmp_path / "ollama"
    blob = "ab" * 32
    manifest = {"schemaVersion": 2, "layers": [
        {"mediaType": "application/vnd.ollama.image.model", "digest": f"sha256:{blob}"}]}
    _write(store, {"manifests/hf.co/bartowski/Qwen2.5-7B-Instruct-GGUF/Q4_K_M":
                   json.dumps(manifest),
                   "manifests/registry.ollama.ai/library/mystery/latest":
                   json.dumps(manifest)})
    (store / "blobs").mkdir()
    (store / "blobs" / f"sha256-{blob}").write_bytes(gguf({"general.name": "x"}))
    found = {r.raw: r for r in discover([tmp_path]).references}
    assert found["Qwen/Qwen2.5-7B-Instruct"].attribute("revision") == \
        "a09a35458c702b33eeacc393d103063234e8bc28"
    assert "hf.co/bartowski/Qwen2.5-7B-Instruct-GGUF:Q4_K_M" in found
    assert "mystery:latest" in found
    assert not any(r.endswith(blob) for r in found)  # the blob is reported via its manifest
    judged = scan([tmp_path], as_of="2026-06-01", catalog=catalog)
    assert {m.id for m in judged.models} >= {"Qwen/Qwen2.5-7B-Instruct", "mystery:latest"}


def test_scanning_this_repository_with_its_fixtures_excluded_runs_clean(
        cli: Callable[..., CliResult]) -> None:
    code, out, err = cli("scan", str(ROOT), "--exclude", "tests/",
                         "--format", "json", "--no-progress", "--as-of", "2026-06-01")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["models"] == []
    assert document["findings"] == []


# -- the command line and openres.yaml ---------------------------------------------------


def test_scan_gates_and_diff_shows_only_what_is_new(project: Path,
                                                    cli: Callable[..., CliResult]) -> None:
    (project / "context.yaml").write_text(json.dumps(CONTEXT), encoding="utf-8")
    base = project / "base.json"
    code, _out, err = cli("scan", ".", "--context", "context.yaml", "--format", "json",
                          "--output", str(base), "--no-progress", "--strict")
    assert code == 1, err  # --strict: the unresolved references need review
    _write(project, {"app/new.py": LOADS.format("mistralai/Mistral-7B-Instruct-v0.3")})
    code, out, err = cli("scan", ".", "--context", "context.yaml", "--diff", str(base),
                         "--format", "json", "--no-progress")
    document = json.loads(out)
    assert [m["id"] for m in document["models"]] == ["mistralai/Mistral-7B-Instruct-v0.3"]
    # The deployment's findings stay for the new model, which shares them.
    assert {f["model"] for f in document["findings"]} == {"mistralai/Mistral-7B-Instruct-v0.3",
                                                          None}
    assert document["deployment"]["rules"]
    assert "deployment_except" not in document["models"][0]
    assert document["models"][0]["locations"][0]["path"] == "app/new.py"


def test_check_with_openres_yaml_scan_judges_what_is_found(
        project: Path, cli: Callable[..., CliResult]) -> None:
    (project / "openres.yaml").write_text(
        "models: [Qwen/Qwen2.5-3B-Instruct]\n"
        "scan: [app]\n"
        "exclude: [notes.py]\n"
        f"context: {json.dumps(CONTEXT)}\n", encoding="utf-8")
    code, out, err = cli("check", "--format", "json", "--as-of", "2026-06-01")
    document = json.loads(out)
    ids = {m["id"] for m in document["models"]}
    # Declared in openres.yaml, found in app/, but not the excluded notes.py.
    assert {"Qwen/Qwen2.5-3B-Instruct", "Qwen/Qwen2.5-7B-Instruct",
            "google/gemma-2-9b-it"} <= ids
    assert "acme-clinic/notes-triage-ft" not in ids
    # The research-only Qwen 3B in a commercial product fails the gate.
    assert code == 1, err
    places = {m["id"]: m.get("locations", []) for m in document["models"]}
    assert places["Qwen/Qwen2.5-7B-Instruct"][0]["path"] == "app/inference.py"
    assert places["Qwen/Qwen2.5-7B-Instruct"][0]["line"] == 9


def test_scan_of_a_missing_path_is_a_located_error(cli: Callable[..., CliResult],
                                                   tmp_path: Path) -> None:
    code, _out, err = cli("scan", str(tmp_path / "nope"), "--no-progress")
    assert code == 2
    assert "nope" in err
    assert "no such file or folder" in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_progress_line_and_a_pipe_does_not(tmp_path: Path) -> None:
    _write(tmp_path, {f"m{i}.py": LOADS.format("Qwen/Qwen2.5-7B-Instruct") for i in range(3)})
    terminal, piped = _Terminal(), io.StringIO()
    assert run(["scan", str(tmp_path), "--format", "json"], io.StringIO(), terminal) == 0
    assert "3 files" in terminal.getvalue()
    assert run(["scan", str(tmp_path), "--format", "json"], io.StringIO(), piped) == 0
    assert piped.getvalue() == ""


def test_warnings_reach_stderr_in_the_report_language(tmp_path: Path,
                                                      cli: Callable[..., CliResult]) -> None:
    (tmp_path / "weights.gguf").write_bytes(b"GGUF\x03\x00\x00\x00")
    _code, _out, err = cli("scan", str(tmp_path), "--policy", "license", "--no-progress")
    assert err == ("weights.gguf: warning[scan]: not a readable GGUF header: the file ends "
                   "inside the GGUF header\n")
    _code, _out, err = cli("scan", str(tmp_path), "--policy", "license", "--no-progress",
                           "--lang", "ja")
    assert err.startswith("weights.gguf: 警告[scan]: GGUF ヘッダーを読み取れません")


def test_the_endpoint_decides_which_hosted_service_a_model_name_means(
        tmp_path: Path, catalog: Catalog) -> None:
    _write(tmp_path, {
        "intl.py": ('from openai import OpenAI\n'
                    'client = OpenAI(base_url="https://dashscope-intl.aliyuncs.com/compatible-mode/v1")\n'
                    'client.chat.completions.create(model="qwen-max", messages=[])\n'),
        "bare.py": ('import litellm\nlitellm.completion(model="qwen-max", messages=[])\n'),
    })
    found = scan([tmp_path], CONTEXT, ["data-protection"], as_of="2026-06-01", catalog=catalog)
    ids = {m.id: m for m in found.models}
    intl = ids["dashscope-intl.aliyuncs.com/qwen-max"]
    service = intl.descriptor.hosted_service
    assert isinstance(service, HostedService)  # the facts themselves, not a service id
    assert "CN" not in service.data_location  # the international edition, not Beijing
    # Without an endpoint, the name belongs to several regional editions: unknown, a review.
    assert "qwen-max" in ids
    assert status(found, "qwen-max", "SCAN-UNRESOLVED") == "review"


def test_text_lists_ten_places_and_counts_the_rest(tmp_path: Path, catalog: Catalog) -> None:
    _write(tmp_path, {f"m{i:02d}.py": LOADS.format("Qwen/Qwen2.5-7B-Instruct")
                      for i in range(12)})
    found = scan([tmp_path], policies=["license"], as_of="2026-06-01", catalog=catalog)
    assert len(found.locations["Qwen/Qwen2.5-7B-Instruct"]) == 12
    text = get_reporter("text").render(found, RenderOptions())
    assert text.count("found at: ") == 10
    assert "and 2 more places" in text


def test_hub_references_in_code_reach_the_security_pack(report: Report) -> None:
    # trust_remote_code=True at app/inference.py:10 with no pinned revision there.
    remote = next(f for f in report.findings if f.model == "Qwen/Qwen2.5-7B-Instruct"
                  and f.rule_id == "SEC-REMOTE-CODE")
    assert str(remote.status) == "review"
    assert "app/inference.py:10" in remote.message
    assert status(report, "google/gemma-2-9b-it", "SEC-UNPINNED-REVISION") == "review"
    # An API model is not fetched from the Hub: nothing to pin.
    assert status(report, "api.deepseek.com/deepseek-chat",
                  "SEC-UNPINNED-REVISION") == "not_applicable"


def test_a_weights_file_found_in_the_tree_is_scanned_like_one_given_to_check(
        tmp_path: Path, catalog: Catalog) -> None:
    hostile = {**CLINIC_GGUF, "tokenizer.chat_template":
               "{{ ''.__class__.__mro__[1].__subclasses__() }}"}
    (tmp_path / "weights.bin").write_bytes(gguf(hostile))
    (tmp_path / "plain.bin").write_bytes(gguf(CLINIC_GGUF))
    found = scan([tmp_path], {"use": {"commercial": True}}, as_of="2026-06-01",
                 catalog=catalog)
    assert status(found, "weights.bin", "SEC-CHAT-TEMPLATE") == "fail"
    assert status(found, "plain.bin", "SEC-CHAT-TEMPLATE") == "pass"


@pytest.mark.parametrize(("model_id", "hosted", "purl"), [
    ("google/gemma-2-9b-it", False, "pkg:huggingface/google/gemma-2-9b-it"),
    ("acme-clinic/notes-triage-ft", False, "pkg:huggingface/acme-clinic/notes-triage-ft"),
    ("api.deepseek.com/deepseek-chat", True, None),  # a hosted API's model
    ("deepseek/deepseek-reasoner", False, None),  # a LiteLLM provider prefix
    ("ollama/clinic-notes", False, None),
    ("models/weights-01.bin", False, None),  # a weights file in the tree
    ("Qwen2.5-7B", False, None),
])
def test_only_names_the_hub_could_hold_get_a_hugging_face_purl(
        model_id: str, hosted: bool, purl: str | None) -> None:
    from openres_check.reporters.cyclonedx import _purl  # noqa: PLC0415

    assert _purl(model_id, hosted=hosted) == purl
