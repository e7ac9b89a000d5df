"""Under `--lang ja`, no human-readable string of a report is left in English.

A run over five models (a fail, reviews, a waiver, inherited terms, a base whose terms do not
carry) is rendered as text, Markdown, HTML and JUnit. Every string a person reads must hold
Japanese, except what stays in its original form by the glossary's rules: model, license and
product names, ids and codes, URLs, quotations 「…」, and evidence (a fact path, its value and
its source are data, shown as the program read them).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Any

import pytest

from japanese import english_left
from openres_check import check
from openres_check.catalog import Catalog
from openres_check.reporters import RenderOptions, get_reporter

MODELS = ["Qwen/Qwen2.5-3B-Instruct", "deepseek-ai/DeepSeek-R1",
          "deepseek-ai/DeepSeek-R1-Distill-Llama-70B", "meta-llama/Llama-3.1-8B-Instruct",
          "tokyotech-llm/Llama-3.1-Swallow-8B-Instruct-v0.3"]
CONTEXT: dict[str, Any] = {
    "organization": {"country": "JP", "type": "private"},
    "deployment": {"mode": "self-hosted", "regions": ["JP"], "public_facing": True},
    "use": {"commercial": True, "monthly_active_users": 20000, "sector": "medical",
            "product_name": "Clinic Assistant", "fine_tunes": True},
    "data": {"categories": ["personal", "health"], "subject_regions": ["JP"]},
}
WAIVERS = [{"rule": "LIC-RESEARCH-ONLY", "model": "Qwen/Qwen2.5-3B-Instruct",
            "reason": "商用ライセンス契約済み", "approved_by": "法務部 佐藤",
            "expires": "2099-01-01"}]
EVIDENCE = re.compile(r"^\s*(?:- )?[\w.\[\]-]+ = .*$")


@pytest.fixture(scope="module")
def report(catalog: Catalog) -> Any:
    return check(MODELS, CONTEXT, lang="ja", waivers=WAIVERS, as_of="2026-12-01",
                 catalog=catalog)


@pytest.fixture(scope="module")
def names(report: Any, catalog: Catalog) -> list[str]:
    """What keeps its original form: names of models, licenses and the product, longest first
    (so a longer name is taken out before a shorter one inside it)."""
    found = {"Clinic Assistant", "openres-check"}
    for model in report.models:
        found.add(model.id)
        found.update(model.descriptor.aliases)
        for term in model.facts["effective_terms"]:
            terms = catalog.licenses.get(term["license"])
            if terms is not None:
                found.update({terms.name, terms.id})
                if terms.use_policy is not None:
                    found.add(terms.use_policy.name)
    for pack in report.policies:
        found.add(pack.id)
    return sorted(found, key=len, reverse=True)


def _left(lines: list[str], names: list[str]) -> dict[str, str]:
    left = {}
    for line in lines:
        if EVIDENCE.match(line):
            continue
        if any(line.strip() in name for name in names):
            continue  # a name wrapped over lines in a figure
        stripped = line
        for name in names:
            stripped = stripped.replace(name, " ")
        words = english_left(stripped)
        if words:
            left[line.strip()[:160]] = words
    return left


def test_text(report: Any, names: list[str]) -> None:
    text = get_reporter("text").render(report, RenderOptions())
    assert _left(text.splitlines(), names) == {}


def test_markdown(report: Any, names: list[str]) -> None:
    markdown = get_reporter("markdown").render(report, RenderOptions())
    lines = [line for line in markdown.splitlines() if not line.startswith(">")]  # quotations
    assert _left(lines, names) == {}


class _Text(HTMLParser):
    """The text a reader sees, without code, quotations, evidence and what is not shown."""

    SKIP = frozenset({"style", "code", "q", "blockquote", "script", "title"})

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag in self.SKIP or {"mono", "evidence"} & set(classes):
            self._skipping.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.lines.append(data.strip())


def test_html(report: Any, names: list[str]) -> None:
    parser = _Text()
    parser.feed(get_reporter("html").render(report, RenderOptions()))
    assert _left(parser.lines, names) == {}


def test_junit(report: Any, names: list[str]) -> None:
    junit = get_reporter("junit").render(report, RenderOptions(strict=True))
    root = ET.fromstring(junit.split("\n", 1)[1])  # noqa: S314 - our own output
    lines: list[str] = []
    for element in root.iter():
        if element.tag in ("testsuite", "testsuites", "property"):
            continue  # their names are model ids, the tool's name and machine keys
        lines.extend(v for k, v in element.attrib.items() if k in ("name", "message"))
        if element.text and element.text.strip():
            lines.extend(element.text.splitlines())
    assert lines
    assert _left([line.split(": ", 1)[-1] if line.startswith(("LIC-", "OBL-", "DP-", "REG-",
                                                              "TER-", "LIN-", "OUT-"))
                  else line for line in lines], names) == {}
