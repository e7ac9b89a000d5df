"""Reproducible benchmark: `python benchmarks/run.py [--records N] [--repeat K]`.

Measures, in one run, on this machine:

1. the cold single-model check (a new process: `openres-check check MODEL --context ...`)
   against bare `python -c "import pydantic, jsonschema, yaml"`;
2. whole `openres-check check --inventory` processes (one core, every bundled pack, the
   default compact output written to a file) over Hub-shaped inventories of 50,000 and
   500,000 records, most of them fine-tunes of a base no catalog knows (more than half with a
   distinct base) and a mix of real Hub license tags: wall and CPU time, records/s, peak RSS
   (from wait4, as /usr/bin/time reports it) and output bytes per record;
3. the same records through four of the same rules written in Rego and run by regopy
   (rego-cpp), the peer policy engine (optional: skipped when regopy is not installed).

It prints each figure and the ratios the performance targets are stated in.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTEXT = ROOT / "examples" / "context.yaml"

LICENSES = [  # (license tag, license_name, weight): a plausible mix of what the Hub holds
    ("apache-2.0", None, 30), ("mit", None, 18), ("llama3.1", None, 8), ("llama3.2", None, 5),
    ("llama3", None, 4), ("llama2", None, 3), ("gemma", None, 5), ("cc-by-nc-4.0", None, 4),
    ("other", "qwen-research", 2), ("other", "qwen", 2), ("other", "deepseek", 2),
    ("openrail", None, 2), ("creativeml-openrail-m", None, 2), ("other", "my-custom", 3),
    ("unknown", None, 2), (None, None, 8),
]
BASES = [
    "meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.2-3B-Instruct",
    "meta-llama/Llama-3.2-11B-Vision-Instruct", "Qwen/Qwen2.5-7B-Instruct",
    "Qwen/Qwen2.5-3B-Instruct", "Qwen/Qwen2.5-72B-Instruct", "mistralai/Mistral-7B-Instruct-v0.3",
    "google/gemma-2-9b-it", "deepseek-ai/DeepSeek-R1-Distill-Llama-8B",
    "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", "microsoft/phi-4", "some-user/private-base",
    None, None, None,
]
RELATIONS = [None, "finetune", "adapter", "quantized", "merge"]
PIPELINES = ["text-generation", "text-generation", "image-text-to-text", "text2text-generation"]


def make_hub_inventory(path: Path, records: int, seed: int = 11) -> float:
    """A Hub-shaped listing: most records are fine-tunes of a base no catalog knows (a long
    tail, more than half of them distinct), the rest of catalog bases or none. Returns the
    share of records whose base is distinct."""
    rng = random.Random(seed)
    weights = [w for *_, w in LICENSES]
    known = [b for b in BASES if b and not b.startswith("some-user")]
    distinct = 0
    with path.open("w", encoding="utf-8") as handle:
        for index in range(records):
            tag, name, _ = rng.choices(LICENSES, weights)[0]
            card: dict[str, object] = {}
            if tag:
                card["license"] = tag
            if name:
                card["license_name"] = name
            roll = rng.random()
            if roll < 0.62:  # a user's own base: its own fine-tune chain, never catalogued
                card["base_model"] = f"user{rng.randrange(records)}/base-model-{index}"
                distinct += 1
            elif roll < 0.70:  # a popular community base, shared by many
                card["base_model"] = f"community/popular-{rng.randrange(50)}"
            elif roll < 0.90:
                card["base_model"] = rng.choice(known)
            if "base_model" in card and (relation := rng.choice(RELATIONS)):
                card["base_model_relation"] = relation
            record = {"id": f"user{rng.randrange(records)}/model-{index}", "cardData": card,
                      "pipeline_tag": rng.choice(PIPELINES),
                      "tags": ["transformers", "safetensors"]}
            handle.write(json.dumps(record) + "\n")
    return distinct / max(records, 1)


def cli_run(path: Path, *extra: str) -> dict[str, float]:
    """One whole `check --inventory` process, output written to a file: wall and CPU time,
    peak RSS (from wait4, like /usr/bin/time) and output size."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.jsonl"
        command = [sys.executable, "-m", "openres_check", "check", "--inventory", str(path),
                   "--context", str(CONTEXT), "--as-of", "2026-06-01", "--output", str(out),
                   *extra]
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        _pid, _status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                "rss_mb": usage.ru_maxrss / 1024, "bytes": out.stat().st_size}


def timed_runs(command: list[str], repeat: int) -> float:
    times = []
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["NO_COLOR"] = "1"
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cold_check(repeat: int) -> tuple[float, float]:
    python = sys.executable
    # An installed wheel carries bytecode, as the dependencies do; a checkout run with
    # PYTHONDONTWRITEBYTECODE would recompile every module on every start. Compile once.
    import compileall

    compileall.compile_dir(str(ROOT / "src" / "openres_check"), quiet=1)
    bare = timed_runs([python, "-c", "import pydantic, jsonschema, yaml"], repeat)
    command = [python, "-m", "openres_check", "check", "Qwen/Qwen2.5-3B-Instruct",
               "--context", str(CONTEXT)]
    subprocess.run(command, stdout=subprocess.DEVNULL, check=False)  # fills the cache once
    return bare, timed_runs(command, repeat)


