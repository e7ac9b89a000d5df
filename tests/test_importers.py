"""Model cards, local folders and CycloneDX BOMs, with fixtures this project writes itself.

The license excerpts below are a title line and a few distinctive phrases, written for these
tests, never a copy of a license text: enough to name a candidate, too little to identify one
(identification itself is tested in test_identify.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openres_check import check
from openres_check.catalog import Catalog
from openres_check.errors import InputError
from openres_check.licenses import split_expression
from openres_check.sources.cyclonedx import huggingface_id
from openres_check.sources.huggingface import card_descriptor, parse_card

LLAMA_EXCERPT = ("LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\n"
                 "Llama 3.1 Version Release Date: July 23, 2024\n"
                 "(a short excerpt written for the openres-check tests)\n")
DEEPSEEK_EXCERPT = ("DEEPSEEK LICENSE AGREEMENT\nVersion 1.0, 23 October 2023\n"
                    "(a short excerpt written for the openres-check tests)\n")
TONGYI_EXCERPT = ("Tongyi Qianwen LICENSE AGREEMENT\n"
                  "Tongyi Qianwen Release Date: August 3, 2023\n"
                  "(a short excerpt written for the openres-check tests)\n")
MIT_EXCERPT = ("MIT License\nPermission is hereby granted, free of charge, to any person "
               "obtaining a copy\nThe above copyright notice and this permission notice shall be "
               "included\n")
KIMI_EXCERPT = (MIT_EXCERPT + "Our only modification part is that, above the thresholds, you "
                "shall prominently display \u201cKimi K2\u201d on the user interface.\n"
                "(a short excerpt written for the openres-check tests)\n")
COMMERCIAL = {"use": {"commercial": True, "monthly_active_users": 1000}}

Write = Callable[[str, str], Path]


def card(front: str, body: str = "# A model\n") -> str:
    return f"---\n{front}---\n{body}"


def by_rule(report: Any) -> dict[str, Any]:
    return {f.rule_id: f for f in report.findings}


@pytest.mark.parametrize(("excerpt", "expected"), [
    (LLAMA_EXCERPT, "llama-3.1"), (DEEPSEEK_EXCERPT, "deepseek-license-1.0"),
    (TONGYI_EXCERPT, "tongyi-qianwen"), (KIMI_EXCERPT, "kimi-k2-modified-mit"),
])
def test_a_license_excerpt_under_an_apache_tag_is_never_a_silent_pass(
        write: Write, catalog: Catalog, excerpt: str, expected: str) -> None:
    # A title and a few phrases are not the license: never identified, always reviewed,
    # with the license the phrases point at named as a candidate.
    folder = write("model/README.md", card("license: apache-2.0\n")).parent
    write("model/LICENSE", excerpt)
    report = check(str(folder), COMMERCIAL, ["license"], as_of="2026-01-01", catalog=catalog)
    files = report.models[0].descriptor.license_files
    assert [(Path(f.path).name, f.identified, f.confidence) for f in files] == [
        ("LICENSE", None, "none")]
    assert expected in files[0].candidates
    finding = by_rule(report)["LIC-TEXT-UNIDENTIFIED"]
    assert finding.status == "review"
    assert expected in finding.message
    assert files[0].sha256 in finding.message


def test_code_license_beside_model_license_is_not_a_mismatch(write: Write,
                                                            catalog: Catalog) -> None:
    folder = write("model/README.md", card("license: other\nlicense_name: deepseek\n")).parent
    write("model/LICENSE-MODEL", DEEPSEEK_EXCERPT)
    write("model/LICENSE-CODE", MIT_EXCERPT)
    report = check(str(folder), COMMERCIAL, ["license"], catalog=catalog)
    roles = {Path(f.path).name: (f.role, f.identified) for f in report.models[0].descriptor.
             license_files}
    assert roles == {"LICENSE-CODE": ("code", None), "LICENSE-MODEL": ("weights", None)}
    assert by_rule(report)["LIC-TEXT-MISMATCH"].status == "pass"


def test_unidentified_text_needs_review(write: Write, catalog: Catalog) -> None:
    folder = write("model/README.md", card("license: apache-2.0\n")).parent
    write("model/LICENSE", "Our own terms. Be nice.\n")
    report = check(str(folder), COMMERCIAL, ["license"], catalog=catalog)
    finding = by_rule(report)["LIC-TEXT-UNIDENTIFIED"]
    assert finding.status == "review"
    assert "LICENSE" in finding.message


def test_unknown_card_license_is_review_never_pass(write: Write, catalog: Catalog) -> None:
    path = write("model/README.md", card("license: other\nlicense_name: acme-custom\n"))
    report = check(str(path), COMMERCIAL, ["license"], catalog=catalog)
    findings = by_rule(report)
    assert findings["LIC-LICENSE-UNKNOWN"].status == "review"
    assert "acme-custom" in findings["LIC-LICENSE-UNKNOWN"].message
    assert findings["LIC-RESEARCH-ONLY"].status == "review"


@pytest.mark.parametrize(("tag", "expected", "statuses"), [
    # AND: every license applies, so Llama's user threshold is checked.
    ("mit AND llama3.1", {"mit", "llama-3.1"},
     {"LIC-USER-THRESHOLD": "fail", "LIC-LICENSE-UNKNOWN": "pass"}),
    # OR: every alternative is checked until a descriptor names the one in use.
    ("apache-2.0 OR qwen-research", {"apache-2.0", "qwen-research"},
     {"LIC-RESEARCH-ONLY": "fail", "LIC-COMPONENT-SCOPES": "review"}),
    ("Apache-2.0 WITH LLVM-exception", {"apache-2.0"},
     {"LIC-RESEARCH-ONLY": "pass", "LIC-LICENSE-UNKNOWN": "pass"}),
    # A license the registry does not know inside an expression is unknown, never a pass.
    ("mit OR acme-custom", {"mit", "acme-custom"}, {"LIC-LICENSE-UNKNOWN": "review"}),
])
def test_spdx_expressions_apply_every_license_they_name(
        write: Write, catalog: Catalog, tag: str, expected: set[str],
        statuses: dict[str, str]) -> None:
    path = write("model/README.md", card(f"license: {tag}\n"))
    context = {"use": {"commercial": True, "monthly_active_users": 800_000_000}}
    report = check(str(path), context, ["license"], catalog=catalog)
    licenses = report.models[0].descriptor.licenses
    assert {a.license for a in licenses.values()} == expected
    assert all(tag in str(a.note) for a in licenses.values())
    findings = by_rule(report)
    assert {rule: findings[rule].status for rule in statuses} == statuses


def test_bom_license_expression_is_split(write: Write, catalog: Catalog) -> None:
    path = write("bom.cdx.json", bom(
        {"type": "machine-learning-model", "name": "in-house", "group": "acme",
         "licenses": [{"expression": "Apache-2.0 AND LicenseRef-scancode-llama-3.1-license-2024"}]}))
    report = check(str(path), COMMERCIAL, ["license"], catalog=catalog)
    licenses = report.models[0].descriptor.licenses
    assert {k: a.license for k, a in licenses.items()} == {
        "weights": "apache-2.0", "weights:2": "llama-3.1"}


@given(st.lists(st.sampled_from(["a", "mit", "(", ")", " AND ", " OR ", " WITH ", " ", "+",
                                 "-"]), max_size=12).map("".join) | st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_any_expression_text_splits_or_is_left_whole(text: str) -> None:
    split = split_expression(text)
    if split is not None:
        parts, _choice = split
        assert parts
        words = " ".join(text.lower().split())
        assert all(" ".join(part.name.lower().split()) in words for part in parts)


def test_card_without_license_is_unknown(write: Write, catalog: Catalog) -> None:
    folder = write("model/README.md", "# No front matter at all\n").parent
    report = check(str(folder), COMMERCIAL, ["license"], catalog=catalog)
    assert by_rule(report)["LIC-LICENSE-UNKNOWN"].status == "review"


@pytest.mark.parametrize(("base", "rule", "status"), [
    ("Qwen/Qwen2.5-3B-Instruct", "LIC-RESEARCH-ONLY", "fail"),
    ("meta-llama/Llama-3.1-8B-Instruct", "LIC-USER-THRESHOLD", "fail"),
])
def test_card_fine_tuned_from_a_catalog_base_inherits_its_terms(
        write: Write, catalog: Catalog, base: str, rule: str, status: str) -> None:
    path = write("ft/README.md", card(f"license: apache-2.0\nbase_model: {base}\n"))
    context = {"use": {"commercial": True, "monthly_active_users": 900_000_000}}
    report = check(str(path), context, ["license"], catalog=catalog)
    finding = by_rule(report)[rule]
    assert finding.status == status
    assert finding.via[-1] == base


def test_base_in_a_local_folder_resolves_recursively(write: Write, catalog: Catalog) -> None:
    write("base/README.md", card("license: apache-2.0\nbase_model: Qwen/Qwen2.5-3B-Instruct\n"))
    top = write("ft/README.md", card("license: apache-2.0\nbase_model: ../base\n"))
    report = check(str(top.parent), COMMERCIAL, ["license", "lineage"], catalog=catalog)
    findings = by_rule(report)
    assert findings["LIC-RESEARCH-ONLY"].status == "fail"
    assert findings["LIC-RESEARCH-ONLY"].via[-1] == "Qwen/Qwen2.5-3B-Instruct"
    assert findings["LIN-BASE-UNRESOLVED"].status == "pass"


def test_base_that_cannot_be_found_is_named(write: Write, catalog: Catalog) -> None:
    path = write("ft/README.md", card("license: apache-2.0\nbase_model: someone/private\n"))
    report = check(str(path), COMMERCIAL, ["lineage"], catalog=catalog)
    finding = by_rule(report)["LIN-BASE-UNRESOLVED"]
    assert finding.status == "review"
    assert "someone/private" in finding.message


def test_card_fields_are_read(write: Write, catalog: Catalog) -> None:
    path = write("m/README.md", card(
        "license: mit\nlicense_name: deepseek\nbase_model:\n  - a/one\n  - b/two\n"
        "pipeline_tag: image-text-to-text\nextra_gated_eu_disallowed: true\n"))
    parsed = parse_card(path.read_text(), str(path))
    descriptor = card_descriptor(parsed, "m", catalog)
    assert descriptor.licenses["weights"].license == "deepseek-license-1.0"  # the name wins
    assert [(link.base, link.relation) for link in descriptor.lineage] == [
        ("a/one", "merge"), ("b/two", "merge")]
    assert descriptor.modalities == ["text", "image"]
    assert "extra_gated_eu_disallowed" in descriptor.tags
    assert descriptor.hf_license == {"license": "mit", "license_name": "deepseek"}


def test_bad_front_matter_is_a_located_error(write: Write, catalog: Catalog) -> None:
    path = write("m/README.md", "---\nlicense: [apache\n---\n")
    with pytest.raises(InputError) as exc:
        check(str(path), {}, ["license"], catalog=catalog)
    assert exc.value.issues[0].location.source == str(path)
    assert exc.value.issues[0].location.line == 3
    path = write("n/README.md", "---\nlicense: mit\n")
    with pytest.raises(InputError):
        check(str(path), {}, ["license"], catalog=catalog)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_card_text_parses_or_raises_input_error(text: str) -> None:
    error = None
    try:
        parse_card("---\n" + text + "\n---\n", "fuzz.md")
    except InputError as exc:
        error = exc
    assert error is None or error.issues


# -- CycloneDX -------------------------------------------------------------------------------

def bom(*components: dict[str, Any]) -> str:
    return json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
                       "components": list(components)})


def test_ml_bom_components_are_checked(write: Write, catalog: Catalog) -> None:
    path = write("bom.cdx.json", bom(
        {"type": "machine-learning-model", "name": "Qwen2.5-3B-Instruct", "bom-ref": "m1",
         "purl": "pkg:huggingface/Qwen/Qwen2.5-3B-Instruct@aa11"},
        {"type": "library", "name": "torch"},
        {"type": "machine-learning-model", "name": "clinic-ft", "group": "acme",
         "licenses": [{"license": {"id": "Apache-2.0"}}],
         "pedigree": {"ancestors": [{"type": "machine-learning-model",
                                     "purl": "pkg:huggingface/meta-llama/Llama-3.1-8B-Instruct"}]}},
    ))
    report = check(str(path), COMMERCIAL, ["license"], catalog=catalog)
    assert [m.id for m in report.models] == ["Qwen/Qwen2.5-3B-Instruct", "acme/clinic-ft"]
    findings = {(f.model, f.rule_id): f.status for f in report.findings}
    assert findings[("Qwen/Qwen2.5-3B-Instruct", "LIC-RESEARCH-ONLY")] == "fail"
    acme = report.models[1]
    assert {t["license"] for t in acme.facts["effective_terms"]} == {"apache-2.0", "llama-3.1"}


@pytest.mark.parametrize(("text", "needle"), [
    ('{"bomFormat": "SPDX"}', "not a CycloneDX BOM"),
    ('{"bomFormat": "CycloneDX", "components": []}', "no component of type"),
    ('{"bomFormat": "CycloneDX", ', "not valid JSON"),
])
def test_bad_boms_are_input_errors(write: Write, catalog: Catalog, text: str,
                                   needle: str) -> None:
    path = write("bad.cdx.json", text)
    with pytest.raises(InputError) as exc:
        check(str(path), {}, ["license"], catalog=catalog)
    assert needle in exc.value.diagnostics()


@pytest.mark.parametrize(("purl", "expected"), [
    ("pkg:huggingface/Qwen/Qwen2.5-3B@abc", "Qwen/Qwen2.5-3B"),
    ("pkg:huggingface/meta-llama/Llama-3.1-8B?x=1", "meta-llama/Llama-3.1-8B"),
    ("pkg:pypi/torch@2.0", None),
])
def test_huggingface_purls(purl: str, expected: str | None) -> None:
    assert huggingface_id(purl) == expected


def test_cyclonedx_output_validates_against_the_1_6_schema(catalog: Catalog,
                                                           cli: Any, tmp_path: Path) -> None:
    from cyclonedx.schema import SchemaVersion  # noqa: PLC0415
    from cyclonedx.validation.json import JsonStrictValidator  # noqa: PLC0415

    target = tmp_path / "bom.json"
    code, _, err = cli("check", "deepseek-ai/DeepSeek-R1-Distill-Llama-70B",
                       "Qwen/Qwen2.5-3B-Instruct", "--format", "cyclonedx", "--output",
                       str(target), "--context", str(Path(__file__).parent.parent / "examples"
                                                      / "context.yaml"))
    assert code in (0, 1), err
    text = target.read_text()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    document = json.loads(text)
    distill = document["components"][0]
    assert distill["type"] == "machine-learning-model"
    assert distill["purl"] == "pkg:huggingface/deepseek-ai/DeepSeek-R1-Distill-Llama-70B"
    assert distill["pedigree"]["ancestors"][0]["purl"] == \
        "pkg:huggingface/meta-llama/Llama-3.3-70B-Instruct"
    names = {p["name"] for p in distill["properties"]}
    assert "openres-check:finding:LIN-INHERITED-TERMS" in names
    # Round trip: the BOM we write is a BOM we read.
    again = check(str(target), {}, ["license"], catalog=catalog)
    assert [m.id for m in again.models] == ["deepseek-ai/DeepSeek-R1-Distill-Llama-70B",
                                            "Qwen/Qwen2.5-3B-Instruct"]


def test_hub_without_the_extra_is_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                                catalog: Catalog) -> None:
    import sys  # noqa: PLC0415

    monkeypatch.setitem(sys.modules, "huggingface_hub", None)  # makes the import fail
    with pytest.raises(InputError) as exc:
        check("someone/not-in-catalog", {}, ["license"], catalog=catalog, hub=True)
    assert "[hub] extra" in exc.value.diagnostics()


def test_hub_offline_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, catalog: Catalog) -> None:
    import sys  # noqa: PLC0415
    import types  # noqa: PLC0415

    calls: list[str] = []
    fake = types.ModuleType("huggingface_hub")
    fake.snapshot_download = lambda **_kwargs: calls.append("called")  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "huggingface_hub", fake)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(InputError) as exc:
        check("someone/not-in-catalog", {}, ["license"], catalog=catalog, hub=True)
    assert "HF_HUB_OFFLINE" in exc.value.diagnostics()
    assert calls == []


def test_hub_reads_the_fetched_snapshot(monkeypatch: pytest.MonkeyPatch, catalog: Catalog,
                                        write: Write) -> None:
    import sys  # noqa: PLC0415
    import types  # noqa: PLC0415

    snapshot = write("snap/abc123/README.md", card("license: apache-2.0\n")).parent
    write("snap/abc123/LICENSE", LLAMA_EXCERPT)
    seen: dict[str, Any] = {}

    def snapshot_download(**kwargs: Any) -> str:
        seen.update(kwargs)
        return str(snapshot)

    fake = types.ModuleType("huggingface_hub")
    fake.snapshot_download = snapshot_download  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "huggingface_hub", fake)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    report = check("acme/remote-model", COMMERCIAL, ["license"], catalog=catalog, hub=True,
                   revision="abc123")
    assert seen["repo_id"] == "acme/remote-model"
    assert seen["revision"] == "abc123"
    assert "LICENSE*" in seen["allow_patterns"]
    assert report.models[0].id == "acme/remote-model"
    assert by_rule(report)["LIC-TEXT-UNIDENTIFIED"].status == "review"
