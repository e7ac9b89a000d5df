"""The Python API: `check()` does what `openres-check check` does, and returns a `Report`."""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openres_check._loading import suggest, validate
from openres_check._yaml import inline_yaml
from openres_check.catalog import Catalog, load_catalog
from openres_check.engine.facts import context_facts
from openres_check.engine.rules import LANGS, CompiledPack, FactSet, Verdict, deployment_facts
from openres_check.engine.waivers import WaiverNote, apply_waivers
from openres_check.errors import InputError, Issue, Location
from openres_check.lineage import ResolvedModel, resolve_model
from openres_check.model.context import Context
from openres_check.model.descriptor import ModelDescriptor
from openres_check.model.finding import Finding
from openres_check.model.waiver import Waiver, WaiverFile
from openres_check.policies import load_policies
from openres_check.report import Report, load_baseline, sort_key
from openres_check.sources import load_reference

if TYPE_CHECKING:
    from openres_check.security.signer import Signer

__all__ = ["Assessment", "apply_security", "assess", "check", "evaluate", "judge",
           "pack_params", "resolve_models", "run_signer"]


def _context(value: Context | Mapping[str, Any] | str | Path | None) -> tuple[Context, str]:
    if value is None:
        return Context(), "<no context>"
    if isinstance(value, Context):
        return value, "<context>"
    if isinstance(value, (str, Path)):
        return Context.from_file(value), str(value)
    return Context.from_mapping(dict(value)), "<context>"


def _waivers(value: Sequence[Waiver | Mapping[str, Any]] | str | Path | None) -> list[Waiver]:
    if value is None:
        return []
    if isinstance(value, (str, Path)):
        from openres_check._loading import load_model_file  # noqa: PLC0415

        return list(load_model_file(WaiverFile, Path(value), "waivers file").waivers)
    return [validate(Waiver, w, f"<waiver {i}>", "waiver") for i, w in enumerate(value)]


def resolve_models(references: Iterable[str], catalog: Catalog,
                   base_dir: Path | None = None, *, hub: bool = False,
                   revision: str | None = None) -> list[ResolvedModel]:
    """Load each reference and follow its lineage."""
    resolved: list[ResolvedModel] = []
    seen: set[str] = set()
    local_bases: dict[str, tuple[ModelDescriptor, str] | None] = {}

    def resolve_base(reference: str) -> tuple[ModelDescriptor, str] | None:
        """A base that is a local folder or card is read like any model reference."""
        if reference not in local_bases:
            local_bases[reference] = None
            if Path(reference).exists():
                loaded = load_reference(reference, catalog)
                local_bases[reference] = (loaded[0].descriptor, loaded[0].origin)
        return local_bases[reference]

    for reference in references:
        for loaded in load_reference(reference, catalog, base_dir, hub=hub, revision=revision):
            if loaded.descriptor.id in seen:
                continue
            seen.add(loaded.descriptor.id)
            model = resolve_model(loaded.descriptor, loaded.origin, catalog, resolve_base)
            model.reference = reference
            resolved.append(model)
    return resolved


def pack_params(packs: Sequence[CompiledPack],
                overrides: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Each pack's parameters, with user overrides applied by name.

    Raises `InputError` for an override that no pack declares, with close matches.
    """
    overrides = dict(overrides or {})
    known = {name for pack in packs for name in pack.pack.params}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise InputError("unknown policy parameter", [Issue(
            "unknown-param", f"no selected pack declares the parameter {name!r}",
            Location("params"),
            f"did you mean {close[0]!r}?" if (close := suggest(name, known))
            else f"known parameters: {', '.join(sorted(known)) or 'none'}")
            for name in unknown])
    bad = [(name, value, choices) for pack in packs
           for name, choices in pack.pack.choices.items()
           if name in overrides and (value := overrides[name]) not in choices]
    if bad:
        raise InputError("bad policy parameter value", [Issue(
            "bad-param", f"{name} = {value!r} is not one of {', '.join(map(str, choices))}",
            Location("params"), f"did you mean {close[0]!r}?" if (
                close := suggest(str(value), [str(c) for c in choices])) else None)
            for name, value, choices in bad])
    mistyped = [(name, overrides[name], default, expected) for pack in packs
                for name, default in pack.pack.params.items()
                if name in overrides and name not in pack.pack.choices
                and (expected := _param_kind(default)) is not None
                and not _param_fits(overrides[name], expected)]
    if mistyped:
        raise InputError("bad policy parameter value", [Issue(
            "bad-param", f"{name} = {value!r} is not {expected}", Location("params", (name,)),
            f"give {expected}, like the default {inline_yaml(default)}")
            for name, value, default, expected in mistyped])
    return {pack.id: _as_facts({**pack.pack.params,
                                **{k: v for k, v in overrides.items() if k in pack.pack.params}})
            for pack in packs}


_DATE = "a date (YYYY-MM-DD)"


def _param_kind(value: Any) -> str | None:
    """What a parameter value is, in words; None for a default that takes any value."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, float) and not math.isfinite(value):
        return "not a finite number"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dt.date):
        return _DATE
    if isinstance(value, str):
        # Cached packs hold their date defaults as ISO strings.
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return "text"
        return _DATE if len(value) == 10 else "text"  # noqa: PLR2004 - YYYY-MM-DD
    if isinstance(value, list):
        return "a list"
    return "a mapping" if isinstance(value, dict) else None


