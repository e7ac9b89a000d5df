"""Compile condition trees into closures, once.

A condition is `all` / `any` / `not` / `some` / `every` over fact comparisons. Evaluation is
three-valued: True, False, or None for *unknown*. A comparison on a missing fact is unknown
and names the fact in `Scope.missing`; `all` with an unknown and no false is unknown, `any`
with an unknown and no true is unknown, and `not` keeps unknown unknown (Kleene logic).
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from openres_check.engine.facts import FactSchema
from openres_check.engine.regex import SafeRegex, UnsafePatternError
from openres_check.engine.scope import ABSENT, MISSING, Scope

__all__ = ["CompileError", "Compiled", "Compiler", "Tri"]

Tri = bool | None
Compiled = Callable[[Scope], Tri]
Getter = Callable[[Scope], Any]

_FACT_PATTERN = re.compile(r"^(model|context|item|params|run)(\.[A-Za-z0-9_-]+)*$")
_COMPARISONS = ("equals", "not_equals", "in", "contains", "intersects", "gt", "gte", "lt",
                "lte", "version", "matches", "exists")
_ORDERING: dict[str, Callable[[Any, Any], bool]] = {
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


@dataclass(frozen=True)
class CompileError(Exception):
    """A problem in a condition, with its path relative to the condition's root."""

    path: tuple[str | int, ...]
    message: str
    hint: str | None = None
    code: str = "bad-condition"


