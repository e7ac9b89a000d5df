"""Generate `catalog/fingerprints/<id>.json` from reference license texts kept outside the repo.

`python -m openres_check._fingerprints MANIFEST TEXTS CATALOG` reads MANIFEST, a tab-separated
table (license_id, kind, file, sha256, source) with a header row; each file is read from the
folder TEXTS, checked against its sha256 (so a rebuild from other copies cannot pass silently),
and fingerprinted. A file written `NAME#until=PHRASE` is fingerprinted up to the end of PHRASE
only: a variant without what follows (Apache 2.0 without its appendix). One JSON file per
license id is written to CATALOG/fingerprints/, replacing what was there for that id. The
texts are never written to the catalog, only shingle hashes.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from openres_check.identify.fingerprint import (
    KINDS,
    Fingerprint,
    fingerprint_file,
    fingerprint_text,
)
from openres_check.identify.matcher import Matcher

__all__ = ["generate", "main"]

_COLUMNS = ("license_id", "kind", "file", "sha256", "source")


class ManifestError(ValueError):
    pass


def generate(manifest: Path, texts: Path, catalog: Path) -> dict[str, int]:
    """Write the fingerprint files; the number of texts fingerprinted per license id (a text
    that the earlier texts of its id already identify is skipped)."""
    rows = manifest.read_text(encoding="utf-8").splitlines()
    if not rows or tuple(rows[0].split("\t")) != _COLUMNS:
        raise ManifestError(f"{manifest}:1: expected the header {' '.join(_COLUMNS)}")
    by_id: dict[str, list[Fingerprint]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not row.strip():
            continue
        cells = row.split("\t")
        if len(cells) != len(_COLUMNS) or cells[1] not in KINDS:
            raise ManifestError(f"{manifest}:{number}: expected {len(_COLUMNS)} cells, "
                                f"kind one of {', '.join(KINDS)}")
        license_id, kind, name, sha256, source = cells
        name, _, until = name.partition("#until=")
        data = (texts / name).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ManifestError(f"{manifest}:{number}: {name} is not the text listed "
                                f"(sha256 differs)")
        text = data.decode("utf-8", errors="replace")
        if until:  # a variant that ends after this line (e.g. without the appendix)
            cut = text.find(until)
            if cut < 0:
                raise ManifestError(f"{manifest}:{number}: {until!r} is not in {name}")
            text = text[:cut + len(until)]
        found = by_id.setdefault(license_id, [])
        # A copy that the texts kept so far already identify adds nothing but size.
        same_kind = [f for f in found if f.kind == kind]
        if same_kind and Matcher(same_kind).identify(text).license == license_id:
            continue
        found.append(fingerprint_text(license_id, kind, source, text))
    target = catalog / "fingerprints"
    target.mkdir(parents=True, exist_ok=True)
    for license_id, found in sorted(by_id.items()):
        document = json.dumps(fingerprint_file(license_id, found), indent=1, ensure_ascii=False)
        (target / f"{license_id}.json").write_text(document + "\n", encoding="utf-8")
    return {k: len(v) for k, v in sorted(by_id.items())}


def main(argv: list[str]) -> int:
    if len(argv) != 3:  # noqa: PLR2004 - MANIFEST TEXTS CATALOG
        sys.stderr.write(__doc__ or "")
        return 2
    try:
        counts = generate(Path(argv[0]), Path(argv[1]), Path(argv[2]))
    except (OSError, ManifestError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write(f"{sum(counts.values())} texts, {len(counts)} license ids\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
