"""Fail closed everywhere: untrusted text never reaches an output raw, outputs never clobber
what the run read, write errors are never a pass, and every format tells the gate's story.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openres_check import check
from openres_check._yaml import load_yaml
from openres_check.cli.common import safe_stream
from openres_check.errors import InputError, Issue, Location
from openres_check.reporters import OutputFormat, RenderOptions, get_reporter

CliResult = tuple[int, str, str]
HUMAN = ("text", "markdown", "html", "junit")
STRUCTURED = ("json", "sarif", "cyclonedx")
# What must never reach a human-readable output raw: C0 controls but tab and newline, DEL,
# C1 controls, bidi embeddings/overrides/isolates, zero-width and other invisible
# characters, and surrogates (which are not even encodable).
RAW_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e"
                        "\u2060-\u2064\u2066-\u206f\ufeff\ud800-\udfff]")
OUR_COLOURS = re.compile(r"\x1b\[[0-9;]+m")
HOSTILE = "gnp\u202e.exe \x1b]0;owned\x07 \x1b[2J\r\x00 \u2066x\u2069 \x9b31m \u2028"


def hostile_folder(root: Path, text: str) -> Path:
    folder = root / "m"
    folder.mkdir(exist_ok=True)
    # JSON's escapes are YAML's too, so every code point (even a lone surrogate) arrives.
    (folder / "README.md").write_text(
        f"---\nlicense: other\nlicense_name: {json.dumps(text)}\n"
        f"model_name: {json.dumps(text)}\nbase_model: {json.dumps('org/' + text)}\n---\n",
        encoding="utf-8")
    return folder


def assert_safe_for_people(output: str, *, coloured: bool = False) -> None:
    shown = OUR_COLOURS.sub("", output) if coloured else output
    found = RAW_UNSAFE.search(shown)
    assert found is None, f"raw {found.group()!r} at {found.start()}: {shown[:200]!r}"
    output.encode("utf-8")  # writable: no lone surrogate left


def render_all(report: Any, **options: Any) -> dict[str, str]:
    return {fmt.value: get_reporter(fmt).render(report, RenderOptions(**options))
            for fmt in OutputFormat}


# -- 6, 7, 8: one sanitiser for every reporter -------------------------------------------


def test_every_format_escapes_controls_and_bidi(tmp_path: Path) -> None:
    folder = hostile_folder(tmp_path, HOSTILE)
    report = check([str(folder)], {"use": {"commercial": True}}, as_of="2026-06-01")
    rendered = render_all(report)
    for fmt in HUMAN:
        assert_safe_for_people(rendered[fmt])
        assert "gnp\\u202e.exe" in rendered[fmt], fmt  # shown, marked, not dropped
    assert_safe_for_people(render_all(report, color=True)["text"], coloured=True)
    for fmt in STRUCTURED:
        assert RAW_UNSAFE.search(rendered[fmt].replace("\n", "")) is None, fmt
    document = json.loads(rendered["json"])
    # JSON keeps the exact string: only its spelling changed. (`license: other` keeps the
    # name it was given, marked as other.)
    assert any(HOSTILE in json.dumps(m, ensure_ascii=False) or
               m["licenses"].get("weights") == f"other (license_name: {HOSTILE})"
               for m in document["models"])
    assert "license_name: gnp\\u202e.exe" in rendered["json"]
    json.loads(rendered["sarif"])
    json.loads(rendered["cyclonedx"])
    ET.fromstring(rendered["junit"].split("\n", 1)[1])  # noqa: S314 - our own output


def test_coloured_text_carries_only_our_escape_sequences(tmp_path: Path) -> None:
    folder = hostile_folder(tmp_path, "\x1b[31mred\x1b[8mhidden")
    report = check([str(folder), "Qwen/Qwen2.5-3B-Instruct"], {"use": {"commercial": True}},
                   as_of="2026-06-01")
    text = get_reporter("text").render(report, RenderOptions(color=True))
    assert "\\x1b[31mred\\x1b[8mhidden" in text
    for sequence in re.findall(r"\x1b\[[^m]*m", text):
        assert sequence in ("\x1b[0m", "\x1b[1m", "\x1b[31;1m", "\x1b[33;1m", "\x1b[32m",
                            "\x1b[36m", "\x1b[2m"), sequence
    assert "\x1b[31;1m" in text  # the research-only fail is still coloured


ARBITRARY_TEXT = st.text(
    alphabet=st.one_of(st.characters(codec=None), st.sampled_from(
        ["\x1b", "\x07", "\x00", "\r", "\u202e", "\u2066", "\u200f", "\x9b", "\ud800",
         "\udfff", "\ufeff", "\n", "\t", "<", "&", "|", "`", "]"])),
    min_size=1, max_size=40)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(text=ARBITRARY_TEXT)
def test_property_no_raw_control_reaches_a_human_output(tmp_path: Path, text: str) -> None:
    folder = hostile_folder(tmp_path, text)
    try:
        report = check([str(folder)], {"use": {"commercial": True}}, as_of="2026-06-01")
    except InputError as exc:  # text that is no valid card: then the diagnostics are shown
        assert_safe_for_people(_safe_stderr(exc.diagnostics()))
        return
    rendered = render_all(report, show_all=True)
    for fmt in HUMAN:
        assert_safe_for_people(rendered[fmt])
    for fmt in STRUCTURED:
        assert RAW_UNSAFE.search(rendered[fmt].replace("\n", "")) is None
        json.loads(rendered[fmt])


def _safe_stderr(text: str) -> str:
    sink = io.StringIO()
    safe_stream(sink).write(text)
    return sink.getvalue()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=ARBITRARY_TEXT)
def test_property_diagnostics_show_hostile_keys_escaped(
        cli: Callable[..., CliResult], tmp_path: Path, key: str) -> None:
    context = tmp_path / "context.yaml"
    context.write_text(f"use:\n  {json.dumps(key)}: 1\n", encoding="utf-8")
    code, out, err = cli("check", "Qwen/Qwen2.5-3B-Instruct", "--context", str(context))
    assert code == 2
    assert_safe_for_people(err)
    assert_safe_for_people(out)


def test_a_waiver_rule_id_with_controls_is_escaped_in_diagnostics(
        cli: Callable[..., CliResult], tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text('waivers:\n  - {rule: "X\\e]0;t\\a", reason: r, approved_by: a, '
                       'expires: 2099-01-01}\n', encoding="utf-8")
    code, out, err = cli("check", "Qwen/Qwen2.5-3B-Instruct", "--waivers", str(waivers))
    assert_safe_for_people(out + err)
    assert "X\\x1b]0;t\\x07" in out + err
    assert code in (0, 1)


def test_inventory_diagnostics_are_escaped(cli: Callable[..., CliResult],
                                           tmp_path: Path) -> None:
    inventory = tmp_path / "inv.jsonl"
    inventory.write_text('{"id": "a/b\\u001b[2J", "cardData": {"license": []}}\n{"x\\u001b"\n',
                         encoding="utf-8")
    _code, out, err = cli("check", "--findings", "full", "--inventory", str(inventory),
                          "--skip-invalid")
    assert_safe_for_people(err)
    assert "\x1b" not in out
    for line in out.splitlines():
        assert json.loads(line)["model"] == "a/b\x1b[2J"  # JSON keeps the exact id


# -- 9, 10: outputs never destroy inputs, devices or FIFOs -------------------------------


def user_catalog_entry(root: Path) -> Path:
    """A user catalog folder `root/cat` with one MIT model, acme/x-1; the entry's file."""
    entry = root / "cat" / "models" / "acme" / "x.yaml"
    entry.parent.mkdir(parents=True)
    entry.write_text("id: acme/x-1\npublisher: {name: ACME}\nlicenses:\n  weights: {license: "
                     "mit, source: {url: 'https://acme.example'}}\nsources: [{url: "
                     "'https://acme.example'}]\n", encoding="utf-8")
    return entry


