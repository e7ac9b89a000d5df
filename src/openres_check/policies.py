"""Load policy packs, bundled or user-written, and compile them once."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from openres_check import _resources
from openres_check._cache import cached
from openres_check._loading import validate_document
from openres_check._version import __version__
from openres_check._yaml import DEFAULT_LIMITS, Document, load_yaml, read_file
from openres_check.engine.rules import CompiledPack, compile_pack
from openres_check.errors import InputError, Issue, Location

__all__ = ["BUNDLED", "bundled_pack_paths", "load_policies", "load_policy"]


def bundled_pack_paths() -> dict[str, Path]:
    """Bundled packs by short name (the file name without `.yaml`)."""
    folder = _resources.bundled("policies")
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def _check_requires(pack: CompiledPack) -> None:
    requires = pack.pack.requires
    if not requires:
        return
    from packaging.specifiers import InvalidSpecifier, SpecifierSet  # noqa: PLC0415
    from packaging.version import Version  # noqa: PLC0415

    try:
        spec = SpecifierSet(requires)
    except InvalidSpecifier:
        raise InputError(f"{pack.source}: bad `requires`", [Issue(
            "bad-value", f"{requires!r} is not a version specifier",
            Location(pack.source, ("requires",)), "write e.g. '>=0.1'")]) from None
    if Version(__version__) not in spec:
        raise InputError(f"{pack.source}: needs another openres-check version", [Issue(
            "version-mismatch", f"the pack requires openres-check {requires}, this is "
            f"{__version__}", Location(pack.source, ("requires",)),
            "upgrade openres-check, or use a pack written for this version")])


def _compile(doc: Document, raw: bytes, *, checked: bool = False) -> CompiledPack:
    """Validate and compile. `checked` packs (from the cache) were checked against the fact
    schema and the tool version when they were cached, so that is not repeated."""
    from openres_check.model.policy import PolicyPack  # noqa: PLC0415 - keeps imports light

    pack = validate_document(PolicyPack, doc, "policy pack")
    compiled = compile_pack(pack, doc, raw, check_facts=not checked)
    if not checked:
        _check_requires(compiled)
    return compiled


def _parse(path: Path, label: str, raw: bytes) -> Any:
    """The pack as JSON-able data, once it is known to load (only valid packs are cached)."""
    doc = load_yaml(path, label=label)
    _compile(doc, raw)
    return json.loads(json.dumps(doc.data, default=str))


@cache
def _load_path(path: Path, label: str) -> CompiledPack:
    raw = read_file(path, DEFAULT_LIMITS.max_bytes, label)
    key = hashlib.sha256(b"policy\0" + __version__.encode() + b"\0" + raw).hexdigest()
    data, hit = cached("policy", key, lambda: _parse(path, label, raw))
    try:
        return _compile(Document(source=label, data=data), raw, checked=hit)
    except InputError:
        if not hit:
            raise
        # Cached by a build with looser limits: load it again, so the errors carry lines.
        return _compile(load_yaml(path, label=label), raw)


def load_policy(reference: str | Path) -> CompiledPack:
    """A bundled pack by name (`license`, or its pack id), or a pack file by path."""
    bundled = bundled_pack_paths()
    name = str(reference)
    if name in bundled:
        return _load_path(bundled[name], f"policies/{bundled[name].name}")
    for stem, path in bundled.items():
        if name == f"openres.{stem}":
            return _load_path(path, f"policies/{path.name}")
    path = Path(reference).expanduser()
    if path.is_file():
        return _load_path(path.resolve(), str(reference))
    if path.is_dir():
        raise InputError(f"{reference} is a folder", [Issue(
            "not-a-file", "pass pack files one by one, or a bundled pack name",
            Location(name))])
    raise InputError(f"unknown policy pack {name!r}", [Issue(
        "unknown-policy", f"{name!r} is neither a bundled pack nor an existing file",
        Location(name), f"bundled packs: {', '.join(bundled) or 'none'}")])


BUNDLED = "bundled"


def load_policies(references: Sequence[str | Path] | None = None) -> list[CompiledPack]:
    """The packs to evaluate: all bundled ones when `references` is None or empty, or where
    `references` says `bundled`."""
    if not references:
        return [load_policy(name) for name in bundled_pack_paths()]
    # `bundled` stands for every bundled pack, so a company pack can be added to them.
    expanded = [name for ref in references
                for name in (bundled_pack_paths() if str(ref) == BUNDLED else (ref,))]
    packs: dict[str, CompiledPack] = {}
    for pack in (load_policy(ref) for ref in expanded):
        first = packs.setdefault(pack.id, pack)
        # The same pack named twice (`license`, `openres.license`, `./p.yaml`, `p.yaml`) is
        # evaluated once; two different packs must not share an id.
        if first.sha256 != pack.sha256:
            raise InputError("two packs share an id", [Issue(
                "duplicate-pack", f"pack id {pack.id!r} is used by {first.source} and "
                f"{pack.source}", Location(pack.source, ("pack",)), "rename one pack")])
    return list(packs.values())
