"""Lookups that resolve what a scan finds: hosted API endpoints and Ollama library tags.

`Catalog.find_hosted` and `Catalog.find_ollama` are the entry points; the indexes here are
built once per catalog load, on first use, from the catalog's validated plain data.
"""

from openres_check.lookup.hosted import HostedEndpoint, HostedIndex, host_of, hosted_facts
from openres_check.lookup.ollama import (
    OllamaIndex,
    OllamaReference,
    OllamaTag,
    parse_ollama_reference,
)

__all__ = [
    "HostedEndpoint",
    "HostedIndex",
    "OllamaIndex",
    "OllamaReference",
    "OllamaTag",
    "host_of",
    "hosted_facts",
    "parse_ollama_reference",
]
