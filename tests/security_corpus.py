"""A corpus of model files built from pickle opcodes and raw bytes, never by pickling objects
and never by loading anything, each with the verdict a scanner must give.

`fail`: a callable outside the allow-list is reachable. `review`: the file cannot be shown
safe. `clean`: a benign, real-shaped checkpoint. The tests and `benchmarks/security.py` both
write this corpus to disk and scan it.
"""

from __future__ import annotations

import gzip
import io
import lzma
import struct
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from gguf_writer import gguf as gguf_header

__all__ = ["CORPUS", "Sample", "write_corpus"]


# -- opcodes ------------------------------------------------------------------------------
def proto(n: int) -> bytes:
    return b"\x80" + bytes([n])


def glob(module: str, name: str) -> bytes:
    return b"c" + f"{module}\n{name}\n".encode()


def inst(module: str, name: str) -> bytes:
    return b"i" + f"{module}\n{name}\n".encode()


def text(value: str) -> bytes:
    raw = value.encode()
    if len(raw) < 256:
        return b"\x8c" + bytes([len(raw)]) + raw
    return b"X" + struct.pack("<I", len(raw)) + raw


def data(value: bytes) -> bytes:
    return b"B" + struct.pack("<I", len(value)) + value


def integer(value: int) -> bytes:
    return b"J" + struct.pack("<i", value)


def put(index: int) -> bytes:
    return b"q" + bytes([index])


def get(index: int) -> bytes:
    return b"h" + bytes([index])


def stack_global(module: str, name: str) -> bytes:
    return text(module) + text(name) + STACK_GLOBAL


MARK, STOP, REDUCE, BUILD, TUPLE, EMPTY_TUPLE = b"(", b".", b"R", b"b", b"t", b")"
TUPLE1, TUPLE2, TUPLE3 = b"\x85", b"\x86", b"\x87"
STACK_GLOBAL, NEWOBJ, NEWOBJ_EX, OBJ = b"\x93", b"\x81", b"\x92", b"o"
EMPTY_DICT, SETITEM, SETITEMS, EMPTY_LIST, APPENDS = b"}", b"s", b"u", b"]", b"e"
NONE, TRUE, FALSE, POP, BINPERSID = b"N", b"\x88", b"\x89", b"0", b"Q"


def call(func: bytes, *args: bytes) -> bytes:
    """func(*args) by REDUCE."""
    return func + MARK + b"".join(args) + TUPLE + REDUCE


def shell(command: str = "id") -> bytes:
    return proto(2) + call(glob("os", "system"), text(command)) + STOP


# -- benign shapes ------------------------------------------------------------------------
def _tensor(key: str, numel: int) -> bytes:
    """torch._utils._rebuild_tensor_v2(storage, 0, (numel,), (1,), False, OrderedDict())
    with the storage as torch's persistent id ('storage', FloatStorage, key, 'cpu', numel)."""
    storage = (MARK + text("storage") + glob("torch", "FloatStorage") + text(key)
               + text("cpu") + integer(numel) + TUPLE + BINPERSID)
    return call(glob("torch._utils", "_rebuild_tensor_v2"), storage, integer(0),
                integer(numel) + TUPLE1, integer(1) + TUPLE1, FALSE,
                call(glob("collections", "OrderedDict")))


def state_dict_pickle(tensors: dict[str, int]) -> bytes:
    items = b"".join(text(name) + _tensor(str(i), numel)
                     for i, (name, numel) in enumerate(tensors.items()))
    return proto(2) + call(glob("collections", "OrderedDict")) + MARK + items + SETITEMS + STOP


def torch_zip(pickle: bytes, storages: dict[str, bytes], *, archive: str = "archive") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as out:
        out.writestr(f"{archive}/data.pkl", pickle)
        out.writestr(f"{archive}/byteorder", "little")
        for key, payload in storages.items():
            out.writestr(f"{archive}/data/{key}", payload)
        out.writestr(f"{archive}/version", "3\n")
    return buffer.getvalue()


def _dtype(code: str) -> bytes:
    """numpy.dtype(code, False, True) with its BUILD state, as numpy pickles it."""
    return (call(glob("numpy", "dtype"), text(code), FALSE, TRUE)
            + MARK + integer(3) + text("<") + NONE + NONE + NONE + integer(-1) + integer(-1)
            + integer(0) + TUPLE + BUILD)


