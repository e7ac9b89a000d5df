"""The one GGUF header parser (`openres_check._gguf`): what it keeps, what it skips, its
bounds, and what the security scan makes of a header it cannot read whole."""

from __future__ import annotations

import contextlib
import io
import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gguf_writer import GgufValue, gguf, gguf_string
from openres_check import _gguf
from openres_check._gguf import GgufError, GgufHeader, read_gguf
from openres_check.security import gguf as security_gguf
from openres_check.security import scan_file
from openres_check.security.templates import MAX_TEMPLATE
from security_corpus import SSTI_TEMPLATE


class Counting(io.RawIOBase):
    """A stream that counts what is read from it, and optionally cannot seek."""

    def __init__(self, data: bytes, *, seekable: bool = True) -> None:
        super().__init__()
        self._inner = io.BytesIO(data)
        self._seekable = seekable
        self.read_bytes = 0
        self.largest_read = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._seekable

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if not self._seekable:
            raise io.UnsupportedOperation("seek")
        return self._inner.seek(offset, whence)

    def tell(self) -> int:
        return self._inner.tell()

    def read(self, size: int | None = -1) -> bytes:
        chunk = self._inner.read(size)
        self.read_bytes += len(chunk)
        self.largest_read = max(self.largest_read, len(chunk))
        return chunk


class Endless(io.RawIOBase):
    """A header's first bytes, then zeros for ever: a device, or a hostile pipe."""

    def __init__(self, head: bytes) -> None:
        super().__init__()
        self._head = head
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        size = 1 << 16 if size is None or size < 0 else size
        chunk = (self._head[self.read_bytes:self.read_bytes + size]
                 or b"\0" * size)[:size]
        self.read_bytes += len(chunk)
        return chunk


def read(data: bytes, wanted: Callable[[str], bool] | None = None, **limits: int) -> GgufHeader:
    return read_gguf(io.BytesIO(data), wanted or (lambda _key: True),
                     max_string=limits.get("max_string", 1 << 20),
                     max_bytes=limits.get("max_bytes", 1 << 26),
                     max_items=limits.get("max_items", 64))


def pairs(body: bytes, count: int, tensors: int = 0) -> bytes:
    return b"GGUF" + struct.pack("<IQQ", 3, tensors, count) + body


# -- properties -------------------------------------------------------------------------------

@given(st.binary(max_size=4096), st.integers(0, 4096))
@settings(max_examples=400, deadline=None)
def test_any_bytes_give_a_header_or_the_parsers_own_error(data: bytes, budget: int) -> None:
    for stream in (io.BytesIO(data), Counting(data, seekable=False)):
        try:
            header = read_gguf(stream, lambda key: len(key) % 2 == 0, max_string=64,
                               max_bytes=budget, max_items=4)
        except GgufError:
            continue
        assert header.version in (2, 3)
        assert header.truncated <= set(header.metadata)


_KEY = st.text(min_size=1, max_size=30)
_VALUES: st.SearchStrategy[GgufValue] = st.one_of(
    st.integers(0, 2**32 - 1), st.integers(-(2**63), -1), st.booleans(), st.text(max_size=300),
    st.floats(allow_nan=False), st.binary(max_size=300),
    st.lists(st.text(max_size=20), max_size=100), st.lists(st.integers(-(2**31), 2**31 - 1),
                                                           max_size=100))


def _expected(value: GgufValue, max_string: int, max_items: int) -> tuple[object, bool]:
    """What the parser must keep of a value, and whether it says it truncated it."""
    if isinstance(value, str):
        raw = value.encode()
        return raw[:max_string].decode(errors="replace"), len(raw) > max_string
    if isinstance(value, bytes):
        return list(value[:max_items]), len(value) > max_items
    if isinstance(value, list):
        items = [_expected(item, max_string, max_items) for item in value[:max_items]]
        return [i for i, _ in items], len(value) > max_items or any(c for _, c in items)
    return value, False


@given(st.dictionaries(_KEY, _VALUES, max_size=12), st.sets(st.integers(0, 11)),
       st.integers(1, 64), st.integers(0, 8), st.integers(0, 400), st.booleans())
@settings(max_examples=300, deadline=None)
def test_written_headers_read_back_and_a_cut_loses_only_the_tail(
        metadata: dict[str, GgufValue], chosen: set[int], max_string: int, max_items: int,
        cut: int, seekable: bool) -> None:
    names = list(metadata)
    wanted = {names[i] for i in chosen if i < len(names)}
    data = gguf(metadata, tensors=7)
    header = read_gguf(Counting(data, seekable=seekable), wanted.__contains__,
                       max_string=max_string, max_bytes=len(data), max_items=max_items)
    assert header.complete
    assert header.tensor_count == 7
    assert set(header.metadata) == wanted
    for key in wanted:
        value, truncated = _expected(metadata[key], max_string, max_items)
        assert header.metadata[key] == value
        assert (key in header.truncated) == truncated
    # Cut anywhere after the fixed part: what is kept is what was written, the rest unknown.
    kept = max(24, len(data) - cut)
    partial = read_gguf(io.BytesIO(data[:kept]), wanted.__contains__, max_string=max_string,
                        max_bytes=len(data), max_items=max_items)
    assert partial.complete == (kept == len(data))
    assert {k: v for k, v in header.metadata.items() if k in partial.metadata} == \
        partial.metadata
    # The same cut by the byte budget instead of the stream's end: the same keys.
    budget = read_gguf(io.BytesIO(data), wanted.__contains__, max_string=max_string,
                       max_bytes=kept, max_items=max_items)
    assert budget.metadata == partial.metadata
    assert budget.complete == partial.complete


