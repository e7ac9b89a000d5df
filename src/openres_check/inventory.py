"""Bulk inventories: stream thousands of model records through every pack, in flat memory.

A record is a descriptor (the catalog schema) or a Hugging Face model-listing record
(`{"id": ..., "cardData": {...}, "tags": [...]}`). Records that share what the rules can see
(the declared license, the bases, the modalities) share one evaluation: the findings are
computed once, serialised with a placeholder for the model id, and reused. Memory holds the
current chunk and that memo, never the findings already written.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from openres_check._loading import validate
from openres_check._text import has_surrogate, invalid_utf8_column, lone_surrogate
from openres_check._yaml import load_yaml_text
from openres_check.api import judge
from openres_check.catalog import Catalog
from openres_check.engine.rules import CompiledPack
from openres_check.engine.waivers import apply_waivers
from openres_check.errors import InputError
from openres_check.lineage import resolve_model
from openres_check.model.context import Context
from openres_check.model.descriptor import ModelDescriptor
from openres_check.model.waiver import Waiver
from openres_check.report import sort_key
from openres_check.sources.huggingface import Card, CardFields, card_descriptor

__all__ = ["InventoryChecker", "Outcome", "Skipped", "iter_records"]

PLACEHOLDER = "@@openres-model-id@@"
_MEMO_LIMIT = 5_000  # bounds memory: each entry holds one evaluation's JSON lines
_SHOWN = frozenset({"fail", "review", "waived"})


@dataclass(frozen=True)
class Skipped:
    """A record that could not be read: where, and why."""

    line: int
    reason: str


@dataclass
class Outcome:
    """What one chunk of records produced."""

    lines: list[str] = field(default_factory=list)
    """Blocks of JSON Lines (each may hold several lines)."""
    escaped: bool = False
    """Whether `lines` already have their unsafe characters escaped (`_text.for_json`)."""
    statuses: Counter[str] = field(default_factory=Counter)
    severities: Counter[str] = field(default_factory=Counter)
    licenses: Counter[str] = field(default_factory=Counter)
    gating: int = 0
    records: int = 0
    skipped: list[Skipped] = field(default_factory=list)

    def merge(self, other: Outcome) -> None:
        self.statuses.update(other.statuses)
        self.severities.update(other.severities)
        self.licenses.update(other.licenses)
        self.gating += other.gating
        self.records += other.records
        self.skipped.extend(other.skipped)


def iter_records(text_lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(first line number, raw record) for JSON Lines, or for a YAML stream split on `---`.

    The first non-blank line decides: `{` means JSON Lines (one record per line, whatever the
    following lines hold), anything else a YAML stream.
    """
    json_lines: bool | None = None
    pending: list[str] = []
    start = 0
    for number, line in enumerate(text_lines, 1):
        stripped = line.strip()
        if json_lines is None:
            if not stripped or stripped.startswith("#"):
                continue
            json_lines = stripped.startswith("{")
        if json_lines:
            if stripped:
                yield number, line
            continue
        if stripped == "---":
            if "".join(pending).strip():
                yield start, "".join(pending)
            pending = []
            continue
        if not pending:
            start = number
        pending.append(line)
    if "".join(pending).strip():
        yield start, "".join(pending)


def _parse(raw: str, line: int) -> dict[str, Any]:
    # Lines are decoded with `surrogateescape`, so a byte that is not UTF-8 shows up here as
    # a surrogate; a `"\ud800"` escape in JSON becomes one after parsing. Neither can be
    # written out again, and a replacement character would change what was judged.
    if has_surrogate(raw):
        bad = invalid_utf8_column(raw)
        if bad is not None:
            column, byte = bad
            msg = f"not valid UTF-8: byte 0x{byte:02x} at column {column}"
            raise ValueError(msg)
    if raw.lstrip().startswith("{"):
        try:
            value = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            msg = f"not valid JSON: {exc}"
            raise ValueError(msg) from None
    else:
        value = load_yaml_text(raw, f"record at line {line}").data
    if not isinstance(value, dict):
        msg = f"a record must be an object, found {type(value).__name__}"
        raise ValueError(msg)  # noqa: TRY004 - reported per record, never raised to the user
    if "\\u" in raw and (where := lone_surrogate(value)) is not None:
        msg = (f"{where or 'the record'} holds a lone surrogate escape (such as \\ud800), "
               "which is no character")
        raise ValueError(msg)
    return value


