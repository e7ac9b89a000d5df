"""`--format cyclonedx`: a CycloneDX 1.6 ML-BOM of the checked models, findings as properties.

Each model is a `machine-learning-model` component with its licenses; its resolved bases are
`pedigree.ancestors` and `dependencies`; each finding is an `openres-check:finding:<RULE>`
property, and each finding of the deployment an `openres-check:deployment-finding:<RULE>`
property of the BOM's metadata; where a scan found it is `evidence.occurrences`. Written as
plain JSON (cyclonedx-python-lib does not model ML-BOM fields yet), and validated against the
official schema in the tests.
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any, ClassVar

from openres_check._version import __version__
from openres_check.reporters._places import attributes_text, symbol
from openres_check.reporters.interface import OutputFormat, RenderOptions
from openres_check.sources.cyclonedx import MODEL_ID_PROPERTY

if TYPE_CHECKING:
    from collections.abc import Iterable

    from openres_check.lineage import ResolvedModel
    from openres_check.model.finding import Finding
    from openres_check.report import Report

__all__ = ["CycloneDxReporter"]

_SPDX_IDS = frozenset({"MIT", "Apache-2.0", "CC-BY-NC-4.0"})
_NAMESPACE = uuid.UUID("6f2c1a0e-6b1c-4f5e-9a51-0c0a3f3b9d11")


def _purl(model_id: str, *, hosted: bool = False) -> str | None:
    """A Hugging Face purl for a name the Hub could hold; none for a hosted API's model, a
    provider-prefixed name or a weights file, which the Hub does not name."""
    from openres_check.discovery._names import is_hub_repo  # noqa: PLC0415 - only here

    if hosted or not is_hub_repo(model_id):
        return None
    return f"pkg:huggingface/{model_id}"


def _license_entries(model: ResolvedModel, report: Report) -> list[dict[str, Any]]:
    entries = []
    seen = set()
    for term in model.facts["effective_terms"]:
        if term["inherited"] or term["license"] in seen:
            continue
        seen.add(term["license"])
        spdx = (term.get("ids") or {}).get("spdx")
        if spdx in _SPDX_IDS:
            entries.append({"license": {"id": spdx, "acknowledgement": "declared"}})
            continue
        body: dict[str, Any] = {"name": term.get("name") or term["license"],
                                "acknowledgement": "declared"}
        if isinstance(term.get("url"), str) and term["url"].startswith("http"):
            body["url"] = term["url"]
        entries.append({"license": body})
    del report
    return entries


def _component(model: ResolvedModel, report: Report) -> dict[str, Any]:
    descriptor = model.descriptor
    component: dict[str, Any] = {
        "type": "machine-learning-model",
        "bom-ref": model.id,
        "name": descriptor.name or model.id,
    }
    purl = _purl(model.id, hosted=model.facts.get("hosted_service") is not None)
    if purl:
        component["group"], _, _name = model.id.partition("/")
        component["purl"] = purl
    component["publisher"] = descriptor.publisher.name
    licenses = _license_entries(model, report)
    if licenses:
        component["licenses"] = licenses
    ancestors = []
    for link in model.facts["lineage_chain"]:
        ancestor: dict[str, Any] = {"type": "machine-learning-model", "name": link["base"]}
        base_purl = _purl(link["base"])
        if base_purl:
            ancestor["purl"] = base_purl
        ancestors.append(ancestor)
    if ancestors:
        component["pedigree"] = {"ancestors": ancestors}
    occurrences = [_occurrence(place) for place in report.locations.get(model.id, [])]
    if occurrences:
        component["evidence"] = {"occurrences": occurrences}
    # The id as checked, for a model the purl cannot name (a hosted API's, a local file).
    properties = [{"name": MODEL_ID_PROPERTY, "value": model.id},
                  {"name": "openres-check:source", "value": model.origin}]
    properties += [
        {"name": f"openres-check:effective-license:{t['component']}",
         "value": f"{t['license']} via {' > '.join(t['via'])}"}
        for t in model.facts["effective_terms"]
    ]
    properties += _findings("finding", report.by_model.get(model.id, []))
    component["properties"] = properties
    return component


def _occurrence(place: dict[str, Any]) -> dict[str, Any]:
    """A place as CycloneDX 1.6 evidence. `offset` counts code points into the line from 0
    (our columns count from 1); the code and its attributes are the additional context."""
    occurrence: dict[str, Any] = {"location": place["path"], "line": place["line"],
                                  "offset": max(place["column"] - 1, 0)}
    name = symbol(place)
    if name:
        occurrence["symbol"] = name
    occurrence["additionalContext"] = "\n".join(filter(None, [place["text"],
                                                              attributes_text(place)]))
    return occurrence


def _findings(kind: str, findings: Iterable[Finding]) -> list[dict[str, str]]:
    return [{"name": f"openres-check:{kind}:{f.rule_id}",
             "value": f"{f.status} ({f.severity}): {f.message}"} for f in findings]


class CycloneDxReporter:
    format: ClassVar[OutputFormat] = OutputFormat.CYCLONEDX

    def render(self, report: Report, options: RenderOptions) -> str:  # noqa: ARG002
        components = [_component(m, report) for m in report.models]
        dependencies = [
            {"ref": m.id, "dependsOn": sorted({
                link["base"] for link in m.facts["lineage_chain"]
                if link["base"] in {x.id for x in report.models}})}
            for m in report.models
        ]
        body = {"components": components, "dependencies": dependencies}
        serial = uuid.uuid5(_NAMESPACE, json.dumps(body, sort_keys=True, ensure_ascii=False))
        bom = {
            "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "serialNumber": f"urn:uuid:{serial}",
            "version": 1,
            "metadata": {
                "timestamp": report.generated_at,
                "tools": {"components": [{"type": "application", "name": "openres-check",
                                          "version": __version__}]},
                "properties": [
                    {"name": "openres-check:as-of", "value": report.as_of.isoformat()},
                    {"name": "openres-check:context-sha256", "value": report.context_sha256},
                    *({"name": f"openres-check:policy:{p.id}",
                       "value": f"{p.pack.version} sha256:{p.sha256}"}
                      for p in report.policies),
                    *({"name": f"openres-check:summary:{k}", "value": str(v)}
                      for k, v in report.summary.items()),
                    # The rules that read only the deployment hold for the run, not for one
                    # component: each once, here (a component lists its own findings).
                    *_findings("deployment-finding", report.deployment_findings),
                ],
            },
            **body,
        }
        return json.dumps(bom, indent=2, ensure_ascii=False) + "\n"