@given(st.dictionaries(_KEY, _VALUES, min_size=1, max_size=6), st.data())
@settings(max_examples=300, deadline=None)
def test_corrupted_headers_never_escape_as_another_error(
        metadata: dict[str, GgufValue], data: st.DataObject) -> None:
    raw = bytearray(gguf(metadata))
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(4, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    with contextlib.suppress(GgufError):  # any other exception fails the test
        read(bytes(raw), max_string=16, max_items=2)


@given(st.binary(max_size=64))
@settings(max_examples=100, deadline=None)
def test_an_endless_stream_is_read_up_to_the_budget_only(tail: bytes) -> None:
    # A string array that claims 2**24 items, each a zero-length string: 128 MiB of zeros.
    head = pairs(gguf_string("general.tags") + struct.pack("<IIQ", 9, 8, 2**24) + tail, 2)
    stream = Endless(head)
    try:
        header = read_gguf(stream, lambda key: key == "x", max_string=64, max_bytes=1 << 20)
    except GgufError:
        return
    assert not header.complete
    assert stream.read_bytes <= (1 << 20) + (1 << 16)


# -- skipping ---------------------------------------------------------------------------------

def test_other_keys_are_skipped_by_seeking_or_in_bounded_reads() -> None:
    big = b"\x07" * (8 << 20)
    data = gguf({"tokenizer.ggml.precompiled_charsmap": big,
                 "tokenizer.huggingface.json": "x" * (4 << 20),
                 "general.name": "m"})
    seeking = Counting(data)
    header = read_gguf(seeking, lambda key: key == "general.name", max_string=64,
                       max_bytes=len(data))
    assert header.metadata == {"general.name": "m"}
    assert seeking.read_bytes < 1 << 18  # 12 MiB skipped by seeking, not read
    piped = Counting(data, seekable=False)
    assert read_gguf(piped, lambda key: key == "general.name", max_string=64,
                     max_bytes=len(data)).metadata == {"general.name": "m"}
    assert piped.largest_read <= 1 << 16  # read through, a chunk at a time


def test_string_arrays_are_walked_not_decoded() -> None:
    tokens = [f"tok{i}" for i in range(200_000)]
    data = gguf({"tokenizer.ggml.tokens": tokens, "tokenizer.ggml.scores": [0] * 200_000,
                 "tokenizer.chat_template": "{{ messages }}"})
    asked: list[str] = []

    def wanted(key: str) -> bool:
        asked.append(key)
        return key == "tokenizer.chat_template"

    header = read_gguf(io.BytesIO(data), wanted, max_string=1024, max_bytes=len(data))
    assert header.metadata == {"tokenizer.chat_template": "{{ messages }}"}
    assert asked == ["tokenizer.ggml.tokens", "tokenizer.ggml.scores", "tokenizer.chat_template"]


def test_invalid_utf8_in_a_skipped_string_is_never_looked_at() -> None:
    body = (gguf_string("tokenizer.ggml.merges") + struct.pack("<IIQ", 9, 8, 1)
            + struct.pack("<Q", 2) + b"\xff\xfe"
            + gguf_string("general.name") + struct.pack("<I", 8) + gguf_string("m"))
    assert read(pairs(body, 2), lambda key: key.startswith("general.")).metadata == \
        {"general.name": "m"}


# -- truncation -------------------------------------------------------------------------------

def test_a_long_wanted_string_is_truncated_and_says_so() -> None:
    data = gguf({"tokenizer.chat_template": "a" * 5000, "general.name": "after"})
    header = read(data, max_string=1000)
    assert header.metadata["tokenizer.chat_template"] == "a" * 1000
    assert header.truncated == {"tokenizer.chat_template"}
    assert header.metadata["general.name"] == "after"  # the rest was skipped, not lost
    assert header.complete


def test_a_long_wanted_array_keeps_its_first_items() -> None:
    header = read(gguf({"general.tags": [f"t{i}" for i in range(100)]}), max_items=3)
    assert header.metadata["general.tags"] == ["t0", "t1", "t2"]
    assert header.truncated == {"general.tags"}


# -- limits -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "match"), [
    (b"GGUF" + struct.pack("<IQQ", 1, 0, 0), "version 1"),
    (b"GGUF" + struct.pack("<IQQ", 4, 0, 0), "version 4"),
    (b"GGML" + struct.pack("<IQQ", 3, 0, 0), "magic"),
    (b"GGUF\x03\x00\x00\x00", "ends inside the GGUF header"),
    (pairs(b"", 0, tensors=_gguf.MAX_TENSORS + 1), "tensors: not a plausible"),
    (pairs(b"", _gguf.MAX_PAIRS + 1), "pairs: not a plausible"),
    (pairs(struct.pack("<Q", _gguf.MAX_KEY + 1) + b"k" * (_gguf.MAX_KEY + 1), 1), "keys are at"),
    (pairs(gguf_string("a") + struct.pack("<IIQ", 9, 0, _gguf.MAX_ARRAY + 1), 1),
     "items: not a plausible"),
    (pairs(gguf_string("a") + struct.pack("<IIQIQIQIQ", 9, 9, 1, 9, 1, 9, 1, 0, 0), 1),
     "nested deeper"),
    (pairs(gguf_string("a") + struct.pack("<I", 13), 1), "unknown value type 13"),
    (pairs(gguf_string("a") + struct.pack("<IIQ", 9, 42, 0), 1), "unknown array item type"),
    (pairs((gguf_string("a") + struct.pack("<II", 4, 1)) * 2, 2), "appears twice"),
])
def test_hostile_or_unknown_headers_are_errors(data: bytes, match: str) -> None:
    with pytest.raises(GgufError, match=match):
        read(data)


