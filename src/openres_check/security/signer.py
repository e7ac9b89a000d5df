"""The expected signer (`--signer-identity`, `--signer-issuer`): each scanned model folder's
`model.sig` is verified with `model-signing` (the `[signing]` extra, imported on demand), and
the outcome goes into the model's security facts for SEC-SIGNER-IDENTITY and
SEC-SIGNER-UNVERIFIED.

The offline digest check (`signing.py`) says whether the files are the ones a bundle lists;
only a Sigstore verification says who signed that bundle. model-signing reads Sigstore's
trust root, which it downloads and caches on first use, so this is the one security check
that may use the network, and only when a signer is expected.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from openres_check.errors import InputError, Issue, Location
from openres_check.model.security import SignerFacts
from openres_check.security.folder import model_folder
from openres_check.security.signing import SIGNATURE_FILE

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from openres_check.lineage import ResolvedModel

__all__ = ["Signer", "apply_signer", "expected_signer", "verify_identity"]

_REJECTED = frozenset({"VerificationError", "InvalidBundle"})
"""sigstore's exceptions for a signature that does not verify (another identity or issuer, a
bad certificate or bundle), matched by name so that nothing here depends on the extra's
internals. Anything else it raises (no network for the trust root) leaves the signer unknown."""
_MAX_REASON = 300


@dataclass(frozen=True)
class Signer:
    identity: str
    """An email address or a URI (a CI workflow), as the signing certificate names it."""
    issuer: str
    """The OpenID Connect issuer that certified the identity."""


def expected_signer(identity: str | None, issuer: str | None) -> Signer | None:
    """The signer to expect from an identity and an issuer given together; None for neither.
    Raises `InputError` when one is missing or blank, or the issuer is not a URL."""
    if identity is None and issuer is None:
        return None
    identity, issuer = (identity or "").strip(), (issuer or "").strip()
    issues = []
    if not identity:
        issues.append(Issue("bad-value", "the signer identity is missing",
                            Location("signer_identity"),
                            "give --signer-identity (signer_identity in openres.yaml): the "
                            "email or URI the signing certificate names"))
    if not issuer.startswith(("https://", "http://")):
        issues.append(Issue("bad-value", "the signer issuer is missing or not a URL",
                            Location("signer_issuer"),
                            "give --signer-issuer (signer_issuer in openres.yaml): the OpenID "
                            "Connect issuer URL, e.g. https://accounts.google.com"))
    if issues:
        raise InputError("an expected signer needs an identity and an issuer", issues)
    return Signer(identity, issuer)


def verify_identity(folder: Path, signer: Signer) -> tuple[bool | None, str]:
    """Whether model-signing verifies the folder's `model.sig` as signed by `signer`: True,
    False (rejected), or None when it cannot tell (no extra, no trust root); and why."""
    try:
        signing: Any = importlib.import_module("model_signing")
    except ImportError as exc:
        return None, f"the [signing] extra (model-signing) cannot be imported: {exc}"
    try:
        signing.verifying.Config().use_sigstore_verifier(
            identity=signer.identity, oidc_issuer=signer.issuer,
        ).verify(folder, folder / SIGNATURE_FILE)
    except Exception as exc:  # noqa: BLE001 - the extra's failures are judged, never raised
        reason = f"{type(exc).__name__}: {exc}"[:_MAX_REASON]
        # model-signing raises ValueError when the files do not match what was signed.
        if isinstance(exc, ValueError) or _REJECTED & {c.__name__ for c in type(exc).__mro__}:
            return False, f"model-signing rejected the signature ({reason})"
        return None, f"model-signing could not check the signature ({reason})"
    return True, "model-signing verified the signature"


def _verify(folder: Path | None, signature: Mapping[str, Any] | None,
            signer: Signer) -> tuple[bool | None, str]:
    if folder is None:
        return None, ("the model was read from a single file, which carries no "
                      f"{SIGNATURE_FILE}; check the folder it was signed in")
    if signature is None:
        return False, f"the folder has no {SIGNATURE_FILE}"
    if not signature.get("valid"):
        return False, f"{SIGNATURE_FILE} does not match the files ({signature.get('detail')})"
    return verify_identity(folder, signer)


def apply_signer(models: Sequence[ResolvedModel], signer: Signer) -> None:
    """Record, in the security facts of each model whose files were scanned, whether
    `signer` signed it. A model without local files has nothing to verify."""
    for model in models:
        security: dict[str, Any] = dict(model.facts.get("security") or {})
        if not security.get("scanned"):
            continue
        verified, detail = _verify(model_folder(model), security.get("signature"), signer)
        security["signer"] = SignerFacts(identity=signer.identity, issuer=signer.issuer,
                                         verified=verified, detail=detail).model_dump(mode="json")
        model.facts["security"] = security