REGO = """
package openres
import rego.v1

commercial if input.context.use.commercial == true

deny contains "LIC-RESEARCH-ONLY" if {
  commercial
  some term in input.model.effective_terms
  term.commercial_use.scope == "research-only"
}

deny contains "LIC-NON-COMMERCIAL" if {
  commercial
  some term in input.model.effective_terms
  term.commercial_use.scope == "non-commercial"
}

deny contains "LIC-USER-THRESHOLD" if {
  commercial
  some term in input.model.effective_terms
  term.user_threshold.metric == "monthly_active_users"
  input.context.use.monthly_active_users > term.user_threshold.limit
}

review contains "LIC-LICENSE-UNKNOWN" if {
  some term in input.model.effective_terms
  term.known == false
}
"""


def rego_throughput(path: Path, limit: int) -> tuple[int, float] | None:
    """Four of the same rules in Rego, run by regopy over the same records' facts."""
    try:
        from regopy import Interpreter
    except ImportError:
        return None
    from openres_check.catalog import load_catalog
    from openres_check.inventory import PLACEHOLDER, _card_meta
    from openres_check.lineage import resolve_model
    from openres_check.model.context import Context
    from openres_check.sources.huggingface import Card, card_descriptor

    catalog = load_catalog()
    context = Context.from_file(CONTEXT).model_dump(mode="json")
    facts_by_signature: dict[str, dict[str, object]] = {}
    inputs = []
    with path.open(encoding="utf-8") as handle:
        for line in list(handle)[:limit]:
            record = json.loads(line)
            meta = _card_meta(record)
            key = json.dumps(meta, sort_keys=True)
            if key not in facts_by_signature:
                descriptor = card_descriptor(Card("bench", meta), PLACEHOLDER, catalog)
                facts = resolve_model(descriptor, "bench", catalog).facts
                facts_by_signature[key] = {"effective_terms": facts["effective_terms"]}
            model = {**facts_by_signature[key], "id": record["id"]}
            inputs.append(json.dumps({"model": model, "context": context}, default=str))
    interpreter = Interpreter()
    interpreter.add_module("openres", REGO)
    start = time.perf_counter()
    for document in inputs:
        interpreter.set_input_json(document) if hasattr(interpreter, "set_input_json") \
            else interpreter.set_input(json.loads(document))
        interpreter.query("d = data.openres.deny; r = data.openres.review")
    return len(inputs), time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[50_000, 500_000])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--bulk-repeat", type=int, default=3)
    parser.add_argument("--rego-records", type=int, default=5_000)
    args = parser.parse_args()

    bare, check = cold_check(args.repeat)
    print(f"cold single-model check: {check * 1000:.0f} ms; bare imports "
          f"{bare * 1000:.0f} ms; ratio {check / bare:.2f}x (target <= 2.5x)")

    with tempfile.TemporaryDirectory() as folder:
        per_record_cpu = None
        for records in args.records:
            inventory = Path(folder) / f"hub-{records}.jsonl"
            distinct = make_hub_inventory(inventory, records)
            runs = [cli_run(inventory) for _ in range(args.bulk_repeat)]
            best = min(runs, key=lambda r: r["cpu"])
            wall = statistics.median(r["wall"] for r in runs)
            per_record_cpu = per_record_cpu or best["cpu"] / records
            print(f"CLI check --inventory, {records:,} Hub-shaped records ({distinct:.0%} with "
                  f"a distinct unknown base), every pack, compact output written: "
                  f"wall {wall:.2f} s (median of {len(runs)}), CPU {best['cpu']:.2f} s "
                  f"(best) = {records / best['cpu']:,.0f} records/s per core "
                  f"({records / wall:,.0f}/s wall); peak RSS {best['rss_mb']:.0f} MB; "
                  f"{best['bytes'] / records:,.0f} bytes/record "
                  "(targets >= 30,000/s, <= 200 MB flat, <= 1 KB)")
        if args.records and args.rego_records > 0:
            inventory = Path(folder) / f"hub-{args.records[0]}.jsonl"
            rego = rego_throughput(inventory, args.rego_records)
            if rego is None:
                print("regopy: not installed (pip install regopy); comparison skipped")
            elif per_record_cpu:
                count, seconds = rego
                print(f"regopy, 4 rules: {count:,} records in {seconds:.2f} s = "
                      f"{count / seconds:,.0f} records/s; openres-check (whole process, "
                      f"every pack) is {seconds / count / per_record_cpu:.1f}x faster per "
                      "record (target >= 20x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
