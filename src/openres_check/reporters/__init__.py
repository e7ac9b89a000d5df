"""One reporter per `--format` value, in a literal registry, each imported when used."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from openres_check.reporters.interface import OutputFormat, RenderOptions, Reporter

if TYPE_CHECKING:
    from openres_check.report import Report

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


# How each format makes untrusted text safe: JSON keeps exact strings as JSON escapes; the
# text reporter colours its own output after escaping each line; the rest are escaped whole.
_JSON_FORMATS = frozenset({OutputFormat.JSON, OutputFormat.SARIF, OutputFormat.CYCLONEDX})
_SELF_ESCAPED = frozenset({OutputFormat.TEXT})


class _SafeReporter:
    """A reporter whose output has passed through the one sanitiser (`openres_check._text`)."""

    def __init__(self, inner: Reporter) -> None:
        self.inner = inner
        self.format = inner.format

    def render(self, report: Report, options: RenderOptions) -> str:
        from openres_check._text import for_display, for_json  # noqa: PLC0415

        text = self.inner.render(report, options)
        if self.format in _JSON_FORMATS:
            return for_json(text)
        return text if self.format in _SELF_ESCAPED else for_display(text)


def get_reporter(fmt: OutputFormat | str) -> Reporter:
    """The reporter for `fmt`, its output safe to show whatever the data held."""
    return _SafeReporter(reporter_class(fmt)())  # type: ignore[return-value]
