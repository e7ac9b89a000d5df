from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openres_check.engine.conditions import Compiler, Tri
from openres_check.engine.facts import FactSchema
from openres_check.engine.scope import Scope

TERMS = [
    {"license": "mit", "commercial_use": {"scope": "allowed"}, "via": ["a"]},
    {"license": "llama-3.3", "commercial_use": {"scope": "conditional"},
     "user_threshold": {"limit": 700_000_000, "confidence": "verified"}, "via": ["a", "b"]},
]


def scope(context: dict[str, Any] | None = None, model: dict[str, Any] | None = None) -> Scope:
    return Scope(
        roots={"model": model if model is not None else {"id": "a", "effective_terms": TERMS},
               "context": context or {}, "params": {"gpai_date": "2025-08-02"},
               "run": {"as_of": "2026-01-01"}, "item": None},
        sources={"model": "catalog", "context": "ctx.yaml"},
    )


def evaluate(node: Any, context: dict[str, Any] | None = None,
             model: dict[str, Any] | None = None) -> tuple[Tri, Scope]:
    compiler = Compiler(sets={"eu": ["DE", "FR"]}, schema=FactSchema({"gpai_date": None}))
    compiled = compiler.compile(node)
    assert not compiler.errors, compiler.errors
    s = scope(context, model)
    return compiled(s), s


@pytest.mark.parametrize(("node", "context", "expected"), [
    ({"fact": "context.use.commercial", "equals": True}, {"use": {"commercial": True}}, True),
    ({"fact": "context.use.commercial", "equals": True}, {"use": {"commercial": False}}, False),
    ({"fact": "context.use.commercial", "equals": True}, {}, None),
    ({"fact": "context.use.commercial", "not_equals": True}, {"use": {"commercial": False}}, True),
    ({"fact": "context.use.monthly_active_users", "gt": 10}, {"use": {"monthly_active_users": 11}},
     True),
    ({"fact": "context.use.monthly_active_users", "lte": 10},
     {"use": {"monthly_active_users": 11}}, False),
    ({"fact": "context.organization.country", "in": {"set": "eu"}},
     {"organization": {"country": "FR"}}, True),
    ({"fact": "context.organization.country", "in": ["JP"]}, {"organization": {"country": "FR"}},
     False),
    ({"fact": "context.data.categories", "contains": "health"},
     {"data": {"categories": ["personal", "health"]}}, True),
    ({"fact": "context.data.categories", "intersects": ["health", "biometric"]},
     {"data": {"categories": ["personal"]}}, False),
    ({"fact": "context.use.product_name", "matches": "(?i)^clinic"},
     {"use": {"product_name": "Clinic Assistant"}}, True),
    ({"fact": "context.use.product_name", "version": ">=1.2"}, {"use": {"product_name": "1.10"}},
     True),
    ({"fact": "context.use.product_name", "version": ">=1.2"},
     {"use": {"product_name": "not a version"}}, None),
    ({"fact": "context.use.product_name", "exists": True}, {}, False),
    ({"fact": "context.use.product_name", "exists": False}, {}, True),
    ({"fact": "run.as_of", "gte": {"fact": "params.gpai_date"}}, {}, True),
])
def test_comparisons(node: Any, context: dict[str, Any], expected: Tri) -> None:
    assert evaluate(node, context)[0] is expected


UNKNOWN = {"fact": "context.use.commercial", "equals": True}
TRUE = {"fact": "model.id", "equals": "a"}
FALSE = {"fact": "model.id", "equals": "z"}


@pytest.mark.parametrize(("node", "expected"), [
    ({"all": [TRUE, TRUE]}, True),
    ({"all": [TRUE, UNKNOWN]}, None),
    ({"all": [FALSE, UNKNOWN]}, False),
    ({"any": [FALSE, UNKNOWN]}, None),
    ({"any": [TRUE, UNKNOWN]}, True),
    ({"any": [FALSE, FALSE]}, False),
    ({"not": UNKNOWN}, None),
    ({"not": TRUE}, False),
])
def test_three_valued_logic(node: Any, expected: Tri) -> None:
    assert evaluate(node)[0] is expected


def test_unknown_names_the_missing_fact() -> None:
    result, s = evaluate({"all": [TRUE, UNKNOWN]})
    assert result is None
    assert s.missing == ["context.use.commercial"]


def test_some_binds_the_matching_item_and_keeps_only_its_evidence() -> None:
    node = {"some": {"in": "model.effective_terms", "where": {"all": [
        {"fact": "item.user_threshold.limit", "exists": True},
        {"fact": "context.use.monthly_active_users", "gt": {"fact": "item.user_threshold.limit"}},
    ]}}}
    result, s = evaluate(node, {"use": {"monthly_active_users": 800_000_000}})
    assert result is True
    assert s.bound["license"] == "llama-3.3"
    labels = {r.item_label for r in s.reads if r.root == "item"}
    assert labels == {"effective_terms[llama-3.3]"}


