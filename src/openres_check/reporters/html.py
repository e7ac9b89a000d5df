"""`--format html`: a self-contained, printable audit report a compliance officer can sign.

Rendered with Jinja2 and autoescaping: every string from data (cards, descriptors, context,
policies) is escaped, and a Content-Security-Policy forbids scripts and external assets, so
hostile card text can neither run nor load anything.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import TYPE_CHECKING, Any, ClassVar

from openres_check._version import __version__
from openres_check.engine.templates import free_text, value_label
from openres_check.reporters._labels import (
    DECIDING_SHOWN,
    LABELS,
    category,
    finding_anchor,
    relation,
    verdict_line,
)
from openres_check.reporters._places import place
from openres_check.reporters._svg import Figure, bar_chart, lineage_tree
from openres_check.reporters.interface import OutputFormat, RenderOptions

if TYPE_CHECKING:
    from openres_check.lineage import ResolvedModel
    from openres_check.report import Report

__all__ = ["CONTRAST_PAIRS", "PALETTE", "HtmlReporter", "category_chart", "lineage",
           "severity_chart"]

SEVERITIES = ("critical", "high", "medium", "low", "info")
STATUSES = ("fail", "review", "waived", "pass", "not_applicable")

TEXT = {
    "en": {
        "title": "Open-model adoption audit report", "product": "Product",
        "organization": "Organization", "generated": "Generated", "summary": "Summary",
        "by_severity": "Findings by severity", "by_category": "Findings by category",
        "models": "Models", "findings": "Findings", "checklist": "Obligations checklist",
        "waivers": "Waivers", "provenance": "Provenance", "signature": "Approval",
        "approved": "Approved by", "date": "Date", "signature_line": "Signature",
        "rule": "Rule", "status": "Status", "severity": "Severity", "category": "Category",
        "model": "Model", "message": "Finding", "no_findings": "No findings.",
        "license_chain": "License chain and lineage", "component": "Component",
        "license": "License", "via": "Via", "tool": "Tool", "packs": "Policy packs",
        "catalog": "Catalog version", "context_hash": "Context SHA-256",
        "context_file": "Context file", "as_of": "As-of date", "reason": "Reason",
        "expires": "Expires", "state": "State", "attested": "Attested evidence",
        "open": "open", "done": "done", "none": "none", "relation": "Relation",
        "security": "Artifact security", "file": "File", "format": "Format",
        "size": "Bytes", "issue": "Issue", "revision": "Revision", "more_files": "more files",
        "lock": "Lock file", "change": "Change",
        "no_issues": "No security issue was found in the files.",
        "hidden": "Passed and not-applicable rules are listed in the JSON report.",
        "disclaimer": "This report gives information, not legal advice. Every fact carries "
                      "its source so that it can be checked.",
        "verdicts": "Verdict per model",
        "gate": "Decided with the gate of this run: fail findings of severity {level} or "
                "above{strict} make a model unusable as declared; every other fail or review "
                "finding is an item to be done.",
        "gate_strict": ", and with --strict review findings too",
        "gate_never": "Decided with --fail-on never: no finding blocks a model; every fail "
                      "or review finding is an item to be done.",
        "severity_chart_desc": "Fail, review and waived findings per severity. ",
        "category_chart_desc": "Fail, review and waived findings per category. ",
        "inherited": "terms inherited", "not_inherited": "terms not inherited",
        "legend_inherited": "the base's terms carry to the model above",
        "legend_not_inherited": "they do not carry",
        "legend_arrow": "Each arrow runs from a base model to the model built on it.",
        "edge_desc": "{model} ← {base} ({relation}): {terms}.",
        "no_bases": "{model} has no recorded base model.",
        "why_inherited": "The terms of {base} ({license}) pass down to {model} through "
                         "{relation}: their obligations apply to {model} as well.",
        "why_not": "The terms of {base} ({license}) do not pass down to {model}: the catalog "
                   "records that the licensor of {base} itself released {model} under its "
                   "own terms ({own}).",
        "why_unknown": "{base} is not in the catalog, so the terms it passes to {model} are "
                       "unknown and need review.",
        "catalog_note": "Catalog note",
        "unresolved": "not in catalog", "desc_join": "; ",
    },
    "ja": {
        "title": "オープンモデル導入 監査レポート", "product": "製品", "organization": "組織",
        "generated": "生成日時", "summary": "集計", "by_severity": "重大度別の検出事項",
        "by_category": "カテゴリ別の検出事項", "models": "モデル", "findings": "検出事項",
        "checklist": "対応義務チェックリスト", "waivers": "例外承認",
        "provenance": "生成情報（来歴）", "signature": "承認", "approved": "承認者",
        "date": "日付", "signature_line": "署名", "rule": "ルール", "status": "判定",
        "severity": "重大度", "category": "カテゴリ", "model": "モデル",
        "message": "検出事項", "no_findings": "検出事項はありません。",
        "license_chain": "ライセンスの連鎖と派生関係（系譜）", "component": "構成要素",
        "license": "ライセンス", "via": "経路", "tool": "ツール", "packs": "ポリシーパック",
        "catalog": "カタログのバージョン", "context_hash": "コンテキストの SHA-256",
        "context_file": "コンテキストファイル", "as_of": "基準日", "reason": "理由",
        "expires": "有効期限", "state": "状態", "attested": "対応済みの申告（証跡）",
        "open": "未対応", "done": "対応済み", "none": "なし", "relation": "関係",
        "security": "モデルファイルのセキュリティ", "file": "ファイル", "format": "形式",
        "size": "バイト数", "issue": "検出内容", "revision": "リビジョン",
        "more_files": "件のファイル（省略）", "lock": "ロックファイル", "change": "変更",
        "no_issues": "ファイルにセキュリティ上の問題は見つかりませんでした。",
        "hidden": "適合・対象外のルールは JSON レポートに記載されています。",
        "disclaimer": "本レポートは情報提供を目的とするもので、法的助言ではありません。"
                      "各事実には確認できるよう出典を付しています。",
        "verdicts": "モデルごとの結論",
        "gate": "この実行の判定基準で決めています。重大度「{level}」以上の不適合{strict}"
                "があるモデルは申告どおりに利用できません。それ以外の不適合・要確認は"
                "対応が必要な項目です。",
        "gate_strict": "（--strict のため要確認も含む）",
        "gate_never": "--fail-on never で決めています。利用を妨げる検出事項はなく、"
                      "不適合・要確認はすべて対応が必要な項目です。",
        "severity_chart_desc": "重大度ごとの不適合・要確認・例外承認済みの件数。",
        "category_chart_desc": "カテゴリごとの不適合・要確認・例外承認済みの件数。",
        "inherited": "継承される条件あり", "not_inherited": "継承される条件なし",
        "legend_inherited": "ベースモデルの条件が上のモデルに継承される",
        "legend_not_inherited": "継承されない",
        "legend_arrow": "矢印はベースモデルから、それを基に作られたモデルへ向かいます。",
        "edge_desc": "{model} ← {base}（{relation}）: {terms}。",
        "no_bases": "{model} にはベースモデルの記録がありません。",
        "why_inherited": "{base} のライセンス（{license}）の条件は、{relation}によって "
                         "{model} に継承されます。その対応義務は {model} にも及びます。",
        "why_not": "{base} のライセンス（{license}）の条件は {model} に継承されません。"
                   "{base} のライセンサー自身が {model} を独自の条件（{own}）で公開している"
                   "ことがカタログに記録されています。",
        "why_unknown": "{base} はカタログ未登録のため、{model} に継承される条件は不明です。"
                       "要確認です。",
        "catalog_note": "カタログの注記",
        "unresolved": "カタログ未登録", "desc_join": "、",
    },
}

PALETTE = {
    "ink": "#101828", "muted": "#475467", "paper": "#ffffff", "shade": "#f9fafb",
    "line": "#d0d5dd", "fail": "#b42318", "review": "#b54708", "waived": "#175cd3",
    "pass": "#067647", "na": "#667085", "edge": "#667085",
    "fail_bg": "#fef3f2", "review_bg": "#fffaeb", "pass_bg": "#ecfdf3",
}
"""Every colour the report uses. `line` only draws table rules and box outlines, which
carry no information (WCAG 1.4.11 exempts them)."""

CONTRAST_PAIRS = (
    # (foreground, background, minimum ratio): 4.5 for text (WCAG 1.4.3 AA), 3 for the
    # graphics that carry information (1.4.11: bars, arrows, node outlines).
    ("ink", "paper", 4.5), ("ink", "shade", 4.5), ("muted", "paper", 4.5),
    ("muted", "shade", 4.5), ("paper", "fail", 4.5), ("paper", "review", 4.5),
    ("paper", "waived", 4.5), ("paper", "pass", 4.5), ("paper", "na", 4.5),
    ("ink", "fail_bg", 4.5), ("ink", "review_bg", 4.5), ("ink", "pass_bg", 4.5),
    ("fail", "fail_bg", 4.5), ("review", "review_bg", 4.5), ("pass", "pass_bg", 4.5),
    ("fail", "paper", 4.5), ("waived", "paper", 4.5),
    ("fail", "paper", 3), ("review", "paper", 3), ("waived", "paper", 3),
    ("edge", "paper", 3), ("ink", "paper", 3),
)

def _date(value: str, lang: str) -> str:
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{day.year}年{day.month}月{day.day}日" if lang == "ja" else day.isoformat()


def _moment(value: str | None, lang: str) -> str:
    """A generation timestamp: ISO in English, 年月日 and the UTC time in Japanese."""
    if not value or lang != "ja" or len(value) < 16:  # noqa: PLR2004 - YYYY-MM-DDTHH:MM
        return value or "—"
    return f"{_date(value, lang)} {value[11:16]} UTC"


def _value(value: Any) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


_WEIGHT = {"critical": 1.0, "high": 0.8, "medium": 0.55, "low": 0.3, "info": 0.1}
"""Bar thickness per severity row: info items may be many, but they weigh least."""


def severity_chart(report: Report) -> Figure:
    labels, text = LABELS[report.lang], TEXT[report.lang]
    counts = {s: Counter(str(f.status) for f in report.findings if str(f.severity) == s)
              for s in SEVERITIES}
    figure = bar_chart("chart-severity", text["by_severity"],
                       [(labels[s], dict(counts[s]), _WEIGHT[s]) for s in SEVERITIES],
                       labels, text["desc_join"])
    figure.desc = text["severity_chart_desc"] + figure.desc
    return figure


def category_chart(report: Report) -> Figure | None:
    labels, text = LABELS[report.lang], TEXT[report.lang]
    counts: dict[str, Counter[str]] = {}
    for f in report.findings:
        if str(f.status) in ("fail", "review", "waived"):
            counts.setdefault(str(f.category), Counter())[str(f.status)] += 1
    if not counts:
        return None
    ordered = sorted(counts.items(), key=lambda item: (-item[1]["fail"], -item[1]["review"],
                                                       -item[1]["waived"], item[0]))
    figure = bar_chart("chart-category", text["by_category"],
                       [(category(name, report.lang), dict(c), 0.6) for name, c in ordered],
                       labels, text["desc_join"])
    figure.desc = text["category_chart_desc"] + figure.desc
    return figure


def _note(note: Any, lang: str) -> tuple[str, str] | None:
    """A catalog note in the reader's language when the catalog has one, with its language."""
    if note is None:
        return None
    if isinstance(note, str):
        shown = free_text(note, lang, quote=False)  # the catalog's translation table
        return shown, (lang if shown != note else "en")
    getter = getattr(note, "get", None)
    if getter is not None:
        found = getter(lang) or getter("en")
        return (str(found), lang if getter(lang) else "en") if found else None
    return str(note), "en"


