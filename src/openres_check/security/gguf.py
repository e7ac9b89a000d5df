"""GGUF files: the chat templates in the metadata, read with the shared header parser past
the tokenizer arrays that come before them (skipped by length). What cannot be read to the
last key, and a template too large to check whole, needs review: unknown never passes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openres_check._gguf import GgufError, read_gguf
from openres_check.model.security import SecurityIssue
from openres_check.security.formats import Format
from openres_check.security.pickles import unanalysable
from openres_check.security.templates import MAX_TEMPLATE, template_issues

if TYPE_CHECKING:
    from openres_check.security.interface import ScannedFile

__all__ = ["MAX_METADATA", "GgufScanner"]

MAX_METADATA = 64 * 1024 * 1024
"""The header bytes read: real tokenizer arrays take up to about 20 MB."""
_TEMPLATE_KEY = "tokenizer.chat_template"


def _is_template(key: str) -> bool:
    return key.startswith(_TEMPLATE_KEY)


class GgufScanner:
    formats = frozenset({Format.GGUF})

    def scan(self, file: ScannedFile) -> list[SecurityIssue]:
        try:
            with file.path.open("rb") as stream:
                header = read_gguf(stream, _is_template, max_string=MAX_TEMPLATE,
                                   max_bytes=MAX_METADATA)
        except (OSError, GgufError) as exc:
            return [unanalysable(file.relative, None, f"the GGUF metadata cannot be read "
                                 f"({exc}), so its chat template was not checked")]
        issues: list[SecurityIssue] = []
        for key, template in header.metadata.items():
            if not isinstance(template, str):
                continue  # not a template a runtime renders
            issues.extend(template_issues(template, file.relative, key))
            if key in header.truncated:
                issues.append(unanalysable(file.relative, key, "the chat template is larger "
                                           f"than {MAX_TEMPLATE} bytes; only its start was "
                                           "checked"))
        if not header.complete:
            issues.append(unanalysable(file.relative, None, "the GGUF metadata cannot be read "
                                       f"to its last key ({header.incomplete}), so a chat "
                                       "template after that point was not checked"))
        return issues
