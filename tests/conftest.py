from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from japanese import english_left
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


def compare_golden(path: Path, rendered: str, update: bool) -> None:
    """`rendered` must equal the golden file at `path` (rewritten with --update-golden)."""
    if update:
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), f"missing golden file {path.name}: run pytest --update-golden"
    assert rendered == path.read_text(encoding="utf-8"), \
        f"{path.name} differs: review the change, then run pytest --update-golden"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


def _run_cli(argv: list[str]) -> CliResult:
    out, err = io.StringIO(), io.StringIO()
    code = run(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def _assert_japanese_diagnostics(argv: list[str]) -> None:
    """The same failing command under a Japanese locale must explain itself in Japanese."""
    saved = {name: os.environ.pop(name, None) for name in ("LC_ALL", "LC_MESSAGES", "LANG")}
    os.environ["LANG"] = "ja_JP.UTF-8"
    try:
        _, _, err = _run_cli([a for a in argv if not a.startswith("--lang")])
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value
    left = {line: words for line in err.splitlines() if (words := english_left(line))}
    assert not left, f"diagnostics left in English under LANG=ja_JP: {left}"


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    """Run the CLI in-process. Every run that exits 2 is run again under a Japanese locale,
    so each error the suite provokes is also checked to be explained in Japanese."""
    def invoke(*argv: str) -> CliResult:
        code, out, err = _run_cli(list(argv))
        if code == 2 and "--lang" not in argv:
            _assert_japanese_diagnostics(list(argv))
        return code, out, err
    return invoke


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    def make(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path
    return make
