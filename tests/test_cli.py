from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from conftest import ASSETS, ROOT, CliResult

Cli = Callable[..., CliResult]
COMMERCIAL = "use:\n  commercial: true\n  monthly_active_users: 20000\n"


@pytest.fixture
def commercial(write: Callable[[str, str], Path]) -> Path:
    return write("ctx.yaml", COMMERCIAL)


def test_research_only_model_used_commercially_exits_1_and_explains(cli: Cli,
                                                                   commercial: Path) -> None:
    code, out, err = cli("check", "Qwen/Qwen2.5-3B-Instruct", "--context", str(commercial))
    assert code == 1, err
    assert "FAIL" in out
    assert "LIC-RESEARCH-ONLY" in out
    assert "research and evaluation only" in out
    assert "use.commercial = true" in out


def test_the_same_in_japanese(cli: Cli, commercial: Path) -> None:
    code, out, _ = cli("check", "Qwen/Qwen2.5-3B-Instruct", "--context", str(commercial),
                       "--lang", "ja")
    assert code == 1
    assert "不適合" in out
    assert "研究・評価目的に限定" in out
    assert "商用ライセンスを取得" in out


def test_permissive_model_passes_the_gate(cli: Cli, commercial: Path) -> None:
    code, out, _ = cli("check", "Qwen/Qwen2.5-7B-Instruct", "--context", str(commercial))
    assert code == 0
    assert not re.search(r"^\s+FAIL\s", out, re.MULTILINE)
    assert "FAIL 0" in out


def test_no_context_gives_review_not_pass_and_strict_gates_it(cli: Cli) -> None:
    code, out, _ = cli("check", "Qwen/Qwen2.5-3B-Instruct")
    assert code == 0
    assert "REVIEW" in out
    assert "context.use.commercial" in out
    code, _, _ = cli("check", "Qwen/Qwen2.5-3B-Instruct", "--strict")
    assert code == 1


def test_fail_on_never_and_critical(cli: Cli, commercial: Path) -> None:
    assert cli("check", "Qwen/Qwen2.5-3B-Instruct", "--context", str(commercial),
               "--fail-on", "never")[0] == 0
    assert cli("check", "Qwen/Qwen2.5-3B-Instruct", "--context", str(commercial),
               "--fail-on", "critical")[0] == 1


def test_json_output_validates_against_the_published_schema(cli: Cli, commercial: Path) -> None:
    code, out, _ = cli("check", "Qwen/Qwen2.5-3B-Instruct", "deepseek-ai/DeepSeek-R1",
                       "--context", str(commercial), "--format", "json", "--as-of", "2026-01-01")
    assert code == 1
    document = json.loads(out)
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
    jsonschema.validate(document, schema)
    assert document["as_of"] == "2026-01-01"
    assert document["summary"]["fail"] >= 1
    assert [m["id"] for m in document["models"]] == ["Qwen/Qwen2.5-3B-Instruct",
                                                     "deepseek-ai/DeepSeek-R1"]


def test_unknown_model_suggests_close_matches(cli: Cli) -> None:
    code, out, err = cli("check", "qwen2.5-7b-instruc")
    assert code == 2
    assert out == ""
    assert "unknown model" in err
    assert "Qwen/Qwen2.5-7B-Instruct" in err
    assert "Traceback" not in err


