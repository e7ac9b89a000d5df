"""OpenSSF model signing (`model.sig`): a Sigstore bundle whose DSSE payload is an in-toto
statement listing every file's digest in `predicate.resources`. Offline, the digests are
checked against the files; who signed is checked only by the `model-signing` package (the
`[signing]` extra), imported on demand."""

from __future__ import annotations

import base64
import binascii
import json
from typing import TYPE_CHECKING, Any

from openres_check.model.security import SignatureFacts
from openres_check.security.lock import file_digest

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from openres_check.security.interface import ScannedFile

__all__ = ["SIGNATURE_FILE", "signature_facts", "verify_identity"]

SIGNATURE_FILE = "model.sig"
_PREDICATE_TYPES = ("https://model_signing/signature/v1.0", "https://model_signing/Digests/v0.1")
_MAX_BUNDLE = 16 * 1024 * 1024


class _BundleError(Exception):
    pass


def _statement(bundle: Any) -> dict[str, Any]:
    envelope = bundle.get("dsseEnvelope") if isinstance(bundle, dict) else None
    if not isinstance(envelope, dict) or not isinstance(envelope.get("payload"), str):
        raise _BundleError("the bundle has no DSSE envelope")
    statement = json.loads(base64.b64decode(envelope["payload"], validate=True))
    if not isinstance(statement, dict) or statement.get("predicateType") not in _PREDICATE_TYPES:
        raise _BundleError("the payload is not a model-signing statement")
    return statement


def _resources(statement: dict[str, Any]) -> dict[str, tuple[str, str]]:
    predicate = statement.get("predicate")
    resources = predicate.get("resources") if isinstance(predicate, dict) else None
    if not isinstance(resources, list):
        raise _BundleError("the statement lists no resources")
    listed: dict[str, tuple[str, str]] = {}
    for resource in resources:
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            raise _BundleError("a resource has no name")
        listed[resource["name"]] = (str(resource.get("algorithm", "")).lower(),
                                    str(resource.get("digest", "")).lower())
    return listed


def signature_facts(folder: Path, files: Sequence[ScannedFile]) -> SignatureFacts | None:
    """Facts about the folder's signature bundle; None when it carries none."""
    bundle_path = folder / SIGNATURE_FILE
    if not bundle_path.is_file():
        return None
    try:
        raw = bundle_path.read_bytes()[:_MAX_BUNDLE + 1]
        listed = _resources(_statement(json.loads(raw))) if len(raw) <= _MAX_BUNDLE else None
    except (OSError, ValueError, binascii.Error, RecursionError, _BundleError) as exc:
        return SignatureFacts(file=SIGNATURE_FILE, valid=False,
                              detail=f"the bundle cannot be read: {exc}")
    if listed is None:
        return SignatureFacts(file=SIGNATURE_FILE, valid=False, detail="the bundle is too large")
    present = {f.relative: f.path for f in files if f.relative != SIGNATURE_FILE
               and not f.relative.startswith(".git/")}
    problems: list[str] = []
    for name in sorted(listed.keys() | present.keys()):
        algorithm, expected = listed.get(name, ("", ""))
        if name not in listed:
            problems.append(f"{name} is not covered by the signature")
        elif name not in present:
            problems.append(f"{name} is signed but missing")
        elif algorithm != "sha256":
            problems.append(f"{name}: digest algorithm {algorithm!r} cannot be checked here")
        elif file_digest(present[name]) != expected:
            problems.append(f"{name} does not match its signed digest")
    if problems:
        return SignatureFacts(file=SIGNATURE_FILE, valid=False, detail="; ".join(problems[:10]))
    return SignatureFacts(file=SIGNATURE_FILE, valid=True,
                          detail=f"{len(listed)} signed file digests match")


def verify_identity(folder: Path, identity: str, issuer: str) -> bool:
    """Verify the bundle's signer with `model-signing` (the `[signing]` extra). Raises
    `ImportError` when the extra is not installed."""
    import model_signing  # type: ignore[import-not-found]  # noqa: PLC0415 - optional extra

    config = model_signing.verifying.Config().use_sigstore_verifier(
        identity=identity, oidc_issuer=issuer)
    try:
        config.verify(folder, folder / SIGNATURE_FILE)
    except Exception:  # noqa: BLE001 - any verification failure means "not verified"
        return False
    return True