def test_a_header_longer_than_the_budget_is_incomplete_and_says_why() -> None:
    data = gguf({"tokenizer.ggml.tokens": ["t"] * 100_000, "tokenizer.chat_template": "x"})
    header = read(data, max_bytes=100_000)
    assert header.metadata == {}
    assert header.incomplete == "the metadata is longer than the 100000 bytes read"
    cut = read(data[:100_000])
    assert cut.incomplete == "the file ends inside its metadata"


def test_a_duplicate_key_that_is_not_wanted_is_skipped() -> None:
    twice = (gguf_string("a") + struct.pack("<II", 4, 1)) * 2
    assert read(pairs(twice, 2), lambda key: key != "a").metadata == {}


# -- the security scan ------------------------------------------------------------------------

def _kinds(path: Path) -> list[tuple[str, str]]:
    return sorted((str(i.kind), i.detail) for i in scan_file(path).issues)


def test_security_reads_a_template_after_20_mib_of_tokenizer_arrays(tmp_path: Path) -> None:
    # Real files put tokens, scores and merges before the chat template.
    tokens = [f"token-{i:06d}" for i in range(1_000_000)]  # about 21 MiB
    path = tmp_path / "model.gguf"
    path.write_bytes(gguf({"general.name": "big", "tokenizer.ggml.tokens": tokens,
                           "tokenizer.ggml.token_type": b"\x01" * 1_000_000,
                           "tokenizer.chat_template": SSTI_TEMPLATE}))
    assert path.stat().st_size > 20 << 20
    [(kind, _)] = _kinds(path)
    assert kind == "chat-template"


def test_security_reviews_a_cut_or_overlong_header(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    data = gguf({"tokenizer.ggml.tokens": ["t"] * 50_000,
                 "tokenizer.chat_template": SSTI_TEMPLATE})
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(data[:len(data) - len(SSTI_TEMPLATE) - 20])
    [(kind, detail)] = _kinds(cut)
    assert kind == "pickle-unanalysable"
    assert "the file ends inside its metadata" in detail
    whole = tmp_path / "whole.gguf"
    whole.write_bytes(data)
    monkeypatch.setattr(security_gguf, "MAX_METADATA", 100_000)
    [(kind, detail)] = _kinds(whole)
    assert kind == "pickle-unanalysable"
    assert "longer than the 100000 bytes read" in detail


def test_security_reviews_a_malformed_header(tmp_path: Path) -> None:
    path = tmp_path / "bad.gguf"
    path.write_bytes(pairs(gguf_string("tokenizer.chat_template") + struct.pack("<I", 99), 1))
    [(kind, detail)] = _kinds(path)
    assert kind == "pickle-unanalysable"
    assert "unknown value type 99" in detail


def test_an_oversized_template_is_checked_as_far_as_read_and_needs_review(
        tmp_path: Path) -> None:
    limit = MAX_TEMPLATE
    hostile = tmp_path / "hostile.gguf"
    hostile.write_bytes(gguf({"tokenizer.chat_template": SSTI_TEMPLATE + " " * limit}))
    assert [kind for kind, _ in _kinds(hostile)] == ["chat-template", "pickle-unanalysable"]
    benign = tmp_path / "benign.gguf"
    benign.write_bytes(gguf({"tokenizer.chat_template.tool_use": "{{ m }}" * limit}))
    [(kind, detail)] = _kinds(benign)
    assert kind == "pickle-unanalysable"
    assert f"larger than {limit} bytes" in detail