def test_some_over_a_threshold_with_unknown_users_is_unknown() -> None:
    node = {"some": {"in": "model.effective_terms", "where": {
        "fact": "context.use.monthly_active_users", "gt": {"fact": "item.user_threshold.limit"}}}}
    result, s = evaluate(node, {})
    assert result is None
    assert "context.use.monthly_active_users" in s.missing


def test_every_and_missing_collection() -> None:
    every = {"every": {"in": "model.effective_terms",
                       "where": {"fact": "item.via", "contains": "a"}}}
    assert evaluate(every)[0] is True
    assert evaluate(every, model={"id": "a"})[0] is None


def test_times_scales_a_fact_operand() -> None:
    node = {"some": {"in": "model.effective_terms", "where": {"all": [
        {"fact": "item.user_threshold.limit", "exists": True},
        {"fact": "context.use.monthly_active_users",
         "gte": {"fact": "item.user_threshold.limit", "times": 0.8}}]}}}
    assert evaluate(node, {"use": {"monthly_active_users": 600_000_000}})[0] is True
    assert evaluate(node, {"use": {"monthly_active_users": 500_000_000}})[0] is False


def test_a_missing_operand_fact_is_unknown_not_false() -> None:
    # The MIT term has no threshold: comparing against it is unknown, so `some` is unknown.
    node = {"some": {"in": "model.effective_terms", "where": {
        "fact": "context.use.monthly_active_users",
        "gte": {"fact": "item.user_threshold.limit", "times": 0.8}}}}
    assert evaluate(node, {"use": {"monthly_active_users": 500_000_000}})[0] is None


@pytest.mark.parametrize(("node", "needle"), [
    ({"fact": "context.use.comercial", "equals": True}, "did you mean context.use.commercial"),
    ({"fact": "context.use.commercial", "equal": True}, "unknown comparison 'equal'"),
    ({"alll": []}, "unknown condition keyword"),
    ({"all": []}, "non-empty list"),
    ({"fact": "context.use.product_name", "matches": "(a)\\1"}, "unsupported construct"),
    ({"fact": "context.use.product_name", "version": "~~1"}, "not a version specifier"),
    ({"fact": "context.organization.country", "in": {"set": "asia"}}, "unknown set"),
    ({"fact": "params.nope", "equals": 1}, "unknown parameter"),
    ({"fact": "nothing.at.all", "equals": 1}, "is not a fact path"),
    ({"some": {"in": "model.effective_terms"}}, "exactly `in: FACT` and `where"),
    ({"fact": "model.effective_terms", "gt": [1]}, "compares numbers or dates"),
])
def test_compile_errors_are_collected_with_a_hint(node: Any, needle: str) -> None:
    compiler = Compiler(sets={"eu": ["DE"]}, schema=FactSchema({"gpai_date": None}))
    compiler.compile(node, ("rules", 0, "fails"))
    assert compiler.errors
    error = compiler.errors[0]
    assert needle in f"{error.message} {error.hint}"
    assert error.path[:3] == ("rules", 0, "fails")


def test_item_facts_are_checked_against_the_collection_type() -> None:
    compiler = Compiler(schema=FactSchema())
    compiler.compile({"some": {"in": "model.effective_terms",
                               "where": {"fact": "item.user_treshold.limit", "exists": True}}})
    assert compiler.errors
    assert "user_threshold" in str(compiler.errors[0].hint)


_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8),
                  st.sampled_from(["context.use.commercial", "model.id", "item.license",
                                   "fact", "all", "some", "in", "where", "equals", "gt"]))
_trees = st.recursive(_leaf, lambda c: st.one_of(
    st.lists(c, max_size=3),
    st.dictionaries(st.sampled_from(["fact", "all", "any", "not", "some", "every", "in",
                                     "where", "equals", "gt", "matches", "exists", "set",
                                     "times", "version", "contains"]), c, max_size=3)),
    max_leaves=15)


@settings(max_examples=400, deadline=None)
@given(_trees, st.dictionaries(st.sampled_from(["use", "data"]), st.dictionaries(
    st.sampled_from(["commercial", "categories"]), _leaf, max_size=2), max_size=2))
def test_compiler_accepts_or_reports_any_input(tree: Any, context: dict[str, Any]) -> None:
    compiler = Compiler(schema=FactSchema())
    compiled = compiler.compile(tree)
    result = compiled(scope(context))
    assert result in (True, False, None)
    if compiler.errors:
        assert all(isinstance(e.message, str) for e in compiler.errors)


def test_absent_clause_of_a_complete_license_is_false_not_unknown() -> None:
    complete = [{"license": "mit", "_complete": True}]
    open_entry = [{"license": "mystery"}]
    node = {"some": {"in": "model.effective_terms", "where": {
        "fact": "item.user_threshold.metric", "equals": "monthly_active_users"}}}
    assert evaluate(node, model={"id": "a", "effective_terms": complete})[0] is False
    assert evaluate(node, model={"id": "a", "effective_terms": open_entry})[0] is None
    negated = {"some": {"in": "model.effective_terms", "where": {
        "fact": "item.user_threshold.metric", "not_equals": "monthly_active_users"}}}
    assert evaluate(negated, model={"id": "a", "effective_terms": complete})[0] is True
