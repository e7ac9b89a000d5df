"""Rule documentation: what a rule checks, why it matters, an example, how to fix, references.

One renderer serves `openres-check explain RULE-ID` and the generated `docs/rules/*.md`, so
the two never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openres_check.engine.rules import CompiledPack
from openres_check.engine.templates import value_label
from openres_check.errors import InputError, Issue, Location
from openres_check.model.policy import Rule
from openres_check.reporters._labels import LABELS, category

__all__ = ["RuleRef", "find_rule", "render_rule", "render_rule_index"]

_HEADINGS = {
    "en": {
        "checks": "What it checks", "why": "Why it matters", "example": "Example",
        "fix": "How to fix", "references": "References", "pack": "Pack",
        "severity": "Severity", "category": "Category", "outcome": "Outcome",
        "obligation": "Obligation (checklist item)", "effective": "Effective",
        "confidence": "Confidence", "secondary": "secondary source",
        "fail": "fail when the condition holds", "review": "review when the condition holds",
        "attest": "Attest it in the context under `attestations.{id}` once done.",
        "index": "Rules",
        "scope": "Scope", "per_model": "each model",
        "deployment": "the deployment: it reads only the context, the parameters and the run "
                      "date, so it is decided once per run and reported once for every model",
    },
    "ja": {
        "checks": "確認内容", "why": "重要な理由", "example": "例", "fix": "対応策",
        "references": "参照", "pack": "ポリシーパック", "severity": "重大度",
        "category": "カテゴリ", "outcome": "判定", "obligation": "対応義務",
        "effective": "適用期間", "confidence": "確度", "secondary": "二次資料",
        "fail": "条件を満たすと不適合", "review": "条件を満たすと要確認",
        "attest": "対応後、コンテキストの `attestations.{id}` に"
                  "対応済みの申告（証跡）を記載してください。",
        "index": "ルール一覧",
        "scope": "判定の単位", "per_model": "モデルごと",
        "deployment": "デプロイ状況。コンテキスト、パラメータ、実行日だけを参照するため、"
                      "実行ごとに 1 回判定し、すべてのモデルに共通の結果として 1 回だけ報告します",
    },
}


@dataclass(frozen=True)
class RuleRef:
    rule: Rule
    pack: CompiledPack
    model_scoped: bool = True
    """Whether the outcome can depend on the model (`CompiledRule.model_scoped`)."""


def find_rule(rule_id: str, packs: Sequence[CompiledPack]) -> RuleRef:
    """The rule with this id. Raises `InputError` with close matches when there is none."""
    from openres_check._loading import suggest  # noqa: PLC0415

    wanted = rule_id.strip().upper()
    for pack in packs:
        for compiled in pack.rules:
            if compiled.rule.id == wanted:
                return RuleRef(compiled.rule, pack, compiled.model_scoped)
    known = [c.rule.id for p in packs for c in p.rules]
    close = suggest(wanted, known)
    raise InputError(f"unknown rule {rule_id!r}", [Issue(
        "unknown-rule", f"no selected pack has a rule {rule_id!r}", Location("<rule id>"),
        f"did you mean {', '.join(close)}?" if close
        else "run `openres-check explain --list` to see every rule")])


def render_rule(ref: RuleRef, lang: str) -> str:
    """A Markdown page for one rule in `lang`."""
    rule = ref.rule
    h = _HEADINGS[lang]
    severity = LABELS[lang][str(rule.severity)]
    lines = [f"# {rule.id}: {rule.title.get(lang)}", ""]
    lines.append(f"- {h['pack']}: `{ref.pack.id}` {ref.pack.pack.version}")
    lines.append(f"- {h['severity']}: {severity}")
    lines.append(f"- {h['category']}: {category(str(rule.category), lang)}")
    lines.append(f"- {h['outcome']}: {h['fail'] if rule.fails is not None else h['review']}")
    lines.append(f"- {h['scope']}: {h['per_model'] if ref.model_scoped else h['deployment']}")
    if rule.confidence != "verified":
        lines.append(f"- {h['confidence']}: {value_label(str(rule.confidence), lang)}")
    if rule.effective is not None and (rule.effective.from_ or rule.effective.until):
        span = f"{rule.effective.from_ or ''} – {rule.effective.until or ''}"
        lines.append(f"- {h['effective']}: {span}")
    lines.append("")
    if rule.description:
        lines += [f"## {h['checks']}", "", rule.description.get(lang), ""]
    if rule.docs and rule.docs.why:
        lines += [f"## {h['why']}", "", rule.docs.why.get(lang), ""]
    if rule.docs and rule.docs.example:
        lines += [f"## {h['example']}", "", rule.docs.example.get(lang), ""]
    if rule.obligation:
        lines += [f"## {h['obligation']}", "", rule.obligation.get(lang), "",
                  h["attest"].format(id=rule.id), ""]
    if rule.remediation:
        lines += [f"## {h['fix']}", "", rule.remediation.get(lang), ""]
    if rule.references:
        lines += [f"## {h['references']}", ""]
        lines += [f"- [{r.title}]({r.url})" + (f" ({h['secondary']})" if r.secondary else "")
                  for r in rule.references]
        lines.append("")
    return "\n".join(lines)


def render_rule_index(packs: Sequence[CompiledPack]) -> str:
    lines = ["# Rules / ルール一覧", "",
             "Generated from `policies/` by `python -m openres_check._docs docs`; do not edit.",
             ""]
    for pack in packs:
        lines += [f"## {pack.pack.title.en} / {pack.pack.title.ja} (`{pack.id}`)", "",
                  "| id | severity | title | タイトル |", "|---|---|---|---|"]
        lines += [f"| [{c.rule.id}]({c.rule.id}.md) | {c.rule.severity} | {c.rule.title.en} | "
                  f"{c.rule.title.ja} |" for c in pack.rules]
        lines.append("")
    return "\n".join(lines)
