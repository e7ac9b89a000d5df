"""What the subcommands share: exit codes, output writing, colour choice."""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TextIO, cast

from openres_check._inputs import read_paths
from openres_check.cli.helptext import tr
from openres_check.errors import OpenResCheckError, OutputError

__all__ = ["EXIT_ERROR", "EXIT_FAIL", "EXIT_OK", "SafeStream", "UsageError",
           "add_catalog_option", "add_project_option", "argv_lang", "locale_lang", "open_output",
           "output_path", "safe_stream", "use_color", "write_output"]

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_ERROR = 2


class UsageError(OpenResCheckError):
    """Bad command-line arguments."""


class SafeStream:
    """A text stream that shows untrusted text escaped (`openres_check._text.for_display`).

    The CLI wraps stdout and stderr in it, so no diagnostic and no listing can emit a raw
    control or bidi character, whatever a file held. Reports, which their reporter made safe
    already (the text reporter adds its own colours after escaping), go to `raw`.
    """

    def __init__(self, raw: TextIO, localize: Callable[[str], str] | None = None) -> None:
        self.raw = raw
        self.localize = localize
        """Translates diagnostics (`--lang ja`), before they are made safe to show."""

    def write(self, text: str) -> int:
        from openres_check._text import for_display  # noqa: PLC0415

        if self.localize is not None:
            text = self.localize(text)
        return self.raw.write(for_display(text))

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        isatty = getattr(self.raw, "isatty", None)
        return bool(isatty and isatty())

    def __getattr__(self, name: str) -> object:
        return getattr(self.raw, name)


def _raw(stream: TextIO) -> TextIO:
    return stream.raw if isinstance(stream, SafeStream) else stream


def safe_stream(stream: TextIO) -> TextIO:
    """`stream`, escaping what is written to it (once: a safe stream is not wrapped again)."""
    return stream if isinstance(stream, SafeStream) else cast("TextIO", SafeStream(stream))


def locale_lang(environ: Mapping[str, str] | None = None) -> str | None:
    """`ja` when the locale is Japanese (LC_ALL, then LC_MESSAGES, then LANG, as POSIX
    orders them); None when it says nothing we speak."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if value:
            return "ja" if value.lower().startswith("ja") else None
    return None


def argv_lang(argv: Sequence[str]) -> str | None:
    """The `--lang` given on the command line, read before argparse so that argparse's own
    errors can be shown in that language too."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


def add_catalog_option(parser: argparse.ArgumentParser, default: object = None) -> None:
    """`--catalog DIR`, which every command that reads the catalog takes."""
    parser.add_argument("--catalog", action="append", metavar="DIR", dest="catalogs",
                        default=default, help=tr("extra catalog folder (repeatable)",
                                                 "追加のカタログフォルダ（複数指定可）"))


def add_project_option(parser: argparse.ArgumentParser) -> None:
    """`--project FILE`, for the commands that read openres.yaml when no model is named."""
    parser.add_argument("--project", metavar="FILE", help=tr(
        "project file (default: ./openres.yaml when no MODEL is given)",
        "プロジェクトファイル（既定: MODEL を指定しない場合は ./openres.yaml）"))


def use_color(choice: str, stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def output_path(output: str, inputs: Iterable[str | Path] = ()) -> Path:
    """The file `output` names, symlinks followed. Refuses a path that would lose data.

    `inputs` are the files the command reads: writing over one of them would destroy it.
    """
    if not output.strip():
        raise OutputError("the output path is empty\n"
                          "hint: give a file name, or `-` for standard output")
    if output.endswith(("/", os.sep)):
        raise OutputError(f"cannot write {output}: the path ends with a separator\n"
                          f"hint: give a file name, such as {output}report.json")
    try:
        # Writing to a link's target keeps the link, as a plain open() would.
        target = Path(output).resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop before Python 3.13
        raise OutputError(f"cannot write {output}: {exc}") from None
    if target.is_dir():
        raise OutputError(f"cannot write {output}: it is a folder\n"
                          f"hint: give a file name, such as {Path(output) / 'report.json'}")
    if target.exists() and not target.is_file():
        # Renaming a temp file over a device or a FIFO would replace the node itself (as
        # root, that destroys /dev/null); writing into it is not atomic. Neither is an output.
        raise OutputError(f"cannot write {output}: it is a device, a FIFO or a socket, not a "
                          "file\nhint: give a regular file, or `-` for standard output")
    for source in (*inputs, *read_paths()):
        with contextlib.suppress(OSError):  # an input that cannot be stat'ed is not the output
            if target.samefile(source):
                raise OutputError(f"cannot write {output}: it is also an input ({source})\n"
                                  "hint: write the output to another file")
    return target


def _mode(target: Path) -> int:
    """An existing file keeps its permissions; a new one gets what a plain open() gives."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def open_output(output: str | None, stdout: TextIO, inputs: Iterable[str | Path] = (),
                *, safe: bool = False) -> Iterator[TextIO]:
    """Standard output, or a temp file beside `output` that replaces it only when the block
    completes: on any error the temp file goes and an existing output stays as it was.

    What is written is escaped for display unless `safe` says a reporter did that already.
    """
    if output is None or output == "-":
        yield _raw(stdout) if safe else safe_stream(stdout)
        return
    target = output_path(output, inputs)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                    dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror}\n"
                          "hint: check that the folder exists and is writable") from None
    temp = Path(name)
    try:
        mode = _mode(target)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle if safe else safe_stream(handle)
        temp.chmod(mode)  # mkstemp creates the file private
        temp.replace(target)
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror}") from None
    finally:
        temp.unlink(missing_ok=True)


def write_output(text: str, output: str | None, stdout: TextIO,
                 inputs: Iterable[str | Path] = (), *, safe: bool = False) -> None:
    """Write to stdout, or atomically to a file (see `open_output`)."""
    with open_output(output, stdout, inputs, safe=safe) as handle:
        handle.write(text)
