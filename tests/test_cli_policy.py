from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import ROOT, CliResult
from openres_check._docs import render_rule_pages

Cli = Callable[..., CliResult]

GOOD_PACK = """
pack: test.lint
version: 1.0.0
title: {en: Lint test, ja: リントのテスト}
rules:
  - id: T-ONE
    category: license
    severity: low
    title: {en: One, ja: One}
    fails: {fact: context.use.commercial, equals: true}
    message: {en: "It is {item.name}.", ja: "It is {item.name}."}
"""


def test_policy_test_runs_the_bundled_cases(cli: Cli) -> None:
    code, out, _ = cli("policy", "test")
    assert code == 0, out
    assert out.rstrip().endswith("0 failed")


def test_policy_test_reports_a_failing_case(cli: Cli, write: Callable[[str, str], Path]) -> None:
    path = write("cases.yaml", """
pack: license
cases:
  - name: wrong on purpose
    model: Qwen/Qwen2.5-3B-Instruct
    context: {use: {commercial: true}}
    expect: {LIC-RESEARCH-ONLY: pass}
""")
    code, out, _ = cli("policy", "test", str(path))
    assert code == 1
    assert "FAIL cases.yaml: wrong on purpose" in out
    assert "LIC-RESEARCH-ONLY: expected pass, got fail" in out


def test_policy_test_strict_requires_coverage(cli: Cli, write: Callable[[str, str], Path]) -> None:
    path = write("cases.yaml", """
pack: license
cases:
  - name: only one rule
    model: Qwen/Qwen2.5-3B-Instruct
    context: {use: {commercial: true}}
    expect: {LIC-RESEARCH-ONLY: fail}
""")
    assert cli("policy", "test", str(path))[0] == 0
    code, out, _ = cli("policy", "test", "--strict", str(path))
    assert code == 1
    assert "no positive and negative case: openres.license LIC-USER-THRESHOLD" in out


def test_example_company_pack_cases_pass(cli: Cli) -> None:
    code, out, _ = cli("policy", "test", str(ROOT / "examples" / "policies" / "tests"))
    assert code == 0, out
    # The pack folder itself works too: its cases are found in tests/.
    code, out_from_pack_folder, _ = cli("policy", "test", str(ROOT / "examples" / "policies"))
    assert (code, out_from_pack_folder) == (0, out)


def test_lint_reports_errors_with_location(cli: Cli, write: Callable[[str, str], Path]) -> None:
    path = write("bad.yaml", GOOD_PACK.replace("context.use.commercial", "context.use.comercial"))
    code, out, _ = cli("policy", "lint", str(path))
    assert code == 1
    assert f"{path}:10:" in out
    assert "error[unknown-fact]" in out
    assert "did you mean context.use.commercial" in out


def test_lint_warns_about_weak_rules(cli: Cli, write: Callable[[str, str], Path]) -> None:
    path = write("weak.yaml", GOOD_PACK)
    code, out, _ = cli("policy", "lint", str(path))
    assert code == 0
    for code_name in ("no-references", "no-description", "no-remediation", "ja-not-japanese",
                      "untranslated", "unbound-item"):
        assert f"warning[{code_name}]" in out
    assert cli("policy", "lint", "--strict", str(path))[0] == 1


def test_lint_missing_language_is_an_error(cli: Cli, write: Callable[[str, str], Path]) -> None:
    path = write("nolang.yaml", GOOD_PACK.replace("title: {en: One, ja: One}", "title: {en: One}"))
    code, out, _ = cli("policy", "lint", str(path))
    assert code == 1
    assert "required key 'ja' is missing" in out


def test_bundled_packs_lint_clean(cli: Cli) -> None:
    code, out, _ = cli("policy", "lint", "--strict", str(ROOT / "policies"))
    assert code == 0, out


def test_explain_in_both_languages(cli: Cli) -> None:
    code, out, _ = cli("explain", "LIC-RESEARCH-ONLY")
    assert code == 0
    assert out.startswith("# LIC-RESEARCH-ONLY: Research-only license used commercially")
    assert "## How to fix" in out
    code, out, _ = cli("explain", "lic-research-only", "--lang", "ja")
    assert "## 対応策" in out
    assert "研究・評価目的に限定" in out


