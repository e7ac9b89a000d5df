"""Compact bulk output: context-scoped rules, memo keys, and verdicts equal to the full mode."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from openres_check._memo import ByteBoundedMemo
from openres_check.api import pack_params
from openres_check.catalog import Catalog
from openres_check.compact import base_blind
from openres_check.engine.facts import context_facts
from openres_check.engine.rules import FactSet
from openres_check.lineage import resolve_model
from openres_check.model.context import Context
from openres_check.policies import load_policies

CONTEXTS = [
    {"use": {"commercial": True, "monthly_active_users": 1000, "sector": "medical"},
     "organization": {"country": "JP", "type": "private"},
     "deployment": {"public_facing": True, "regions": ["JP", "DE"]},
     "data": {"categories": ["personal", "health"], "subject_regions": ["JP", "DE"]}},
    {"use": {"commercial": False, "sector": "education"},
     "organization": {"country": "CN", "type": "government"},
     "deployment": {"mode": "cloud", "regions": ["CN"]}},
    {},
]


def test_context_scoped_rules_never_change_with_the_model(catalog: Catalog) -> None:
    packs = load_policies()
    params = pack_params(packs, None)
    ids = sorted(catalog.entries)
    sample = random.Random(3).sample(ids, 25)  # noqa: S311 - a fixed sample, not a secret
    models = [resolve_model(catalog.get(i).descriptor, "catalog", catalog).facts
              for i in sample]
    models.append({"id": "x/empty"})  # a model with no facts at all
    scoped = [(p, r) for p in packs for r in p.rules if not r.model_scoped]
    assert scoped, "the bundled packs have organisation-level rules"
    changed_model_rules = set()
    for raw in CONTEXTS:
        ctx = context_facts(Context.from_mapping(raw))
        for as_of in ("2025-01-01", "2027-06-01"):
            def decide(model: dict[str, Any], pack: Any, rule: Any,
                       ctx: dict[str, Any] = ctx, as_of: str = as_of) -> tuple[str, str]:
                facts = FactSet(model=model, context=ctx, run={"as_of": as_of},
                                model_source="m", context_source="c")
                verdict = rule.judge(facts, params[pack.id], "en")
                finding = verdict.finding()
                return verdict.status, finding.message
            for pack, rule in scoped:
                seen = {decide(model, pack, rule) for model in models}
                assert len(seen) == 1, rule.rule.id
            for pack in packs:
                for rule in pack.rules:
                    if rule.model_scoped and len({decide(m, pack, rule)[0]
                                                  for m in models}) > 1:
                        changed_model_rules.add(rule.rule.id)
    # The flips are real: they do change what the model-scoped rules decide.
    assert len(changed_model_rules) > 10


PACK = """\
pack: test.scope
version: 1.0.0
title: {en: T, ja: T}
rules:
  - id: T-CONTEXT
    category: regulation
    severity: low
    title: {en: t, ja: t}
    review: {fact: context.use.commercial, equals: true}
    message: {en: "{context.use.sector}", ja: "{context.use.sector}"}
  - id: T-MESSAGE-ONLY
    category: regulation
    severity: low
    title: {en: t, ja: t}
    review: {fact: context.use.commercial, equals: true}
    message: {en: "{model.id} is used commercially", ja: "{model.id}"}
  - id: T-APPLIES
    category: regulation
    severity: low
    title: {en: t, ja: t}
    applies: {fact: model.modalities, contains: image}
    review: true
    message: {en: m, ja: m}
  - id: T-QUANTIFIER
    category: regulation
    severity: low
    title: {en: t, ja: t}
    review:
      some: {in: context.data.categories, where: {fact: item, equals: health}}
    message: {en: m, ja: m}
  - id: T-REMEDIATION
    category: regulation
    severity: low
    title: {en: t, ja: t}
    review: true
    message: {en: m, ja: m}
    remediation: {en: "see {model.publisher.name}", ja: "{model.publisher.name}"}
"""


def test_a_rule_touching_the_model_anywhere_is_model_scoped(
        write: Callable[[str, str], Path]) -> None:
    pack, = load_policies([str(write("p.yaml", PACK))])
    scoped = {r.rule.id: r.model_scoped for r in pack.rules}
    assert scoped == {"T-CONTEXT": False, "T-MESSAGE-ONLY": True, "T-APPLIES": True,
                      "T-QUANTIFIER": True, "T-REMEDIATION": True}


def test_renaming_a_base_is_blocked_by_a_pattern_on_the_lineage(
        write: Callable[[str, str], Path]) -> None:
    assert base_blind(r for p in load_policies() for r in p.rules)
    text = PACK + """\
  - id: T-PATTERN
    category: lineage
    severity: low
    title: {en: t, ja: t}
    review: {some: {in: model.lineage, where: {fact: item.base, matches: "^meta-llama/"}}}
    message: {en: m, ja: m}
