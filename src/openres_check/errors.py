"""The error tree: every way the tool can fail to do its job.

A finding is never an error. Errors mean openres-check could not run: a bad argument, an
invalid input file, an unknown model, an unwritable output. Each error explains itself
through `diagnostics()`, naming the file, the line, the path inside the document and a hint.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "InputError",
    "Issue",
    "Location",
    "OpenResCheckError",
    "OutputError",
    "UnknownModelError",
]


def format_path(path: tuple[str | int, ...]) -> str:
    """Render a document path as `rules[3].severity`; keys from the file are shown escaped,
    on one line (a key may hold any character)."""
    from openres_check._text import for_display  # noqa: PLC0415 - errors.py imports nothing

    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            key = for_display(part, one_line=True)
            out += f".{key}" if out else key
    return out


@dataclass(frozen=True)
class Location:
    """Where in an input a problem sits."""

    source: str
    """The file path, or a label such as `<context>` or `bundled:policies/license.yaml`."""
    path: tuple[str | int, ...] = ()
    """The position inside the document, as keys and list indexes."""
    line: int | None = None
    """1-based line, when the loader knew it."""
    column: int | None = None
    """1-based column, when the loader knew it."""

    def __str__(self) -> str:
        from openres_check._text import for_display  # noqa: PLC0415

        where = for_display(self.source, one_line=True)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.path:
            path = self.path
            if len(path) > 8:  # noqa: PLR2004 - keep deep paths readable
                path = (*path[:3], "…", *path[-2:])
            where += f": {format_path(path)}"
        return where


@dataclass(frozen=True)
class Issue:
    """One problem in an input file."""

    code: str
    """A stable kebab-case code, e.g. `duplicate-key` or `unknown-field`."""
    message: str
    """One sentence naming the bad value."""
    location: Location
    hint: str | None = None
    """What to do about it."""

    def render(self) -> str:
        from openres_check._text import for_display  # noqa: PLC0415

        # One problem, one line (and its hint): text from the file cannot start another.
        text = f"{self.location}: error[{self.code}]: {for_display(self.message, one_line=True)}"
        if self.hint:
            text += f"\n  hint: {for_display(self.hint, one_line=True)}"
        return text


class OpenResCheckError(Exception):
    """The root of every error openres-check raises."""

    def diagnostics(self) -> str:
        """A human-readable explanation: what went wrong, where, and what to do."""
        return f"error: {self}"


class InputError(OpenResCheckError):
    """An input (argument, file, model reference) cannot be used. The CLI exits with 2."""

    def __init__(self, message: str, issues: tuple[Issue, ...] | list[Issue] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.issues: tuple[Issue, ...] = tuple(issues)

    def __str__(self) -> str:
        if not self.issues:
            return self.message
        first = self.issues[0]
        more = f" (and {len(self.issues) - 1} more)" if len(self.issues) > 1 else ""
        return f"{self.message}: {first.location}: {first.message}{more}"

    def diagnostics(self) -> str:
        lines = [f"error: {self.message}"]
        lines.extend(issue.render() for issue in self.issues)
        return "\n".join(lines)


class UnknownModelError(InputError):
    """A model reference is neither a catalog id, an alias nor a readable path."""

    def __init__(self, reference: str, suggestions: list[str]) -> None:
        hint = (
            "did you mean: " + ", ".join(suggestions) + "?"
            if suggestions
            else "run `openres-check catalog search TEXT`, or pass a path to a model folder, "
            "a model card or a descriptor YAML"
        )
        issue = Issue(
            code="unknown-model",
            message=f"{reference!r} is not a catalog id, an alias, or an existing path",
            location=Location(source="<model reference>"),
            hint=hint,
        )
        super().__init__(f"unknown model {reference!r}", [issue])
        self.reference = reference
        self.suggestions = tuple(suggestions)


class OutputError(OpenResCheckError):
    """The result could not be written. The CLI exits with 2."""
