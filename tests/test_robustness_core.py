"""Robustness: hostile or mistaken input is refused clearly, never a hang or a traceback."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from openres_check._loading import validate
from openres_check._yaml import load_yaml
from openres_check.api import pack_params
from openres_check.catalog import Catalog, load_catalog
from openres_check.engine import regex
from openres_check.engine.regex import SafeRegex
from openres_check.engine.templates import format_value
from openres_check.errors import InputError, UnknownModelError
from openres_check.lineage import resolve_model
from openres_check.model.context import Context
from openres_check.model.descriptor import ModelDescriptor
from openres_check.model.waiver import Waiver
from openres_check.policies import _load_path, load_policies, load_policy
from openres_check.report import load_baseline
from openres_check.sources import load_reference

SOURCE = {"url": "https://example.invalid/card"}
# 24 bounded repeats: about 4,800 NFA states, too many to run against long texts.
HUGE_PATTERN = "[a-z]{0,99}" * 24 + "!"


def descriptor(model_id: str, *bases: str) -> ModelDescriptor:
    return ModelDescriptor.model_validate({
        "id": model_id, "publisher": {"name": "Example"}, "sources": [SOURCE],
        "licenses": {"weights": {"license": "mit", "source": SOURCE}},
        "lineage": [{"base": base, "relation": "merge"} for base in bases],
    })


def test_a_lineage_dag_of_repeated_bases_walks_each_base_once(catalog: Catalog) -> None:
    # Every model names its base three times: walking every path would be 3**depth visits.
    depth = 8
    models = {f"ex/m{i}": descriptor(f"ex/m{i}", *[f"ex/m{i + 1}"] * 3) for i in range(depth)}
    models[f"ex/m{depth}"] = descriptor(f"ex/m{depth}")
    lookups: list[str] = []

    def resolve_base(reference: str) -> tuple[ModelDescriptor, str]:
        lookups.append(reference)
        return models[reference], "test"

    resolved = resolve_model(models["ex/m0"], "test", catalog, resolve_base)
    assert len(lookups) == 3 * depth
    assert [t["license"] for t in resolved.facts["effective_terms"]] == ["mit"]
    assert resolved.facts["unresolved_bases"] == []


def pack(write: Callable[[str, str], Path], pattern: str) -> Path:
    return write("pack.yaml", f"""pack: test.pack
version: 1.0.0
title: {{en: T, ja: テスト}}
rules:
  - id: TST-ONE
    category: license
    severity: high
    title: {{en: t, ja: テスト}}
    message: {{en: "m {{model.id}}", ja: "メッセージ {{model.id}}"}}
    fails: {{fact: context.use.product_name, matches: '{pattern}'}}