def _tag_values(tags: Any, prefix: str) -> list[str]:
    if not isinstance(tags, list):
        return []
    return [t[len(prefix):] for t in tags if isinstance(t, str) and t.startswith(prefix)]


def _card_meta(record: dict[str, Any]) -> dict[str, Any]:
    """The card metadata of a Hub listing record, completed from its tags where missing."""
    meta = dict(record.get("cardData") or {}) if isinstance(record.get("cardData"), dict) else {}
    tags = record.get("tags")
    if "license" not in meta:
        licenses = _tag_values(tags, "license:")
        if licenses:
            meta["license"] = licenses[0]
    if "base_model" not in meta:
        bases = [b.split(":", 1)[-1] for b in _tag_values(tags, "base_model:")]
        if bases:
            meta["base_model"] = bases[0] if len(bases) == 1 else bases
    if "pipeline_tag" not in meta and isinstance(record.get("pipeline_tag"), str):
        meta["pipeline_tag"] = record["pipeline_tag"]
    return meta


# Every card key the descriptor is built from (`card_descriptor`): records that differ in
# any of them must not share an evaluation (the publisher, for one, is read by rules).
_CARD_KEYS = ("license", "license_name", "license_link", "base_model", "base_model_relation",
              "pipeline_tag", "extra_gated_eu_disallowed", "model_creator", "model_name", "tags")


def _freeze(value: Any) -> Any:
    """A hashable stand-in for a card value that only equals the stand-in of an equal value
    of the same type: `1`, `1.0` and `true` are equal in Python, not on a card."""
    if isinstance(value, list):
        return ("[", *map(_freeze, value))
    if isinstance(value, dict):
        return ("{", *sorted((repr(k), _freeze(v)) for k, v in value.items()))
    if isinstance(value, (bool, int, float)):
        return (type(value).__name__, value)
    return value


_PLAIN = frozenset({str, type(None)})


def card_signature(meta: dict[str, Any]) -> tuple[Any, ...]:
    """What the descriptor of a card is built from, as a hashable key (see `_CARD_KEYS`)."""
    values = tuple(map(meta.get, _CARD_KEYS))
    if set(map(type, values)) <= _PLAIN:  # the common card: strings only, nothing to freeze
        return ("card", *values)
    return ("card", *map(_freeze, values))


@dataclass(frozen=True)
class _Memo:
    """One evaluation, shared by every record with the same signature."""

    block: str
    """The findings to write, one JSON object per line, with a placeholder for the id."""
    statuses: Counter[str]
    severities: Counter[str]
    license: str
    gating: int