def lineage(model: ResolvedModel, number: int, lang: str) -> dict[str, Any]:
    """The lineage tree of one model and, under it, why each base's terms carry or not."""
    text = TEXT[lang]
    own = ", ".join(sorted({a.license for a in model.descriptor.licenses.values()})) or "?"
    chain = model.facts["lineage_chain"]
    figure = lineage_tree(f"lineage-{number}", f"{text['license_chain']}: {model.id}",
                          model.id, own, chain, text, lambda r: relation(str(r), lang))
    licenses = {model.id: own}
    for link in chain:
        licenses.setdefault(link["base"], link.get("license") or "?")
    notes = []
    for link in chain:
        values = {"base": link["base"], "model": link["via"][-1],
                  "license": licenses.get(link["base"], "?"),
                  "own": licenses.get(link["via"][-1], "?"),
                  "relation": relation(str(link["relation"]), lang)}
        if not link["resolved"]:
            key = "why_unknown"
        elif link.get("inherits", True):
            key = "why_inherited"
        else:
            key = "why_not"
        notes.append({"text": text[key].format(**values), "kind": key,
                      "note": _note(link.get("note"), lang)})
    return {"figure": figure, "notes": notes}


def verdicts(report: Report, options: RenderOptions) -> list[dict[str, Any]]:
    out = []
    for number, model in enumerate(report.models, 1):
        verdict = report.verdict(model.id, options.fail_on, options.strict)
        shown = verdict.deciding[:DECIDING_SHOWN]
        out.append({
            "number": number, "id": model.id, "decision": verdict.decision,
            "line": verdict_line(verdict.decision, verdict.open_items, report.lang),
            "deciding": [{"rule_id": f.rule_id, "title": f.title,
                          "anchor": finding_anchor(number if f.model else None, f.rule_id)}
                         for f in shown],
            "more": len(verdict.deciding) - len(shown),
        })
    return out


