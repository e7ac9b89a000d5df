"""Compact bulk output: one line per model, and the deployment's findings once per run.

`check --inventory` writes, by default, a first line `{"type": "run", ...}` (the rule texts and
the findings of every rule that reads only the deployment context, the parameters and the run
date, decided once), then one `{"type": "model", ...}` line per record: its verdict, whether it
gates the exit code, its status counts, its licenses, and each `fail`/`review` rule with the
one fact that decided it. No finding text or evidence is built for a model.

Two memos make distinct records cheap:

- a record memo keyed by what the rules can see of a card, where a base that no catalog knows
  stands for a placeholder (an unknown base is just "unresolved"), when no rule could tell one
  unknown base from another (see `base_blind`);
- a rule memo keyed by the values of the model facts each rule's conditions read.

Both are bounded by an estimate of their bytes (`_memo.ByteBoundedMemo`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from openres_check._memo import ByteBoundedMemo, estimate_bytes
from openres_check._text import for_json
from openres_check._version import __version__
from openres_check.api import pack_params
from openres_check.catalog import Catalog
from openres_check.engine.facts import context_facts
from openres_check.engine.rules import (
    LANGS,
    CompiledPack,
    CompiledRule,
    FactSet,
    Verdict,
    deployment_facts,
)
from openres_check.engine.waivers import apply_waivers
from openres_check.errors import InputError
from openres_check.inventory import (
    _CARD_KEYS,
    PLACEHOLDER,
    InventoryChecker,
    Outcome,
    Skipped,
    _card_meta,
    _parse,
    card_signature,
)
from openres_check.lineage import resolve_model
from openres_check.model.context import Context
from openres_check.model.finding import Finding, Status
from openres_check.sources.huggingface import card_fields

__all__ = ["BASE_PLACEHOLDER", "CompactChecker", "base_blind", "deciding_fact", "rule_key_spec"]

BASE_PLACEHOLDER = "openres-placeholder/unknown-base"
"""Stands for a record's one unknown base while it is judged; the real id is written out."""

RECORD_MEMO_BYTES = 48 << 20
EVALUATION_MEMO_BYTES = 24 << 20
RULE_MEMO_BYTES = 16 << 20
VECTOR_MEMO_BYTES = 16 << 20
INTERNED_BYTES = 16 << 20
_GATE_STATUSES = ("fail", "review")
_RULE_ENTRY_BYTES = 600
"""A rule memo entry: a key of a few interned numbers and a decision with one short deciding
fact (a key that holds a whole model's fingerprint counts its length besides)."""
_OTHER_CARD_KEYS = tuple(k for k in _CARD_KEYS if k != "base_model")
# Comparisons whose result can change when one string inside a fact is renamed: order,
# patterns, versions and substrings. Equality-like ones cannot, unless a literal holds the name.
_RENAME_SENSITIVE = frozenset({"matches", "version", "gt", "gte", "lt", "lte", "contains"})
# Facts whose values can hold a base model's id (the lineage, the terms inherited through it).
_BASE_FACTS = ("model.lineage", "model.lineage_chain", "model.unresolved_bases",
               "model.effective_terms", "item.license", "item.via", "item.base")


def _holds_base(fact: str) -> bool:
    return fact in ("model", "item") or any(
        fact == prefix or fact.startswith(prefix + ".") for prefix in _BASE_FACTS)


def _comparisons(node: Any) -> Iterator[tuple[str, str, Any]]:
    """(fact, operator, operand) of every comparison in a condition tree."""
    if isinstance(node, dict):
        if isinstance(node.get("fact"), str):
            for op, value in node.items():
                if op != "fact":
                    yield node["fact"], op, value
            return
        for value in node.values():
            yield from _comparisons(value)
    elif isinstance(node, list):
        for child in node:
            yield from _comparisons(child)


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(node, (list, tuple)):
        for child in node:
            yield from _strings(child)
    elif node is not None:
        yield str(node)


