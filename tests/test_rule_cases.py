"""Every bundled rule has positive and negative cases, and every case passes."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from conftest import ROOT
from openres_check import check
from openres_check._yaml import load_yaml
from openres_check.catalog import Catalog
from openres_check.model.finding import Finding
from openres_check.model.license import AttributionTrigger
from openres_check.policies import bundled_pack_paths
from openres_check.policy_tests import load_case_file, run_case_file

CASE_FILES = sorted((ROOT / "policies" / "tests").glob("*.yaml"))


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_cases_pass(path: Path, catalog: Catalog) -> None:
    results, _coverage = run_case_file(path, catalog)
    failures = [(r.name, r.mismatches, r.messages) for r in results if not r.ok]
    assert not failures


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_every_rule_has_positive_and_negative_cases(path: Path, catalog: Catalog) -> None:
    _results, coverage = run_case_file(path, catalog)
    assert coverage.uncovered() == []


def test_every_bundled_pack_has_a_case_file() -> None:
    packs = set(bundled_pack_paths())
    covered = {load_case_file(p).pack for p in CASE_FILES}
    assert packs <= covered


def test_attribution_rule_has_a_branch_for_every_trigger() -> None:
    """A trigger the catalog may use but the rule never tests would silently pass."""
    pack = load_yaml(ROOT / "policies" / "obligations.yaml").data
    rule = next(r for r in pack["rules"] if r["id"] == "OBL-ATTRIBUTION")
    handled: set[str] = set()
    pending = [rule["review"]]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if node.get("fact") == "item.attribution.when":
                handled.add(node["contains"])
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    assert handled == set(typing.get_args(AttributionTrigger))


def _finding(model: str, context: dict[str, object], rule: str, lang: str,
             catalog: Catalog) -> Finding:
    report = check([model], context, lang=lang, catalog=catalog)
    return next(f for f in report.findings if f.rule_id == rule)


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize(("model", "prefix"), [
    ("zai-org/glm-4-9b-chat", "glm-4"),
    ("meta-llama/Llama-3.1-8B-Instruct", "Llama"),
])
def test_naming_example_uses_the_license_prefix_and_the_product_name(
        model: str, prefix: str, lang: str, catalog: Catalog) -> None:
    context = {"deployment": {"public_facing": True},
               "use": {"fine_tunes": True, "product_name": "Clinic Assistant"}}
    finding = _finding(model, context, "OBL-DERIVATIVE-NAMING", lang, catalog)
    assert finding.status == "review"
    assert finding.remediation is not None
    assert f"{prefix} Clinic Assistant" in finding.remediation
    other = "Llama" if prefix == "glm-4" else "glm-4"
    assert other not in finding.remediation


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_governing_law_item_names_the_law_and_the_venue(lang: str, catalog: Catalog) -> None:
    finding = _finding("Qwen/Qwen2.5-72B-Instruct", {"organization": {"country": "JP"}},
                       "OBL-GOVERNING-LAW", lang, catalog)
    assert finding.status == "review"
    assert "Qwen LICENSE AGREEMENT" in finding.message
    venue = "杭州市" if lang == "ja" else "Hangzhou"  # the catalog's venue, translated in ja
    assert "CN" in finding.message
    assert venue in finding.message
    assert "JP" in finding.message
    assert finding.obligation is not None
    assert venue in finding.obligation