def numpy_array_pickle(values: int = 4) -> bytes:
    array = (call(glob("numpy.core.multiarray", "_reconstruct"), glob("numpy", "ndarray"),
                  integer(0) + TUPLE1, data(b"b"))
             + MARK + integer(1) + integer(values) + TUPLE1 + _dtype("f8") + FALSE
             + data(b"\0" * 8 * values) + TUPLE + BUILD)
    return proto(3) + array + STOP


def joblib_sklearn() -> bytes:
    """A LogisticRegression as joblib writes it: the estimator by NEWOBJ and BUILD, and its
    coef_ array as a NumpyArrayWrapper whose raw bytes follow the wrapper's BUILD."""
    wrapper_state = (EMPTY_DICT + MARK
                     + text("subclass") + glob("numpy", "ndarray")
                     + text("shape") + integer(1) + integer(3) + TUPLE2
                     + text("order") + text("C")
                     + text("dtype") + _dtype("f8")
                     + text("allow_mmap") + TRUE
                     + text("numpy_array_alignment_bytes") + integer(16) + SETITEMS)
    wrapper = (glob("joblib.numpy_pickle", "NumpyArrayWrapper") + EMPTY_TUPLE + NEWOBJ
               + wrapper_state + BUILD)
    padding = bytes([5]) + b"\xff" * 5
    estimator = (glob("sklearn.linear_model._logistic", "LogisticRegression") + EMPTY_TUPLE
                 + NEWOBJ + EMPTY_DICT + MARK + text("C") + b"G" + struct.pack(">d", 1.0)
                 + text("coef_") + wrapper + padding + b"\0" * 24
                 + text("_sklearn_version") + text("1.5.2") + SETITEMS + BUILD)
    return proto(4) + estimator + STOP


_LEGACY_MAGIC = b"\x8a\x0a" + (0x1950A86A20F9469CFC6C).to_bytes(10, "little")


def legacy_torch(model: bytes) -> bytes:
    """torch.save's legacy format: magic, protocol, sys info, the object, storage keys, then
    the storages' raw bytes (which the scan must skip, not parse)."""
    sys_info = (proto(2) + EMPTY_DICT + MARK + text("protocol_version") + integer(1001)
                + text("little_endian") + TRUE + SETITEMS + STOP)
    keys = proto(2) + EMPTY_LIST + MARK + text("0") + APPENDS + STOP
    storage = struct.pack("<q", 4) + b"\x80\x02garbage-looking-floats"
    return (proto(2) + _LEGACY_MAGIC + STOP + proto(2) + b"M" + struct.pack("<H", 1001) + STOP
            + sys_info + model + keys + storage)


