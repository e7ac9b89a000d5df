"""`openres-check catalog`: list, show and search models; list the license registry, the hosted
services and the Ollama library mapping."""

from __future__ import annotations

import argparse
import difflib
import json
from pathlib import Path
from typing import Any, TextIO

from openres_check._yaml import dump_yaml
from openres_check.catalog import Catalog, CatalogEntry, descriptor_summary, load_catalog
from openres_check.cli.common import EXIT_ERROR, EXIT_OK, add_catalog_option, write_output
from openres_check.cli.helptext import tr
from openres_check.errors import InputError, Issue, Location
from openres_check.lineage import resolve_model
from openres_check.model.descriptor import HostedService

__all__ = ["register"]


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "catalog", help=tr("list, show and search models and licenses",
                           "モデルとライセンスの一覧表示、詳細表示、検索を行います"),
        description=tr("Browse the bundled catalog (and --catalog folders).",
                       "同梱のカタログ（と --catalog のフォルダ）を参照します。"))
    add_catalog_option(parser)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    # Each action takes --catalog and the output options too, before or after its own
    # arguments; SUPPRESS keeps a --catalog given before the action.
    common = argparse.ArgumentParser(add_help=False)
    add_catalog_option(common, default=argparse.SUPPRESS)
    common.add_argument("--format", choices=("text", "json"), default="text")
    common.add_argument("--output", "-o", metavar="FILE")

    listing = actions.add_parser("list", help=tr("list models", "モデルを一覧表示します"),
                                 parents=[common])
    listing.add_argument("--publisher", help=tr(
        "only this publisher (substring, any case)",
        "この提供元のモデルだけ（部分一致。大文字と小文字は区別しません）"))
    listing.add_argument("--license", help=tr(
        "only models whose own or inherited terms include this license id",
        "自身の条件または継承される条件にこのライセンス ID を含むモデルだけ"))
    listing.set_defaults(handler=_list)

    show = actions.add_parser("show", parents=[common], help=tr(
        "one model: descriptor, lineage, effective terms",
        "1 つのモデルの記述子、派生関係（系譜）、適用される条件を表示します"))
    show.add_argument("model", metavar="ID")
    show.set_defaults(handler=_show)

    licenses = actions.add_parser("licenses", parents=[common], help=tr(
        "list the license registry, or show one license's facts with their sources",
        "ライセンスレジストリを一覧表示するか、1 つのライセンスの事実を出典付きで表示します"))
    licenses.add_argument("license", nargs="?", metavar="LICENSE", help=tr(
        "a registry id or any name the license goes by",
        "レジストリの ID、またはそのライセンスの呼び名のいずれか"))
    licenses.set_defaults(handler=_licenses)

    services = actions.add_parser("services", parents=[common], help=tr(
        "list the hosted services, or show one service's facts with their sources",
        "ホスト型サービスを一覧表示するか、1 つのサービスの事実を出典付きで表示します"))
    services.add_argument("service", nargs="?", metavar="SERVICE", help=tr(
        "a service id, or a host or URL it answers on",
        "サービスの ID、またはそのサービスが応答するホストか URL"))
    services.set_defaults(handler=_services)

    ollama = actions.add_parser("ollama", parents=[common], help=tr(
        "list the Ollama library mapping, or resolve one Ollama name to its upstream model",
        "Ollama ライブラリの対応表を一覧表示するか、Ollama の名前 1 つを提供元のモデルに"
        "解決します"))
    ollama.add_argument("reference", nargs="?", metavar="NAME[:TAG]")
    ollama.add_argument("--as-of", metavar="YYYY-MM-DD", help=tr(
        "resolve as of this date", "この日付を基準日として解決します"))
    ollama.set_defaults(handler=_ollama)

    search = actions.add_parser("search", parents=[common], help=tr(
        "models whose id, name, alias, publisher or license mentions TEXT",
        "ID、名前、別名、提供元、ライセンスのいずれかに TEXT を含むモデルを探します"))
    search.add_argument("text")
    search.set_defaults(handler=_search)


def _catalog(args: argparse.Namespace) -> Catalog:
    return load_catalog(args.catalogs or [])


def _emit(args: argparse.Namespace, data: Any, lines: list[str], stdout: TextIO) -> None:
    if args.format == "json":
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        text = "\n".join(lines) + "\n"
    write_output(text, args.output, stdout)


def _effective_licenses(entry: CatalogEntry, catalog: Catalog) -> set[str]:
    resolved = resolve_model(entry.descriptor, entry.origin, catalog)
    return {t["license"] for t in resolved.facts["effective_terms"]}


def _rows(entries: list[CatalogEntry]) -> list[str]:
    rows = []
    for entry in entries:
        d = entry.descriptor
        licenses = ", ".join(f"{k}={v.license}" for k, v in sorted(d.licenses.items()))
        rows.append(f"{d.id:<55} {d.publisher.name:<24} {licenses}")
    return rows


