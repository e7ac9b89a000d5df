"""`openres-check policy test|lint`: tooling for policy authors."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from openres_check.cli.common import EXIT_ERROR, EXIT_FAIL, EXIT_OK, add_catalog_option
from openres_check.cli.helptext import tr

__all__ = ["register"]


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "policy", help=tr("test and lint policy packs", "ポリシーパックをテスト・検査します"),
        description=tr("Run policy test cases (like `opa test`) and lint packs.",
                       "ポリシーのテストケースを実行し（`opa test` と同様）、パックを検査します。"))
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    test = actions.add_parser("test", help=tr(
        "run case files (default: the bundled packs')",
        "テストケースのファイルを実行します（既定: 同梱のパックのテストケース）"))
    test.add_argument("paths", nargs="*", metavar="PATH", help=tr(
        "case files or folders of case files",
        "テストケースのファイル、またはそれを含むフォルダ"))
    add_catalog_option(test)
    test.add_argument("--strict", action="store_true", help=tr(
        "a rule without a positive and a negative case fails the run",
        "ルールが成立するケースと成立しないケースの両方がそろっていないルールがあれば、実行を"
        "失敗とします"))
    test.add_argument("--verbose", "-v", action="store_true", help=tr(
        "list passing cases too", "成功したケースも表示します"))
    test.set_defaults(handler=_test)

    lint = actions.add_parser("lint", help=tr(
        "validate packs and report weak spots", "パックを検証し、弱い箇所を報告します"))
    lint.add_argument("paths", nargs="+", metavar="PATH", help=tr(
        "pack files or folders", "パックのファイルまたはフォルダ"))
    lint.add_argument("--strict", action="store_true", help=tr(
        "warnings fail the run too", "警告でも実行を失敗とします"))
    lint.set_defaults(handler=_lint)


def _yaml_files(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        files.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    return files


def _test(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from openres_check import _resources  # noqa: PLC0415
    from openres_check.catalog import load_catalog  # noqa: PLC0415
    from openres_check.policy_tests import run_case_file  # noqa: PLC0415

    # A pack folder keeps its cases in tests/ (as policies/ does): look there first.
    paths = [str(Path(p) / "tests") if (Path(p) / "tests").is_dir() else p for p in args.paths]
    files = _yaml_files(paths) if paths else sorted(
        _resources.bundled("policies", "tests").glob("*.yaml"))
    if not files:
        # Zero cases run is no evidence that the packs behave: do not report success.
        stderr.write("error: no case files found\nhint: pass case files, or folders that "
                     "hold *.yaml case files\n")
        return EXIT_ERROR
    catalog = load_catalog(args.catalogs or [])
    failed = cases = 0
    gaps: list[str] = []
    for path in files:
        results, coverage = run_case_file(path, catalog)
        for result in results:
            cases += 1
            if result.ok:
                if args.verbose:
                    stdout.write(f"PASS {path.name}: {result.name}\n")
                continue
            failed += 1
            stdout.write(f"FAIL {path.name}: {result.name}\n")
            for rule_id, expected, actual in result.mismatches:
                stdout.write(f"  {rule_id}: expected {expected}, got {actual}\n")
                stdout.write(f"    {result.messages.get(rule_id, '')}\n")
        gaps.extend(f"{coverage.pack} {rule_id}" for rule_id in coverage.uncovered())
    stdout.writelines(f"{'FAIL' if args.strict else 'WARN'} no positive and negative case: "
                     f"{gap}\n" for gap in gaps)
    stdout.write(f"{cases - failed} passed, {failed} failed\n")
    return EXIT_FAIL if failed or (args.strict and gaps) else EXIT_OK


def _lint(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from openres_check.lint import lint_pack  # noqa: PLC0415

    errors = warnings = 0
    files = _yaml_files(args.paths)
    if not files:
        stderr.write("error: no pack files found\n")
        return EXIT_ERROR
    for path in files:
        result = lint_pack(path)
        stdout.writelines(issue.render() + "\n" for issue in result.errors)
        stdout.writelines(issue.render().replace("error[", "warning[", 1) + "\n"
                          for issue in result.warnings)
        errors += len(result.errors)
        warnings += len(result.warnings)
    stdout.write(f"{len(files)} pack(s): {errors} error(s), {warnings} warning(s)\n")
    return EXIT_FAIL if errors or (args.strict and warnings) else EXIT_OK
