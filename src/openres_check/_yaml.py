"""Hardened YAML loading: the one way YAML enters openres-check.

YAML is composed into nodes by PyYAML's safe parser (the libyaml one when present) and then
built into plain Python values here, so that every limit is enforced while building:

- only the standard scalar, sequence and mapping tags are accepted; `!!python/...` and any
  other tag is rejected, never constructed;
- duplicate keys and merge keys are errors;
- aliases are counted and the number of built values is capped, so a "billion laughs"
  document fails at once instead of expanding;
- nesting depth and file size are capped;
- non-UTF-8 and empty files get a clear error.

Every value keeps the line and column where it starts, so later validation can point at it.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from openres_check._inputs import record_read
from openres_check.errors import InputError, Issue, Location

__all__ = [
    "DEFAULT_LIMITS",
    "Document",
    "Limits",
    "dump_yaml",
    "inline_yaml",
    "load_yaml",
    "load_yaml_text",
    "read_file",
    "read_head",
]

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(
    _TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)

try:  # pragma: no cover - which one depends on how PyYAML was built
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class Limits:
    """Bounds that keep hostile input cheap to reject."""

    max_bytes: int = 5 * 1024 * 1024
    max_depth: int = 64
    max_aliases: int = 100
    max_values: int = 1_000_000


DEFAULT_LIMITS = Limits()


@dataclass
class Document:
    """A loaded YAML document: its data, and where each value came from."""

    source: str
    data: Any
    marks: dict[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: tuple[str | int, ...]) -> Location:
        """The location of `path`, or of its nearest ancestor the loader saw."""
        probe = tuple(path)
        while probe and probe not in self.marks:
            probe = probe[:-1]
        line, column = self.marks.get(probe, (None, None))
        return Location(source=self.source, path=tuple(path), line=line, column=column)


class _Builder:
    def __init__(self, source: str, limits: Limits) -> None:
        self.source = source
        self.limits = limits
        self.marks: dict[tuple[str | int, ...], tuple[int, int]] = {}
        self.issues: list[Issue] = []
        self._seen: set[int] = set()
        self._aliases = 0
        self._values = 0
        self._scalars = yaml.constructor.SafeConstructor()

    def fail(self, code: str, message: str, node: yaml.Node, path: tuple[str | int, ...],
             hint: str | None = None) -> None:
        mark = node.start_mark
        self.issues.append(Issue(
            code=code, message=message, hint=hint,
            location=Location(self.source, path, mark.line + 1, mark.column + 1),
        ))

    def build(self, node: yaml.Node, path: tuple[str | int, ...], depth: int) -> Any:
        if id(node) in self._seen and not isinstance(node, yaml.ScalarNode):
            self._aliases += 1
            if self._aliases > self.limits.max_aliases:
                self.fail("alias-limit", f"more than {self.limits.max_aliases} alias "
                          "references; the document was not expanded", node, path,
                          "write the values out instead of repeating anchors")
                raise _Abort
        self._seen.add(id(node))
        self._values += 1
        if self._values > self.limits.max_values:
            self.fail("size-limit", f"more than {self.limits.max_values} values", node, path,
                      "split the document or remove repeated aliases")
            raise _Abort
        if depth > self.limits.max_depth:
            self.fail("depth-limit", f"nesting deeper than {self.limits.max_depth} levels",
                      node, path, "flatten the document")
            raise _Abort
        self.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                self._bad_tag(node, path)
                return None
            return [self.build(item, (*path, index), depth + 1)
                    for index, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _bad_tag(self, node: yaml.Node, path: tuple[str | int, ...]) -> None:
        tag = node.tag.replace(_TAG, "!!")
        self.fail("unsafe-tag", f"the tag {tag!r} is not allowed", node, path,
                  "use plain YAML values: strings, numbers, booleans, dates, lists and maps")

    def _scalar(self, node: yaml.Node, path: tuple[str | int, ...]) -> Any:
        if node.tag not in _SCALAR_TAGS:
            self._bad_tag(node, path)
            return None
        try:
            value = self._scalars.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.fail("bad-value", f"cannot read this value: {exc}", node, path)
            return None
        if isinstance(value, dt.datetime) and value.time() == dt.time(0) \
                and value.tzinfo is None and len(str(node.value)) <= 10:  # noqa: PLR2004
            return value.date()
        return value

    def _mapping(self, node: yaml.MappingNode, path: tuple[str | int, ...], depth: int) -> Any:
        if node.tag != _TAG + "map":
            self._bad_tag(node, path)
            return None
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self.fail("merge-key", "merge keys ('<<') are not supported", key_node, path,
                          "write the keys out")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail("bad-key", "a mapping key must be a plain value", key_node, path)
                continue
            key = self._scalar(key_node, path)
            if isinstance(key, (dt.date, float)) or key is None:
                key = str(key_node.value)
            if key in result:
                first = self.marks.get((*path, key))
                where = f" (first at line {first[0]})" if first else ""
                self.fail("duplicate-key", f"duplicate key {key!r}{where}", key_node,
                          (*path, key), "remove one of them")
                continue
            self.marks[(*path, key)] = (key_node.start_mark.line + 1,
                                        key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result


class _Abort(Exception):  # noqa: N818 - internal control flow, never escapes this module
    pass


def _problem(source: str, code: str, message: str, hint: str | None = None,
             line: int | None = None, column: int | None = None) -> InputError:
    issue = Issue(code, message, Location(source, (), line, column), hint)
    return InputError(f"cannot load {source}", [issue])


def _decode(raw: bytes, source: str) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _problem(source, "not-utf8", f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
                       "save the file as UTF-8", line, column) from None
    return text


def load_yaml_text(text: str, source: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Load one YAML document from text. Raises `InputError` listing every problem."""
    if len(text.encode("utf-8", "surrogatepass")) > limits.max_bytes:
        raise _problem(source, "size-limit", f"larger than {limits.max_bytes} bytes",
                       "split the file")
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise _problem(source, "empty-file", "the file is empty",
                       "write a YAML mapping, or `{}` for an intentionally empty one")
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or str(exc)
        raise _problem(source, "yaml-syntax", f"invalid YAML: {reason}",
                       "check the indentation and quoting near this line",
                       mark.line + 1 if mark else None,
                       mark.column + 1 if mark else None) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise _problem(source, "yaml-syntax", f"invalid YAML: {type(exc).__name__}",
                       "check the nesting of the document") from None
    if node is None:
        raise _problem(source, "empty-file", "the file holds no YAML document",
                       "write a YAML mapping")
    builder = _Builder(source, limits)
    try:
        data = builder.build(node, (), 0)
    except _Abort:
        data = None
    except RecursionError:
        raise _problem(source, "depth-limit", "the document nests too deeply",
                       "flatten the document") from None
    if builder.issues:
        raise InputError(f"cannot load {source}", builder.issues)
    return Document(source=source, data=data, marks=builder.marks)


