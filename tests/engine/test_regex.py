from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openres_check.engine.regex import SafeRegex, UnsafePatternError


@pytest.mark.parametrize("pattern", ["(a)\\1", "(?=a)b", "(?<!a)b", "a{500}", "\\bword",
                                     "x" * 600])
def test_unsafe_or_unsupported_patterns_are_rejected(pattern: str) -> None:
    with pytest.raises(UnsafePatternError):
        SafeRegex(pattern)


def test_catastrophic_pattern_runs_in_linear_time() -> None:
    # (a+)+$ takes exponential time in a backtracking engine on this input.
    assert SafeRegex("(a+)+$").search("a" * 5000 + "!") is False
    assert SafeRegex("(a|aa)*c").search("a" * 5000) is False


_atoms = st.sampled_from(["a", "b", ".", "[ab]", "[^a]", "\\d", "(a|b)", "(ab)", "x"])
_quant = st.sampled_from(["", "*", "+", "?", "{1,2}", "{2}"])
_patterns = st.lists(st.tuples(_atoms, _quant), min_size=1, max_size=5).map(
    lambda parts: "".join(a + q for a, q in parts))


@settings(max_examples=400, deadline=None)
@given(_patterns, st.booleans(), st.booleans(), st.text(alphabet="ab1x\n", max_size=12))
def test_agrees_with_python_re(pattern: str, anchor_start: bool, anchor_end: bool,
                               text: str) -> None:
    full = ("^" if anchor_start else "") + pattern + ("$" if anchor_end else "")
    expected = re.search(full, text) is not None
    assert SafeRegex(full).search(text) is expected
