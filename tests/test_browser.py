"""The HTML report in a real browser: it renders, logs nothing, and hostile text never runs.

.ci/run installs Debian's chromium when it is missing; on a machine without a browser the
test is skipped and says so.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from openres_check.report import Report
from openres_check.reporters import RenderOptions, get_reporter
from test_reporters import CONTEXT, scenario  # noqa: F401 - the fixture

BROWSER = next((b for b in ("chromium", "chromium-browser", "google-chrome")
                if shutil.which(b)), None)
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(BROWSER is None, reason="no chromium on this machine")]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0"]


def run_browser(page: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BROWSER), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *extra,
         page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )


def console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def test_detector_sees_script_execution_and_console_output(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><title>ok</title><script>document.title='pwned';"
                    "console.error('boom')</script>", encoding="utf-8")
    result = run_browser(page, tmp_path, "--dump-dom")
    assert "<title>pwned</title>" in result.stdout
    assert console_messages(result.stderr)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_report_renders_without_errors_and_hostile_text_stays_inert(
        scenario: dict[str, Report], tmp_path: Path, lang: str) -> None:  # noqa: F811
    html = get_reporter("html").render(scenario[lang], RenderOptions(show_all=True))
    page = tmp_path / f"report.{lang}.html"
    page.write_text(html, encoding="utf-8")
    dom = run_browser(page, tmp_path, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    title = dom.stdout.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "pwned" not in title
    assert console_messages(dom.stderr) == []
    # The hostile card text is in the page, as text: no element came out of it.
    assert "&lt;img src=x onerror=" in dom.stdout
    assert "<img" not in dom.stdout
    assert "<script" not in dom.stdout
    shot = tmp_path / f"report.{lang}.png"
    result = run_browser(page, tmp_path, f"--screenshot={shot}", "--window-size=1200,2400")
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_messages(result.stderr) == []
    assert shot.stat().st_size > 50_000
    # Keep the screenshot for people to look at (CI artifacts, local runs).
    keep = Path(__file__).parent.parent / "build" / "screenshots"
    keep.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, keep / shot.name)
    assert CONTEXT["use"]["product_name"] not in dom.stdout  # its <b> is escaped, not markup
