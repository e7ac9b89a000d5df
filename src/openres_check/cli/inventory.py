"""`openres-check check --inventory FILE`: stream a bulk inventory as JSON Lines.

By default one line per model (`--findings compact`, see `openres_check.compact`); with
`--findings full`, one line per finding.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from openres_check.cli.common import EXIT_ERROR, EXIT_FAIL, EXIT_OK, UsageError, open_output
from openres_check.errors import OpenResCheckError

__all__ = ["MAX_JOBS", "run_inventory"]

MAX_JOBS = 64
"""More worker processes than this is a typo, not a plan."""
_CHUNK = 500
_WORKER: Any = None


def _checker(settings: dict[str, Any]) -> Any:
    from openres_check.catalog import load_catalog  # noqa: PLC0415
    from openres_check.inventory import InventoryChecker  # noqa: PLC0415
    from openres_check.model.context import Context  # noqa: PLC0415
    from openres_check.model.waiver import Waiver  # noqa: PLC0415
    from openres_check.policies import load_policies  # noqa: PLC0415

    kind = InventoryChecker
    if settings.get("findings", "compact") == "compact":
        from openres_check.compact import CompactChecker  # noqa: PLC0415

        kind = CompactChecker
    return kind(
        load_catalog(settings["catalogs"]), load_policies(settings["policies"]),
        Context.model_validate(settings["context"]), dt.date.fromisoformat(settings["as_of"]),
        settings["lang"], settings["params"], show_all=settings["show_all"],
        fail_on=settings["fail_on"], strict=settings["strict_gate"],
        context_source=settings["context_source"],
        waivers=[Waiver.model_validate(w) for w in settings["waivers"]])


class _WorkerError(OpenResCheckError):
    """A worker could not start; carries the diagnostics as text, which always pickles."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def diagnostics(self) -> str:
        return self.text


def _init_worker(settings: dict[str, Any]) -> None:
    global _WORKER  # noqa: PLW0603 - one checker per worker process, built once
    try:
        _WORKER = _checker(settings)
    except Exception as exc:  # noqa: BLE001 - Pool restarts a worker whose initializer raises,
        # forever: keep the error and raise it from the first task, so the parent sees it.
        _WORKER = (_WorkerError(exc.diagnostics()) if isinstance(exc, OpenResCheckError)
                   else RuntimeError(f"{type(exc).__name__}: {exc}"))


def _work(chunk: list[tuple[int, str]]) -> Any:
    if isinstance(_WORKER, Exception):
        raise _WORKER
    return _WORKER.run_chunk(chunk)


