"""One reporter per `--format` value, in a literal registry, each imported when used."""

from __future__ import annotations

import importlib

from openres_check.reporters.interface import OutputFormat, RenderOptions, Reporter

__all__ = ["REPORTERS", "OutputFormat", "RenderOptions", "Reporter", "get_reporter"]

REPORTERS: dict[OutputFormat, tuple[str, str]] = {
    OutputFormat.TEXT: ("text", "TextReporter"),
    OutputFormat.JSON: ("json", "JsonReporter"),
    OutputFormat.CYCLONEDX: ("cyclonedx", "CycloneDxReporter"),
    OutputFormat.SARIF: ("sarif", "SarifReporter"),
    OutputFormat.JUNIT: ("junit", "JunitReporter"),
    OutputFormat.MARKDOWN: ("markdown", "MarkdownReporter"),
    OutputFormat.HTML: ("html", "HtmlReporter"),
}


def reporter_class(fmt: OutputFormat | str) -> type[Reporter]:
    module, name = REPORTERS[OutputFormat(fmt)]
    cls: type[Reporter] = getattr(importlib.import_module(f"openres_check.reporters.{module}"),
                                  name)
    return cls


def get_reporter(fmt: OutputFormat | str) -> Reporter:
    return reporter_class(fmt)()
