"""License-text identification: how much of a text each registry text explains, and back.

`tokens` reads a text as words and hashed shingles, `fingerprint` stores a registry text as
those hashes (never the text), and `matcher` decides exact, high, modified, ambiguous or none.
"""

from openres_check.identify.fingerprint import Fingerprint, fingerprint_text, read_fingerprints
from openres_check.identify.matcher import Identification, Matcher

__all__ = ["Fingerprint", "Identification", "Matcher", "fingerprint_text", "read_fingerprints"]