def npy(descr: str, body: bytes) -> bytes:
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': (1,), }}"
    header += " " * (63 - len(header) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + body


def gguf(template: str) -> bytes:
    return gguf_header({"general.name": "tiny", "tokenizer.ggml.tokens": ["<s>", "</s>", "hello"],
                        "tokenizer.chat_template": template})


def npz(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, content in members.items():
            out.writestr(name, content)
    return buffer.getvalue()


def keras_h5(layer: str) -> bytes:
    """The HDF5 signature, then a model_config attribute as Keras writes it (JSON text)."""
    config = ('{"class_name": "Sequential", "config": {"layers": [{"class_name": "'
              + layer + '", "config": {"name": "l"}}]}}')
    return b"\x89HDF\r\n\x1a\n" + b"\0" * 504 + config.encode() + b"\0" * 64


def _broken_crc(payload: bytes) -> bytes:
    """A torch zip whose data.pkl CRC is wrong in both headers."""
    raw = bytearray(torch_zip(payload, {}))
    crc = struct.pack("<I", zlib.crc32(payload))
    bad = struct.pack("<I", zlib.crc32(payload) ^ 0xFFFFFFFF)
    return bytes(raw.replace(crc, bad))


def _duplicate_names(benign: bytes, evil: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as out:
        out.writestr("archive/data.pkl", benign)
        out.writestr("archive/version", "3\n")
        with warnings.catch_warnings():  # zipfile warns of the duplicate, and keeps both
            warnings.simplefilter("ignore")
            out.writestr("archive/data.pkl", evil)
    return buffer.getvalue()


QWEN_LIKE_TEMPLATE = (
    "{%- set ns = namespace(first=true) -%}{%- for message in messages -%}"
    "<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n"
    "{%- set ns.first = false -%}{%- endfor -%}"
    "{%- if add_generation_prompt %}<|im_start|>assistant\n{%- endif %}")
SSTI_TEMPLATE = ("{{ cycler.__init__.__globals__.os.popen('id').read() }}"
                 "{% for m in messages %}{{ m.content }}{% endfor %}")


@dataclass(frozen=True)
class Sample:
    name: str
    """The file name: its extension is what a loader (and other scanners) go by."""
    content: bytes
    expected: str
    """fail, review or clean."""
    family: str


def _samples() -> list[Sample]:
    evil_pickle = shell()
    benign_dict = state_dict_pickle({"linear.weight": 4, "linear.bias": 2})
    os_module = call(glob("importlib", "import_module"), text("os"))
    return [
        # -- overt --------------------------------------------------------------------
        Sample("os_system.pkl", evil_pickle, "fail", "overt"),
        Sample("posix_system.pkl", proto(4) + stack_global("posix", "system") + MARK
               + text("id") + TUPLE + REDUCE + STOP, "fail", "overt"),
        Sample("subprocess_popen.pkl", proto(2) + call(glob("subprocess", "Popen"),
               EMPTY_LIST + MARK + text("id") + APPENDS) + STOP, "fail", "overt"),
        Sample("builtins_exec.pkl", proto(2) + call(glob("builtins", "exec"),
               text("import os; os.system('id')")) + STOP, "fail", "overt"),
        Sample("builtins_eval.pkl", proto(2) + call(glob("builtins", "eval"),
               text("__import__('os').system('id')")) + STOP, "fail", "overt"),
        Sample("protocol0_inst.pkl", b"(S'id'\n" + inst("os", "system") + STOP, "fail", "overt"),
        Sample("obj_opcode.pkl", proto(2) + MARK + glob("os", "system") + text("id") + OBJ
               + STOP, "fail", "overt"),
        Sample("newobj_ex.pkl", proto(4) + stack_global("subprocess", "Popen")
               + text("id") + TUPLE1 + EMPTY_DICT + NEWOBJ_EX + STOP, "fail", "overt"),
        Sample("pip_main.pkl", proto(2) + call(glob("pip", "main"), EMPTY_LIST + MARK
               + text("install") + text("evil") + APPENDS) + STOP, "fail", "overt"),
        Sample("runpy_run_code.pkl", proto(2) + call(glob("runpy", "_run_code"),
               text("import os"), EMPTY_DICT) + STOP, "fail", "overt"),
        # -- bypass families ----------------------------------------------------------
        Sample("importlib_inspect.pkl", proto(4) + call(call(
            stack_global("inspect", "getattr_static"), os_module, text("system")),
            text("id")) + STOP, "fail", "importlib-inspect"),
        Sample("getattr_walk.pkl", proto(2) + call(call(glob("builtins", "getattr"),
               call(glob("builtins", "__import__"), text("os")), text("system")), text("id"))
               + STOP, "fail", "getattr"),
        Sample("dotted_name.pkl", proto(4) + stack_global(
            "numpy.testing._private.utils", "os.system") + text("id") + TUPLE1 + REDUCE + STOP,
            "fail", "getattr"),
        Sample("functools_partial.pkl", proto(2) + call(call(glob("functools", "partial"),
               glob("os", "system"), text("id"))) + STOP, "fail", "functools"),
        Sample("operator_attrgetter.pkl", proto(2) + call(call(call(glob(
            "operator", "attrgetter"), text("system")), os_module), text("id")) + STOP,
            "fail", "operator"),
        Sample("operator_methodcaller.pkl", proto(2) + call(call(glob(
            "_operator", "methodcaller"), text("system"), text("id")), os_module) + STOP,
            "fail", "operator"),
        Sample("torch_load_inside.pt", torch_zip(proto(2) + call(glob("torch", "load"), call(
            glob("io", "BytesIO"), data(evil_pickle))) + STOP, {}), "fail", "nested"),
        Sample("nested_pickle_loads.pkl", proto(2) + call(glob("pickle", "loads"),
               data(evil_pickle)) + STOP, "fail", "nested"),
        Sample("memo_confusion.pkl", proto(4) + text("collections") + put(0) + POP
               + text("OrderedDict") + put(1) + POP + text("os") + put(0) + POP
               + text("system") + put(1) + POP + get(0) + get(1) + STACK_GLOBAL
               + text("id") + TUPLE1 + REDUCE + STOP, "fail", "memo"),
        Sample("build_on_global.pkl", proto(2) + glob("collections", "OrderedDict")
               + EMPTY_DICT + text("__reduce__") + glob("os", "system") + SETITEM + BUILD
               + STOP, "fail", "build"),
        Sample("computed_stack_global.pkl", proto(4) + call(glob("builtins", "str"), text("os"))
               + text("system") + STACK_GLOBAL + text("id") + TUPLE1 + REDUCE + STOP,
               "review", "memo"),
        Sample("extension_opcode.pkl", proto(2) + b"\x82\x01" + text("id") + TUPLE1 + REDUCE
               + STOP, "review", "extension"),
        Sample("stacked_pickles.pkl", proto(2) + NONE + STOP + evil_pickle, "fail", "stacked"),
        Sample("trailing_bytes.pkl", proto(2) + NONE + STOP + b"MZ\x90\x00payload",
               "review", "stacked"),
        Sample("broken_pickle.pkl", proto(2) + glob("os", "system") + b"\xff\xfe", "fail",
               "broken"),
        Sample("truncated_state_dict.pt", benign_dict[:-20], "review", "broken"),
        Sample("zip_broken_crc.pt", _broken_crc(evil_pickle), "fail", "zip"),
        Sample("zip_duplicate_names.pt", _duplicate_names(benign_dict, evil_pickle), "fail",
               "zip"),
        Sample("seven_zip_packed.pkl", b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 40, "review",
               "7z"),
        Sample("legacy_torch_evil.bin", legacy_torch(evil_pickle), "fail", "legacy"),
        Sample("object_array.npy", npy("|O", evil_pickle), "fail", "numpy"),
        Sample("object_array_in.npz", npz({"w.npy": npy("<f8", b"\0" * 8),
                                           "meta.npy": npy("|O", evil_pickle)}), "fail", "numpy"),
        Sample("pickle_as_safetensors.safetensors", evil_pickle, "fail", "mismatch"),
        Sample("keras_lambda.h5", keras_h5("Lambda"), "review", "keras"),
        Sample("ssti_template.gguf", gguf(SSTI_TEMPLATE), "fail", "chat-template"),
        Sample("compressed_os_system.joblib", gzip.compress(shell(), mtime=0), "fail",
               "compressed"),
        Sample("lz4_packed.joblib", b"\x04\x22\x4d\x18" + b"\x00" * 32, "review",
               "compressed"),
        # -- benign -------------------------------------------------------------------
        Sample("state_dict.pt", torch_zip(benign_dict, {"0": b"\0" * 16, "1": b"\0" * 8}),
               "clean", "benign"),
        Sample("legacy_state_dict.bin", legacy_torch(benign_dict), "clean", "benign"),
        Sample("numpy_array.pkl", numpy_array_pickle(), "clean", "benign"),
        Sample("sklearn_model.joblib", joblib_sklearn(), "clean", "benign"),
        Sample("float_array.npy", npy("<f8", b"\0" * 8), "clean", "benign"),
        Sample("float_arrays.npz", npz({"w.npy": npy("<f8", b"\0" * 8)}), "clean", "benign"),
        Sample("keras_dense.h5", keras_h5("Dense"), "clean", "benign"),
        Sample("chat_model.gguf", gguf(QWEN_LIKE_TEMPLATE), "clean", "benign"),
        Sample("sklearn_model_zlib.joblib", zlib.compress(joblib_sklearn()), "clean", "benign"),
        Sample("sklearn_model_xz.joblib", lzma.compress(joblib_sklearn()), "clean", "benign"),
    ]


CORPUS: tuple[Sample, ...] = tuple(_samples())


def write_corpus(folder: Path) -> dict[str, Sample]:
    """Write each sample into its own subfolder (one model folder each)."""
    written = {}
    for sample in CORPUS:
        target = folder / sample.name.rsplit(".", 1)[0]
        target.mkdir(parents=True, exist_ok=True)
        (target / sample.name).write_bytes(sample.content)
        written[sample.name] = sample
    return written

