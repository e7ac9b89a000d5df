"""Generate the reference documents kept in `docs/`: the catalog table and the rule pages.

`python -m openres_check._docs docs` writes them; tests fail when the committed copies are
stale, so the documents always say what the data says.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from openres_check.catalog import Catalog, load_catalog
from openres_check.model.license import LicenseTerms
from openres_check.policies import load_policies
from openres_check.ruledocs import RuleRef, render_rule, render_rule_index

__all__ = ["catalog_digests", "entry_digest", "render_catalog", "render_rule_pages"]


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _derivatives(terms: LicenseTerms) -> str:
    """What the license says about sharing derivatives: share-alike, no-derivatives, patents."""
    said = []
    if terms.share_alike:
        network = " incl. network use" if terms.share_alike.network_use else ""
        said.append(f"share-alike ({terms.share_alike.scope}{network})")
    if terms.no_derivatives:
        said.append("no derivatives" + ("" if terms.no_derivatives.private_adaptations
                                        else " (none made)"))
    if terms.patent:
        said.append("patent grant" + (" with retaliation" if terms.patent.retaliation else "")
                    if terms.patent.grant else "no patent grant")
    return "; ".join(said) or "-"


def render_catalog(catalog: Catalog) -> str:
    publishers = {e.descriptor.publisher.name for e in catalog}
    lines = [
        "# Catalog",
        "",
        "Generated from `catalog/` by `python -m openres_check._docs docs`; do not edit.",
        "",
        (f"{len(catalog)} models from {len(publishers)} publishers, "
        f"{len(catalog.licenses)} licenses."),
        "",
        "## Licenses",
        "",
        "| id | name | Hugging Face ids | SPDX | commercial use | derivatives | confidence |",
        "|---|---|---|---|---|---|---|",
    ]
    for terms in catalog.licenses:
        hf = ", ".join(f"`{n}`" for n in [*terms.ids.hf, *terms.ids.hf_names]) or "-"
        scope = terms.commercial_use.scope if terms.commercial_use else "not recorded"
        lines.append(f"| `{terms.id}` | {_cell(terms.name)} | {hf} | "
                     f"{_cell(terms.ids.spdx or '-')} | {scope} | {_derivatives(terms)} | "
                     f"{terms.confidence} |")
    lines += [
        "",
        "## Models",
        "",
        "| id | publisher | kind | licenses | lineage |",
        "|---|---|---|---|---|",
    ]
    for entry in catalog:
        d = entry.descriptor
        licenses = ", ".join(f"{k}: `{v.license}`" for k, v in sorted(d.licenses.items()))
        lineage = ", ".join(f"{link.relation} of `{link.base}`" for link in d.lineage) or "-"
        country = f" ({d.publisher.country})" if d.publisher.country else ""
        lines.append(f"| `{d.id}` | {_cell(d.publisher.name)}{country} | {d.kind} | "
                     f"{licenses} | {lineage} |")
    lines += _services_section(catalog) + _ollama_section(catalog) + _changes_section(catalog)
    return "\n".join(lines) + "\n"


BASELINE = "catalog-baseline.json"
"""Digests of every entry at the last release, kept beside the generated catalog page."""


def entry_digest(data: dict[str, Any]) -> str:
    """A short digest of one validated entry: any change to a fact changes it."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def catalog_digests(catalog: Catalog) -> dict[str, str]:
    """`license:ID` and `model:ID` -> digest, for the changes section and its baseline."""
    digests = {f"license:{data['id']}": entry_digest(data) for data, _ in catalog.licenses.data()}
    digests.update({f"model:{entry.data['id']}": entry_digest(entry.data) for entry in catalog})
    return dict(sorted(digests.items()))


def _changes_section(catalog: Catalog) -> list[str]:
    from openres_check import _resources  # noqa: PLC0415

    path = _resources.data_root() / "docs" / BASELINE
    if not path.is_file():
        return []
    baseline = json.loads(path.read_text(encoding="utf-8"))
    before: dict[str, str] = baseline["entries"]
    now = catalog_digests(catalog)
    lines = ["", f"## Changed since {baseline['release']}", "",
             f"Against the digests of every entry in `docs/{BASELINE}`.", ""]
    for kind, title in (("license", "Licenses"), ("model", "Models")):
        added = [k for k in now if k.startswith(f"{kind}:") and k not in before]
        changed = [k for k in now if k in before and now[k] != before[k]]
        changed = [k for k in changed if k.startswith(f"{kind}:")]
        removed = [k for k in before if k.startswith(f"{kind}:") and k not in now]
        lines.append(f"### {title}: {len(added)} added, {len(changed)} changed, "
                     f"{len(removed)} removed")
        lines.append("")
        for label, keys in (("added", added), ("changed", changed), ("removed", removed)):
            lines.extend(f"- {label}: `{key.split(':', 1)[1]}`" for key in keys)
        lines.append("")
    return lines[:-1]


def _services_section(catalog: Catalog) -> list[str]:
    lines = ["", "## Hosted services", "",
             "| id | operator | hosts | data stored in | trains on inputs | governing law |",
             "|---|---|---|---|---|---|"]
    for service_id in sorted(catalog.services):
        data = catalog.services[service_id]
        operator = data["operator"]
        training = (data.get("trains_on_inputs") or {}).get("used")
        law = (data.get("governing_law") or {}).get("jurisdiction")
        hosts = ", ".join(f"`{e['host']}`" for e in data["endpoints"])
        lines.append(f"| `{service_id}` | {_cell(operator['name'])} ({operator['country']}) | "
                     f"{hosts} | {', '.join(data['data_location']['countries'])} | "
                     f"{'not recorded' if training is None else training} | {law or '-'} |")
    return lines


def _ollama_section(catalog: Catalog) -> list[str]:
    lines = ["", "## Ollama library tags", "",
             "| name:tag | upstream model | since | until | confidence |", "|---|---|---|---|---|"]
    for name in sorted(catalog.ollama):
        for period in catalog.ollama[name]["tags"]:
            tags = ", ".join(f"`{name}:{t}`" for t in period["tags"])
            model = f"`{period['model']}`" if period.get("model") else "not recorded"
            lines.append(f"| {tags} | {model} | {period.get('since') or '-'} | "
                         f"{period.get('until') or '-'} | {period['confidence']} |")
    return lines


def render_rule_pages() -> dict[str, str]:
    """docs/rules/<ID>.md for every bundled rule (English, then Japanese), plus an index."""
    packs = load_policies()
    pages = {"README.md": render_rule_index(packs)}
    for pack in packs:
        for compiled in pack.rules:
            ref = RuleRef(compiled.rule, pack, compiled.model_scoped)
            pages[f"{compiled.rule.id}.md"] = (
                "<!-- Generated from policies/ by `python -m openres_check._docs docs`. -->\n\n"
                + render_rule(ref, "en") + "\n---\n\n" + render_rule(ref, "ja"))
    return pages


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else Path("docs")
    target.mkdir(parents=True, exist_ok=True)
    (target / "catalog.md").write_text(render_catalog(load_catalog()), encoding="utf-8")
    rules = target / "rules"
    rules.mkdir(exist_ok=True)
    pages = render_rule_pages()
    for stale in rules.glob("*.md"):
        if stale.name not in pages:
            stale.unlink()
    for name, text in pages.items():
        (rules / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
