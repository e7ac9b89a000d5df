"""Bulk inventories: streaming, bad lines, the memo, processes and the summary."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from openres_check.catalog import Catalog
from openres_check.inventory import InventoryChecker, Outcome, iter_records
from openres_check.model.context import Context
from openres_check.policies import load_policies

CONTEXT = "use: {commercial: true, monthly_active_users: 1000}\norganization: {country: JP}\n"


def record(model_id: str, **card: Any) -> str:
    return json.dumps({"id": model_id, "cardData": card, "tags": ["transformers"]})


def findings(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def ctx(write: Callable[[str, str], Path]) -> Path:
    return write("ctx.yaml", CONTEXT)


def test_jsonl_inventory_streams_findings_per_record(cli: Any, write: Callable[[str, str], Path],
                                                     ctx: Path) -> None:
    inventory = write("inv.jsonl", "\n".join([
        record("acme/ft-1", license="apache-2.0", base_model="Qwen/Qwen2.5-3B-Instruct"),
        record("acme/ft-2", license="apache-2.0", base_model="Qwen/Qwen2.5-3B-Instruct"),
        record("acme/ok", license="apache-2.0"),
        json.dumps({"id": "Qwen/Qwen2.5-72B-Instruct"}),
    ]) + "\n")
    code, out, err = cli("check", "--findings", "full", "--inventory", str(inventory), "--context", str(ctx),
                         "--policy", "license")
    assert code == 1  # the research-only base fails
    rows = findings(out)
    failing = {(r["model"], r["rule_id"]) for r in rows if r["status"] == "fail"}
    assert failing == {("acme/ft-1", "LIC-RESEARCH-ONLY"), ("acme/ft-2", "LIC-RESEARCH-ONLY")}
    assert all(r["status"] in ("fail", "review", "waived") for r in rows)
    via = next(r["via"] for r in rows if r["model"] == "acme/ft-2")
    assert via == ["acme/ft-2", "Qwen/Qwen2.5-3B-Instruct"]
    assert "4 records checked, 0 skipped" in err
    assert "records by license:" in err


def test_all_includes_pass_and_not_applicable(cli: Any, write: Callable[[str, str], Path],
                                              ctx: Path) -> None:
    inventory = write("inv.jsonl", record("acme/ok", license="apache-2.0") + "\n")
    code, out, _ = cli("check", "--findings", "full", "--inventory", str(inventory), "--context", str(ctx),
                       "--policy", "license", "--all")
    assert code == 0
    statuses = {r["status"] for r in findings(out)}
    assert "pass" in statuses


def test_malformed_lines_are_reported_and_the_gate_does_not_pass(
        cli: Any, write: Callable[[str, str], Path], ctx: Path) -> None:
    inventory = write("inv.jsonl", "\n".join([
        record("acme/a", license="mit"), "{not json", "[1, 2]", json.dumps({"cardData": {}}),
        record("acme/b", license="mit")]) + "\n")
    code, out, err = cli("check", "--findings", "full", "--inventory", str(inventory), "--context", str(ctx),
                         "--policy", "license", "--all")
    # A record that could not be read was never judged: the run cannot pass.
    assert code == 2
    assert f"{inventory}:2: skipped: not valid JSON" in err
    assert f"{inventory}:3: skipped: a record must be an object" in err
    assert f"{inventory}:4: skipped: the record has no `id`" in err
    assert "2 records checked, 3 skipped" in err
    assert "--skip-invalid" in err
    # The records that could be read are all in the output: nothing is lost.
    assert {r["model"] for r in findings(out)} == {"acme/a", "acme/b"}
    code, out, err = cli("check", "--findings", "full", "--inventory", str(inventory), "--context", str(ctx),
                         "--policy", "license", "--skip-invalid", "--all")
    assert code == 0
    assert f"{inventory}:2: skipped" in err
    assert {r["model"] for r in findings(out)} == {"acme/a", "acme/b"}
    code, _, err = cli("check", "--findings", "full", "--inventory", str(inventory), "--context", str(ctx),
                       "--policy", "license", "--strict")
    assert code == 2
    assert "--strict stops the run" in err


def test_a_failing_record_still_exits_1_when_others_were_skipped(
        cli: Any, write: Callable[[str, str], Path], ctx: Path) -> None:
    inventory = write("inv.jsonl", record("acme/nc", license="cc-by-nc-4.0") + "\n{bad\n")
    code, _, err = cli("check", "--findings", "full", "--inventory", str(inventory), "--context", str(ctx),
                       "--policy", "license")
    assert code == 1
    assert f"{inventory}:2: skipped" in err


@pytest.mark.parametrize(("raw", "reason"), [
    (b'{"id": "acme/x", "cardData": {"license": "mit\\ud800"}}',
     "cardData.license holds a lone surrogate"),
    (b'{"id": "acme/x\\udfff", "cardData": {"license": "mit"}}', "id holds a lone surrogate"),
    (b'{"id": "acme/x", "cardData": {"license": "mit\xff\xfe"}}',
     "not valid UTF-8: byte 0xff at column 46"),
    (b'{"id": "acme/x", "cardData": {"license": "\xc3("}}', "not valid UTF-8: byte 0xc3"),
])
def test_undecodable_records_are_skipped_with_their_line(
        cli: Any, tmp_path: Path, ctx: Path, raw: bytes, reason: str) -> None:
    inventory = tmp_path / "inv.jsonl"
    good = record("acme/good", license="mit").encode()
    inventory.write_bytes(good + b"\n" + raw + b"\n" + good.replace(b"good", b"fine") + b"\n")
    code, out, err = cli("check", "--findings", "full", "--inventory", str(inventory), "--context", str(ctx),
                         "--policy", "license", "--skip-invalid", "--all")
    assert code == 0, err
    assert f"{inventory}:2: skipped: {reason}" in err
    assert "internal error" not in err
    assert "\ufffd" not in out
    assert {r["model"] for r in findings(out)} == {"acme/good", "acme/fine"}


def test_valid_surrogate_pairs_and_non_ascii_text_are_kept(
        cli: Any, tmp_path: Path, ctx: Path) -> None:
    inventory = tmp_path / "inv.jsonl"
    inventory.write_text(json.dumps({"id": "acme/\U0001f600-日本", "cardData": {
        "license": "mit"}}) + "\n", encoding="utf-8")
    code, out, err = cli("check", "--findings", "full", "--inventory", str(inventory), "--context", str(ctx),
                         "--policy", "license", "--all")
    assert code == 0, err
    assert {r["model"] for r in findings(out)} == {"acme/\U0001f600-日本"}


@pytest.mark.parametrize("jobs", ["0", "-1", "100000"])
def test_jobs_out_of_range_is_a_usage_error(cli: Any, write: Callable[[str, str], Path],
                                           ctx: Path, jobs: str) -> None:
    inventory = write("inv.jsonl", record("acme/a", license="mit") + "\n")
    code, _, err = cli("check", "--findings", "full", "--inventory", str(inventory), "--context", str(ctx),
                       "--jobs", jobs)
    assert code == 2
    assert "--jobs" in err
    assert "from 1 to 64" in err


def test_yaml_stream_of_descriptors(cli: Any, write: Callable[[str, str], Path],
                                   ctx: Path) -> None:
    inventory = write("inv.yaml", """---
