"""Security facts about a model's artifacts: what its files are and what loading them runs.

Recorded by the folder source (and by discovery for references found in code), read by the
`security` pack. A model known only from the catalog has none, so its security rules are out
of scope rather than noisy.
"""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from openres_check.model.common import Count, Flag, Frozen

__all__ = [
    "ArtifactFile",
    "DriftKind",
    "IssueKind",
    "LockDrift",
    "LockFacts",
    "LockFile",
    "LockedFile",
    "LockedModel",
    "ModelReferenceFacts",
    "SecurityFacts",
    "SecurityIssue",
    "SignatureFacts",
    "SignerFacts",
]


class IssueKind(str, Enum):
    PICKLE_UNSAFE_CALLABLE = "pickle-unsafe-callable"
    """A pickle names a callable outside the allow-list of its profile."""
    PICKLE_UNANALYSABLE = "pickle-unanalysable"
    """A pickle (or an archive that may hold one, or a GGUF's metadata or chat template)
    could not be fully analysed."""
    FORMAT_MISMATCH = "format-mismatch"
    """A file's name promises a data-only format, its content can run code when loaded."""
    REMOTE_CODE = "remote-code"
    """Loading needs `trust_remote_code` or runs code shipped with the model."""
    REMOTE_CODE_CROSS_REPO = "remote-code-cross-repo"
    """`auto_map` fetches code from another repository (`org/repo--module.Class`)."""
    CHAT_TEMPLATE = "chat-template"
    """A chat template uses template-injection constructs."""


class SecurityIssue(Frozen):
    kind: IssueKind
    file: str = Field(description="The file, relative to the model folder.")
    member: str | None = Field(default=None, description="The member inside an archive.")
    callable: str | None = Field(default=None, description="module.name of the callable.")
    repo: str | None = Field(default=None, description="The other repository, cross-repo.")
    detail: str = Field(description="What was found, in English, naming the values.")


class ArtifactFile(Frozen):
    path: str
    size: Count
    format: str = Field(description="The format read from the content (magic bytes).")


class DriftKind(str, Enum):
    CHANGED = "changed"
    MISSING = "missing"
    NEW = "new"
    REVISION = "revision"
    UNLOCKED = "unlocked"
    """The model has no entry in the lock file."""


class LockDrift(Frozen):
    path: str = Field(description="The file (or the model id, for revision and unlocked).")
    change: DriftKind
    locked: str | None = None
    actual: str | None = None


class LockFacts(Frozen):
    file: str = Field(description="The lock file compared with.")
    drift: list[LockDrift] = Field(default_factory=list)


class ModelReferenceFacts(Frozen):
    """A Hub reference: from the lock file, or found in code by discovery."""

    repo: str
    revision: str | None = None
    pinned: Flag = Field(description="The revision is a 40-hex commit.")
    trust_remote_code: Flag = False
    code_revision: str | None = None
    location: str = Field(description="Where the reference is: a lock file, a source line.")


class SignatureFacts(Frozen):
    file: str
    valid: Flag = Field(description="The bundle parses and every listed digest matches.")
    detail: str


class SignerFacts(Frozen):
    """The signer the run expects (`--signer-identity`, `--signer-issuer`) and what checking
    the model's signature against it found."""

    identity: str = Field(description="The expected signer: an email address or a URI.")
    issuer: str = Field(description="The OpenID Connect issuer that must have certified it.")
    verified: Flag | None = Field(
        default=None, description="True: model-signing verified the signature as this "
        "identity's; false: it is not (no model.sig, digests that do not match the files, "
        "another signer or an invalid signature); absent: it could not be checked (the "
        "[signing] extra is missing, the trust root could not be read, a single file).")
    detail: str = Field(description="What was found, in English.")


class SecurityFacts(Frozen):
    scanned: Flag = Field(
        default=False, description="The model's local files were read (false for a catalog "
        "model that is only locked or referenced).")
    files: list[ArtifactFile] = Field(default_factory=list)
    issues: list[SecurityIssue] = Field(default_factory=list)
    revision: str | None = Field(default=None, description="The 40-hex revision, when known.")
    lock: LockFacts | None = None
    references: list[ModelReferenceFacts] = Field(default_factory=list)
    signature: SignatureFacts | None = None
    signer: SignerFacts | None = None


_SHA256 = r"^[0-9a-f]{64}$"
_REVISION = r"^[0-9a-f]{40}$"


class LockedFile(Frozen):
    path: str = Field(description="Relative to the model folder, with / separators.")
    size: Count
    sha256: str = Field(pattern=_SHA256, description="Of the file's bytes: the Hub's lfs.sha256.")


class LockedModel(Frozen):
    id: str = Field(description="The model's canonical id (its Hub repo id when it has one).")
    reference: str | None = Field(default=None, description="The reference that was locked.")
    revision: str | None = Field(default=None, pattern=_REVISION,
                                 description="The 40-hex Hub commit, when known.")
    files: list[LockedFile] = Field(default_factory=list)


class LockFile(Frozen):
    """`openres.lock`: what each model's files were when they were reviewed."""

    lock_version: Count = Field(default=1, ge=1, le=1)
    models: list[LockedModel] = Field(default_factory=list)
