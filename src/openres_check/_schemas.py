"""Generate the published JSON Schemas from the data models.

`python -m openres_check._schemas DIR` writes them; a test fails when the committed copies in
`schemas/` are stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from openres_check.model.bulk import BulkLine
from openres_check.model.context import Context
from openres_check.model.descriptor import ModelDescriptor
from openres_check.model.license import LicenseTerms
from openres_check.model.ollama import OllamaLibraryEntry
from openres_check.model.policy import CONDITION_SCHEMA, QUANTIFIER_SCHEMA, PolicyPack
from openres_check.model.project import ProjectFile
from openres_check.model.report import ReportDocument
from openres_check.model.security import LockFile
from openres_check.model.service import ServiceDescriptor
from openres_check.model.waiver import WaiverFile

__all__ = ["SCHEMAS", "generate", "render"]

_BASE = "https://openres-check.invalid/schemas/"

SCHEMAS: dict[str, tuple[type[BaseModel], str, str]] = {
    "context": (Context, "validation", "Deployment context (DESIGN §3)"),
    "descriptor": (ModelDescriptor, "validation", "Model descriptor"),
    "license": (LicenseTerms, "validation", "License registry entry"),
    "ollama": (OllamaLibraryEntry, "validation", "Ollama library mapping (catalog/ollama)"),
    "policy": (PolicyPack, "validation", "Policy pack"),
    "project": (ProjectFile, "validation", "Project file (openres.yaml)"),
    "service": (ServiceDescriptor, "validation", "Hosted-service descriptor (catalog/services)"),
    "waivers": (WaiverFile, "validation", "Waivers file"),
    "lock": (LockFile, "validation", "Lock file (openres-check lock)"),
    "report": (ReportDocument, "serialization", "JSON report (openres-check check --format json)"),
    "bulk": (BulkLine, "serialization",
             "A line of openres-check check --inventory output (compact format)"),
}


def generate(name: str) -> dict[str, Any]:
    model, mode, title = SCHEMAS[name]
    schema = model.model_json_schema(by_alias=True, mode=mode)  # type: ignore[arg-type]
    if name == "policy":
        defs = schema.setdefault("$defs", {})
        defs["Condition"] = CONDITION_SCHEMA
        defs["Quantifier"] = QUANTIFIER_SCHEMA
        defs["FactRef"] = {"type": "object", "properties": {
            "fact": {"type": "string"}, "times": {"type": "number"}},
            "required": ["fact"], "additionalProperties": False}
        defs["SetRef"] = {"type": "object", "properties": {"set": {"type": "string"}},
                          "required": ["set"], "additionalProperties": False}
        schema = _link_conditions(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{_BASE}{name}.schema.json",
        **{k: v for k, v in schema.items() if k != "title"},
        "title": title,
    }


def _link_conditions(node: Any) -> Any:
    if isinstance(node, dict):
        if node.get("x-openres-condition"):
            return {"$ref": "#/$defs/Condition"}
        return {k: _link_conditions(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_link_conditions(v) for v in node]
    return node


def render(name: str) -> str:
    return json.dumps(generate(name), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else Path("schemas")
    target.mkdir(parents=True, exist_ok=True)
    for name in SCHEMAS:
        (target / f"{name}.schema.json").write_text(render(name), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