def _param_fits(value: Any, expected: str) -> bool:
    got = _param_kind(value)
    # YAML reads an unquoted ISO date as a date; as text it is fine too.
    return got == expected or (expected == "text" and got == _DATE)


def _as_facts(values: dict[str, Any]) -> dict[str, Any]:
    """Parameters in the shape facts have: dates as ISO strings, like everything else."""
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}


def judge(models: Sequence[ResolvedModel], context: Context, packs: Sequence[CompiledPack],
          as_of: dt.date, lang: str, context_source: str = "<context>",
          params: Mapping[str, Any] | None = None) -> Iterator[Verdict]:
    """Every rule of every pack against every model: decisions, without their texts."""
    context_values = context_facts(context)
    run = {"as_of": as_of.isoformat()}
    by_pack = pack_params(packs, params)
    for model in models:
        facts = _model_facts(model, context_values, run, context_source)
        for pack in packs:
            pack_values = by_pack[pack.id]
            for rule in pack.rules:
                yield rule.judge(facts, pack_values, lang)


def _model_facts(model: ResolvedModel, context_values: dict[str, Any], run: dict[str, Any],
                 context_source: str) -> FactSet:
    values, source = context_values, context_source
    if model.context_override:
        values = _overlay(context_values, model.context_override)
        source = f"{context_source}; {model.context_note or 'per-model override'}"
    return FactSet(model=model.facts, context=values, run=run,
                   model_source=model.origin, context_source=source)


@dataclass(frozen=True)
class Assessment:
    """A run's findings, each once and waivers applied, and which deployment findings (those
    with no model) apply to which model."""

    findings: list[Finding]
    notes: list[WaiverNote]
    shared: dict[str, frozenset[str]]
    """By model id, the rule ids of the deployment findings that apply to it."""


def assess(groups: Sequence[tuple[Sequence[ResolvedModel], Sequence[CompiledPack]]],
           context: Context, as_of: dt.date, lang: str, context_source: str = "<context>",
           params: Mapping[str, Any] | None = None,
           waivers: Sequence[Waiver] = ()) -> Assessment:
    """Judge each group's models by the group's packs; a rule that reads only the deployment
    (not `model_scoped`) is judged once for the run and its finding shared.

    A model judges such a rule on its own when a waiver could treat it apart from the others
    (one that names the model, or pins a license text), so the waiver applies to it alone; and
    so does a model whose context differs (`context_override`) for every such rule.
    """
    context_values = context_facts(context)
    run = {"as_of": as_of.isoformat()}
    every_pack = list({p.id: p for _models, packs in groups for p in packs}.values())
    by_pack = pack_params(every_pack, params)
    everyone = [m for models, _packs in groups for m in models]
    aliases = {m.id: {m.id.lower(), *(a.lower() for a in m.descriptor.aliases)}
               for m in everyone}
    hashes = {m.id: {str(f.get("sha256")) for f in m.facts.get("license_files", [])}
              for m in everyone}
    pinned = {w.rule for w in waivers if w.license_text_sha256}
    verdicts: list[Verdict] = []
    shared: dict[str, frozenset[str]] = {}
    for models, packs in groups:
        for model in models:
            facts = _model_facts(model, context_values, run, context_source)
            alone = pinned | {w.rule for w in waivers
                              if w.model is not None and w.model.lower() in aliases[model.id]}
            takes: set[str] = set()
            for pack in packs:
                pack_values = by_pack[pack.id]
                for rule in pack.rules:
                    if not (rule.model_scoped or model.context_override
                            or rule.rule.id in alone):
                        takes.add(rule.rule.id)
                    else:
                        verdicts.append(rule.judge(facts, pack_values, lang))
            if takes:
                shared[model.id] = frozenset(takes)
    taken = frozenset().union(*shared.values())
    deployment = deployment_facts(context_values, run, context_source)
    verdicts.extend(rule.judge(deployment, by_pack[pack.id], lang)
                    for pack in every_pack for rule in pack.rules
                    if not rule.model_scoped and rule.rule.id in taken)
    findings = sorted((v.finding() for v in verdicts), key=sort_key)
    sharing = {rule: sorted(m for m, rules in shared.items() if rule in rules)
               for rule in taken}
    findings, notes = apply_waivers(findings, waivers, as_of, aliases, hashes, sharing)
    return Assessment(findings, notes, shared)