"""
    pack, = load_policies([str(write("p.yaml", text))])
    assert not base_blind(pack.rules)


def test_memo_is_bounded_in_bytes() -> None:
    memo: ByteBoundedMemo[int, str] = ByteBoundedMemo(10_000)
    for i in range(1_000):
        memo.put(i, "x" * 500)
    assert memo.size <= 10_000
    assert 10 <= len(memo) <= 20
    assert memo.get(999) is not None
    assert memo.get(0) is None


LICENSES = ["apache-2.0", "mit", "llama3.1", "llama3.2", "gemma", "cc-by-nc-4.0", "openrail",
            "other", "unknown", None]
NAMES = [None, "qwen-research", "deepseek", "my-custom"]
KNOWN_BASES = ["meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen2.5-7B-Instruct",
               "google/gemma-2-9b-it", "deepseek-ai/DeepSeek-R1-Distill-Llama-8B"]


def _inventory(records: int, seed: int) -> str:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not a secret
    lines = []
    for i in range(records):
        card: dict[str, Any] = {}
        if (tag := rng.choice(LICENSES)) is not None:
            card["license"] = tag
        if tag == "other" and (name := rng.choice(NAMES)):
            card["license_name"] = name
        roll = rng.random()
        if roll < 0.6:  # the long tail: a base nobody catalogued, most of them distinct
            card["base_model"] = f"user{rng.randrange(records)}/base-{i}"
        elif roll < 0.8:
            card["base_model"] = rng.choice(KNOWN_BASES)
        if "base_model" in card and rng.random() < 0.4:
            # Spellings that name the same relation, and one implied by a single base.
            card["base_model_relation"] = rng.choice(["adapter", "quantized", "merge",
                                                      "finetune", "fine-tune", "quantization"])
        if rng.random() < 0.1:
            card["model_name"] = f"name-{rng.randrange(5)}"
        # Pipelines of one modality are judged as one; they must still agree with full mode.
        pipeline = rng.choice(["text-generation", "text2text-generation", "image-text-to-text",
                               "visual-question-answering", "text-to-speech", None])
        record: dict[str, Any] = {"id": f"org{i % 97}/model-{i}", "cardData": card}
        if pipeline:
            record["pipeline_tag"] = pipeline
        if i % 50 == 7:
            record = {"id": rng.choice(KNOWN_BASES)}
        lines.append(json.dumps(record))
    return "\n".join(lines) + "\n"


def _full_verdicts(text: str) -> dict[str, tuple[str, set[str]]]:
    by_model: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in text.splitlines():
        row = json.loads(line)
        by_model[row["model"]].append(row)
    out = {}
    for model, rows in by_model.items():
        statuses = {r["status"] for r in rows}
        verdict = ("fail" if "fail" in statuses else "conditional" if "review" in statuses
                   else "pass")
        out[model] = (verdict, {f"{r['status']}:{r['rule_id']}" for r in rows
                                if r["status"] in ("fail", "review")})
    return out


def _compact_verdicts(text: str) -> dict[str, tuple[str, set[str]]]:
    lines = [json.loads(line) for line in text.splitlines()]
    run = lines[0]
    assert run["type"] == "run"
    reasons = {r["id"]: r for r in lines if r["type"] == "reasons"}
    models = [m for m in lines if m["type"] == "model"]
    for model in models:  # each names its reasons, written before it, one per rule listed
        why = reasons[model["reasons"]]
        for status in ("fail", "review"):
            assert sorted(why.get(status, {})) == model.get(status, [])
    deployment = {f"{f['status']}:{f['rule_id']}" for f in run["deployment"]
                  if f["status"] in ("fail", "review")}
    return {m["model"]: (m["verdict"], {d for d in deployment
                                         if d.split(":", 1)[1] not in m.get("waived", [])} | {
        f"{status}:{rule}" for status in ("fail", "review") for rule in m.get(status, {})})
        for m in models}


WAIVERS = """\
waivers:
  - {rule: LIC-USER-THRESHOLD, reason: r, approved_by: Legal, expires: 2099-01-01}
  - {rule: OBL-ATTRIBUTION, model: org3/model-3, reason: r, approved_by: L, expires: 2099-01-01}
  - {rule: REG-JP-AI-GUIDELINES, model: org5/model-5, reason: r, approved_by: L,
     expires: 2099-01-01}
  - {rule: LIN-BASE-UNRESOLVED, reason: r, approved_by: L, expires: 2000-01-01}