@pytest.mark.parametrize("name", ["README.md", "LICENSE"])
def test_output_onto_a_file_inside_a_model_folder_is_refused(
        cli: Callable[..., CliResult], tmp_path: Path, name: str) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "README.md").write_text("---\nlicense: mit\n---\n# card\n", encoding="utf-8")
    (folder / "LICENSE").write_text("MIT License\n", encoding="utf-8")
    before = (folder / name).read_bytes()
    code, _, err = cli("check", str(folder), "-o", str(folder / name))
    assert code == 2
    assert "it is also an input" in err
    assert (folder / name).read_bytes() == before


def test_output_onto_a_catalog_file_is_refused(cli: Callable[..., CliResult],
                                               tmp_path: Path) -> None:
    entry = user_catalog_entry(tmp_path)
    before = entry.read_bytes()
    code, _, err = cli("check", "acme/x-1", "--catalog", str(tmp_path / "cat"), "-o",
                       str(entry))
    assert code == 2
    assert "it is also an input" in err
    assert entry.read_bytes() == before


def test_output_onto_a_device_or_fifo_is_refused(cli: Callable[..., CliResult],
                                                 tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target in (str(fifo), os.devnull):
        code, _, err = cli("check", "Qwen/Qwen2.5-3B-Instruct", "-o", target)
        assert code == 2, target
        assert "not a file" in err
    assert Path(os.devnull).is_char_device()
    assert fifo.is_fifo()


# -- 11, 12: a closed pipe and a full disk are never a pass -------------------------------


def _openres(*args: str, **kwargs: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "openres_check", *args],
                            stderr=subprocess.PIPE, **kwargs)


