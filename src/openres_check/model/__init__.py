"""The data models: frozen, validated, and the source of the published JSON Schemas."""

from openres_check.model.common import Confidence, Localized, Reference, Source
from openres_check.model.context import Context
from openres_check.model.descriptor import ModelDescriptor
from openres_check.model.finding import Evidence, Finding, Status
from openres_check.model.license import LicenseTerms
from openres_check.model.policy import Category, PolicyPack, Rule, Severity
from openres_check.model.project import ProjectFile
from openres_check.model.waiver import Waiver, WaiverFile

__all__ = [
    "Category",
    "Confidence",
    "Context",
    "Evidence",
    "Finding",
    "LicenseTerms",
    "Localized",
    "ModelDescriptor",
    "PolicyPack",
    "ProjectFile",
    "Reference",
    "Rule",
    "Severity",
    "Source",
    "Status",
    "Waiver",
    "WaiverFile",
]
