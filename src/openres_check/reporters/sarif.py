"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Rules referenced by results are listed with their documentation; each `fail` or `review`
finding is a result with a logical location (the model) and a physical location: the line
that loads the model when a scan found it (other places as related locations), or where it
was declared in openres.yaml. Waived findings are results with a suppression.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from openres_check._version import __version__
from openres_check.reporters._labels import LABELS
from openres_check.reporters.interface import OutputFormat, RenderOptions

if TYPE_CHECKING:
    from openres_check.model.finding import Finding
    from openres_check.model.policy import Rule
    from openres_check.report import Report

__all__ = ["SarifReporter"]

_INFO_URI = "https://github.com/openres-check/openres-check"
_DOCS = "https://github.com/openres-check/openres-check/blob/main/docs/rules/{id}.md"
_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note",
          "info": "note"}
_SECURITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}
_SHOWN = ("fail", "review", "waived")


def _rule_entry(rule: Rule, lang: str) -> dict[str, Any]:
    description = rule.description.get(lang) if rule.description else rule.title.get(lang)
    help_lines = [description]
    if rule.remediation:
        help_lines.append(rule.remediation.get(lang))
    help_lines.extend(f"{r.title}: {r.url}" for r in rule.references)
    return {
        "id": rule.id,
        "name": rule.name or rule.id.lower(),
        "shortDescription": {"text": rule.title.get(lang)},
        "fullDescription": {"text": description},
        "help": {"text": "\n".join(help_lines)},
        "helpUri": _DOCS.format(id=rule.id),
        "defaultConfiguration": {"level": _LEVEL[str(rule.severity)]},
        "properties": {
            "tags": ["compliance", str(rule.category)],
            "security-severity": _SECURITY[str(rule.severity)],
            "precision": "high",
        },
    }


def _level(finding: Finding, gates: bool) -> str:
    """`error` exactly for what fails the gate; below it a fail keeps its severity's level
    (never above `warning`), a review is a `warning`, a waived finding a `note`."""
    status = str(finding.status)
    if gates:
        return "error"
    if status == "fail":
        level = _LEVEL[str(finding.severity)]
        return "warning" if level == "error" else level
    return "note" if status == "waived" else "warning"


def _result(finding: Finding, index: int, report: Report, gates: bool) -> dict[str, Any]:
    status = str(finding.status)
    text = finding.message
    if finding.remediation:
        text += f"\n{finding.remediation}"
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": index,
        "level": _level(finding, gates),
        "kind": "fail" if status in ("fail", "waived") else "review",
        "message": {"text": text},
        "locations": [_location(finding, report)],
        "partialFingerprints": {
            "openresFinding/v1": hashlib.sha256(
                f"{finding.model or ''}\0{finding.rule_id}".encode()).hexdigest(),
        },
        "properties": {
            "status": status,
            "severity": str(finding.severity),
            "category": str(finding.category),
            "model": finding.model,
            "scope": finding.scope,
            "via": finding.via,
            "evidence": [e.model_dump(mode="json") for e in finding.evidence],
        },
    }
    others = report.locations.get(finding.model, [])[1:] if finding.model else []
    if others:
        # Every other place that refers to the same model.
        result["relatedLocations"] = [{"id": i, "physicalLocation": _physical(place)}
                                      for i, place in enumerate(others, start=1)]
    if report.baseline is not None:
        # SARIF's own field, so code scanning can tell a new finding from a known one.
        result["baselineState"] = "unchanged" if report.in_baseline(finding) else "new"
    if finding.waiver is not None:
        labels = LABELS[report.lang]
        result["suppressions"] = [{
            "kind": "external",
            "status": "accepted",
            "justification": f"{finding.waiver.reason} ({labels['waived_by']} "
                             f"{finding.waiver.approved_by}, {labels['until']} "
                             f"{finding.waiver.expires})",
        }]
    return result


def _location(finding: Finding, report: Report) -> dict[str, Any]:
    if finding.model is None:
        # A finding of the deployment is about the context, so it points at the context.
        return {"logicalLocations": [{"name": "deployment", "fullyQualifiedName": "deployment"}],
                "physicalLocation": _context_location(report) or _model_location(
                    report.models[0].id if report.models else "openres.yaml", report)}
    return {
        "logicalLocations": [{"name": finding.model, "fullyQualifiedName": finding.model,
                              "kind": "module"}],
        "physicalLocation": _model_location(finding.model, report),
    }


def _model_location(model: str, report: Report) -> dict[str, Any]:
    found = report.locations.get(model)
    if found:
        # A scan found it: the result points at the line that loads the model.
        return _physical(found[0])
    # Code scanning rejects a result without a file, so a model named on the command line
    # points at where it was declared, or at the context file it was judged against, or
    # failing that at its own reference.
    declared = report.declared.get(model)
    if declared:
        return _artifact(*declared)
    return _context_location(report) or _artifact(model, None)


def _context_location(report: Report) -> dict[str, Any] | None:
    """The context file, or the `context:` line of openres.yaml (`openres.yaml:12`); None
    for a context given as a value (`<context>`)."""
    source = report.context_source
    if source.startswith("<"):
        return None
    path, colon, line = source.rpartition(":")
    if colon and path and line.isdigit():
        return _artifact(path, int(line))
    return _artifact(source, None)


def file_uri(path: str) -> str:
    """A file path as the URI reference SARIF requires: a space, `<`, `%`, `#`, `?`, a
    backslash or a non-ASCII letter percent-encoded (as UTF-8), `/` kept, and on Windows its
    separator made `/`. A `:` is encoded too, so no first segment reads as a URI scheme."""
    if os.sep != "/":
        path = path.replace(os.sep, "/")
    return quote(path, safe="/!$&'()*+,;=@")


def _artifact(path: str, line: int | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": file_uri(path)}}
    if line:
        physical["region"] = {"startLine": line}
    return physical


def _physical(place: dict[str, Any]) -> dict[str, Any]:
    return {"artifactLocation": {"uri": file_uri(place["path"])},
            "region": {"startLine": place["line"], "startColumn": place["column"],
                       "snippet": {"text": place["text"]}}}


class SarifReporter:
    format: ClassVar[OutputFormat] = OutputFormat.SARIF

    def render(self, report: Report, options: RenderOptions) -> str:
        gating = options.gating(report)
        rules_by_id = {c.rule.id: c.rule for p in report.policies for c in p.rules}
        shown = [f for f in report.findings if str(f.status) in _SHOWN]
        used = sorted({f.rule_id for f in shown})
        index = {rule_id: i for i, rule_id in enumerate(used)}
        run = {
            "tool": {"driver": {
                "name": "openres-check",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": _INFO_URI,
                "rules": [_rule_entry(rules_by_id[r], report.lang) for r in used],
            }},
            "invocations": [{"executionSuccessful": True,
                             "properties": {"as_of": report.as_of.isoformat(),
                                            "summary": report.summary}}],
            "results": [_result(f, index[f.rule_id], report, (f.model, f.rule_id) in gating)
                        for f in shown],
            "columnKind": "unicodeCodePoints",
        }
        document = {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [run],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