MANY_MODELS = ["Qwen/Qwen2.5-3B-Instruct", "deepseek-ai/DeepSeek-R1",
               "meta-llama/Llama-3.1-8B-Instruct", "google/gemma-2-9b-it",
               "mistralai/Mistral-7B-Instruct-v0.3", "deepseek-ai/DeepSeek-R1-Distill-Llama-70B"]


@pytest.mark.slow
def test_a_reader_that_stops_early_makes_the_run_exit_2() -> None:
    # More than a pipe buffer of output: the reader takes one line and goes away.
    process = _openres("check", *MANY_MODELS, "--all", "--format", "json",
                       stdout=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.readline()
    process.stdout.close()
    _, err = process.communicate(timeout=120)
    assert process.returncode == 2, err.decode()
    assert b"Traceback" not in err
    assert b"internal error" not in err


@pytest.mark.slow
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_full_disk_under_stdout_is_an_environment_error() -> None:
    with Path("/dev/full").open("wb") as full:
        process = _openres("check", *MANY_MODELS, "--all", stdout=full)
        _, err = process.communicate(timeout=120)
    assert process.returncode == 2
    assert b"No space left on device" in err
    assert b"internal error" not in err


# -- 14, 15: JUnit, SARIF and the exit status tell one story ------------------------------

STRICT_CONTEXT = {"organization": {"country": "JP"}, "use": {"commercial": True}}


def test_junit_failures_are_exactly_what_gates() -> None:
    report = check(["deepseek-ai/DeepSeek-R1"], STRICT_CONTEXT, as_of="2026-06-01")
    for strict in (False, True):
        gating = report.gating("high", strict=strict)
        junit = get_reporter("junit").render(report, RenderOptions(strict=strict))
        root = ET.fromstring(junit.split("\n", 1)[1])  # noqa: S314 - our own output
        assert int(root.get("failures", "-1")) == len(gating)
        assert report.exit_code("high", strict=strict) == (1 if gating else 0)
    assert report.gating("high", strict=True)  # the strict run has failures to show


def test_sarif_error_level_is_exactly_what_gates() -> None:
    report = check(["Qwen/Qwen2.5-3B-Instruct", "deepseek-ai/DeepSeek-R1"], STRICT_CONTEXT,
                   as_of="2026-06-01")
    for fail_on, strict in (("high", False), ("high", True), ("critical", False),
                            ("never", True)):
        sarif = json.loads(get_reporter("sarif").render(
            report, RenderOptions(fail_on=fail_on, strict=strict)))
        errors = {(r["properties"]["model"], r["ruleId"]) for r in sarif["runs"][0]["results"]
                  if r["level"] == "error"}
        assert errors == {(f.model, f.rule_id)
                          for f in report.gating(fail_on, strict=strict)}, (fail_on, strict)


def test_waived_findings_are_suppressed_in_sarif() -> None:
    waiver = {"rule": "LIC-RESEARCH-ONLY", "reason": "license signed", "approved_by": "Legal",
              "expires": "2099-01-01"}
    report = check(["Qwen/Qwen2.5-3B-Instruct"], STRICT_CONTEXT, as_of="2026-06-01",
                   waivers=[waiver])
    sarif = json.loads(get_reporter("sarif").render(report, RenderOptions()))
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "LIC-RESEARCH-ONLY")
    assert result["level"] != "error"
    assert result["suppressions"][0]["kind"] == "external"
    assert "license signed" in result["suppressions"][0]["justification"]
    live = [r for r in sarif["runs"][0]["results"] if "suppressions" not in r]
    assert all(r["properties"]["status"] != "waived" for r in live)


