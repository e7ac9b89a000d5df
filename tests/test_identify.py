"""License-text identification by shingle coverage, on texts written for these tests.

The two licenses below are composed for this project (no real license text is copied); the
real-text checks read the shared corpus and skip when it is absent.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openres_check import check
from openres_check._fingerprints import ManifestError, generate
from openres_check.catalog import Catalog, load_catalog
from openres_check.errors import InputError
from openres_check.identify.fingerprint import fingerprint_file, fingerprint_text, read_fingerprints
from openres_check.identify.matcher import Matcher

# Beside the checkout, as the SARIF schema test finds shared/external; or where the variable says.
CORPUS = Path(os.environ.get("OPENRES_CHECK_LICENSE_CORPUS") or (
    Path(__file__).resolve().parents[2] / "shared" / "corpus" / "licenses"))

OWN = """EXAMPLE COMMUNITY LICENSE, VERSION 1.0

Copyright (c) 2026 Example Labs

You may use, copy, change and share the Example Model and anything you make from it, for any
purpose, at no charge. When you share the model or a product that contains it, include a copy
of this license and keep the notice that names Example Labs as its author. You may not use the
name of Example Labs to promote your product without written consent. The model is given as it
is, without any promise that it works or fits a purpose, and Example Labs is not liable for any
loss that comes from using it. This license ends for anyone who sues Example Labs over the
model, from the day the suit is filed. Disputes are settled under the law of the place where
Example Labs has its seat.
"""
# The same license a year later: a new version number and one changed sentence.
OWN_V2 = OWN.replace("VERSION 1.0", "VERSION 2.0").replace(
    "for any\npurpose, at no charge", "for any\npurpose, at no charge, worldwide")
OTHER = """PLAIN SHARING TERMS

