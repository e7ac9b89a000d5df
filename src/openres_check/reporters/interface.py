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

    def __init__(self, *, color: bool = False, show_all: bool = False) -> None:
        self.color = color
        self.show_all = show_all
        """Show `pass` and `not_applicable` findings too."""


class Reporter(Protocol):
    format: ClassVar[OutputFormat]

    def render(self, report: Report, options: RenderOptions) -> str: ...