def gate_sentence(lang: str, options: RenderOptions) -> str:
    text = TEXT[lang]
    if options.fail_on == "never":
        return text["gate_never"]
    return text["gate"].format(level=LABELS[lang][options.fail_on],
                               strict=text["gate_strict"] if options.strict else "")


class HtmlReporter:
    format: ClassVar[OutputFormat] = OutputFormat.HTML

    def render(self, report: Report, options: RenderOptions) -> str:
        import jinja2  # noqa: PLC0415 - only HTML reports need Jinja2

        environment = jinja2.Environment(
            loader=jinja2.PackageLoader("openres_check.reporters", "templates"),
            autoescape=True, undefined=jinja2.StrictUndefined,
            trim_blocks=True, lstrip_blocks=True,
        )
        environment.filters["date"] = lambda value: _date(str(value), report.lang)
        environment.filters["value"] = _value
        environment.filters["num"] = lambda value: f"{round(float(value), 1):g}"
        environment.filters["word"] = lambda value: value_label(str(value), report.lang)
        environment.filters["moment"] = lambda value: _moment(value, report.lang)
        environment.filters["category"] = lambda value: category(str(value), report.lang)
        environment.filters["place"] = place
        lang = report.lang
        by_severity = {s: Counter(str(f.status) for f in report.findings
                                  if str(f.severity) == s) for s in SEVERITIES}
        checklist = [f for f in report.findings if f.obligation
                     and str(f.status) in ("review", "pass", "waived")
                     and (str(f.status) != "pass" or f.attestation)]
        shown = ("fail", "review", "waived") + (("pass", "not_applicable")
                                                 if options.show_all else ())
        template = environment.get_template("report.html.j2")
        return template.render(
            report=report, t=TEXT[lang], labels=LABELS[lang], lang=lang,
            version=__version__, severities=SEVERITIES, statuses=STATUSES,
            by_severity=by_severity, palette=PALETTE,
            severity_chart=severity_chart(report), category_chart=category_chart(report),
            checklist=checklist, shown=shown, verdicts=verdicts(report, options),
            gate=gate_sentence(lang, options), anchor=finding_anchor,
            lineages=[lineage(m, n, lang) for n, m in enumerate(report.models, 1)],
            context=report.context.model_dump(mode="json"),
        )
