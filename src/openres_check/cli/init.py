"""`openres-check init`: write a commented starter openres.yaml.

Flags answer the questions; on a terminal, the ones left out are asked. Nothing is
overwritten without --force.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any, TextIO

import yaml

from openres_check.cli.common import EXIT_ERROR, EXIT_OK, UsageError, output_path, write_output
from openres_check.cli.helptext import tr
from openres_check.model.context import DeploymentMode, Sector

__all__ = ["register", "render_project"]

_MODES = tuple(m.value for m in DeploymentMode)
_SECTORS = tuple(s.value for s in Sector)
_YES, _NO = ("yes", "y", "true"), ("no", "n", "false")
_PLAIN = re.compile(r"[\w.@/+-]+")

_QUESTIONS = (
    ("models", "Models to check (catalog ids or paths, comma-separated)",
     "Qwen/Qwen2.5-7B-Instruct"),
    ("country", "Principal place of business (ISO country code)", "JP"),
    ("mode", f"Deployment: {' | '.join(_MODES)}", "self-hosted"),
    ("sector", f"Sector: {' | '.join(_SECTORS)}", "general"),
    ("commercial", "Commercial use? (yes/no)", "yes"),
    ("lang", "Report language (en/ja)", "en"),
)


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "init", help=tr("write a commented starter openres.yaml",
                        "コメント付きのひな形の openres.yaml を書き出します"))
    parser.add_argument("--model", action="append", dest="models", metavar="REF")
    parser.add_argument("--country", metavar="CC")
    parser.add_argument("--mode", choices=_MODES)
    parser.add_argument("--sector", choices=_SECTORS)
    parser.add_argument("--commercial", choices=("yes", "no"))
    parser.add_argument("--lang", choices=("en", "ja"))
    parser.add_argument("--output", "-o", default="openres.yaml", metavar="FILE")
    parser.add_argument("--force", action="store_true", help=tr(
        "overwrite an existing file", "既存のファイルを上書きします"))
    parser.add_argument("--no-input", action="store_true", help=tr(
        "never ask; use defaults", "質問せず、既定値を使います"))
    parser.set_defaults(handler=run)


def _scalar(value: str) -> str:
    """`value` as a YAML scalar that reads back as this very string.

    Plain where that is safe; otherwise quoted, so `NO` stays a country code rather than
    false and `a: b` cannot add a key. A JSON string is a valid YAML double-quoted scalar.
    """
    if _PLAIN.fullmatch(value) and yaml.safe_load(value) == value:
        return value
    return json.dumps(value, ensure_ascii=False)


def _models(answer: str) -> list[str]:
    return [m.strip() for m in answer.split(",") if m.strip()]


def _validate(answers: dict[str, str]) -> dict[str, str]:
    """The answers, normalised; raises `UsageError` naming the first bad one."""
    for key, value in answers.items():
        if not value.isprintable():  # a line break would end the YAML value early
            flag = "--model" if key == "models" else f"--{key}"
            raise UsageError(f"{flag} {value!r}: control characters are not allowed")
    if not _models(answers["models"]):
        raise UsageError("--model: name at least one model (a catalog id or a path)")
    if not re.fullmatch(r"[A-Za-z]{2}", answers["country"]):
        raise UsageError(f"--country {answers['country']!r}: write an ISO code such as JP")
    choices = {"mode": _MODES, "sector": _SECTORS, "commercial": _YES + _NO,
               "lang": ("en", "ja")}
    normalised = {**answers, "country": answers["country"].upper()}
    for key, allowed in choices.items():
        normalised[key] = answers[key].strip().lower()
        if normalised[key] not in allowed:
            raise UsageError(f"--{key} {answers[key]!r}: choose one of {', '.join(allowed)}")
    return normalised


def render_project(answers: dict[str, str]) -> str:
    """The project file. Raises `UsageError` for an answer `check` would reject."""
    answers = _validate(answers)
    model_lines = "\n".join(f"  - {_scalar(m)}" for m in _models(answers["models"]))
    commercial = "true" if answers["commercial"] in _YES else "false"
    country = _scalar(answers["country"])
    return f"""# openres-check project file: `openres-check check` with no arguments reads it.
# Docs: the README, `openres-check explain RULE-ID`, and schemas/project.schema.json.

# Models: catalog ids or aliases, or paths to model folders, cards, descriptors or ML-BOMs.
models:
{model_lines}

# Who you are, how the model runs, what it is used for and what data it sees.
# Every field is optional, but a rule that needs a missing field answers `review`.
context:
  organization:
    country: {country}          # principal place of business
    type: private           # private | government | public-sector | academic | nonprofit
    # annual_revenue_usd: 1000000
  deployment:
    mode: {answers['mode']}    # self-hosted | cloud | vendor-api | on-device
    regions: [{country}]        # where inference runs and data is processed
    public_facing: true
  use:
    commercial: {commercial}
    # monthly_active_users: 10000
    sector: {answers['sector']}
    purposes: []            # tags such as diagnostic-support, hiring (docs/purposes.md)
    distributes_weights: false
    fine_tunes: false
    trains_on_outputs: false
  data:
    categories: [personal]  # none | personal | sensitive | health | children | ...
    subject_regions: [{country}]
  attestations: {{}}         # RULE-ID: evidence, once an obligation is met

# Bundled packs by name, or paths to your own; all bundled packs when absent.
# policies: [license, obligations, output-use, territory, lineage, data-protection, regulation,
#            security, discovery]

# A lock file (openres-check lock) that local model files must still match.
# lock: openres.lock

# The signer whose OpenSSF model signature (model.sig) every local model folder must carry,
# and the OpenID Connect issuer that certified it (verifying needs the [signing] extra).
# signer_identity: release@example.com
# signer_issuer: https://accounts.google.com

# Folders to scan for the models the code, serving configs and weights files use; they are
# then checked too. `exclude:` takes gitignore-style globs (test fixtures, vendored code).
# scan: [.]
# exclude: [tests/fixtures/]

# Waivers: who accepted which finding, why, and until when.
waivers: []
#  - rule: LIC-RESEARCH-ONLY
#    model: Qwen/Qwen2.5-3B-Instruct
#    reason: Commercial license signed with the licensor
#    approved_by: Legal
#    expires: 2027-03-31
#    ticket: LEGAL-123

fail_on: high               # critical | high | medium | low | info | never
lang: {answers['lang']}
"""


def _ask(stdin: TextIO, stdout: TextIO, prompt: str, default: str) -> str:
    stdout.write(f"{prompt} [{default}]: ")
    stdout.flush()
    reply = stdin.readline().strip()
    return reply or default


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    output_path(args.output)  # a folder or an empty path is refused before any question
    target = args.output
    if Path(target).exists() and not args.force:
        stderr.write(f"error: {target} exists\nhint: pass --force to overwrite it\n")
        return EXIT_ERROR
    given = {
        "models": ",".join(args.models) if args.models else None,
        "country": args.country, "mode": args.mode, "sector": args.sector,
        "commercial": args.commercial, "lang": args.lang,
    }
    interactive = not args.no_input and sys.stdin.isatty()
    answers: dict[str, str] = {}
    for key, prompt, default in _QUESTIONS:
        value = given[key]
        if value is None:
            value = _ask(sys.stdin, stdout, prompt, default) if interactive else default
        answers[key] = value
    write_output(render_project(answers), target, stdout)
    stdout.write(f"wrote {target}; run `openres-check check` to use it\n")
    return EXIT_OK
