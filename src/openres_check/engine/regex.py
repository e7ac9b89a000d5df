"""A regular-expression matcher that cannot hang.

Policy files are data, and a backtracking regex engine can be driven into exponential time by
a pattern like `(a+)+$`. This module parses the pattern with Python's own parser, rejects
constructs whose matching is not regular (backreferences, lookaround), bounds pattern and input
length, and runs the rest as a Thompson NFA: time is linear in the input for a fixed pattern.

Linear is not yet cheap: a pattern of thousands of states against a long text is billions of
steps. So the state count is capped when the pattern is compiled, the sets of states the NFA
passes through are cached as DFA transitions (most texts revisit a few sets), and a search
that still needs more than `_MAX_WORK` uncached state visits gives up with None: unknown.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import Any

# NOTE: Python's own regex parser is private; it moved in 3.11 (re._parser).
try:
    sre_parse: Any = importlib.import_module("re._parser")
    sre_constants: Any = importlib.import_module("re._constants")
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    sre_parse = importlib.import_module("sre_parse")
    sre_constants = importlib.import_module("sre_constants")

__all__ = ["MAX_INPUT", "MAX_PATTERN", "SafeRegex", "UnsafePatternError"]

MAX_PATTERN = 500
MAX_INPUT = 10_000
_MAX_STATES = 1_000
_MAX_WORK = 1_000_000
_MAX_CACHED = 200_000  # NFA states held in cached DFA transitions, to bound memory

_C: Any = sre_constants
Predicate = tuple[str, Any]


class UnsafePatternError(ValueError):
    """The pattern is invalid, too large, or uses a construct that could hang."""


@dataclass
class _State:
    test: Predicate | None = None  # a test on one character; None for an epsilon state
    out: list[int] = field(default_factory=list)
    anchor: str | None = None  # "start" or "end": zero-width assertions


class SafeRegex:
    """A compiled pattern. `search(text)` is True when the pattern occurs in `text`."""

    def __init__(self, pattern: str) -> None:
        if len(pattern) > MAX_PATTERN:
            raise UnsafePatternError(f"pattern longer than {MAX_PATTERN} characters")
        try:
            parsed = sre_parse.parse(pattern)
        except (re.error, RecursionError, OverflowError) as exc:
            raise UnsafePatternError(f"invalid pattern: {exc}") from None
        self.pattern = pattern
        self._ignore_case = bool(parsed.state.flags & re.IGNORECASE)
        self._states: list[_State] = []
        self._dfa: dict[frozenset[int], dict[str, frozenset[int]]] = {}
        self._dfa_size = 0
        start, ends = self._build(list(parsed), depth=0)
        self._accept = self._new(_State())
        for end in ends:
            self._states[end].out.append(self._accept)
        self._start = start

    # -- construction -------------------------------------------------------------------

    def _new(self, state: _State) -> int:
        if len(self._states) >= _MAX_STATES:
            raise UnsafePatternError(f"pattern expands to more than {_MAX_STATES} states "
                                     "(large repeat counts multiply)")
        self._states.append(state)
        return len(self._states) - 1

    def _build(self, items: list[tuple[Any, Any]], depth: int) -> tuple[int, list[int]]:
        """Build a fragment: (entry state, list of dangling exit states)."""
        if depth > 50:  # noqa: PLR2004
            raise UnsafePatternError("pattern nests too deeply")
        entry = self._new(_State())
        ends = [entry]
        for op, arg in items:
            frag_start, frag_ends = self._item(op, arg, depth)
            for end in ends:
                self._states[end].out.append(frag_start)
            ends = frag_ends
        return entry, ends

    def _item(self, op: Any, arg: Any, depth: int) -> tuple[int, list[int]]:
        if op in (_C.LITERAL, _C.NOT_LITERAL, _C.ANY, _C.IN):
            state = self._new(_State(test=self._predicate(op, arg)))
            return state, [state]
        if op is _C.SUBPATTERN:
            body = arg[-1]
            return self._build(list(body), depth + 1)
        if op is _C.BRANCH:
            entry = self._new(_State())
            ends: list[int] = []
            for alternative in arg[1]:
                start, alt_ends = self._build(list(alternative), depth + 1)
                self._states[entry].out.append(start)
                ends.extend(alt_ends)
            return entry, ends
        if op in (_C.MAX_REPEAT, _C.MIN_REPEAT, getattr(_C, "POSSESSIVE_REPEAT", None)):
            low, high, body = arg
            return self._repeat(int(low), high, list(body), depth)
        if op is _C.AT:
            if arg in (_C.AT_BEGINNING, _C.AT_BEGINNING_STRING):
                state = self._new(_State(anchor="start"))
            elif arg is _C.AT_END:
                state = self._new(_State(anchor="end"))
            elif arg is _C.AT_END_STRING:
                state = self._new(_State(anchor="end-string"))
            else:
                raise UnsafePatternError("word-boundary assertions are not supported")
            return state, [state]
        raise UnsafePatternError(f"unsupported construct in pattern: {str(op).lower()}")

    def _repeat(self, low: int, high: Any, body: list[tuple[Any, Any]],
                depth: int) -> tuple[int, list[int]]:
        unbounded = high is _C.MAXREPEAT
        bounded_high = low if unbounded else int(high)
        if bounded_high > 100 or low > 100:  # noqa: PLR2004
            raise UnsafePatternError("repeat counts above 100 are not supported")
        entry = self._new(_State())
        ends = [entry]
        for _ in range(low):
            start, frag_ends = self._build(body, depth + 1)
            for end in ends:
                self._states[end].out.append(start)
            ends = frag_ends
        if unbounded:
            loop = self._new(_State())
            for end in ends:
                self._states[end].out.append(loop)
            start, frag_ends = self._build(body, depth + 1)
            self._states[loop].out.append(start)
            for end in frag_ends:
                self._states[end].out.append(loop)
            return entry, [loop]
        optional_exits = list(ends)
        for _ in range(bounded_high - low):
            start, frag_ends = self._build(body, depth + 1)
            for end in ends:
                self._states[end].out.append(start)
            ends = frag_ends
            optional_exits.extend(ends)
        return entry, optional_exits

    def _predicate(self, op: Any, arg: Any) -> Predicate:
        fold = self._ignore_case
        if op is _C.LITERAL:
            char = chr(arg)
            return ("eq", char.lower() if fold else char)
        if op is _C.NOT_LITERAL:
            char = chr(arg)
            return ("ne", char.lower() if fold else char)
        if op is _C.ANY:
            return ("any", None)
        return ("in", self._char_class(arg))

    def _char_class(self, items: Any) -> tuple[bool, list[Predicate]]:
        negate = False
        tests: list[Predicate] = []
        for op, arg in items:
            if op is _C.NEGATE:
                negate = True
            elif op is _C.LITERAL:
                tests.append(("eq", chr(arg)))
            elif op is _C.RANGE:
                tests.append(("range", (chr(arg[0]), chr(arg[1]))))
            elif op is _C.CATEGORY:
                tests.append(("cat", arg))
            else:
                raise UnsafePatternError("unsupported character class")
        return negate, tests

    # -- matching ------------------------------------------------------------------------

    def _accepts(self, test: Predicate, char: str) -> bool:
        kind, value = test
        if self._ignore_case:
            char = char.lower()
        if kind == "eq":
            return bool(char == value)
        if kind == "ne":
            return bool(char != value)
        if kind == "any":
            return char != "\n"
        negate, tests = value
        hit = any(self._class_hit(t, char) for t in tests)
        return bool(hit != negate)

    def _class_hit(self, test: Predicate, char: str) -> bool:
        kind, value = test
        if kind == "eq":
            return bool(char == value) or (self._ignore_case and char == str(value).lower())
        if kind == "range":
            low, high = value
            return bool(low <= char <= high) or (
                self._ignore_case and (low <= char.upper() <= high)
            )
        return _category(value, char)

    def _closure(self, states: set[int], position: int, length: int,
                 ends_in_newline: bool) -> frozenset[int]:
        stack = list(states)
        seen = set(states)
        result: set[int] = set()
        while stack:
            index = stack.pop()
            state = self._states[index]
            if state.anchor == "start" and position != 0:
                continue
            if state.anchor == "end-string" and position != length:
                continue
            if state.anchor == "end" and not (position == length or (
                    position == length - 1 and ends_in_newline)):
                continue
            if state.test is not None:
                result.add(index)
                continue
            if index == self._accept:
                result.add(index)
            for nxt in state.out:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return frozenset(result)

    def _step(self, current: frozenset[int], char: str, position: int, length: int,
              ends_in_newline: bool) -> frozenset[int]:
        following: set[int] = {self._start}  # search: a match may start anywhere
        for index in current:
            state = self._states[index]
            if state.test is not None and self._accepts(state.test, char):
                following.update(state.out)
        return self._closure(following, position, length, ends_in_newline)

    def _remember(self, current: frozenset[int], char: str, following: frozenset[int]) -> None:
        if self._dfa_size > _MAX_CACHED:
            self._dfa.clear()
            self._dfa_size = 0
        self._dfa.setdefault(current, {})[char] = following
        self._dfa_size += len(following)

    def search(self, text: str) -> bool | None:
        """True when the pattern occurs in `text`, None when that costs too much to decide."""
        text = text[:MAX_INPUT]
        length = len(text)
        # Like Python's `$`, an end anchor also matches before one final newline.
        ends_in_newline = text.endswith("\n")
        current = self._closure({self._start}, 0, length, ends_in_newline)
        work = 0
        for position, char in enumerate(text, 1):
            if self._accept in current:
                return True
            # Away from both ends no anchor holds, so the step depends on the set and the
            # character only and can be cached.
            cacheable = position < length - 1
            row = self._dfa.get(current) if cacheable else None
            following = row.get(char) if row is not None else None
            if following is None:
                work += len(self._states)
                if work > _MAX_WORK:
                    return None
                following = self._step(current, char, position, length, ends_in_newline)
                if cacheable:
                    self._remember(current, char, following)
            current = following
        return self._accept in current


def _category(category: Any, char: str) -> bool:
    name = str(category).upper()
    if "DIGIT" in name:
        hit = char.isdigit()
    elif "SPACE" in name:
        hit = char.isspace()
    elif "WORD" in name:
        hit = char.isalnum() or char == "_"
    else:
        return False
    return not hit if "NOT" in name else hit
