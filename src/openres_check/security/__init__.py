"""Artifact security: what loading a model's files would run, and whether they drifted.

Formats are read from content; pickles are analysed from their opcodes, never loaded, against
an allow-list per profile; remote code, chat templates and signatures are checked per
folder. The results are `SecurityFacts`, which the `security` pack judges.
"""

from __future__ import annotations

from openres_check.security.allowlist import Profile, allowed
from openres_check.security.folder import folder_files, folder_revision, scan_file, scan_folder
from openres_check.security.lock import drift, file_digest, hash_files, render_lock
from openres_check.security.locking import apply_lock, build_lock, load_lock
from openres_check.security.pickle_scan import Budget, PickleReport, analyse_pickle
from openres_check.security.references import reference_facts, reference_security

__all__ = [
    "Budget",
    "PickleReport",
    "Profile",
    "allowed",
    "analyse_pickle",
    "apply_lock",
    "build_lock",
    "drift",
    "file_digest",
    "folder_files",
    "folder_revision",
    "hash_files",
    "load_lock",
    "reference_facts",
    "reference_security",
    "render_lock",
    "scan_file",
    "scan_folder",
]
