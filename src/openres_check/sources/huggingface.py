"""Hugging Face model cards: the YAML front matter of README.md, read offline.

The card says what its author declares: `license` (or `other` with `license_name` and
`license_link`), `base_model` (a string, or a list for a merge), `base_model_relation`,
`pipeline_tag` and the gating fields. Declared licenses go through the registry's crosswalk;
anything it does not know stays as a raw name and becomes an unknown term, never a pass.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openres_check._yaml import Document, load_yaml_text, read_head
from openres_check.errors import InputError, Issue, Location
from openres_check.licenses import NON_IDENTIFYING, normalize_license_name
from openres_check.model.common import Confidence, Source
from openres_check.model.descriptor import (
    LicenseAssignment,
    LicenseFile,
    LineageLink,
    ModelDescriptor,
    Publisher,
    Relation,
)
from openres_check.sources._declared import declared_assignments
from openres_check.sources.interface import LoadedModel

if TYPE_CHECKING:
    from openres_check.catalog import Catalog

__all__ = ["Card", "CardFields", "HuggingFaceCardSource", "card_descriptor", "card_fields",
           "parse_card", "read_card"]

_RELATIONS = {
    "finetune": Relation.FINETUNE,
    "fine-tune": Relation.FINETUNE,
    "adapter": Relation.ADAPTER,
    "merge": Relation.MERGE,
    "quantized": Relation.QUANTIZATION,
    "quantization": Relation.QUANTIZATION,
    "distillation": Relation.DISTILLATION,
}
_MODALITIES = {
    "text-generation": ["text"],
    "text2text-generation": ["text"],
    "image-text-to-text": ["text", "image"],
    "visual-question-answering": ["text", "image"],
    "image-to-text": ["text", "image"],
    "text-to-image": ["text", "image"],
    "automatic-speech-recognition": ["audio", "text"],
    "text-to-speech": ["text", "audio"],
    "any-to-any": ["text", "image", "audio", "video"],
    "video-text-to-text": ["text", "video"],
}
_CARD_KEYS = ("license", "license_name", "license_link")
_MAX_CARD = 2 * 1024 * 1024
_UNDECODABLE = re.compile("[\udc80-\udcff]")  # bytes that `surrogateescape` kept aside


@dataclass
class Card:
    """A parsed model card: its front matter (with positions) and where it came from."""

    path: str
    meta: dict[str, Any]
    document: Document | None = None
    warnings: list[str] = field(default_factory=list)


def _card_error(source: str, code: str, message: str, hint: str, line: int = 1,
                column: int = 1) -> InputError:
    return InputError(f"cannot read the model card {source}", [Issue(
        code, message, Location(source, (), line, column), hint)])


def parse_card(text: str, source: str, *, truncated: bool = False) -> Card:
    """Read the YAML front matter of a model card. A card without one has empty metadata.

    `truncated` says that `text` is only the start of a larger card (see `read_card`).
    """
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return Card(source, {})
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        if truncated:
            raise _card_error(source, "size-limit", "the card is larger than "
                              f"{_MAX_CARD} bytes and its front matter does not end within "
                              "them", "keep the front matter short, long text belongs in the "
                              "body") from None
        raise _card_error(source, "card-front-matter", "the YAML front matter starts with "
                          "--- but never ends", "close it with a line holding only ---") from None
    front = "\n" * 1 + "\n".join(lines[1:end])  # keeps file line numbers in positions
    bad = _UNDECODABLE.search(front)
    if bad:
        line_start = front.rfind("\n", 0, bad.start()) + 1
        raise _card_error(source, "not-utf8", f"byte 0x{ord(bad.group()) - 0xDC00:02x} is not "
                          "valid UTF-8", "save the file as UTF-8",
                          front.count("\n", 0, bad.start()) + 1, bad.start() - line_start + 1)
    if not front.strip():
        return Card(source, {})
    doc = load_yaml_text(front, source)
    if not isinstance(doc.data, dict):
        raise _card_error(source, "card-front-matter", "the front matter is not a mapping",
                          "write `key: value` lines between the --- markers", 2)
    return Card(source, doc.data, doc)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int, float))]
    return []


@dataclass(frozen=True, slots=True)
class CardFields:
    """What a card's descriptor is built from, normalised: two cards with equal fields give
    the same descriptor, but for its id and, without `model_name`, its name."""

    license_tags: tuple[str, ...]
    license_name: str | None
    license_link: str | None
    bases: tuple[str, ...]
    relation: Relation
    modalities: tuple[str, ...]
    tags: tuple[str, ...]
    hf_license: tuple[tuple[str, str], ...]
    creator: str
    model_name: str | None


def card_fields(meta: dict[str, Any]) -> CardFields:
    """The fields of a card's front matter that its descriptor reads (see `CardFields`)."""
    license_tags = tuple(t for t in _strings(meta.get("license")) if t.strip())
    name = meta.get("license_name")
    link = meta.get("license_link")
    bases = tuple(_strings(meta.get("base_model")))
    relation_raw = str(meta.get("base_model_relation", "")).lower()
    relation = _RELATIONS.get(relation_raw) or (
        Relation.MERGE if len(bases) > 1 else Relation.FINETUNE)
    tags = [t for t in _strings(meta.get("tags")) if len(t) < 100][:50]  # noqa: PLR2004
    if meta.get("extra_gated_eu_disallowed") is True:
        tags.append("extra_gated_eu_disallowed")
    hf_license = {k: str(meta[k]) for k in _CARD_KEYS if isinstance(meta.get(k), str)}
    if len(license_tags) > 1:
        hf_license["license"] = ", ".join(license_tags)
    return CardFields(
        license_tags, name if isinstance(name, str) else None,
        link if isinstance(link, str) else None, bases, relation,
        tuple(_MODALITIES.get(str(meta.get("pipeline_tag")), ())), tuple(tags),
        tuple(hf_license.items()), str(meta.get("model_creator") or "unknown (local card)"),
        str(meta["model_name"]) if meta.get("model_name") else None)