def _chunks(records: Iterator[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    while chunk := list(itertools.islice(records, _CHUNK)):
        yield chunk


def _count_lines(path: Path) -> int | None:
    try:
        with path.open("rb") as handle:
            return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
    except OSError:
        return None


class _Progress:
    """A progress line on a terminal's stderr: records/s and ETA. Silent elsewhere."""

    def __init__(self, stream: TextIO, total: int | None, unit: str = "records") -> None:
        self.stream = stream
        self.unit = unit
        self.total = total
        self.enabled = bool(getattr(stream, "isatty", lambda: False)())
        self.start = time.monotonic()
        self.last = 0.0

    def update(self, done: int, line: int) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < 0.2:  # noqa: PLR2004
            return
        self.last = now
        rate = done / max(now - self.start, 1e-9)
        text = f"\r  {done:,} {self.unit}  {rate:,.0f}/s"
        if self.total:
            remaining = max(self.total - line, 0) / max(line / max(now - self.start, 1e-9), 1)
            percent = line * 100 // max(self.total, 1)
            text += f"  {percent}%  ETA {int(remaining) // 60}:{int(remaining) % 60:02d}"
        self.stream.write(text + "   ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 70 + "\r")


class _Stop(Exception):  # noqa: N818 - control flow: the run ends without a result
    """The run cannot give a result; any earlier output is kept as it was."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _open_inventory(source: str) -> tuple[TextIO, int | None]:
    """The inventory's lines and, for a file, how many there are (for the progress line)."""
    from openres_check.errors import InputError, Issue, Location  # noqa: PLC0415

    # Bytes that are not UTF-8 are kept as surrogates, so the record they are in is reported
    # with its line, instead of being judged on replacement characters.
    if source == "-":
        binary = getattr(sys.stdin, "buffer", None)
        if binary is None:  # a stdin replaced by text (in tests): nothing left to decode
            return sys.stdin, None
        # closefd=False: the wrapper is closed after the run; stdin itself stays open.
        stream = io.open(binary.fileno(), encoding="utf-8",  # noqa: SIM115, UP020 - closefd
                         errors="surrogateescape", closefd=False)
        return stream, None
    path = Path(source)
    try:
        if not path.is_file():
            raise InputError(f"cannot read the inventory {source}", [Issue(
                "not-found", "no such file", Location(source), "pass a JSON Lines or YAML file")])
        return path.open(encoding="utf-8", errors="surrogateescape"), _count_lines(path)
    except OSError as exc:
        raise InputError(f"cannot read the inventory {source}", [Issue(
            "unreadable", f"cannot read the file: {exc.strerror}", Location(source),
            "check the file's permissions")]) from None


def _require_records(summary: Any, source: str) -> None:
    # An empty or unreadable inventory checked nothing: that must not pass a gate.
    if not summary.records:
        raise _Stop(f"error: no record could be read from the inventory {source}\n"
                    "hint: write one JSON object per line, or a YAML stream of descriptors "
                    "or Hub listing records\n")


def run_inventory(args: Any, settings: dict[str, Any], stdout: TextIO, stderr: TextIO) -> int:
    from openres_check.inventory import Outcome  # noqa: PLC0415

    if args.format not in ("jsonl", None):
        raise UsageError(f"--inventory writes JSON Lines; --format {args.format} is for single "
                         "checks (use --format jsonl)")
    source = args.inventory
    summary = Outcome()
    jobs = 1 if args.jobs is None else int(args.jobs)
    if not 1 <= jobs <= MAX_JOBS:
        raise UsageError(f"--jobs {jobs}: give a number from 1 to {MAX_JOBS} (this machine "
                         f"has {os.cpu_count() or 1} CPUs; more processes than CPUs only cost "
                         "memory)")
    jobs = min(jobs, os.cpu_count() or 1)
    try:
        # The output is streamed into a temp file beside the target, renamed when complete.
        with open_output(args.output, stdout, [source], safe=True) as out:
            handle, total = _open_inventory(source)
            _stream(settings, handle, out, stderr, _Progress(stderr, total), summary, jobs,
                    source=source, stop_on_skip=args.strict)
            _require_records(summary, source)
    except _Stop as stop:
        _write_summary(summary, stderr)
        stderr.write(stop.message)
        return EXIT_ERROR
    _write_summary(summary, stderr)
    if summary.gating:
        return EXIT_FAIL
    if summary.skipped and not args.skip_invalid:
        # A record that could not be read was never judged: unknown, so the gate cannot pass.
        stderr.write(f"error: {len(summary.skipped):,} record(s) could not be read, so they "
                     "were not checked\nhint: fix the lines above, or pass --skip-invalid to "
                     "check the rest and let the gate decide on those alone\n")
        return EXIT_ERROR
    return EXIT_OK


def _stream(settings: dict[str, Any], handle: TextIO, out: TextIO, stderr: TextIO,
            progress: _Progress, summary: Any, jobs: int, *, source: str,
            stop_on_skip: bool) -> None:
    from openres_check._text import for_json  # noqa: PLC0415
    from openres_check.inventory import iter_records  # noqa: PLC0415

    try:
        chunks = _chunks(iter_records(handle))
        compact = settings.get("findings", "compact") == "compact"
        if jobs == 1:
            checker = _checker(settings)
            if compact:
                out.write(for_json(checker.header()) + "\n")
            results: Iterator[Any] = (checker.run_chunk(chunk) for chunk in chunks)
            _drain(results, out, stderr, progress, summary, source=source,
                   stop_on_skip=stop_on_skip)
        else:
            if compact:  # the run line comes first; the workers build their own checkers
                out.write(for_json(_checker(settings).header()) + "\n")
            import multiprocessing  # noqa: PLC0415 - only for --jobs

            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            with multiprocessing.get_context(method).Pool(
                    jobs, initializer=_init_worker, initargs=(settings,)) as pool:
                results = pool.imap(_work, chunks, chunksize=1)
                _drain(results, out, stderr, progress, summary, source=source,
                   stop_on_skip=stop_on_skip)
    finally:
        progress.close()
        if handle is not sys.stdin:
            handle.close()  # a file, or the wrapper over stdin's descriptor


def _drain(results: Iterator[Any], out: TextIO, stderr: TextIO, progress: _Progress,
           summary: Any, *, source: str, stop_on_skip: bool) -> None:
    from openres_check._text import for_json  # noqa: PLC0415

    label = "<stdin>" if source == "-" else source
    last_line = 0
    for outcome in results:
        if outcome.lines:
            text = "\n".join(outcome.lines)
            out.write((text if outcome.escaped else for_json(text)) + "\n")
        for skipped in outcome.skipped:
            stderr.write(f"{label}:{skipped.line}: skipped: {skipped.reason}\n")
            if stop_on_skip:
                summary.merge(outcome)
                raise _Stop("error: a malformed record with --strict stops the run\n")
        summary.merge(outcome)
        outcome_lines = [s.line for s in outcome.skipped]
        last_line = max([last_line, *outcome_lines])
        progress.update(summary.records + len(summary.skipped), last_line or summary.records)


def _write_summary(summary: Any, stderr: TextIO) -> None:
    stderr.write(f"{summary.records:,} records checked, {len(summary.skipped):,} skipped\n")
    stderr.write("findings by status: " + ", ".join(
        f"{k} {v:,}" for k, v in sorted(summary.statuses.items())) + "\n")
    stderr.write("findings by severity: " + ", ".join(
        f"{k} {v:,}" for k, v in sorted(summary.severities.items())) + "\n")
    top = summary.licenses.most_common(15)
    stderr.write("records by license: " + ", ".join(f"{k} {v:,}" for k, v in top) + "\n")
