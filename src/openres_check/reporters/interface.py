"""The reporter interface: a report in, a string out. Reporters never write or print."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, ClassVar, Protocol

if TYPE_CHECKING:
    from openres_check.report import Report

__all__ = ["OutputFormat", "RenderOptions", "Reporter"]


class OutputFormat(str, Enum):
    TEXT = "text"
    JSON = "json"
    CYCLONEDX = "cyclonedx"
    SARIF = "sarif"
    JUNIT = "junit"
    MARKDOWN = "markdown"
    HTML = "html"

    def __str__(self) -> str:
        return self.value


class RenderOptions:
    """Presentation choices that do not change the findings."""

    def __init__(self, *, color: bool = False, show_all: bool = False, fail_on: str = "high",
                 strict: bool = False) -> None:
        self.color = color
        self.show_all = show_all
        """Show `pass` and `not_applicable` findings too."""
        self.fail_on = fail_on
        self.strict = strict
        """The gate's flags: formats that mark what fails a build (JUnit failures, SARIF
        error level) mark exactly the findings that make the exit status 1."""

    def gating(self, report: Report) -> frozenset[tuple[str | None, str]]:
        """(model, rule id) of the findings that fail the gate with these flags (model None
        for a deployment finding)."""
        return frozenset((f.model, f.rule_id)
                         for f in report.gating(self.fail_on, strict=self.strict))


class Reporter(Protocol):
    format: ClassVar[OutputFormat]

    def render(self, report: Report, options: RenderOptions) -> str: ...
