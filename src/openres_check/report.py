"""The result of one run: findings plus everything needed to reproduce and audit them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from openres_check._version import __version__
from openres_check._yaml import read_file
from openres_check.engine.rules import CompiledPack
from openres_check.engine.waivers import WaiverNote
from openres_check.errors import InputError, Issue, Location
from openres_check.lineage import ResolvedModel
from openres_check.model.context import Context
from openres_check.model.finding import Finding, Status
from openres_check.model.policy import Severity

__all__ = ["FAIL_ON_CHOICES", "SCHEMA_VERSION", "Report", "Verdict", "load_baseline",
           "severity_rank", "sort_key"]

SCHEMA_VERSION = "2.0"
"""2.0: a rule that reads only the deployment is reported once (`model` null, `scope`
`deployment`), not under every model; 1.0 repeated it per model."""
FAIL_ON_CHOICES = ("critical", "high", "medium", "low", "info", "never")
_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}
Pairs = frozenset[tuple[str, str]]
"""(model id, rule id) pairs, such as those a baseline had as fail or review."""


def severity_rank(severity: str) -> int:
    return _RANK[severity]


def sort_key(finding: Finding) -> tuple[bool, str, int, str]:
    """Model, then severity (worst first), then rule id: the contract's order. The findings
    of the deployment (no model) come after every model's, in every format."""
    model = finding.model
    return (model is None, "" if model is None else model.lower(),
            -_RANK[str(finding.severity)], finding.rule_id)


