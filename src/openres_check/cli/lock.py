"""`openres-check lock`: record each model's revision and each file's size and sha256."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from openres_check.api import resolve_models
from openres_check.catalog import load_catalog
from openres_check.cli.common import EXIT_OK, UsageError, write_output
from openres_check.project import find_project, load_project

__all__ = ["register"]

DEFAULT_LOCK = "openres.lock"


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "lock", help="record model revisions and file digests",
        description="Write a lock file: for each model its repo id and revision (when known) "
        "and each local file's size and sha256. `check --lock FILE` then fails on any change. "
        "With no MODEL, lock the models of openres.yaml.",
    )
    parser.add_argument("models", nargs="*", metavar="MODEL_REF",
                        help="catalog id or alias, or a path to a model folder")
    parser.add_argument("--catalog", action="append", metavar="DIR", dest="catalogs",
                        default=None, help="extra catalog folder (repeatable)")
    parser.add_argument("--project", metavar="FILE", help="project file (default: "
                        "./openres.yaml when no MODEL is given)")
    parser.add_argument("--output", "-o", metavar="FILE", default=None,
                        help=f"write here, atomically (default: {DEFAULT_LOCK}; - for stdout)")
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