def test_the_cli_gives_junit_the_strict_flag(cli: Callable[..., CliResult],
                                             tmp_path: Path) -> None:
    context = tmp_path / "ctx.yaml"
    context.write_text("organization: {country: JP}\nuse: {commercial: true}\n",
                       encoding="utf-8")
    counts = {}
    for flags in ((), ("--strict",)):
        code, out, _ = cli("check", "deepseek-ai/DeepSeek-R1", "--context", str(context),
                           "--format", "junit", *flags)
        failures = int(ET.fromstring(out.split("\n", 1)[1]).get("failures", "-1"))  # noqa: S314
        assert (failures > 0) == (code == 1)
        counts[flags] = failures
    assert counts[("--strict",)] > counts[()]


# -- 16: an inline context is cited where it is written ----------------------------------


def test_an_inline_context_is_cited_as_the_project_file(cli: Callable[..., CliResult],
                                                        tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "openres.yaml").write_text(
        "models:\n  - Qwen/Qwen2.5-3B-Instruct\ncontext:\n  use:\n    commercial: true\n",
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, out, _ = cli("check", "--format", "json")
    sources = {e["source"] for f in json.loads(out)["findings"] for e in f["evidence"]
               if e["fact"] == "context.use.commercial"}
    assert sources == {"openres.yaml:3"}
    assert "<context>" not in out


# -- 17: the Action does not override the project file -----------------------------------


def _action_script() -> str:
    action = load_yaml(Path(__file__).resolve().parent.parent / "action.yml").data
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "check")
    return str(step["run"])


@pytest.mark.parametrize(("lang", "fail_on", "strict", "expected", "absent"), [
    ("", "", "false", [], ["--lang", "--strict"]),
    ("ja", "", "false", ["--lang ja"], ["--strict"]),
    ("", "medium", "true", ["--fail-on medium", "--strict"], ["--lang"]),
])
def test_the_action_passes_only_the_inputs_that_were_given(
        tmp_path: Path, lang: str, fail_on: str, strict: str, expected: list[str],
        absent: list[str]) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.txt"
    fake = bin_dir / "openres-check"
    fake.write_text(f'#!/usr/bin/env bash\necho "$*" >> {log}\nexit 1\n', encoding="utf-8")
    fake.chmod(0o755)
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "ARGS": "",
           "LANG_CHOICE": lang, "FAIL_ON": fail_on, "STRICT": strict,
           "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
           "GITHUB_OUTPUT": str(tmp_path / "output.txt")}
    subprocess.run(["bash", "-c", _action_script()], cwd=tmp_path, env=env, check=True)  # noqa: S607
    gate_call = log.read_text(encoding="utf-8").splitlines()[0]
    for flag in expected:
        assert flag in gate_call
    for flag in absent:
        assert flag not in gate_call
    if not fail_on:
        assert "--fail-on" not in gate_call
    assert "exit-code=1" in (tmp_path / "output.txt").read_text(encoding="utf-8")


