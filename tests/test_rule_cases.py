"""Every bundled rule has positive and negative cases, and every case passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from openres_check.catalog import Catalog
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