def base_blind(rules: Iterable[CompiledRule]) -> bool:
    """Whether renaming an unknown base cannot change any rule's outcome.

    True when no condition orders, pattern-matches, version-compares or substring-searches a
    fact that can hold a base id. The equality-like comparisons left are then unchanged by a
    consistent renaming, as long as no literal contains the name (checked per base).
    """
    for rule in rules:
        for node in (rule.rule.applies, rule.rule.fails, rule.rule.review):
            for fact, op, operand in _comparisons(node):
                other = operand.get("fact") if isinstance(operand, dict) else None
                if op in _RENAME_SENSITIVE and (
                        _holds_base(fact) or (isinstance(other, str) and _holds_base(other))):
                    return False
    return True


def _read_name(verdict: Verdict, index: int) -> tuple[str, Any]:
    read = verdict.scope.reads[index]
    dotted = ".".join(read.parts)
    if read.root == "item":
        name = f"{read.item_label}.{dotted}" if dotted else str(read.item_label)
    else:
        name = f"{read.root}.{dotted}" if dotted else read.root
    return name, read.value


def deciding_fact(verdict: Verdict) -> dict[str, Any]:
    """The one fact that decided a `fail` or `review`: the first unknown one, or the last
    fact read before the condition held (evaluation stops at the comparison that settles it)."""
    if verdict.kind == "unknown" and verdict.missing:
        return {"fact": verdict.missing[0]}
    if not verdict.scope.reads:
        return {}
    name, value = _read_name(verdict, -1)
    if verdict.scope.reads[-1].root in ("context", "params", "run"):
        return {"fact": name}  # the run line's context holds the value once
    scalar = isinstance(value, (str, int, float, bool)) or (
        isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value))
    if scalar and len(json.dumps(value, ensure_ascii=False)) <= 80:  # noqa: PLR2004 - short
        return {"fact": name, "value": value}
    return {"fact": name}


@dataclass(frozen=True, slots=True)
class _Decision:
    rule: int
    status: str
    deciding: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class _Entry:
    line: str
    reasons_id: str
    reasons: str
    statuses: Counter[str]
    severities: Counter[str]
    license: str
    gating: int


def _picker(positions: list[int]) -> Callable[[tuple[int, ...]], Any]:
    """A function that picks `positions` out of a tuple, as a tuple (or `()`)."""
    if not positions:
        return lambda _prints: ()
    if len(positions) == 1:
        only = positions[0]
        return lambda prints: (prints[only],)
    return operator.itemgetter(*positions)


def _fingerprint(value: Any) -> str:
    # repr tells apart every value `==` does (and more: 1 and 1.0), so equal fingerprints
    # mean equal facts; facts built in another key order only miss the memo.
    return repr(value)


_WHOLE: frozenset[str] = frozenset({"*"})
# Keys of a mapping that a read of any other key may also consult: where it came from, how
# sure it is, whether absent clauses are absent, and what labels it in the evidence.
_ALWAYS = frozenset({"source", "sources", "confidence", "_complete", "license", "id", "base",
                     "name"})
KeySpec = tuple[tuple[str, frozenset[str]], ...] | None