class InventoryChecker:
    """Evaluates records one by one with a memo of identical evaluations."""

    def __init__(self, catalog: Catalog, packs: list[CompiledPack], context: Context,
                 as_of: dt.date, lang: str, params: dict[str, Any] | None = None,
                 *, show_all: bool = False, fail_on: str = "high", strict: bool = False,
                 context_source: str = "<context>", waivers: list[Waiver] | None = None) -> None:
        self.catalog = catalog
        self.packs = packs
        self.context = context
        self.as_of = as_of
        self.lang = lang
        self.params = params
        self.show_all = show_all
        self.context_source = context_source
        from openres_check.report import severity_rank  # noqa: PLC0415

        self._rank = severity_rank
        self._threshold = None if fail_on == "never" else severity_rank(fail_on)
        self._gating_statuses = {"fail", "review"} if strict else {"fail"}
        self._memo: OrderedDict[Any, _Memo] = OrderedDict()
        waivers = waivers or []
        # Waivers for every model apply to a memoised evaluation as a whole; a waiver for
        # one model makes that model's records be evaluated on their own.
        self._general = [w for w in waivers if w.model is None]
        self._specific = [w for w in waivers if w.model is not None]
        self._waived_models = {str(w.model).lower() for w in self._specific}

    # -- one record ----------------------------------------------------------------------

    def _signature(self, record: dict[str, Any]) -> tuple[Any, ...]:
        model_id = record.get("id") or record.get("modelId")
        if not isinstance(model_id, str) or not model_id:
            msg = "the record has no `id`"
            raise ValueError(msg)
        if "publisher" in record and "licenses" in record:
            body = {k: v for k, v in record.items() if k not in ("id", "name", "aliases")}
            return ("descriptor", json.dumps(body, sort_keys=True, default=str))
        if self.catalog.find(model_id) is not None:
            return ("catalog", model_id)
        return card_signature(_card_meta(record))

    def _describe(self, record: dict[str, Any], kind: str,
                  fields: CardFields | None = None) -> ModelDescriptor:
        if kind == "catalog":
            return self.catalog.get(str(record.get("id") or record.get("modelId"))).descriptor
        if kind == "descriptor":
            data = {**record, "id": PLACEHOLDER}
            data.pop("name", None)
            data.pop("aliases", None)
            return validate(ModelDescriptor, data, "inventory record", "model descriptor")
        card = Card("inventory record", _card_meta(record))
        return card_descriptor(card, PLACEHOLDER, self.catalog, fields=fields)

    def _evaluate(self, record: dict[str, Any], signature: tuple[Any, ...],
                  model_id: str | None = None) -> _Memo:
        descriptor = self._describe(record, signature[0])
        catalog_id = descriptor.id if signature[0] == "catalog" else None
        if catalog_id is None:
            descriptor = descriptor.model_copy(update={"id": PLACEHOLDER, "name": PLACEHOLDER})
        resolved = resolve_model(descriptor, "inventory", self.catalog)
        verdicts = list(judge([resolved], self.context, self.packs, self.as_of, self.lang,
                              self.context_source, self.params))
        # Texts and evidence are built only for what is written; catalog models are
        # memoised by id, so their lines already carry the right id.
        shown = sorted((v.finding() for v in verdicts if v.status in _SHOWN), key=sort_key)
        waivers = self._general + (self._specific if model_id else [])
        if waivers:
            names = {resolved.id: {resolved.id.lower(), (model_id or "").lower()}}
            hashes = {resolved.id: {f["sha256"] for f in resolved.facts["license_files"]}}
            shown, _notes = apply_waivers(shown, waivers, self.as_of, names, hashes)
        hidden = [v.finding() for v in verdicts
                  if self.show_all and v.status not in _SHOWN]
        findings = sorted([*shown, *hidden], key=sort_key)
        block = "\n".join(json.dumps(f.model_dump(mode="json", exclude_none=True),
                                     ensure_ascii=False) for f in findings)
        statuses = Counter(str(f.status) for f in shown)
        statuses.update(v.status for v in verdicts if v.status not in _SHOWN)
        gating = sum(1 for f in shown if self._gates(str(f.status), str(f.severity)))
        return _Memo(block, statuses, Counter(v.severity for v in verdicts),
                     str(resolved.facts.get("weights_license") or "unknown"), gating)

    def _gates(self, status: str, severity: str) -> bool:
        return (self._threshold is not None and status in self._gating_statuses
                and self._rank(severity) >= self._threshold)

    def check(self, raw: str, line: int, outcome: Outcome) -> None:
        """Evaluate one raw record into `outcome`. Bad records are recorded as skipped."""
        try:
            record = _parse(raw, line)
            signature = self._signature(record)
            model_id = str(record.get("id") or record.get("modelId"))
            cached: _Memo | None = (self._evaluate(record, signature, model_id)
                                    if model_id.lower() in self._waived_models
                                    else self._memo.get(signature))
            if cached is None:
                cached = self._evaluate(record, signature)
                self._memo[signature] = cached
                if len(self._memo) > _MEMO_LIMIT:
                    self._memo.popitem(last=False)
        except (ValueError, InputError) as exc:
            reason = exc.issues[0].message if isinstance(exc, InputError) and exc.issues \
                else str(exc)
            outcome.skipped.append(Skipped(line, reason))
            return
        if cached.block:
            model_id = json.dumps(str(record.get("id") or record.get("modelId")),
                                  ensure_ascii=False)[1:-1]
            outcome.lines.append(cached.block.replace(PLACEHOLDER, model_id))
        outcome.statuses.update(cached.statuses)
        outcome.severities.update(cached.severities)
        outcome.licenses[cached.license] += 1
        outcome.gating += cached.gating
        outcome.records += 1

    def run_chunk(self, chunk: list[tuple[int, str]]) -> Outcome:
        outcome = Outcome()
        for line, raw in chunk:
            self.check(raw, line, outcome)
        return outcome
