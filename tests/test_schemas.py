from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import ROOT
from openres_check._schemas import SCHEMAS, render


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_is_up_to_date(name: str) -> None:
    path = ROOT / "schemas" / f"{name}.schema.json"
    assert path.read_text(encoding="utf-8") == render(name), (
        f"{path.name} is stale: run `python -m openres_check._schemas schemas`")


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_is_valid_json_schema(name: str) -> None:
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)


def test_no_stray_schema_files() -> None:
    on_disk = {p.name for p in (ROOT / "schemas").glob("*.json")}
    assert on_disk == {f"{name}.schema.json" for name in SCHEMAS}
