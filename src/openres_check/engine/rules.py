"""Compile a policy pack once; evaluate each rule against one model and one context."""

from __future__ import annotations

import functools
import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from openres_check._yaml import Document
from openres_check.engine.conditions import Compiled, Compiler
from openres_check.engine.facts import FactSchema
from openres_check.engine.scope import MISSING, Scope
from openres_check.engine.templates import Template, TemplateError, format_value
from openres_check.errors import InputError, Issue, Location
from openres_check.model.common import Localized, Reference
from openres_check.model.finding import Evidence, Finding, Status
from openres_check.model.policy import PolicyPack, Rule

__all__ = ["MODEL_ROOTS", "CompiledPack", "CompiledRule", "FactSet", "compile_pack",
           "deployment_facts"]

MODEL_ROOTS = frozenset({"model", "item"})
"""Fact roots that differ from model to model; `context`, `params` and `run` are the run's."""

LANGS = ("en", "ja")
_RUN_ROOTS = ("context", "params", "run")
"""Fact roots that are the same for every model of a run."""

_TEXT = {
    "unknown": {
        "en": "Cannot decide: these facts are unknown: {missing}. Declare them in the context "
              "or the model descriptor, then run the check again.",
        "ja": "判断できません。次の事実が不明です: {missing}。コンテキストまたはモデル記述子に"
              "記載してから、再度チェックを実行してください。",
    },
    # Titles name the problem ("Research-only license used commercially"), so a pass says
    # the problem was not found rather than repeating it as if it were the verdict.
    "pass": {"en": "Not found: {title}.", "ja": "該当なし: {title}。"},
    "settled": {"en": "Not found: {title}. Some context facts are unknown, but the rule cannot "
                      "fire for this model either way.",
                "ja": "該当なし: {title}。コンテキストの一部の事実は不明ですが、このモデルでは"
                      "いずれの場合もこのルールに該当しません。"},
    "not_applicable": {"en": "Not applicable in this context.",
                       "ja": "このコンテキストでは対象外です。"},
    "not_yet": {"en": "Not applicable before {date}, when this rule takes effect.",
                "ja": "{date}に適用が開始されるため、それより前は対象外です。"},
    "expired": {"en": "Not applicable after {date}, when this rule stopped applying.",
                "ja": "{date}に適用が終了したため、対象外です。"},
    "capped": {"en": " The deciding fact is unverified, so this is a review, not a failure.",
               "ja": "判断の根拠となる事実が未検証のため、不適合ではなく要確認としています。"},
    "attested": {"en": "Attested in the context: {evidence}",
                 "ja": "対応済みの申告（証跡）があります: {evidence}"},
}


def text(key: str, lang: str, **values: str) -> str:
    return _TEXT[key][lang].format(**values)


@dataclass(frozen=True)
class FactSet:
    """The facts one evaluation reads, prepared once per model and per run."""

    model: dict[str, Any]
    context: dict[str, Any]
    run: dict[str, Any]
    model_source: str
    context_source: str


def deployment_facts(context: dict[str, Any], run: dict[str, Any],
                     context_source: str) -> FactSet:
    """The facts of the deployment alone, for the rules that are not `model_scoped`: their
    findings name no model (`model` is None, `scope` is `deployment`)."""
    return FactSet(model={}, context=context, run=run, model_source="",
                   context_source=context_source)