"""


@pytest.mark.parametrize(("extra", "context"), [
    ((), ("use: {commercial: true, monthly_active_users: 800000000}\n"
          "organization: {country: JP}\ndeployment: {public_facing: true}\n"
          "data: {categories: [personal]}\n")),
    (("--strict", "--fail-on", "low"), "use: {commercial: false}\norganization: {country: DE}\n"),
    (("--waivers",), ("use: {commercial: true, monthly_active_users: 800000000}\n"
                      "organization: {country: JP}\n")),
])
def test_compact_and_full_give_the_same_verdicts_and_exit_codes(
        cli: Any, write: Callable[[str, str], Path], extra: tuple[str, ...],
        context: str) -> None:
    inventory = write("inv.jsonl", _inventory(2_000, seed=len(extra)))
    ctx = write("ctx.yaml", context)
    if extra == ("--waivers",):
        extra = ("--waivers", str(write("waivers.yaml", WAIVERS)))
    args = ("check", "--inventory", str(inventory), "--context", str(ctx),
            "--as-of", "2026-06-01", *extra)
    code_full, out_full, err_full = cli(*args, "--findings", "full")
    code_compact, out_compact, err_compact = cli(*args)
    assert code_full == code_compact
    assert err_full == err_compact  # the same counts by status, severity and license
    full, compact = _full_verdicts(out_full), _compact_verdicts(out_compact)
    # A model with nothing to show writes no line in full mode: it passed.
    assert {m: v for m, v in compact.items() if v[0] != "pass" or v[1]} == full
    assert sum('"type":"model"' in line for line in out_compact.splitlines()) == 2_000
    assert len({v[0] for v in compact.values()}) >= 2


def test_every_line_follows_the_published_schema(cli: Any,
                                                 write: Callable[[str, str], Path]) -> None:
    import jsonschema  # noqa: PLC0415 - only this test needs it

    from conftest import ROOT  # noqa: PLC0415

    schema = json.loads((ROOT / "schemas" / "bulk.schema.json").read_text(encoding="utf-8"))
    inventory = write("inv.jsonl", _inventory(200, seed=9))
    waivers = write("waivers.yaml", WAIVERS)
    ctx = write("ctx.yaml", "use: {commercial: true}\norganization: {country: JP}\n"
                "data: {categories: [health]}\n")
    _code, out, _ = cli("check", "--inventory", str(inventory), "--context", str(ctx),
                        "--waivers", str(waivers))
    validator = jsonschema.Draft202012Validator(schema)
    kinds = set()
    for line in out.splitlines():
        row = json.loads(line)
        validator.validate(row)
        kinds.add(row["type"])
    assert kinds == {"run", "reasons", "model"}


def test_gate_flag_matches_the_exit_code(cli: Any, write: Callable[[str, str], Path]) -> None:
    inventory = write("inv.jsonl", _inventory(300, seed=5))
    ctx = write("ctx.yaml", "use: {commercial: true}\norganization: {country: JP}\n")
    code, out, _ = cli("check", "--inventory", str(inventory), "--context", str(ctx))
    gates = [row["gate"] for row in map(json.loads, out.splitlines()) if row["type"] == "model"]
    assert code == (1 if any(gates) else 0)


def test_the_unknown_base_is_written_back(cli: Any, write: Callable[[str, str], Path]) -> None:
    inventory = write("inv.jsonl", "\n".join(json.dumps(
        {"id": f"u/m{i}", "cardData": {"license": "mit", "base_model": f"u/base-{i}"}})
        for i in range(3)) + "\n")
    ctx = write("ctx.yaml", "use: {commercial: true}\n")
    _code, out, _ = cli("check", "--inventory", str(inventory), "--context", str(ctx),
                        "--as-of", str(dt.date(2026, 6, 1)))
    rows = [row for row in map(json.loads, out.splitlines()) if row["type"] == "model"]
    assert [r["licenses"] for r in rows] == [["mit", f"unknown terms of u/base-{i}"]
                                             for i in range(3)]
    assert all("placeholder" not in line for line in out.splitlines())
    reasons = [row for row in map(json.loads, out.splitlines()) if row["type"] == "reasons"]
    assert len(reasons) == 1  # the three records are judged as one
    assert reasons[0]["review"]["LIN-BASE-UNRESOLVED"] == {
        "fact": "model.unresolved_bases", "value": ["{base}"]}


def test_jobs_write_the_same_model_lines(cli: Any, write: Callable[[str, str], Path]) -> None:
    inventory = write("inv.jsonl", _inventory(400, seed=2))
    ctx = write("ctx.yaml", "use: {commercial: true}\norganization: {country: JP}\n")
    outputs = []
    for jobs in ("1", "2"):
        target = write(f"out{jobs}.jsonl", "")
        cli("check", "--inventory", str(inventory), "--context", str(ctx), "--jobs", jobs,
            "--output", str(target))
        lines = target.read_text(encoding="utf-8").splitlines()
        outputs.append((lines[0], [line for line in lines if '"type":"model"' in line]))
    assert outputs[0] == outputs[1]
    assert len(outputs[0][1]) == 400


@pytest.mark.parametrize("mode", ["compact", "full"])
def test_records_that_differ_in_their_publisher_are_judged_apart(
        cli: Any, write: Callable[[str, str], Path], mode: str) -> None:
    inventory = write("inv.jsonl", "\n".join(json.dumps(
        {"id": f"u/m{i}", "cardData": {"license": "mit", **creator}})
        for i, creator in enumerate([{}, {"model_creator": "DeepSeek"}])) + "\n")
    ctx = write("ctx.yaml", "organization: {type: government, country: JP}\n")
    _code, out, _ = cli("check", "--inventory", str(inventory), "--context", str(ctx),
                        "--findings", mode, "--as-of", "2026-06-01")
    rows = [json.loads(line) for line in out.splitlines()]
    shown: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if mode == "full":
            shown[row["model"]].add(row["rule_id"])
        elif row["type"] == "model":
            shown[row["model"]].update(row.get("review", []), row.get("fail", []))
    deepseek = {m for m, rules in shown.items()
                if any(r.startswith("REG-GOV-DEEPSEEK") for r in rules)}
    assert deepseek == {"u/m1"}


TAG_PACK = """\
pack: test.tags
version: 1.0.0
title: {en: T, ja: T}
rules:
  - id: T-EU-GATED
    category: territory
    severity: high
    title: {en: t, ja: t}
    fails: {fact: model.tags, contains: extra_gated_eu_disallowed}
    message: {en: m, ja: m}
