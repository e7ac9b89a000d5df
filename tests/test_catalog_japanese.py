"""Japanese reports show the catalog's English summaries in Japanese: every summary the bundled
catalog holds has a translation in `catalog/i18n/ja.yaml`, and every translation is Japanese."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import ROOT
from openres_check._yaml import load_yaml, load_yaml_text
from openres_check.catalog import Catalog
from openres_check.engine.templates import free_text
from openres_check.errors import InputError

TABLE = ROOT / "catalog" / "i18n" / "ja.yaml"

# License-entry fields that hold our English summary of the license's wording.
LICENSE_FIELDS = (
    ("attribution", "where"),
    ("export_control_notice", "note"),
    ("governing_law", "venue"),
    ("registration", "kind"),
    ("registration", "when"),
    ("revenue_threshold", "measured"),
    ("user_threshold", "measured"),
    ("revocation", "grounds"),
    ("use_policy", "restrictions"),
)
# Kana and CJK ideographs: full-width punctuation alone does not make a text Japanese.
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def catalog_summaries(catalog: Catalog) -> dict[str, str]:
    """Each English summary in the catalog -> the first place that holds it."""
    found: dict[str, str] = {}
    for data, _origin in catalog.licenses.data():
        for section, name in LICENSE_FIELDS:
            part = data.get(section)
            if isinstance(part, dict):
                for text in _texts(part.get(name)):
                    found.setdefault(text, f"{data['id']}: {section}.{name}")
    for entry in catalog:
        for link in entry.data.get("lineage") or []:
            if link.get("inherit_terms") is False:
                for text in _texts(link.get("note")):
                    found.setdefault(text, f"{entry.id}: lineage.note")
        hosted = entry.data.get("hosted_service")
        if isinstance(hosted, dict):
            for text in _texts(hosted.get("note")):
                found.setdefault(text, f"{entry.id}: hosted_service.note")
    return found


@pytest.fixture(scope="module")
def table() -> dict[str, str]:
    data = load_yaml(TABLE).data
    assert isinstance(data, dict)
    assert set(data) == {"translations"}
    translations = data["translations"]
    assert isinstance(translations, dict)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in translations.items())
    return translations


def test_the_catalog_has_summaries_to_translate(catalog: Catalog) -> None:
    places = set(catalog_summaries(catalog).values())
    for field in ("use_policy.restrictions", "governing_law.venue", "lineage.note",
                  "hosted_service.note", "user_threshold.measured"):
        assert any(place.endswith(field) for place in places), field


def test_every_catalog_summary_has_a_translation(catalog: Catalog,
                                                 table: dict[str, str]) -> None:
    missing = {text: place for text, place in catalog_summaries(catalog).items()
               if text not in table}
    assert not missing, "add to catalog/i18n/ja.yaml:\n" + "\n".join(
        f"  {place}: {text!r}" for text, place in sorted(missing.items(), key=lambda i: i[1]))


def test_no_translation_is_left_over(catalog: Catalog, table: dict[str, str]) -> None:
    # A key no catalog entry holds is an English summary that was reworded or removed:
    # its translation would no longer be shown.
    assert sorted(set(table) - set(catalog_summaries(catalog))) == []


def test_every_translation_is_japanese(table: dict[str, str]) -> None:
    assert [k for k, v in table.items() if not _JAPANESE.search(v)] == []
    assert [k for k, v in table.items() if v.strip() == k.strip()] == []
    assert [k for k, v in table.items() if v != v.strip() or "\n" in v] == []


def test_table_keys_are_unique() -> None:
    text = TABLE.read_text(encoding="utf-8")
    load_yaml_text(text, str(TABLE))  # the loader rejects a key that appears twice
    first = next(line for line in text.splitlines() if line.startswith('  "'))
    with pytest.raises(InputError, match="duplicate"):
        load_yaml_text(f"{text}{first}\n", str(TABLE))


def test_japanese_reports_show_the_translation(catalog: Catalog,
                                               table: dict[str, str]) -> None:
    terms = catalog.licenses.get("deepseek-license-1.0")
    assert terms is not None
    assert terms.use_policy is not None
    restrictions = list(terms.use_policy.restrictions)
    assert len(restrictions) > 1
    shown = free_text(restrictions, "ja")
    assert shown == "、".join(table[text] for text in restrictions)
    assert free_text(restrictions[0], "en") == restrictions[0]
