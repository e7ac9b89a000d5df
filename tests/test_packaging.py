from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from openres_check import _resources


def test_bundled_data_is_found_from_the_checkout() -> None:
    assert (_resources.bundled("policies") / "license.yaml").is_file()
    assert (_resources.bundled("catalog") / "licenses").is_dir()
    assert (_resources.bundled("schemas") / "report.schema.json").is_file()


@pytest.mark.slow
def test_wheel_carries_the_bundled_data(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    wheel = next(tmp_path.glob("openres_check-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "openres_check/py.typed" in names
    assert "openres_check/_data/policies/license.yaml" in names
    assert "openres_check/_data/schemas/report.schema.json" in names
    assert any(n.startswith("openres_check/_data/catalog/licenses/") for n in names)
    assert any(n.startswith("openres_check/_data/catalog/models/") for n in names)
    policies = {Path(n).name for n in names if n.startswith("openres_check/_data/policies/")}
    assert policies >= {p.name for p in (ROOT / "policies").glob("*.yaml")}
