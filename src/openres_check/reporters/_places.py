"""Where a scan found a model (`Report.locations` entries), written alike in every report."""

from __future__ import annotations

from typing import Any

from openres_check._text import for_display

__all__ = ["attributes_text", "described", "place", "symbol"]

_SYMBOLS = ("constant", "variable", "alias")
"""Attributes that name the model in the project: the Python constant holding the id, the
environment variable set to it, the LiteLLM alias the application calls it by."""


def place(entry: dict[str, Any]) -> str:
    """`path:line:column`: the form editors, terminals and CI logs turn into a link."""
    return f"{entry['path']}:{entry['line']}:{entry['column']}"


def attributes_text(entry: dict[str, Any]) -> str:
    """What the code says beside the reference, e.g. `revision=abc, trust_remote_code=True`."""
    return ", ".join(f"{key}={value}" for key, value in entry.get("attributes", {}).items())


def described(entry: dict[str, Any]) -> str:
    """One line, whatever the file name or the values hold: the place, the code there and
    its attributes."""
    extra = attributes_text(entry)
    line = f"{place(entry)}  {entry['text']}" + (f"  ({extra})" if extra else "")
    return for_display(line, one_line=True)


def symbol(entry: dict[str, Any]) -> str | None:
    """The name the project refers to the model by, when it uses one."""
    found = entry.get("attributes", {})
    return next((found[key] for key in _SYMBOLS if key in found), None)