Anyone may read, run and pass on this work unchanged, and may build on it freely, as long as
every copy they pass on carries these terms in full and states what they changed. There is no
warranty of any kind. The authors accept no liability for what the work does or fails to do.
"""
CAP = ("If your products or services built on the Example Model earn more than 5 million US "
       "dollars in a year, you must first obtain a separate commercial license from Example "
       "Labs and show the words Powered by Example in your user interface.")


def _matcher(*entries: tuple[str, str]) -> Matcher:
    return Matcher(fingerprint_text(lid, "license", f"test:{lid}", text) for lid, text in entries)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return _matcher(("example-1.0", OWN), ("example-2.0", OWN_V2), ("plain-sharing", OTHER))


def test_an_exact_copy_is_exact(matcher: Matcher) -> None:
    found = matcher.identify(OWN)
    assert (found.license, found.confidence) == ("example-1.0", "exact")
    assert (found.file_coverage, found.license_coverage) == (1.0, 1.0)


@pytest.mark.parametrize("layout", [
    pytest.param(lambda t: " ".join(t.split()), id="reflowed into one line"),
    pytest.param(lambda t: t.upper(), id="upper case"),
    pytest.param(lambda t: "# " + t.replace("\n\n", "\n\n**").replace(". ", ".** "),
                 id="markdown"),
    pytest.param(lambda t: t.replace("Copyright (c) 2026 Example Labs",
                                     "Copyright (C) 2024-2026 Example Labs Inc., Someplace"),
                 id="another copyright line"),
    pytest.param(lambda t: "Model weights are provided under the following license.\n\n" + t,
                 id="a header line prepended"),
])
def test_layout_and_labels_do_not_change_the_identification(matcher: Matcher, layout: object
                                                            ) -> None:
    found = matcher.identify(layout(OWN))  # type: ignore[operator]
    assert (found.license, found.confidence) in {("example-1.0", "high"),
                                                 ("example-1.0", "exact")}


@pytest.mark.parametrize("where", ["end", "middle"])
def test_an_added_clause_is_modified_and_quoted_never_the_base(matcher: Matcher, where: str
                                                               ) -> None:
    text = OWN + "\n" + CAP + "\n" if where == "end" else OWN.replace(
        "Disputes are", CAP + " Disputes are")
    found = matcher.identify(text)
    assert found.license is None
    assert (found.confidence, found.base) == ("modified", "example-1.0")
    assert any("5 million US dollars" in quote for quote in found.added)
    assert found.file_coverage is not None
    assert found.file_coverage < 1.0
    assert found.license_coverage == 1.0


def test_a_header_that_states_terms_is_an_added_clause(matcher: Matcher) -> None:
    found = matcher.identify("Only for non-commercial research.\n\n" + OWN)
    assert (found.license, found.confidence) == (None, "modified")
    assert found.added == ("“Only for non-commercial research”",)


def test_quotes_are_bounded_and_free_of_control_characters(matcher: Matcher) -> None:
    added = "You must not use it \x1b[31mhere\u202e " + "or there " * 200
    found = matcher.identify(OWN.replace("Disputes are", added + "Disputes are"))
    assert found.confidence == "modified"
    assert all(len(q) <= 242 for q in found.added)
    assert not any(re.search(r"[\x00-\x1f\u202e]", q) for q in found.added)


def test_versions_are_told_apart(matcher: Matcher) -> None:
    assert matcher.identify(OWN_V2).license == "example-2.0"
    # Without version 2.0 in the registry, its text is a changed 1.0, never 1.0 itself.
    found = _matcher(("example-1.0", OWN)).identify(OWN_V2)
    assert (found.license, found.confidence, found.base) == (None, "modified", "example-1.0")


def test_a_part_of_a_license_is_not_that_license(matcher: Matcher) -> None:
    half = OWN[: len(OWN) // 2]
    found = matcher.identify(half)
    assert found.license is None


def test_a_text_that_leaves_out_a_sentence_is_not_the_license(matcher: Matcher) -> None:
    found = matcher.identify(OWN.replace(
        "You may not use the\nname of Example Labs to promote your product without written "
        "consent. ", ""))
    assert (found.license, found.confidence) == (None, "modified")
    assert found.omitted_words > 10


def test_unrelated_text_is_none(matcher: Matcher) -> None:
    found = matcher.identify("The quick brown fox jumps over the lazy dog. " * 20)
    assert (found.license, found.confidence, found.candidates) == (None, "none", ())


def test_two_registry_texts_that_are_the_same_are_ambiguous_unless_one_is_declared() -> None:
    twins = _matcher(("twin-a", OTHER), ("twin-b", OTHER))
    found = twins.identify(OTHER)
    assert (found.license, found.confidence, found.candidates) == (
        None, "ambiguous", ("twin-a", "twin-b"))
    assert twins.identify(OTHER, prefer="twin-b").license == "twin-b"


def test_use_policy_and_agreement_together_are_the_license() -> None:
    both = Matcher([fingerprint_text("example-1.0", "license", "test", OWN),
                    fingerprint_text("example-1.0", "policy", "test", OTHER)])
    assert both.identify(OWN + "\n\n" + OTHER).license == "example-1.0"


_NOISE = st.text(st.characters(exclude_categories=["Cs"]), max_size=400)


@given(_NOISE)
@settings(max_examples=200, deadline=None)
def test_arbitrary_text_never_crashes(text: str) -> None:
    found = _matcher(("example-1.0", OWN)).identify(text)
    assert found.confidence in {"exact", "high", "modified", "ambiguous", "none"}


@given(st.lists(st.sampled_from([" ", "  ", "\n", "\t", "\n\n", " - ", ", ", "**"]),
                min_size=1, max_size=4), st.booleans())
@settings(max_examples=60, deadline=None)
def test_identification_is_invariant_to_whitespace_case_and_punctuation(
        separators: list[str], upper: bool) -> None:
    words = OWN.split()
    rebuilt = "".join(w + separators[i % len(separators)] for i, w in enumerate(words))
    found = _matcher(("example-1.0", OWN)).identify(rebuilt.upper() if upper else rebuilt)
    assert found.license == "example-1.0"


def _own_catalog(root: Path) -> Path:
    folder = root / "own-catalog"
    (folder / "licenses").mkdir(parents=True)
    (folder / "fingerprints").mkdir()
    (folder / "licenses" / "example-1.0.yaml").write_text(
        "id: example-1.0\nname: Example Community License 1.0\n"
        "ids: {hf: [example-1.0]}\nsources: [{url: 'https://example.invalid/license'}]\n",
        encoding="utf-8")
    document = fingerprint_file("example-1.0", [
        fingerprint_text("example-1.0", "license", "test", OWN)])
    (folder / "fingerprints" / "example-1.0.json").write_text(json.dumps(document))
    # A fingerprint for an id the registry does not have stays inert.
    inert = fingerprint_file("example-2.0", [fingerprint_text("example-2.0", "license", "t",
                                                               OWN_V2)])
    (folder / "fingerprints" / "example-2.0.json").write_text(json.dumps(inert))
    return folder


def _statuses(report: object) -> dict[str, str]:
    return {f.rule_id: f.status for f in report.findings}  # type: ignore[attr-defined]


def test_a_user_catalog_fingerprint_identifies_its_license(tmp_path: Path) -> None:
    catalog = load_catalog([_own_catalog(tmp_path)])
    assert catalog.licenses.identify_text(OWN).license == "example-1.0"
    assert catalog.licenses.identify_text(OWN_V2).confidence == "modified"


def test_a_modified_text_under_its_base_tag_is_a_review_quoting_the_clause(
        tmp_path: Path) -> None:
    catalog = load_catalog([_own_catalog(tmp_path)])
    model = tmp_path / "model"
    model.mkdir()
    (model / "README.md").write_text("---\nlicense: example-1.0\n---\n# A model\n")
    (model / "LICENSE").write_text(OWN + "\n" + CAP + "\n")
    (model / "NOTICE").write_text(OWN + "\nThis product includes the Example Model.\n")
    report = check(str(model), {"use": {"commercial": True}}, ["license"], catalog=catalog,
                   lang="ja")
    statuses = _statuses(report)
    assert statuses["LIC-TEXT-MODIFIED"] == "review"
    assert statuses["LIC-TEXT-MISMATCH"] == "pass"
    finding = next(f for f in report.findings if f.rule_id == "LIC-TEXT-MODIFIED")
    assert "5 million US dollars" in finding.message
    assert "example-1.0 に変更を加えたもの" in finding.message
    files = {Path(f.path).name: f for f in report.models[0].descriptor.license_files}
    assert files["LICENSE"].identified is None
    assert files["LICENSE"].modified_from == "example-1.0"
    # The modified text is not taken for the base license's terms.
    assert "file:LICENSE" not in report.models[0].descriptor.licenses


def test_a_broken_fingerprint_file_is_a_located_error(tmp_path: Path) -> None:
    folder = _own_catalog(tmp_path)
    (folder / "fingerprints" / "example-1.0.json").write_text(json.dumps(
        {"id": "example-1.0", "format": "crc32-word-shingles-5",
         "texts": [{"kind": "license", "source": "x", "words": 3, "shingles": "!!"}]}))
    with pytest.raises(InputError) as raised:
        load_catalog([folder])
    assert raised.value.issues[0].location.path == ("texts", 0, "shingles")


def test_the_generator_refuses_a_text_that_is_not_the_one_listed(tmp_path: Path) -> None:
    (tmp_path / "own.txt").write_text(OWN)
    manifest = tmp_path / "refs.tsv"
    manifest.write_text("license_id\tkind\tfile\tsha256\tsource\n"
                        f"example-1.0\tlicense\town.txt\t{'0' * 64}\ttest\n")
    with pytest.raises(ManifestError, match="sha256"):
        generate(manifest, tmp_path, tmp_path / "catalog")


def test_the_generator_writes_fingerprints_that_identify_the_text(tmp_path: Path) -> None:
    import hashlib  # noqa: PLC0415

    (tmp_path / "own.txt").write_text(OWN)
    digest = hashlib.sha256(OWN.encode()).hexdigest()
    manifest = tmp_path / "refs.tsv"
    manifest.write_text("license_id\tkind\tfile\tsha256\tsource\n"
                        f"example-1.0\tlicense\town.txt\t{digest}\ttest\n"
                        f"example-1.0\tlicense\town.txt#until=written consent.\t{digest}\tcut\n")
    assert generate(manifest, tmp_path, tmp_path / "catalog") == {"example-1.0": 2}
    written = tmp_path / "catalog" / "fingerprints" / "example-1.0.json"
    assert "Example Labs" not in written.read_text()  # hashes, never the text
    fingerprints = read_fingerprints(json.loads(written.read_text()), str(written))
    assert Matcher(fingerprints).identify(OWN).license == "example-1.0"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the license corpus is read from the "
                    "workspace's shared/corpus")
@pytest.mark.parametrize(("name", "expected"), [
    ("llama2.LICENSE", "llama-2"), ("llama3.LICENSE", "llama-3"),
    ("llama3_1.LICENSE", "llama-3.1"), ("llama3_2.LICENSE", "llama-3.2"),
    ("llama3_3.LICENSE", "llama-3.3"), ("llama4.LICENSE", "llama-4"),
    ("llama3_1.USE_POLICY.md", "llama-3.1"), ("llama4.USE_POLICY.md", "llama-4"),
    ("deepseek-license-1.0.LICENSE-MODEL", "deepseek-license-1.0"),
    ("deepseek-v3.LICENSE-CODE", "mit"), ("qwen-code-apache.LICENSE", "apache-2.0"),
    ("tongyi-qianwen.LICENSE", "tongyi-qianwen"),
])
def test_real_texts_are_identified_by_version(catalog: Catalog, name: str, expected: str
                                              ) -> None:
    text = (CORPUS / name).read_text(encoding="utf-8")
    assert catalog.licenses.identify_text(text).license == expected
    # The same text with a revenue clause appended is never that license.
    changed = catalog.licenses.identify_text(text + "\n\n" + CAP)
    assert (changed.license, changed.base) == (None, expected)


@pytest.mark.parametrize(("tag", "expected"), [("apache-2.0", "fail"), ("example-1.0", "pass")])
def test_a_shipped_text_that_is_another_license_than_the_tag_fails(
        tmp_path: Path, tag: str, expected: str) -> None:
    catalog = load_catalog([_own_catalog(tmp_path)])
    model = tmp_path / "model"
    model.mkdir()
    (model / "README.md").write_text(f"---\nlicense: {tag}\n---\n# A model\n")
    (model / "LICENSE").write_text(OWN)
    (model / "LICENSE-CODE").write_text(OTHER)  # a code license never decides the rule
    report = check(str(model), {}, ["license"], catalog=catalog)
    assert _statuses(report)["LIC-TEXT-MISMATCH"] == expected


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the license corpus is read from the "
                    "workspace's shared/corpus")
@pytest.mark.parametrize(("tag", "expected"), [("apache-2.0", "fail"), ("llama3.1", "pass"),
                                               ("llama3.3", "fail")])
def test_a_real_llama_license_under_a_card_tag(catalog: Catalog, tmp_path: Path, tag: str,
                                               expected: str) -> None:
    model = tmp_path / "model"
    model.mkdir()
    (model / "README.md").write_text(f"---\nlicense: {tag}\n---\n# A model\n")
    (model / "LICENSE").write_bytes((CORPUS / "llama3_1.LICENSE").read_bytes())
    # Use policies never decide a mismatch, even one of another version.
    (model / "USE_POLICY.md").write_bytes((CORPUS / "llama3.USE_POLICY.md").read_bytes())
    report = check(str(model), {}, ["license"], catalog=catalog)
    assert _statuses(report)["LIC-TEXT-MISMATCH"] == expected


def test_placeholders_and_list_markers_are_layout() -> None:
    template = OWN.replace("Copyright (c) 2026 Example Labs", "Copyright (c) <year> <holder>")
    matcher = _matcher(("example-1.0", template))
    # A filled-in copy, and one whose placeholders are written another way.
    assert matcher.identify(OWN).license == "example-1.0"
    assert matcher.identify(template.replace("<year> <holder>", "[yyyy] [name]")
                            ).license == "example-1.0"
    listed = _matcher(("plain-sharing", OTHER.replace("There is", "(a) There is")))
    assert listed.identify(OTHER.replace("There is", "\n2. There is")).license == (
        "plain-sharing")


def test_a_number_right_after_the_title_is_never_a_label(matcher: Matcher) -> None:
    found = _matcher(("example-1.0", OWN)).identify(
        OWN.replace("Copyright (c) 2026 Example Labs", "Edition 3, for 50 seats."))
    assert (found.license, found.confidence) == (None, "modified")


def test_a_date_written_another_way_is_the_same_text_an_amount_is_not() -> None:
    dated = OWN.replace("VERSION 1.0", "VERSION 1.0, 15 January 2025")
    matcher = _matcher(("example-1.0", dated))
    assert matcher.identify(dated.replace("15 January 2025", "15/01/2025")).license == (
        "example-1.0")
    priced = _matcher(("example-1.0", OWN + "\nThe fee is 1.5 million dollars.\n"))
    found = priced.identify(OWN + "\nThe fee is 1.05 million dollars.\n")
    assert (found.license, found.confidence) == (None, "modified")


def test_fingerprints_travel_in_the_catalog_cache_and_a_change_rebuilds_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENRES_CHECK_CACHE_DIR", str(tmp_path / "cache"))
    folder = _own_catalog(tmp_path)
    first = load_catalog([folder], include_bundled=False)
    cached = load_catalog([folder], include_bundled=False)  # read back from the cache
    assert first.licenses.identify_text(OWN) == cached.licenses.identify_text(OWN)
    assert cached.licenses.identify_text(OWN).license == "example-1.0"
    # Regenerated fingerprints (here: of another text) are used at once, not the cached ones.
    (folder / "fingerprints" / "example-1.0.json").write_text(json.dumps(fingerprint_file(
        "example-1.0", [fingerprint_text("example-1.0", "license", "test", OTHER)])))
    changed = load_catalog([folder], include_bundled=False)
    assert changed.licenses.identify_text(OTHER).license == "example-1.0"
    assert changed.licenses.identify_text(OWN).license is None