def card_descriptor(card: Card, model_id: str, catalog: Catalog,
                    files: list[LicenseFile] | None = None,
                    resolve_path: Any = None, fields: CardFields | None = None) -> ModelDescriptor:
    """Build a descriptor from a card (or its `fields`, when already read) and the license
    files found beside it."""
    fields = fields or card_fields(card.meta)
    files = files or []
    source = Source(url=card.path, section="README.md front matter")
    tags = list(fields.license_tags)
    licenses = _card_licenses(tags, fields.license_name, fields.license_link, catalog, source)
    weights_files = [f for f in files if f.role in ("weights", "policy") and f.identified]
    if not licenses and weights_files:
        first = weights_files[0]
        licenses["weights"] = LicenseAssignment(
            license=str(first.identified), note=f"identified from {first.path}",
            source=Source(url=first.path, section=f"whole text ({first.confidence} match)"))
    elif not licenses:
        says_other = any(normalize_license_name(t) == "other" for t in tags)
        licenses["weights"] = LicenseAssignment(
            license=_other_label(None, None) if says_other
            else "unknown (no license declared or found)", source=source,
            confidence=Confidence.UNVERIFIED)
    for item in files:
        if not item.identified or item.role == "notice":
            continue
        component = "code" if item.role == "code" else f"file:{Path(item.path).name}"
        if component == "code" or item.identified != licenses["weights"].license:
            licenses[component] = LicenseAssignment(
                license=item.identified, note=f"identified from the text ({item.confidence})",
                source=Source(url=item.path, section=f"whole text ({item.confidence} match)"))
    lineage = [LineageLink(
        base=resolve_path(base) if resolve_path else base, relation=fields.relation,
        source=Source(url=card.path, section="README.md front matter: base_model"))
        for base in fields.bases]
    return ModelDescriptor(
        id=model_id,
        name=fields.model_name or Path(model_id).name,
        publisher=Publisher(name=fields.creator),
        modalities=list(fields.modalities),
        licenses=licenses,
        hf_license=dict(fields.hf_license) or None,
        lineage=lineage,
        tags=list(fields.tags),
        license_files=files,
        sources=[source],
    )


def _other_label(name: str | None, link: str | None) -> str:
    """How an unrecognised `license: other` is named: it is `other`, plus what the card
    says about it."""
    if name:
        return f"other (license_name: {name})"
    if link:
        return f"other (license_link: {link})"
    return "other (the card gives no license_name or license_link)"


def _card_licenses(tags: list[str], name: str | None, link: str | None, catalog: Catalog,
                   source: Source) -> dict[str, LicenseAssignment]:
    """The licenses a card declares. Empty when it declares none (not even `other`).

    One tag: the registry's card crosswalk (a restrictive `license_name` wins over the tag).
    A list of tags: every license in it applies. `other` (alone or in the list) stands for
    the license that `license_name` and `license_link` describe; `unknown` declares nothing.
    """
    registry = catalog.licenses
    identifying = [t for t in tags if normalize_license_name(t) not in NON_IDENTIFYING]
    says_other = any(normalize_license_name(t) == "other" for t in tags)
    unknown_note = "the card's license is not in the registry"
    if len(tags) <= 1:
        declared = registry.resolve_card(tags[0] if tags else None, name, link)
        if declared:
            note = (f"`license: other`, identified by license_name {name!r}" if says_other
                    and name else "`license: other`, identified by license_link"
                    if says_other else None)
            return {"weights": LicenseAssignment(license=declared, source=source, note=note)}
        if identifying:
            return declared_assignments([str(name or identifying[0])], registry, source,
                                        unknown_note)
    names = list(identifying)
    if (says_other and (name or link or names)) or (not tags and name):
        names.append(registry.resolve_card(None, name, link) or _other_label(name, link))
    if not names:
        return {}
    return declared_assignments(names, registry, source, unknown_note)


class HuggingFaceCardSource:
    """A model card file (README.md or another .md file with YAML front matter)."""

    name = "huggingface-card"

    def accepts(self, path: Path) -> bool:
        return path.is_file() and path.suffix.lower() == ".md"

    def load(self, path: Path, catalog: Catalog) -> list[LoadedModel]:
        card = read_card(path)
        folder = path.parent
        descriptor = card_descriptor(card, str(path), catalog,
                                     resolve_path=lambda ref: _relative_base(ref, folder))
        return [LoadedModel(descriptor, str(path))]


def _relative_base(reference: str, folder: Path) -> str:
    """A base given as a relative path is taken relative to the card's folder."""
    if reference.startswith((".", "/", "~")) and not Path(reference).is_absolute():
        return os.path.relpath(folder / reference)
    return reference


def read_card(path: Path) -> Card:
    """Parse a model card file. Only its start is read: the front matter is at the top, and
    a card may embed megabytes of images in its body."""
    raw = read_head(path, _MAX_CARD + 1)
    # Invalid UTF-8 is kept aside, not replaced: an error in the front matter, harmless in
    # the body (which is never parsed).
    text = raw[:_MAX_CARD].decode("utf-8", errors="surrogateescape")
    return parse_card(text, str(path), truncated=len(raw) > _MAX_CARD)
