"""`openres-check check --inventory FILE`: stream a bulk inventory as JSON Lines findings."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import multiprocessing
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from openres_check.cli.common import EXIT_ERROR, EXIT_FAIL, EXIT_OK, UsageError

__all__ = ["run_inventory"]

_CHUNK = 500
_WORKER: Any = None


def _checker(settings: dict[str, Any]) -> Any:
    from openres_check.catalog import load_catalog  # noqa: PLC0415
    from openres_check.inventory import InventoryChecker  # noqa: PLC0415
    from openres_check.model.context import Context  # noqa: PLC0415
    from openres_check.model.waiver import Waiver  # noqa: PLC0415
    from openres_check.policies import load_policies  # noqa: PLC0415

    return InventoryChecker(
        load_catalog(settings["catalogs"]), load_policies(settings["policies"]),
        Context.model_validate(settings["context"]), dt.date.fromisoformat(settings["as_of"]),
        settings["lang"], settings["params"], show_all=settings["show_all"],
        fail_on=settings["fail_on"], strict=settings["strict_gate"],
        context_source=settings["context_source"],
        waivers=[Waiver.model_validate(w) for w in settings["waivers"]])


def _init_worker(settings: dict[str, Any]) -> None:
    global _WORKER  # noqa: PLW0603 - one checker per worker process, built once
    _WORKER = _checker(settings)


def _work(chunk: list[tuple[int, str]]) -> Any:
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

    def __init__(self, stream: TextIO, total: int | None) -> None:
        self.stream = stream
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
        text = f"\r  {done:,} records  {rate:,.0f}/s"
        if self.total:
            remaining = max(self.total - line, 0) / max(line / max(now - self.start, 1e-9), 1)
            percent = line * 100 // max(self.total, 1)
            text += f"  {percent}%  ETA {int(remaining) // 60}:{int(remaining) % 60:02d}"
        self.stream.write(text + "   ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 70 + "\r")


def run_inventory(args: Any, settings: dict[str, Any], stdout: TextIO, stderr: TextIO) -> int:
    from openres_check.inventory import Outcome  # noqa: PLC0415

    if args.format not in ("jsonl", "text") and args.format is not None:
        raise UsageError(f"--inventory writes JSON Lines; --format {args.format} is for single "
                         "checks (use --format jsonl)")
    source = args.inventory
    handle: TextIO
    if source == "-":
        handle, total = sys.stdin, None
    else:
        path = Path(source)
        if not path.is_file():
            from openres_check.errors import InputError, Issue, Location  # noqa: PLC0415

            raise InputError(f"cannot read the inventory {source}", [Issue(
                "not-found", "no such file", Location(source), "pass a JSON Lines or YAML file")])
        handle = path.open(encoding="utf-8", errors="replace")
        total = _count_lines(path)
    progress = _Progress(stderr, total)
    summary = Outcome()
    jobs = max(1, int(args.jobs or 1))
    temp: Path | None = None
    with contextlib.ExitStack() as stack:
        if args.output in (None, "-"):
            out: TextIO = stdout
        else:
            # Streamed into a temp file beside the target, renamed when complete.
            target = Path(args.output)
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            temp = Path(name)
            out = stack.enter_context(os.fdopen(fd, "w", encoding="utf-8"))
        code = _stream(args, settings, handle, out, stderr, progress, summary, jobs)
    if temp is not None:
        if code == EXIT_ERROR:
            temp.unlink(missing_ok=True)
        else:
            temp.replace(Path(args.output))
    _write_summary(summary, stderr)
    if code is not None:
        return code
    return EXIT_FAIL if summary.gating else EXIT_OK


def _stream(args: Any, settings: dict[str, Any], handle: TextIO, out: TextIO, stderr: TextIO,
            progress: _Progress, summary: Any, jobs: int) -> int | None:
    from openres_check.inventory import iter_records  # noqa: PLC0415

    code: int | None
    try:
        chunks = _chunks(iter_records(handle))
        if jobs == 1:
            checker = _checker(settings)
            results: Iterator[Any] = (checker.run_chunk(chunk) for chunk in chunks)
            _summary, code = _drain(results, out, stderr, progress, summary, args.strict)
        else:
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            with multiprocessing.get_context(method).Pool(
                    jobs, initializer=_init_worker, initargs=(settings,)) as pool:
                results = pool.imap(_work, chunks, chunksize=1)
                _summary, code = _drain(results, out, stderr, progress, summary, args.strict)
    finally:
        progress.close()
        if handle is not sys.stdin:
            handle.close()
    return code


def _drain(results: Iterator[Any], out: TextIO, stderr: TextIO, progress: _Progress,
           summary: Any, strict: bool) -> tuple[Any, int | None]:
    last_line = 0
    for outcome in results:
        if outcome.lines:
            out.write("\n".join(outcome.lines) + "\n")
        for skipped in outcome.skipped:
            stderr.write(f"line {skipped.line}: skipped: {skipped.reason}\n")
            if strict:
                stderr.write("error: a malformed record with --strict stops the run\n")
                summary.merge(outcome)
                return summary, EXIT_ERROR
        summary.merge(outcome)
        outcome_lines = [s.line for s in outcome.skipped]
        last_line = max([last_line, *outcome_lines])
        progress.update(summary.records + len(summary.skipped), last_line or summary.records)
    return summary, None


def _write_summary(summary: Any, stderr: TextIO) -> None:
    stderr.write(f"{summary.records:,} records checked, {len(summary.skipped):,} skipped\n")
    stderr.write("findings by status: " + ", ".join(
        f"{k} {v:,}" for k, v in sorted(summary.statuses.items())) + "\n")
    stderr.write("findings by severity: " + ", ".join(
        f"{k} {v:,}" for k, v in sorted(summary.severities.items())) + "\n")
    top = summary.licenses.most_common(15)
    stderr.write("records by license: " + ", ".join(f"{k} {v:,}" for k, v in top) + "\n")
