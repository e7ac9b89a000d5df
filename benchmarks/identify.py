"""Held-out evaluation of license-text identification: `python benchmarks/identify.py FOLDER`.

FOLDER holds the real license files listed in `identify-heldout.tsv` (expected outcome, file
name, sha256, source URL at a commit). They are not committed and this script fetches nothing:
gather them from the listed sources first. Each file is checked against its sha256, then
identified twice: with the bundled registry as it is, and with every bundled fingerprint active
(as if every Hugging Face license id had its registry entry). Prints the outcome table and the
time for the whole folder.

An outcome is *right* when the expected registry id is identified, *wrong* when any other id is
identified (for an expected `modified` or `unknown` text, that is a silent pass), *modified*
when the text was reported as a modified registry text (a review), and *unidentified* when it
matched nothing (a review).

`--scancode FILE` adds ScanCode's verdicts from its JSON output
(`scancode --license --json FILE FOLDER`), scored the same way through the registry's crosswalk.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from openres_check.catalog import load_catalog  # noqa: E402
from openres_check.identify.fingerprint import read_fingerprints  # noqa: E402
from openres_check.identify.matcher import Matcher  # noqa: E402

MANIFEST = ROOT / "benchmarks" / "identify-heldout.tsv"


def read_manifest(folder: Path) -> list[tuple[str, Path, str]]:
    rows = []
    for line in MANIFEST.read_text(encoding="utf-8").splitlines()[1:]:
        expected, name, sha256, source, _note = line.split("\t")
        path = folder / name
        if hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
            raise SystemExit(f"{path}: not the file listed ({source})")
        rows.append((expected, path, source))
    return rows


def score(expected: str, identified: str | None, confidence: str) -> str:
    if identified:
        return "right" if identified == expected else "wrong"
    return "modified" if confidence == "modified" else "unidentified"


def table(title: str, outcomes: list[tuple[str, str, str]], seconds: float | None) -> None:
    counts = {k: sum(1 for o in outcomes if o[2] == k)
              for k in ("right", "wrong", "modified", "unidentified")}
    expected_ids = sum(1 for o in outcomes if o[0] not in ("modified", "unknown"))
    modified_expected = sum(1 for o in outcomes if o[0] == "modified")
    detected = sum(1 for o in outcomes if o[0] == "modified" and o[2] == "modified")
    timing = f", {seconds * 1000:.0f} ms for the folder" if seconds is not None else ""
    print(f"\n## {title} ({len(outcomes)} files{timing})")
    print(f"right {counts['right']} of {expected_ids} registry texts "
          f"({100 * counts['right'] / max(expected_ids, 1):.0f}% identified) | "
          f"wrong {counts['wrong']} | unidentified {counts['unidentified']} | "
          f"modified reported {counts['modified']} (of the {modified_expected} modified texts: "
          f"{detected} detected)")
    for expected, name, outcome, *detail in outcomes:
        if outcome != "right":
            print(f"  {outcome:12} expected {expected:22} {name} {' '.join(detail)}")


Outcome = tuple[str, str, str, str]


def run_matcher(rows: list[tuple[str, Path, str]], identify: object
                ) -> tuple[list[Outcome], float]:
    texts = [(e, p, p.read_bytes().decode("utf-8", errors="replace")) for e, p, _s in rows]
    start = time.perf_counter()
    results = [identify(text) for _e, _p, text in texts]  # type: ignore[operator]
    seconds = time.perf_counter() - start
    outcomes = []
    for (expected, path, _text), found in zip(texts, results, strict=True):
        detail = f"-> {found.license or found.base or '-'} ({found.confidence})"
        outcomes.append((expected, path.name, score(expected, found.license, found.confidence),
                         detail))
    return outcomes, seconds


def scancode_keys() -> dict[str, str]:
    """ScanCode key -> registry id, from the ScanCode texts the fingerprints were built from."""
    keys = {}
    for line in (ROOT / "benchmarks" / "fingerprint-references.tsv").read_text().splitlines()[1:]:
        license_id, _kind, _file, _sha, source = line.split("\t")
        if "scancode-licensedb" in source:
            keys[source.rsplit("/", 1)[1].removesuffix(".LICENSE")] = license_id
    # ScanCode's key for the Llama 4 agreement alone (the registry's names its text with the
    # use policy); counting it as anything but llama-4 would wrong ScanCode.
    keys["llama-4-cla-2025"] = "llama-4"
    # ScanCode keys for licenses whose registry entries carry no ScanCode id yet.
    keys["exaone-ai-model-1.1-nc"] = "exaone-1.1-nc"
    keys["flux-1-nc"] = "flux-1-dev-non-commercial"
    return keys


def scancode_outcomes(rows: list[tuple[str, Path, str]], output: Path) -> list[Outcome]:
    catalog = load_catalog()
    keys = scancode_keys()
    found = {Path(f["path"]).name: f for f in json.loads(output.read_text())["files"]}
    outcomes = []
    for expected, path, _source in rows:
        expression = (found.get(path.name) or {}).get("detected_license_expression") or ""
        ids = {keys.get(k) or catalog.licenses.resolve(k) or f"?{k}" for k in
               expression.replace("(", " ").replace(")", " ").split()
               if k not in ("and", "or", "with", "AND", "OR", "WITH")}
        known = {i for i in ids if not i.startswith("?")}
        if known == {expected} and known == ids:
            outcomes.append((expected, path.name, "right", f"-> {expression}"))
        elif known - {expected}:
            outcomes.append((expected, path.name, "wrong", f"-> {expression}"))
        else:  # nothing, or only licenses outside the registry and the Hub list
            outcomes.append((expected, path.name, "unidentified", f"-> {expression or '-'}"))
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--scancode", type=Path, help="ScanCode's --json output for FOLDER")
    args = parser.parse_args()
    rows = read_manifest(args.folder)
    start = time.perf_counter()
    catalog = load_catalog()
    registry = catalog.licenses
    registry.matcher()
    compile_seconds = time.perf_counter() - start
    outcomes, seconds = run_matcher(rows, registry.identify_text)
    print(f"catalog load + fingerprint compile: {compile_seconds * 1000:.0f} ms")
    table("bundled registry as it is", outcomes, seconds)
    everything = Matcher(fp for path in sorted((ROOT / "catalog" / "fingerprints").glob("*.json"))
                         for fp in read_fingerprints(json.loads(path.read_text()), str(path)))
    # The same registry (its exact hashes too), with the fingerprints of ids it lacks active.
    registry._matcher = everything  # noqa: SLF001 - a what-if the registry has no switch for
    outcomes, seconds = run_matcher(rows, registry.identify_text)
    table(f"every bundled fingerprint active ({len(everything.fingerprints)} texts)",
          outcomes, seconds)
    table("every fingerprint active, without the files taken from ScanCode's license database",
          [o for o in outcomes if "-scancode-" not in o[1]], None)
    if args.scancode:
        outcomes = scancode_outcomes(rows, args.scancode)
        table("ScanCode on the same files (license expression, via the crosswalk)",
              outcomes, None)
        table("ScanCode, without the files taken from its own license database",
              [o for o in outcomes if "-scancode-" not in o[1]], None)


if __name__ == "__main__":
    main()
