"""Pickle analysis on a corpus built from opcodes: every sample gets its expected verdict, and
nothing is ever unpickled."""

from __future__ import annotations

import io
import pickle
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openres_check.model.security import SecurityFacts
from openres_check.security import Budget, Profile, analyse_pickle, scan_file, scan_folder
from security_corpus import CORPUS, Sample, call, glob, proto, state_dict_pickle, text, torch_zip

FAILING = frozenset({"pickle-unsafe-callable", "format-mismatch", "chat-template"})


def verdict(facts: SecurityFacts) -> str:
    kinds = {str(issue.kind) for issue in facts.issues}
    if kinds & FAILING:
        return "fail"
    return "review" if kinds else "clean"


def scan_sample(tmp_path: Path, sample: Sample) -> SecurityFacts:
    (tmp_path / sample.name).write_bytes(sample.content)
    return scan_folder(tmp_path)


@pytest.fixture(autouse=True)
def _no_unpickling(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to unpickle during a scan is a failure, not a silent load."""
    def refuse(*_args: object, **_kwargs: object) -> None:
        pytest.fail("the scanner tried to unpickle")
    for name in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(pickle, name, refuse)


@pytest.mark.parametrize("sample", CORPUS, ids=lambda s: s.name)
def test_corpus_verdicts(tmp_path: Path, sample: Sample) -> None:
    facts = scan_sample(tmp_path, sample)
    assert verdict(facts) == sample.expected, facts.issues


def test_finding_names_file_member_and_callable(tmp_path: Path) -> None:
    evil = proto(2) + call(glob("builtins", "exec"), text("print(1)")) + b"."
    (tmp_path / "pytorch_model.bin").write_bytes(torch_zip(evil, {}))
    [issue] = scan_folder(tmp_path).issues
    assert (issue.file, issue.member, issue.callable) == (
        "pytorch_model.bin", "archive/data.pkl", "builtins.exec")
    assert "archive/data.pkl" in issue.detail
    assert "builtins.exec" in issue.detail


def test_every_global_is_checked_even_if_never_called() -> None:
    report = analyse_pickle(io.BytesIO(proto(2) + glob("os", "system") + b"."), Profile.TORCH)
    assert report.unsafe == [("os.system", "GLOBAL")]


def test_profiles_differ_torch_globals_are_not_numpy_ones() -> None:
    pickle_bytes = state_dict_pickle({"w": 2})
    assert not analyse_pickle(io.BytesIO(pickle_bytes), Profile.TORCH).unsafe
    unsafe = analyse_pickle(io.BytesIO(pickle_bytes), Profile.NUMPY).unsafe
    assert ("torch._utils._rebuild_tensor_v2", "GLOBAL") in unsafe


def test_sklearn_functions_are_not_admitted_only_classes() -> None:
    func = proto(2) + call(glob("sklearn.utils._testing", "assert_run_python_script"),
                           text("import os")) + b"."
    report = analyse_pickle(io.BytesIO(func), Profile.JOBLIB)
    assert report.unsafe
    estimator = proto(2) + glob("sklearn.tree._classes", "DecisionTreeClassifier") + b")\x81."
    assert not analyse_pickle(io.BytesIO(estimator), Profile.JOBLIB).unsafe


def test_exhausted_budget_is_never_clean() -> None:
    pickle_bytes = state_dict_pickle({f"w{i}": 1 for i in range(50)})
    report = analyse_pickle(io.BytesIO(pickle_bytes), Profile.TORCH, Budget(opcodes=100))
    assert report.problems == ["opcode budget exhausted"]


def test_tensor_payloads_are_skipped_not_parsed(tmp_path: Path) -> None:
    """Storage bytes that happen to look like a pickle are never read as one."""
    storage = proto(2) + glob("os", "system") + b"." + b"\0" * 1000
    (tmp_path / "model.pt").write_bytes(torch_zip(state_dict_pickle({"w": 4}), {"0": storage}))
    assert scan_folder(tmp_path).issues == []


def test_a_pickle_member_outside_the_storage_folder_is_analysed(tmp_path: Path) -> None:
    evil = proto(2) + glob("os", "system") + b"."
    (tmp_path / "model.pt").write_bytes(torch_zip(state_dict_pickle({"w": 4}),
                                                  {"0": b"\0" * 16}))
    clean = scan_folder(tmp_path).issues
    with zipfile.ZipFile(tmp_path / "model.pt", "a") as archive:
        archive.writestr("archive/extra/hidden", evil)
    found = scan_folder(tmp_path).issues
    assert clean == []
    assert [i.member for i in found] == ["archive/extra/hidden"]


_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5)
    | st.tuples(inner, inner), max_leaves=30)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=_JSONISH, protocol=st.integers(min_value=0, max_value=5))
def test_plain_data_pickles_are_clean(value: object, protocol: int) -> None:
    """Pickling (never unpickling) plain data gives only allow-listed opcodes."""
    pickled = pickle.dumps(value, protocol=protocol)
    report = analyse_pickle(io.BytesIO(pickled), Profile.JOBLIB)
    assert (report.unsafe, report.problems) == ([], [])


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300))
def test_arbitrary_bytes_never_raise_and_are_never_clean_unless_a_whole_pickle(
        raw: bytes) -> None:
    report = analyse_pickle(io.BytesIO(b"\x80\x04" + raw), Profile.TORCH)
    assert isinstance(report.problems, list)
    if not report.problems and not report.unsafe:
        # Clean only when the bytes really were one complete pickle of allowed values.
        assert raw.endswith(b".")


_SUFFIXES = st.sampled_from([".pkl", ".pt", ".bin", ".joblib", ".npy", ".gguf", ".safetensors",
                             ".keras", ".h5", ".json", ""])
_PREFIXES = st.sampled_from([b"", b"\x80\x02", b"\x80\x05", b"PK\x03\x04", b"GGUF\x03\x00\x00\x00",
                             b"\x93NUMPY\x01\x00", b"7z\xbc\xaf\x27\x1c", b"\x89HDF\r\n\x1a\n"])


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=_PREFIXES, raw=st.binary(max_size=400), suffix=_SUFFIXES)
def test_any_file_content_is_scanned_without_raising(tmp_path_factory: pytest.TempPathFactory,
                                                     prefix: bytes, raw: bytes,
                                                     suffix: str) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    name = "config.json" if suffix == ".json" else f"model{suffix}"
    (folder / name).write_bytes(prefix + raw)
    facts = scan_folder(folder)
    assert [f.path for f in facts.files] == [name]


def test_large_payloads_are_skipped_by_length() -> None:
    payload = 3 * 1024 * 1024
    pickled = proto(4) + b"\x8e" + payload.to_bytes(8, "little") + b"\0" * payload + b"."
    assert analyse_pickle(io.BytesIO(pickled), Profile.NUMPY).problems == []


def test_a_payload_longer_than_the_file_is_a_truncation() -> None:
    pickled = proto(4) + b"\x8e" + (10 * 2**30).to_bytes(8, "little") + b"\0" * 64 + b"."
    [problem] = analyse_pickle(io.BytesIO(pickled), Profile.NUMPY).problems
    assert "does not parse" in problem


def test_an_endless_line_is_not_read_whole() -> None:
    pickled = b"cos\n" + b"s" * (1024 * 1024) + b"\n."
    [problem] = analyse_pickle(io.BytesIO(pickled), Profile.NUMPY).problems
    assert "does not parse" in problem


def test_torchscript_classes_are_allowed_only_in_a_torchscript_archive(tmp_path: Path) -> None:
    module = proto(2) + glob("__torch__", "Model") + b")\x81" + b"."
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("model/data.pkl", module)
        archive.writestr("model/constants.pkl", proto(2) + b").")
        archive.writestr("model/code/__torch__.py", "class Model(Module):\n  pass\n")
    (tmp_path / "scripted.pt").write_bytes(buffer.getvalue())
    assert [str(i.kind) for i in scan_folder(tmp_path).issues] == ["remote-code"]
    (tmp_path / "scripted.pt").write_bytes(torch_zip(module, {}))
    assert [i.callable for i in scan_folder(tmp_path).issues] == ["__torch__.Model"]


def test_a_single_file_is_scanned_like_a_folder_member(tmp_path: Path) -> None:
    path = tmp_path / "weights.bin"
    path.write_bytes(torch_zip(proto(2) + glob("os", "system") + b".", {}))
    facts = scan_file(path)
    assert [(f.path, f.format) for f in facts.files] == [("weights.bin", "zip")]
    assert [i.callable for i in facts.issues] == ["os.system"]
    assert facts.issues[0].detail.startswith("member archive/data.pkl: ")


def test_a_local_header_naming_another_file_is_reported(tmp_path: Path) -> None:
    evil = proto(2) + glob("os", "system") + b"."
    archive = bytearray(torch_zip(evil, {}))
    local = archive.index(b"PK\x03\x04")
    name_at = local + 30
    assert archive[name_at:name_at + 16] == b"archive/data.pkl"
    archive[name_at:name_at + 16] = b"archive/data.txt"
    (tmp_path / "model.pt").write_bytes(bytes(archive))
    found = scan_folder(tmp_path).issues
    assert [i.callable for i in found if i.kind == "pickle-unsafe-callable"] == ["os.system"]
    assert any("local header names another file" in i.detail for i in found)
