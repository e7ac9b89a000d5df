"""Policy test cases: models plus a context, and the status each rule must give.

Like `opa test` or `kyverno test`, a case file sits beside a pack and pins its behaviour:

```yaml
pack: license                  # bundled pack name, or a path relative to this file
cases:
  - name: research-only Qwen used commercially fails
    model: Qwen/Qwen2.5-3B-Instruct      # or `descriptor:` with an inline descriptor
    context: {use: {commercial: true}}
    discovery: {resolved: false, ...}    # optional: how a scan found it (model.discovery)
    as_of: 2026-01-01                    # optional
    expect: {LIC-RESEARCH-ONLY: fail}
```
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from openres_check._loading import validate_document
from openres_check._yaml import Document, load_yaml
from openres_check.api import evaluate
from openres_check.catalog import Catalog, validate_part
from openres_check.engine.rules import CompiledPack
from openres_check.errors import InputError, Issue
from openres_check.lineage import resolve_model
from openres_check.model.common import Frozen
from openres_check.model.context import Context
from openres_check.model.descriptor import ModelDescriptor
from openres_check.model.finding import Finding, Status
from openres_check.policies import load_policy

__all__ = ["CaseFile", "CaseResult", "PackCoverage", "load_case_file", "run_case_file"]

POSITIVE = frozenset({"fail", "review"})
NEGATIVE = frozenset({"pass", "not_applicable"})


class Case(Frozen):
    name: str
    model: str | None = None
    descriptor: dict[str, Any] | None = None
    context: dict[str, Any] = Field(default_factory=dict)
    as_of: dt.date | None = None
    lang: Literal["en", "ja"] = "en"
    params: dict[str, Any] = Field(default_factory=dict)
    discovery: dict[str, Any] | None = None
    expect: dict[str, Status]

    @model_validator(mode="after")
    def _one_model(self) -> Case:
        if (self.model is None) == (self.descriptor is None):
            msg = "a case needs exactly one of `model` or `descriptor`"
            raise ValueError(msg)
        return self


class CaseFile(Frozen):
    pack: str
    cases: list[Case] = Field(min_length=1)


@dataclass(frozen=True)
class CaseResult:
    name: str
    mismatches: tuple[tuple[str, str, str], ...]
    """(rule id, expected status, actual status) for each rule that did not behave."""
    messages: dict[str, str] = field(default_factory=dict)
    decided: frozenset[str] = frozenset()
    """Rules this case settled on facts: matched with nothing missing, or passed (or fell out
    of scope) without an attestation. Only these count towards coverage."""

    @property
    def ok(self) -> bool:
        return not self.mismatches


@dataclass(frozen=True)
class PackCoverage:
    """Which rules have both a positive (fail/review) and a negative (pass/n.a.) case, each
    decided by the rule's condition rather than by missing facts or an attestation."""

    pack: str
    positive: frozenset[str]
    negative: frozenset[str]
    rules: tuple[str, ...]

    def uncovered(self) -> list[str]:
        return [r for r in self.rules if r not in self.positive or r not in self.negative]


def load_case_file(path: Path) -> CaseFile:
    return validate_document(CaseFile, load_yaml(path), "policy test file")


def _relocate(exc: InputError, doc: Document, at: tuple[str | int, ...],
              reference: str) -> InputError:
    """`exc` with the issues that point at `reference` (a name given in the case file, not a
    file of its own) moved to where the case file gives it."""
    return InputError(exc.message, [
        Issue(i.code, i.message, doc.locate((*at, *i.location.path)), i.hint)
        if i.location.source == reference else i for i in exc.issues])


def _pack_for(case_file: CaseFile, path: Path, doc: Document) -> CompiledPack:
    candidate = path.parent / case_file.pack
    try:
        return load_policy(candidate if candidate.is_file() else case_file.pack)
    except InputError as exc:
        raise _relocate(exc, doc, ("pack",), case_file.pack) from None


def run_case_file(path: Path, catalog: Catalog) -> tuple[list[CaseResult], PackCoverage]:
    """Run every case of one file. Raises `InputError` when the file or a case is invalid."""
    doc = load_yaml(path)
    case_file = validate_document(CaseFile, doc, "policy test file")
    pack = _pack_for(case_file, path, doc)
    rule_ids = {r.rule.id for r in pack.rules}
    constant = frozenset(r.rule.id for r in pack.rules
                         if (r.rule.fails if r.rule.fails is not None else r.rule.review) is True)
    results = []
    positive: set[str] = set()
    negative: set[str] = set()
    for index, case in enumerate(case_file.cases):
        unknown = sorted(set(case.expect) - rule_ids)
        if unknown:
            raise InputError(f"{path}: case {case.name!r} names unknown rules", [Issue(
                "unknown-rule", f"{', '.join(unknown)} not in pack {pack.id}",
                doc.locate(("cases", index, "expect", unknown[0])))])
        result = _run_case(case, pack, catalog, doc, ("cases", index), constant)
        results.append(result)
        for rule_id, status in case.expect.items():
            if rule_id in result.decided:
                (positive if str(status) in POSITIVE else negative).add(rule_id)
    coverage = PackCoverage(pack.id, frozenset(positive), frozenset(negative),
                            tuple(sorted(rule_ids)))
    return results, coverage


def _run_case(case: Case, pack: CompiledPack, catalog: Catalog, doc: Document,
              at: tuple[str | int, ...], constant: frozenset[str]) -> CaseResult:
    """`constant`: the pack's rules whose outcome is always true (only their scope varies)."""
    of_case = f"in case {case.name!r}"
    context = validate_part(Context, case.context, doc, (*at, "context"), f"context {of_case}")
    if case.descriptor is not None:
        descriptor = validate_part(ModelDescriptor, case.descriptor, doc, (*at, "descriptor"),
                                   f"model descriptor {of_case}")
        resolved = resolve_model(descriptor, f"{doc.source}: {case.name}", catalog)
    else:
        try:
            entry = catalog.get(str(case.model))
        except InputError as exc:
            raise _relocate(exc, doc, (*at, "model"), "<model reference>") from None
        resolved = resolve_model(entry.descriptor, entry.origin, catalog)
    if case.discovery is not None:
        resolved.facts["discovery"] = case.discovery
    as_of = case.as_of or dt.date(2026, 1, 1)
    try:
        findings = evaluate([resolved], context, [pack], as_of, case.lang, params=case.params)
    except InputError as exc:
        raise _relocate(exc, doc, (*at, "params"), "params") from None
    actual = {f.rule_id: f for f in findings}
    mismatches = tuple(
        (rule_id, str(expected), str(actual[rule_id].status))
        for rule_id, expected in sorted(case.expect.items())
        if str(actual[rule_id].status) != str(expected)
    )
    messages = {rule_id: actual[rule_id].message for rule_id, _e, _a in mismatches}
    decided = frozenset(rule_id for rule_id in case.expect
                        if _settled(actual[rule_id], rule_id in constant))
    return CaseResult(case.name, mismatches, messages, decided)


def _settled(finding: Finding, constant_outcome: bool) -> bool:
    """Whether the finding shows the rule's condition at work. A review for missing facts or a
    pass by attestation does not; nor does "not applicable", unless the rule's outcome is
    constant and its scope is all there is to test."""
    status = str(finding.status)
    if status in POSITIVE:
        return not finding.missing
    if status == "not_applicable":
        return constant_outcome
    return status == "pass" and not finding.attestation


def case_files(folders: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for folder in folders:
        if folder.is_file():
            found.append(folder)
        elif folder.is_dir():
            found.extend(sorted(folder.glob("*.yaml")))
    return found
