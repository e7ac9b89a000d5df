"""`--format text`: findings grouped by model, for a person at a terminal."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import TYPE_CHECKING, ClassVar

from openres_check._version import __version__
from openres_check.engine.templates import format_value, list_separator, value_label
from openres_check.model.finding import Finding, Status
from openres_check.reporters._labels import LABELS
from openres_check.reporters.interface import OutputFormat, RenderOptions

if TYPE_CHECKING:
    from openres_check.report import Report

__all__ = ["TextReporter", "clean"]

_COLORS = {"fail": "31;1", "review": "33;1", "pass": "32", "waived": "36",
           "not_applicable": "2"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: object) -> str:
    """Neutralise control characters, so card text cannot drive the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


class TextReporter:
    format: ClassVar[OutputFormat] = OutputFormat.TEXT

    def render(self, report: Report, options: RenderOptions) -> str:
        lang = report.lang
        labels = LABELS[lang]
        sep = list_separator(lang)
        lines = [
            f"openres-check {__version__} · {labels['as_of']} "
            f"{format_value(report.as_of.isoformat(), report.lang)} · "
            f"{labels['packs']}: "
            + ", ".join(f"{p.id} {p.pack.version}" for p in report.policies),
            "",
        ]
        for model in report.models:
            findings = report.by_model.get(model.id, [])
            lines.append(self._paint(clean(model.id), "1", options))
            own = sep.join(f"{value_label(k, lang)} {clean(v.license)}" for k, v in
                            sorted(model.descriptor.licenses.items()))
            lines.append(f"  {labels['licenses']}: {own}")
            for item in model.facts.get("license_files", []):
                what = item.get("identified") or "?"
                lines.append(f"  {labels['license_file']}: {clean(item['path'])} -> {what} "
                             f"({value_label(item['confidence'], lang)}; "
                             f"sha256 {item['sha256'][:12]}…)")
            for link in model.facts["lineage_chain"]:
                mark = "" if link["resolved"] else f" ({labels['unresolved']})"
                lines.append(f"  {labels['lineage']}: {clean(' -> '.join(link['via']))} -> "
                             f"{clean(link['base'])} [{value_label(link['relation'], lang)}]"
                             f"{mark}")
            passed = na = 0
            for finding in findings:
                if not options.show_all and finding.status == Status.PASS:
                    passed += 1
                    continue
                if not options.show_all and finding.status == Status.NOT_APPLICABLE:
                    na += 1
                    continue
                lines.extend(self._finding(finding, lang, options, report.is_new(finding)))
            if passed or na:
                lines.append("  " + labels["hidden"].format(passed=passed, na=na))
            lines.append("")
        notes = [n for n in report.waivers if n.state != "applied"]
        if notes:
            lines.append(f"{labels['waivers']}:")
            lines.extend(f"  {labels['waiver_' + n.state.replace('-', '_')]}: {n.waiver.rule}"
                         f" ({clean(n.waiver.model or '*')}), {clean(n.waiver.approved_by)}, "
                         f"{labels['until']} {format_value(n.waiver.expires.isoformat(), lang)}"
                         for n in notes)
            lines.append("")
        for key, rule in sorted(report.stray_attestations.items()):
            hint = labels["did_you_mean"].format(rule=rule) if rule else ""
            lines.append(labels["stray_attestation"].format(key=clean(key)) + hint)
        summary = report.summary
        lines.append(f"{labels['summary']}: " + sep.join(
            f"{labels[status]} {summary[status]}" for status in summary))
        return "\n".join(lines) + "\n"

    def _paint(self, text: str, code: str, options: RenderOptions) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if options.color else text

    def _finding(self, finding: Finding, lang: str, options: RenderOptions,
                 new: bool) -> list[str]:
        labels = LABELS[lang]
        status = str(finding.status)
        tag = self._paint(_pad(labels[status], 8), _COLORS[status], options)
        pad = " " * 4
        severity = _pad(labels[str(finding.severity)], 8)
        mark = f"  [{labels['new']}]" if new else ""
        out = [f"  {tag} {severity} {finding.rule_id}  {clean(finding.title)}{mark}",
               f"{pad}{clean(finding.message)}"]
        if finding.via:
            out.append(f"{pad}{labels['via']}: {clean(' -> '.join(finding.via))}")
        if finding.obligation and finding.status != Status.NOT_APPLICABLE:
            out.append(f"{pad}{labels['obligation']}: {clean(finding.obligation)}")
        if finding.remediation:
            out.append(f"{pad}{labels['remediation']}: {clean(finding.remediation)}")
        if finding.waiver:
            expires = format_value(str(finding.waiver.expires), lang)
            sep = list_separator(lang)
            out.append(f"{pad}{labels['waived_by']} {clean(finding.waiver.approved_by)}{sep}"
                       f"{labels['until']} {expires}{sep}{labels['reason']} "
                       f"{clean(finding.waiver.reason)}")
        if finding.status in (Status.FAIL, Status.REVIEW) and finding.evidence:
            out.append(f"{pad}{labels['evidence']}:")
            out.extend(
                f"{pad}  - {clean(e.fact)} = {clean(_short(e.value))}"
                + (f"  ({clean(e.source)})" if e.source else "")
                for e in finding.evidence[:8]
            )
        if finding.status in (Status.FAIL, Status.REVIEW) and finding.references:
            out.append(f"{pad}{labels['references']}: " + "; ".join(
                f"{clean(r.title)} <{clean(r.url)}>" for r in finding.references))
        return out


def _short(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "..."  # noqa: PLR2004


def _pad(text: str, width: int) -> str:
    """Left-align by display width: CJK characters take two terminal cells."""
    cells = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - cells)
