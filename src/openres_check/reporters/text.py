"""`--format text`: findings grouped by model, for a person at a terminal."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from openres_check._text import for_display
from openres_check._version import __version__
from openres_check.engine.templates import format_value, list_separator, value_label
from openres_check.model.finding import Finding, Status
from openres_check.reporters._labels import DECIDING_SHOWN, LABELS, verdict_line
from openres_check.reporters.interface import OutputFormat, RenderOptions

if TYPE_CHECKING:
    from openres_check.report import Report

__all__ = ["TextReporter"]

_COLORS = {"fail": "31;1", "review": "33;1", "pass": "32", "waived": "36",
           "not_applicable": "2"}
_TAG_WIDTH = 8
_TAG_START = 2
"""A finding's first line starts with two spaces, then its status tag."""


class TextReporter:
    format: ClassVar[OutputFormat] = OutputFormat.TEXT

    def render(self, report: Report, options: RenderOptions) -> str:
        lang = report.lang
        labels = LABELS[lang]
        sep = list_separator(lang)
        paints: dict[int, tuple[int, int | None, str]] = {}
        """Line index -> (start, end, SGR code): colour is added after the text is made safe."""
        lines = [
            f"openres-check {__version__} · {labels['as_of']} "
            f"{format_value(report.as_of.isoformat(), report.lang)} · "
            f"{labels['packs']}: "
            + ", ".join(f"{p.id} {p.pack.version}" for p in report.policies),
            "",
        ]
        for model in report.models:
            findings = report.by_model.get(model.id, [])
            paints[len(lines)] = (0, None, "1")
            lines.append(model.id)
            lines.append(_verdict(report, model.id, options))
            own = sep.join(f"{value_label(k, lang)} {v.license}" for k, v in
                            sorted(model.descriptor.licenses.items()))
            lines.append(f"  {labels['licenses']}: {own}")
            places = report.locations.get(model.id, [])
            lines.extend(f"  {labels['found_at']}: {for_display(place['path'])}:{place['line']}"
                         f"  {for_display(place['text'])}" for place in places[:_PLACES])
            if len(places) > _PLACES:  # the other formats show all of them
                lines.append("  " + labels["more_places"].format(n=len(places) - _PLACES))
            for item in model.facts.get("license_files", []):
                what = item.get("identified") or "?"
                lines.append(f"  {labels['license_file']}: {item['path']} -> {what} "
                             f"({value_label(item['confidence'], lang)}; "
                             f"sha256 {item['sha256'][:12]}…)")
            for link in model.facts["lineage_chain"]:
                mark = "" if link["resolved"] else f" ({labels['unresolved']})"
                lines.append(f"  {labels['lineage']}: {' -> '.join(link['via'])} -> "
                             f"{link['base']} [{value_label(link['relation'], lang)}]"
                             f"{mark}")
            shared = [f for f in report.shared_findings(model.id) if _shown(f, options)]
            if shared:
                lines.append("  " + labels["shared"].format(n=len(shared)))
            self._findings(findings, report, options, lines, paints)
            lines.append("")
        if report.deployment_findings:
            paints[len(lines)] = (0, None, "1")
            lines.append(labels["deployment"])
            self._findings(report.deployment_findings, report, options, lines, paints)
            lines.append("")
        notes = [n for n in report.waivers if n.state != "applied"]
        if notes:
            lines.append(f"{labels['waivers']}:")
            lines.extend(f"  {labels['waiver_' + n.state.replace('-', '_')]}: {n.waiver.rule}"
                         f" ({n.waiver.model or '*'}), {n.waiver.approved_by}, "
                         f"{labels['until']} {format_value(n.waiver.expires.isoformat(), lang)}"
                         for n in notes)
            lines.append("")
        for key, rule in sorted(report.stray_attestations.items()):
            hint = labels["did_you_mean"].format(rule=rule) if rule else ""
            lines.append(labels["stray_attestation"].format(key=key) + hint)
        summary = report.summary
        lines.append(f"{labels['summary']}: " + sep.join(
            f"{labels[status]} {summary[status]}" for status in summary))
        return _finish(lines, paints if options.color else {})

    def _findings(self, findings: Sequence[Finding], report: Report, options: RenderOptions,
                  lines: list[str], paints: dict[int, tuple[int, int | None, str]]) -> None:
        """The shown findings, each with its status tag painted, then how many are hidden."""
        labels = LABELS[report.lang]
        passed = na = 0
        for finding in findings:
            if not _shown(finding, options):
                passed += finding.status == Status.PASS
                na += finding.status == Status.NOT_APPLICABLE
                continue
            tag = _pad(labels[str(finding.status)], _TAG_WIDTH)
            paints[len(lines)] = (_TAG_START, _TAG_START + len(tag),
                                  _COLORS[str(finding.status)])
            lines.extend(self._finding(finding, report.lang, report.is_new(finding)))
        if passed or na:
            lines.append("  " + labels["hidden"].format(passed=passed, na=na))

    def _finding(self, finding: Finding, lang: str, new: bool) -> list[str]:
        labels = LABELS[lang]
        tag = _pad(labels[str(finding.status)], _TAG_WIDTH)
        pad = " " * 4
        severity = _pad(labels[str(finding.severity)], 8)
        mark = f"  [{labels['new']}]" if new else ""
        out = [f"  {tag} {severity} {finding.rule_id}  {finding.title}{mark}",
               f"{pad}{finding.message}"]
        if finding.via:
            out.append(f"{pad}{labels['via']}: {' -> '.join(finding.via)}")
        if finding.obligation and finding.status != Status.NOT_APPLICABLE:
            out.append(f"{pad}{labels['obligation']}: {finding.obligation}")
        if finding.remediation:
            out.append(f"{pad}{labels['remediation']}: {finding.remediation}")
        if finding.waiver:
            expires = format_value(str(finding.waiver.expires), lang)
            sep = list_separator(lang)
            out.append(f"{pad}{labels['waived_by']} {finding.waiver.approved_by}{sep}"
                       f"{labels['until']} {expires}{sep}{labels['reason']} "
                       f"{finding.waiver.reason}")
        if finding.status in (Status.FAIL, Status.REVIEW) and finding.evidence:
            out.append(f"{pad}{labels['evidence']}:")
            out.extend(
                f"{pad}  - {e.fact} = {_short(e.value)}"
                + (f"  ({e.source})" if e.source else "")
                for e in finding.evidence[:8]
            )
        if finding.status in (Status.FAIL, Status.REVIEW) and finding.references:
            out.append(f"{pad}{labels['references']}: " + "; ".join(
                f"{r.title} <{r.url}>" for r in finding.references))
        return out


