"""The Ollama model store: `$OLLAMA_MODELS/manifests/HOST/NAMESPACE/MODEL/TAG`.

Each manifest (Docker manifest v2 JSON) names the model and lists its layers by digest; the
blobs sit in `blobs/sha256-<hex>` beside `manifests/`. The model layer is a GGUF file, whose
header is read (bounded) like any GGUF file's; the `application/vnd.ollama.image.license`
layer is the license text, kept for identification. A name on `hf.co` keeps the Hub repo id,
the only mapping to the Hub one can rely on.
"""

from __future__ import annotations

import json
from pathlib import Path

from openres_check._yaml import read_head
from openres_check.discovery.gguf import MAX_HEADER, GgufError, header_attributes, parse_gguf
from openres_check.discovery.interface import FoundReference, ReferenceKind, ScannedFile
from openres_check.errors import InputError

__all__ = ["OllamaStoreFinder", "blob_path", "store_name"]

_MODEL = "application/vnd.ollama.image.model"
_LICENSE = "application/vnd.ollama.image.license"
_ADAPTER = "application/vnd.ollama.image.adapter"
_DEFAULT_HOST = "registry.ollama.ai"
_MAX_MANIFEST = 1024 * 1024
_DEPTH = 5  # manifests/HOST/NAMESPACE/MODEL/TAG


def blob_path(models: Path, digest: str) -> Path | None:
    algorithm, _, hexdigest = digest.partition(":")
    if algorithm != "sha256" or len(hexdigest) != 64 or not hexdigest.isalnum():  # noqa: PLR2004
        return None
    return models / "blobs" / f"sha256-{hexdigest}"


def store_name(parts: tuple[str, ...]) -> tuple[str, ReferenceKind]:
    host, namespace, model, tag = parts
    if host in ("hf.co", "huggingface.co"):
        return f"hf.co/{namespace}/{model}:{tag}", ReferenceKind.MODEL
    if host == _DEFAULT_HOST:
        name = model if namespace == "library" else f"{namespace}/{model}"
        return f"{name}:{tag}", ReferenceKind.OLLAMA
    return f"{host}/{namespace}/{model}:{tag}", ReferenceKind.OLLAMA


class OllamaStoreFinder:
    name = "ollama-store"
    needles: tuple[bytes, ...] = (b"application/vnd.ollama.image",)
    head_only: int | None = _MAX_MANIFEST

    def wants(self, name: str, path: str, head: bytes) -> bool:  # noqa: ARG002 - the place
        if head[:1] != b"{" or "manifests" not in path:  # cheap tests first
            return False
        parts = Path(path).parts
        return len(parts) > _DEPTH and parts[-_DEPTH] == "manifests"

    def find(self, file: ScannedFile) -> list[FoundReference]:
        try:
            manifest = json.loads(file.data.decode("utf-8"))
            layers = [layer for layer in manifest["layers"] if isinstance(layer, dict)]
        except (ValueError, KeyError, TypeError, RecursionError) as exc:
            file.warn(f"not an Ollama manifest ({type(exc).__name__})")
            return []
        raw, kind = store_name(file.path.parts[-4:])
        models = file.path.parents[_DEPTH - 1]
        attributes: dict[str, str] = {}
        for layer in layers:
            media, digest = layer.get("mediaType"), str(layer.get("digest", ""))
            blob = blob_path(models, digest)
            if media == _MODEL:
                attributes["digest"] = digest
                if blob is not None and blob.is_file():
                    attributes.update(self._gguf(blob, file))
            elif media == _LICENSE and blob is not None and blob.is_file():
                attributes["_license_file"] = str(blob)
            elif media == _ADAPTER:
                attributes["adapter"] = digest
        return [FoundReference(
            raw=raw, kind=kind, path=file.relative, line=1, column=1,
            text=f"Ollama manifest {raw}", finder=self.name,
            attributes=tuple(sorted(attributes.items())))]

    def _gguf(self, blob: Path, file: ScannedFile) -> dict[str, str]:
        try:
            header = parse_gguf(read_head(blob, MAX_HEADER))
        except (GgufError, InputError) as exc:
            file.warn(f"the model layer {blob.name} has no readable GGUF header ({exc})")
            return {}
        return header_attributes(header.metadata)
