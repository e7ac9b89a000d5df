"""openres-check: may we use this open model, here, in this way, and what must we do?

The curated public API. Everything else is internal and may change.
"""

from typing import Any

from openres_check._version import __version__
from openres_check.api import check
from openres_check.catalog import Catalog, load_catalog
from openres_check.errors import InputError, OpenResCheckError, OutputError, UnknownModelError
from openres_check.model.context import Context
from openres_check.model.finding import Finding, Status
from openres_check.model.policy import Severity
from openres_check.policies import load_policy
from openres_check.report import Report

__all__ = [
    "Catalog",
    "Context",
    "Finding",
    "InputError",
    "OpenResCheckError",
    "OutputError",
    "Report",
    "Severity",
    "Status",
    "UnknownModelError",
    "__version__",
    "check",
    "load_catalog",
    "load_policy",
    "scan",
]


def __getattr__(name: str) -> Any:
    """`scan` is imported when first used: a `check` run never loads the finders."""
    if name == "scan":
        from openres_check.discovery.run import scan  # noqa: PLC0415 - see above

        return scan
    raise AttributeError(name)
