"""`.env` files: `MODEL_ID=...` and the like, with the file's API base URL.

A `KEY=VALUE` line whose key names a model (MODEL_ID, HF_MODEL_ID, LLM_MODEL, ...) is a
reference; `OPENAI_BASE_URL` / `OPENAI_API_BASE` / `*_BASE_URL` in the same file say which
server it is sent to.
"""

from __future__ import annotations

from openres_check.discovery._names import ENV_MODEL_KEY, is_model_name, line_text
from openres_check.discovery.interface import FoundReference, ReferenceKind, ScannedFile

__all__ = ["DotenvFinder"]

_MAX_KEY = 64


def _pairs(text: str) -> list[tuple[int, int, str, str]]:
    """(line, column of the value, key, value) of each assignment."""
    pairs = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        key = key.strip()
        value = value.split(" #", 1)[0].strip().strip("\"'")
        if key and len(key) <= _MAX_KEY:
            pairs.append((number, raw.find(value) + 1 if value else 1, key, value))
    return pairs


class DotenvFinder:
    name = "dotenv"
    needles: tuple[bytes, ...] = (b"MODEL",)
    head_only: int | None = None

    def wants(self, name: str, path: str, head: bytes) -> bool:  # noqa: ARG002 - the name
        return name == ".env" or name.startswith(".env.") or name.endswith(".env")

    def find(self, file: ScannedFile) -> list[FoundReference]:
        text = file.text()
        pairs = _pairs(text)
        base_url = next((value for _n, _c, key, value in pairs
                         if key.endswith(("BASE_URL", "API_BASE")) and value), None)
        found = []
        for number, column, key, value in pairs:
            if not ENV_MODEL_KEY.fullmatch(key) or "$" in value or not is_model_name(value):
                continue
            attributes = {"variable": key}
            if base_url:
                attributes["base_url"] = base_url
            found.append(FoundReference(
                raw=value, kind=ReferenceKind.MODEL, path=file.relative, line=number,
                column=column, text=line_text(text, number), finder=self.name,
                attributes=tuple(sorted(attributes.items()))))
        return found
