"""One reporter per `--format` value, in a literal registry."""

from __future__ import annotations

from openres_check.reporters.cyclonedx import CycloneDxReporter
from openres_check.reporters.html import HtmlReporter
from openres_check.reporters.interface import OutputFormat, RenderOptions, Reporter
from openres_check.reporters.json import JsonReporter
from openres_check.reporters.junit import JunitReporter
from openres_check.reporters.markdown import MarkdownReporter
from openres_check.reporters.sarif import SarifReporter
from openres_check.reporters.text import TextReporter

__all__ = ["REPORTERS", "OutputFormat", "RenderOptions", "Reporter", "get_reporter"]

REPORTERS: dict[OutputFormat, type[Reporter]] = {
    OutputFormat.TEXT: TextReporter,
    OutputFormat.JSON: JsonReporter,
    OutputFormat.CYCLONEDX: CycloneDxReporter,
    OutputFormat.SARIF: SarifReporter,
    OutputFormat.JUNIT: JunitReporter,
    OutputFormat.MARKDOWN: MarkdownReporter,
    OutputFormat.HTML: HtmlReporter,
}


def get_reporter(fmt: OutputFormat | str) -> Reporter:
    return REPORTERS[OutputFormat(fmt)]()