def rule_key_spec(rule: CompiledRule) -> KeySpec:
    """What of a model's facts a rule's conditions read: for each top-level fact, `*` for all
    of it, or the keys read of each item when it is only iterated by `some`/`every`.

    None means the whole of the facts (a condition reads `model` itself). A rule whose
    conditions read no model fact gets an empty spec: its status is the same for every model.
    """
    tops: dict[str, set[str]] = {}
    whole = False

    def mark(top: str, key: str) -> None:
        tops.setdefault(top, set()).add(key)

    def fact(path: str, items: tuple[str, str] | None) -> None:
        nonlocal whole
        root, _, rest = path.partition(".")
        if root == "model":
            if not rest:
                whole = True
            else:
                mark(rest.split(".", 1)[0], "*")
        elif root == "item" and items is not None and items[0] == "model":
            mark(items[1], rest.split(".", 1)[0] if rest else "*")
        elif root not in ("context", "params", "run", "item"):
            whole = True  # not a fact path: assume the worst

    def walk(node: Any, items: tuple[str, str] | None) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child, items)
            return
        if not isinstance(node, dict):
            return
        if isinstance(node.get("fact"), str):
            fact(node["fact"], items)
            for value in node.values():
                if isinstance(value, dict) and isinstance(value.get("fact"), str):
                    fact(value["fact"], items)
            return
        for key, value in node.items():
            if key in ("some", "every") and isinstance(value, dict):
                collection = str(value.get("in", ""))
                root, _, rest = collection.partition(".")
                inner: tuple[str, str] | None = None
                if root == "model" and rest and "." not in rest:
                    tops.setdefault(rest, set())
                    inner = ("model", rest)
                elif root == "model":
                    fact(collection, items)
                    inner = ("covered", "")
                elif root == "item":
                    fact(collection, items)  # the outer item's key, read whole
                    inner = ("covered", "")
                walk(value.get("where"), inner)
            else:
                walk(value, items)

    for node in (rule.rule.applies, rule.rule.fails, rule.rule.review):
        walk(node, None)
    if whole:
        return None
    if not tops:
        return ()
    spec = {top: (_WHOLE if "*" in keys else frozenset(keys | _ALWAYS))
            for top, keys in tops.items()}
    # A read of a top-level fact also consults the model's own provenance keys.
    for key in ("source", "sources", "confidence", "_complete"):
        spec.setdefault(key, _WHOLE)
    return tuple(sorted(spec.items()))


def shared_values(
        registry_facts: Iterable[dict[str, Any]]) -> dict[int, tuple[Any, frozenset[int]]]:
    """By `id`, every container value of the registry's license facts (a clause, its source:
    held once, shared by every model carrying the license), with a short stand-in, so that
    fingerprinting one is a lookup and not a walk.

    The stand-in is a frozenset, which no fact is (facts are JSON and YAML values), so a
    fingerprint with one in it only equals a fingerprint with the same value in the same
    place; equal values share one. The values are kept, so no other object can take their
    `id` while the stand-ins are in use.
    """
    by_repr: dict[str, frozenset[int]] = {}
    shared: dict[int, tuple[Any, frozenset[int]]] = {}
    for facts in registry_facts:
        for value in facts.values():
            if isinstance(value, (dict, list)):
                token = by_repr.setdefault(repr(value), frozenset({len(by_repr)}))
                shared[id(value)] = (value, token)
    return shared


