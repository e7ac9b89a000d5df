from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openres_check._yaml import Limits, load_yaml, load_yaml_text
from openres_check.errors import InputError

BILLION_LAUGHS = """
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def codes(exc: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [issue.code for issue in exc.value.issues]


def test_values_keep_their_line_and_column() -> None:
    doc = load_yaml_text("use:\n  commercial: true\n  sector: medical\n", "ctx.yaml")
    assert doc.data == {"use": {"commercial": True, "sector": "medical"}}
    location = doc.locate(("use", "sector"))
    assert (location.line, location.column) == (3, 3)


def test_dates_become_dates() -> None:
    doc = load_yaml_text("as_of: 2025-08-02\n", "x.yaml")
    assert doc.data == {"as_of": dt.date(2025, 8, 2)}


def test_python_tags_are_rejected_not_constructed() -> None:
    text = "a: !!python/object/apply:os.system ['echo pwned']\n"
    with pytest.raises(InputError) as exc:
        load_yaml_text(text, "evil.yaml")
    assert codes(exc) == ["unsafe-tag"]
    assert exc.value.issues[0].location.line == 1


def test_custom_tags_are_rejected() -> None:
    with pytest.raises(InputError) as exc:
        load_yaml_text("a: !include other.yaml\n", "x.yaml")
    assert codes(exc) == ["unsafe-tag"]


def test_duplicate_keys_are_reported_with_both_lines() -> None:
    with pytest.raises(InputError) as exc:
        load_yaml_text("use:\n  commercial: true\n  commercial: false\n", "dup.yaml")
    issue = exc.value.issues[0]
    assert issue.code == "duplicate-key"
    assert issue.location.line == 3
    assert "first at line 2" in issue.message


def test_all_problems_in_a_file_are_collected() -> None:
    text = "a: 1\na: 2\nb: !!python/name:os.system\nc: 3\nc: 4\n"
    with pytest.raises(InputError) as exc:
        load_yaml_text(text, "many.yaml")
    assert codes(exc) == ["duplicate-key", "unsafe-tag", "duplicate-key"]


def test_billion_laughs_fails_at_once_without_expanding() -> None:
    with pytest.raises(InputError) as exc:
        load_yaml_text(BILLION_LAUGHS, "bomb.yaml")
    assert codes(exc) == ["alias-limit"]
    assert len(exc.value.diagnostics()) < 500


def test_a_few_aliases_are_fine() -> None:
    doc = load_yaml_text("x: &x {a: 1}\ny: *x\n", "ok.yaml")
    assert doc.data == {"x": {"a": 1}, "y": {"a": 1}}


def test_merge_keys_are_rejected() -> None:
    with pytest.raises(InputError) as exc:
        load_yaml_text("x: &x {a: 1}\ny:\n  <<: *x\n", "merge.yaml")
    assert "merge-key" in codes(exc)


def test_deep_nesting_is_rejected() -> None:
    text = "a: " + "[" * 200 + "]" * 200 + "\n"
    with pytest.raises(InputError) as exc:
        load_yaml_text(text, "deep.yaml")
    assert codes(exc) == ["depth-limit"]


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200 + "\n")
    with pytest.raises(InputError) as exc:
        load_yaml(path, Limits(max_bytes=100))
    assert codes(exc) == ["size-limit"]


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n"])
def test_empty_files_are_a_clear_error(text: str) -> None:
    with pytest.raises(InputError) as exc:
        load_yaml_text(text, "empty.yaml")
    assert codes(exc) == ["empty-file"]


def test_non_utf8_reports_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("a: 1\nb: caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError) as exc:
        load_yaml(path)
    issue = exc.value.issues[0]
    assert issue.code == "not-utf8"
    assert issue.location.line == 2


def test_syntax_errors_are_located() -> None:
    with pytest.raises(InputError) as exc:
        load_yaml_text("a: [1, 2\nb: 3\n", "broken.yaml")
    issue = exc.value.issues[0]
    assert issue.code == "yaml-syntax"
    assert issue.location.line is not None


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load_yaml(tmp_path / "nope.yaml")
    assert codes(exc) == ["not-found"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_loads_or_raises_input_error(text: str) -> None:
    error: InputError | None = None
    try:
        load_yaml_text(text, "fuzz.yaml")
    except InputError as exc:
        error = exc
    if error is not None:
        assert error.issues
        assert all(issue.location.source == "fuzz.yaml" for issue in error.issues)


# Control characters are left out: PyYAML's emitter folds some of them (e.g. NEL).
_printable = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
_yaml_ish = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(_printable, max_size=10)),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(_printable, min_size=1, max_size=6), children, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(_yaml_ish)
def test_dumped_data_round_trips(value: object) -> None:
    from openres_check._yaml import dump_yaml  # noqa: PLC0415

    text = dump_yaml({"root": value})
    assert load_yaml_text(text, "round.yaml").data == {"root": value}
