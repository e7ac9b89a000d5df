"""The HTML report in a real browser: it renders, logs nothing, and hostile text never runs.

.ci/run installs Debian's chromium (and poppler-utils, for the PDF checks) when they are
missing; on a machine without them the tests are skipped and say so.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from openres_check.report import Report
from openres_check.reporters import RenderOptions, get_reporter
from test_reporters import CONTEXT, five_models, hostile_scan, scenario  # noqa: F401 - the fixtures
from test_scan import CONTEXT as SCAN_CONTEXT
from test_scan import project  # noqa: F401 - the fixture

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


def test_hostile_text_in_a_location_stays_inert(hostile_scan: Report,  # noqa: F811
                                                tmp_path: Path) -> None:
    html = get_reporter("html").render(hostile_scan, RenderOptions())
    page = tmp_path / "places.html"
    page.write_text(html, encoding="utf-8")
    dom = run_browser(page, tmp_path, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "pwned" not in dom.stdout.split("<title>", 1)[1].split("</title>", 1)[0]
    assert console_messages(dom.stderr) == []
    places = dom.stdout.split('<ul class="places">', 1)[1].split("</ul>", 1)[0]
    assert "&lt;img src=x onerror=" in places  # the file name, as text
    assert "&lt;script&gt;document.title=" in places  # the code and its revision, as text
    assert "\\u202egnp.exe" in places  # the bidi override, spelt out
    assert "<img" not in dom.stdout
    assert "<script" not in dom.stdout
    assert "\u202e" not in dom.stdout


POPPLER = {tool: shutil.which(tool) or tool for tool in ("pdfinfo", "pdftoppm", "pdftotext")}
needs_poppler = pytest.mark.skipif(not all(shutil.which(t) for t in POPPLER),
                                   reason="no poppler-utils on this machine")
A4_POINTS = (595.28, 841.89)
PAGE_MARGIN_POINTS = 12 / 25.4 * 72
"""The print stylesheet's left and right page margin (12 mm)."""
PX = 0.75
"""PDF points per CSS pixel."""


