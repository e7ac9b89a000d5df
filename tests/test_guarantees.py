"""The standards the tool promises, each pinned by the smallest case that would break it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import CliResult
from openres_check import check
from openres_check.catalog import Catalog, load_catalog

Cli = Callable[..., CliResult]
Write = Callable[[str, str], Path]
SOURCE = {"url": "https://example.invalid/card"}
COMMERCIAL = {"use": {"commercial": True, "monthly_active_users": 1_000_000_000}}


def descriptor(model_id: str, licenses: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"id": model_id, "publisher": {"name": "Example"}, "sources": [SOURCE],
            "licenses": licenses, **extra}


def with_models(write: Write, *descriptors: dict[str, Any]) -> Catalog:
    """The bundled catalog plus a user catalog folder holding `descriptors`."""
    path = write("user-catalog/models/acme.yaml", json.dumps({"models": list(descriptors)}))
    return load_catalog([path.parent.parent])


def statuses(write: Write, model: dict[str, Any], context: dict[str, Any],
             *packs: str) -> dict[str, str]:
    report = check(model["id"], context, list(packs), as_of="2026-06-01",
                   catalog=with_models(write, model))
    return {f.rule_id: str(f.status) for f in report.findings}


def test_an_unverified_license_assignment_never_fails(write: Write) -> None:
    unverified = {"license": "qwen-research", "source": SOURCE, "confidence": "unverified"}
    found = statuses(write, descriptor("acme/unsure", {"weights": unverified}), COMMERCIAL,
                     "license")
    assert found["LIC-RESEARCH-ONLY"] == "review"
    verified = {"license": "qwen-research", "source": SOURCE}
    found = statuses(write, descriptor("acme/sure", {"weights": verified}), COMMERCIAL,
                     "license")
    assert found["LIC-RESEARCH-ONLY"] == "fail"


def test_an_unverified_permissive_license_does_not_pass_a_threshold(write: Write) -> None:
    # A license we only think is Apache-2.0 might still carry a user threshold.
    unverified = {"license": "apache-2.0", "source": SOURCE, "confidence": "unverified"}
    found = statuses(write, descriptor("acme/unsure", {"weights": unverified}), COMMERCIAL,
                     "license")
    assert found["LIC-USER-THRESHOLD"] == "review"


def test_an_attestation_closes_obligations_only(write: Write) -> None:
    model = descriptor("acme/custom", {"weights": {"license": "acme-custom", "source": SOURCE,
                                                   "confidence": "unverified"}})
    context = {**COMMERCIAL, "attestations": {"LIC-LICENSE-UNKNOWN": "we read it"}}
    # An unknown license is not a checklist item a team can tick: it stays to be decided.
    assert statuses(write, model, context, "license")["LIC-LICENSE-UNKNOWN"] == "review"


def test_a_derivative_inherits_its_bases_weights_terms_not_its_code_license(
        write: Write) -> None:
    catalog = with_models(
        write,
        descriptor("acme/base", {"weights": {"license": "qwen-research", "source": SOURCE},
                                 "code": {"license": "apache-2.0", "source": SOURCE}}),
        descriptor("acme/ft", {"weights": {"license": "mit", "source": SOURCE}},
                   lineage=[{"base": "acme/base", "relation": "finetune"}]))
    report = check("acme/ft", {}, ["license"], catalog=catalog)
    terms = {t["license"] for t in report.models[0].facts["effective_terms"]}
    assert terms == {"mit", "qwen-research"}


@pytest.mark.parametrize(("text", "candidates"), [
    # A phrase several licenses share names them all and decides nothing.
    ("The above copyright notice and this permission notice shall be included.",
     {"mit", "kimi-k2-modified-mit"}),
    # One distinctive phrase is a hint, never an identification.
    ("Our only modification part is that you say so.", {"kimi-k2-modified-mit"}),
])
def test_phrases_alone_never_identify_a_license_text(
        catalog: Catalog, text: str, candidates: set[str]) -> None:
    match = catalog.licenses.identify_text(text)
    assert (match.confidence, match.license) == ("none", None)
    assert candidates <= set(match.candidates)


def test_a_waiver_pinned_to_a_license_text_stops_when_the_text_changes(write: Write) -> None:
    folder = write("model/README.md", "---\nlicense: other\nlicense_name: qwen-research\n---\n"
                   ).parent
    write("model/LICENSE", "Qwen RESEARCH LICENSE AGREEMENT\n(an excerpt for the tests)\n")
    waiver = {"rule": "LIC-RESEARCH-ONLY", "reason": "signed", "approved_by": "Legal",
              "expires": "2099-01-01", "license_text_sha256": "0" * 64}
    report = check(str(folder), COMMERCIAL, ["license"], waivers=[waiver])
    finding = next(f for f in report.findings if f.rule_id == "LIC-RESEARCH-ONLY")
    assert finding.status == "fail"
    assert [n.state for n in report.waivers] == ["text-changed"]


def test_the_default_gate_is_high(cli: Cli, write: Write) -> None:
    # Llama 3.1 above 700 million users: a high-severity failure, not a critical one.
    context = write("ctx.yaml", "use: {commercial: true, monthly_active_users: 800000000}\n")
    model = "meta-llama/Llama-3.1-8B-Instruct"
    assert cli("check", model, "--context", str(context), "--policy", "license")[0] == 1
    assert cli("check", model, "--context", str(context), "--policy", "license",
               "--fail-on", "critical")[0] == 0
    project = write("openres.yaml", f"models: [{model}]\ncontext: ctx.yaml\n"
                    "policies: [license]\nfail_on: critical\n")
    assert cli("check", "--project", str(project))[0] == 0


def test_inventory_gate_follows_fail_on(cli: Cli, write: Write) -> None:
    # A high-severity failure: the default gate (high) stops it, critical lets it through.
    inventory = write("i.jsonl", '{"id": "meta-llama/Llama-3.1-8B-Instruct"}\n')
    context = write("ctx.yaml", "use: {commercial: true, monthly_active_users: 800000000}\n")
    base = ("check", "--inventory", str(inventory), "--context", str(context),
            "--policy", "license", "-o", str(inventory.with_suffix(".out")))
    assert cli(*base)[0] == 1
    assert cli(*base, "--fail-on", "critical")[0] == 0
    assert cli(*base, "--fail-on", "never")[0] == 0


def test_a_fact_nobody_recorded_cites_no_source(catalog: Catalog) -> None:
    report = check("Qwen/Qwen2.5-7B-Instruct", {"deployment": {"mode": "vendor-api"},
                                                "data": {"categories": ["personal"]},
                                                "organization": {"country": "JP"}},
                   ["data-protection"], catalog=catalog)
    evidence = [e for f in report.findings for e in f.evidence
                if e.fact.startswith("model.hosted_service.")]
    assert evidence
    assert all(e.source is None for e in evidence if e.value is None)