def test_explain_unknown_rule_suggests(cli: Cli) -> None:
    code, _, err = cli("explain", "LIC-RESERCH-ONLY")
    assert code == 2
    assert "did you mean LIC-RESEARCH-ONLY" in err


def test_explain_list(cli: Cli) -> None:
    code, out, _ = cli("explain", "--list")
    assert code == 0
    assert "TER-LICENSEE-EXCLUDED" in out


def test_rule_docs_are_fresh() -> None:
    folder = ROOT / "docs" / "rules"
    pages = render_rule_pages()
    assert {p.name for p in folder.glob("*.md")} == set(pages)
    stale = [name for name, text in pages.items()
             if (folder / name).read_text(encoding="utf-8") != text]
    assert stale == [], "run `python -m openres_check._docs docs`"


def test_every_japanese_text_is_japanese() -> None:
    """`--lang ja` gives real Japanese for every title, message and remediation."""
    from openres_check.policies import load_policies  # noqa: PLC0415

    missing = []
    for pack in load_policies():
        for compiled in pack.rules:
            rule = compiled.rule
            for name in ("title", "message", "remediation", "obligation", "description"):
                text = getattr(rule, name)
                if text is not None and not any("\u3040" <= ch <= "\u9fff" for ch in text.ja):
                    missing.append(f"{rule.id}.{name}")
    assert missing == []


def test_validate_checks_files_against_the_published_schemas(
        cli: Cli, write: Callable[[str, str], Path]) -> None:
    code, out, _ = cli("validate", str(ROOT / "examples" / "context.yaml"),
                       str(ROOT / "policies" / "license.yaml"),
                       str(ROOT / "catalog" / "licenses" / "mit.yaml"))
    assert code == 0
    assert "valid context" in out
    assert "valid policy" in out
    assert "valid license" in out
    bad = write("ctx.yaml", "organization:\n  country: japan\nuse:\n  comercial: true\n")
    code, out, _ = cli("validate", str(bad))
    assert code == 1
    assert f"{bad}:2:" in out
    assert "error[schema]" in out
    code, out, _ = cli("validate", str(write("odd.yaml", "something: else\n")))
    assert code == 1
    assert "--kind" in out


def test_validate_reads_catalog_files_and_reports(cli: Cli, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    assert cli("check", "Qwen/Qwen2.5-7B-Instruct", "--format", "json", "-o", str(report))[0] \
        == 0
    code, out, _ = cli("validate", str(ROOT / "catalog" / "models" / "qwen" / "qwen2.5.yaml"),
                       str(report))
    assert (code, out.count("valid descriptor"), out.count("valid report")) == (0, 1, 1)
    broken = tmp_path / "models.yaml"
    broken.write_text("models:\n- id: a/b\n  publisher: {name: A}\n  licenses: {}\n"
                      "  sources: []\n- id: c/d\n  publisher: {name: C}\n  licenses: {}\n"
                      "  sources: []\n  colour: red\n", encoding="utf-8")
    code, out, _ = cli("validate", str(broken))
    # Each descriptor is checked in place: the error points into the second one.
    assert code == 1
    assert f"{broken}:6:3: models[1]: error[schema]: Additional properties" in out


def test_progress_is_shown_only_on_a_terminal() -> None:
    import io  # noqa: PLC0415

    from openres_check.cli.inventory import _Progress  # noqa: PLC0415

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    quiet, terminal = io.StringIO(), Terminal()
    for stream in (quiet, terminal):
        progress = _Progress(stream, total=1000)
        progress.last = -1.0
        progress.update(500, 500)
        progress.close()
    assert quiet.getvalue() == ""
    assert "500 records" in terminal.getvalue()
    assert "/s" in terminal.getvalue()
    assert "ETA" in terminal.getvalue()


def test_lint_reports_duplicate_rule_ids(cli: Cli, write: Callable[[str, str], Path]) -> None:
    rule = GOOD_PACK.split("rules:\n", 1)[1]
    path = write("dup.yaml", GOOD_PACK + rule)
    code, out, _ = cli("policy", "lint", str(path))
    assert code == 1
    assert "error[duplicate-rule-id]" in out
    assert "T-ONE" in out