def _list(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:  # noqa: ARG001
    catalog = _catalog(args)
    entries = list(catalog)
    if args.publisher:
        needle = args.publisher.lower()
        entries = [e for e in entries if needle in e.descriptor.publisher.name.lower()]
    if args.license:
        wanted = catalog.licenses.resolve(args.license) or args.license
        entries = [e for e in entries if wanted in _effective_licenses(e, catalog)]
    _emit(args, [descriptor_summary(e) for e in entries], _rows(entries), stdout)
    return EXIT_OK


def _search(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    entries = _catalog(args).search(args.text)
    _emit(args, [descriptor_summary(e) for e in entries], _rows(entries), stdout)
    if not entries:
        stderr.write(f"no model matches {args.text!r}\n")
        return EXIT_ERROR
    return EXIT_OK


def _exists(reference: str) -> bool:
    try:
        return Path(reference).exists()
    except OSError:  # e.g. a name too long to be a path
        return False


def _entry(catalog: Catalog, reference: str) -> CatalogEntry:
    """The catalog entry; a path gets its own message, as `show` reads no files."""
    if catalog.find(reference) is None and _exists(reference):
        raise InputError(f"{reference} is a path, not a catalog id", [Issue(
            "not-a-catalog-id", "`catalog show` looks models up by catalog id or alias only",
            Location(reference), f"run `openres-check check {reference}` to check it, or pass "
            "its catalog folder with --catalog DIR and show it by id")])
    if catalog.find(reference) is None and catalog.licenses.resolve(reference):
        raise InputError(f"{reference} is a license, not a model", [Issue(
            "not-a-model", "`catalog show` shows models", Location(reference),
            f"run `openres-check catalog licenses {reference}` to see the license's facts")])
    return catalog.get(reference)


def _show(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:  # noqa: ARG001
    catalog = _catalog(args)
    entry = _entry(catalog, args.model)
    resolved = resolve_model(entry.descriptor, entry.origin, catalog)
    facts = resolved.facts
    data = {
        "descriptor": entry.descriptor.model_dump(mode="json", exclude_none=True),
        "origin": entry.origin,
        "lineage": facts["lineage_chain"],
        "effective_terms": [
            {k: t[k] for k in ("license", "component", "via", "relation", "known")
             if k in t} | ({"name": t["name"]} if "name" in t else {})
            for t in facts["effective_terms"]
        ],
    }
    d = entry.descriptor
    lines = [f"{d.id}  ({entry.origin})",
             f"  publisher: {d.publisher.name} ({d.publisher.country or '?'})",
             (f"  kind: {d.kind}, released: {d.released or '?'}, "
             f"parameters: {d.parameters_b or '?'}B, modalities: {', '.join(d.modalities) or '?'}")]
    if d.aliases:
        lines.append(f"  aliases: {', '.join(d.aliases)}")
    lines.append("  licenses:")
    lines.extend(f"    {k}: {v.license}  ({v.source.url})"
                 for k, v in sorted(d.licenses.items()))
    if facts["lineage_chain"]:
        lines.append("  lineage:")
        lines.extend(
            f"    {' -> '.join(link['via'])} -> {link['base']} [{link['relation']}]"
            + ("" if link["resolved"] else "  (not in catalog)")
            for link in facts["lineage_chain"])
    lines.append("  effective terms:")
    for term in facts["effective_terms"]:
        name = term.get("name", "(not in registry)")
        via = " -> ".join(term["via"])
        lines.append(f"    {term['license']:<24} {term['component']:<9} {name}  "
                     f"via [{via}]")
        for key in ("user_threshold", "revenue_threshold"):
            if term.get(key):
                lines.append(f"      {key}: {term[key]['metric']} > {term[key]['limit']:,.0f} "
                             f"-> {term[key]['consequence']}")
        if term.get("attribution"):
            lines.append(f"      attribution: \"{term['attribution']['display']}\"")
        for exclusion in term.get("territory") or []:
            lines.append(f"      territory: {', '.join(exclusion['excluded'])} excluded "
                         f"({exclusion['applies_to']}; exempt: "
                         f"{', '.join(exclusion['exempt']) or '-'})")
    if isinstance(d.hosted_service, HostedService):
        hs = d.hosted_service
        lines.append(f"  hosted service: {hs.name}, operator {hs.operator} "
                     f"({hs.country}), data in {', '.join(hs.data_location)}, "
                     f"trains on inputs: {hs.trains_on_inputs}")
    _emit(args, data, lines, stdout)
    return EXIT_OK


def _license(catalog: Catalog, name: str) -> dict[str, Any]:
    license_id = catalog.licenses.resolve(name)
    terms = catalog.licenses.get(license_id) if license_id else None
    if terms is None:
        known = difflib.get_close_matches(name.lower(), [t.id for t in catalog.licenses], n=3)
        raise InputError(f"unknown license {name!r}", [Issue(
            "unknown-license", f"{name!r} is not in the license registry", Location(name),
            f"did you mean {', '.join(known)}?" if known
            else "run `openres-check catalog licenses` to list them")])
    return terms.model_dump(mode="json", exclude_none=True)


def _licenses(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:  # noqa: ARG001
    catalog = _catalog(args)
    if args.license:
        # Every fact of one license, each with the URL and section it was read from.
        facts = _license(catalog, args.license)
        return _write_facts(facts, args, stdout)
    data = []
    lines = []
    for terms in catalog.licenses:
        scope = terms.commercial_use.scope if terms.commercial_use else None
        data.append({
            "id": terms.id, "name": terms.name, "spdx": terms.ids.spdx,
            "hf_ids": [*terms.ids.hf, *terms.ids.hf_names],
            "commercial_use": scope, "confidence": terms.confidence,
            "sources": [s.url for s in terms.sources],
        })
        lines.append(f"{terms.id:<30} {scope or '?'!s:<15} {terms.name}")
    _emit(args, data, lines, stdout)
    return EXIT_OK


def _service(catalog: Catalog, reference: str) -> dict[str, Any]:
    data = catalog.services.get(reference.strip().lower())
    if data is None:
        endpoint = catalog.find_hosted(host=reference)
        data = catalog.services[endpoint.service_id] if endpoint else None
    if data is None:
        known = difflib.get_close_matches(reference.lower(), list(catalog.services), n=3)
        raise InputError(f"unknown hosted service {reference!r}", [Issue(
            "unknown-service", f"{reference!r} is neither a service id nor a host of one",
            Location(reference), f"did you mean {', '.join(known)}?" if known
            else "run `openres-check catalog services` to list them")])
    return data


def _services(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:  # noqa: ARG001
    catalog = _catalog(args)
    if args.service:
        # Every fact of one service, each with the URL, section and quote it was read from.
        from openres_check.model.service import ServiceDescriptor  # noqa: PLC0415 - one command

        facts = ServiceDescriptor.model_validate(_service(catalog, args.service)).model_dump(
            mode="json", exclude_none=True)
        return _write_facts(facts, args, stdout)
    data = []
    lines = []
    for service_id in sorted(catalog.services):
        facts = catalog.services[service_id]
        hosts = [e["host"] for e in facts["endpoints"]]
        data.append({"id": service_id, "name": facts["name"],
                     "operator": facts["operator"]["name"],
                     "country": facts["operator"]["country"], "hosts": hosts,
                     "data_location": facts["data_location"]["countries"],
                     "models": sorted({m["name"] for m in facts["models"]})})
        lines.append(f"{service_id:<28} {facts['operator']['country']:<3} "
                     f"data in {','.join(facts['data_location']['countries']):<6} "
                     f"{', '.join(hosts)}")
    _emit(args, data, lines, stdout)
    return EXIT_OK


def _ollama(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from openres_check.api import _as_of  # noqa: PLC0415 - the one --as-of parser

    catalog = _catalog(args)
    if args.reference:
        as_of = _as_of(args.as_of)
        found = catalog.find_ollama(args.reference, as_of)
        if found is None:
            stderr.write(f"no upstream model is recorded for {args.reference!r} on "
                         f"{as_of.isoformat()}\n")
            return EXIT_ERROR
        record = {"name": found.name, "tag": found.tag, "model": found.model,
                  "external": found.external, "hosted": found.hosted,
                  "since": found.since.isoformat() if found.since else None,
                  "until": found.until.isoformat() if found.until else None,
                  "confidence": found.confidence, "service": found.service,
                  "source": found.source.model_dump(mode="json", exclude_none=True)}
        cloud = "  (a cloud tag: it runs on Ollama's hosted service)" if found.hosted else ""
        line = (f"{found.name}:{found.tag} -> "
                f"{found.model or 'not recorded'}{cloud}  "
                f"[{found.confidence}; {found.source.url}]")
        _emit(args, record, [line], stdout)
        return EXIT_OK
    data = []
    lines = []
    for name in sorted(catalog.ollama):
        for period in catalog.ollama[name]["tags"]:
            data.append({"name": name, **period})
            span = f"{period.get('since') or '...'} to {period.get('until') or 'now'}"
            lines.append(f"{name + ':' + ','.join(period['tags']):<40} "
                         f"{period.get('model') or 'not recorded':<48} {span}")
    _emit(args, data, lines, stdout)
    return EXIT_OK


def _write_facts(facts: Any, args: argparse.Namespace, stdout: TextIO) -> int:
    """One entry's facts with their sources, as JSON or YAML."""
    text = json.dumps(facts, ensure_ascii=False, indent=2) + "\n" if args.format == "json" \
        else dump_yaml(facts)
    write_output(text, args.output, stdout)
    return EXIT_OK
