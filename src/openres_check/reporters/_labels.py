"""Words the reporters share, in English and Japanese (glossary-ja terms)."""

from __future__ import annotations

__all__ = ["CATEGORIES", "DECIDING_SHOWN", "LABELS", "RELATIONS", "TABLE", "category",
           "finding_anchor", "relation", "verdict_line"]

DECIDING_SHOWN = 8
"""How many deciding rule ids a verdict names before it says how many more there are."""

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "fail": "FAIL", "review": "REVIEW", "pass": "PASS", "waived": "WAIVED",
        "not_applicable": "N/A",
        "critical": "critical", "high": "high", "medium": "medium", "low": "low",
        "info": "info",
        "evidence": "evidence", "remediation": "remediation", "obligation": "obligation",
        "references": "references", "via": "via", "waiver": "waived by",
        "waived_by": "waived by:",
        "until": "until", "licenses": "licenses", "as_of": "as of", "packs": "packs",
        "hidden": "{passed} passed, {na} not applicable (--all lists them)",
        "summary": "Summary", "lineage": "lineage", "unresolved": "not in catalog",
        "missing": "missing facts",
        "license_file": "license file", "waivers": "Waivers", "found_at": "found at",
        "more_places": "and {n} more places (the other formats list them all)",
        "waiver_applied": "applied", "reason": "reason", "new": "NEW",
        "stray_attestation": "attestation {key} names no rule of this run",
        "did_you_mean": " (did you mean {rule}?)",
        "waiver_expired": "expired, no longer applied", "waiver_unused": "unused",
        "waiver_text_changed": "license text changed, not applied",
        "verdict": "Verdict",
        "verdict_usable": "May be used.",
        "verdict_conditional": "May be used once these {n} items are done.",
        "verdict_blocked": "May not be used as declared.",
        "deciding": "Deciding findings",
        "more": "and {n} more",
        "deployment": "Deployment: findings that do not depend on the model",
        "shared": "deployment: {n} findings listed under Deployment apply to this model too",
        "deployment_model": "deployment (every model)",
    },
    "ja": {
        "fail": "不適合", "review": "要確認", "pass": "適合", "waived": "例外承認済み",
        "not_applicable": "対象外",
        "critical": "重大", "high": "高", "medium": "中", "low": "低", "info": "情報",
        "evidence": "根拠", "remediation": "対応策", "obligation": "対応義務",
        "references": "参照", "via": "派生関係（系譜）", "waiver": "例外承認",
        "waived_by": "例外承認: 承認者",
        "until": "有効期限", "licenses": "ライセンス", "as_of": "基準日",
        "packs": "ポリシーパック",
        "hidden": "適合 {passed} 件、対象外 {na} 件（--all で表示）",
        "summary": "集計", "lineage": "派生関係（系譜）", "unresolved": "カタログ未登録",
        "missing": "不明な事実",
        "license_file": "ライセンスファイル", "waivers": "例外承認", "found_at": "検出箇所",
        "more_places": "ほか {n} か所（他の形式のレポートにすべて記載）",
        "waiver_applied": "適用中", "reason": "理由", "new": "新規",
        "stray_attestation": "対応済みの申告 {key} に該当するルールがありません",
        "did_you_mean": "（{rule} の誤りではありませんか？）",
        "waiver_expired": "有効期限切れ（適用なし）", "waiver_unused": "該当なし（未使用）",
        "waiver_text_changed": "ライセンス本文が変更されたため適用なし",
        "verdict": "結論",
        "verdict_usable": "利用可",
        "verdict_conditional": "条件付きで利用可（対応が必要な項目 {n} 件）",
        "verdict_blocked": "申告どおりの利用は不可",
        "deciding": "該当する検出事項",
        "more": "ほか {n} 件",
        "deployment": "デプロイ状況: モデルによらない検出事項",
        "shared": "デプロイ状況: 「デプロイ状況」に記載した検出事項 {n} 件も、"
                  "このモデルに該当します",
        "deployment_model": "デプロイ状況（全モデル共通）",
    },
}


CATEGORIES: dict[str, dict[str, str]] = {
    "en": {},
    "ja": {
        "license": "ライセンス", "commercial-use": "商用利用", "use-restriction": "利用制限",
        "attribution": "帰属表示", "output-use": "出力の利用",
        "territory": "地域による適用除外", "lineage": "派生関係（系譜）",
        "data-protection": "個人情報保護", "regulation": "法規制", "provenance": "生成情報（来歴）",
        "security": "セキュリティ",
    },
}

RELATIONS: dict[str, dict[str, str]] = {
    "en": {"finetune": "fine-tune", "distillation": "distillation", "merge": "merge",
           "quantization": "quantization", "adapter": "adapter",
           "trained-on-outputs": "trained on outputs"},
    "ja": {"finetune": "ファインチューニング", "distillation": "蒸留", "merge": "マージ",
           "quantization": "量子化", "adapter": "アダプタ",
           "trained-on-outputs": "出力を学習に利用"},
}
"""How a derivative was made from its base (glossary-ja terms)."""

TABLE: dict[str, dict[str, str]] = {
    "en": {"rule": "rule", "severity": "severity", "finding": "finding"},
    "ja": {"rule": "ルール", "severity": "重大度", "finding": "検出事項"},
}


def category(name: str, lang: str) -> str:
    """A finding category in the reader's language (the id itself in English)."""
    return CATEGORIES.get(lang, {}).get(name, name)


def verdict_line(decision: str, open_items: int, lang: str) -> str:
    """The one-line answer for a model, e.g. "May be used once these 3 items are done."."""
    return LABELS[lang][f"verdict_{decision}"].format(n=open_items)


def finding_anchor(model_number: int | None, rule_id: str) -> str:
    """The fragment id of a finding in HTML and Markdown (rule ids are [A-Z0-9-]): a model's
    by its number, the deployment's (None) in its own section."""
    if model_number is None:
        return f"deployment-{rule_id.lower()}"
    return f"m{model_number}-{rule_id.lower()}"


def relation(name: str, lang: str) -> str:
    """A lineage relation (finetune, distillation, ...) in the reader's language."""
    return RELATIONS[lang].get(name, name)
