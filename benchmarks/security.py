"""Security benchmark: `python benchmarks/security.py [--sidevenv DIR] [--megabytes N]`.

In one run, on this machine:

1. the pickle corpus of `tests/security_corpus.py` (built from opcodes, never by loading),
   scanned by openres-check and, side by side, by picklescan and modelscan when they are
   installed in a separate environment (`--sidevenv`, default /tmp/sec-sidevenv; never
   project dependencies: `python -m venv DIR && DIR/bin/pip install picklescan modelscan`).
   A tool that is not installed is skipped. Each tool's verdict per file is fail (it reports
   a dangerous callable), review (it reports an error or warning) or clean; the table counts
   missed attacks (expected fail, not fail), silent passes (expected fail or review, clean)
   and false positives (expected clean, not clean);
2. what a benign torch checkpoint of `--megabytes` (default 200) adds to `check` of its
   folder, against the same folder without it, plus the scanners' time on that file and the
   time `openres-check lock` takes to hash it.

Nothing here is a test: it prints figures; README records them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from openres_check import check  # noqa: E402
from openres_check.model.security import SecurityFacts  # noqa: E402
from openres_check.security import file_digest, scan_folder  # noqa: E402
from security_corpus import CORPUS, Sample, state_dict_pickle, torch_zip  # noqa: E402

FAILING = frozenset({"pickle-unsafe-callable", "format-mismatch", "chat-template"})
Verdict = Callable[[Path], str]


def ours(path: Path) -> str:
    facts: SecurityFacts = scan_folder(path.parent)
    kinds = {str(i.kind) for i in facts.issues}
    return "fail" if kinds & FAILING else "review" if kinds else "clean"


def _run(argv: list[str]) -> tuple[int, str]:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)
    return done.returncode, done.stdout + done.stderr


def picklescan(tool: Path) -> Verdict:
    def verdict(path: Path) -> str:
        code, out = _run([str(tool), "-p", str(path)])
        if "Infected files: 0" not in out and "Infected files:" in out:
            return "fail"
        if code != 0 or "ERROR" in out or "error" in out.lower():
            return "review"
        return "clean"
    return verdict


def modelscan(tool: Path) -> Verdict:
    def verdict(path: Path) -> str:
        code, _out = _run([str(tool), "-p", str(path)])
        # modelscan: 0 no issue, 1 issues found, 2 scan error, 3 nothing it could scan.
        return {0: "clean", 1: "fail", 2: "review", 3: "clean"}.get(code, "review")
    return verdict


def corpus_table(tools: dict[str, Verdict], folder: Path) -> list[str]:
    lines = ["| file | family | expected | " + " | ".join(tools) + " |",
             "|---|---|---|" + "---|" * len(tools)]
    missed = dict.fromkeys(tools, 0)
    silent = dict.fromkeys(tools, 0)
    false_positive = dict.fromkeys(tools, 0)
    for sample in CORPUS:
        path = _write(folder, sample)
        cells = []
        for name, tool in tools.items():
            got = tool(path)
            if sample.expected == "fail" and got != "fail":
                missed[name] += 1
            if sample.expected != "clean" and got == "clean":
                silent[name] += 1
            if sample.expected == "clean" and got != "clean":
                false_positive[name] += 1
            cells.append(got if got == sample.expected else f"**{got}**")
        lines.append(f"| {sample.name} | {sample.family} | {sample.expected} | "
                     + " | ".join(cells) + " |")
    attacks = sum(s.expected == "fail" for s in CORPUS)
    unsafe = sum(s.expected != "clean" for s in CORPUS)
    benign = sum(s.expected == "clean" for s in CORPUS)
    lines.append(f"| attacks missed (of {attacks}) | | | "
                 + " | ".join(str(missed[t]) for t in tools) + " |")
    lines.append(f"| unsafe reported clean (of {unsafe}) | | | "
                 + " | ".join(str(silent[t]) for t in tools) + " |")
    lines.append(f"| false positives (of {benign} benign) | | | "
                 + " | ".join(str(false_positive[t]) for t in tools) + " |")
    return lines


def _write(folder: Path, sample: Sample) -> Path:
    target = folder / sample.name.replace(".", "_")
    target.mkdir(parents=True, exist_ok=True)
    path = target / sample.name
    path.write_bytes(sample.content)
    return path


def big_checkpoint(folder: Path, megabytes: int) -> Path:
    """A state dict of 256 float tensors whose storages total `megabytes`."""
    count = 256
    numel = megabytes * 1024 * 1024 // 4 // count
    pickle = state_dict_pickle({f"layers.{i}.weight": numel for i in range(count)})
    chunk = os.urandom(numel * 4)
    path = folder / "pytorch_model.bin"
    path.write_bytes(torch_zip(pickle, {str(i): chunk for i in range(count)}))
    return path


def _best(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times) if repeat < 3 else statistics.median(times)


def timing(tools: dict[str, Path], megabytes: int, repeat: int, folder: Path) -> list[str]:
    with_weights = folder / "with"
    without = folder / "without"
    for target in (with_weights, without):
        target.mkdir()
        (target / "README.md").write_text("---\nlicense: apache-2.0\n---\n", encoding="utf-8")
    checkpoint = big_checkpoint(with_weights, megabytes)
    size = checkpoint.stat().st_size / 1e6

    def run_check(target: Path) -> Callable[[], object]:
        return lambda: check([str(target)])

    run_check(without)()  # warm: packs compiled and cached, modules imported
    base = _best(run_check(without), repeat)
    loaded = _best(run_check(with_weights), repeat)
    scan = _best(lambda: scan_folder(with_weights), repeat)
    digest = _best(lambda: file_digest(checkpoint), 1)
    lines = [f"benign torch checkpoint: {size:.0f} MB, 256 tensors",
             (f"check of the folder without it: {base * 1000:.0f} ms; with it: "
             f"{loaded * 1000:.0f} ms; added: {(loaded - base) * 1000:.0f} ms"),
             f"security scan of the folder alone: {scan * 1000:.1f} ms",
             f"sha256 of the checkpoint (openres-check lock): {digest * 1000:.0f} ms"]
    for name, tool in tools.items():
        start = time.perf_counter()
        _run([str(tool), "-p", str(checkpoint)])
        lines.append(f"{name} on the checkpoint (one process): "
                     f"{(time.perf_counter() - start) * 1000:.0f} ms")
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sidevenv", type=Path, default=Path("/tmp/sec-sidevenv"))
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    installed = {name: args.sidevenv / "bin" / name for name in ("picklescan", "modelscan")}
    installed = {name: path for name, path in installed.items() if path.exists()}
    for name in ("picklescan", "modelscan"):
        if name not in installed:
            print(f"{name}: not installed in {args.sidevenv}, skipped")
    verdicts: dict[str, Verdict] = {"openres-check": ours}
    if "picklescan" in installed:
        verdicts["picklescan 1.0.5"] = picklescan(installed["picklescan"])
    if "modelscan" in installed:
        verdicts["modelscan 0.8.8"] = modelscan(installed["modelscan"])
    with tempfile.TemporaryDirectory() as work:
        print("\n".join(corpus_table(verdicts, Path(work) / "corpus")))
        print()
        print("\n".join(timing(installed, args.megabytes, args.repeat,
                               Path(work))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
