"""A local model folder: its README.md card, its license files and config.json.

Each license-like file (LICENSE, LICENSE-MODEL, LICENSE-CODE, USE_POLICY.md, NOTICE, ...) is
hashed and its text identified against the registry, so that a folder whose card says
`apache-2.0` but ships a Llama LICENSE is seen for what it is.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from openres_check._yaml import read_head
from openres_check.catalog import unreadable
from openres_check.model.descriptor import LicenseFile
from openres_check.sources.huggingface import Card, _relative_base, card_descriptor, read_card
from openres_check.sources.interface import LoadedModel

if TYPE_CHECKING:
    from openres_check.catalog import Catalog
    from openres_check.licenses import LicenseRegistry

__all__ = ["FolderSource", "license_files"]

_LICENSE_NAME = re.compile(
    r"^(licen[cs]e|copying|notice|use[_-]?policy|acceptable[_-]use[_-]policy|model[_-]licen[cs]e)"
    r"([-_. ].*)?$", re.IGNORECASE)
_MAX_FILE = 2 * 1024 * 1024


def _role(name: str) -> str:
    lowered = name.lower()
    if "code" in lowered:
        return "code"
    if "policy" in lowered:
        return "policy"
    if lowered.startswith("notice"):
        return "notice"
    return "weights"


def license_files(folder: Path, registry: LicenseRegistry,
                  declared: str | None = None) -> list[LicenseFile]:
    """Every license-like file in `folder` (not recursive), hashed and identified.

    `declared` (the card's license) settles only a tie between registry texts that explain a
    file equally well; it never makes a text match that does not.
    """
    found = []
    try:
        paths = sorted((p for p in folder.iterdir() if _LICENSE_NAME.match(p.name)
                        and p.is_file()), key=lambda p: p.name.lower())
    except OSError as exc:
        raise unreadable(folder, exc) from None
    for path in paths:
        raw = read_head(path, _MAX_FILE)
        match = registry.identify_text(raw.decode("utf-8", errors="replace"), declared)
        found.append(LicenseFile(
            path=str(path), sha256=hashlib.sha256(raw).hexdigest(), role=_role(path.name),
            identified=match.license, confidence=match.confidence,
            matched=list(match.matched), candidates=list(match.candidates),
            modified_from=match.base, added=list(match.added),
            omitted_words=match.omitted_words, coverage=match.file_coverage,
            license_coverage=match.license_coverage))
    return found


class FolderSource:
    name = "folder"

    def accepts(self, path: Path) -> bool:
        return path.is_dir()

    def load(self, path: Path, catalog: Catalog) -> list[LoadedModel]:
        try:
            card_path = next((p for p in (path / "README.md", path / "readme.md")
                              if p.is_file()), None)
        except OSError as exc:  # a folder that may not be searched
            raise unreadable(path, exc) from None
        card = read_card(card_path) if card_path else Card(str(path), {})
        declared = catalog.licenses.resolve_card(
            *(str(v) if isinstance(v, str) else None
              for v in (card.meta.get("license"), card.meta.get("license_name"))))
        files = license_files(path, catalog.licenses, declared)
        descriptor = card_descriptor(card, str(path), catalog, files,
                                     resolve_path=lambda ref: _relative_base(ref, path))
        from openres_check.security import scan_folder  # noqa: PLC0415 - only folders need it

        descriptor = descriptor.model_copy(update={"security": scan_folder(path)})
        return [LoadedModel(descriptor, str(path))]
