"""The security scan of model folders: remote code, chat templates, format mismatches, lock
files and signatures, through the scan and through `check` and the CLI."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gguf_writer import gguf
from openres_check import check
from openres_check.discovery.run import scan
from openres_check.errors import InputError
from openres_check.model.security import SecurityFacts
from openres_check.security import load_lock, reference_facts, reference_security, scan_folder
from security_corpus import SSTI_TEMPLATE, shell

Cli = Callable[..., tuple[int, str, str]]
CARD = "---\nlicense: apache-2.0\n---\n# A model\n"
PINNED = "0123456789abcdef0123456789abcdef01234567"


def kinds(facts: SecurityFacts) -> list[str]:
    return sorted(str(i.kind) for i in facts.issues)


@pytest.fixture
def model(tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "README.md").write_text(CARD, encoding="utf-8")
    (folder / "model.safetensors").write_bytes(
        b"\x02\x00\x00\x00\x00\x00\x00\x00{}")
    return folder


def statuses(folder: Path, **kwargs: object) -> dict[str, str]:
    report = check([str(folder)], policies=["security"], **kwargs)  # type: ignore[arg-type]
    return {f.rule_id: str(f.status) for f in report.findings}


def test_a_safetensors_folder_is_clean_and_passes(model: Path) -> None:
    facts = scan_folder(model)
    assert facts.issues == []
    assert {f.path: f.format for f in facts.files}["model.safetensors"] == "safetensors"
    got = statuses(model)
    assert got["SEC-PICKLE-UNSAFE-CALLABLE"] == "pass"
    assert got["SEC-LOCK-DRIFT"] == "not_applicable"


def test_auto_map_local_and_cross_repo(model: Path) -> None:
    (model / "config.json").write_text(json.dumps({"auto_map": {
        "AutoConfig": "configuration_x.XConfig",
        "AutoModel": "other-org/shared-code--modeling_x.XModel"}}), encoding="utf-8")
    (model / "tokenizer_config.json").write_text(json.dumps({"auto_map": {
        "AutoTokenizer": ["tokenization_x.XTokenizer", None]}}), encoding="utf-8")
    facts = scan_folder(model)
    cross = [i for i in facts.issues if i.kind == "remote-code-cross-repo"]
    assert [(i.file, i.repo, i.callable) for i in cross] == [
        ("config.json", "other-org/shared-code", "modeling_x.XModel")]
    local = sorted((i.file, i.callable) for i in facts.issues if i.kind == "remote-code")
    assert local == [("config.json", "configuration_x.XConfig"),
                     ("tokenizer_config.json", "tokenization_x.XTokenizer")]
    got = statuses(model)
    assert (got["SEC-REMOTE-CODE"], got["SEC-REMOTE-CODE-CROSS-REPO"]) == ("review", "review")


def test_python_files_in_the_folder_are_remote_code(model: Path) -> None:
    (model / "modeling_x.py").write_text("import os\n", encoding="utf-8")
    assert kinds(scan_folder(model)) == ["remote-code"]


def test_chat_templates_in_tokenizer_config_and_jinja(model: Path) -> None:
    (model / "tokenizer_config.json").write_text(json.dumps(
        {"chat_template": [{"name": "default", "template": "{{ messages }}"},
                           {"name": "tool_use", "template": SSTI_TEMPLATE}]}), encoding="utf-8")
    (model / "chat_template.jinja").write_text(
        "{{ ''|attr('\\x5f\\x5fclass\\x5f\\x5f') }}", encoding="utf-8")
    issues = [i for i in scan_folder(model).issues if i.kind == "chat-template"]
    assert sorted(i.file for i in issues) == ["chat_template.jinja", "tokenizer_config.json"]
    assert any("chat_template[tool_use]" in i.detail for i in issues)
    assert statuses(model)["SEC-CHAT-TEMPLATE"] == "fail"


def test_a_namespace_loop_template_is_not_flagged(model: Path) -> None:
    template = ("{% set ns = namespace(found=false) %}{% for m in messages %}"
                "{% if m.role == 'system' %}{% set ns.found = true %}{% endif %}{% endfor %}")
    (model / "tokenizer_config.json").write_text(json.dumps({"chat_template": template}),
                                                 encoding="utf-8")
    assert scan_folder(model).issues == []


def test_keras_archive_with_lambda_and_foreign_module(model: Path) -> None:
    config = {"class_name": "Functional", "config": {"layers": [
        {"class_name": "Lambda", "module": "keras.layers", "config": {"function": "..."}},
        {"class_name": "Dense", "module": "keras.layers", "registered_name": None},
        {"class_name": "Custom", "module": "os", "registered_name": "os>system"}]}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("metadata.json", "{}")
        archive.writestr("model.weights.h5", b"\x89HDF\r\n\x1a\n")
    (model / "model.keras").write_bytes(buffer.getvalue())
    details = [i.detail for i in scan_folder(model).issues]
    assert any("Lambda" in d for d in details)
    assert any("'os'" in d for d in details)
    assert not any("Dense" in d for d in details)


def test_a_keras_config_at_the_top_of_the_folder(model: Path) -> None:
    (model / "config.json").write_text(json.dumps({"class_name": "Sequential", "config": {
        "layers": [{"class_name": "Lambda", "config": {}}]}}), encoding="utf-8")
    assert [i.detail for i in scan_folder(model).issues] == [
        "a Keras Lambda layer: loading runs its marshalled Python code"]


def test_mismatch_only_for_code_behind_a_data_only_name(model: Path) -> None:
    (model / "pytorch_model.bin").write_bytes(shell())
    assert "format-mismatch" not in kinds(scan_folder(model))
    (model / "weights.onnx").write_bytes(shell())
    assert [i.file for i in scan_folder(model).issues if i.kind == "format-mismatch"] == [
        "weights.onnx"]


def test_catalog_models_are_out_of_scope() -> None:
    report = check(["Qwen/Qwen2.5-3B-Instruct"], policies=["security"])
    assert {str(f.status) for f in report.findings} == {"not_applicable"}


# -- lock ---------------------------------------------------------------------------------
def test_lock_then_drift_through_the_cli(model: Path, tmp_path: Path, cli: Cli,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("lock", str(model), "Qwen/Qwen2.5-3B-Instruct")
    assert code == 0, err
    lock = json.loads((tmp_path / "openres.lock").read_text(encoding="utf-8"))
    entry = lock["models"][0]
    digest = hashlib.sha256((model / "model.safetensors").read_bytes()).hexdigest()
    assert {"path": "model.safetensors", "size": 10, "sha256": digest} in entry["files"]
    code, out, _ = cli("check", str(model), "--policy", "security", "--lock", "openres.lock",
                       "--format", "json")
    first = {f["rule_id"]: f["status"] for f in json.loads(out)["findings"]}
    assert (code, first["SEC-LOCK-DRIFT"]) == (0, "pass")

    (model / "model.safetensors").write_bytes(b"\x02\x00\x00\x00\x00\x00\x00\x00[]")
    (model / "README.md").unlink()
    (model / "extra.bin").write_bytes(b"\0")
    code, out, _ = cli("check", str(model), "--policy", "security", "--lock", "openres.lock",
                       "--format", "json")
    [drift] = [f for f in json.loads(out)["findings"] if f["rule_id"] == "SEC-LOCK-DRIFT"]
    assert (code, drift["status"]) == (1, "fail")
    for name in ("model.safetensors", "README.md", "extra.bin"):
        assert name in drift["message"]


def test_lock_in_project_file_and_unpinned_catalog_model(tmp_path: Path, cli: Cli,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "openres.yaml").write_text(
        "models: [Qwen/Qwen2.5-3B-Instruct]\npolicies: [security]\nlock: models.lock\n",
        encoding="utf-8")
    assert cli("lock")[0] == 0
    assert (tmp_path / "models.lock").is_file()
    code, out, _ = cli("check", "--format", "json")
    got = {f["rule_id"]: f["status"] for f in json.loads(out)["findings"]}
    assert got["SEC-UNPINNED-REVISION"] == "review"
    assert got["SEC-LOCK-DRIFT"] == "pass"
    assert got["SEC-PICKLE-UNSAFE-CALLABLE"] == "not_applicable"
    assert code == 0


def test_a_model_missing_from_the_lock_fails(model: Path, tmp_path: Path) -> None:
    lock = tmp_path / "openres.lock"
    lock.write_text('{"lock_version": 1, "models": []}', encoding="utf-8")
    assert statuses(model, lock=lock)["SEC-LOCK-DRIFT"] == "fail"


def test_a_bad_lock_file_is_a_located_input_error(model: Path, tmp_path: Path,
                                                  cli: Cli) -> None:
    lock = tmp_path / "openres.lock"
    lock.write_text('{"lock_version": 1, "models": [{"id": "x", "revision": "main"}]}',
                    encoding="utf-8")
    code, _, err = cli("check", str(model), "--lock", str(lock))
    assert code == 2
    assert "openres.lock" in err
    assert "revision" in err


def test_hub_cache_snapshot_revision_is_recorded_and_compared(tmp_path: Path) -> None:
    snapshot = tmp_path / "models--org--m" / "snapshots" / PINNED
    snapshot.mkdir(parents=True)
    (snapshot / "README.md").write_text(CARD, encoding="utf-8")
    assert scan_folder(snapshot).revision == PINNED
    other = "f" * 40
    lock = tmp_path / "openres.lock"
    lock.write_text(json.dumps({"models": [{"id": str(snapshot), "reference": str(snapshot),
                                            "revision": other, "files": []}]}), encoding="utf-8")
    report = check([str(snapshot)], policies=["security"], lock=lock)
    [drift] = [f for f in report.findings if f.rule_id == "SEC-LOCK-DRIFT"]
    assert str(drift.status) == "fail"
    assert "revision" in drift.message


# -- discovery hook -----------------------------------------------------------------------
def test_trust_remote_code_needs_a_pinned_revision() -> None:
    unpinned = reference_facts("org/x", "main", location="app.py:3", trust_remote_code=True)
    pinned = reference_facts("org/x", PINNED, location="app.py:9", trust_remote_code=True)
    facts = reference_security([unpinned, pinned])
    assert [r.pinned for r in facts.references] == [False, True]
    assert [i.file for i in facts.issues] == ["app.py:3"]
    code_pinned = reference_facts("org/x", None, location="a.py:1", trust_remote_code=True,
                                  code_revision=PINNED)
    assert reference_security([code_pinned]).issues == []


# -- signatures ---------------------------------------------------------------------------
def _sign(folder: Path, names: list[str]) -> None:
    resources = [{"name": n, "algorithm": "sha256",
                  "digest": hashlib.sha256((folder / n).read_bytes()).hexdigest()}
                 for n in names]
    root = hashlib.sha256(b"".join(bytes.fromhex(r["digest"]) for r in resources))
    statement = {"_type": "https://in-toto.io/Statement/v1",
                 "subject": [{"name": folder.name, "digest": {"sha256": root.hexdigest()}}],
                 "predicateType": "https://model_signing/signature/v1.0",
                 "predicate": {"serialization": {"method": "files", "hash_type": "sha256",
                                                 "ignore_paths": ["model.sig", ".git"]},
                               "resources": resources}}
    bundle = {"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
              "dsseEnvelope": {"payloadType": "application/vnd.in-toto+json",
                               "payload": base64.b64encode(json.dumps(statement).encode())
                               .decode(), "signatures": [{"sig": "AA=="}]}}
    (folder / "model.sig").write_text(json.dumps(bundle), encoding="utf-8")


def test_signature_digests_are_verified_offline(model: Path) -> None:
    _sign(model, ["README.md", "model.safetensors"])
    signature = scan_folder(model).signature
    assert signature is not None
    assert signature.valid
    assert statuses(model)["SEC-SIGNATURE"] == "pass"
    (model / "model.safetensors").write_bytes(b"\x02\x00\x00\x00\x00\x00\x00\x00[]")
    signature = scan_folder(model).signature
    assert signature is not None
    assert not signature.valid
    assert "model.safetensors does not match" in signature.detail
    assert statuses(model)["SEC-SIGNATURE"] == "fail"


def test_an_unsigned_file_or_a_broken_bundle_fails(model: Path) -> None:
    _sign(model, ["README.md"])
    signature = scan_folder(model).signature
    assert signature is not None
    assert "model.safetensors is not covered" in signature.detail
    (model / "model.sig").write_text("{not json", encoding="utf-8")
    signature = scan_folder(model).signature
    assert signature is not None
    assert not signature.valid


def test_lock_to_stdout_and_without_a_project(model: Path, tmp_path: Path, cli: Cli,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("lock", str(model), "-o", "-")
    assert code == 0
    assert [f["path"] for f in json.loads(out)["models"][0]["files"]] == [
        "README.md", "model.safetensors"]
    assert not (tmp_path / "openres.lock").exists()
    code, _, err = cli("lock")
    assert code == 2
    assert "openres.yaml" in err


def test_the_lock_file_inside_the_model_folder_is_not_locked(model: Path, cli: Cli,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    monkeypatch.chdir(model)
    assert cli("lock", ".")[0] == 0
    lock = json.loads((model / "openres.lock").read_text(encoding="utf-8"))
    assert "openres.lock" not in [f["path"] for f in lock["models"][0]["files"]]
    code, out, _ = cli("check", ".", "--policy", "security", "--lock", "openres.lock",
                       "--format", "json")
    got = {f["rule_id"]: f["status"] for f in json.loads(out)["findings"]}
    assert (code, got["SEC-LOCK-DRIFT"]) == (0, "pass")


def test_a_statement_whose_root_digest_disagrees_fails(model: Path) -> None:
    _sign(model, ["README.md", "model.safetensors"])
    bundle = json.loads((model / "model.sig").read_text(encoding="utf-8"))
    statement = json.loads(base64.b64decode(bundle["dsseEnvelope"]["payload"]))
    statement["predicate"]["resources"][0]["digest"] = "0" * 64
    bundle["dsseEnvelope"]["payload"] = base64.b64encode(json.dumps(statement).encode()).decode()
    (model / "model.sig").write_text(json.dumps(bundle), encoding="utf-8")
    signature = scan_folder(model).signature
    assert signature is not None
    assert "root digest" in signature.detail
    assert not signature.valid


def test_ignored_paths_need_no_signature(model: Path) -> None:
    (model / ".git").mkdir()
    (model / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    _sign(model, ["README.md", "model.safetensors"])
    signature = scan_folder(model).signature
    assert signature is not None
    assert signature.valid, signature.detail


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=50),
                     lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.sampled_from(["lock_version", "models", "id", "files",
                                                        "path", "size", "sha256", "revision",
                                                        "x"]), inner, max_size=4),
                     max_leaves=20)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=_JSON)
def test_a_lock_file_loads_or_is_a_located_input_error(tmp_path_factory: pytest.TempPathFactory,
                                                       document: object) -> None:
    path = tmp_path_factory.mktemp("lock") / "openres.lock"
    path.write_text(json.dumps(document), encoding="utf-8")
    error: InputError | None = None
    try:
        lock = load_lock(path)
    except InputError as exc:
        error = exc
    if error is not None:
        assert error.issues
        assert all(issue.location.source for issue in error.issues)
    else:
        assert all(len(f.sha256) == 64 for m in lock.models for f in m.files)


def test_the_html_report_shows_lock_drift(model: Path, tmp_path: Path) -> None:
    from openres_check.reporters import RenderOptions, get_reporter  # noqa: PLC0415

    lock = tmp_path / "openres.lock"
    lock.write_text('{"lock_version": 1, "models": []}', encoding="utf-8")
    report = check([str(model)], policies=["security"], lock=lock, lang="ja")
    html = get_reporter("html").render(report, RenderOptions())
    assert "モデルファイルのセキュリティ" in html
    assert "ロックファイル" in html
    assert "unlocked" in html


# -- the expected signer ------------------------------------------------------------------
PUBLISHER = ("release@example.com", "https://accounts.example.com")


class VerificationError(Exception):
    """Named as sigstore names its error for a signature that does not verify."""


class FakeModelSigning:
    """Stands in for the `model_signing` package: the signer it accepts, or what it raises."""

    def __init__(self, accepts: tuple[str, str] = PUBLISHER,
                 raises: Exception | None = None) -> None:
        self.accepts, self.raises = accepts, raises
        self.calls: list[tuple[str, str, Path, Path]] = []
        self.verifying = self

    def Config(self) -> FakeModelSigning:  # noqa: N802 - model_signing.verifying.Config
        return self

    def use_sigstore_verifier(self, *, identity: str, oidc_issuer: str) -> FakeModelSigning:
        self.expected = (identity, oidc_issuer)
        return self

    def verify(self, model_path: Path, signature_path: Path) -> None:
        self.calls.append((*self.expected, model_path, signature_path))
        if self.raises is not None:
            raise self.raises
        if self.expected != self.accepts:
            raise VerificationError(f"the certificate names {self.accepts[0]}")


@pytest.fixture
def fake_signing(monkeypatch: pytest.MonkeyPatch) -> Callable[..., FakeModelSigning]:
    def install(accepts: tuple[str, str] = PUBLISHER,
                raises: Exception | None = None) -> FakeModelSigning:
        fake = FakeModelSigning(accepts, raises)
        monkeypatch.setitem(sys.modules, "model_signing", fake)
        return fake
    return install


def signer_findings(folder: Path | str, signer: tuple[str, str] = PUBLISHER) -> dict[str, Any]:
    report = check([str(folder)], policies=["security"], signer_identity=signer[0],
                   signer_issuer=signer[1])
    return {f.rule_id: f for f in report.findings if f.rule_id.startswith("SEC-SIGNER")}


def test_a_folder_signed_by_the_expected_signer_passes(
        model: Path, fake_signing: Callable[..., FakeModelSigning], cli: Cli) -> None:
    _sign(model, ["README.md", "model.safetensors"])
    fake = fake_signing()
    found = signer_findings(model)
    assert (str(found["SEC-SIGNER-IDENTITY"].status),
            str(found["SEC-SIGNER-UNVERIFIED"].status)) == ("pass", "pass")
    assert "release@example.com" in found["SEC-SIGNER-IDENTITY"].message
    assert fake.calls == [(*PUBLISHER, model, model / "model.sig")]
    # The same through the command line, in both languages.
    code, out, _ = cli("check", str(model), "--policy", "security", "--signer-identity",
                       PUBLISHER[0], "--signer-issuer", PUBLISHER[1], "--format", "json",
                       "--lang", "ja")
    [identity] = [f for f in json.loads(out)["findings"] if f["rule_id"] == "SEC-SIGNER-IDENTITY"]
    assert (code, identity["status"]) == (0, "pass")
    assert "model-signing で検証しました" in identity["message"]


def test_another_signer_fails_and_names_both(
        model: Path, fake_signing: Callable[..., FakeModelSigning]) -> None:
    _sign(model, ["README.md", "model.safetensors"])
    fake_signing(accepts=("mallory@example.com", PUBLISHER[1]))
    found = signer_findings(model)
    failed = found["SEC-SIGNER-IDENTITY"]
    assert str(failed.status) == "fail"
    assert "release@example.com" in failed.message
    assert "VerificationError: the certificate names mallory@example.com" in failed.message
    assert str(found["SEC-SIGNER-UNVERIFIED"].status) == "pass"
    # Another issuer for the same identity is another signer too.
    fake_signing(accepts=(PUBLISHER[0], "https://issuer.example.org"))
    assert str(signer_findings(model)["SEC-SIGNER-IDENTITY"].status) == "fail"


def test_a_missing_or_tampered_signature_fails_without_asking_model_signing(
        model: Path, fake_signing: Callable[..., FakeModelSigning]) -> None:
    fake = fake_signing()
    unsigned = signer_findings(model)["SEC-SIGNER-IDENTITY"]
    assert str(unsigned.status) == "fail"
    assert "the folder has no model.sig" in unsigned.message
    _sign(model, ["README.md", "model.safetensors"])
    (model / "model.safetensors").write_bytes(b"\x02\x00\x00\x00\x00\x00\x00\x00[]")
    tampered = signer_findings(model)["SEC-SIGNER-IDENTITY"]
    assert str(tampered.status) == "fail"
    assert "model.safetensors does not match its signed digest" in tampered.message
    assert fake.calls == []


def test_an_invalid_signature_fails(model: Path,
                                    fake_signing: Callable[..., FakeModelSigning]) -> None:
    _sign(model, ["README.md", "model.safetensors"])  # digests fine, no real certificate
    fake_signing(raises=ValueError("Signature mismatch"))
    assert str(signer_findings(model)["SEC-SIGNER-IDENTITY"].status) == "fail"


@pytest.mark.parametrize("raises", [None, OSError("trust root unreachable")])
def test_a_signer_that_cannot_be_checked_needs_review(
        model: Path, fake_signing: Callable[..., FakeModelSigning],
        monkeypatch: pytest.MonkeyPatch, raises: Exception | None) -> None:
    _sign(model, ["README.md", "model.safetensors"])
    if raises is None:
        monkeypatch.setitem(sys.modules, "model_signing", None)  # the extra is not installed
        why = "the [signing] extra (model-signing) cannot be imported"
    else:
        fake_signing(raises=raises)
        why = "could not check the signature (OSError: trust root unreachable)"
    found = signer_findings(model)
    review = found["SEC-SIGNER-UNVERIFIED"]
    assert str(review.status) == "review"
    assert why in review.message
    assert str(found["SEC-SIGNER-IDENTITY"].status) == "not_applicable"  # never a pass


def test_a_single_file_or_a_catalog_model_with_an_expected_signer(
        tmp_path: Path, fake_signing: Callable[..., FakeModelSigning]) -> None:
    fake = fake_signing()
    (tmp_path / "model.gguf").write_bytes(gguf({"general.name": "x"}))
    report = scan([tmp_path], policies=["security"], signer_identity=PUBLISHER[0],
                  signer_issuer=PUBLISHER[1])
    [review] = [f for f in report.findings if f.rule_id == "SEC-SIGNER-UNVERIFIED"]
    assert str(review.status) == "review"
    assert "single file" in review.message
    catalog_only = signer_findings("Qwen/Qwen2.5-3B-Instruct")
    assert {str(f.status) for f in catalog_only.values()} == {"not_applicable"}
    assert fake.calls == []


def test_the_project_file_names_the_signer(model: Path, tmp_path: Path, cli: Cli,
                                           fake_signing: Callable[..., FakeModelSigning],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _sign(model, ["README.md", "model.safetensors"])
    fake = fake_signing()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "openres.yaml").write_text(
        f"models: [./model]\npolicies: [security]\nsigner_identity: {PUBLISHER[0]}\n"
        f"signer_issuer: {PUBLISHER[1]}\n", encoding="utf-8")
    code, out, _ = cli("check", "--format", "json")
    got = {f["rule_id"]: f["status"] for f in json.loads(out)["findings"]}
    assert (code, got["SEC-SIGNER-IDENTITY"]) == (0, "pass")
    # The command line wins, as a pair: here it names someone else.
    code, out, _ = cli("check", "--format", "json", "--signer-identity", "other@example.com",
                       "--signer-issuer", PUBLISHER[1])
    got = {f["rule_id"]: f["status"] for f in json.loads(out)["findings"]}
    assert (code, got["SEC-SIGNER-IDENTITY"]) == (1, "fail")
    assert [c[0] for c in fake.calls] == [PUBLISHER[0], "other@example.com"]
    # scan judges the model folders it finds against the same signer.
    (model / "config.json").write_text('{"model_type": "llama"}', encoding="utf-8")
    _sign(model, ["README.md", "config.json", "model.safetensors"])
    code, out, _ = cli("scan", "model", "--format", "json", "--no-progress")
    [found] = [f for f in json.loads(out)["findings"] if f["rule_id"] == "SEC-SIGNER-IDENTITY"]
    assert (code, found["status"]) == (0, "pass")


def test_an_incomplete_signer_is_a_located_input_error(model: Path, cli: Cli,
                                                       tmp_path: Path) -> None:
    code, _, err = cli("check", str(model), "--signer-identity", PUBLISHER[0])
    assert code == 2
    assert "signer_issuer" in err
    assert "--signer-issuer" in err
    code, _, err = cli("check", str(model), "--signer-identity", " ", "--signer-issuer",
                       "accounts.example.com")
    assert code == 2
    assert "the signer identity is missing" in err
    assert "not a URL" in err
    with pytest.raises(InputError, match="needs an identity and an issuer"):
        check([str(model)], signer_issuer=PUBLISHER[1])
    inventory = tmp_path / "inventory.jsonl"
    inventory.write_text('{"id": "Qwen/Qwen2.5-3B-Instruct"}\n', encoding="utf-8")
    code, _, err = cli("check", "--inventory", str(inventory), "--signer-identity",
                       PUBLISHER[0], "--signer-issuer", PUBLISHER[1])
    assert code == 2
    assert "an inventory has none" in err
