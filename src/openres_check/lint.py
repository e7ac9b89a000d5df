"""`policy lint`: validate user packs and point out what makes a rule hard to trust or use.

Errors are what stops a pack from loading (schema, unknown facts, duplicate ids, bad
templates): they come from the same loader the engine uses. Warnings are advice: a rule with
no references, a Japanese text that is not Japanese, a `fails` rule that can never fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from openres_check._yaml import Document, load_yaml
from openres_check.engine.rules import CompiledPack
from openres_check.errors import InputError, Issue, Location
from openres_check.model.common import Localized
from openres_check.policies import load_policy

__all__ = ["LintResult", "lint_pack"]

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_ITEM_PLACEHOLDER = re.compile(r"\{item\.")


@dataclass(frozen=True)
class LintResult:
    source: str
    errors: tuple[Issue, ...]
    warnings: tuple[Issue, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


TextAt = tuple[tuple[str | int, ...], Localized]


def _texts(rule_index: int, name: str, value: Localized | None) -> list[TextAt]:
    return [(("rules", rule_index, name), value)] if value is not None else []


def _warnings(pack: CompiledPack, doc: Document) -> list[Issue]:
    found: list[Issue] = []

    def warn(code: str, message: str, path: tuple[str | int, ...], hint: str) -> None:
        found.append(Issue(code, message, doc.locate(path), hint))

    for index, compiled in enumerate(pack.rules):
        rule = compiled.rule
        where: tuple[str | int, ...] = ("rules", index)
        if not rule.references:
            warn("no-references", f"{rule.id} cites no license clause, article or guideline",
                 (*where, "references"), "add `references: [{title, url}]`")
        if rule.description is None:
            warn("no-description", f"{rule.id} has no description of what it checks",
                 (*where, "description"), "add `description: {en, ja}` for `explain` and docs")
        if rule.remediation is None:
            warn("no-remediation", f"{rule.id} does not say what to do next",
                 (*where, "remediation"), "add `remediation: {en, ja}`")
        if rule.fails is not None and rule.confidence == "unverified":
            warn("unverified-fails", f"{rule.id} rests on an unverified fact, so it can never "
                 "fail; it always yields review", (*where, "fails"),
                 "write it as `review:`, or verify the fact and raise the confidence")
        quantified = "some" in repr(rule.fails) + repr(rule.review) or "every" in repr(
            rule.fails) + repr(rule.review)
        texts = [*_texts(index, "message", rule.message), *_texts(index, "title", rule.title),
                 *_texts(index, "obligation", rule.obligation),
                 *_texts(index, "remediation", rule.remediation)]
        for path, text in texts:
            if not _JAPANESE.search(text.ja):
                warn("ja-not-japanese", f"the Japanese {path[-1]} of {rule.id} has no Japanese "
                     "text", (*path, "ja"), "translate it (see the project's glossary)")
            if text.en.strip() == text.ja.strip():
                warn("untranslated", f"the {path[-1]} of {rule.id} is the same in en and ja",
                     path, "translate the Japanese text")
            if not quantified and (_ITEM_PLACEHOLDER.search(text.en)
                                   or _ITEM_PLACEHOLDER.search(text.ja)):
                warn("unbound-item", f"the {path[-1]} of {rule.id} uses {{item.*}} but the "
                     "rule has no some/every, so it renders as unknown", path,
                     "use model.* or context.* facts, or add a quantifier")
    return found


def lint_pack(path: Path) -> LintResult:
    """Lint one pack file. Raises `InputError` only when the file cannot be read at all."""
    if not path.is_file():
        raise InputError(f"cannot lint {path}", [Issue(
            "not-found", "no such file", Location(str(path)), "pass a pack YAML file")])
    try:
        pack = load_policy(path)
    except InputError as exc:
        return LintResult(str(path), exc.issues, ())
    return LintResult(pack.source, (), tuple(_warnings(pack, load_yaml(path, label=pack.source))))
