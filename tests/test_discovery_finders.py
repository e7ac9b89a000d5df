"""Each finder on the ways people write model references, and the header parsers on hostile
bytes (property tests: arbitrary input never crashes, never hangs, never reads past its bound)."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gguf_writer import gguf
from openres_check.discovery import FINDERS, discover
from openres_check.discovery.gguf import GgufError, parse_gguf
from openres_check.discovery.ignore import Ignorer, parse_rules
from openres_check.discovery.safetensors import SafetensorsError, parse_safetensors

PYTHON = {
    "transformers_any_class": (('from transformers import AutoProcessor\n'
                               'p = AutoProcessor.from_pretrained("Qwen/Qwen2.5-VL-7B-Instruct")'),
                               "Qwen/Qwen2.5-VL-7B-Instruct"),
    "keyword_form": (('m = LlavaForConditionalGeneration.from_pretrained(\n'
                     '    pretrained_model_name_or_path="llava-hf/llava-1.5-7b-hf")'),
                     "llava-hf/llava-1.5-7b-hf"),
    "pipeline_positional": ('pipe = pipeline("text-generation", "microsoft/phi-4")',
                            "microsoft/phi-4"),
    "hub_download": (('hf_hub_download(repo_id="bartowski/Qwen2.5-7B-Instruct-GGUF", '
                     'filename="q4.gguf")'), "bartowski/Qwen2.5-7B-Instruct-GGUF"),
    "modelscope_snapshot": (('from modelscope import snapshot_download\n'
                            'snapshot_download("qwen/Qwen2.5-7B-Instruct")'),
                            "qwen/Qwen2.5-7B-Instruct"),
    "sentence_transformers": (('from sentence_transformers import SentenceTransformer\n'
                              'SentenceTransformer("BAAI/bge-m3")'), "BAAI/bge-m3"),
    "vllm": ('from vllm import LLM\nllm = LLM(model="mistralai/Mistral-7B-Instruct-v0.3")',
             "mistralai/Mistral-7B-Instruct-v0.3"),
    "litellm": ('import litellm\nlitellm.completion(model="ollama/llama3.1:8b", messages=[])',
                "ollama/llama3.1:8b"),
    "langchain_ollama": ('ChatOllama(model="qwen2.5:7b")', "qwen2.5:7b"),
    "constant": ('NAME: str = "google/gemma-3-4b-it"\nAutoModel.from_pretrained(NAME)',
                 "google/gemma-3-4b-it"),
    "environment_default": (('import os\nMODEL_ID = os.getenv("MODEL_ID", "org/default-a")\n'
                            'AutoModel.from_pretrained(MODEL_ID)'), "org/default-a"),
    "environ_get_default": (('import os\nAutoModel.from_pretrained('
                            'os.environ.get("MODEL", "org/default-b"))'), "org/default-b"),
}


def _references(tmp_path: Path, name: str, text: str) -> list[tuple[str, str]]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return [(r.raw, str(r.kind)) for r in discover([tmp_path]).references]


@pytest.mark.parametrize("case", sorted(PYTHON))
def test_python_references(tmp_path: Path, case: str) -> None:
    source, expected = PYTHON[case]
    assert [raw for raw, _kind in _references(tmp_path, "m.py", source)] == [expected]


def test_python_client_records_its_base_url_and_kind(tmp_path: Path) -> None:
    source = ('from langchain_openai import ChatOpenAI\n'
              'llm = ChatOpenAI(model="qwen-max", base_url="https://dashscope-intl.aliyuncs.com/compatible-mode/v1")\n'
              'import ollama\nollama.chat(model="deepseek-r1:8b")\n')
    (tmp_path / "c.py").write_text(source, encoding="utf-8")
    found = {r.raw: r for r in discover([tmp_path]).references}
    assert str(found["qwen-max"].kind) == "hosted"
    assert found["qwen-max"].attribute("base_url") == \
        "https://dashscope-intl.aliyuncs.com/compatible-mode/v1"
    assert str(found["deepseek-r1:8b"].kind) == "ollama"


def test_python_does_not_guess(tmp_path: Path) -> None:
    source = ('import os\nMODEL = "a/b"\nMODEL = "c/d"\n'  # bound twice: either could run
              'AutoModel.from_pretrained(MODEL)\n'
              'AutoModel.from_pretrained(os.environ["M"])\n'
              'fit(model="rf")\n'  # an ordinary keyword value, no model name
              'text = "from_pretrained(\\"x/y\\")"\n')  # a string, not a call
    assert _references(tmp_path, "m.py", source) == []


COMMANDS = {
    "vllm_serve": ("vllm serve Qwen/Qwen2.5-7B-Instruct --port 8000", "Qwen/Qwen2.5-7B-Instruct"),
    "vllm_module": ("python -m vllm.entrypoints.openai.api_server --model=org/m1", "org/m1"),
    "sglang": ("python3 -m sglang.launch_server --model-path deepseek-ai/DeepSeek-V3",
               "deepseek-ai/DeepSeek-V3"),
    "tgi": ("text-generation-launcher --model-id google/gemma-2-9b-it", "google/gemma-2-9b-it"),
    "tgi_docker_env": ("docker run -e MODEL_ID=org/m2 ghcr.io/huggingface/text-generation-inference",
                       "org/m2"),
    "llama_server_hf": ("llama-server -hf bartowski/gemma-2-9b-it-GGUF:Q4_K_M",
                        "bartowski/gemma-2-9b-it-GGUF:Q4_K_M"),
    "llama_cli_file": ("./llama-cli -m ./models/x.gguf -p hi", "./models/x.gguf"),
    "ollama_run": ("ollama run deepseek-r1:8b", "deepseek-r1:8b"),
    "dockerfile_env": ("ENV MODEL_ID org/m3", "org/m3"),
    "exec_form": ('CMD ["vllm", "serve", "org/m4"]', "org/m4"),
}


@pytest.mark.parametrize("case", sorted(COMMANDS))
def test_serving_commands(tmp_path: Path, case: str) -> None:
    line, expected = COMMANDS[case]
    assert [raw for raw, _ in _references(tmp_path, "Dockerfile", line + "\n")] == [expected]


def test_shell_continuations_and_python_dash_m(tmp_path: Path) -> None:
    script = ("#!/bin/bash\npython -m http.server 8000\n"
              "vllm serve \\\n  org/model \\\n  --revision abc --code-revision def\n")
    (tmp_path / "run").write_text(script, encoding="utf-8")
    found = discover([tmp_path]).references
    assert [(r.raw, r.line) for r in found] == [("org/model", 4)]
    assert dict(found[0].attributes) == {"revision": "abc", "code_revision": "def"}


def test_kubernetes_args_list_and_env(tmp_path: Path) -> None:
    manifest = ("kind: Pod\nspec:\n  containers:\n    - args:\n        - --model\n"
                "        - org/from-args\n      env:\n        - {name: HF_MODEL_ID, value: org/from-env}\n"
                "---\nkind: Service\n")
    found = _references(tmp_path, "k8s/pod.yaml", manifest)
    assert found == [("org/from-args", "model"), ("org/from-env", "model")]


def test_a_containers_command_and_args_are_one_command_line(tmp_path: Path) -> None:
    manifest = ("spec:\n  containers:\n    - image: vllm/vllm-openai\n"
                "      command: [vllm, serve]\n"
                "      args: [Qwen/Qwen2.5-7B-Instruct, --revision, main]\n")
    (tmp_path / "deploy.yaml").write_text(manifest, encoding="utf-8")
    found = discover([tmp_path]).references
    assert [(r.raw, r.line, r.attribute("revision")) for r in found] == [
        ("Qwen/Qwen2.5-7B-Instruct", 5, "main")]


def test_ci_job_scripts_are_read_as_shell(tmp_path: Path) -> None:
    workflow = ("jobs:\n  smoke:\n    steps:\n      - run: |\n          set -e\n"
                "          ollama pull qwen2.5:7b\n      - run: vllm serve org/one --port 1\n")
    gitlab = "test:\n  script:\n    - pip install x\n    - llama-server -hf org/two:Q4_K_M\n"
    (tmp_path / "ci.yml").write_text(workflow, encoding="utf-8")
    (tmp_path / ".gitlab-ci.yml").write_text(gitlab, encoding="utf-8")
    found = sorted((r.path, r.line, r.raw) for r in discover([tmp_path]).references)
    assert found == [(".gitlab-ci.yml", 4, "org/two:Q4_K_M"), ("ci.yml", 6, "qwen2.5:7b"),
                     ("ci.yml", 7, "org/one")]


def test_every_finder_is_registered_once() -> None:
    names = [finder.name for finder in FINDERS]
    assert len(names) == len(set(names)) == 9


# -- ignore rules --------------------------------------------------------------------------


def test_gitignore_semantics() -> None:
    rules = Ignorer(parse_rules("*.log\n/top.py\ndocs/**/gen/\n!keep.log\n"))
    assert rules.ignored(("a", "b.log"), is_dir=False)
    assert not rules.ignored(("keep.log",), is_dir=False)
    assert rules.ignored(("top.py",), is_dir=False)
    assert not rules.ignored(("sub", "top.py"), is_dir=False)  # anchored to the root
    assert rules.ignored(("docs", "x", "y", "gen"), is_dir=True)
    assert not rules.ignored(("docs", "x", "gen"), is_dir=False)  # folders only


def test_hostile_ignore_patterns_stay_cheap() -> None:
    rules = Ignorer(parse_rules("**/" * 60 + "*a*a*a*a*a*a*a*a*a*a*b\n"))
    path = ("a" * 200,) * 60
    # Exponential matching would not return within a lifetime; memoised, it is immediate.
    assert not rules.ignored(path, is_dir=False)


# -- header parsers --------------------------------------------------------------------------


@given(st.binary(max_size=4096))
@settings(max_examples=300, deadline=None)
def test_gguf_parser_never_crashes_on_arbitrary_bytes(data: bytes) -> None:
    try:
        header = parse_gguf(data)
    except GgufError:
        return
    assert header.version in (2, 3)


_KEY = st.text(min_size=1, max_size=40)
_VALUE = st.one_of(st.integers(0, 2**32 - 1), st.text(max_size=200))


@given(st.dictionaries(_KEY.map(lambda k: "general." + k), _VALUE, max_size=20),
       st.integers(0, 200))
@settings(max_examples=200, deadline=None)
def test_gguf_parser_reads_what_was_written_and_stops_at_a_cut(
        metadata: dict[str, int | str], cut: int) -> None:
    data = gguf(metadata)
    assert parse_gguf(data).metadata == metadata
    kept = max(24, len(data) - cut)  # the fixed part of the header always stays
    partial = parse_gguf(data[:kept])
    assert set(partial.metadata) <= set(metadata)
    assert partial.complete == (kept == len(data))


def test_gguf_huge_counts_cost_one_pass() -> None:
    # An array that claims 2**24 bytes, 2**60 items, and 2**40 pairs: cut or rejected, quickly.
    array = (struct.pack("<Q", 12) + b"general.tags" + struct.pack("<IIQ", 9, 0, 2**24))
    data = b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + array + b"\0" * 1000
    assert parse_gguf(data).complete is False  # skipped by its length, not item by item
    with pytest.raises(GgufError, match="not a plausible header"):
        parse_gguf(data.replace(struct.pack("<Q", 2**24), struct.pack("<Q", 2**60)))
    with pytest.raises(GgufError, match="not a plausible header"):
        parse_gguf(b"GGUF" + struct.pack("<IQQ", 3, 0, 2**40))


@given(st.binary(max_size=2048))
@settings(max_examples=300, deadline=None)
def test_safetensors_parser_never_crashes(data: bytes) -> None:
    try:
        metadata = parse_safetensors(data)
    except SafetensorsError:
        return
    # Whatever the header holds, what is kept is bounded.
    assert all(len(k) <= 200 and len(v) <= 64 * 1024 for k, v in metadata.items())


@given(st.dictionaries(st.text(max_size=30), st.text(max_size=100), max_size=10))
@settings(max_examples=100, deadline=None)
def test_safetensors_metadata_round_trips(metadata: dict[str, str]) -> None:
    header = (b'{"__metadata__": ' + json.dumps(metadata).encode() + b"}")
    data = struct.pack("<Q", len(header)) + header
    assert parse_safetensors(data) == {k[:200]: v for k, v in metadata.items()}


def test_safetensors_header_length_is_bounded() -> None:
    with pytest.raises(SafetensorsError, match="larger than"):
        parse_safetensors(struct.pack("<Q", 2**40) + b"{}")


_NAMES = ["app.py", "compose.yaml", "Modelfile", ".env", "model.gguf", "config.json",
          "w.safetensors", "run.sh", "Dockerfile", "manifests/h/n/m/latest"]


_FRAGMENTS = [b"from_pretrained(", b"pipeline(", b"model=", b'"org/m"', b"'x:1'", b"(", b")",
              b"\n", b" ", b"\\\n", b"--model ", b"vllm serve ", b"ollama run ", b"-hf ",
              b"-m ", b"a.gguf", b"FROM ", b"ADAPTER ", b"MODEL_ID=", b"---\n", b"- ",
              b"command: ", b"args:", b"env:", b"model_list:", b"litellm_params:",
              b"  model: ", b"{", b"}", b"[", b"]", b'"layers"', b":", b"GGUF",
              b"\x03\x00\x00\x00", b"\xff" * 8, b"$MODEL", b"#", b"=", b"MODEL = 'a/b'"]
_CONTENT = st.one_of(st.binary(max_size=600),
                     st.lists(st.sampled_from(_FRAGMENTS), max_size=60).map(b"".join))


@given(st.lists(st.tuples(st.sampled_from(_NAMES), _CONTENT), max_size=6))
@settings(max_examples=100, deadline=None)
def test_discovery_never_crashes_on_arbitrary_files(files: list[tuple[str, bytes]]) -> None:
    import tempfile  # noqa: PLC0415 - one fresh folder per example

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for name, data in files:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        found = discover([root])
        assert all(r.line >= 1 and r.column >= 1 for r in found.references)
        assert all(r.path in {name for name, _ in files} for r in found.references)
