"""`--format junit`: one test suite per model, one test case per rule, and a `deployment`
suite for the rules that read only the deployment (judged once, not per model).

A `fail` is a <failure>; `waived` and `not_applicable` are <skipped>; a `review` passes the
test case but carries its message in <system-out>, so CI dashboards show what needs a human.

When a scan found the model, each test case names the first place in its `file` and `line`
attributes (GitLab links the file; GitHub annotators read both), and an open finding lists
every place in <system-out>, which GitLab and Jenkins both show for a test case.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, ClassVar
from xml.etree import ElementTree as ET

from openres_check._text import for_display
from openres_check.reporters._labels import LABELS
from openres_check.reporters._places import described
from openres_check.reporters.interface import OutputFormat, RenderOptions

if TYPE_CHECKING:
    from typing import Any

    from openres_check.model.finding import Finding
    from openres_check.report import Report

__all__ = ["JunitReporter"]

_NOT_XML = re.compile("[\ufffe\uffff]")


def _xml(text: object) -> str:
    """Text XML 1.0 can carry: controls spelt as escapes (card text may hold any of them),
    and the two non-characters replaced."""
    return _NOT_XML.sub("\ufffd", for_display(text))


def _value(value: object) -> str:
    """A fact's value as the evidence shows it everywhere: JSON, not Python's repr."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class JunitReporter:
    format: ClassVar[OutputFormat] = OutputFormat.JUNIT

    def render(self, report: Report, options: RenderOptions) -> str:
        gating = options.gating(report)
        root = ET.Element("testsuites", name="openres-check")
        suites = [(model.id, report.by_model.get(model.id, []),
                   report.locations.get(model.id, []), False) for model in report.models]
        if report.deployment_findings:
            # The rules that read only the deployment: one suite, not a copy in every model's.
            suites.append((_DEPLOYMENT, list(report.deployment_findings), [], True))
        totals = [0, 0, 0]
        for name, findings, places, deployment in suites:
            counts = _suite(root, name, findings, places, gating, report.lang,
                            deployment=deployment)
            totals = [a + b for a, b in zip(totals, counts, strict=True)]
        root.set("tests", str(totals[0]))
        root.set("failures", str(totals[1]))
        root.set("errors", "0")
        root.set("skipped", str(totals[2]))
        ET.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(
            root, encoding="unicode") + "\n"


_DEPLOYMENT = "deployment"
"""The suite (and class name) of the deployment's findings, which also carries the property
`scope = deployment`: a model folder could have this name too."""


def _suite(root: ET.Element, name: str, findings: list[Finding], places: list[dict[str, Any]],
           gating: frozenset[tuple[str | None, str]], lang: str, *,
           deployment: bool) -> tuple[int, int, int]:
    """One test suite; returns its (tests, failures, skipped)."""
    labels = LABELS[lang]
    where = ({"file": _xml(places[0]["path"]), "line": str(places[0]["line"])}
             if places else {})
    found = [f"{labels['found_at']}: {described(p)}" for p in places]
    suite = ET.SubElement(root, "testsuite", name=_xml(name))
    if deployment:
        ET.SubElement(ET.SubElement(suite, "properties"), "property", name="scope",
                      value="deployment")
    failures = skipped = 0
    for finding in findings:
        status = str(finding.status)
        case = ET.SubElement(suite, "testcase", {
            "classname": _xml(name), "name": _xml(f"{finding.rule_id}: {finding.title}"),
            **where})
        # A failure is what fails the gate with these flags (a review with --strict
        # too; nothing below --fail-on, nothing the baseline already had).
        if (finding.model, finding.rule_id) in gating:
            failures += 1
            failure = ET.SubElement(case, "failure", message=_xml(finding.message),
                                    type=f"{status}:{finding.severity}")
            failure.text = _xml("\n".join(filter(None, [
                finding.message, finding.remediation,
                *(f"{e.fact} = {_value(e.value)}" + (f" ({e.source})" if e.source else "")
                  for e in finding.evidence)])))
            if found:
                ET.SubElement(case, "system-out").text = _xml("\n".join(found))
        elif status in ("waived", "not_applicable"):
            skipped += 1
            ET.SubElement(case, "skipped",
                          message=_xml(f"{labels[status]}: {finding.message}"))
        elif status in ("fail", "review"):
            said = f"{labels[status]} ({labels[str(finding.severity)]}): {finding.message}"
            ET.SubElement(case, "system-out").text = _xml("\n".join([said, *found]))
    suite.set("tests", str(len(findings)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    return len(findings), failures, skipped