@dataclass(frozen=True)
class Verdict:
    """The one-line answer for one model: may it be used as declared?

    `blocked`: a finding fails the gate (`--fail-on`, and with `--strict` a review too);
    `conditional`: no finding fails the gate but fail or review findings remain open, so the
    model may be used once they are done (unknown facts never give `usable`);
    `usable`: nothing is open (waived findings are closed by their approval).
    """

    decision: str
    deciding: tuple[Finding, ...]
    """The findings that decided it: those failing the gate, or, when none does, the open ones."""
    open_items: int
    """Fail and review findings of the model, whatever their severity."""

    def to_dict(self) -> dict[str, Any]:
        return {"decision": self.decision, "open_items": self.open_items,
                "deciding": [f.rule_id for f in self.deciding]}


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    models: tuple[ResolvedModel, ...]
    policies: tuple[CompiledPack, ...]
    context: Context
    context_source: str
    as_of: dt.date
    lang: str
    waivers: tuple[WaiverNote, ...] = ()
    generated_at: str | None = None
    catalog_version: str = __version__
    baseline: Pairs | None = None
    """(model, rule id) pairs that an earlier report already had as fail or review; None when
    the run had no baseline."""
    declared: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    """Where each model was declared (file, line), e.g. in openres.yaml, by model id."""
    locations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Where a scan found each model, by model id: `{path, line, column, text}` entries."""
    warnings: tuple[str, ...] = ()
    """Files a scan could not read as what they looked like (`path:line: message`)."""
    shared: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """By model id, the rule ids of the deployment findings (`deployment_findings`) that
    apply to the model. A model judged a deployment rule on its own (a waiver names it, or
    its context differs) has its own finding for it instead."""

    @cached_property
    def summary(self) -> dict[str, int]:
        """Each finding counted once: a deployment finding once, not once per model."""
        return _summary(self.findings)

    @cached_property
    def by_model(self) -> dict[str, list[Finding]]:
        """Each model's own findings (the deployment's are in `deployment_findings`)."""
        grouped: dict[str, list[Finding]] = {m.id: [] for m in self.models}
        for finding in self.findings:
            if finding.model is not None:
                grouped.setdefault(finding.model, []).append(finding)
        return grouped

    @cached_property
    def deployment_findings(self) -> tuple[Finding, ...]:
        """The findings of the rules that read only the deployment (context, parameters, run
        date): judged once, the same for every model, with `model` None."""
        return tuple(f for f in self.findings if f.model is None)

    def findings_for(self, model_id: str) -> list[Finding]:
        """Every finding that applies to `model_id`: its own and the deployment's it shares,
        in the contract's order (severity, then rule id)."""
        findings = [*self.by_model.get(model_id, []), *self.shared_findings(model_id)]
        return sorted(findings, key=lambda f: (-_RANK[str(f.severity)], f.rule_id))

    def shared_findings(self, model_id: str) -> list[Finding]:
        """The deployment findings that apply to `model_id`."""
        shared = self.shared.get(model_id, frozenset())
        return [f for f in self.deployment_findings if f.rule_id in shared]

    def sharing(self, rule_id: str) -> list[str]:
        """The ids of the models the deployment finding of `rule_id` applies to."""
        return [m.id for m in self.models if rule_id in self.shared.get(m.id, ())]

    def deployment_except(self, model_id: str) -> list[str]:
        """Rule ids of the deployment findings that do not apply to `model_id`."""
        shared = self.shared.get(model_id, frozenset())
        return [f.rule_id for f in self.deployment_findings if f.rule_id not in shared]

    @cached_property
    def context_sha256(self) -> str:
        canonical = json.dumps(self.context.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()

    @cached_property
    def stray_attestations(self) -> dict[str, str | None]:
        """Attestation keys that name no rule of the run, each with the rule id it most
        resembles: a misspelt key would otherwise leave its obligation open, silently."""
        import difflib  # noqa: PLC0415 - only when a context has attestations

        known = [r.rule.id for pack in self.policies for r in pack.rules]
        return {key: next(iter(difflib.get_close_matches(key, known, n=1)), None)
                for key in self.context.attestations if key not in known}

    def gating(self, fail_on: str = "high", strict: bool = False) -> list[Finding]:
        """The findings that make the gate fail."""
        return [f for f in self.findings
                if _gates(f, fail_on, strict) and not self.in_baseline(f)]

    def verdict(self, model_id: str, fail_on: str = "high", strict: bool = False) -> Verdict:
        """Whether `model_id` may be used as declared, with the gate's flags.

        A baseline quiets the gate for findings it already had; it does not make them done, so
        the verdict reads the findings themselves.
        """
        findings = self.findings_for(model_id)
        open_items = tuple(f for f in findings if str(f.status) in ("fail", "review"))
        blocking = tuple(f for f in open_items if _gates(f, fail_on, strict))
        if blocking:
            return Verdict("blocked", blocking, len(open_items))
        if open_items:
            return Verdict("conditional", open_items, len(open_items))
        return Verdict("usable", (), 0)

    def in_baseline(self, finding: Finding) -> bool:
        """Whether the baseline had the finding; a deployment finding stands for each model
        it applies to, so it is known only when the baseline had it for each of them."""
        if self.baseline is None:
            return False
        if finding.model is not None:
            return (finding.model, finding.rule_id) in self.baseline
        return all((model, finding.rule_id) in self.baseline
                   for model in self.sharing(finding.rule_id))

    def is_new(self, finding: Finding) -> bool:
        """A fail or review that the baseline did not have (False when there is no baseline)."""
        return (self.baseline is not None and str(finding.status) in ("fail", "review")
                and not self.in_baseline(finding))

    def exit_code(self, fail_on: str = "high", strict: bool = False) -> int:
        """0 when nothing at or above `fail_on` fails, else 1 (the CLI's gate, as a value)."""
        return 1 if self.gating(fail_on, strict) else 0

    def worst_severity(self) -> Severity | None:
        failing = [f for f in self.findings if f.status == Status.FAIL]
        if not failing:
            return None
        return Severity(max(failing, key=lambda f: _RANK[str(f.severity)]).severity)

    def to_dict(self, fail_on: str = "high", strict: bool = False) -> dict[str, Any]:
        """The JSON document (DESIGN §5); validates against schemas/report.schema.json.

        `fail_on` and `strict` are the gate's flags, which decide each model's verdict.
        """
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "openres-check", "version": __version__},
            "as_of": self.as_of.isoformat(),
            "lang": self.lang,
            "context": self.context.model_dump(mode="json", exclude_none=True),
            "policies": [{"id": p.id, "version": p.pack.version, "sha256": p.sha256}
                         for p in self.policies],
            "models": [{**_model_info(m),
                        "verdict": self.verdict(m.id, fail_on, strict).to_dict(),
                        **({"deployment_except": excepted}
                           if (excepted := self.deployment_except(m.id)) else {}),
                        **({"locations": self.locations[m.id]} if m.id in self.locations
                           else {})}
                       for m in self.models],
            "findings": [f.to_dict() for f in self.findings],
            "summary": self.summary,
            "deployment": {"summary": _summary(self.deployment_findings),
                           "rules": [f.rule_id for f in self.deployment_findings]},
            "waivers": [note.to_dict() for note in self.waivers],
        }

    def to_json(self, indent: int | None = 2, *, fail_on: str = "high",
                strict: bool = False) -> str:
        from openres_check._text import for_json  # noqa: PLC0415

        document = self.to_dict(fail_on, strict)
        return for_json(json.dumps(document, ensure_ascii=False, indent=indent)) + "\n"


