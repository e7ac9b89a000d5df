"""The Python API as the README shows it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT
from openres_check import Context, InputError, UnknownModelError, check
from openres_check.policies import bundled_pack_paths


def test_readme_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", readme, re.DOTALL)
    assert block, "README has no python example"
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "context.yaml").write_text("use:\n  commercial: true\n",
                                                        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(block.group(1), "README.md", "exec"), namespace)  # noqa: S102 - our own README
    report = namespace["report"]
    assert report.exit_code(fail_on="high") == 1  # type: ignore[attr-defined]


def test_check_accepts_context_objects_and_mappings() -> None:
    as_object = check("Qwen/Qwen2.5-3B-Instruct", Context.from_mapping(
        {"use": {"commercial": True}}), ["license"], as_of="2026-01-01")
    as_mapping = check("Qwen/Qwen2.5-3B-Instruct", {"use": {"commercial": True}}, ["license"],
                       as_of="2026-01-01")
    assert as_object.to_dict() == as_mapping.to_dict()
    assert as_object.summary["fail"] == 1


def test_findings_are_frozen() -> None:
    report = check("Qwen/Qwen2.5-7B-Instruct", None, ["license"], as_of="2026-01-01")
    with pytest.raises(ValueError, match="frozen"):
        report.findings[0].status = "pass"  # type: ignore[misc,assignment]


def test_input_errors_are_raised_not_printed() -> None:
    with pytest.raises(UnknownModelError) as exc:
        check("no/such-model")
    assert isinstance(exc.value, InputError)
    with pytest.raises(InputError):
        check("Qwen/Qwen2.5-7B-Instruct", {"use": {"comercial": True}})
    with pytest.raises(InputError):
        check("Qwen/Qwen2.5-7B-Instruct", lang="fr")


def test_bundled_stands_for_every_bundled_pack_beside_a_company_pack() -> None:
    company = str(ROOT / "examples" / "policies" / "acme-procurement.yaml")
    report = check("Qwen/Qwen2.5-3B-Instruct", {"use": {"commercial": True}},
                   ["bundled", company], as_of="2026-01-01")
    packs = {p.id for p in report.policies}
    assert packs == {"acme.procurement"} | {f"openres.{name}" for name in bundled_pack_paths()}
    # The bundled research-only failure is not lost by adding a company pack.
    assert any(f.rule_id == "LIC-RESEARCH-ONLY" and f.status == "fail" for f in report.findings)