def _normalise(value: Any) -> Any:
    """Bring literals to the shapes facts have after JSON dumping (dates as ISO strings)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _orderable(a: Any, b: Any) -> bool:
    return (_is_number(a) and _is_number(b)) or (isinstance(a, str) and isinstance(b, str))


class Compiler:
    """Turns condition data into closures. One compiler per policy pack (it knows the sets)."""

    def __init__(self, sets: dict[str, list[str]] | None = None,
                 schema: FactSchema | None = None) -> None:
        self.sets = {name: list(values) for name, values in (sets or {}).items()}
        self.schema = schema
        self.errors: list[CompileError] = []

    def compile(self, node: Any, path: tuple[str | int, ...] = (),
                item_type: str | None = None) -> Compiled:
        """Compile `node`. Problems are collected in `self.errors`; a constant stands in."""
        try:
            return self._node(node, path, item_type)
        except CompileError as exc:
            self.errors.append(exc)
            return _constant(None)

    def _node(self, node: Any, path: tuple[str | int, ...], item_type: str | None) -> Compiled:
        if isinstance(node, bool):
            return _constant(node)
        if not isinstance(node, dict) or not node:
            raise CompileError(path, "a condition must be a mapping such as "
                               "{fact: ..., equals: ...} or {all: [...]}")
        if "fact" in node:
            return self._comparison(node, path, item_type)
        if len(node) != 1:
            raise CompileError(path, f"expected one of all/any/not/some/every, found "
                               f"{', '.join(map(str, node))}",
                               "wrap several conditions in `all: [...]`")
        (key, value), = node.items()
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                raise CompileError((*path, key), f"`{key}` takes a non-empty list of conditions")
            children = [self.compile(child, (*path, key, i), item_type)
                        for i, child in enumerate(value)]
            return _all(children) if key == "all" else _any(children)
        if key == "not":
            child = self.compile(value, (*path, key), item_type)
            return _not(child)
        if key in ("some", "every"):
            return self._quantifier(key, value, (*path, key), item_type)
        close = [k for k in ("all", "any", "not", "some", "every", "fact") if k[0] == str(key)[:1]]
        raise CompileError(path, f"unknown condition keyword {key!r}",
                           f"did you mean {close[0]!r}?" if close else
                           "use all, any, not, some, every, or a {fact: ...} comparison")

    def _quantifier(self, key: str, spec: Any, path: tuple[str | int, ...],
                    item_type: str | None) -> Compiled:
        if not isinstance(spec, dict) or set(spec) != {"in", "where"}:
            raise CompileError(path, f"`{key}` takes exactly `in: FACT` and `where: CONDITION`")
        collection = spec["in"]
        self._check_fact(collection, (*path, "in"), item_type)
        inner_type = self.schema.item_type(collection, item_type) if self.schema else None
        where = self.compile(spec["where"], (*path, "where"), inner_type)
        root, parts = _split(collection)
        label = collection.rsplit(".", 1)[-1]
        return _quantified(key == "some", root, parts, label, where)

    def _check_fact(self, fact: Any, path: tuple[str | int, ...], item_type: str | None) -> None:
        if not isinstance(fact, str) or not _FACT_PATTERN.match(fact):
            raise CompileError(path, f"{fact!r} is not a fact path",
                               "facts start with model., context., item., params. or run.")
        if self.schema is not None:
            problem = self.schema.check(fact, item_type)
            if problem is not None:
                raise CompileError(path, problem[0], problem[1], code="unknown-fact")

    def _operand(self, value: Any, path: tuple[str | int, ...],
                 item_type: str | None) -> Getter:
        if isinstance(value, dict):
            if set(value) == {"set"}:
                name = value["set"]
                if name not in self.sets:
                    known = ", ".join(self.sets) or "none yet"
                    raise CompileError(path, f"unknown set {name!r}",
                                       f"define it under `sets:` (known: {known})")
                members = self.sets[name]
                return lambda _scope: members
            if "fact" in value and set(value) <= {"fact", "times"}:
                self._check_fact(value["fact"], (*path, "fact"), item_type)
                root, parts = _split(value["fact"])
                factor = value.get("times")
                if factor is not None and not _is_number(factor):
                    raise CompileError((*path, "times"), "`times` takes a number")
                if factor is None:
                    return lambda scope: scope.read(root, parts)

                def scaled(scope: Scope) -> Any:
                    got = scope.read(root, parts)
                    if got is ABSENT or got is MISSING:
                        return got
                    return got * factor if _is_number(got) else MISSING
                return scaled
            raise CompileError(path, "an operand mapping must be {fact: ...} or {set: ...}")
        literal = _normalise(value)
        return lambda _scope: literal

    def _comparison(self, node: dict[str, Any], path: tuple[str | int, ...],
                    item_type: str | None) -> Compiled:
        ops = [k for k in node if k != "fact"]
        unknown = [k for k in ops if k not in _COMPARISONS]
        if unknown:
            raise CompileError(path, f"unknown comparison {unknown[0]!r}",
                               f"use one of: {', '.join(_COMPARISONS)}")
        if len(ops) != 1:
            raise CompileError(path, "a comparison takes `fact` and exactly one operator")
        fact = node["fact"]
        self._check_fact(fact, (*path, "fact"), item_type)
        root, parts = _split(fact)
        op = ops[0]
        raw = node[op]
        if op == "exists":
            if not isinstance(raw, bool):
                raise CompileError((*path, op), "`exists` takes true or false")
            return _exists(root, parts, raw)
        test = self._test(op, raw, (*path, op), item_type)
        return _compare(root, parts, fact, test, absent_result=op == "not_equals")

    def _test(self, op: str, raw: Any, path: tuple[str | int, ...],
              item_type: str | None) -> Callable[[Any, Scope], Tri]:
        if op == "version":
            from packaging.specifiers import InvalidSpecifier, SpecifierSet  # noqa: PLC0415

            try:
                spec = SpecifierSet(str(raw))
            except InvalidSpecifier:
                raise CompileError(path, f"{raw!r} is not a version specifier",
                                   "write e.g. '>=3.1,<4'") from None
            return lambda value, _scope: _version_in(value, spec)
        if op == "matches":
            if not isinstance(raw, str):
                raise CompileError(path, "`matches` takes a pattern string")
            try:
                regex = SafeRegex(raw)
            except UnsafePatternError as exc:
                raise CompileError(path, str(exc), "use a simpler pattern") from None
            return lambda value, _scope: regex.search(str(value)) if not isinstance(
                value, (dict, list)) else None
        operand = self._operand(raw, path, item_type)
        # Named, so that "cannot decide" blames the operand when it is the unknown side.
        operand_fact = str(raw["fact"]) if isinstance(raw, dict) and "fact" in raw else None
        if op in _ORDERING:
            if not isinstance(raw, dict) and not (_is_number(raw) or isinstance(
                    raw, (dt.date, str))):
                raise CompileError(path, f"`{op}` compares numbers or dates; got {raw!r}")
            order = _ORDERING[op]
            return _against_operand(
                lambda a, b: _orderable(a, b) and order(a, b), absent=False)(operand,
                                                                              operand_fact)
        if op in ("in", "intersects") and not isinstance(raw, (list, dict)):
            raise CompileError(path, f"`{op}` takes a list, {{set: NAME}} or {{fact: ...}}")
        return _MEMBERSHIP[op](operand, operand_fact)


def _split(fact: str) -> tuple[str, tuple[str, ...]]:
    root, *parts = fact.split(".")
    return root, tuple(parts)


def _constant(value: Tri) -> Compiled:
    return lambda _scope: value


def _all(children: list[Compiled]) -> Compiled:
    def evaluate(scope: Scope) -> Tri:
        result: Tri = True
        for child in children:
            got = child(scope)
            if got is False:
                return False
            if got is None:
                result = None
        return result
    return evaluate


def _any(children: list[Compiled]) -> Compiled:
    def evaluate(scope: Scope) -> Tri:
        result: Tri = False
        for child in children:
            got = child(scope)
            if got is True:
                return True
            if got is None:
                result = None
        return result
    return evaluate


def _not(child: Compiled) -> Compiled:
    def evaluate(scope: Scope) -> Tri:
        got = child(scope)
        return None if got is None else not got
    return evaluate


def _label(item: Any, index: int) -> str:
    if isinstance(item, dict):
        for key in ("license", "id", "base", "name"):
            if isinstance(item.get(key), str):
                return str(item[key])
    elif isinstance(item, (str, int, float)):
        return str(item)
    return str(index)


def _quantified(is_some: bool, root: str, parts: tuple[str, ...], label: str,
                where: Compiled) -> Compiled:
    decisive = is_some  # `some` stops at the first True, `every` at the first False

    def evaluate(scope: Scope) -> Tri:
        collection = scope.peek(root, parts)
        if collection is ABSENT:
            return not decisive
        if collection is MISSING:
            scope.missing.append(".".join((root, *parts)))
            return None
        if not isinstance(collection, list):
            collection = [collection]
        saved_item = scope.roots.get("item")
        saved_label = scope.item_label
        mark_reads, mark_missing = len(scope.reads), len(scope.missing)
        # Only the outermost `some` collects: an inner one's items are not the rule's subject.
        matches = scope.matches if is_some and saved_item is None else None
        result: Tri = not decisive
        try:
            for index, item in enumerate(collection):
                start_reads, start_missing = len(scope.reads), len(scope.missing)
                scope.roots["item"] = item
                scope.item_label = f"{label}[{_label(item, index)}]"
                got = where(scope)
                if got is decisive and matches is not None and isinstance(item, dict):
                    matches.append(item)
                    result = decisive
                    continue
                if got is decisive:
                    del scope.reads[mark_reads:start_reads]
                    del scope.missing[mark_missing:start_missing]
                    if isinstance(item, dict):
                        scope.bound = item
                    return decisive
                if got is None:
                    if result is not decisive:
                        result = None
                else:
                    del scope.missing[start_missing:]
        finally:
            scope.roots["item"] = saved_item
            scope.item_label = saved_label
        return result
    return evaluate


def _exists(root: str, parts: tuple[str, ...], expected: bool) -> Compiled:
    def evaluate(scope: Scope) -> Tri:
        value = scope.read(root, parts)
        present = value is not MISSING and value is not ABSENT and value not in ([], {})
        return present is expected
    return evaluate


def _compare(root: str, parts: tuple[str, ...], name: str,
             test: Callable[[Any, Scope], Tri], absent_result: bool) -> Compiled:
    def evaluate(scope: Scope) -> Tri:
        value = scope.read(root, parts)
        if value is ABSENT:
            return absent_result
        if value is MISSING:
            scope.missing.append(_display(scope, root, name))
            return None
        before = len(scope.missing)
        got = test(value, scope)
        if got is None and len(scope.missing) == before:
            scope.missing.append(_display(scope, root, name))
        return got
    return evaluate


def _display(scope: Scope, root: str, name: str) -> str:
    if root == "item" and scope.item_label:
        return scope.item_label + name[len("item"):]
    return name


def _version_in(value: Any, spec: Any) -> Tri:
    from packaging.version import InvalidVersion, Version  # noqa: PLC0415 - rarely used

    try:
        return bool(Version(str(value)) in spec)
    except InvalidVersion:
        return None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _is_in(value: Any, other: Any) -> bool:
    pool = _as_list(other)
    # A list-valued fact is "in" the pool when every element is.
    return all(v in pool for v in value) if isinstance(value, list) else value in pool


def _has(value: Any, other: Any) -> bool:
    if isinstance(value, str):
        return isinstance(other, str) and other in value
    return isinstance(value, list) and other in value


def _overlaps(value: Any, other: Any) -> bool:
    pool = _as_list(other)
    return any(v in pool for v in _as_list(value))


def _against_operand(relation: Callable[[Any, Any], bool], absent: bool,
                     ) -> Callable[[Getter, str | None], Callable[[Any, Scope], Tri]]:
    """A comparison with an operand: unknown when the operand fact is missing, `absent` when
    the operand is a clause the license does not have."""
    def make(operand: Getter, operand_fact: str | None) -> Callable[[Any, Scope], Tri]:
        def test(value: Any, scope: Scope) -> Tri:
            other = operand(scope)
            if other is MISSING:
                if operand_fact is not None:
                    root = operand_fact.split(".", 1)[0]
                    scope.missing.append(_display(scope, root, operand_fact))
                return None
            if other is ABSENT:
                return absent
            return bool(relation(value, other))
        return test
    return make


_MEMBERSHIP: dict[str, Callable[[Getter, str | None], Callable[[Any, Scope], Tri]]] = {
    "equals": _against_operand(operator.eq, absent=False),
    "not_equals": _against_operand(operator.ne, absent=True),
    "in": _against_operand(_is_in, absent=False),
    "contains": _against_operand(_has, absent=False),
    "intersects": _against_operand(_overlaps, absent=False),
}


def iter_facts(node: Any) -> Iterable[str]:
    """Every fact path a condition mentions (for linting and documentation)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("fact", "in") and isinstance(value, str):
                yield value
            else:
                yield from iter_facts(value)
    elif isinstance(node, list):
        for child in node:
            yield from iter_facts(child)