def artifacts() -> Path:
    """Where the screenshots and PDF pages are kept for a person to look at."""
    folder = Path(os.environ.get("OPENRES_CHECK_ARTIFACTS")
                  or Path(__file__).parent.parent / "build" / "report-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def words(pdf: Path, page: int | None = None) -> list[dict[str, float | str]]:
    """Every word of the PDF with its box in points (pdftotext -bbox), page by page."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run([POPPLER["pdftotext"], "-bbox", *pages, str(pdf), "-"], capture_output=True,
                         text=True, check=True, timeout=120).stdout
    found: list[dict[str, float | str]] = []
    number = (page or 1) - 1
    for line in out.splitlines():
        if "<page " in line:
            number += 1
        match = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                          r'yMax="([\d.]+)">(.*)</word>', line)
        if match:
            x0, y0, x1, y1 = (float(v) for v in match.groups()[:4])
            found.append({"page": number, "x0": x0, "y0": y0, "x1": x1, "y1": y1,
                          "text": match.group(5)})
    return found


def page_text(pdf: Path, page: int) -> str:
    return subprocess.run([POPPLER["pdftotext"], "-f", str(page), "-l", str(page), "-layout",
                           str(pdf), "-"], capture_output=True, text=True, check=True,
                          timeout=120).stdout


def print_pdf(page: Path, pdf: Path, tmp_path: Path) -> None:
    result = run_browser(page, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_messages(result.stderr) == []
    assert pdf.stat().st_size > 10_000


@needs_poppler
def test_scan_report_prints_every_place_inside_the_page(
        project: Path, tmp_path: Path) -> None:  # noqa: F811
    """The places a scan found, long code lines and hashes included, stay on an A4 page."""
    from openres_check.discovery.run import scan  # noqa: PLC0415

    report = scan(["."], SCAN_CONTEXT, ["license"], as_of="2026-06-01")
    page = tmp_path / "scan.html"
    page.write_text(get_reporter("html").render(report, RenderOptions()), encoding="utf-8")
    pdf = artifacts() / "scan.en.pdf"
    print_pdf(page, pdf, tmp_path)
    every = words(pdf)
    outside = [w for w in every if w["x0"] < PAGE_MARGIN_POINTS - 1  # type: ignore[operator]
               or w["x1"] > A4_POINTS[0] - PAGE_MARGIN_POINTS + 1]  # type: ignore[operator]
    assert outside == []
    text = " ".join(str(w["text"]) for w in every)
    for places in report.locations.values():
        for place in places:
            assert f"{place['path']}:{place['line']}:{place['column']}" in text


def svg_sheet(html: str) -> tuple[str, list[tuple[float, float, float, float]]]:
    """Each inline SVG of the report alone on one tall page, at 1 px per viewBox unit, with
    `overflow: visible` and room all around: a text that leaves its viewBox is drawn, not
    clipped. Returns the page and each viewBox's place on it (left, top, right, bottom, px)."""
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    svgs = re.findall(r"<svg class=\"figure\".*?</svg>", html, re.DOTALL)
    gap, left = 160.0, 120.0
    places, blocks, top = [], [], gap
    for svg in svgs:
        width, height = (float(v) for v in re.search(
            r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())  # type: ignore[union-attr]
        places.append((left, top, left + width, top + height))
        blocks.append(f'<div style="position:absolute;left:{left}px;top:{top}px">{svg}</div>')
        top += height + gap
    widest = max(p[2] for p in places) + 400
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>{style}"
            f"@page {{ size: {widest}px {top}px; margin: 0 }} body {{ margin: 0 }}"
            "svg.figure { overflow: visible !important; max-width: none !important; "
            "margin: 0 !important; }</style></head><body>" + "".join(blocks)
            + "</body></html>")
    return page, places


def assert_svg_texts_inside_their_viewbox(html: str, tmp_path: Path, lang: str) -> None:
    sheet, places = svg_sheet(html)
    sheet_page = tmp_path / f"svgs.{lang}.html"
    sheet_page.write_text(sheet, encoding="utf-8")
    sheet_pdf = tmp_path / f"svgs.{lang}.pdf"
    print_pdf(sheet_page, sheet_pdf, tmp_path)
    drawn = words(sheet_pdf)
    assert len(places) == 7  # two charts and five lineage trees
    texts = len(re.findall(r"<text ", "".join(re.findall(r"<svg class=\"figure\".*?</svg>",
                                                          html, re.DOTALL))))
    assert len(drawn) >= texts  # every SVG text reached the PDF (as one word or more)
    for word in drawn:
        x0, y0 = float(word["x0"]) / PX, float(word["y0"]) / PX
        x1, y1 = float(word["x1"]) / PX, float(word["y1"]) / PX
        home = [p for p in places if p[1] - 80 <= (y0 + y1) / 2 <= p[3] + 80]
        assert len(home) == 1, word
        left, top, right, bottom = home[0]
        assert left - 0.5 <= x0, word
        assert x1 <= right + 0.5, word
        assert top <= (y0 + y1) / 2 <= bottom, word


@needs_poppler
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_five_model_report_at_1280px_and_on_a4(
        five_models: dict[str, Report], tmp_path: Path, lang: str,  # noqa: F811
        capsys: pytest.CaptureFixture[str]) -> None:
    """The English and Japanese reports of the five-model run, in Chromium.

    Kept for a person to look at (the folder is printed): a 1280 px wide screenshot of the
    top of the report and every A4 page of its PDF as PNG.

    Checked without script (the report's CSP forbids it, so nothing can measure in the page):

    - The PDF from `--print-to-pdf` has A4 pages (pdfinfo), as many PNG pages as PDF pages
      (pdftoppm), no word beyond the page margins (pdftotext -bbox: a table or figure wider
      than the page would push words out), and the approval block alone on the last page.
    - No SVG text leaves its viewBox, measured with the browser's own fonts and layout: every
      SVG is put alone on a sheet at 1 px per viewBox unit with `overflow: visible`, the sheet
      is printed to PDF, and each word's box (pdftotext -bbox, which reads the glyph advances
      Chromium wrote) must lie inside its SVG's viewBox: its left and right ends exactly (the
      advances are the font's), its middle vertically (pdftotext takes a word's height from
      the font's bounding box, which for CJK fonts is far taller than any glyph). Unlike
      pixels this needs no image decoding; the layout's own conservative boxes, ascent and
      descent included, are checked in test_reporters. The SVGs scale uniformly (max-width, height auto), so what
      fits at 1 px per unit fits at A4 width too.
    """
    keep = artifacts()
    html = get_reporter("html").render(five_models[lang], RenderOptions())
    page = tmp_path / f"five.{lang}.html"
    page.write_text(html, encoding="utf-8")

    shot = keep / f"five.{lang}.1280.png"
    result = run_browser(page, tmp_path, f"--screenshot={shot}", "--window-size=1280,2000",
                         "--hide-scrollbars")
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_messages(result.stderr) == []
    assert shot.stat().st_size > 50_000

    pdf = keep / f"five.{lang}.pdf"
    print_pdf(page, pdf, tmp_path)
    info = subprocess.run([POPPLER["pdfinfo"], str(pdf)], capture_output=True, text=True, check=True,
                          timeout=60).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.MULTILINE)
    assert size is not None
    assert abs(float(size.group(1)) - A4_POINTS[0]) < 1.5
    assert abs(float(size.group(2)) - A4_POINTS[1]) < 1.5
    assert pages > 3  # five models' findings do not fit on three pages
    for old in keep.glob(f"five.{lang}.page-*.png"):
        old.unlink()
    subprocess.run([POPPLER["pdftoppm"], "-r", "60", "-png", str(pdf), str(keep / f"five.{lang}.page")],
                   check=True, timeout=300)
    assert len(list(keep.glob(f"five.{lang}.page-*.png"))) == pages

    every = words(pdf)
    assert every
    outside = [w for w in every if w["x0"] < PAGE_MARGIN_POINTS - 1  # type: ignore[operator]
               or w["x1"] > A4_POINTS[0] - PAGE_MARGIN_POINTS + 1]  # type: ignore[operator]
    assert outside == []
    signature = {"en": ("Approval", "Signature"), "ja": ("承認", "署名")}[lang]
    last = page_text(pdf, pages)
    assert last.split()[0] == signature[0]
    assert signature[1] in last
    assert "openres-check" not in page_text(pdf, pages - 1).split()[-1:]
    assert not any(signature[1] == w["text"] for w in every if w["page"] != pages)

    assert_svg_texts_inside_their_viewbox(html, tmp_path, lang)
    with capsys.disabled():
        sys.stdout.write(f"\nreport screenshots and PDF pages ({lang}): {keep}\n")
