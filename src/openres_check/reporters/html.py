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
from openres_check.engine.templates import value_label
from openres_check.reporters._labels import LABELS, category
from openres_check.reporters.interface import OutputFormat, RenderOptions

if TYPE_CHECKING:
    from openres_check.lineage import ResolvedModel
    from openres_check.report import Report

__all__ = ["HtmlReporter"]

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
        "hidden": "Passed and not-applicable rules are listed in the JSON report.",
        "disclaimer": "This report gives information, not legal advice. Every fact carries "
                      "its source so that it can be checked.",
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
        "hidden": "適合・対象外のルールは JSON レポートに記載されています。",
        "disclaimer": "本レポートは情報提供を目的とするもので、法的助言ではありません。"
                      "各事実には確認できるよう出典を付しています。",
    },
}


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


def _lineage_graph(model: ResolvedModel) -> dict[str, Any]:
    """Boxes and arrows for the inline SVG: the model on top, each base below its child."""
    own = sorted({a.license for a in model.descriptor.licenses.values()})
    licenses = {model.id: ", ".join(own)}
    for link in model.facts["lineage_chain"]:
        licenses.setdefault(link["base"], link.get("license") or "?")
    nodes: list[dict[str, Any]] = [
        {"id": model.id, "depth": 0, "row": 0, "license": licenses.get(model.id, "")}]
    rows = {model.id: 0}
    edges = []
    for link in model.facts["lineage_chain"]:
        if link["base"] not in rows:
            rows[link["base"]] = len(nodes)
            nodes.append({"id": link["base"], "depth": link["depth"], "row": len(nodes),
                          "license": licenses.get(link["base"], "?") if link["resolved"]
                          else "?", "resolved": link["resolved"]})
        parent = link["via"][-1]
        edges.append({"from": rows.get(parent, 0), "to": rows[link["base"]],
                      "relation": link["relation"]})
    for node in nodes:
        node["x"] = 10 + node["depth"] * 36
        node["y"] = 10 + node["row"] * 64
    return {"nodes": nodes, "edges": edges, "height": 20 + len(nodes) * 64}


def _chart(report: Report) -> list[dict[str, Any]]:
    counts = Counter((str(f.severity), str(f.status)) for f in report.findings)
    peak = max([counts[(s, "fail")] + counts[(s, "review")] for s in SEVERITIES] + [1])
    bars = []
    for index, severity in enumerate(SEVERITIES):
        fail, review = counts[(severity, "fail")], counts[(severity, "review")]
        bars.append({"severity": severity, "y": 8 + index * 26, "fail": fail, "review": review,
                     "waived": counts[(severity, "waived")],
                     "fail_w": round(300 * fail / peak), "review_w": round(300 * review / peak)})
    return bars


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
        environment.filters["word"] = lambda value: value_label(str(value), report.lang)
        environment.filters["moment"] = lambda value: _moment(value, report.lang)
        environment.filters["category"] = lambda value: category(str(value), report.lang)
        lang = report.lang
        by_category = Counter(str(f.category) for f in report.findings
                              if str(f.status) in ("fail", "review"))
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
            by_category=sorted(by_category.items()), by_severity=by_severity,
            chart=_chart(report), checklist=checklist, shown=shown,
            graphs={m.id: _lineage_graph(m) for m in report.models},
            context=report.context.model_dump(mode="json"),
        )
