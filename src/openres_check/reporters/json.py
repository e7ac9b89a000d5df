"""`--format json`: the report document of DESIGN §5."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from openres_check.reporters.interface import OutputFormat, RenderOptions

if TYPE_CHECKING:
    from openres_check.report import Report

__all__ = ["JsonReporter"]


class JsonReporter:
    format: ClassVar[OutputFormat] = OutputFormat.JSON

    def render(self, report: Report, options: RenderOptions) -> str:
        return report.to_json(fail_on=options.fail_on, strict=options.strict)