@dataclass
class CompiledRule:
    rule: Rule
    pack_id: str
    applies: Compiled | None
    outcome: Compiled
    outcome_status: Status
    templates: dict[str, dict[str, Template]]

    @functools.cached_property
    def condition_facts(self) -> frozenset[str]:
        """Every fact path the rule's conditions (applies, fails or review) can read."""
        return frozenset(self._condition_facts())

    @functools.cached_property
    def facts_read(self) -> frozenset[str]:
        """Every fact path the rule can read: its conditions and every text template."""
        return self.condition_facts | frozenset(self._template_facts())

    def _condition_facts(self) -> Iterator[str]:
        from openres_check.engine.conditions import iter_facts  # noqa: PLC0415

        rule = self.rule
        for node in (rule.applies, rule.fails, rule.review):
            if node is not None:
                yield from iter_facts(node)

    def _template_facts(self) -> Iterator[str]:
        for by_lang in self.templates.values():
            for template in by_lang.values():
                yield from template.facts

    @functools.cached_property
    def model_scoped(self) -> bool:
        """Whether the outcome or a text can depend on the model.

        False only when every fact the rule reads is under `context.`, `params.` or `run.`:
        such a rule gives the same finding for every model, so a run decides it once.
        A path of any other root (`model.`, `item.`, or one that is not a fact path at all)
        counts as the model's, so an unexpected shape errs towards evaluating per model.
        """
        # Every check asks this of every rule: stop at the first model fact, which the
        # conditions of most rules name early, rather than collect them all.
        return any(fact.split(".", 1)[0] not in _RUN_ROOTS for fact in itertools.chain(
            self._condition_facts(), self._template_facts()))

    def evaluate(self, facts: FactSet, params: dict[str, Any], lang: str) -> Finding:
        return self.judge(facts, params, lang).finding()

    def judge(self, facts: FactSet, params: dict[str, Any], lang: str) -> Verdict:
        """Decide the status. Messages and evidence are built only if `finding()` is asked."""
        rule = self.rule
        scope = Scope(
            roots={"model": facts.model, "context": facts.context, "params": params,
                   "run": facts.run, "item": None},
            sources={"model": facts.model_source, "context": facts.context_source,
                     "params": _params_label(self.pack_id, lang),
                     "run": _SOURCE_LABELS[lang]["run"]},
        )
        as_of = facts.run["as_of"]
        effective = rule.effective
        if effective is not None and effective.from_ is not None \
                and as_of < effective.from_.isoformat():
            return Verdict(self, Status.NOT_APPLICABLE.value, scope, lang, "not_yet")
        if effective is not None and effective.until is not None \
                and as_of > effective.until.isoformat():
            return Verdict(self, Status.NOT_APPLICABLE.value, scope, lang, "expired")
        if self.applies is not None:
            applies = self.applies(scope)
            if applies is False:
                return Verdict(self, Status.NOT_APPLICABLE.value, scope, lang, "not_applicable")
            if applies is None:
                # Whether or not the rule applies, it cannot fire if its outcome is false.
                if self.outcome(scope) is False:
                    return Verdict(self, Status.PASS.value, scope, lang, "settled")
                return self._attested(Verdict(self, Status.REVIEW.value, scope, lang,
                                              "unknown"))
            scope.missing.clear()
        outcome = self.outcome(scope)
        if outcome is None:
            return self._attested(Verdict(self, Status.REVIEW.value, scope, lang, "unknown"))
        if outcome is False:
            return Verdict(self, Status.PASS.value, scope, lang, "pass")
        if self.outcome_status == Status.FAIL:
            if self._rests_on_unverified(scope):
                return self._attested(Verdict(self, Status.REVIEW.value, scope, lang, "match",
                                              capped=True))
            return Verdict(self, Status.FAIL.value, scope, lang, "match")
        return self._attested(Verdict(self, Status.REVIEW.value, scope, lang, "match"))

    def _attested(self, verdict: Verdict) -> Verdict:
        """An attested obligation passes, and keeps its evidence."""
        if "obligation" in self.templates:
            attested = verdict.scope.roots["context"].get("attestations", {}).get(self.rule.id)
            if attested:
                verdict.status = Status.PASS.value
                verdict.attestation = str(attested)
        return verdict

    def _rests_on_unverified(self, scope: Scope) -> bool:
        if self.rule.confidence == "unverified":
            return True
        return any(read.provenance()[1] == "unverified" for read in scope.reads)

    def _message(self, verdict: Verdict, items: list[dict[str, Any]]) -> str:
        rule, scope, lang, kind = self.rule, verdict.scope, verdict.lang, verdict.kind
        effective = rule.effective
        if kind == "not_yet" and effective is not None and effective.from_ is not None:
            return text("not_yet", lang, date=format_value(effective.from_.isoformat(), lang))
        if kind == "expired" and effective is not None and effective.until is not None:
            return text("expired", lang, date=format_value(effective.until.isoformat(), lang))
        if kind == "not_applicable":
            return text("not_applicable", lang)
        if kind == "settled":
            return text("settled", lang, title=rule.title.get(lang))
        if kind == "unknown":
            message = text("unknown", lang, missing=", ".join(verdict.missing) or "?")
        elif kind == "pass":
            message = (self.templates["pass_message"][lang].render(scope)
                       if "pass_message" in self.templates
                       else text("pass", lang, title=rule.title.get(lang)))
        else:
            message = self._each(self.templates["message"][lang], scope, items)
            if verdict.capped:
                message += text("capped", lang)
        if verdict.attestation:
            message = f"{message} {text('attested', lang, evidence=verdict.attestation)}"
        return message

    def _obligation(self, verdict: Verdict, items: list[dict[str, Any]]) -> str | None:
        if "obligation" not in self.templates:
            return None
        template = self.templates["obligation"][verdict.lang]
        if verdict.kind == "match" or verdict.attestation is not None:
            return self._each(template, verdict.scope, items)
        # Undecided, the obligation still helps if its facts are known; a pass owes nothing.
        return template.render_if_known(verdict.scope) if verdict.kind == "unknown" else None

    def _matches(self, verdict: Verdict) -> list[dict[str, Any]]:
        """Every item the rule's `some` matched, when a message speaks of the item: the first
        match decides the status, but each license in a chain may owe the obligation."""
        if verdict.kind != "match" or not any(
                fact.startswith("item.") for name in ("message", "obligation")
                if name in self.templates for fact in self.templates[name][verdict.lang].facts):
            return []
        scope = Scope(roots={**verdict.scope.roots, "item": None},
                      sources=verdict.scope.sources, matches=[])
        self.outcome(scope)
        return scope.matches or []

    @staticmethod
    def _each(template: Template, scope: Scope, items: list[dict[str, Any]]) -> str:
        if len(items) < 2:  # noqa: PLR2004 - one match reads as the judged scope has it
            return template.render(scope)
        saved, texts = scope.bound, []
        try:
            for item in items:
                scope.bound = item
                rendered = template.render(scope)
                if rendered not in texts:
                    texts.append(rendered)
        finally:
            scope.bound = saved
        return ("" if template.lang == "ja" else " ").join(texts)

    def build(self, verdict: Verdict) -> Finding:
        rule, scope, lang, status = self.rule, verdict.scope, verdict.lang, verdict.status
        items = self._matches(verdict)
        obligation = self._obligation(verdict, items)
        remediation = (self.templates["remediation"][lang].render(scope)
                       if "remediation" in self.templates and status in ("fail", "review")
                       else None)
        bound_via = scope.bound.get("via") if scope.bound else None
        model = scope.roots["model"].get("id")
        # NOTE: built with model_construct: every value here is ours and already of the
        # field's type, and validating ~60 findings per model would dominate a bulk run.
        fields: dict[str, Any] = {
            "rule_id": rule.id,
            "policy_id": self.pack_id,
            "model": None if model is None else str(model),
            "scope": "deployment" if model is None else "model",
            "status": status,
            "severity": str(rule.severity),
            "category": str(rule.category),
            "title": rule.title.get(lang),
            "message": self._message(verdict, items),
            "evidence": _evidence(scope),
            "obligation": obligation,
            "attestation": verdict.attestation,
            "remediation": remediation,
            "references": [r.in_lang(lang) for r in _references(rule, scope)],
            "via": list(bound_via) if isinstance(bound_via, list) and len(bound_via) > 1
            else [],
            "missing": verdict.missing,
            "waiver": None,
        }
        return Finding.model_construct(**fields)


