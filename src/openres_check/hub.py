"""Optional online mode (`--hub`, extra `[hub]`): fetch a model card and its license files.

Only the card, the license-like files and config.json are downloaded, at a pinned revision,
into the Hugging Face cache; the folder importer then reads them like any local model. The
network is touched only when the user asks for it, and never in tests.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

from openres_check.errors import InputError, Issue, Location

__all__ = ["ALLOW_PATTERNS", "fetch_model"]

ALLOW_PATTERNS = ["README.md", "LICENSE*", "LICENCE*", "license*", "USE_POLICY*", "NOTICE*",
                  "Notice*", "config.json"]


def _error(repo_id: str, message: str, hint: str) -> InputError:
    return InputError(f"cannot fetch {repo_id} from the Hugging Face Hub", [Issue(
        "hub-fetch", message, Location(repo_id), hint)])


def fetch_model(repo_id: str, revision: str | None = None) -> Path:
    """Download the card and license files of `repo_id`; return the snapshot folder.

    Raises `InputError` when the extra is not installed, when offline, or when the Hub refuses.
    """
    try:
        hub: Any = importlib.import_module("huggingface_hub")
    except ImportError:
        raise _error(repo_id, "the [hub] extra is not installed",
                     "pip install 'openres-check[hub]', or check a local folder instead") from None
    if os.environ.get("HF_HUB_OFFLINE", "").strip() not in ("", "0"):
        raise _error(repo_id, "HF_HUB_OFFLINE is set, so nothing can be fetched",
                     "unset HF_HUB_OFFLINE, or download the model and pass its folder")
    try:
        folder = hub.snapshot_download(repo_id=repo_id, revision=revision,
                                       allow_patterns=ALLOW_PATTERNS)
    except Exception as exc:  # noqa: BLE001 - every hub failure becomes one located input error
        raise _error(repo_id, f"{type(exc).__name__}: {exc}",
                     "check the repo id and revision, your network, and (for gated repos) "
                     "that you accepted the terms and are logged in") from None
    return Path(folder)
