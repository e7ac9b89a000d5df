"""Bilingual message templates: `{context.use.monthly_active_users}` is filled from the facts.

Templates are parsed once. Placeholders are looked up as fact paths, never evaluated, so a
policy string cannot run code or reach attributes. Numbers are written the way each language
reads them: 700,000,000 in English, 7 億 in Japanese.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Any

from openres_check.engine.scope import ABSENT, MISSING, Scope, lookup

__all__ = ["FREE_TEXT_FIELDS", "Template", "TemplateError", "format_value", "free_text",
           "list_separator", "value_label"]

_PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\.[A-Za-z0-9_-]+)*)(?:\|([a-z]+))?\}")
_FILTERS = frozenset({"path"})
_LOOKS_LIKE_FACT = re.compile(r"\{(?:model|context|item|params|run)\.[^{}]*\}")
_ROOTS = frozenset({"model", "context", "item", "params", "run"})
_UNKNOWN = {"en": "unknown", "ja": "不明"}
_NONE = {"en": "none", "ja": "なし"}


# Catalog vocabulary that a Japanese sentence should not show as an English token
# (glossary-ja terms). Context values stay as declared: messages quote them as `field = value`.
_VALUE_LABELS: dict[str, dict[str, str]] = {"ja": {
    "separate-license-required": "別途ライセンスの取得が必要",
    "display-attribution-required": "帰属表示が必要",
    "community-commercial-license-unavailable": "コミュニティライセンスでの商用利用不可",
    "monthly_active_users": "月間アクティブユーザー数",
    "daily_active_users": "日間アクティブユーザー数",
    "annual_revenue_usd": "年間売上高（米ドル）",
    "annual_revenue_jpy": "年間売上高（円）",
    "monthly_revenue_usd": "月間売上高（米ドル）",
    "allowed": "可",
    "conditional": "条件付き",
    "research-only": "研究・評価目的に限定",
    "non-production": "本番利用不可",
    "non-commercial": "非商用",
    "finetune": "ファインチューニング",
    "distillation": "蒸留",
    "merge": "マージ",
    "quantization": "量子化",
    "adapter": "アダプタ",
    "trained-on-outputs": "出力を学習に利用",
    "weights": "重み",
    "code": "コード",
    "verified": "検証済み",
    "secondary": "二次資料",
    "unverified": "未検証",
    "text": "テキスト",
    "image": "画像",
    "audio": "音声",
    "video": "動画",
    "policy": "利用ポリシー",
    "notice": "Notice ファイル",
    "exact": "完全一致",
    "high": "高",
    "medium": "中",
    "ambiguous": "判定不能",
    "private": "民間企業",
    "government": "行政機関",
    "public-sector": "公共部門",
    "academic": "学術機関",
    "nonprofit": "非営利団体",
}}
# Beyond this a float is not an exact count; it reads better as a power of ten.
_SCIENTIFIC_FROM = 1e15


def list_separator(lang: str) -> str:
    return "、" if lang == "ja" else ", "


def value_label(token: str, lang: str) -> str:
    """A catalog vocabulary word in the reader's language (the token itself in English)."""
    return _VALUE_LABELS.get(lang, {}).get(token, token)


# Catalog fields that hold our English summary of a license's wording, not a vocabulary
# token: a Japanese message shows the catalog's Japanese text, or quotes the English.
FREE_TEXT_FIELDS = frozenset({
    "where", "kind", "when", "venue", "note", "restrictions", "measured", "grounds",
    "applies_to",
})


@functools.cache
def _catalog_japanese() -> dict[str, str]:
    """English catalog text -> Japanese (`catalog/i18n/ja.yaml`), read once, when needed."""
    from openres_check import _resources  # noqa: PLC0415 - only Japanese output needs it
    from openres_check._yaml import load_yaml  # noqa: PLC0415

    path = _resources.bundled("catalog") / "i18n" / "ja.yaml"
    if not path.is_file():
        return {}
    data = load_yaml(path).data
    table = data.get("translations") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in table.items()} if isinstance(table, dict) else {}


def free_text(value: Any, lang: str, *, quote: bool = True) -> str:
    """A catalog summary in `lang`: its Japanese text, else the English as a quotation 「…」
    (`quote=False` where the sentence already sets it in brackets)."""
    if isinstance(value, list):
        return list_separator(lang).join(free_text(v, lang, quote=quote) for v in value)
    if lang != "ja" or not isinstance(value, str):
        return format_value(value, lang)
    japanese = _catalog_japanese().get(value)
    if japanese is not None:
        return japanese
    return f"「{value}」" if quote else value


