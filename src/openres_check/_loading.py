"""Raw data in, frozen models out: pydantic errors become located `Issue`s.

Validation is the second step after `_yaml` parsing. No pydantic exception escapes: each
error becomes an `Issue` with the file, line, column, dotted path and, for an unknown key,
a "did you mean" hint drawn from the fields the model really has.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from openres_check._yaml import Document, load_yaml
from openres_check.errors import InputError, Issue, Location

__all__ = ["allowed_keys", "load_model_file", "suggest", "validate"]

M = TypeVar("M", bound=BaseModel)

_CODES = {
    "extra_forbidden": "unknown-field",
    "missing": "missing-field",
    "enum": "bad-value",
    "literal_error": "bad-value",
}


def suggest(word: str, choices: typing.Iterable[str], n: int = 3) -> list[str]:
    """Close matches for `word`, for "did you mean" hints."""
    return difflib.get_close_matches(word, list(choices), n=n, cutoff=0.6)


def _model_classes(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _model_classes(typing.get_args(annotation)[0])
    found: list[type[BaseModel]] = []
    if origin in (typing.Union, types.UnionType, list, dict, tuple):
        for arg in typing.get_args(annotation):
            found.extend(_model_classes(arg))
    return found


def allowed_keys(cls: type[BaseModel], path: tuple[str | int, ...]) -> list[str] | None:
    """The keys a mapping at `path` may hold, or None when it is not a model."""
    current: list[type[BaseModel]] = [cls]
    for part in path:
        if isinstance(part, int):
            continue
        following: list[type[BaseModel]] = []
        for model in current:
            for name, info in model.model_fields.items():
                if part in (name, info.alias):
                    following.extend(_model_classes(info.annotation))
        if not following:
            # A dict value (e.g. licenses.weights): stay on the value's model type.
            for model in current:
                for info in model.model_fields.values():
                    if typing.get_origin(info.annotation) is dict:
                        following.extend(_model_classes(info.annotation))
        if not following:
            return None
        current = following
    keys: list[str] = []
    for model in current:
        keys.extend(info.alias or name for name, info in model.model_fields.items())
    return keys


def _data_path(data: Any, loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Map pydantic's `loc` onto the document, dropping union member tags."""
    path: list[str | int] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and not path_is_tag(part):
            path.append(part)  # a missing key: point at where it should be
            node = None
    return tuple(path)


def path_is_tag(part: str) -> bool:
    return part[:1].isupper() or "[" in part or part in {"str", "int", "float", "bool",
                                                         "list", "dict", "date", "none"}


def issues_from_pydantic(
    cls: type[BaseModel], exc: PydanticValidationError, doc: Document
) -> list[Issue]:
    issues: list[Issue] = []
    for error in exc.errors(include_url=False):
        path = _data_path(doc.data, tuple(error["loc"]))
        code = _CODES.get(error["type"], "bad-value")
        hint = None
        message = error["msg"]
        if error["type"] == "extra_forbidden" and path:
            key = str(path[-1])
            choices = allowed_keys(cls, path[:-1]) or []
            close = suggest(key, choices)
            message = f"unknown key {key!r}"
            hint = (f"did you mean {' or '.join(repr(c) for c in close)}?" if close
                    else f"allowed keys here: {', '.join(sorted(choices))}" if choices
                    else None)
        elif error["type"] == "missing":
            message = f"required key {str(path[-1])!r} is missing" if path else message
            path = path[:-1] if path else path
        elif error["type"] == "string_pattern_mismatch" and "A-Z]{2}" in str(
                error.get("ctx", {}).get("pattern")):
            message = f"{error.get('input')!r} is not a country code"
            hint = "write an ISO 3166-1 alpha-2 code such as JP, DE or US (EU for the Union)"
        elif error["type"] == "string_type" and isinstance(error.get("input"), bool):
            message = f"{message} (got {error['input']!r})"
            hint = ("YAML reads unquoted NO, yes, on and off as booleans: quote the value, "
                    'e.g. "NO" for Norway')
        elif not isinstance(error.get("input"), (dict, list)):
            message = f"{message} (got {error['input']!r})"
            if error["type"] in ("enum", "literal_error"):
                options = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
                close = suggest(str(error.get("input")), options)
                hint = f"did you mean {close[0]!r}?" if close else None
        location = doc.locate(path)
        issues.append(Issue(code, message, location, hint))
    return _dedupe(issues)


def _dedupe(issues: list[Issue]) -> list[Issue]:
    seen: set[tuple[str, str, tuple[str | int, ...]]] = set()
    unique = []
    for issue in issues:
        key = (issue.code, issue.message, issue.location.path)
        if key not in seen:
            seen.add(key)
            unique.append(issue)
    return unique


def validate_document(cls: type[M], doc: Document, what: str | None = None) -> M:
    if not isinstance(doc.data, dict):
        kind = type(doc.data).__name__
        raise InputError(f"cannot use {doc.source}", [Issue(
            "bad-type", f"expected a mapping at the top level, found {kind}",
            Location(doc.source, (), 1, 1),
            f"write the {what or 'document'} as `key: value` lines")])
    try:
        return cls.model_validate(doc.data)
    except PydanticValidationError as exc:
        issues = issues_from_pydantic(cls, exc, doc)
        noun = what or cls.__name__
        raise InputError(f"{doc.source} is not a valid {noun} "
                         f"({len(issues)} problem{'s' if len(issues) != 1 else ''})",
                         issues) from None


def validate(cls: type[M], data: Any, source: str, what: str | None = None) -> M:
    """Validate already-parsed data (e.g. from the Python API) into a frozen model."""
    if isinstance(data, cls):
        return data
    return validate_document(cls, Document(source=source, data=data), what)


def load_model_file(cls: type[M], path: Path, section: str | None = None) -> M:
    """Parse a YAML file safely and validate it into `cls`."""
    return validate_document(cls, load_yaml(path), section)


def location_in(doc: Document | None, source: str, path: tuple[str | int, ...]) -> Location:
    return doc.locate(path) if doc is not None else Location(source, path)
