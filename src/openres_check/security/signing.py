"""OpenSSF model signing (`model.sig`): a Sigstore bundle whose DSSE payload is an in-toto
statement listing every file's digest in `predicate.resources`. Offline, the digests are
checked against the files; who signed is checked by `signer.py`, with the `model-signing`
package (the `[signing]` extra), when the run names the signer it expects."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from openres_check.model.security import SignatureFacts
from openres_check.security.lock import file_digest

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from openres_check.security.interface import ScannedFile

__all__ = ["SIGNATURE_FILE", "signature_facts"]

SIGNATURE_FILE = "model.sig"
_PREDICATE = "https://model_signing/signature/v1.0"
_PREDICATE_COMPAT = "https://model_signing/Digests/v0.1"
"""The v0.2 format: file digests as the statement's subjects, no root digest."""
_IN_TOTO = "application/vnd.in-toto+json"
_DEFAULT_IGNORED = (SIGNATURE_FILE, ".git", ".gitattributes", ".github", ".gitignore")
_MAX_BUNDLE = 16 * 1024 * 1024


class _BundleError(Exception):
    pass


@dataclass(frozen=True)
class _Signed:
    digests: dict[str, tuple[str, str]]
    """name -> (algorithm, hex digest) of every signed file."""
    ignored: tuple[str, ...]


def _statement(bundle: Any) -> dict[str, Any]:
    envelope = bundle.get("dsseEnvelope") if isinstance(bundle, dict) else None
    if not isinstance(envelope, dict) or not isinstance(envelope.get("payload"), str):
        raise _BundleError("the bundle has no DSSE envelope")
    if envelope.get("payloadType") != _IN_TOTO:
        raise _BundleError(f"the DSSE payload type is not {_IN_TOTO}")
    statement = json.loads(base64.b64decode(envelope["payload"], validate=True))
    if not isinstance(statement, dict) or statement.get("predicateType") not in (
            _PREDICATE, _PREDICATE_COMPAT):
        raise _BundleError("the payload is not a model-signing statement")
    return statement


def _entry(item: Any, digest: Any, algorithm: Any) -> tuple[str, tuple[str, str]]:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str) \
            or not isinstance(digest, str):
        raise _BundleError("a signed file has no name or digest")
    return item["name"], (str(algorithm).lower(), digest.lower())


def _signed(statement: dict[str, Any]) -> _Signed:
    subjects = statement.get("subject")
    if not isinstance(subjects, list) or not subjects:
        raise _BundleError("the statement has no subject")
    if statement["predicateType"] == _PREDICATE_COMPAT:
        return _Signed(dict(_entry(s, (s.get("digest") or {}).get("sha256")
                                   if isinstance(s, dict) else None, "sha256")
                            for s in subjects), _DEFAULT_IGNORED)
    predicate = statement.get("predicate")
    resources = predicate.get("resources") if isinstance(predicate, dict) else None
    if not isinstance(resources, list) or len(subjects) != 1:
        raise _BundleError("the statement lists no resources, or more than one subject")
    entries = [_entry(r, r.get("digest") if isinstance(r, dict) else None,
                      r.get("algorithm") if isinstance(r, dict) else None) for r in resources]
    # The subject's digest is sha256 over every resource digest, in the order listed.
    root = hashlib.sha256()
    for _, (_, digest) in entries:
        root.update(bytes.fromhex(digest))
    expected = (subjects[0].get("digest") or {}).get("sha256") \
        if isinstance(subjects[0], dict) else None
    if root.hexdigest() != expected:
        raise _BundleError("the statement's root digest does not match its resources")
    serialization = predicate.get("serialization") if isinstance(predicate, dict) else None
    ignored = serialization.get("ignore_paths") if isinstance(serialization, dict) else None
    return _Signed(dict(entries), tuple(str(i) for i in ignored)
                   if isinstance(ignored, list) else _DEFAULT_IGNORED)


def _is_ignored(name: str, ignored: tuple[str, ...]) -> bool:
    return name == SIGNATURE_FILE or any(name == i or name.startswith(f"{i}/") for i in ignored)


def signature_facts(folder: Path, files: Sequence[ScannedFile]) -> SignatureFacts | None:
    """Facts about the folder's signature bundle; None when it carries none."""
    bundle_path = folder / SIGNATURE_FILE
    if not bundle_path.is_file():
        return None
    try:
        raw = bundle_path.read_bytes()[:_MAX_BUNDLE + 1]
        signed = _signed(_statement(json.loads(raw))) if len(raw) <= _MAX_BUNDLE else None
    except (OSError, ValueError, binascii.Error, RecursionError, _BundleError) as exc:
        return SignatureFacts(file=SIGNATURE_FILE, valid=False,
                              detail=f"the bundle cannot be read: {exc}")
    if signed is None:
        return SignatureFacts(file=SIGNATURE_FILE, valid=False, detail="the bundle is too large")
    listed = signed.digests
    present = {f.relative: f.path for f in files if not _is_ignored(f.relative, signed.ignored)}
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