def _scientific(value: float) -> str:
    mantissa, exponent = f"{value:.3g}".split("e")
    return f"{mantissa} × 10^{int(exponent)}"


class TemplateError(ValueError):
    """A placeholder names something that is not a fact."""


_MAN = 10_000


def _japanese_number(number: int) -> str:
    if number < _MAN:
        return f"{number:,}"
    parts = []
    oku, rest = divmod(number, 100_000_000)
    man, rest = divmod(rest, 10_000)
    if oku:
        parts.append(f"{oku:,} 億")
    if man:
        parts.append(f"{man:,} 万")
    if rest:
        parts.append(str(rest))
    return " ".join(parts)


def format_value(value: Any, lang: str) -> str:
    """Render one fact value for a message in `lang`."""
    if value is ABSENT:
        return _NONE.get(lang, "none")
    if value is MISSING or value is None:
        return _UNKNOWN.get(lang, "unknown")
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and abs(value) >= _SCIENTIFIC_FROM:
        return _scientific(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return _japanese_number(value) if lang == "ja" else f"{value:,}"
    if isinstance(value, str) and lang == "ja" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:  # date-shaped text that is no date (2024-13-45) is shown as is
            return value_label(value, lang)
        return f"{day.year}年{day.month}月{day.day}日"
    if isinstance(value, str):
        return value_label(value, lang)
    if isinstance(value, list):
        if not value:  # "(candidates: )" would read as a gap in the message
            return "なし" if lang == "ja" else "none"
        return list_separator(lang).join(format_value(v, lang) for v in value)
    if isinstance(value, dict):
        for key in ("name", "id", "license", "display"):
            if key in value:
                return format_value(value[key], lang)
        return list_separator(lang).join(f"{k}: {format_value(v, lang)}"
                                         for k, v in value.items())
    return str(value)


class Template:
    """A parsed message template in one language."""

    def __init__(self, text: str, lang: str) -> None:
        self.text = text
        self.lang = lang
        self._pieces: list[str | tuple[str, tuple[str, ...], str | None]] = []
        for candidate in _LOOKS_LIKE_FACT.finditer(text):
            if not _PLACEHOLDER.fullmatch(candidate.group(0)):
                raise TemplateError(f"{candidate.group(0)} is not a valid placeholder; write "
                                    "{root.path} or {root.path|path}")
        position = 0
        for match in _PLACEHOLDER.finditer(text):
            root, *parts = match.group(1).split(".")
            if root not in _ROOTS:
                raise TemplateError(f"placeholder {{{match.group(1)}}} does not name a fact; "
                                    "facts start with model., context., item., params. or run.")
            flt = match.group(2)
            if flt is not None and flt not in _FILTERS:
                raise TemplateError(f"unknown filter |{flt} in {{{match.group(0)[1:-1]}}}; "
                                    f"known: {', '.join(sorted(_FILTERS))}")
            self._pieces.append(text[position:match.start()])
            self._pieces.append((root, tuple(parts), flt))
            position = match.end()
        self._pieces.append(text[position:])

    @property
    def facts(self) -> list[str]:
        return [".".join((p[0], *p[1])) for p in self._pieces if isinstance(p, tuple)]

    def render_if_known(self, scope: Scope) -> str | None:
        """The text, or None when a placeholder has no value to show."""
        unknown = False

        def noting_unknown(value: Any, lang: str) -> str:
            nonlocal unknown
            unknown = unknown or value is MISSING or value is ABSENT or value is None
            return format_value(value, lang)

        text = self.render(scope, noting_unknown)
        return None if unknown else text

    def render(self, scope: Scope, fmt: Callable[[Any, str], str] = format_value) -> str:
        out = []
        for piece in self._pieces:
            if isinstance(piece, str):
                out.append(piece)
                continue
            root, parts, flt = piece
            base = scope.bound if root == "item" else scope.roots.get(root)
            value, _source, _confidence = lookup(base, parts)
            if flt == "path" and isinstance(value, list):
                out.append(" → ".join(fmt(v, self.lang) for v in value))
            elif (self.lang == "ja" and parts and parts[-1] in FREE_TEXT_FIELDS
                  and isinstance(value, (str, list))):
                fmt(value, self.lang)  # notes an unknown value, as for any placeholder
                bracketed = bool(out) and out[-1].endswith("「")
                out.append(free_text(value, self.lang, quote=not bracketed))
            else:
                out.append(fmt(value, self.lang))
        return "".join(out)
