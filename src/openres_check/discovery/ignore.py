"""Which paths a scan skips: `.gitignore` rules and `--exclude` globs, in gitignore syntax.

Patterns come from the scanned tree, so matching must stay cheap whatever they say: a pattern
is split at `/` and each segment matched with `fnmatch` (whose translation of `*` does not
backtrack exponentially), and `**` is matched over path segments with memoisation, so a path
of n segments against a pattern of m segments costs at most n x m segment matches.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["IgnoreRule", "Ignorer", "parse_rules"]

_MAX_PATTERN = 1024
_MAX_RULES = 10_000


@dataclass(frozen=True)
class IgnoreRule:
    base: tuple[str, ...]
    """The folder (relative to the scanned root) of the .gitignore that holds the rule."""
    segments: tuple[str, ...]
    negate: bool
    directory_only: bool


def parse_rules(text: str, base: tuple[str, ...] = ()) -> list[IgnoreRule]:
    """The rules of one .gitignore (or the `--exclude` globs, one per line)."""
    rules: list[IgnoreRule] = []
    for raw in text.splitlines()[:_MAX_RULES]:
        line = raw.rstrip()
        if line.endswith("\\ "):  # an escaped trailing space is kept
            line += " "
        if not line or line.startswith("#") or len(line) > _MAX_PATTERN:
            continue
        negate = line.startswith("!")
        line = line.removeprefix("!").removeprefix("\\")
        directory_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        segments = tuple(s for s in line.lstrip("/").split("/") if s)
        if not anchored:
            segments = ("**", *segments)
        rules.append(IgnoreRule(base, segments, negate, directory_only))
    return rules


@lru_cache(maxsize=4096)
def _segment(pattern: str, name: str) -> bool:
    return fnmatch.fnmatchcase(name, pattern)


def _matches(pattern: tuple[str, ...], path: tuple[str, ...]) -> bool:
    memo: dict[tuple[int, int], bool] = {}

    def at(i: int, j: int) -> bool:
        key = (i, j)
        if key in memo:
            return memo[key]
        if i == len(pattern):
            result = j == len(path)
        elif pattern[i] == "**":
            result = at(i + 1, j) or (j < len(path) and at(i, j + 1))
        else:
            result = j < len(path) and _segment(pattern[i], path[j]) and at(i + 1, j + 1)
        memo[key] = result
        return result

    return at(0, 0)


class Ignorer:
    """Rules gathered while walking down the tree; the last matching rule decides."""

    def __init__(self, rules: list[IgnoreRule] | None = None) -> None:
        self.rules: list[IgnoreRule] = list(rules or [])

    def add(self, rules: list[IgnoreRule]) -> None:
        self.rules.extend(rules)

    def ignored(self, path: tuple[str, ...], is_dir: bool) -> bool:
        decision = False
        for rule in self.rules:
            if rule.directory_only and not is_dir:
                continue
            if path[:len(rule.base)] != rule.base:
                continue
            if _matches(rule.segments, path[len(rule.base):]):
                decision = not rule.negate
        return decision
