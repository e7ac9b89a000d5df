from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from openres_check.catalog import Catalog, load_catalog
from openres_check.cli import run

# Tests use their own cache folder, never the user's (subprocesses inherit it too).
os.environ["OPENRES_CHECK_CACHE_DIR"] = tempfile.mkdtemp(prefix="openres-check-cache-")

ROOT = Path(__file__).resolve().parent.parent
ASSETS = Path(__file__).resolve().parent / "assets"

CliResult = tuple[int, str, str]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    def invoke(*argv: str) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        code = run(list(argv), out, err)
        return code, out.getvalue(), err.getvalue()
    return invoke


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    def make(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path
    return make
