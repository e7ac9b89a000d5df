"""Load policy packs, bundled or user-written, and compile them once."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from openres_check import _resources
from openres_check._loading import validate_document
from openres_check._version import __version__
from openres_check._yaml import load_yaml
from openres_check.engine.rules import CompiledPack, compile_pack
from openres_check.errors import InputError, Issue, Location

__all__ = ["bundled_pack_paths", "load_policies", "load_policy"]


def bundled_pack_paths() -> dict[str, Path]:
    """Bundled packs by short name (the file name without `.yaml`)."""
    folder = _resources.bundled("policies")
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def _check_requires(pack: CompiledPack) -> None:
    requires = pack.pack.requires
    if not requires:
        return
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


@cache
def _load_path(path: Path, label: str) -> CompiledPack:
    from openres_check.model.policy import PolicyPack  # noqa: PLC0415 - keeps imports light

    doc = load_yaml(path, label=label)
    pack = validate_document(PolicyPack, doc, "policy pack")
    compiled = compile_pack(pack, doc, path.read_bytes())
    _check_requires(compiled)
    return compiled


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


def load_policies(references: Sequence[str | Path] | None = None) -> list[CompiledPack]:
    """The packs to evaluate: all bundled ones when `references` is None or empty."""
    if not references:
        return [load_policy(name) for name in bundled_pack_paths()]
    packs = [load_policy(ref) for ref in references]
    ids: dict[str, str] = {}
    for pack in packs:
        if pack.id in ids and ids[pack.id] != pack.source:
            raise InputError("two packs share an id", [Issue(
                "duplicate-pack", f"pack id {pack.id!r} is used by {ids[pack.id]} and "
                f"{pack.source}", Location(pack.source, ("pack",)), "rename one pack")])
        ids[pack.id] = pack.source
    return packs
