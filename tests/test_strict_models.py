"""Every model that reads a user's file takes numbers and yes/no strictly (issue: fail closed).

Lax pydantic reads `monthly_active_users: true` as 1 user, so a threshold rule passes on a
typo; and `"yes"` or `1` as true. The walk below covers every field of every model, so a
field added later with a plain `bool`, `int` or `float` fails here.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

import openres_check.model
from openres_check._loading import validate
from openres_check.errors import InputError
from openres_check.model.common import Frozen
from openres_check.model.context import Context
from openres_check.model.waiver import WaiverFile


def _models() -> list[type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    for info in pkgutil.iter_modules(openres_check.model.__path__):
        module = importlib.import_module(f"openres_check.model.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Frozen) and cls is not Frozen:
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [found[k] for k in sorted(found)]


MODELS = _models()


def _accepts(adapter: TypeAdapter[Any], value: object) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


def _field_adapters(model: type[BaseModel]) -> list[tuple[str, TypeAdapter[Any]]]:
    model.model_rebuild()
    out = []
    for name, info in model.model_fields.items():
        annotation: Any = info.annotation
        if info.metadata:
            annotation = Annotated[(annotation, *info.metadata)]
        out.append((name, TypeAdapter(annotation)))
    return out


def test_the_walk_finds_the_models_that_read_user_files() -> None:
    names = {m.__name__ for m in MODELS}
    assert {"Context", "Use", "Waiver", "ProjectFile", "ModelDescriptor", "LicenseTerms",
            "PolicyPack", "Threshold"} <= names


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_no_field_coerces_booleans_or_strings(model: type[BaseModel]) -> None:
    lax = []
    for name, adapter in _field_adapters(model):
        takes_numbers = _accepts(adapter, 3) or _accepts(adapter, 2.5)
        takes_bools = _accepts(adapter, True)  # noqa: FBT003 - the probe is the value
        if takes_numbers and not takes_bools and _accepts(adapter, "3"):
            lax.append(f"{name} reads the string '3' as a number")
        if takes_numbers and takes_bools and not _accepts(adapter, "free text"):
            lax.append(f"{name} reads true as a number")
        if takes_bools and not takes_numbers:
            lax.extend(f"{name} reads {probe!r} as a boolean"
                       for probe in ("yes", "true", 1, 0) if _accepts(adapter, probe))
    assert not lax, f"{model.__name__}: " + "; ".join(lax)


@pytest.mark.parametrize(("section", "key", "value"), [
    ("use", "monthly_active_users", True),
    ("use", "monthly_active_users", "20000"),
    ("use", "monthly_revenue_usd", False),
    ("use", "commercial", "yes"),
    ("use", "commercial", 1),
    ("deployment", "public_facing", "true"),
    ("organization", "annual_revenue_usd", True),
])
def test_a_context_with_a_coercible_value_is_an_input_error(section: str, key: str,
                                                             value: object) -> None:
    with pytest.raises(InputError) as caught:
        Context.from_mapping({section: {key: value}}, "context.yaml")
    assert f"{section}.{key}" in caught.value.diagnostics()


def test_whole_numbers_still_read_as_amounts() -> None:
    context = Context.from_mapping({"use": {"monthly_revenue_usd": 250000}})
    assert context.use.monthly_revenue_usd == 250000


@pytest.mark.parametrize("field", ["reason", "approved_by", "rule"])
@pytest.mark.parametrize("blank", ["", "   ", "\t\n"])
def test_a_blank_waiver_field_is_missing(field: str, blank: str) -> None:
    waiver = {"rule": "LIC-RESEARCH-ONLY", "reason": "accepted by legal",
              "approved_by": "Sato", "expires": "2099-01-01", field: blank}
    with pytest.raises(InputError) as caught:
        validate(WaiverFile, {"waivers": [waiver]}, "waivers.yaml")
    assert f"waivers[0].{field}" in caught.value.diagnostics()
