"""Hostile or damaged inputs to the model sources, the catalog, baselines and policy tests:
each gives a located `InputError` (file, line, path, hint), never an internal error.

Unreadable files are simulated by making `Path.open` (which `read_bytes` uses too) or
`Path.is_file` raise, since chmod does not stop root.
"""

from __future__ import annotations

import errno
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from openres_check import check
from openres_check._cache import cached
from openres_check.catalog import Catalog, load_catalog
from openres_check.errors import InputError, Issue, format_path
from openres_check.policy_tests import run_case_file
from openres_check.report import load_baseline

Write = Callable[[str, str], Path]
MODEL = "Qwen/Qwen2.5-3B-Instruct"


def deny(monkeypatch: pytest.MonkeyPatch, method: str, when: Callable[[Path], bool]) -> None:
    """Make `Path.<method>` fail with EACCES for the paths `when` picks."""
    real = getattr(Path, method)

    def guarded(self: Path, *args: Any, **kwargs: Any) -> Any:
        if when(self):
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, method, guarded)


def only_issue(exc: pytest.ExceptionInfo[InputError]) -> Issue:
    assert len(exc.value.issues) == 1, exc.value.diagnostics()
    return exc.value.issues[0]


def where(issue: Issue) -> str:
    return format_path(issue.location.path)


# -- unreadable files and folders (B6) --------------------------------------------------------

