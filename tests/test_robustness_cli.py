"""The command line under bad arguments, bad outputs and closed pipes: exit codes and no loss."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, CliResult
from openres_check._version import __version__
from openres_check.cli import inventory as inventory_cmd
from openres_check.cli.common import EXIT_ERROR, UsageError
from openres_check.cli.init import render_project
from openres_check.errors import InputError

Cli = Callable[..., CliResult]
Write = Callable[[str, str], Path]
MODEL = "Qwen/Qwen2.5-3B-Instruct"
RECORD = json.dumps({"id": MODEL}) + "\n"


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".")]


# -- A1: --jobs with a bad catalog --------------------------------------------------------


def test_a_bad_catalog_fails_before_worker_processes_start(
        cli: Cli, write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*_args: object) -> None:
        message = "a worker pool was started with a bad catalog"
        raise AssertionError(message)

    monkeypatch.setattr("multiprocessing.get_context", no_pool)
    catalog = write("c/models/a.yaml", "id: a\n").parent.parent
    inventory = write("i.jsonl", RECORD)
    code, _, err = cli("check", "--inventory", str(inventory), "--catalog", str(catalog),
                       "--jobs", "2")
    assert code == 2
    assert "a.yaml:1:1: error[missing-field]" in err
    assert "internal error" not in err


def test_a_worker_that_cannot_start_raises_from_its_first_task(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A Pool restarts a worker whose initializer raises, forever; the error must surface."""
    def broken(_settings: dict[str, Any]) -> None:
        raise InputError("cannot load the catalog")

    monkeypatch.setattr(inventory_cmd, "_checker", broken)
    monkeypatch.setattr(inventory_cmd, "_WORKER", None)
    inventory_cmd._init_worker({})
    with pytest.raises(Exception, match="cannot load the catalog") as raised:
        inventory_cmd._work([])
    assert "cannot load the catalog" in raised.value.diagnostics()  # type: ignore[attr-defined]


# -- B11, C16: inventory outputs -------------------------------------------------------------


def test_inventory_output_in_a_missing_folder_exits_2(cli: Cli, write: Write,
                                                      tmp_path: Path) -> None:
    inventory = write("i.jsonl", RECORD)
    code, _, err = cli("check", "--inventory", str(inventory), "-o",
                       str(tmp_path / "nodir" / "o.jsonl"))
    assert code == 2
    assert "cannot write" in err
    assert "hint: check that the folder exists" in err
    assert "internal error" not in err


def test_a_failed_inventory_run_keeps_the_previous_output_and_no_temp_file(
        cli: Cli, write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_settings: dict[str, Any]) -> None:
        raise InputError("the checker could not start")

    inventory = write("i.jsonl", RECORD)
    out = tmp_path / "out" / "prev.jsonl"
    out.parent.mkdir()
    out.write_text("previous\n", encoding="utf-8")
    monkeypatch.setattr(inventory_cmd, "_checker", broken)
    code, _, err = cli("check", "--inventory", str(inventory), "-o", str(out))
    assert code == 2
    assert "the checker could not start" in err
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert _temp_files(out.parent) == []


@pytest.mark.usefixtures("umask_022")
def test_inventory_output_gets_the_usual_permissions(cli: Cli, write: Write,
                                                     tmp_path: Path) -> None:
    inventory = write("i.jsonl", RECORD)
    out = tmp_path / "o.jsonl"
    code, _, _ = cli("check", "--inventory", str(inventory), "-o", str(out))
    assert code == 0
    assert out.stat().st_mode & 0o777 == 0o644


# -- B12: broken pipe ------------------------------------------------------------------------


@pytest.mark.slow
def test_a_closed_pipe_ends_the_run_quietly() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte: every write fails
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("OPENRES_CHECK_DEBUG", None)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "openres_check", "check", MODEL, "--all", "--format", "html"],
            stdout=write_end, stderr=subprocess.PIPE, text=True, check=False, env=env)
    finally:
        os.close(write_end)
    assert result.returncode == EXIT_ERROR
    assert result.stderr == ""


# -- C14, C15, C18: where outputs go ----------------------------------------------------------


def test_output_equal_to_an_input_is_refused(cli: Cli, write: Write, tmp_path: Path) -> None:
    context = write("my.yaml", "use:\n  commercial: true\n")
    code, _, err = cli("check", MODEL, "--context", str(context), "-o", str(context))
    assert code == 2
    assert "it is also an input" in err
    assert context.read_text(encoding="utf-8") == "use:\n  commercial: true\n"
    link = tmp_path / "link.yaml"
    link.symlink_to(context)
    assert cli("check", MODEL, "--context", str(context), "-o", str(link))[0] == 2
    assert context.read_text(encoding="utf-8") == "use:\n  commercial: true\n"
    inventory = write("i.jsonl", RECORD)
    code, _, err = cli("check", "--inventory", str(inventory), "-o", str(inventory))
    assert code == 2
    assert "it is also an input" in err
    assert inventory.read_text(encoding="utf-8") == RECORD


