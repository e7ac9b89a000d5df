"""`openres-check validate FILE ...`: check input files against the published JSON Schemas.

The same schemas editors and other tools use (schemas/*.schema.json), applied with
jsonschema, with every problem located by file, line and path. Only this command loads
jsonschema.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from openres_check.cli.common import EXIT_ERROR, EXIT_FAIL, EXIT_OK

__all__ = ["detect_kind", "register"]

KINDS = ("context", "descriptor", "license", "policy", "project", "waivers")
# A file that cannot be read was not validated: the tool could not do its job (exit 2).
_UNREADABLE = frozenset({"not-found", "unreadable", "not-a-file"})


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "validate", help="check files against the published JSON Schemas")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--kind", choices=KINDS,
                        help="what the files are (default: guessed from their keys)")
    parser.set_defaults(handler=run)


def detect_kind(data: Any) -> str | None:
    """Guess what a document is from its top-level keys."""
    if not isinstance(data, dict):
        return None
    keys = set(data)
    if "pack" in keys and "rules" in keys:
        return "policy"
    if "waivers" in keys and keys <= {"waivers"}:
        return "waivers"
    if "publisher" in keys and "licenses" in keys:
        return "descriptor"
    if "commercial_use" in keys or ("ids" in keys and "name" in keys):
        return "license"
    if keys & {"models", "policies", "fail_on", "catalogs"}:
        return "project"
    if keys & {"organization", "deployment", "use", "data", "attestations"}:
        return "context"
    return None


def _specific(error: Any, jsonschema: Any) -> Any:
    """For an optional field (anyOf [X, null]) the error about X says what is wrong."""
    if not error.context:
        return error
    informative = [e for e in error.context
                   if not (e.validator == "type" and e.validator_value == "null")]
    return jsonschema.exceptions.best_match(informative or error.context)


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    import jsonschema  # noqa: PLC0415 - the only command that needs it

    from openres_check import _resources  # noqa: PLC0415
    from openres_check._yaml import load_yaml  # noqa: PLC0415
    from openres_check.errors import InputError, Issue  # noqa: PLC0415

    problems = unread = 0
    for name in args.files:
        try:
            doc = load_yaml(Path(name))
        except InputError as exc:
            if any(issue.code in _UNREADABLE for issue in exc.issues):
                stderr.write(exc.diagnostics() + "\n")
                unread += 1
            else:
                stdout.write(exc.diagnostics() + "\n")
                problems += 1
            continue
        kind = args.kind or detect_kind(doc.data)
        if kind is None:
            stdout.write(f"{name}: cannot tell what this file is; pass --kind\n")
            problems += 1
            continue
        schema = json.loads(_resources.bundled("schemas", f"{kind}.schema.json").read_text(
            encoding="utf-8"))
        data = json.loads(json.dumps(doc.data, default=str))
        errors = sorted((_specific(e, jsonschema) for e in
                         jsonschema.Draft202012Validator(schema).iter_errors(data)),
                        key=lambda e: list(map(str, e.absolute_path)))
        for error in errors:
            path = tuple(error.absolute_path)
            stdout.write(Issue("schema", error.message, doc.locate(path)).render() + "\n")
        problems += len(errors)
        if not errors:
            stdout.write(f"{name}: valid {kind}\n")
    if unread:
        return EXIT_ERROR
    return EXIT_FAIL if problems else EXIT_OK
