"""The one place that knows where bundled data lives.

In a built wheel, hatchling copies the top-level `catalog/`, `policies/` and `schemas/`
folders into `openres_check/_data/`. In an editable install or a checkout, force-included
files are absent, so the checkout's top-level folders are used instead.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["bundled", "data_root"]

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_root() -> Path:
    """The folder that holds `catalog/`, `policies/` and `schemas/`."""
    packaged = _PACKAGE_DIR / "_data"
    if (packaged / "policies").is_dir():
        return packaged
    checkout = _PACKAGE_DIR.parent.parent
    if (checkout / "policies").is_dir() and (checkout / "catalog").is_dir():
        return checkout
    msg = "bundled data not found: reinstall openres-check"  # pragma: no cover
    raise FileNotFoundError(msg)  # pragma: no cover


def bundled(*parts: str) -> Path:
    """A path inside the bundled data, e.g. `bundled("policies")`."""
    return data_root().joinpath(*parts)
