"""Hub references found outside a model folder (in a lock file, or by discovery in code):
whether their revision is pinned, and whether they run remote code unpinned."""

from __future__ import annotations

from collections.abc import Iterable

from openres_check.model.security import (
    IssueKind,
    ModelReferenceFacts,
    SecurityFacts,
    SecurityIssue,
)
from openres_check.security.lock import REVISION

__all__ = ["reference_facts", "reference_security"]


def reference_facts(repo: str, revision: str | None = None, *, location: str,
                    trust_remote_code: bool = False,
                    code_revision: str | None = None) -> ModelReferenceFacts:
    """One reference, e.g. `from_pretrained("org/x", revision=..., trust_remote_code=True)`
    at `app.py:12`. Only a 40-hex commit pins: a branch or tag can move."""
    return ModelReferenceFacts(
        repo=repo, revision=revision, pinned=bool(revision and REVISION.fullmatch(revision)),
        trust_remote_code=trust_remote_code, code_revision=code_revision, location=location)


def _remote_code(reference: ModelReferenceFacts) -> SecurityIssue | None:
    if not reference.trust_remote_code:
        return None
    pin = reference.code_revision or reference.revision
    if pin and REVISION.fullmatch(pin):
        return None
    return SecurityIssue(
        kind=IssueKind.REMOTE_CODE, file=reference.location, callable=reference.repo,
        detail=f"{reference.location} loads {reference.repo} with trust_remote_code=True and "
        "no pinned code_revision or revision: the code it runs can change")


def reference_security(references: Iterable[ModelReferenceFacts],
                       base: SecurityFacts | None = None) -> SecurityFacts:
    """`base` (or empty facts) with the references, and the remote-code issues they raise."""
    references = list(references)
    base = base or SecurityFacts()
    issues = [issue for ref in references if (issue := _remote_code(ref)) is not None]
    return base.model_copy(update={"references": [*base.references, *references],
                                   "issues": [*base.issues, *issues]})