def _overlay(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """`base` with `override` laid over it, section by section."""
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _overlay(merged.get(key) or {}, value) if isinstance(value, Mapping) \
            else value
    return merged


def evaluate(models: Sequence[ResolvedModel], context: Context, packs: Sequence[CompiledPack],
             as_of: dt.date, lang: str, context_source: str = "<context>",
             params: Mapping[str, Any] | None = None) -> list[Finding]:
    """Every rule of every pack against every model, in the contract's order."""
    findings = [verdict.finding() for verdict in judge(models, context, packs, as_of, lang,
                                                       context_source, params)]
    findings.sort(key=sort_key)
    return findings


def require_lang(lang: str) -> None:
    """Raises `InputError` for a language the reports are not written in."""
    if lang not in LANGS:
        raise InputError(f"unsupported language {lang!r}", [Issue(
            "bad-value", f"lang must be one of {', '.join(LANGS)}", Location("lang"))])


def check(
    models: Sequence[str] | str,
    context: Context | Mapping[str, Any] | str | Path | None = None,
    policies: Sequence[str | Path] | None = None,
    *,
    as_of: dt.date | str | None = None,
    lang: str = "en",
    catalogs: Sequence[str | Path] = (),
    waivers: Sequence[Waiver | Mapping[str, Any]] | str | Path | None = None,
    catalog: Catalog | None = None,
    params: Mapping[str, Any] | None = None,
    hub: bool = False,
    revision: str | None = None,
    baseline: str | Path | None = None,
    declared: Mapping[str, tuple[str, int | None]] | None = None,
    context_source: str | None = None,
    lock: str | Path | None = None,
    signer_identity: str | None = None,
    signer_issuer: str | None = None,
) -> Report:
    """Check models against policies in a deployment context.

    `models` are catalog ids, aliases or paths. `context` is a `Context`, a mapping or a path.
    `policies` are bundled pack names or paths; None means every bundled pack.
    `params` overrides the packs' switchable parameters by name (e.g. disputed dates).
    `hub` fetches references that are neither catalog ids nor paths from the Hugging Face Hub
    (needs the `[hub]` extra and the network); `revision` pins what is fetched.
    `baseline` is an earlier JSON report: its fail and review findings no longer gate.
    `declared` maps a model reference to where it was declared (file, line), for SARIF.
    `context_source` is how evidence cites a context given as a value (default `<context>`),
    e.g. `openres.yaml:12` for an inline section.
    `lock` is a lock file (`openres-check lock`): files that changed since fail SEC-LOCK-DRIFT.
    `signer_identity` and `signer_issuer` (together) name the signer a local model folder's
    `model.sig` must verify as (SEC-SIGNER-IDENTITY; needs the `[signing]` extra, else
    SEC-SIGNER-UNVERIFIED asks for review).
    Raises `InputError` (or a subclass) where the CLI would exit with 2.
    """
    require_lang(lang)
    if isinstance(models, str):
        models = [models]
    if not models:
        raise InputError("no model to check", [Issue(
            "no-models", "give at least one model id, alias or path", Location("models"),
            "e.g. openres-check check Qwen/Qwen2.5-7B-Instruct")])
    day = _as_of(as_of)
    ctx, ctx_source = _context(context)
    ctx_source = context_source or ctx_source
    waiver_list = _waivers(waivers)
    signer = run_signer(signer_identity, signer_issuer)
    packs = load_policies(policies)
    catalog = catalog or load_catalog(catalogs)
    resolved = resolve_models(models, catalog, hub=hub, revision=revision)
    apply_security(resolved, lock, signer)
    found = assess([(resolved, packs)], ctx, day, lang, ctx_source, params, waiver_list)
    locations = {m.id: declared[m.reference] for m in resolved
                 if declared and m.reference is not None and m.reference in declared}
    return Report(findings=tuple(found.findings), models=tuple(resolved),
                  policies=tuple(packs), context=ctx, context_source=ctx_source, as_of=day,
                  lang=lang, waivers=tuple(found.notes), generated_at=generated_at(),
                  baseline=load_baseline(baseline) if baseline else None,
                  declared=locations, shared=found.shared)


def run_signer(identity: str | None, issuer: str | None) -> Signer | None:
    """The signer the run expects, checked before any work. Raises `InputError`."""
    if identity is None and issuer is None:
        return None  # the signing modules load only when a signer is expected
    from openres_check.security.signer import expected_signer  # noqa: PLC0415

    return expected_signer(identity, issuer)


def apply_security(models: Sequence[ResolvedModel], lock: str | Path | None,
                   signer: Signer | None) -> None:
    """Record the run's lock file and expected signer in each model's security facts."""
    if lock is not None:
        from openres_check.security.locking import apply_lock, load_lock  # noqa: PLC0415

        apply_lock(models, load_lock(Path(lock)), Path(lock))
    if signer is not None:
        from openres_check.security.signer import apply_signer  # noqa: PLC0415

        apply_signer(models, signer)


def generated_at() -> str:
    """Now, in UTC, or SOURCE_DATE_EPOCH when set, so that reports can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = (dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc) if epoch.isdigit()
              else dt.datetime.now(tz=dt.timezone.utc))
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _as_of(value: dt.date | str | None) -> dt.date:
    if value is None:
        return dt.date.today()  # noqa: DTZ011 - the adopter's calendar day is what matters
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"bad --as-of date {value!r}", [Issue(
            "bad-value", f"{value!r} is not a date", Location("--as-of"),
            "write it as YYYY-MM-DD")]) from None