""")


def test_a_pattern_over_the_state_budget_is_a_located_policy_error(
        write: Callable[[str, str], Path]) -> None:
    with pytest.raises(InputError) as exc:
        load_policy(pack(write, HUGE_PATTERN))
    issue = exc.value.issues[0]
    assert "states" in issue.message
    assert issue.location.line == 10
    assert issue.location.path == ("rules", 0, "fails", "matches")


def test_a_pack_cached_before_a_limit_tightened_still_gets_located_errors(
        write: Callable[[str, str], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    path = pack(write, "[a-z]{0,99}" * 8 + "!")  # about 1,600 states
    monkeypatch.setattr(regex, "_MAX_STATES", 5_000)
    load_policy(path)  # valid under the looser limit, so it is cached
    monkeypatch.undo()
    _load_path.cache_clear()
    with pytest.raises(InputError) as exc:
        load_policy(path)
    assert exc.value.issues[0].location.line == 10


def test_a_search_that_would_cost_too_much_is_unknown() -> None:
    # Each position of a random text reaches a new set of states: nothing can be cached.
    text = bin(7**4_000)[2:3_002].translate(str.maketrans("01", "ab"))
    assert SafeRegex("[ab]*a[ab]{90}[ab]{90}c").search(text) is None


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
def test_a_device_is_not_read_as_yaml(device: str) -> None:
    with pytest.raises(InputError) as exc:
        load_yaml(Path(device))
    assert exc.value.issues[0].code == "not-a-file"


def test_a_date_shaped_string_that_is_no_date_is_shown_as_is_in_japanese() -> None:
    assert format_value("2024-13-45", "ja") == "2024-13-45"


def test_a_reference_too_long_for_a_file_name_is_an_unknown_model(catalog: Catalog) -> None:
    with pytest.raises(UnknownModelError):
        load_reference("a/" + "b" * 5_000, catalog)


def test_a_pack_named_twice_is_evaluated_once() -> None:
    packs = load_policies(["license", "license", "openres.license"])
    assert [p.id for p in packs] == ["openres.license"]


@pytest.mark.parametrize(("name", "value"), [
    ("eu_gpai_start", "not-a-date"),
    ("eu_gpai_start", "2025-13-01"),
    ("eu_gpai_start", 20250802),
    ("eu_systemic_risk_flops", "1e24"),  # YAML 1.1 reads this as text
    ("eu_systemic_risk_flops", float("inf")),
    ("eu_systemic_risk_flops", [1]),
])
def test_a_parameter_of_the_wrong_type_is_refused(name: str, value: Any) -> None:
    packs = load_policies(["regulation"])
    with pytest.raises(InputError) as exc:
        pack_params(packs, {name: value})
    issue = exc.value.issues[0]
    assert issue.code == "bad-param"
    assert issue.location.path == (name,)
    assert "like the default" in str(issue.hint)
    # The right type is still taken.
    pack_params(packs, {"eu_gpai_start": dt.date(2026, 1, 1), "eu_systemic_risk_flops": 1e24})


@pytest.mark.parametrize("amount", [float("inf"), float("-inf"), float("nan")])
def test_infinite_amounts_are_refused(amount: float) -> None:
    with pytest.raises(InputError):
        Context.from_mapping({"organization": {"annual_revenue_usd": amount}})
    with pytest.raises(ValueError, match="finite"):
        ModelDescriptor.model_validate({**descriptor("ex/a").model_dump(mode="json"),
                                        "parameters_b": amount})


@pytest.mark.parametrize("expires", [86_400, 86_400.0, "86400", "20990101"])
def test_a_number_is_not_read_as_a_unix_timestamp_date(expires: Any) -> None:
    waiver = {"rule": "LIC-RESEARCH-ONLY", "reason": "r", "approved_by": "me"}
    with pytest.raises(InputError) as exc:
        validate(Waiver, {**waiver, "expires": expires}, "<waiver>", "waiver")
    assert "YYYY-MM-DD" in exc.value.issues[0].message
    assert validate(Waiver, {**waiver, "expires": "2099-01-01"}, "<w>").expires == \
        dt.date(2099, 1, 1)


def test_an_unreadable_pack_file_is_a_located_error(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text("pack: {id: p}\n", encoding="utf-8")
    real_open = Path.open

    def denied(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == pack:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(InputError) as exc:
        load_policy(pack)
    assert [i.code for i in exc.value.issues] == ["unreadable"]
    assert "Permission denied" in exc.value.diagnostics()


def test_a_device_as_baseline_is_refused_not_read_forever() -> None:
    with pytest.raises(InputError) as exc:
        load_baseline("/dev/zero")
    assert [i.code for i in exc.value.issues] == ["not-a-file"]


def test_a_catalog_folder_without_its_subfolders_is_refused(tmp_path: Path) -> None:
    (tmp_path / "r1.yaml").write_text("id: acme/model\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_catalog([tmp_path], include_bundled=False)
    assert [i.code for i in exc.value.issues] == ["catalog-layout"]
    assert "models/" in exc.value.diagnostics()