def test_unreadable_license_file_in_a_model_folder(write: Write, catalog: Catalog,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write("model/README.md", "---\nlicense: mit\n---\n").parent
    write("model/LICENSE", "MIT License\n")
    deny(monkeypatch, "open", lambda p: p.name == "LICENSE")
    with pytest.raises(InputError) as exc:
        check(str(folder), {}, ["license"], catalog=catalog)
    issue = only_issue(exc)
    assert (issue.code, issue.location.source) == ("unreadable", str(folder / "LICENSE"))
    assert issue.hint


def test_model_folder_that_cannot_be_searched(write: Write, catalog: Catalog,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write("model/README.md", "---\nlicense: mit\n---\n").parent
    deny(monkeypatch, "is_file", lambda p: p.parent == folder)
    with pytest.raises(InputError) as exc:
        check(str(folder), {}, ["license"], catalog=catalog)
    issue = only_issue(exc)
    assert (issue.code, issue.location.source) == ("unreadable", str(folder))


def test_unreadable_bom(write: Write, catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write("m.cdx.json", json.dumps({"bomFormat": "CycloneDX", "components": []}))
    deny(monkeypatch, "open", lambda p: p == path)
    with pytest.raises(InputError) as exc:
        check(str(path), {}, ["license"], catalog=catalog)
    assert only_issue(exc).code == "unreadable"


DESCRIPTOR = ("id: acme/m\npublisher: {name: ACME}\nlicenses:\n  weights: {license: mit, "
              "source: {url: 'https://acme.example'}}\nsources: [{url: 'https://acme.example'}]\n")


def test_unreadable_catalog_file(write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write("cat/models/m.yaml", DESCRIPTOR)
    deny(monkeypatch, "open", lambda p: p == path)
    with pytest.raises(InputError) as exc:
        load_catalog([path.parent.parent], include_bundled=False)
    issue = only_issue(exc)
    assert (issue.code, issue.location.source) == ("unreadable", str(path))


# -- damaged cache entries (B13) --------------------------------------------------------------

def test_valid_json_cache_entry_of_the_wrong_shape_is_rebuilt(
        write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENRES_CHECK_CACHE_DIR", str(tmp_path / "cache"))
    folder = write("cat/models/m.yaml", DESCRIPTOR).parent.parent
    load_catalog([folder], include_bundled=False)
    for damage in ({}, {"licenses": [], "models": [[{}, "m.yaml"]]}, {"licenses": 1}):
        for entry in (tmp_path / "cache").glob("catalog-*.json"):
            entry.write_text(json.dumps(damage), encoding="utf-8")
        assert load_catalog([folder], include_bundled=False).get("acme/m").id == "acme/m"
    entry = next((tmp_path / "cache").glob("catalog-*.json"))
    assert json.loads(entry.read_text(encoding="utf-8"))["models"][0][1].endswith("m.yaml")


def test_cached_asks_for_a_shape_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENRES_CHECK_CACHE_DIR", str(tmp_path))
    assert cached("t", "k" * 64, lambda: [1]) == ([1], False)
    assert cached("t", "k" * 64, lambda: [2], lambda v: v == [2]) == ([2], False)
    assert cached("t", "k" * 64, lambda: [3], lambda v: v == [2]) == ([2], True)


# -- CycloneDX fields of the wrong type (B7, 29, 30) ------------------------------------------

def bom(**fields: Any) -> str:
    model = {"type": "machine-learning-model", "name": "acme/in-house", **fields}
    return json.dumps({"bomFormat": "CycloneDX",
                       "components": [{"type": "library", "name": "torch"}, model]})


@pytest.mark.parametrize(("fields", "path"), [
    ({"supplier": "ACME"}, "components[1].supplier"),
    ({"supplier": {"name": 5}}, "components[1].supplier.name"),
    ({"publisher": ["ACME"]}, "components[1].publisher"),
    ({"pedigree": [1]}, "components[1].pedigree"),
    ({"pedigree": "x"}, "components[1].pedigree"),
    ({"pedigree": {"ancestors": "x"}}, "components[1].pedigree.ancestors"),
    ({"pedigree": {"ancestors": [1]}}, "components[1].pedigree.ancestors[0]"),
    ({"licenses": "MIT"}, "components[1].licenses"),
    ({"licenses": [{"license": "MIT"}]}, "components[1].licenses[0].license"),
    ({"name": 5}, "components[1].name"),
    ({"components": {}}, "components[1].components"),
    ({"name": None}, "components[1]"),
])
def test_bom_fields_of_the_wrong_type_are_located(write: Write, catalog: Catalog,
                                                  fields: dict[str, Any], path: str) -> None:
    bom_path = write("m.cdx.json", bom(**fields))
    with pytest.raises(InputError) as exc:
        check(str(bom_path), {}, ["license"], catalog=catalog)
    issue = only_issue(exc)
    assert (issue.code, where(issue)) == ("bad-bom", path)
    assert issue.hint


def test_bom_with_a_huge_integer(write: Write, catalog: Catalog) -> None:
    path = write("m.cdx.json", '{"bomFormat": "CycloneDX",\n"version": ' + "9" * 5000 + "}")
    with pytest.raises(InputError) as exc:
        check(str(path), {}, ["license"], catalog=catalog)
    issue = only_issue(exc)
    assert (issue.code, issue.location.line) == ("bad-json", 2)
    assert "digits" in issue.message


def test_bom_nested_too_deeply_says_so(write: Write, catalog: Catalog) -> None:
    component: dict[str, Any] = {"type": "machine-learning-model", "name": "acme/deep"}
    for level in range(20):
        component = {"type": "library", "name": f"l{level}", "components": [component]}
    path = write("m.cdx.json", json.dumps({"bomFormat": "CycloneDX", "components": [component]}))
    with pytest.raises(InputError) as exc:
        check(str(path), {}, ["license"], catalog=catalog)
    issue = only_issue(exc)
    assert "more than 16 levels" in issue.message
    assert issue.location.path[:2] == ("components", 0)


# -- model cards (29) -------------------------------------------------------------------------

def weights_license(path: Path, catalog: Catalog) -> str:
    return check(str(path), {}, ["license"], catalog=catalog).models[0].descriptor.licenses[
        "weights"].license


def test_card_too_large_for_its_front_matter(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "README.md"
    path.write_text("---\nlicense: mit\nabout: " + "x" * (3 * 1024 * 1024) + "\n---\n")
    with pytest.raises(InputError) as exc:
        check(str(path), {}, ["license"], catalog=catalog)
    assert only_issue(exc).code == "size-limit"
    # Only the front matter must fit: a card whose body is large is read.
    path.write_text("---\nlicense: mit\n---\n" + "x" * (3 * 1024 * 1024) + "\n")
    assert weights_license(path, catalog) == "mit"


def test_invalid_utf8_in_card_front_matter(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(b"---\nlicense: mit\nmodel_name: caf\xe9\n---\n")
    with pytest.raises(InputError) as exc:
        check(str(path), {}, ["license"], catalog=catalog)
    issue = only_issue(exc)
    assert (issue.code, issue.location.line, issue.location.column) == ("not-utf8", 3, 16)
    # The body is never parsed: a bad byte there does not matter.
    path.write_bytes(b"---\nlicense: mit\n---\nbody \xff\n")
    assert weights_license(path, catalog) == "mit"


# -- baselines (B8) ---------------------------------------------------------------------------

def test_deeply_nested_baseline(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text('{"findings": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(InputError) as exc:
        load_baseline(path)
    assert only_issue(exc).code == "bad-baseline"


# -- policy test cases (B10, 30) --------------------------------------------------------------

def case_file(write: Write, case: str) -> Path:
    return write("cases.yaml", "pack: license\ncases:\n  - name: a\n"
                 f"    model: {MODEL}\n    expect: {{LIC-RESEARCH-ONLY: review}}\n"
                 "  - name: b\n" + case)


@pytest.mark.parametrize(("case", "path", "line"), [
    (f"    model: {MODEL}\n    lang: fr\n    expect: {{LIC-RESEARCH-ONLY: review}}\n",
     "cases[1].lang", 8),
    ((f"    model: {MODEL}\n    context:\n      use: {{commercial: maybe}}\n"
      "    expect: {LIC-RESEARCH-ONLY: fail}\n"), "cases[1].context.use.commercial", 9),
    ("    descriptor:\n      id: acme/m\n      bogus: 1\n    expect: {LIC-RESEARCH-ONLY: pass}\n",
     "cases[1].descriptor.bogus", 9),
    ("    model: Qwen/Nope\n    expect: {LIC-RESEARCH-ONLY: pass}\n", "cases[1].model", 7),
    (f"    model: {MODEL}\n    params: {{nope: 1}}\n    expect: {{LIC-RESEARCH-ONLY: pass}}\n",
     "cases[1].params", 8),
    (f"    model: {MODEL}\n    expect: {{LIC-NOPE: pass}}\n", "cases[1].expect.LIC-NOPE", 8),
], ids=["lang", "context", "descriptor", "model", "params", "expect"])
def test_policy_case_errors_are_located(write: Write, catalog: Catalog, case: str,
                                        path: str, line: int) -> None:
    file = case_file(write, case)
    with pytest.raises(InputError) as exc:
        run_case_file(file, catalog)
    issues = [i for i in exc.value.issues if where(i) == path]
    assert issues, exc.value.diagnostics()
    assert (issues[0].location.source, issues[0].location.line) == (str(file), line)


def test_unknown_pack_in_a_case_file_is_located(write: Write, catalog: Catalog) -> None:
    file = write("cases.yaml", f"pack: nopack\ncases:\n  - name: a\n    model: {MODEL}\n"
                 "    expect: {LIC-RESEARCH-ONLY: pass}\n")
    with pytest.raises(InputError) as exc:
        run_case_file(file, catalog)
    issue = only_issue(exc)
    assert (issue.location.source, issue.location.line, where(issue)) == (str(file), 1, "pack")
