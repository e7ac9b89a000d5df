"""openres-check: may we use this open model, here, in this way, and what must we do?

The curated public API. Everything else is internal and may change.
"""

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
]
