"""Words the reporters share, in English and Japanese (glossary-ja terms)."""

from __future__ import annotations

__all__ = ["CATEGORIES", "LABELS", "TABLE", "category"]

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
        "license_file": "license file", "waivers": "Waivers",
        "waiver_applied": "applied", "reason": "reason", "new": "NEW",
        "stray_attestation": "attestation {key} names no rule of this run",
        "did_you_mean": " (did you mean {rule}?)",
        "waiver_expired": "expired, no longer applied", "waiver_unused": "unused",
        "waiver_text_changed": "license text changed, not applied",
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
        "license_file": "ライセンスファイル", "waivers": "例外承認",
        "waiver_applied": "適用中", "reason": "理由", "new": "新規",
        "stray_attestation": "対応済みの申告 {key} に該当するルールがありません",
        "did_you_mean": "（{rule} の誤りではありませんか？）",
        "waiver_expired": "有効期限切れ（適用なし）", "waiver_unused": "該当なし（未使用）",
        "waiver_text_changed": "ライセンス本文が変更されたため適用なし",
    },
}


CATEGORIES: dict[str, dict[str, str]] = {
    "en": {},
    "ja": {
        "license": "ライセンス", "commercial-use": "商用利用", "use-restriction": "利用制限",
        "attribution": "帰属表示", "output-use": "出力の利用",
        "territory": "地域による適用除外", "lineage": "派生関係（系譜）",
        "data-protection": "個人情報保護", "regulation": "法規制", "provenance": "生成情報（来歴）",
    },
}

TABLE: dict[str, dict[str, str]] = {
    "en": {"rule": "rule", "severity": "severity", "finding": "finding"},
    "ja": {"rule": "ルール", "severity": "重大度", "finding": "検出事項"},
}


def category(name: str, lang: str) -> str:
    """A finding category in the reader's language (the id itself in English)."""
    return CATEGORIES.get(lang, {}).get(name, name)
