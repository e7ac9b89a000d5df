"""`--format markdown`: for pull-request comments and $GITHUB_STEP_SUMMARY.

Everything that comes from data (card text, model ids, messages) is escaped: Markdown syntax
and HTML, which GitHub renders inside Markdown, cannot reach the page.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from openres_check._version import __version__
from openres_check.engine.templates import format_value
from openres_check.reporters._labels import (
    DECIDING_SHOWN,
    LABELS,
    TABLE,
    finding_anchor,
    verdict_line,
)
from openres_check.reporters.interface import OutputFormat, RenderOptions

if TYPE_CHECKING:
    from openres_check.model.finding import Finding
    from openres_check.report import Report

__all__ = ["MarkdownReporter", "escape_markdown"]

_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_ICON = {"fail": "❌", "review": "⚠️", "waived": "🟦", "pass": "✅", "not_applicable": "➖"}
_SHOWN = ("fail", "review", "waived")


def escape_markdown(text: object) -> str:
    """Plain text for a Markdown table cell: no markup, no HTML, no line breaks."""
    value = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _SPECIAL.sub(r"\\\1", value)
    return " ".join(value.split())


class MarkdownReporter:
    format: ClassVar[OutputFormat] = OutputFormat.MARKDOWN

    def render(self, report: Report, options: RenderOptions) -> str:
        labels = LABELS[report.lang]
        title = "openres-check 監査結果" if report.lang == "ja" else "openres-check results"
        summary = report.summary
        as_of = format_value(report.as_of.isoformat(), report.lang)
        lines = [
            f"## {title}",
            "",
            f"{labels['as_of']} {as_of} · openres-check {__version__} · "
            + ", ".join(f"`{p.id}` {p.pack.version}" for p in report.policies),
            "",
            "| " + " | ".join(f"{_ICON[s]} {labels[s]}" for s in summary) + " |",
            "|" + "---|" * len(summary),
            "| " + " | ".join(str(v) for v in summary.values()) + " |",
            "",
        ]
        shown = set(_SHOWN) | ({"pass", "not_applicable"} if options.show_all else set())
        for number, model in enumerate(report.models, 1):
            findings = [f for f in report.by_model.get(model.id, []) if str(f.status) in shown]
            lines.append(f"### {escape_markdown(model.id)}")
            lines.append("")
            lines += [_verdict(report, number, model.id, options), ""]
            own = ", ".join(f"{escape_markdown(k)}: {escape_markdown(v.license)}"
                            for k, v in sorted(model.descriptor.licenses.items()))
            lines.append(f"{labels['licenses']}: {own}")
            lines.append("")
            places = report.locations.get(model.id, [])
            if places:
                lines += [f"{labels['found_at']}: " + ", ".join(
                    f"{escape_markdown(p['path'])}:{p['line']}" for p in places), ""]
            shared = [f for f in report.shared_findings(model.id) if str(f.status) in shown]
            if shared:
                lines += [labels["shared"].format(n=len(shared)), ""]
            lines += _table(findings, number, report.lang)
        deployment = [f for f in report.deployment_findings if str(f.status) in shown]
        if report.deployment_findings:
            lines += [f"### {labels['deployment']}", "", *_table(deployment, None, report.lang)]
        notes = [n for n in report.waivers if n.state != "applied"]
        if notes:
            lines += [f"### {labels['waivers']}", ""]
            for n in notes:
                state = labels["waiver_" + n.state.replace("-", "_")]
                scope = escape_markdown(n.waiver.model or "*")
                lines.append(f"- {state}: `{escape_markdown(n.waiver.rule)}` ({scope}), "
                             f"{escape_markdown(n.waiver.approved_by)}, {labels['until']} "
                             f"{format_value(n.waiver.expires.isoformat(), report.lang)}")
            lines.append("")
        return "\n".join(lines) + "\n"


def _table(findings: list[Finding], number: int | None, lang: str) -> list[str]:
    """The findings of one model (by number) or of the deployment (None), as a table."""
    labels = LABELS[lang]
    if not findings:
        return ["✅ " + ("検出事項はありません。" if lang == "ja" else "No findings."), ""]
    head = TABLE[lang]
    lines = [f"| | {head['rule']} | {head['severity']} | {head['finding']} |",
             "|---|---|---|---|"]
    for finding in findings:
        status = str(finding.status)
        text = escape_markdown(finding.message)
        if finding.remediation and status != "waived":
            text += f"<br>**{labels['remediation']}**: " + escape_markdown(
                finding.remediation)
        if finding.waiver:
            expires = format_value(str(finding.waiver.expires), lang)
            text += (f"<br>**{labels['waiver']}**: "
                     f"{escape_markdown(finding.waiver.approved_by)} "
                     f"({labels['until']} {expires})")
        anchor = finding_anchor(number, finding.rule_id)
        lines.append(f'| <a id="{anchor}"></a>{_ICON[status]} {labels[status]} | '
                     f"`{finding.rule_id}` | "
                     f"{labels[str(finding.severity)]} | {text} |")
    return [*lines, ""]


_VERDICT_ICON = {"usable": "✅", "conditional": "⚠️", "blocked": "⛔"}


def _verdict(report: Report, number: int, model_id: str, options: RenderOptions) -> str:
    """The model's first line: the answer, then links to the findings that decided it."""
    labels = LABELS[report.lang]
    verdict = report.verdict(model_id, options.fail_on, options.strict)
    line = (f"{_VERDICT_ICON[verdict.decision]} **{labels['verdict']}: "
            f"{verdict_line(verdict.decision, verdict.open_items, report.lang)}**")
    if not verdict.deciding:
        return line
    links = [f"[`{f.rule_id}`](#{finding_anchor(number if f.model else None, f.rule_id)})"
             for f in verdict.deciding[:DECIDING_SHOWN]]
    rest = len(verdict.deciding) - len(links)
    if rest:
        links.append(labels["more"].format(n=rest))
    return f"{line} {labels['deciding']}: {', '.join(links)}"