# -- papercuts ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["llama 3.2", "Llama-3.2", "LLAMA_3.2", "llama3.2"])
def test_catalog_search_ignores_spaces_hyphens_dots_and_case(
        cli: Callable[..., CliResult], text: str) -> None:
    code, out, _ = cli("catalog", "search", text, "--format", "json")
    ids = {entry["id"] for entry in json.loads(out)}
    assert code == 0
    assert "meta-llama/Llama-3.2-1B-Instruct" in ids
    assert not any("Llama-3.1" in i for i in ids)


def test_catalog_show_takes_catalog_after_the_action(cli: Callable[..., CliResult],
                                                     tmp_path: Path) -> None:
    user_catalog_entry(tmp_path)
    for argv in (("catalog", "show", "acme/x-1", "--catalog", str(tmp_path / "cat")),
                 ("catalog", "--catalog", str(tmp_path / "cat"), "show", "acme/x-1")):
        code, out, err = cli(*argv)
        assert code == 0, err
        assert out.startswith("acme/x-1")


def test_str_of_an_input_error_names_its_first_problem() -> None:
    error = InputError("ctx.yaml is not a valid context", [
        Issue("unknown-field", "unknown key 'comercial'", Location("ctx.yaml", ("use",), 3)),
        Issue("bad-value", "not a number", Location("ctx.yaml", ("use",), 4))])
    assert str(error) == ("ctx.yaml is not a valid context: ctx.yaml:3: use: unknown key "
                          "'comercial' (and 1 more)")


@pytest.mark.parametrize(("reference", "expected"), [
    ("deepseek-chat", None),
    ("meta-llama/Llama-3.3-8B-Instruct", None),
    ("Qwen/Qwen2.5-7b-instruc", "Qwen/Qwen2.5-7B-Instruct"),
    ("deepseek-ai/DeepSeek-R", "deepseek-ai/DeepSeek-R1"),
    ("meta-lama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-8B-Instruct"),
])
def test_suggestions_prefer_nothing_to_a_wrong_guess(catalog: Any, reference: str,
                                                     expected: str | None) -> None:
    suggestions = catalog.suggest(reference)
    if expected is None:
        assert suggestions == []
    else:
        assert expected in suggestions


def test_a_lone_surrogate_in_a_bom_is_a_located_input_error(cli: Callable[..., CliResult],
                                                            tmp_path: Path) -> None:
    bom = tmp_path / "bom.json"
    bom.write_text('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": '
                   '"machine-learning-model", "name": "x\\udc00y", "bom-ref": "a"}]}',
                   encoding="utf-8")
    code, _, err = cli("check", str(bom))
    assert code == 2
    assert f"{bom}: error[bad-bom]: components[0].name holds a lone surrogate" in err
    assert "internal error" not in err


@pytest.mark.parametrize("key", ["\n", "a\nb.yaml:1:1: error[fake]: forged", "\t"])
def test_a_key_with_a_newline_cannot_start_a_diagnostic_line(
        cli: Callable[..., CliResult], tmp_path: Path, key: str) -> None:
    context = tmp_path / "context.yaml"
    context.write_text(f"use:\n  {json.dumps(key)}: 1\n", encoding="utf-8")
    code, _, err = cli("check", "Qwen/Qwen2.5-3B-Instruct", "--context", str(context))
    assert code == 2
    lines = err.splitlines()
    # The error line, its one problem and that problem's hint: nothing forged in between.
    assert len(lines) == 3, lines
    assert not any(line.startswith("b.yaml") for line in lines)