def test_output_is_written_atomically(cli: Cli, commercial: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, _ = cli("check", "Qwen/Qwen2.5-7B-Instruct", "--context", str(commercial),
                       "--format", "json", "--output", str(target))
    assert code == 0
    assert out == ""
    assert json.loads(target.read_text())["tool"]["name"] == "openres-check"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


def test_unwritable_output_exits_2(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("check", "Qwen/Qwen2.5-7B-Instruct", "--output",
                       str(tmp_path / "missing-folder" / "r.txt"))
    assert code == 2
    assert "cannot write" in err


def test_color_only_when_asked_or_on_a_tty(cli: Cli, commercial: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _, plain, _ = cli("check", "Qwen/Qwen2.5-3B-Instruct", "--context", str(commercial))
    assert "\x1b[" not in plain
    _, colored, _ = cli("check", "Qwen/Qwen2.5-3B-Instruct", "--context", str(commercial),
                        "--color", "always")
    assert "\x1b[31;1m" in colored
    monkeypatch.setenv("NO_COLOR", "1")
    from openres_check.cli.common import use_color  # noqa: PLC0415

    class Tty:
        def isatty(self) -> bool:
            return True

    assert use_color("auto", Tty()) is False  # type: ignore[arg-type]


def test_bad_arguments_exit_2(cli: Cli) -> None:
    code, _, err = cli("check", "Qwen/Qwen2.5-7B-Instruct", "--format", "pdf")
    assert code == 2
    assert "invalid choice" in err
    code, _, err = cli("check", "Qwen/Qwen2.5-7B-Instruct", "--as-of", "yesterday")
    assert code == 2
    assert "YYYY-MM-DD" in err


def test_no_model_and_no_project_file(cli: Cli, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("check")
    assert code == 2
    assert "openres.yaml" in err


def test_project_file_gates(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "openres.yaml").write_text(
        "models:\n  - Qwen/Qwen2.5-3B-Instruct\ncontext:\n  use: {commercial: true}\n"
        "policies: [license]\nfail_on: high\nlang: ja\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("check")
    assert code == 1
    assert "不適合" in out


BAD_INPUTS = {
    "duplicate-key.yaml": ("duplicate-key", 3),
    "wrong-type.yaml": ("bad-value", 2),
    "unknown-key.yaml": ("unknown-field", 2),
    "python-tag.yaml": ("unsafe-tag", 1),
    "alias-bomb.yaml": ("alias-limit", None),
    "deep-nesting.yaml": ("depth-limit", 1),
    "non-utf8.yaml": ("not-utf8", 2),
    "empty.yaml": ("empty-file", None),
    "syntax-error.yaml": ("yaml-syntax", 2),
    "not-a-mapping.yaml": ("bad-type", 1),
    "bad-enum.yaml": ("bad-value", 2),
}


def test_every_bad_input_has_a_case() -> None:
    assert {p.name for p in (ASSETS / "bad").iterdir()} == set(BAD_INPUTS)


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_exits_2_with_a_located_message(cli: Cli, name: str) -> None:
    path = ASSETS / "bad" / name
    code, out, err = cli("check", "Qwen/Qwen2.5-7B-Instruct", "--context", str(path))
    issue_code, line = BAD_INPUTS[name]
    assert code == 2
    assert out == ""
    assert f"error[{issue_code}]" in err
    assert str(path) + (f":{line}:" if line else ":") in err
    assert "Traceback" not in err
    assert "lol" not in err  # an alias bomb is never expanded, not even in the message


def test_unknown_key_gets_did_you_mean(cli: Cli) -> None:
    _, _, err = cli("check", "Qwen/Qwen2.5-7B-Instruct", "--context",
                    str(ASSETS / "bad" / "unknown-key.yaml"))
    assert "did you mean 'commercial'?" in err
    assert "did you mean 'organization'?" in err


@pytest.mark.slow
def test_module_entry_point_runs_in_a_subprocess() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run([sys.executable, "-m", "openres_check", "--version"],
                            capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0
    assert result.stdout.startswith("openres-check ")


def test_project_file_model_paths_are_relative_to_it(cli: Cli, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    (project / "models" / "ft").mkdir(parents=True)
    (project / "models" / "ft" / "README.md").write_text(
        "---\nlicense: apache-2.0\nbase_model: Qwen/Qwen2.5-3B-Instruct\n---\n", encoding="utf-8")
    (project / "openres.yaml").write_text(
        "models: [models/ft]\ncontext: {use: {commercial: true}}\npolicies: [license]\n",
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("check", "--project", str(project / "openres.yaml"))
    assert code == 1, err
    assert "LIC-RESEARCH-ONLY" in out


def test_init_writes_a_project_that_checks(cli: Cli, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("init", "--no-input", "--model", "Qwen/Qwen2.5-3B-Instruct",
                       "--country", "jp", "--lang", "ja")
    assert code == 0
    assert "wrote openres.yaml" in out
    text = (tmp_path / "openres.yaml").read_text(encoding="utf-8")
    assert "country: JP" in text
    code, out, _ = cli("check")
    assert code == 1
    assert "不適合" in out
    code, _, err = cli("init", "--no-input")
    assert code == 2
    assert "--force" in err
    assert cli("init", "--no-input", "--force")[0] == 0


def test_waiver_missing_a_field_exits_2(cli: Cli, write: Callable[[str, str], Path]) -> None:
    waivers = write("waivers.yaml", "waivers:\n  - rule: LIC-RESEARCH-ONLY\n"
                    "    reason: signed\n    expires: 2027-01-01\n")
    code, _, err = cli("check", "Qwen/Qwen2.5-3B-Instruct", "--waivers", str(waivers))
    assert code == 2
    assert "required key 'approved_by' is missing" in err
    assert f"{waivers}:2:" in err


def test_valid_waiver_lets_the_gate_pass(cli: Cli, write: Callable[[str, str], Path],
                                         commercial: Path) -> None:
    waivers = write("waivers.yaml", "waivers:\n  - rule: LIC-RESEARCH-ONLY\n"
                    "    model: qwen2.5-3b-instruct\n    reason: license signed\n"
                    "    approved_by: Legal\n    expires: 2099-01-01\n")
    code, out, _ = cli("check", "Qwen/Qwen2.5-3B-Instruct", "--context", str(commercial),
                       "--waivers", str(waivers), "--policy", "license")
    assert code == 0
    assert "WAIVED" in out
    assert "Legal" in out


def test_baseline_fails_only_on_new_findings(cli: Cli, commercial: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    code, _, _ = cli("check", "Qwen/Qwen2.5-3B-Instruct", "--context", str(commercial),
                     "--policy", "license", "--format", "json", "--output", str(baseline))
    assert code == 1
    code, _, _ = cli("check", "Qwen/Qwen2.5-3B-Instruct", "--context", str(commercial),
                     "--policy", "license", "--baseline", str(baseline))
    assert code == 0
    # A model that was not in the baseline brings a new failing finding: the gate fails.
    code, out, _ = cli("check", "Qwen/Qwen2.5-3B-Instruct", "Qwen/Qwen2.5-3B",
                       "--context", str(commercial), "--policy", "license", "--baseline",
                       str(baseline))
    assert code == 1
    # Findings of the new model are marked new; those the baseline had are not.
    known, _, added = out.partition("\nQwen/Qwen2.5-3B\n")
    assert "Qwen/Qwen2.5-3B-Instruct" in known
    assert "[NEW]" not in known
    assert "LIC-RESEARCH-ONLY  Research-only license used commercially  [NEW]" in added
    code, out, _ = cli("check", "Qwen/Qwen2.5-3B-Instruct", "Qwen/Qwen2.5-3B",
                       "--context", str(commercial), "--policy", "license", "--baseline",
                       str(baseline), "--format", "sarif")
    states = {(r["properties"]["model"], r["ruleId"]): r["baselineState"]
              for r in json.loads(out)["runs"][0]["results"]}
    assert states[("Qwen/Qwen2.5-3B-Instruct", "LIC-RESEARCH-ONLY")] == "unchanged"
    assert states[("Qwen/Qwen2.5-3B", "LIC-RESEARCH-ONLY")] == "new"
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    code, _, err = cli("check", "Qwen/Qwen2.5-3B-Instruct", "--baseline", str(bad))
    assert code == 2
    assert "not a JSON report" in err


def test_an_internal_error_is_reported_without_a_traceback(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        message = "simulated bug"
        raise RuntimeError(message)

    monkeypatch.setattr("openres_check.cli.check.check", broken)
    code, _, err = cli("check", "Qwen/Qwen2.5-7B-Instruct")
    assert code == 2
    assert "internal error: RuntimeError: simulated bug" in err
    assert "Traceback" not in err
    monkeypatch.setenv("OPENRES_CHECK_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli("check", "Qwen/Qwen2.5-7B-Instruct")
