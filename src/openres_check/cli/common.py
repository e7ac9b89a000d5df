"""What the subcommands share: exit codes, output writing, colour choice."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TextIO

from openres_check.errors import OpenResCheckError, OutputError

__all__ = ["EXIT_ERROR", "EXIT_FAIL", "EXIT_OK", "UsageError", "use_color", "write_output"]

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_ERROR = 2


class UsageError(OpenResCheckError):
    """Bad command-line arguments."""


def use_color(choice: str, stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def write_output(text: str, output: str | None, stdout: TextIO) -> None:
    """Write to stdout, or atomically to a file: a temp file beside it, then a rename."""
    if output is None or output == "-":
        stdout.write(text)
        return
    target = Path(output)
    folder = target.parent if str(target.parent) else Path()
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror} (check that the folder "
                          "exists and is writable)") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        # mkstemp creates the file private; give it the permissions a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        Path(temp).chmod(0o666 & ~umask)
        Path(temp).replace(target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {output}: {exc.strerror}") from None
