from __future__ import annotations

import pytest

from openres_check.engine.scope import Scope
from openres_check.engine.templates import Template, TemplateError, format_value


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (700_000_000, "ja", "7 億"),
    (100_000_000, "ja", "1 億"),
    (123_456_789, "ja", "1 億 2,345 万 6789"),
    (20_000, "ja", "2 万"),
    (9_999, "ja", "9,999"),
    (700_000_000, "en", "700,000,000"),
    (7e8, "en", "700,000,000"),
    ("2025-08-02", "ja", "2025年8月2日"),
    ("2025-08-02", "en", "2025-08-02"),
    (None, "ja", "不明"),
    (True, "en", "true"),
    (["JP", "EU"], "ja", "JP、EU"),
])
def test_values_are_written_for_the_reader(value: object, lang: str, expected: str) -> None:
    assert format_value(value, lang) == expected


def test_placeholders_read_facts_and_the_bound_item() -> None:
    scope = Scope(roots={"context": {"use": {"monthly_active_users": 800_000_000}}},
                  sources={})
    scope.bound = {"name": "Llama 3.3", "user_threshold": {"limit": 700_000_000}}
    template = Template("{item.name}: {item.user_threshold.limit} < "
                        "{context.use.monthly_active_users}", "ja")
    assert template.render(scope) == "Llama 3.3: 7 億 < 8 億"


def test_placeholders_cannot_reach_python_attributes() -> None:
    with pytest.raises(TemplateError):
        Template("{__class__.__mro__}", "en")
    # A placeholder-looking string that names no root is left as text.
    assert Template("{0} {x!r}", "en").render(Scope(roots={}, sources={})) == "{0} {x!r}"