class CompactChecker(InventoryChecker):
    """An `InventoryChecker` that writes the compact format (see the module docstring)."""

    def __init__(self, catalog: Catalog, packs: list[CompiledPack], context: Context,
                 as_of: dt.date, lang: str, params: dict[str, Any] | None = None,
                 **options: Any) -> None:
        super().__init__(catalog, packs, context, as_of, lang, params, **options)
        self._records: ByteBoundedMemo[Any, _Entry] = ByteBoundedMemo(RECORD_MEMO_BYTES)
        self._evaluations: ByteBoundedMemo[Any, _Entry] = ByteBoundedMemo(
            EVALUATION_MEMO_BYTES)
        self._rule_memo: ByteBoundedMemo[Any, _Decision] = ByteBoundedMemo(RULE_MEMO_BYTES)
        self._context_facts = context_facts(context)
        self._run = {"as_of": as_of.isoformat()}
        self._pack_values = pack_params(packs, params)
        self.rules: list[tuple[CompiledPack, CompiledRule]] = [
            (pack, rule) for pack in packs for rule in pack.rules]
        self._model_rules = [i for i, (_p, r) in enumerate(self.rules) if r.model_scoped]
        self._marks: dict[int, list[tuple[str, str, tuple[str, ...] | None]] | None] = {}
        for i in self._model_rules:
            spec = rule_key_spec(self.rules[i][1])
            self._marks[i] = None if spec is None else [
                (f"{top}\x00{','.join(sorted(keys))}", top,
                 None if keys is _WHOLE else tuple(sorted(keys))) for top, keys in spec]
        self._reasons_written: set[str] = set()
        every_mark = {m[0]: m for i in self._model_rules for m in (self._marks[i] or [])}
        self._all_marks = [every_mark[k] for k in sorted(every_mark)]
        # A rule that reads the model whole is keyed by all of it, and then no vector of
        # marks can stand for everything the entry is made of.
        self._reads_whole = any(self._marks[i] is None for i in self._model_rules)
        # Where each rule's marks sit in the vector of every mark, so a rule's memo key is
        # picked out of the vector instead of being built again.
        position = {m[0]: n for n, m in enumerate(self._all_marks)}
        self._picks: dict[int, Callable[[tuple[int, ...]], Any]] = {
            i: _picker([position[m[0]] for m in marks])
            for i in self._model_rules if (marks := self._marks[i]) is not None}
        self._vectors: ByteBoundedMemo[Any, _Entry] = ByteBoundedMemo(VECTOR_MEMO_BYTES)
        # Every distinct fingerprint of a mark gets a small number, so that the rule memo and
        # the vector memo are keyed by tuples of numbers: cheap to hash, compare and keep.
        self._interned: dict[Any, int] = {}
        self._interned_bytes = 0
        # The keys any mark reads of each item of a list fact: each is printed once per item.
        item_keys: dict[str, set[str]] = {}
        for _mark, top, keys in self._all_marks:
            if keys is not None:
                item_keys.setdefault(top, set()).update(keys)
        self._item_keys = {top: tuple(sorted(keys)) for top, keys in item_keys.items()}
        self._shared = shared_values(map(catalog.licenses.facts, catalog.licenses.ids()))
        self._rule_ids = [rule.rule.id for _pack, rule in self.rules]
        self._gating_statuses_of = [
            frozenset(s for s in _GATE_STATUSES if self._gates(s, str(rule.rule.severity)))
            for _pack, rule in self.rules]
        # Every record is judged by every rule, so its findings by severity are the same.
        self._severities = Counter(str(rule.rule.severity) for _pack, rule in self.rules)
        self._blind = base_blind(rule for _pack, rule in self.rules)
        literals = [*(s for _p, r in self.rules for node in (r.rule.applies, r.rule.fails,
                                                              r.rule.review)
                      for s in _strings(node)),
                    *(s for pack in packs for s in _strings(pack.pack.sets)),
                    *_strings(self._pack_values), *_strings(self._context_facts),
                    *catalog.licenses.ids()]
        self._literals = "\x00".join(literals)
        self._slashed = "\x00".join(s for s in literals if "/" in s)
        self._unknown_base: dict[str, bool] = {}
        self.deployment = self._deployment()
        self._generally_waived = {rule.rule.id for _p, rule in self.rules
                                  if any(w.rule == rule.rule.id for w in self._general)}

    # -- the run ----------------------------------------------------------------------------

    def _facts(self, model: dict[str, Any]) -> FactSet:
        return FactSet(model=model, context=self._context_facts, run=self._run,
                       model_source="inventory", context_source=self.context_source)

    def _deployment(self) -> list[tuple[int, Verdict]]:
        facts = deployment_facts(self._context_facts, self._run, self.context_source)
        return [(i, rule.judge(facts, self._pack_values[pack.id], self.lang))
                for i, (pack, rule) in enumerate(self.rules) if not rule.model_scoped]

    def header(self) -> str:
        """The run line: tool, rules (texts in every language) and the deployment findings."""
        shown = [v.finding() for _i, v in self.deployment
                 if self.show_all or v.status in ("fail", "review", "waived")]
        shown, _notes = apply_waivers(shown, self._general, self.as_of, {}, {})
        rules = {rule.rule.id: {
            "policy": pack.id, "severity": str(rule.rule.severity),
            "category": str(rule.rule.category),
            "scope": "model" if rule.model_scoped else "deployment",
            "title": {lang: rule.rule.title.get(lang) for lang in LANGS},
            "message": {lang: rule.rule.message.get(lang) for lang in LANGS},
        } for pack, rule in self.rules}
        deployment = [{k: v for k, v in f.model_dump(mode="json", exclude_none=True).items()
                       if k not in ("model", "scope")} for f in shown]
        document = {
            "type": "run", "schema_version": 1,
            "tool": {"name": "openres-check", "version": __version__},
            "as_of": self.as_of.isoformat(), "lang": self.lang,
            "policies": [{"id": p.id, "version": p.pack.version, "sha256": p.sha256}
                         for p in self.packs],
            "rules": rules,
            "context": self._context_facts,
            "deployment": deployment,
            "deployment_summary": dict(Counter(str(f.status) for f in shown)),
        }
        return json.dumps(document, ensure_ascii=False)

    # -- one record -------------------------------------------------------------------------

    def _is_unknown(self, base: str) -> bool:
        known = self._unknown_base.get(base)
        if known is None:
            if len(self._unknown_base) > 100_000:  # noqa: PLR2004 - a lookup table, not state
                self._unknown_base.clear()
            known = self._unknown_base[base] = self.catalog.find(base) is None
        return known

    def _abstract(self, meta: dict[str, Any], model_id: str) -> str | None:
        """Replace the card's one unknown base by the placeholder, and return it; None (and
        the card unchanged) when renaming it could change an outcome."""
        raw = meta.get("base_model")
        base = raw[0] if isinstance(raw, list) and len(raw) == 1 else raw
        if not self._blind or not isinstance(base, str) or not base.strip() \
                or not self._is_unknown(base):
            return None
        if base.lower() == model_id.lower() or BASE_PLACEHOLDER in base \
                or PLACEHOLDER in base or self._in_literals(base):
            return None
        for key in _OTHER_CARD_KEYS:
            value = meta.get(key)
            if value is None:
                continue
            for text in (value,) if isinstance(value, str) else _strings(value):
                if base in text or BASE_PLACEHOLDER in text:
                    return None
        meta["base_model"] = [BASE_PLACEHOLDER] if isinstance(raw, list) else BASE_PLACEHOLDER
        return base

    def _in_literals(self, base: str) -> bool:
        # Most bases are distinct: searching every literal for each would cost more than the
        # rest of the record. A name with a slash can only be inside a literal with one.
        pool = self._slashed if "/" in base else self._literals
        return base in pool

    def run_chunk(self, chunk: list[tuple[int, str]]) -> Outcome:
        outcome = Outcome(escaped=True)
        used: dict[int, list[Any]] = {}
        for line, raw in chunk:
            entry = self._check(raw, line, outcome)
            if entry is not None:
                found = used.get(id(entry))
                if found is None:
                    used[id(entry)] = [entry, 1]
                else:
                    found[1] += 1
        # Counted per distinct evaluation, not per record: most records share one.
        for entry, times in used.values():
            for key, count in entry.statuses.items():
                outcome.statuses[key] += count * times
            for key, count in entry.severities.items():
                outcome.severities[key] += count * times
            outcome.gating += entry.gating * times
        return outcome

    def check(self, raw: str, line: int, outcome: Outcome) -> None:
        entry = self._check(raw, line, outcome)
        if entry is not None:
            outcome.statuses.update(entry.statuses)
            outcome.severities.update(entry.severities)
            outcome.gating += entry.gating

    def _check(self, raw: str, line: int, outcome: Outcome) -> _Entry | None:
        """Judge one record, write its line (and a reasons line the first time)."""
        base: str | None = None
        try:
            record = _parse(raw, line)
            model_id = record.get("id") or record.get("modelId")
            if not isinstance(model_id, str) or not model_id:
                msg = "the record has no `id`"
                raise ValueError(msg)  # noqa: TRY301 - reported like every bad record
            meta: dict[str, Any] | None = None
            if ("publisher" in record and "licenses" in record) \
                    or self.catalog.find(model_id) is not None:
                signature = self._signature(record)
            else:
                meta = _card_meta(record)
                base = self._abstract(meta, model_id)
                signature = card_signature(meta)
            waived = model_id.lower() in self._waived_models
            entry = None if waived else self._records.get(signature)
            if entry is None:
                entry = (self._evaluate_compact(record, signature, model_id if waived else None)
                         if meta is None else self._judge_card(meta, model_id, waived=waived))
                if not waived:
                    self._records.put(signature, entry, estimate_bytes(signature)
                                      + 2 * len(entry.line) + 600)
        except (ValueError, InputError) as exc:
            reason = exc.issues[0].message if isinstance(exc, InputError) and exc.issues \
                else str(exc)
            outcome.skipped.append(Skipped(line, reason))
            return None
        if entry.reasons_id not in self._reasons_written:
            if len(self._reasons_written) > 50_000:  # noqa: PLR2004 - written again, if need be
                self._reasons_written.clear()
            self._reasons_written.add(entry.reasons_id)
            outcome.lines.append(entry.reasons)
        text = entry.line.replace(PLACEHOLDER, _json_text(model_id), 1)
        if base is not None:
            text = text.replace(BASE_PLACEHOLDER, _json_text(base))
            outcome.licenses[entry.license.replace(BASE_PLACEHOLDER, base)] += 1
        else:
            outcome.licenses[entry.license] += 1
        outcome.lines.append(text)
        outcome.records += 1
        return entry

    def _judge_card(self, meta: dict[str, Any], model_id: str, *, waived: bool) -> _Entry:
        """A card's entry, shared by every card whose descriptor would be the same: cards
        written differently (a `pipeline_tag` of the same modality, an implied relation)
        are judged once."""
        meta.pop("model_name", None)  # the model's name is the placeholder: it is not read
        key = ("card", card_fields(meta))
        entry = None if waived else self._evaluations.get(key)
        if entry is None:
            entry = self._evaluate_compact({"id": model_id, "cardData": meta}, key,
                                           model_id if waived else None)
            if not waived:
                self._evaluations.put(key, entry, estimate_bytes(key) + len(entry.line) + 600)
        return entry

    def _decide(self, index: int, facts: FactSet, key: Any) -> _Decision:
        """Judge one rule the rule memo does not hold, and keep its decision under `key`."""
        pack, rule = self.rules[index]
        verdict = rule.judge(facts, self._pack_values[pack.id], self.lang)
        found = _Decision(index, verdict.status, deciding_fact(verdict)
                          if verdict.status in _GATE_STATUSES else None)
        whole = key[1] if isinstance(key[1], str) else ""  # a model read whole: its repr
        self._rule_memo.put(key, found, _RULE_ENTRY_BYTES + len(whole))
        return found

    def _evaluate_compact(self, record: dict[str, Any], signature: tuple[Any, ...],
                          model_id: str | None) -> _Entry:
        descriptor = self._describe(record, signature[0],
                                    signature[1] if signature[0] == "card" else None)
        if signature[0] != "catalog":
            descriptor = descriptor.model_copy(update={"id": PLACEHOLDER, "name": PLACEHOLDER})
        resolved = resolve_model(descriptor, "inventory", self.catalog)
        model = resolved.facts
        facts = self._facts(model)
        prints = self._prints(model)
        vector: tuple[Any, ...] | None = None
        if not self._reads_whole and model_id is None and not self._general:
            # Everything the entry is made of: what every rule reads, and the licenses the
            # line lists. Records alike in all of it share the entry, rule lookups and all.
            vector = (*prints,
                      tuple(str(t.get("license")) for t in model.get("effective_terms", [])),
                      str(model.get("weights_license")))
            found = self._vectors.get(vector)
            if found is not None:
                return found
        whole = _fingerprint(model) if self._reads_whole else None
        keys = [(i, pick(prints) if (pick := self._picks.get(i)) is not None else whole)
                for i in self._model_rules]
        known = self._rule_memo.get
        decisions = [known(key) or self._decide(i, facts, key)
                     for i, key in zip(self._model_rules, keys, strict=True)]
        if model_id is not None:
            # A waiver names this model: every rule is judged for it, the deployment's too.
            deployment = [_Decision(i, v.status, None) for i, v in
                          ((i, self.rules[i][1].judge(facts, self._pack_values[p.id],
                                                      self.lang))
                           for i, (p, r) in enumerate(self.rules) if not r.model_scoped)]
        else:
            deployment = [_Decision(i, v.status, None) for i, v in self.deployment]
        statuses = self._waive([*decisions, *deployment], resolved, model_id)
        entry = self._entry(decisions, deployment, statuses, resolved,
                            specific=model_id is not None)
        if vector is not None:
            # Numbers, and a few license names: each item costs about the same.
            self._vectors.put(vector, entry, 64 * len(vector) + 2 * len(entry.line) + 600)
        return entry

    def _prints(self, model: dict[str, Any]) -> tuple[int, ...]:
        """The fingerprint of every mark, in the order of `_all_marks`, as interned numbers.

        A mark that reads some keys of each item of a list is fingerprinted item by item from
        the `repr` of each key's value, made once per item and key whatever the number of
        marks; a value the registry shares stands for itself by its stand-in.
        """
        if self._interned_bytes > INTERNED_BYTES:
            # The numbers are about to be given again: no key made of the old ones may stay.
            self._interned.clear()
            self._interned_bytes = 0
            self._rule_memo.clear()
            self._vectors.clear()
        interned = self._interned
        per_item: dict[str, list[dict[str, Any] | None]] = {}
        prints = []
        for _mark, top, keys in self._all_marks:
            value = model.get(top)
            if keys is not None and isinstance(value, list):
                reprs = per_item.get(top)
                if reprs is None:
                    reprs = per_item[top] = [self._item_prints(item, self._item_keys[top])
                                             if isinstance(item, dict) else None
                                             for item in value]
                fingerprint: Any = tuple(
                    (None, repr(item)) if seen is None else tuple(map(seen.__getitem__, keys))
                    for item, seen in zip(value, reprs, strict=True))
            else:  # a string, which no item-by-item fingerprint (a tuple) can equal
                fingerprint = _fingerprint(value)
            number = interned.get(fingerprint)
            if number is None:
                number = interned[fingerprint] = len(interned)
                # Its repr's length grows with the strings it holds, as its memory does.
                self._interned_bytes += 2 * len(repr(fingerprint)) + 100
            prints.append(number)
        return tuple(prints)

    def _item_prints(self, item: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
        """An item's value at each of `keys` as a fingerprint: its stand-in when the registry
        shares it, else its `repr` (which tells apart every value `==` does, and 1 from 1.0).
        A key that is absent and one that holds null read the same (`value_at`)."""
        shared = self._shared
        return {key: found[1] if (found := shared.get(id(value))) is not None
                and found[0] is value else repr(value)
                for key, value in zip(keys, map(item.get, keys), strict=True)}

    def _waive(self, decisions: Sequence[_Decision], resolved: Any,
               model_id: str | None) -> dict[int, str]:
        """The status of each rule once the waivers that cover this model are applied."""
        statuses = {d.rule: d.status for d in decisions}
        waivers = self._general + (self._specific if model_id else [])
        open_ = [d for d in decisions if d.status in _GATE_STATUSES]
        if not waivers or not open_:
            return statuses
        name = str(resolved.id)
        # Waivers match on the rule, the model and the status: a finding with only those is
        # enough to ask them, and no text is built.
        partial: dict[str, Any] = {}
        findings = [Finding.model_construct(
            rule_id=self.rules[d.rule][1].rule.id, model=name, status=Status(d.status),
            **partial) for d in open_]
        names = {name: {name.lower(), (model_id or "").lower()}}
        hashes = {name: {str(f.get("sha256")) for f in resolved.facts.get("license_files", [])}}
        waived, _notes = apply_waivers(findings, waivers, self.as_of, names, hashes)
        for decision, finding in zip(open_, waived, strict=True):
            statuses[decision.rule] = Status(finding.status).value
        return statuses

    def _entry(self, decisions: list[_Decision], deployment: list[_Decision],
               statuses: dict[int, str], resolved: Any, *, specific: bool = False) -> _Entry:
        counts: Counter[str] = Counter()
        lists: dict[str, dict[str, Any]] = {"fail": {}, "review": {}}
        waived: list[str] = []
        rule_ids = self._rule_ids
        for decision in decisions:
            status = statuses[decision.rule]
            if status in lists:
                lists[status][rule_ids[decision.rule]] = decision.deciding or {}
            elif status == "waived":
                waived.append(rule_ids[decision.rule])
        if specific:
            # A waiver for this model may cover a deployment finding: say so on its line.
            general = {i: v.status for i, v in self.deployment}
            waived.extend(self.rules[d.rule][1].rule.id for d in deployment
                          if statuses[d.rule] == "waived" and general.get(d.rule) != "waived"
                          and self.rules[d.rule][1].rule.id not in self._generally_waived)
        everything = [statuses[d.rule] for d in (*decisions, *deployment)]
        counts.update(statuses[d.rule] for d in decisions)
        gates = self._gating_statuses_of
        gating = sum(1 for d in (*decisions, *deployment) if statuses[d.rule] in gates[d.rule])
        verdict = ("fail" if "fail" in everything
                   else "conditional" if "review" in everything else "pass")
        licenses = list(dict.fromkeys(str(t.get("license"))
                                      for t in resolved.facts.get("effective_terms", [])))
        reasons: dict[str, Any] = {k: dict(sorted(v.items())) for k, v in lists.items() if v}
        reasons_text = json.dumps(reasons, ensure_ascii=False, sort_keys=True,
                                  separators=(",", ":"))
        # Shared by every record judged the same way; the placeholders are written as
        # `{model}` and `{base}` (the model's one unresolved base, as in its `licenses`).
        reasons_text = reasons_text.replace(PLACEHOLDER, "{model}").replace(
            BASE_PLACEHOLDER, "{base}")
        reasons_id = "r-" + hashlib.sha256(reasons_text.encode()).hexdigest()[:16]
        reasons_line = (f'{{"type":"reasons","id":"{reasons_id}"'
                        f'{"," if reasons else ""}{reasons_text[1:]}')
        document: dict[str, Any] = {
            "type": "model", "model": PLACEHOLDER, "verdict": verdict, "gate": gating > 0,
            "licenses": licenses, "counts": dict(sorted(counts.items())),
        }
        for status, items in lists.items():
            if items:
                document[status] = sorted(items)
        if waived:
            document["waived"] = sorted(waived)
        document["reasons"] = reasons_id
        # Escaped once here, not in every record's copy: `for_json` maps each character on
        # its own, so the ids put in later (escaped too) leave the line as if escaped whole.
        return _Entry(for_json(json.dumps(document, ensure_ascii=False, separators=(",", ":"))),
                      reasons_id, for_json(reasons_line), Counter(everything), self._severities,
                      str(resolved.facts.get("weights_license") or "unknown"), gating)


def _json_text(value: str) -> str:
    """`value` as it appears inside a JSON string, unsafe characters escaped (`for_json`)."""
    # Printable ASCII without a quote or a backslash is written as it is (`isprintable` is
    # false for the control characters and DEL).
    if value.isascii() and value.isprintable() and '"' not in value and "\\" not in value:
        return value
    return for_json(json.dumps(value, ensure_ascii=False)[1:-1])