def _shown(finding: Finding, options: RenderOptions) -> bool:
    return options.show_all or finding.status not in (Status.PASS, Status.NOT_APPLICABLE)


def _verdict(report: Report, model_id: str, options: RenderOptions) -> str:
    """The model's first line: the answer, then the rule ids that decided it."""
    labels = LABELS[report.lang]
    verdict = report.verdict(model_id, options.fail_on, options.strict)
    answer = verdict_line(verdict.decision, verdict.open_items, report.lang)
    line = f"  {labels['verdict']}: {answer}"
    if not verdict.deciding:
        return line
    ids = [f.rule_id for f in verdict.deciding[:DECIDING_SHOWN]]
    rest = len(verdict.deciding) - len(ids)
    if rest:
        ids.append(labels["more"].format(n=rest))
    stop = "。" if report.lang == "ja" else " "
    return f"{line}{stop}{labels['deciding']}: {', '.join(ids)}"


def _finish(lines: list[str], paints: dict[int, tuple[int, int | None, str]]) -> str:
    """Make every line safe to show, then colour the spans the reporter chose (our own escape
    sequences are the only ones that can reach the terminal)."""
    out = []
    for index, line in enumerate(lines):
        safe = for_display(line)
        paint = paints.get(index)
        if paint is not None:
            start, end, code = paint
            end = len(safe) if end is None else end
            safe = f"{safe[:start]}\x1b[{code}m{safe[start:end]}\x1b[0m{safe[end:]}"
        out.append(safe)
    return "\n".join(out) + "\n"


_PLACES = 10
"""Where a model is used: at most this many places per model in the text report."""


def _short(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "..."  # noqa: PLR2004


def _pad(text: str, width: int) -> str:
    """Left-align by display width: CJK characters take two terminal cells."""
    cells = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - cells)
