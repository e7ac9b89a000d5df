"""`openres-check scan`: find the models a project uses, and judge them like `check`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from openres_check.cli.check import (
    Settings,
    add_artifact_options,
    add_options,
    emit,
    input_files,
    settings,
)
from openres_check.cli.common import UsageError, locale_lang, output_path
from openres_check.cli.helptext import tr
from openres_check.cli.inventory import _Progress
from openres_check.project import PROJECT_FILE

__all__ = ["register", "run_scan"]


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "scan", help=tr("find the models a project uses and check them",
                        "プロジェクトが使うモデルを見つけて確認します"),
        description=tr(
            "Walk PATHs (default: the `scan:` paths of openres.yaml, or the current folder), "
            "find every model reference (Python code, serving commands, compose and Kubernetes "
            "files, LiteLLM configs, .env files, Ollama Modelfiles and stores, GGUF and "
            "safetensors files, Hugging Face folders and caches) and check each model like "
            "`check`. Reads openres.yaml in the current folder when it exists.",
            "PATH（既定: openres.yaml の `scan:` のパス、なければ現在のフォルダ）をたどって、"
            "モデルへの参照（Python のコード、推論サーバーの起動コマンド、compose と Kubernetes "
            "のファイル、LiteLLM の設定、.env ファイル、Ollama の Modelfile とモデルストア、GGUF "
            "と safetensors のファイル、Hugging Face のフォルダとキャッシュ）をすべて見つけ、"
            "各モデルを `check` と同じように確認します。現在のフォルダに openres.yaml があれば"
            "読み込みます。"),
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help=tr(
        "folders or files to scan", "スキャンするフォルダまたはファイル"))
    add_options(parser)
    parser.add_argument("--exclude", action="append", metavar="GLOB", default=None, help=tr(
        "skip paths matching this gitignore-style glob (repeatable), e.g. 'tests/fixtures/'",
        "この gitignore 形式のグロブに一致するパスを除外します（複数指定可）。例: "
        "'tests/fixtures/'"))
    parser.add_argument("--include-ignored", action="store_true", help=tr(
        "also scan what .gitignore ignores, virtual environments and node_modules",
        ".gitignore が除外するもの、仮想環境、node_modules もスキャンします"))
    parser.add_argument("--diff", metavar="BASE_REPORT.json", help=tr(
        "an earlier JSON report: show (and gate on) only the models and findings new since "
        "then",
        "比較元とする以前の JSON レポート。それ以降に新しく現れたモデルと検出事項だけを表示し、"
        "それだけでゲートを判定します"))
    add_artifact_options(parser)
    parser.add_argument("--no-progress", action="store_true", help=tr(
        "no progress line on a terminal", "端末に進捗を表示しません"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    if any(not path.strip() for path in args.paths):
        raise UsageError("a PATH is empty: give a folder or a file (`.` for the current one)")
    project_path: Path | None = Path(args.project) if args.project else None
    if project_path is None and (Path.cwd() / PROJECT_FILE).is_file():
        project_path = Path.cwd() / PROJECT_FILE
    given = settings(args, project_path)
    project = given.project
    if not args.paths:
        # Only the project's own models when it names paths to scan; else the current folder.
        given.models = given.models if project is not None and project.file.scan else []
    else:
        given.models = []
    inputs = input_files(args, given.models, given.context, given.waivers, given.policies,
                         project_path)
    if args.output not in (None, "-"):
        output_path(args.output, inputs)  # refuse a bad output before the work, not after
    return run_scan(args, given, list(args.paths), inputs, stdout, stderr)


def run_scan(args: argparse.Namespace, given: Settings, paths: list[str],
             inputs: list[str | Path], stdout: TextIO, stderr: TextIO) -> int:
    """Scan `paths` (default: the project's `scan:` paths, else `.`) with `given` settings;
    `check` runs this too when openres.yaml has `scan:`."""
    from openres_check.discovery.run import scan  # noqa: PLC0415 - only this command needs it

    if getattr(args, "format", None) == "jsonl":
        raise UsageError("--format jsonl is for `check --inventory`; use --format json")
    project = given.project
    if not paths:
        paths = project.scan_paths() if project is not None and project.file.scan else ["."]
    exclude = [*(project.file.exclude if project is not None else []),
               *(getattr(args, "exclude", None) or [])]
    progress = None if getattr(args, "no_progress", False) else \
        _Progress(stderr, None, unit="files")

    def advance(done: int, total: int) -> None:
        if progress is not None:
            progress.total = total
            progress.update(done, done)
    report = scan(paths, given.context, given.policies, models=given.models, exclude=exclude,
                  include_ignored=getattr(args, "include_ignored", False), as_of=args.as_of,
                  lang=given.lang or locale_lang() or "en", catalogs=given.catalogs,
                  waivers=given.waivers,
                  params=given.params, baseline=args.baseline,
                  diff=getattr(args, "diff", None), declared=given.declared,
                  progress=advance, context_source=given.context_source,
                  lock=given.lock, signer_identity=given.signer[0],
                  signer_issuer=given.signer[1])
    if progress is not None:
        progress.close()
    # The stream escapes what the scanned files held, and translates under --lang ja.
    stderr.writelines(f"{warning}\n" for warning in report.warnings)
    return emit(report, args, given.fail_on, inputs, stdout)
