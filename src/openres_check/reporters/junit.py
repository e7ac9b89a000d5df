"""`--format junit`: one test suite per model, one test case per rule.

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
        labels = LABELS[report.lang]
        gating = options.gating(report)
        root = ET.Element("testsuites", name="openres-check")
        total = failures = skipped = 0
        for model in report.models:
            findings = report.by_model.get(model.id, [])
            places = report.locations.get(model.id, [])
            where = ({"file": _xml(places[0]["path"]), "line": str(places[0]["line"])}
                     if places else {})
            found = [f"{labels['found_at']}: {described(p)}" for p in places]
            suite = ET.SubElement(root, "testsuite", name=_xml(model.id))
            suite_failures = suite_skipped = 0
            for finding in findings:
                status = str(finding.status)
                case = ET.SubElement(suite, "testcase", {
                    "classname": _xml(model.id),
                    "name": _xml(f"{finding.rule_id}: {finding.title}"), **where})
                # A failure is what fails the gate with these flags (a review with --strict
                # too; nothing below --fail-on, nothing the baseline already had).
                if (finding.model, finding.rule_id) in gating:
                    suite_failures += 1
                    failure = ET.SubElement(case, "failure", message=_xml(finding.message),
                                            type=f"{status}:{finding.severity}")
                    failure.text = _xml("\n".join(filter(None, [
                        finding.message, finding.remediation,
                        *(f"{e.fact} = {_value(e.value)}" + (f" ({e.source})" if e.source else "")
                          for e in finding.evidence)])))
                    if found:
                        ET.SubElement(case, "system-out").text = _xml("\n".join(found))
                elif status in ("waived", "not_applicable"):
                    suite_skipped += 1
                    ET.SubElement(case, "skipped",
                                  message=_xml(f"{labels[status]}: {finding.message}"))
                elif status in ("fail", "review"):
                    said = f"{labels[status]} ({labels[str(finding.severity)]}): {finding.message}"
                    ET.SubElement(case, "system-out").text = _xml("\n".join([said, *found]))
            suite.set("tests", str(len(findings)))
            suite.set("failures", str(suite_failures))
            suite.set("errors", "0")
            suite.set("skipped", str(suite_skipped))
            total += len(findings)
            failures += suite_failures
            skipped += suite_skipped
        root.set("tests", str(total))
        root.set("failures", str(failures))
        root.set("errors", "0")
        root.set("skipped", str(skipped))
        ET.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(
            root, encoding="unicode") + "\n"
