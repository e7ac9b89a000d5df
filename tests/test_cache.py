"""The cache of validated bundled data: keyed by content, safe to lose, easy to turn off."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from openres_check._cache import cached, content_key
from openres_check.catalog import load_catalog


def test_key_follows_content_not_names(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("x: 1\n")
    first = content_key("catalog", [tmp_path / "a.yaml"], tmp_path)
    assert content_key("catalog", [tmp_path / "a.yaml"], tmp_path) == first
    (tmp_path / "a.yaml").write_text("x: 2\n")
    assert content_key("catalog", [tmp_path / "a.yaml"], tmp_path) != first


def test_hit_miss_and_corrupt_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENRES_CHECK_CACHE_DIR", str(tmp_path / "cache"))
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"n": len(calls)}

    assert cached("t", "k" * 64, build) == ({"n": 1}, False)
    assert cached("t", "k" * 64, build) == ({"n": 1}, True)
    entry = next((tmp_path / "cache").glob("t-*.json"))
    entry.write_text("{not json")
    assert cached("t", "k" * 64, build) == ({"n": 2}, False)  # rebuilt, not trusted
    assert json.loads(entry.read_text()) == {"n": 2}


def test_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENRES_CHECK_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cached("t", "k" * 64, lambda: 1) == (1, False)
    assert cached("t", "k" * 64, lambda: 2) == (2, False)
    assert list(tmp_path.rglob("*.json")) == []


def test_edited_user_catalog_is_reloaded(write: Callable[[str, str], Path],
                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENRES_CHECK_CACHE_DIR", str(tmp_path / "cache"))
    body = ("id: acme/m\npublisher: {name: ACME}\nlicenses:\n  weights: {license: %s, "
            "source: {url: 'https://acme.example'}}\nsources: [{url: 'https://acme.example'}]\n")
    path = write("cat/models/m.yaml", body % "mit")
    folder = path.parent.parent
    assert load_catalog([folder]).get("acme/m").descriptor.licenses["weights"].license == "mit"
    path.write_text(body % "apache-2.0", encoding="utf-8")
    assert load_catalog([folder]).get("acme/m").descriptor.licenses["weights"].license == \
        "apache-2.0"
