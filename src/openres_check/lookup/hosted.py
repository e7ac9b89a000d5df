"""Hosted API endpoints: which service a host (or an API model name) belongs to.

The index is built from validated plain service data (`catalog/services/*.yaml`), so a run
that never looks a host up never turns a service into an object.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from openres_check.errors import Issue, Location
from openres_check.model.descriptor import HostedService

__all__ = ["HostedEndpoint", "HostedIndex", "host_of", "hosted_facts"]

_MAX_REFERENCE = 2048
_MAX_HOST = 253
_MAX_LABEL = 63
_LABEL_CHARS = frozenset(string.ascii_lowercase + string.digits + "-")
_CONFIDENCE_ORDER = ("verified", "secondary", "unverified")


@dataclass(frozen=True)
class HostedEndpoint:
    """What a hosted reference resolved to."""

    service: HostedService
    """The service's facts, in the shape of a descriptor's `hosted_service`."""
    service_id: str
    host: str | None
    """The host looked up (lower case), or None when only a model name was given."""
    api_model: str | None
    """The API model name as the service spells it (or as given, when the service does not
    list it)."""
    model: str | None
    """Canonical id of the weights the API model serves, where the provider says so."""


def host_of(text: str) -> str | None:
    """The lower-case host of a URL (`https://api.deepseek.com/v1`) or of a bare host
    (`API.DeepSeek.com:443`); None when `text` holds no valid host name."""
    value = text.strip().lower()
    if not value or len(value) > _MAX_REFERENCE:
        return None
    if "://" in value:
        value = value.split("://", 1)[1]
    elif value.startswith("//"):
        value = value[2:]
    for separator in "/?#":
        value = value.split(separator, 1)[0]
    value = value.rpartition("@")[2]  # user:password@host
    value = value.split(":", 1)[0].rstrip(".")  # port; a fully qualified name's final dot
    if not value or len(value) > _MAX_HOST:
        return None
    for label in value.split("."):
        if (not 0 < len(label) <= _MAX_LABEL or label[0] == "-" or label[-1] == "-"
                or not _LABEL_CHARS.issuperset(label)):
            return None
    return value


def _weakest(levels: Iterable[str]) -> str:
    return max(levels, key=_CONFIDENCE_ORDER.index, default="verified")


def hosted_facts(data: dict[str, Any]) -> dict[str, Any]:
    """A service's plain data in the shape of a descriptor's `hosted_service`.

    The shape has one source and one confidence: the source is the data-location fact's (what
    the data-protection rules turn on), and the confidence is the weakest of the facts used, so
    that an unverified fact can only raise review.
    """
    operator = data["operator"]
    location = data["data_location"]
    training = data.get("trains_on_inputs") or {}
    law = data.get("governing_law") or {}
    terms = data.get("terms") or {}
    privacy = data.get("privacy") or {}
    used = [operator, location, *(f for f in (training, law, terms, privacy) if f)]
    return {
        "name": data["name"],
        "operator": operator["name"],
        "country": operator["country"],
        "data_location": list(location["countries"]),
        "governing_law": law.get("jurisdiction"),
        "trains_on_inputs": training.get("used"),
        "opt_out": training.get("opt_out"),
        "terms_url": terms.get("url"),
        "privacy_url": privacy.get("url"),
        "source": location["source"],
        "confidence": _weakest(str(f.get("confidence") or "verified") for f in used),
        "note": data.get("note"),
        "service": data["id"],
    }


def _current(periods: list[dict[str, Any]]) -> dict[str, Any]:
    """The API model entry in force now: the open-ended one, else the one that ended last."""
    open_ended = [p for p in periods if p.get("until") is None]
    if open_ended:
        return open_ended[0]
    return max(periods, key=lambda p: str(p["until"]))


class HostedIndex:
    """Hosts and API model names of every service, indexed once."""

    def __init__(self, services: dict[str, dict[str, Any]], origins: dict[str, str]) -> None:
        self._services = services
        self._hosts: dict[str, str] = {}
        self._wildcards: dict[str, str] = {}
        self._models: dict[str, dict[str, list[dict[str, Any]]]] = {}
        self._owners: dict[str, list[str]] = {}
        self._facts: dict[str, HostedService] = {}
        self.issues: list[Issue] = []
        for service_id in sorted(services):
            data = services[service_id]
            origin = origins.get(service_id, "catalog")
            for index, endpoint in enumerate(data["endpoints"]):
                host = str(endpoint["host"])
                table, key = ((self._wildcards, host[2:]) if host.startswith("*.")
                              else (self._hosts, host))
                owner = table.setdefault(key, service_id)
                if owner != service_id:
                    self.issues.append(Issue(
                        "ambiguous-host", f"host {host} of {service_id} is already a host of "
                        f"{owner}", Location(origin, ("endpoints", index, "host")),
                        "a host belongs to one service: remove it from one of them"))
            names = self._models.setdefault(service_id, {})
            for model in data.get("models", []):
                name = str(model["name"]).lower()
                if name not in names:
                    self._owners.setdefault(name, []).append(service_id)
                names.setdefault(name, []).append(model)
        for name, owners in sorted(self._owners.items()):
            families = {services[s].get("family") or s for s in owners}
            if len(families) > 1:
                self.issues.append(Issue(
                    "ambiguous-api-model", f"API model name {name!r} is listed by "
                    f"{', '.join(owners)}, which are not editions of one service family",
                    Location(origins.get(owners[-1], "catalog"), ("models",)),
                    "give the services one `family`, or remove the name from one of them"))

    def service_for_host(self, host: str) -> str | None:
        found = self._hosts.get(host)
        if found is not None:
            return found
        labels = host.split(".")
        for start in range(1, len(labels) - 1):
            found = self._wildcards.get(".".join(labels[start:]))
            if found is not None:
                return found
        return None

    def find(self, host: str | None, model: str | None) -> HostedEndpoint | None:
        found_host = host_of(host) if host is not None else None
        given = model.strip() if model is not None else ""
        wanted = given.lower() or None
        if found_host is not None:
            service_id = self.service_for_host(found_host)
        elif host is None and wanted is not None:
            owners = self._owners.get(wanted, [])
            # A name shared by regional editions says nothing about where data goes.
            service_id = owners[0] if len(owners) == 1 else None
        else:
            service_id = None
        if service_id is None:
            return None
        periods = self._models[service_id].get(wanted or "")
        served = _current(periods) if periods else None
        facts = self._facts.get(service_id)
        if facts is None:  # validated once per service, on its first lookup
            facts = HostedService.model_validate(hosted_facts(self._services[service_id]))
            self._facts[service_id] = facts
        return HostedEndpoint(
            service=facts,
            service_id=service_id,
            host=found_host,
            api_model=str(served["name"]) if served else given or None,
            model=served.get("model") if served else None,
        )