id: acme/nc
publisher: {name: ACME}
licenses:
  weights: {license: cc-by-nc-4.0, source: {url: "https://acme.example/card"}}
sources: [{url: "https://acme.example/card"}]
---
id: acme/apache
publisher: {name: ACME}
licenses:
  weights: {license: apache-2.0, source: {url: "https://acme.example/card"}}
sources: [{url: "https://acme.example/card"}]
""")
    code, out, err = cli("check", "--findings", "full", "--inventory", str(inventory), "--context", str(ctx),
                         "--policy", "license")
    assert code == 1
    failing = {(r["model"], r["rule_id"]) for r in findings(out) if r["status"] == "fail"}
    assert failing == {("acme/nc", "LIC-NON-COMMERCIAL")}
    assert "2 records checked" in err


def test_jobs_give_the_same_output(cli: Any, write: Callable[[str, str], Path], ctx: Path,
                                   tmp_path: Path) -> None:
    lines = [record(f"u/m{i}", license=["mit", "llama3.1", "other"][i % 3],
                    license_name="qwen-research" if i % 3 == 2 else None) for i in range(1200)]
    inventory = write("inv.jsonl", "\n".join(lines) + "\n")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert cli("check", "--findings", "full", "--inventory", str(inventory), "--context", str(ctx), "--output",
               str(one))[0] == 1
    assert cli("check", "--findings", "full", "--inventory", str(inventory), "--context", str(ctx), "--output",
               str(two), "--jobs", "2")[0] == 1
    assert one.read_text() == two.read_text()
    assert len(findings(one.read_text())) > 1200


def test_inventory_reading_is_lazy() -> None:
    """Records are read as they are needed: an endless input still yields its first records."""
    endless: Iterator[str] = (record(f"u/m{i}", license="mit") + "\n" for i in itertools.count())
    first = list(itertools.islice(iter_records(endless), 5))
    assert [line for line, _raw in first] == [1, 2, 3, 4, 5]


def test_100k_records_with_malformed_lines_in_constant_state(catalog: Catalog) -> None:
    checker = InventoryChecker(catalog, load_policies(["license"]),
                               Context.model_validate({"use": {"commercial": True}}),
                               dt.date(2026, 1, 1), "en")
    lines = (record(f"u/m{i}", license="mit") if i % 1000 else "{broken"
             for i in itertools.count(1))
    total = Outcome()
    records = iter_records(itertools.islice((line + "\n" for line in lines), 100_000))
    while chunk := list(itertools.islice(records, 2000)):
        outcome = checker.run_chunk(chunk)
        total.merge(outcome)
    assert total.records == 99_900
    assert [s.line for s in total.skipped][:2] == [1000, 2000]
    assert len(total.skipped) == 100
    assert len(checker._memo) == 1  # identical records share one evaluation


def test_unknown_param_fails_before_streaming(cli: Any, write: Callable[[str, str], Path],
                                              ctx: Path) -> None:
    inventory = write("inv.jsonl", record("acme/a", license="mit") + "\n")
    code, out, err = cli("check", "--findings", "full", "--inventory", str(inventory), "--context", str(ctx),
                         "--param", "nope=1")
    assert code == 2
    assert out == ""
    assert "unknown-param" in err


def test_waivers_apply_in_inventories(cli: Any, write: Callable[[str, str], Path],
                                      ctx: Path) -> None:
    inventory = write("inv.jsonl", "\n".join([
        record("acme/ft-1", license="apache-2.0", base_model="Qwen/Qwen2.5-3B-Instruct"),
        record("acme/ft-2", license="apache-2.0", base_model="Qwen/Qwen2.5-3B-Instruct"),
    ]) + "\n")
    waivers = write("waivers.yaml", "waivers:\n  - rule: LIC-RESEARCH-ONLY\n"
                    "    model: acme/ft-1\n    reason: licensed\n    approved_by: Legal\n"
                    "    expires: 2099-01-01\n")
    code, out, _ = cli("check", "--findings", "full", "--inventory", str(inventory), "--context", str(ctx),
                       "--policy", "license", "--waivers", str(waivers))
    statuses = {(r["model"], r["rule_id"]): r["status"] for r in findings(out)}
    assert statuses[("acme/ft-1", "LIC-RESEARCH-ONLY")] == "waived"
    assert statuses[("acme/ft-2", "LIC-RESEARCH-ONLY")] == "fail"
    assert code == 1
    everyone = write("all.yaml", "waivers:\n  - rule: LIC-RESEARCH-ONLY\n    reason: licensed\n"
                     "    approved_by: Legal\n    expires: 2099-01-01\n")
    code, out, _ = cli("check", "--findings", "full", "--inventory", str(inventory), "--context", str(ctx),
                       "--policy", "license", "--waivers", str(everyone))
    assert code == 0
    assert {r["status"] for r in findings(out) if r["rule_id"] == "LIC-RESEARCH-ONLY"} == \
        {"waived"}
