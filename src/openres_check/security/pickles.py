"""Raw pickles and legacy torch checkpoints, analysed from the file without loading it."""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING

from openres_check.model.security import IssueKind, SecurityIssue
from openres_check.security.allowlist import Profile
from openres_check.security.formats import Format
from openres_check.security.pickle_scan import PickleReport, analyse_pickle

if TYPE_CHECKING:
    from openres_check.security.interface import ScannedFile

__all__ = ["PickleScanner", "issues_from", "profile_for", "unanalysable"]

_TORCH_SUFFIXES = frozenset({".pt", ".pth", ".bin", ".ckpt", ".pt2", ".tar"})
_LEGACY_PICKLES = 5
"""Legacy torch.save: magic number, protocol version, sys info, the object, storage keys.
What follows is raw storage data, which torch reads by length and never unpickles."""


def profile_for(name: str) -> Profile:
    return Profile.TORCH if PurePath(name).suffix.lower() in _TORCH_SUFFIXES else Profile.JOBLIB


def unanalysable(file: str, member: str | None, why: str) -> SecurityIssue:
    return SecurityIssue(kind=IssueKind.PICKLE_UNANALYSABLE, file=file, member=member,
                         detail=why)


def issues_from(report: PickleReport, file: str, member: str | None,
                profile: Profile) -> list[SecurityIssue]:
    found = [SecurityIssue(
        kind=IssueKind.PICKLE_UNSAFE_CALLABLE, file=file, member=member, callable=name,
        detail=f"{name} (reached by {how}) is not on the {profile.value} allow-list")
        for name, how in report.unsafe]
    found.extend(unanalysable(file, member, problem) for problem in report.problems)
    return found


class PickleScanner:
    formats = frozenset({Format.PICKLE, Format.LEGACY_TORCH})

    def scan(self, file: ScannedFile) -> list[SecurityIssue]:
        legacy = file.format is Format.LEGACY_TORCH
        profile = Profile.TORCH if legacy else profile_for(file.relative)
        try:
            with file.path.open("rb") as stream:
                report = analyse_pickle(stream, profile, count=_LEGACY_PICKLES if legacy else 1,
                                        trailing_allowed=legacy)
        except OSError as exc:
            return [unanalysable(file.relative, None, f"cannot be read: {exc.strerror}")]
        return issues_from(report, file.relative, None, profile)