@dataclass(slots=True)
class Verdict:
    """A rule's decision for one model, before any text is written."""

    rule: CompiledRule
    status: str
    scope: Scope
    lang: str
    kind: str
    """not_yet, expired, not_applicable, settled, unknown, pass or match."""
    capped: bool = False
    attestation: str | None = None
    missing: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.kind == "unknown":
            self.missing = sorted(set(self.scope.missing))

    @property
    def severity(self) -> str:
        return str(self.rule.rule.severity)

    def finding(self) -> Finding:
        return self.rule.build(self)


# Where a value came from when it is no file: a pack's parameter, or the run's date.
_SOURCE_LABELS = {
    "en": {"params": "policy {pack}", "run": "the run date (--as-of, or today)"},
    "ja": {"params": "ポリシー {pack} のパラメータ", "run": "実行日（--as-of の指定、または当日）"},
}


@functools.cache
def _params_label(pack_id: str, lang: str) -> str:
    return _SOURCE_LABELS[lang]["params"].format(pack=pack_id)


def _references(rule: Rule, scope: Scope) -> list[Reference]:
    """The clauses that decided, when the rule judged a license of the chain; else the rule's.

    A rule's own references name example licenses (Llama, Qwen); for a finding about Gemma,
    the Gemma clause the evidence was read from is the legal basis to cite.
    """
    name = scope.bound.get("name") if scope.bound else None
    if not name or "license" not in scope.bound:
        return list(rule.references)
    clauses: dict[str, Reference] = {}
    for read in scope.reads:
        source = read.provenance()[0] if read.root == "item" else None
        if not source or not source.startswith(("https://", "http://")) or source in clauses:
            continue
        url, _, section = source.partition(" §")
        if section:  # a clause; a license's general source says nothing about this rule
            clauses[source] = Reference.model_construct(title=f"{name} §{section}", url=url,
                                                        secondary=False)
    return list(clauses.values()) or list(rule.references)


