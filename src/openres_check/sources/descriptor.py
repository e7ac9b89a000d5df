"""A descriptor YAML file written by hand (same schema as the catalog's)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from openres_check._loading import validate_document
from openres_check._yaml import load_yaml
from openres_check.model.descriptor import ModelDescriptor
from openres_check.sources.interface import LoadedModel

if TYPE_CHECKING:
    from openres_check.catalog import Catalog

__all__ = ["DescriptorFileSource"]


class DescriptorFileSource:
    name = "descriptor"

    def accepts(self, path: Path) -> bool:
        return path.is_file() and path.suffix in (".yaml", ".yml")

    def load(self, path: Path, catalog: Catalog) -> list[LoadedModel]:
        doc = load_yaml(path)
        descriptor = validate_document(ModelDescriptor, doc, "model descriptor")
        # `hosted_service: SERVICE-ID` takes the facts of the catalog's service.
        return [LoadedModel(catalog.linked(descriptor, str(path)), str(path))]