def read_head(path: Path, limit: int, source: str | None = None) -> bytes:
    """The first `limit` bytes of a regular file (or pipe); `InputError` when it cannot be
    read. Every input file of the tool is read through here, so none is read unbounded."""
    source = source or str(path)
    record_read(path)
    try:
        with path.open("rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            # A device such as /dev/zero never ends; a pipe does, and is read bounded.
            if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
                raise _problem(source, "not-a-file", "this is a device or socket, not a file",
                               "pass a regular file")
            return handle.read(limit)
    except IsADirectoryError:
        raise _problem(source, "not-a-file", "this is a folder, not a file") from None
    except FileNotFoundError:
        raise _problem(source, "not-found", "no such file",
                       "check the path and the current folder") from None
    except OSError as exc:
        raise _problem(source, "unreadable", f"cannot read it: {exc.strerror or exc}",
                       "check its permissions, or pass another path") from None


def read_file(path: Path, max_bytes: int, source: str | None = None) -> bytes:
    """The whole of a file of at most `max_bytes`; `InputError` when it is larger."""
    raw = read_head(path, max_bytes + 1, source)
    if len(raw) > max_bytes:
        raise _problem(source or str(path), "size-limit",
                       f"the file has more than {max_bytes} bytes",
                       "split the file")
    return raw


def load_yaml(path: Path, limits: Limits = DEFAULT_LIMITS, label: str | None = None) -> Document:
    """Load one YAML file. Raises `InputError` for unreadable, oversized or invalid files."""
    source = label or str(path)
    raw = read_file(path, limits.max_bytes, source)
    return load_yaml_text(_decode(raw, source), source, limits)


def dump_yaml(data: Any) -> str:
    """Serialise plain data as YAML, keeping key order and non-ASCII text readable."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def inline_yaml(value: Any) -> str:
    """`value` on one line as YAML reads it back (`1.0e+25`: YAML 1.1 reads `1e+25` as text)."""
    return str(yaml.safe_dump(value, default_flow_style=True, width=1000).splitlines()[0])
