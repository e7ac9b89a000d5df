"""`openres-check catalog`: list, show and search the catalog and the license registry."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

__all__ = ["register"]


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "catalog", help="list, show and search models and licenses")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:  # noqa: ARG001
    from openres_check.catalog import load_catalog  # noqa: PLC0415

    catalog = load_catalog()
    stdout.writelines(f"{entry.descriptor.id}\n" for entry in catalog)
    return 0