def test_overwriting_keeps_the_mode_and_writes_through_a_symlink(cli: Cli,
                                                                 tmp_path: Path) -> None:
    private = tmp_path / "private.json"
    private.write_text("{}", encoding="utf-8")
    private.chmod(0o600)
    assert cli("check", MODEL, "--format", "json", "-o", str(private))[0] == 0
    assert private.stat().st_mode & 0o777 == 0o600
    assert json.loads(private.read_text(encoding="utf-8"))["models"]
    link = tmp_path / "latest.json"
    link.symlink_to(private)
    assert cli("check", MODEL, "--format", "json", "-o", str(link))[0] == 0
    assert link.is_symlink()
    assert private.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(("output", "message"), [
    ("", "the output path is empty"),
    ("{dir}", "it is a folder"),
    ("{dir}/newdir/", "ends with a separator"),
])
def test_bad_output_paths_exit_2_with_a_clear_message(cli: Cli, tmp_path: Path, output: str,
                                                      message: str) -> None:
    code, _, err = cli("check", MODEL, "-o", output.format(dir=tmp_path))
    assert code == 2
    assert message in err
    assert "Device or resource busy" not in err
    assert not (tmp_path / "newdir").exists()


def test_init_refuses_a_folder_as_output(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("init", "--no-input", "--force", "-o", str(tmp_path))
    assert code == 2
    assert "it is a folder" in err


# -- C17: init writes what check accepts ------------------------------------------------------


def test_init_quotes_what_yaml_would_misread(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "openres.yaml"
    code, _, err = cli("init", "--no-input", "--country", "no", "--model", "a: b",
                       "--model", "./models/x #1", "-o", str(target))
    assert code == 0, err
    project = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert project["context"]["organization"]["country"] == "NO"
    assert project["context"]["deployment"]["regions"] == ["NO"]
    assert project["models"] == ["a: b", "./models/x #1"]


@pytest.mark.parametrize("argv", [
    ["--sector", "banking"],
    ["--sector", "x\ny: 1"],
    ["--model", "a\ny: 1"],
    ["--country", "ÄÖ"],
])
def test_init_rejects_answers_check_would_reject(cli: Cli, tmp_path: Path,
                                                 argv: list[str]) -> None:
    target = tmp_path / "openres.yaml"
    code, _, _ = cli("init", "--no-input", *argv, "-o", str(target))
    assert code == 2
    assert not target.exists()


def test_interactive_answers_are_validated_too() -> None:
    answers = {"models": "Qwen/Qwen2.5-7B-Instruct", "country": "JP", "mode": "self-hosted",
               "sector": "banking", "commercial": "yes", "lang": "en"}
    with pytest.raises(UsageError, match="banking"):
        render_project(answers)
    with pytest.raises(UsageError, match="maybe"):
        render_project({**answers, "sector": "general", "commercial": "maybe"})


# -- D19, D20: exit codes of check ------------------------------------------------------------


def test_inventory_honours_strict(cli: Cli, write: Write) -> None:
    inventory = write("i.jsonl", RECORD)  # no context: only `review` findings
    assert cli("check", "--inventory", str(inventory))[0] == 0
    assert cli("check", "--inventory", str(inventory), "--strict")[0] == 1


@pytest.mark.parametrize("extra", [["--baseline", "nothing.json"], [MODEL],
                                   ["--format", "text"]])
def test_inventory_rejects_what_it_cannot_honour(cli: Cli, write: Write,
                                                 extra: list[str]) -> None:
    inventory = write("i.jsonl", RECORD)
    code, out, err = cli("check", "--inventory", str(inventory), *extra)
    assert code == 2
    assert out == ""
    assert "--inventory" in err or "--format" in err


def test_a_revision_without_hub_is_a_usage_error(cli: Cli) -> None:
    code, out, err = cli("check", MODEL, "--revision", "main")
    assert (code, out) == (2, "")
    assert "--hub" in err


@pytest.mark.parametrize("text", ["", "# nothing\n", "{broken\nnot json either\n"])
def test_an_inventory_without_a_readable_record_exits_2(cli: Cli, write: Write,
                                                        tmp_path: Path, text: str) -> None:
    inventory = write("i.jsonl", text)
    out = tmp_path / "o.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    code, _, err = cli("check", "--inventory", str(inventory), "-o", str(out))
    assert code == 2
    assert "no record could be read" in err
    assert out.read_text(encoding="utf-8") == "previous\n"


@pytest.mark.parametrize("reference", ["", "  "])
def test_an_empty_model_reference_exits_2(cli: Cli, reference: str) -> None:
    code, out, err = cli("check", reference)
    assert code == 2
    assert out == ""
    assert "MODEL_REF is empty" in err


# -- D26, D27, D28, 29: the other commands ----------------------------------------------------


def test_validate_exits_2_on_stderr_for_a_missing_file(cli: Cli, tmp_path: Path) -> None:
    code, out, err = cli("validate", str(ROOT / "examples" / "context.yaml"),
                         str(tmp_path / "missing.yaml"))
    assert code == 2
    assert "missing.yaml" not in out
    assert "error[not-found]" in err
    assert "valid context" in out


def test_policy_test_with_no_case_files_exits_2(cli: Cli, tmp_path: Path) -> None:
    code, out, err = cli("policy", "test", str(tmp_path))
    assert code == 2
    assert "0 passed" not in out
    assert "no case files found" in err


def test_help_and_version_are_printed_once(cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli("check", "--help")
    assert code == 0
    assert out.startswith("usage: openres-check check")
    assert out.count("usage:") == 1
    code, out, _ = cli("--version")
    assert code == 0
    assert out == f"openres-check {__version__}\n"
    assert capsys.readouterr().out == ""


def test_catalog_show_of_a_path_says_it_wants_an_id(cli: Cli, write: Write) -> None:
    path = write("file.yaml", "id: x\n")
    code, _, err = cli("catalog", "show", str(path))
    assert code == 2
    assert "is a path, not a catalog id" in err
    assert "not a catalog id, an alias, or an existing path" not in err
