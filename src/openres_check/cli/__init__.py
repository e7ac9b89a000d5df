"""The command line: the only code that parses argv, prints, or chooses an exit status."""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import select
import stat
import sys
from collections.abc import Sequence
from typing import Any, TextIO, cast

from openres_check._inputs import track_reads
from openres_check._version import __version__
from openres_check.cli import catalog as catalog_cmd
from openres_check.cli import check as check_cmd
from openres_check.cli import explain as explain_cmd
from openres_check.cli import init as init_cmd
from openres_check.cli import lock as lock_cmd
from openres_check.cli import policy as policy_cmd
from openres_check.cli import scan as scan_cmd
from openres_check.cli import validate as validate_cmd
from openres_check.cli.common import (
    EXIT_ERROR,
    SafeStream,
    UsageError,
    argv_lang,
    locale_lang,
    safe_stream,
)
from openres_check.cli.helptext import JapaneseHelpFormatter, tr
from openres_check.errors import OpenResCheckError

__all__ = ["build_parser", "main", "run"]

# Write errors that come from where the output goes (a full disk, a failing device).
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT, errno.EROFS})


_COMMANDS = (check_cmd, scan_cmd, lock_cmd, catalog_cmd, policy_cmd, explain_cmd, init_cmd,
             validate_cmd)


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so `run()` stays testable."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")

    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        if message:
            raise UsageError(message.strip())
        raise _EarlyExit(status)


class _JapaneseParser(_Parser):
    """Formats help in Japanese. argparse makes each subcommand's parser `type(self)`, so
    the subcommands and their actions get this class too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", JapaneseHelpFormatter)
        super().__init__(*args, **kwargs)


class _EarlyExit(Exception):  # noqa: N818 - control flow for --help and --version
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; its help is in Japanese when `lang` is `ja`."""
    parser = (_JapaneseParser if lang == "ja" else _Parser)(
        prog="openres-check",
        description=tr("Check open-weight models against license, commercial-use, "
                       "data-protection and local-law policies.",
                       "オープンウェイトモデルを、ライセンス、商用利用、個人情報保護、自国の法令に"
                       "関するポリシーに照らして確認します。"),
    )
    parser.add_argument("--version", action="version", version=f"openres-check {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in _COMMANDS:
        command.register(sub)
    return parser


def run(argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    """Run one command; return the exit status (0 pass, 1 gate failed, 2 could not run).

    Everything written to `stdout` and `stderr` shows untrusted text escaped (see
    `SafeStream`); reports that their reporter made safe go to the stream underneath.
    """
    stdout = safe_stream(stdout)
    lang = argv_lang(argv) or locale_lang()
    if lang == "ja":
        from openres_check.cli.diagnostics_ja import localize  # noqa: PLC0415

        stderr = cast("TextIO", SafeStream(stderr.raw if isinstance(stderr, SafeStream)
                                           else stderr, localize))
    else:
        stderr = safe_stream(stderr)
    with track_reads():
        return _run(argv, stdout, stderr, lang)


def _help_argv(argv: Sequence[str]) -> list[str]:
    """`argv`, without `--lang` when it asks for help: the language is chosen already, and
    argparse would read a `--lang ja` before the subcommand (or one that the subcommand does
    not take) as an error rather than show the help."""
    args = list(argv)
    end = args.index("--") if "--" in args else len(args)
    head, tail = args[:end], args[end:]
    if not {"-h", "--help"} & set(head):
        return args
    kept: list[str] = []
    value = False
    for arg in head:
        if value or arg.startswith("--lang="):
            value = False
        elif arg == "--lang":
            value = True
        else:
            kept.append(arg)
    return kept + tail


def _run(argv: Sequence[str], stdout: TextIO, stderr: TextIO, lang: str | None) -> int:
    parser = build_parser(lang)
    try:
        try:
            # argparse prints --help and --version to sys.stdout itself: send them to `stdout`.
            with contextlib.redirect_stdout(stdout):
                args = parser.parse_args(_help_argv(argv))
        except _EarlyExit as early:
            return early.status
        if args.command is None:
            stdout.write(parser.format_help())
            return EXIT_ERROR
        status: int = args.handler(args, stdout, stderr)
    except UsageError as exc:
        stderr.write(f"{exc}\nhint: run `openres-check --help` for usage\n")
        return EXIT_ERROR
    except OpenResCheckError as exc:
        stderr.write(exc.diagnostics() + "\n")
        return EXIT_ERROR
    except BrokenPipeError:
        raise  # the reader went away: main() ends quietly; this is no bug
    except KeyboardInterrupt:
        stderr.write("interrupted\n")
        return EXIT_ERROR
    except OSError as exc:
        if exc.errno not in _OUTPUT_ERRNOS:
            return _internal_error(exc, stderr)
        # A full disk or a failing device under the output is the environment, not a bug;
        # and an output cut short must never pass a gate.
        stderr.write(f"error: cannot write the output: {exc.strerror or exc}\n"
                     "hint: free some space, or write to another file or device\n")
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a bug, not bad input
        return _internal_error(exc, stderr)
    return status


def _internal_error(exc: Exception, stderr: TextIO) -> int:
    if os.environ.get("OPENRES_CHECK_DEBUG"):
        raise exc
    stderr.write(f"internal error: {type(exc).__name__}: {exc}\n"
                 "hint: this is a bug in openres-check; run again with "
                 "OPENRES_CHECK_DEBUG=1 to see the traceback, and report it\n")
    return EXIT_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    """The console script's entry point."""
    try:
        status = run(sys.argv[1:] if argv is None else argv, sys.stdout, sys.stderr)
        sys.stdout.flush()  # a closed pipe shows up here when the output was buffered
        if _reader_gone(sys.stdout):
            return _drop_stdout()
    except OSError as exc:
        # `openres-check ... | head` stops quietly; a full disk says so. Either way the output
        # is incomplete, so the status is the contract's "could not do its job" (never 0, so
        # a gate cannot pass by accident).
        if not (isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE):
            sys.stderr.write(f"error: cannot write the output: {exc.strerror or exc}\n")
        return _drop_stdout()
    return status


def _reader_gone(stream: TextIO) -> bool:
    """Whether stdout is a pipe whose reader has closed it (`| head -1`).

    A pipe buffer can hold all of a report, so every write succeeded although nobody read
    it; the kernel flags the pipe (POLLERR) once its reader is gone.
    """
    try:
        fd = stream.fileno()
        if not stat.S_ISFIFO(os.fstat(fd).st_mode):
            return False
        poller = select.poll()
        poller.register(fd, select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):  # no descriptor (in tests), or no poll()
        return False


def _drop_stdout() -> int:
    # Point stdout at devnull so the interpreter's final flush does not fail again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_ERROR