def _summary(findings: tuple[Finding, ...]) -> dict[str, int]:
    counts = Counter(str(f.status) for f in findings)
    return {status.value: counts.get(status.value, 0) for status in Status}


def _gates(finding: Finding, fail_on: str, strict: bool) -> bool:
    """Whether the finding fails the gate with these flags, baseline aside."""
    if fail_on == "never":
        return False
    statuses = ("fail", "review") if strict else ("fail",)
    return str(finding.status) in statuses and _RANK[str(finding.severity)] >= _RANK[fail_on]


# A JSON report of a large inventory; far beyond any single-project report.
_MAX_BASELINE = 256 * 1024 * 1024


def load_baseline(path: str | Path) -> Pairs:
    """The (model, rule id) pairs an earlier JSON report had as fail or review.

    A deployment finding (schema 2.0) counts for every model of that report that its
    `deployment_except` does not exclude, as a 1.0 report listed it under each.
    Raises `InputError` when the file is not a report written by `--format json`.
    """
    source = str(path)
    raw = read_file(Path(path), _MAX_BASELINE, source)
    try:
        document = json.loads(raw.decode("utf-8"))
        open_ = [f for f in document["findings"] if f.get("status") in ("fail", "review")]
        pairs = {(str(f["model"]), str(f["rule_id"])) for f in open_
                 if f.get("model") is not None}
        deployment = {str(f["rule_id"]) for f in open_ if f.get("model") is None}
        if deployment:
            for model in document["models"]:
                excepted = set(model.get("deployment_except") or ())
                pairs.update((str(model["id"]), rule) for rule in deployment - excepted)
        return frozenset(pairs)
    except RecursionError:
        problem = "not a JSON report from openres-check (it nests too deeply)"
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        problem = f"not a JSON report from openres-check ({type(exc).__name__}: {exc})"
    raise InputError(f"cannot use the baseline {source}", [Issue(
        "bad-baseline", problem, Location(source),
        "write one with `openres-check check ... --format json --output baseline.json`")])


def _model_info(model: ResolvedModel) -> dict[str, Any]:
    facts = model.facts
    return {
        "id": model.id,
        "source": model.origin,
        "licenses": {k: v.license for k, v in model.descriptor.licenses.items()},
        "lineage": [{"base": c["base"], "relation": c["relation"], "resolved": c["resolved"],
                     "depth": c["depth"]} for c in facts["lineage_chain"]],
        "effective_terms": [{"license": t["license"], "component": t["component"],
                             "known": t["known"], "via": t["via"]}
                            for t in facts["effective_terms"]],
        "license_files": [{"path": f["path"], "sha256": f["sha256"], "role": f["role"],
                           "identified": f.get("identified"), "confidence": f["confidence"]}
                          for f in facts.get("license_files", [])],
    }
