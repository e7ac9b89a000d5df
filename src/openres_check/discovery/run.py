"""`scan()`: discover the models under some paths, resolve them and judge them like `check()`.

A hosted API found in code is judged as `deployment.mode: vendor-api` for that model alone
(its service's terms and data facts apply; nothing of the weights is distributed), whatever
the context says about the rest. An unresolved reference is judged by the discovery pack
only, which gives it a `review` naming where it is used.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openres_check._yaml import read_file
from openres_check.api import (
    _as_of,
    _context,
    _waivers,
    apply_security,
    assess,
    generated_at,
    require_lang,
    resolve_models,
    run_signer,
)
from openres_check.catalog import Catalog, load_catalog
from openres_check.discovery import discover
from openres_check.discovery.interface import ReferenceKind
from openres_check.discovery.resolve import (
    DiscoveredModel,
    ServiceLookup,
    discovery_facts,
    resolve_references,
)
from openres_check.discovery.walker import Progress
from openres_check.errors import InputError, Issue, Location
from openres_check.lineage import ResolvedModel, resolve_model
from openres_check.policies import load_policy
from openres_check.report import Report, load_baseline

if TYPE_CHECKING:
    from openres_check.engine.rules import CompiledPack
    from openres_check.model.context import Context
    from openres_check.model.finding import Finding
    from openres_check.model.waiver import Waiver

__all__ = ["DISCOVERY_PACK", "diff_report", "scan"]

DISCOVERY_PACK = "openres.discovery"
_HOSTED_CONTEXT = {"deployment": {"mode": "vendor-api"}, "use": {"distributes_weights": False}}
_MAX_REPORT = 256 * 1024 * 1024


def discovery_pack() -> CompiledPack:
    """The bundled pack for discovered models: always judged in a scan, so that an
    unresolved reference is never dropped, whatever `--policy` selects."""
    return load_policy("discovery")


def _location_entry(model: DiscoveredModel) -> list[dict[str, Any]]:
    entries = []
    for ref in model.locations:
        entry: dict[str, Any] = {"path": ref.path, "line": ref.line, "column": ref.column,
                                 "text": ref.text}
        shown = {k: v for k, v in ref.attributes if not k.startswith("_")}
        if ref.raw != model.key:
            shown["reference"] = ref.raw
        if shown:
            entry["attributes"] = shown
        entries.append(entry)
    return entries


_HUB_HOW = frozenset({"catalog", "hf.co", "provider", "unresolved"})
_TRUE = frozenset({"true", "1", "yes"})


def _with_references(model: DiscoveredModel) -> None:
    """The Hub references of a model found in code, with their revision and remote-code
    flags, as security facts: the security pack judges whether they are pinned."""
    from openres_check.security.references import (  # noqa: PLC0415 - only for a scan
        reference_facts,
        reference_security,
    )

    if model.how not in _HUB_HOW or model.hosted:
        return
    references = [reference_facts(
        model.descriptor.id, ref.attribute("revision"), location=f"{ref.path}:{ref.line}",
        trust_remote_code=(ref.attribute("trust_remote_code") or "").lower() in _TRUE,
        code_revision=ref.attribute("code_revision"))
        for ref in model.locations
        if ref.kind in (ReferenceKind.MODEL, ReferenceKind.HOSTED) and "/" in model.key]
    if references:
        model.descriptor = model.descriptor.model_copy(update={
            "security": reference_security(references, model.descriptor.security)})


def _with_file_scan(model: DiscoveredModel) -> None:
    """A weights file found in the tree is scanned like a file given to `check`: its format
    by content, its pickles, its chat template."""
    files = {ref.attribute("_file") for ref in model.locations} - {None}
    if model.how not in ("gguf", "safetensors") or len(files) != 1 \
            or model.descriptor.security is not None:
        return
    from openres_check.security import scan_file  # noqa: PLC0415 - only for weights files

    model.descriptor = model.descriptor.model_copy(update={
        "security": scan_file(Path(str(files.pop())))})


def _judged(model: DiscoveredModel, catalog: Catalog) -> ResolvedModel:
    _with_file_scan(model)
    _with_references(model)
    try:
        resolved = resolve_model(model.descriptor, model.origin, catalog)
    except InputError as exc:
        # A weights file or folder whose own lineage is broken (a cycle, a chain too deep):
        # reported as unresolved, with the reason, rather than ending the scan.
        model.how, model.note = "unresolved", f"its lineage cannot be followed: {exc.message}"
        model.note_ja = f"派生関係（系譜）をたどれません（{exc.message}）"
        placeholder = model.descriptor.model_copy(update={"lineage": []})
        resolved = resolve_model(placeholder, model.origin, catalog)
    resolved.facts["discovery"] = discovery_facts(model)
    resolved.reference = model.locations[0].raw if model.locations else model.key
    if model.hosted:
        first = model.locations[0] if model.locations else None
        where = f" at {first.path}:{first.line}" if first else ""
        resolved.context_override = _HOSTED_CONTEXT
        resolved.context_note = (f"scan: a hosted API{where}, judged as deployment.mode = "
                                 "vendor-api")
    return resolved


def scan(
    paths: Sequence[str | Path] = (".",),
    context: Context | Mapping[str, Any] | str | Path | None = None,
    policies: Sequence[str | Path] | None = None,
    *,
    models: Sequence[str] = (),
    exclude: Sequence[str] = (),
    include_ignored: bool = False,
    as_of: dt.date | str | None = None,
    lang: str = "en",
    catalogs: Sequence[str | Path] = (),
    waivers: Sequence[Waiver | Mapping[str, Any]] | str | Path | None = None,
    catalog: Catalog | None = None,
    params: Mapping[str, Any] | None = None,
    baseline: str | Path | None = None,
    diff: str | Path | None = None,
    declared: Mapping[str, tuple[str, int | None]] | None = None,
    services: ServiceLookup | None = None,
    progress: Progress | None = None,
    context_source: str | None = None,
    lock: str | Path | None = None,
    signer_identity: str | None = None,
    signer_issuer: str | None = None,
) -> Report:
    """Find every model referenced under `paths`, resolve each and judge them.

    Takes the options of `check()`; `models` are judged too (e.g. those of openres.yaml).
    `exclude` takes gitignore-style globs; `include_ignored` also scans what .gitignore
    ignores, virtual environments and node_modules. `diff` is an earlier JSON report: only
    models and findings new since then are reported (and gate). `services` looks up hosted
    APIs and Ollama tags (default: the catalog's). `context_source` is how evidence cites a
    context given as a value (e.g. `openres.yaml:12`). `lock` is a lock file
    (`openres-check lock`): models that changed since fail SEC-LOCK-DRIFT. `signer_identity`
    and `signer_issuer` name the signer each local model folder must be signed by. Raises
    `InputError` where the CLI exits 2.
    """
    from openres_check.policies import load_policies  # noqa: PLC0415 - as check() does

    require_lang(lang)
    day = _as_of(as_of)
    ctx, ctx_source = _context(context)
    ctx_source = context_source or ctx_source
    waiver_list = _waivers(waivers)
    signer = run_signer(signer_identity, signer_issuer)
    packs = load_policies(policies)
    if all(p.id != DISCOVERY_PACK for p in packs):
        packs = [*packs, discovery_pack()]
    catalog = catalog or load_catalog(catalogs)
    found = discover(paths, exclude=exclude, include_ignored=include_ignored,
                     progress=progress)
    discovered = resolve_references(found.references, catalog, services,
                                    day)
    judged = [_judged(m, catalog) for m in discovered]
    by_id = {m.id: m for m in judged}
    listed = [m for m in resolve_models(models, catalog) if m.id not in by_id] if models else []
    known = [m for m in [*judged, *listed]
             if m.facts.get("discovery", {}).get("resolved", True)]
    unknown = [m for m in judged if m not in known]
    apply_security(known, lock, signer)
    # An unresolved reference has no facts for the other packs to read: only the discovery
    # pack judges it (its review names the reference and where it is used).
    mine = [p for p in packs if p.id == DISCOVERY_PACK]
    assessed = assess([(known, packs), (unknown, mine)], ctx, day, lang, ctx_source, params,
                    waiver_list)
    every = sorted([*judged, *listed], key=lambda m: m.id.lower())
    locations = {d.key: _location_entry(d) for d in discovered}
    placed = {m.id: declared[m.reference] for m in listed
              if declared and m.reference is not None and m.reference in declared}
    report = Report(findings=tuple(assessed.findings), models=tuple(every),
                    policies=tuple(packs), context=ctx, context_source=ctx_source, as_of=day,
                    lang=lang, waivers=tuple(assessed.notes), generated_at=generated_at(),
                    baseline=load_baseline(baseline) if baseline else None,
                    declared=placed, locations=locations,
                    warnings=tuple(str(w) for w in found.warnings), shared=assessed.shared)
    return diff_report(report, diff) if diff else report


def _base_models(path: str | Path) -> frozenset[str]:
    source = str(path)
    try:
        document = json.loads(read_file(Path(path), _MAX_REPORT, source).decode("utf-8"))
        return frozenset(str(m["id"]) for m in document["models"])
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise InputError(f"cannot compare with {source}", [Issue(
            "bad-baseline", f"not a JSON report from openres-check ({type(exc).__name__})",
            Location(source), "write one with `openres-check scan --format json "
            "--output base.json`")]) from None


def diff_report(report: Report, base: str | Path) -> Report:
    """Only what is new since the report `base`: models it did not have, and fail or review
    findings it did not have; only those gate. A deployment finding stays for the models it
    is new for, as if each had its own copy."""
    pairs = load_baseline(base)
    old_models = _base_models(base)

    def new(finding: Finding, model: str) -> bool:
        return model not in old_models or (
            str(finding.status) in ("fail", "review") and (model, finding.rule_id) not in pairs)

    shared = {model: frozenset(f.rule_id for f in report.deployment_findings
                               if f.rule_id in rules and new(f, model))
              for model, rules in report.shared.items()}
    shared = {model: rules for model, rules in shared.items() if rules}
    taken = frozenset[str]().union(*shared.values())
    findings = tuple(f for f in report.findings
                     if (f.rule_id in taken if f.model is None else new(f, f.model)))
    shown = {f.model for f in findings
             if f.model is not None and str(f.status) in ("fail", "review", "waived")}
    shown.update(shared)  # what a model takes from the deployment is new for it
    models = tuple(m for m in report.models if m.id not in old_models or m.id in shown)
    return dataclasses.replace(report, findings=findings, models=models, baseline=pairs,
                               shared=shared)
