"""`openres-check explain RULE-ID`: a rule's documentation, in English or Japanese."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from openres_check.cli.common import EXIT_OK
from openres_check.cli.helptext import tr

__all__ = ["register"]


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "explain", help=tr("what a rule checks, why it matters, and how to fix it",
                           "ルールが何を確認し、なぜ重要で、どう対応すればよいかを説明します"))
    parser.add_argument("rule", nargs="?", metavar="RULE-ID")
    parser.add_argument("--lang", choices=("en", "ja"), default="en")
    parser.add_argument("--policy", action="append", metavar="REF", dest="policies", help=tr(
        "look in these packs (default: all bundled)",
        "探す対象のポリシーパック（既定: 同梱のすべてのパック）"))
    parser.add_argument("--list", action="store_true", help=tr(
        "list every rule", "すべてのルールを一覧表示します"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:  # noqa: ARG001
    from openres_check.cli.common import UsageError  # noqa: PLC0415
    from openres_check.policies import load_policies  # noqa: PLC0415
    from openres_check.ruledocs import find_rule, render_rule  # noqa: PLC0415

    packs = load_policies(args.policies)
    if args.list or not args.rule:
        if not args.list:
            raise UsageError("openres-check explain: give a RULE-ID, or --list")
        for pack in packs:
            for compiled in pack.rules:
                rule = compiled.rule
                stdout.write(f"{rule.id:<34} {rule.severity!s:<9} {rule.title.get(args.lang)}\n")
        return EXIT_OK
    stdout.write(render_rule(find_rule(args.rule, packs), args.lang))
    return EXIT_OK
