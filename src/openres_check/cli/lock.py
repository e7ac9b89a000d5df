"""`openres-check lock`: record each model's revision and each file's size and sha256."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from openres_check.api import resolve_models
from openres_check.catalog import load_catalog
from openres_check.cli.common import (
    EXIT_OK,
    UsageError,
    add_catalog_option,
    add_project_option,
    write_output,
)
from openres_check.cli.helptext import tr
from openres_check.project import find_project, load_project

__all__ = ["register"]

DEFAULT_LOCK = "openres.lock"


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "lock", help=tr("record model revisions and file digests",
                        "モデルのリビジョンとファイルのダイジェストを記録します"),
        description=tr(
            "Write a lock file: for each model its repo id and revision (when known) and each "
            "local file's size and sha256. `check --lock FILE` then fails on any change. With "
            "no MODEL, lock the models of openres.yaml.",
            "ロックファイルを書き出します。各モデルのリポジトリ ID とリビジョン（判明している"
            "場合）、ローカルの各ファイルのサイズと sha256 を記録します。以後、`check --lock "
            "FILE` は変更があれば不適合とします。MODEL を指定しない場合は、openres.yaml のモデル"
            "を記録します。"),
    )
    parser.add_argument("models", nargs="*", metavar="MODEL_REF", help=tr(
        "catalog id or alias, or a path to a model folder",
        "カタログの ID または別名、あるいはモデルフォルダのパス"))
    add_catalog_option(parser)
    add_project_option(parser)
    parser.add_argument("--output", "-o", metavar="FILE", default=None, help=tr(
        f"write here, atomically (default: {DEFAULT_LOCK}; - for stdout)",
        f"出力先のファイル（書き終えてから置き換えます。既定: {DEFAULT_LOCK}。標準出力は -）"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    del stderr
    models: list[str] = list(args.models)
    catalogs: list[str] = args.catalogs or []
    output: str | None = args.output
    if any(not model.strip() for model in models):
        raise UsageError("a MODEL_REF is empty: give a catalog id, an alias or a path")
    if args.project or not models:
        project = load_project(Path(args.project)) if args.project else find_project(Path.cwd())
        models = models or project.model_references()
        catalogs = catalogs or project.catalogs()
        output = output or project.lock()
    output = output or DEFAULT_LOCK
    from openres_check.security.lock import render_lock  # noqa: PLC0415 - lock runs only
    from openres_check.security.locking import build_lock  # noqa: PLC0415

    resolved = resolve_models(models, load_catalog(catalogs))
    skip = Path(output) if output != "-" else None
    write_output(render_lock(build_lock(resolved, skip)), output, stdout, models)
    return EXIT_OK
