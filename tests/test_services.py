"""Hosted-service descriptors and the Ollama mapping: integrity of the bundled data, the lookups
that `scan` resolves references with, and user overrides."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, CliResult
from openres_check import check
from openres_check._yaml import load_yaml
from openres_check.catalog import Catalog, load_catalog
from openres_check.errors import InputError
from openres_check.lookup import host_of, parse_ollama_reference
from openres_check.model.common import Fact
from openres_check.model.ollama import OllamaLibraryEntry
from openres_check.model.service import ServiceDescriptor
from test_catalog import facts

DAY = dt.timedelta(days=1)


def services(catalog: Catalog) -> Iterator[ServiceDescriptor]:
    for data in catalog.services.values():
        yield ServiceDescriptor.model_validate(data)


def ollama_entries(catalog: Catalog) -> Iterator[OllamaLibraryEntry]:
    for data in catalog.ollama.values():
        yield OllamaLibraryEntry.model_validate(data)


# -- integrity of the bundled data -------------------------------------------------------------


def test_the_required_providers_are_covered(catalog: Catalog) -> None:
    hosts = {"api.deepseek.com", "dashscope.aliyuncs.com", "dashscope-intl.aliyuncs.com",
             "api.moonshot.cn", "api.moonshot.ai", "open.bigmodel.cn", "api.z.ai",
             "api.minimax.io", "api.minimaxi.com"}
    assert {h for h in hosts if catalog.find_hosted(host=h) is None} == set()


def every_fact(catalog: Catalog) -> Iterator[tuple[str, Fact]]:
    for service in services(catalog):
        yield from facts(service, service.id)
    for entry in ollama_entries(catalog):
        yield from facts(entry, f"ollama:{entry.name}")


def test_every_fact_names_its_url_and_section(catalog: Catalog) -> None:
    found = list(every_fact(catalog))
    assert len(found) > 50
    assert [p for p, f in found
            if not f.source.url.startswith("https://") or not f.source.section] == []


def test_every_fact_read_from_a_source_quotes_it(catalog: Catalog) -> None:
    assert [p for p, f in every_fact(catalog)
            if f.confidence != "unverified" and not f.source.quote] == []


def test_every_mapped_model_is_in_the_catalog_or_marked_external(catalog: Catalog) -> None:
    mapped = [(f"{s.id}:{m.name}", m.model, m.external) for s in services(catalog)
              for m in s.models if m.model]
    mapped += [(f"{e.name}:{p.tags[0]}", p.model, p.external) for e in ollama_entries(catalog)
               for p in e.tags if p.model]
    wrong = [(where, model) for where, model, external in mapped
             if (catalog.find(model) is None) != external]
    assert wrong == []
    # Names are written as the catalog spells them, so that resolution needs no guessing.
    assert [m for _, m, external in mapped
            if not external and getattr(catalog.find(m), "id", None) != m] == []


def test_no_host_api_model_name_or_ollama_tag_is_ambiguous(catalog: Catalog) -> None:
    assert catalog.build_lookups() == []


def test_dated_periods_run_forwards(catalog: Catalog) -> None:
    backwards = [f"{s.id}:{m.name}" for s in services(catalog) for m in s.models
                 if m.since and m.until and m.since >= m.until]
    backwards += [f"{e.name}:{p.tags}" for e in ollama_entries(catalog) for p in e.tags
                  if p.since and p.until and p.since >= p.until]
    assert backwards == []


def test_each_api_model_name_has_one_current_entry(catalog: Catalog) -> None:
    for service in services(catalog):
        current: dict[str, int] = {}
        for model in service.models:
            current[model.name] = current.get(model.name, 0) + (model.until is None)
        assert all(n <= 1 for n in current.values()), service.id


@pytest.mark.parametrize(("folder", "schema"), [("services", "service"), ("ollama", "ollama")])
def test_files_validate_against_the_published_schemas(folder: str, schema: str) -> None:
    validator = jsonschema.Draft202012Validator(
        json.loads((ROOT / "schemas" / f"{schema}.schema.json").read_text()))
    paths = sorted((ROOT / "catalog" / folder).glob("*.yaml"))
    assert paths
    errors = [f"{path.name}: {e.message}" for path in paths
              for e in validator.iter_errors(
                  json.loads(json.dumps(load_yaml(path).data, default=str)))]
    assert errors == []


# -- hosted lookup -----------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["api.deepseek.com", "API.DeepSeek.COM",
                                  "https://api.deepseek.com/v1", "https://api.deepseek.com",
                                  "http://user:key@api.deepseek.com:443/chat?x=1",
                                  "api.deepseek.com.", "//api.deepseek.com/anthropic"])
def test_find_hosted_reads_urls_and_bare_hosts(catalog: Catalog, host: str) -> None:
    endpoint = catalog.find_hosted(host=host)
    assert endpoint is not None
    assert endpoint.service_id == "deepseek"
    assert endpoint.host == "api.deepseek.com"


def test_the_host_decides_the_region_and_its_data_location(catalog: Catalog) -> None:
    mainland = catalog.find_hosted(host="https://dashscope.aliyuncs.com/compatible-mode/v1",
                                   model="qwen-plus")
    international = catalog.find_hosted(
        host="https://dashscope-intl.aliyuncs.com/compatible-mode/v1", model="QWEN-PLUS")
    assert mainland is not None
    assert international is not None
    assert mainland.service.data_location == ["CN"]
    assert international.service.data_location == ["SG"]
    assert international.api_model == "qwen-plus"
    # A name both editions offer says nothing about where data goes.
    assert catalog.find_hosted(model="qwen-plus") is None


def test_workspace_hosts_match_their_region_by_wildcard(catalog: Catalog) -> None:
    endpoint = catalog.find_hosted(host="https://ws-1a2b.ap-southeast-1.maas.aliyuncs.com/api/v1")
    assert endpoint is not None
    assert endpoint.service_id == "alibaba-model-studio-intl"
    assert catalog.find_hosted(host="ap-southeast-1.maas.aliyuncs.com") is None
    assert catalog.find_hosted(host="evil-api.deepseek.com.example.org") is None


def test_an_unknown_host_is_unknown_whatever_the_model(catalog: Catalog) -> None:
    # A reseller's gateway is not DeepSeek's service, even for DeepSeek's model names.
    assert catalog.find_hosted(host="https://openrouter.example/api/v1",
                               model="deepseek-chat") is None
    assert catalog.find_hosted(host="not a host", model="deepseek-chat") is None
    assert catalog.find_hosted() is None


def test_a_model_name_of_one_service_finds_it_without_a_host(catalog: Catalog) -> None:
    endpoint = catalog.find_hosted(model="Deepseek-Reasoner")
    assert endpoint is not None
    assert endpoint.service_id == "deepseek"
    assert endpoint.host is None
    assert endpoint.api_model == "deepseek-reasoner"


def test_the_served_model_is_the_current_mapping(catalog: Catalog) -> None:
    chat = catalog.find_hosted(host="api.deepseek.com", model="deepseek-chat")
    assert chat is not None
    current = [m for m in next(s for s in services(catalog) if s.id == "deepseek").models
               if m.name == "deepseek-chat" and m.until is not None]
    latest = max(current, key=lambda m: m.until or dt.date.min)
    assert chat.model == latest.model


def test_a_known_host_with_an_unlisted_model_keeps_the_service(catalog: Catalog) -> None:
    endpoint = catalog.find_hosted(host="api.deepseek.com", model="private-finetune")
    assert endpoint is not None
    assert endpoint.service.operator.startswith("Hangzhou DeepSeek")
    assert endpoint.model is None
    assert endpoint.api_model == "private-finetune"


def test_a_service_with_an_unverified_fact_is_unverified_as_a_whole(
        write: Callable[[str, str], Path]) -> None:
    # The descriptor shape has one confidence: one unverified fact may then only raise review.
    law = ("governing_law: {jurisdiction: US, confidence: unverified, "
           "source: {url: 'https://example.com/terms', section: '9'}}\n")
    write("user/services/sure.yaml", service_yaml("sure", "api.sure.example"))
    folder = write("user/services/unsure.yaml",
                   service_yaml("unsure", "api.unsure.example") + law).parent.parent
    user = load_catalog([folder])
    sure = user.find_hosted(host="api.sure.example")
    unsure = user.find_hosted(host="api.unsure.example")
    assert sure is not None
    assert unsure is not None
    assert sure.service.confidence == "verified"
    assert unsure.service.confidence == "unverified"
    assert unsure.service.governing_law == "US"


# -- descriptors take their hosted-service facts from the service entries ----------------------


def test_descriptors_naming_a_service_carry_its_facts(catalog: Catalog) -> None:
    endpoint = catalog.find_hosted(host="api.deepseek.com")
    assert endpoint is not None
    linked = [e.descriptor for e in catalog
              if e.descriptor.hosted_service is not None]
    assert {d.id for d in linked} >= {"deepseek-ai/DeepSeek-R1", "deepseek-ai/DeepSeek-V3"}
    assert all(d.hosted_service == endpoint.service for d in linked
               if getattr(d.hosted_service, "service", None) == "deepseek")


def test_vendor_api_findings_read_the_service_facts(catalog: Catalog) -> None:
    report = check("deepseek-ai/DeepSeek-R1", {
        "deployment": {"mode": "vendor-api"}, "organization": {"country": "JP"},
        "data": {"categories": ["personal"], "subject_regions": ["JP"]}},
        ["data-protection"], catalog=catalog)
    prc = next(f for f in report.findings if f.rule_id == "DP-JP-PRC-HOSTED")
    assert prc.status == "review"
    assert "DeepSeek API (DeepSeek Open Platform)" in prc.message


def service_yaml(service_id: str, host: str, country: str = "US") -> str:
    source = "{url: 'https://example.com/terms', section: '1', quote: 'x'}"
    return (f"id: {service_id}\nname: Example {service_id}\n"
            f"operator: {{name: Example Inc., country: {country}, source: {source}}}\n"
            f"endpoints: [{{host: {host}, source: {source}}}]\n"
            f"models: [{{name: {service_id}-chat, model: example/Example-7B, external: true, "
            f"source: {source}}}]\n"
            f"data_location: {{countries: [{country}], source: {source}}}\n"
            "sources: [{url: 'https://example.com'}]\n")


def test_a_user_catalog_overrides_a_service_and_adds_ollama_tags(
        write: Callable[[str, str], Path]) -> None:
    write("user/services/deepseek.yaml", service_yaml("deepseek", "api.deepseek.com", "JP"))
    folder = write("user/ollama/my-model.yaml", (
        "name: my-model\ntags:\n  - tags: [latest]\n    model: example/Example-7B\n"
        "    external: true\n    source: {url: 'https://example.com', section: card}\n"
        "sources: [{url: 'https://example.com'}]\n")).parent.parent
    user = load_catalog([folder])
    endpoint = user.find_hosted(host="api.deepseek.com", model="deepseek-chat")
    assert endpoint is not None
    assert endpoint.service.data_location == ["JP"]
    assert endpoint.model == "example/Example-7B"
    # The bundled descriptors that name the service now carry the user's facts.
    r1 = user.get("deepseek-ai/DeepSeek-R1").descriptor.hosted_service
    assert getattr(r1, "data_location", None) == ["JP"]
    tag = user.find_ollama("my-model", dt.date(2026, 1, 1))
    assert tag is not None
    assert tag.model == "example/Example-7B"


def test_a_host_claimed_by_two_services_is_a_located_error(
        write: Callable[[str, str], Path]) -> None:
    folder = write("user/services/copy.yaml",
                   service_yaml("copy", "api.deepseek.com")).parent.parent
    with pytest.raises(InputError) as exc:
        load_catalog([folder])
    issue = next(i for i in exc.value.issues if i.code == "ambiguous-host")
    assert issue.location.path == ("endpoints", 0, "host")


def test_an_invalid_service_file_is_a_located_error(write: Callable[[str, str], Path]) -> None:
    folder = write("user/services/bad.yaml", service_yaml("bad", "Not A Host")).parent.parent
    with pytest.raises(InputError) as exc:
        load_catalog([folder])
    assert [(i.location.source.endswith("bad.yaml"), i.location.line)
            for i in exc.value.issues] == [(True, 4)]


def test_a_descriptor_naming_an_unknown_service_is_a_located_error(
        write: Callable[[str, str], Path]) -> None:
    card = (ROOT / "catalog" / "models" / "deepseek" / "deepseek-r1.yaml").read_text()
    folder = write("user/models/r1.yaml", card.replace(
        "id: deepseek-ai/DeepSeek-R1\n", "id: example/R1-copy\n").replace(
        "aliases: [deepseek-r1, deepseek r1]\n", "").replace(
        "hosted_service: deepseek", "hosted_service: deepsek")).parent.parent
    with pytest.raises(InputError) as exc:
        load_catalog([folder])
    issue = next(i for i in exc.value.issues if i.code == "unknown-service")
    assert issue.hint == "did you mean deepseek?"
    assert issue.location.path == ("hosted_service",)


def test_a_descriptor_file_naming_a_service_is_judged_with_its_facts(
        catalog: Catalog, write: Callable[[str, str], Path]) -> None:
    card = (ROOT / "catalog" / "models" / "deepseek" / "deepseek-r1.yaml").read_text()
    path = write("r1-copy.yaml", card.replace("id: deepseek-ai/DeepSeek-R1\n",
                                              "id: example/R1-copy\n"))
    report = check(str(path), {"deployment": {"mode": "vendor-api"}},
                   ["data-protection"], catalog=catalog)
    recorded = next(f for f in report.findings if f.rule_id == "DP-VENDOR-SERVICE-UNKNOWN")
    assert recorded.status == "pass"
    unknown = write("r1-unknown.yaml", card.replace("id: deepseek-ai/DeepSeek-R1\n",
                                                    "id: example/R1-other\n").replace(
        "hosted_service: deepseek", "hosted_service: nowhere"))
    with pytest.raises(InputError, match="unknown hosted service"):
        check(str(unknown), {}, ["data-protection"], catalog=catalog)


# -- Ollama lookup -----------------------------------------------------------------------------

SWITCH = dt.date(2025, 5, 30)


@pytest.mark.parametrize(("as_of", "expected"), [
    (SWITCH - DAY, "deepseek-ai/DeepSeek-R1-Distill-Llama-8B"),
    (SWITCH, "deepseek-ai/DeepSeek-R1-0528-Qwen3-8B"),
    (dt.date(2026, 12, 1), "deepseek-ai/DeepSeek-R1-0528-Qwen3-8B"),
])
def test_a_retargeted_tag_resolves_by_date(catalog: Catalog, as_of: dt.date,
                                           expected: str) -> None:
    tag = catalog.find_ollama("deepseek-r1:8b", as_of)
    assert tag is not None
    assert tag.model == expected
    assert tag.since is None or tag.since <= as_of
    assert tag.until is None or as_of < tag.until


def test_the_default_tag_moved_too(catalog: Catalog) -> None:
    before = catalog.find_ollama("deepseek-r1", SWITCH - DAY)
    after = catalog.find_ollama("deepseek-r1", SWITCH)
    assert before is not None
    assert after is not None
    assert before.tag == after.tag == "latest"
    assert before.model == "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"
    assert after.model == "deepseek-ai/DeepSeek-R1-0528-Qwen3-8B"
    assert catalog.find(after.model) is not None  # the catalog describes the new upstream


def test_before_a_tag_existed_nothing_is_known(catalog: Catalog) -> None:
    assert catalog.find_ollama("deepseek-r1:8b", dt.date(2025, 1, 19)) is None
    assert catalog.find_ollama("deepseek-r1:8b", dt.date(2025, 1, 20)) is not None


@pytest.mark.parametrize("reference", [
    "gpt-oss:20b", "gpt-oss", "GPT-OSS:latest", "library/gpt-oss:20b",
    "registry.ollama.ai/library/gpt-oss:20b", "gpt-oss:20b@sha256:" + "ab" * 32,
    "gpt-oss:20b-q4_K_M", " gpt-oss:20b-fp16 "])
def test_every_reference_form_finds_the_tag(catalog: Catalog, reference: str) -> None:
    tag = catalog.find_ollama(reference, dt.date(2026, 1, 1))
    assert tag is not None
    assert tag.model == "openai/gpt-oss-20b"
    assert not tag.hosted


@pytest.mark.parametrize("reference", [
    "someone/gpt-oss:20b", "hf.co/openai/gpt-oss-20b", "example.com/library/gpt-oss:20b",
    "gpt-oss:7b", "no-such-model", "", "a/b/c/d", "gpt-oss:20b:extra"])
def test_what_the_mapping_does_not_hold_is_unknown(catalog: Catalog, reference: str) -> None:
    assert catalog.find_ollama(reference, dt.date(2026, 1, 1)) is None


def test_cloud_tags_are_marked_hosted(catalog: Catalog) -> None:
    tag = catalog.find_ollama("gpt-oss:120b-cloud", dt.date(2026, 1, 1))
    assert tag is not None
    assert tag.hosted
    assert tag.model == "openai/gpt-oss-120b"
    # The facts of the service it runs on are one lookup away.
    assert tag.service is not None
    endpoint = catalog.find_hosted(host="https://ollama.com")
    assert endpoint is not None
    assert endpoint.service_id == tag.service
    assert endpoint.service.trains_on_inputs is False
    local = catalog.find_ollama("gpt-oss:120b", dt.date(2026, 1, 1))
    assert local is not None
    assert local.service is None
    parsed = parse_ollama_reference("glm-4.6:cloud")
    assert parsed is not None
    assert parsed.hosted


# -- the parsers, on any input -----------------------------------------------------------------

part = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._-", min_size=1, max_size=20
               ).filter(lambda s: s[0] not in "._-")


@given(st.text(max_size=200))
def test_the_ollama_parser_never_raises_and_lowercases(text: str) -> None:
    parsed = parse_ollama_reference(text)
    if parsed is not None:
        assert parsed.name == parsed.name.lower()
        assert parsed.tag == parsed.tag.lower()
        assert ":" not in parsed.name


@given(part, part)
def test_every_ollama_form_of_one_name_parses_alike(name: str, tag: str) -> None:
    forms = [f"{name}:{tag}", f"library/{name}:{tag}",
             f"registry.ollama.ai/library/{name}:{tag}", f"{name.upper()}:{tag}"]
    parsed = {parse_ollama_reference(f) for f in forms}
    assert len(parsed) == 1
    only = parsed.pop()
    assert only is not None
    assert (only.name, only.tag, only.is_library) == (name, tag, True)
    bare = parse_ollama_reference(name)
    assert bare is not None
    assert bare.tag == "latest"


labels = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)


@given(st.lists(labels, min_size=2, max_size=5), st.integers(1, 65535),
       st.sampled_from(["", "/", "/v1", "/compatible-mode/v1?x=1#f"]))
def test_host_of_finds_the_host_of_any_url(parts: list[str], port: int, path: str) -> None:
    host = ".".join(parts)
    assert host_of(host) == host
    assert host_of(f"https://{host.upper()}:{port}{path}") == host


@given(st.text(max_size=300))
def test_host_of_never_raises(text: str) -> None:
    found = host_of(text)
    assert found is None or (found == found.lower() and " " not in found and "/" not in found)


# -- the command line --------------------------------------------------------------------------


def test_catalog_services_lists_and_shows_with_sources(cli: Callable[..., CliResult]) -> None:
    code, out, _ = cli("catalog", "services", "--format", "json")
    assert code == 0
    listed = {s["id"]: s for s in json.loads(out)}
    assert listed["deepseek"]["hosts"] == ["api.deepseek.com"]
    code, out, _ = cli("catalog", "services", "https://dashscope-intl.aliyuncs.com/v1",
                       "--format", "json")
    assert code == 0
    shown: dict[str, Any] = json.loads(out)
    assert shown["id"] == "alibaba-model-studio-intl"
    assert shown["data_location"]["source"]["section"]
    code, _, err = cli("catalog", "services", "deepsek")
    assert code == 2
    assert "deepseek" in err


def test_catalog_ollama_resolves_as_of_a_date(cli: Callable[..., CliResult]) -> None:
    code, out, _ = cli("catalog", "ollama", "deepseek-r1:8b", "--as-of", "2025-03-01",
                       "--format", "json")
    assert code == 0
    assert json.loads(out)["model"] == "deepseek-ai/DeepSeek-R1-Distill-Llama-8B"
    code, _, err = cli("catalog", "ollama", "deepseek-r1:8b", "--as-of", "2024-01-01")
    assert code == 2
    assert "2024-01-01" in err
    code, out, _ = cli("catalog", "ollama")
    assert code == 0
    assert "deepseek-r1:8b" in out


def test_validate_recognises_service_and_ollama_files(cli: Callable[..., CliResult],
                                                      write: Callable[[str, str], Path]) -> None:
    code, out, _ = cli("validate", str(ROOT / "catalog" / "services" / "deepseek.yaml"),
                       str(ROOT / "catalog" / "ollama" / "deepseek-r1.yaml"))
    assert code == 0
    assert out.splitlines()[0].endswith("valid service")
    assert out.splitlines()[1].endswith("valid ollama")
    broken = write("bad.yaml", "id: x\nname: y\noperator: {name: z}\nendpoints: []\n")
    code, out, _ = cli("validate", str(broken))
    assert code == 1
    assert "data_location" in out
