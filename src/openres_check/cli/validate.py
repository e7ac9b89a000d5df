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
from openres_check.cli.helptext import tr

__all__ = ["detect_kind", "register"]

KINDS = ("context", "descriptor", "license", "lock", "ollama", "policy", "project", "report",
         "service", "waivers")
# A file that cannot be read was not validated: the tool could not do its job (exit 2).
_UNREADABLE = frozenset({"not-found", "unreadable", "not-a-file"})


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "validate", help=tr("check files against the published JSON Schemas",
                            "ファイルを、公開している JSON Schema で検証します"))
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--kind", choices=KINDS, help=tr(
        "what the files are (default: guessed from their keys)",
        "ファイルの種類（既定: キーから推測します）"))
    parser.set_defaults(handler=run)


def detect_kind(data: Any) -> str | None:
    """Guess what a document is from its top-level keys."""
    if not isinstance(data, dict):
        return None
    keys = set(data)
    if _descriptor_list(data) is not None:
        return "descriptor"
    if {"findings", "summary"} <= keys:
        return "report"
    if "pack" in keys and "rules" in keys:
        return "policy"
    if "lock_version" in keys:
        return "lock"
    if "waivers" in keys and keys <= {"waivers"}:
        return "waivers"
    if "publisher" in keys and "licenses" in keys:
        return "descriptor"
    if "commercial_use" in keys or ("ids" in keys and "name" in keys):
        return "license"
    if {"operator", "endpoints"} <= keys:
        return "service"
    if {"name", "tags"} <= keys and "publisher" not in keys:
        return "ollama"
    if keys & {"models", "policies", "fail_on", "catalogs"}:
        return "project"
    if keys & {"organization", "deployment", "use", "data", "attestations"}:
        return "context"
    return None


def _descriptor_list(data: Any) -> list[Any] | None:
    """The descriptors of a catalog file (`models: [...]`), or None for anything else."""
    if not isinstance(data, dict) or set(data) != {"models"}:
        return None
    models = data["models"]
    if not isinstance(models, list) or not models or not all(
            isinstance(m, dict) and "publisher" in m for m in models):
        return None
    return models


def _documents(kind: str, data: Any) -> list[tuple[tuple[str | int, ...], Any]]:
    """What to check against the schema, and where each part sits in the file."""
    models = _descriptor_list(data) if kind == "descriptor" else None
    if models is None:
        return [((), data)]
    return [(("models", index), model) for index, model in enumerate(models)]


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
        validator = jsonschema.Draft202012Validator(schema)
        found = [(prefix, _specific(error, jsonschema)) for prefix, part in _documents(kind, data)
                 for error in validator.iter_errors(part)]
        errors = sorted(((prefix + tuple(error.absolute_path), error.message)
                         for prefix, error in found), key=lambda e: list(map(str, e[0])))
        stdout.writelines(Issue("schema", message, doc.locate(path)).render() + "\n"
                          for path, message in errors)
        problems += len(errors)
        if not errors:
            stdout.write(f"{name}: valid {kind}\n")
    if unread:
        return EXIT_ERROR
    return EXIT_FAIL if problems else EXIT_OK