def _evidence(scope: Scope) -> list[Evidence]:
    seen: dict[str, Evidence] = {}
    for read in scope.reads:
        dotted = ".".join(read.parts)
        if read.root == "item":
            name = f"{read.item_label}.{dotted}" if dotted else str(read.item_label)
        else:
            name = f"{read.root}.{dotted}" if dotted else read.root
        if name in seen:
            continue
        value = None if read.value is None or repr(read.value) in ("MISSING", "ABSENT") \
            else read.value
        if isinstance(value, (dict, list)) and len(repr(value)) > 200:  # noqa: PLR2004
            value = f"<{type(value).__name__} of {len(value)}>"
        # A fact nobody recorded has no source to cite; an absent clause is the document's.
        source = None if read.value is MISSING else read.provenance()[0]
        seen[name] = Evidence.model_construct(fact=name, value=value, source=source)
    return list(seen.values())


@dataclass
class CompiledPack:
    pack: PolicyPack
    source: str
    sha256: str
    rules: list[CompiledRule] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.pack.pack


def _localized_templates(value: Localized, path: tuple[str | int, ...],
                         problems: list[tuple[tuple[str | int, ...], str]]) -> dict[str, Template]:
    out = {}
    for lang in LANGS:
        template = _template(value.get(lang), lang, (*path, lang), problems)
        if template is not None:
            out[lang] = template
    return out


def _template(text: str, lang: str, path: tuple[str | int, ...],
              problems: list[tuple[tuple[str | int, ...], str]]) -> Template | None:
    try:
        return Template(text, lang)
    except TemplateError as exc:
        problems.append((path, str(exc)))
        return None


def compile_pack(pack: PolicyPack, doc: Document, raw: bytes,
                 check_facts: bool = True) -> CompiledPack:
    """Compile every rule of `pack`. Raises `InputError` listing every problem, located."""
    schema = FactSchema(pack.params) if check_facts else None
    compiler = Compiler(pack.sets, schema)
    compiled = CompiledPack(pack=pack, source=doc.source,
                            sha256=hashlib.sha256(raw).hexdigest())
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    for index, rule in enumerate(pack.rules):
        base: tuple[str | int, ...] = ("rules", index)
        if rule.id in seen:
            issues.append(Issue("duplicate-rule-id", f"rule id {rule.id!r} is used twice "
                                f"(first as rules[{seen[rule.id]}])",
                                doc.locate((*base, "id")), "give each rule its own id"))
        seen.setdefault(rule.id, index)
        compiler.errors.clear()
        applies = (compiler.compile(rule.applies, (*base, "applies"))
                   if rule.applies is not None else None)
        key = "fails" if rule.fails is not None else "review"
        outcome = compiler.compile(rule.fails if rule.fails is not None else rule.review,
                                   (*base, key))
        problems: list[tuple[tuple[str | int, ...], str]] = []
        templates = {"message": _localized_templates(rule.message, (*base, "message"), problems)}
        for name in ("pass_message", "obligation", "remediation"):
            value = getattr(rule, name)
            if value is not None:
                templates[name] = _localized_templates(value, (*base, name), problems)
        issues.extend(
            Issue(err.code, err.message, _locate(doc, err.path), err.hint)
            for err in compiler.errors
        )
        issues.extend(Issue("bad-template", message, _locate(doc, path))
                      for path, message in problems)
        compiled.rules.append(CompiledRule(
            rule=rule, pack_id=pack.pack, applies=applies, outcome=outcome,
            outcome_status=Status.FAIL if rule.fails is not None else Status.REVIEW,
            templates=templates,
        ))
    if issues:
        raise InputError(f"{doc.source}: the policy pack {pack.pack!r} has "
                         f"{len(issues)} problem{'s' if len(issues) != 1 else ''}", issues)
    return compiled


def _locate(doc: Document, path: tuple[str | int, ...]) -> Location:
    return doc.locate(path)