"""


@pytest.mark.parametrize("mode", ["compact", "full"])
def test_card_values_equal_in_python_but_not_on_the_card_are_judged_apart(
        cli: Any, write: Callable[[str, str], Path], mode: str) -> None:
    # `true`, `1` and `1.0` are equal (and hash alike) in Python; only `true` gates the card.
    values = [True, 1, 1.0, True]
    inventory = write("inv.jsonl", "\n".join(json.dumps(
        {"id": f"u/m{i}", "cardData": {"license": "mit", "extra_gated_eu_disallowed": value}})
        for i, value in enumerate(values)) + "\n")
    ctx = write("ctx.yaml", "use: {commercial: true}\n")
    _code, out, _ = cli("check", "--inventory", str(inventory), "--context", str(ctx),
                        "--policy", str(write("tags.yaml", TAG_PACK)), "--findings", mode,
                        "--as-of", "2026-06-01")
    rows = [json.loads(line) for line in out.splitlines()]
    if mode == "full":
        failed = {r["model"] for r in rows if r["status"] == "fail"}
    else:
        failed = {r["model"] for r in rows if r["type"] == "model" and r.get("fail")}
    assert failed == {"u/m0", "u/m3"}


def test_pipelines_of_one_modality_share_an_evaluation(write: Callable[[str, str], Path]) -> None:
    from openres_check.catalog import load_catalog  # noqa: PLC0415
    from openres_check.compact import CompactChecker  # noqa: PLC0415
    from openres_check.model.context import Context  # noqa: PLC0415

    checker = CompactChecker(load_catalog(), load_policies(), Context(), dt.date(2026, 6, 1),
                             "en")
    cards = [{"license": "mit", "base_model": "u/b", "base_model_relation": relation}
             for relation in ("finetune", "fine-tune", None)]
    records = [{"id": f"u/m{i}", "cardData": {k: v for k, v in card.items() if v},
                "pipeline_tag": pipeline}
               for i, (card, pipeline) in enumerate(
                   (c, p) for c in cards for p in ("text-generation", "text2text-generation"))]
    records.append({"id": "u/speech", "cardData": cards[0], "pipeline_tag": "text-to-speech"})
    checker.run_chunk([(n, json.dumps(r)) for n, r in enumerate(records, 1)])
    assert len(checker._records) == len(records)
    assert len(checker._evaluations) == 2  # text, and text with audio


def test_renumbering_fingerprints_changes_no_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the interned fingerprints pass their budget they are numbered again from zero;
    the rule and vector memos keyed by the old numbers must go with them, or a record would
    be judged by another record's decisions."""
    from openres_check import compact  # noqa: PLC0415
    from openres_check.catalog import load_catalog  # noqa: PLC0415

    context = Context.model_validate({"use": {"commercial": True},
                                      "organization": {"country": "JP"}})
    chunk = list(enumerate(_inventory(600, seed=5).splitlines(), 1))

    def lines() -> list[str]:
        checker = compact.CompactChecker(load_catalog(), load_policies(), context,
                                         dt.date(2026, 6, 1), "en")
        return checker.run_chunk(chunk).lines

    roomy = lines()
    monkeypatch.setattr(compact, "INTERNED_BYTES", 2_000)
    assert lines() == roomy
