"""Pickle analysis without unpickling: the opcodes, walked over a bounded abstract stack.

`pickletools.genops` decodes the opcodes; this module keeps an abstract stack and memo beside
them, so that `STACK_GLOBAL`'s arguments, memo `PUT`/`GET` and the callables of `REDUCE`,
`NEWOBJ`, `NEWOBJ_EX`, `OBJ`, `INST` and `BUILD` are known exactly. Every global a pickle
names is checked against the allow-list of its profile: a loader imports it, and most are
then called. Whatever cannot be followed (a parse error, a computed callable, an extension
code, an exhausted budget) is reported as unanalysable: never clean.
"""

from __future__ import annotations

import pickletools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any, cast

from openres_check.security.allowlist import Profile, allowed
from openres_check.security.reader import BinaryStream, BoundedReader, stream_size

__all__ = ["Budget", "PickleReport", "analyse_pickle"]

_HIGHEST_PROTOCOL = 5
_MAX_TRACKED_ITEMS = 64
_MAX_CONSTANT = 256


@dataclass
class Budget:
    """Limits shared by every pickle of one file: a pickle cannot make the scan unbounded."""

    opcodes: int = 5_000_000
    stack: int = 1_000_000
    memo: int = 1_000_000


@dataclass
class PickleReport:
    unsafe: list[tuple[str, str]] = field(default_factory=list)
    """(module.name, how it is reached) for each global outside the allow-list."""
    problems: list[str] = field(default_factory=list)
    """Why the pickle could not be analysed completely."""

    def add_unsafe(self, name: str, how: str) -> None:
        if all(seen != name for seen, _ in self.unsafe):
            self.unsafe.append((name, how))

    def add_problem(self, problem: str) -> None:
        if problem not in self.problems:
            self.problems.append(problem)

    def extend(self, other: PickleReport) -> None:
        for name, how in other.unsafe:
            self.add_unsafe(name, how)
        for problem in other.problems:
            self.add_problem(problem)


class _Mark:
    __slots__ = ()


_MARK = _Mark()


@dataclass(frozen=True)
class _Global:
    module: str
    name: str

    @property
    def dotted(self) -> str:
        return f"{self.module}.{self.name}"


@dataclass
class _Call:
    """The result of calling (or instantiating) `func`."""

    func: Any
    args: Any


@dataclass
class _Tuple:
    items: list[Any] | None
    """None when there were too many to keep."""


@dataclass
class _Dict:
    items: dict[Any, Any] | None = field(default_factory=dict)


class _Other:
    __slots__ = ()


_OTHER = _Other()


class _Unanalysable(Exception):  # noqa: N818 - a control-flow signal, not an error for users
    pass


@dataclass(frozen=True)
class _Constant:
    value: Any


def _constant(value: Any) -> Any:
    if isinstance(value, (bytes, str)) and len(value) > _MAX_CONSTANT:
        return _OTHER
    return _Constant(value)


_DTYPE = re.compile(r"[<>|=]?([bifucOSUVMma?])(\d{0,6})")
ArrayHook = Callable[["_Machine", Any, Any], None]


class _Machine:
    """One pickle's abstract state; `run` walks it to its STOP."""

    def __init__(self, stream: BoundedReader, profile: Profile, budget: Budget,
                 report: PickleReport) -> None:
        self.stream = stream
        self.profile = profile
        self.budget = budget
        self.report = report
        self.stack: list[Any] = []
        self.memo: dict[int, Any] = {}

    # -- stack helpers ------------------------------------------------------------------
    def pop(self) -> Any:
        if not self.stack or self.stack[-1] is _MARK:
            raise _Unanalysable("stack underflow")
        return self.stack.pop()

    def top(self) -> Any:
        if not self.stack or self.stack[-1] is _MARK:
            raise _Unanalysable("stack underflow")
        return self.stack[-1]

    def pop_mark(self) -> list[Any]:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index] is _MARK:
                items = self.stack[index + 1:]
                del self.stack[index:]
                return items
        raise _Unanalysable("no MARK on the stack")

    def push(self, value: Any) -> None:
        if len(self.stack) >= self.budget.stack:
            raise _Unanalysable("stack budget exhausted")
        self.stack.append(value)

    # -- globals and calls --------------------------------------------------------------
    def named(self, module: str, name: str, how: str) -> _Global:
        found = _Global(module, name)
        if not allowed(self.profile, module, name):
            self.report.add_unsafe(found.dotted, how)
        return found

    def call(self, func: Any, args: Any, how: str) -> _Call:
        if not isinstance(func, _Global):
            self.report.add_problem(f"{how} calls a computed value, not a named global")
        return _Call(func, args)

    def run(self, on_build: ArrayHook | None = None) -> None:
        budget = self.budget
        # genops needs only read, readline and tell, which the bounded reader provides.
        for opcode, arg, _pos in pickletools.genops(cast("IO[bytes]", self.stream)):
            budget.opcodes -= 1
            if budget.opcodes < 0:
                raise _Unanalysable("opcode budget exhausted")
            name = opcode.name
            if name == "STOP":
                self.pop()
                if self.stack:
                    self.report.add_problem("values left on the stack at STOP")
                return
            handler = _HANDLERS.get(name)
            if handler is not None:
                handler(self, arg)
            elif name in _CONSTANTS:
                self.push(_constant(arg))
            elif name in _NO_EFFECT:
                if name == "PROTO" and int(str(arg)) > _HIGHEST_PROTOCOL:
                    raise _Unanalysable(f"unknown pickle protocol {arg}")
            elif name == "BUILD":
                state = self.pop()
                target = self.top()
                if isinstance(target, _Global):
                    self.report.add_unsafe(target.dotted, "BUILD (sets its attributes)")
                if on_build is not None:
                    on_build(self, target, state)
            else:
                raise _Unanalysable(f"opcode {name} is not supported")
        raise _Unanalysable("no STOP opcode")  # genops ends only at STOP or by raising


def _stack_global(m: _Machine, _arg: Any) -> None:
    name, module = m.pop(), m.pop()
    if not (isinstance(module, _Constant) and isinstance(name, _Constant)
            and isinstance(module.value, str) and isinstance(name.value, str)):
        m.report.add_problem("STACK_GLOBAL takes a module or name that is not a constant")
        m.push(_OTHER)
        return
    m.push(m.named(module.value, name.value, "STACK_GLOBAL"))


def _split_global(arg: Any) -> tuple[str, str]:
    module, _, name = str(arg).partition(" ")
    return module, name


def _global(m: _Machine, arg: Any) -> None:
    m.push(m.named(*_split_global(arg), "GLOBAL"))


def _inst(m: _Machine, arg: Any) -> None:
    args = m.pop_mark()
    m.push(m.call(m.named(*_split_global(arg), "INST"), _Tuple(args), "INST"))


def _obj(m: _Machine, _arg: Any) -> None:
    items = m.pop_mark()
    if not items:
        raise _Unanalysable("OBJ without a class")
    m.push(m.call(items[0], _Tuple(items[1:]), "OBJ"))


def _reduce(m: _Machine, _arg: Any) -> None:
    args = m.pop()
    m.push(m.call(m.pop(), args, "REDUCE"))


def _newobj(m: _Machine, _arg: Any) -> None:
    args = m.pop()
    m.push(m.call(m.pop(), args, "NEWOBJ"))


def _newobj_ex(m: _Machine, _arg: Any) -> None:
    m.pop()  # kwargs
    args = m.pop()
    m.push(m.call(m.pop(), args, "NEWOBJ_EX"))


def _ext(m: _Machine, arg: Any) -> None:
    m.report.add_problem(f"extension code {arg} names a global through the copyreg registry")
    m.push(_OTHER)


def _get(m: _Machine, arg: Any) -> None:
    key = int(arg)
    if key not in m.memo:
        raise _Unanalysable(f"memo key {key} read before it is written")
    m.push(m.memo[key])


def _put(m: _Machine, arg: Any) -> None:
    _remember(m, int(arg))


def _memoize(m: _Machine, _arg: Any) -> None:
    _remember(m, len(m.memo))


def _remember(m: _Machine, key: int) -> None:
    if key not in m.memo and len(m.memo) >= m.budget.memo:
        raise _Unanalysable("memo budget exhausted")
    m.memo[key] = m.top()


def _pop(m: _Machine, _arg: Any) -> None:
    if not m.stack:
        raise _Unanalysable("stack underflow")
    m.stack.pop()  # POP with a MARK on top drops the mark, as pickle does


def _dup(m: _Machine, _arg: Any) -> None:
    m.push(m.top())


def _mark(m: _Machine, _arg: Any) -> None:
    m.push(_MARK)


def _pop_mark(m: _Machine, _arg: Any) -> None:
    m.pop_mark()


def _tuple_of(count: int) -> Callable[[_Machine, Any], None]:
    def handler(m: _Machine, _arg: Any) -> None:
        items = [m.pop() for _ in range(count)][::-1]
        m.push(_Tuple(items))
    return handler


def _tuple(m: _Machine, _arg: Any) -> None:
    items = m.pop_mark()
    m.push(_Tuple(items if len(items) <= _MAX_TRACKED_ITEMS else None))


def _empty_dict(m: _Machine, _arg: Any) -> None:
    m.push(_Dict())


def _dict(m: _Machine, _arg: Any) -> None:
    target = _Dict()
    _set_items(target, m.pop_mark())
    m.push(target)


def _set_items(target: Any, items: list[Any]) -> None:
    if len(items) % 2:
        raise _Unanalysable("odd number of items for a dict")
    if not isinstance(target, _Dict) or target.items is None:
        return
    for key, value in zip(items[::2], items[1::2], strict=True):
        if len(target.items) >= _MAX_TRACKED_ITEMS or not isinstance(key, _Constant):
            target.items = None
            return
        target.items[key.value] = value


def _setitem(m: _Machine, _arg: Any) -> None:
    value, key = m.pop(), m.pop()
    _set_items(m.top(), [key, value])


def _setitems(m: _Machine, _arg: Any) -> None:
    items = m.pop_mark()
    _set_items(m.top(), items)


def _append(m: _Machine, _arg: Any) -> None:
    m.pop()
    m.top()


def _appends(m: _Machine, _arg: Any) -> None:
    m.pop_mark()
    m.top()


def _collection(m: _Machine, _arg: Any) -> None:
    m.pop_mark()
    m.push(_OTHER)


def _persistent(m: _Machine, _arg: Any) -> None:
    m.pop()
    m.push(_OTHER)


def _push_other(m: _Machine, _arg: Any) -> None:
    m.push(_OTHER)


_HANDLERS: dict[str, Callable[[_Machine, Any], None]] = {
    "GLOBAL": _global, "STACK_GLOBAL": _stack_global, "INST": _inst, "OBJ": _obj,
    "REDUCE": _reduce, "NEWOBJ": _newobj, "NEWOBJ_EX": _newobj_ex,
    "EXT1": _ext, "EXT2": _ext, "EXT4": _ext,
    "GET": _get, "BINGET": _get, "LONG_BINGET": _get,
    "PUT": _put, "BINPUT": _put, "LONG_BINPUT": _put, "MEMOIZE": _memoize,
    "POP": _pop, "DUP": _dup, "MARK": _mark, "POP_MARK": _pop_mark,
    "EMPTY_TUPLE": _tuple_of(0), "TUPLE1": _tuple_of(1), "TUPLE2": _tuple_of(2),
    "TUPLE3": _tuple_of(3), "TUPLE": _tuple,
    "EMPTY_DICT": _empty_dict, "DICT": _dict, "SETITEM": _setitem, "SETITEMS": _setitems,
    "EMPTY_LIST": _push_other, "EMPTY_SET": _push_other, "APPEND": _append,
    "APPENDS": _appends, "ADDITEMS": _appends, "LIST": _collection, "FROZENSET": _collection,
    "PERSID": _push_other, "BINPERSID": _persistent, "NEXT_BUFFER": _push_other,
}
_CONSTANTS = frozenset({
    "INT", "BININT", "BININT1", "BININT2", "LONG", "LONG1", "LONG4", "STRING", "BINSTRING",
    "SHORT_BINSTRING", "BINBYTES", "SHORT_BINBYTES", "BINBYTES8", "BYTEARRAY8", "NONE",
    "NEWTRUE", "NEWFALSE", "UNICODE", "SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8",
    "FLOAT", "BINFLOAT",
})
_NO_EFFECT = frozenset({"PROTO", "FRAME", "READONLY_BUFFER"})


def _joblib_array(m: _Machine, target: Any, state: Any) -> None:
    """joblib writes each array's bytes straight after its wrapper's BUILD: skip them by
    length (or, for an object array, analyse the pickle that follows instead)."""
    if not (isinstance(target, _Call) and isinstance(target.func, _Global)
            and target.func.dotted == "joblib.numpy_pickle.NumpyArrayWrapper"):
        return
    items = state.items if isinstance(state, _Dict) else None
    shape = items.get("shape") if items else None
    dtype = items.get("dtype") if items else None
    if not (items and isinstance(shape, _Tuple) and shape.items is not None
            and all(isinstance(s, _Constant) and isinstance(s.value, int) for s in shape.items)
            and isinstance(dtype, _Call) and isinstance(dtype.args, _Tuple)
            and dtype.args.items and isinstance(dtype.args.items[0], _Constant)):
        raise _Unanalysable("a joblib array whose shape or dtype cannot be read")
    code = _DTYPE.fullmatch(str(dtype.args.items[0].value))
    if code is None:
        raise _Unanalysable(f"a joblib array of unknown dtype {dtype.args.items[0].value!r}")
    if code.group(1) == "O":
        # joblib reads an object array with a plain pickle.load: no wrappers inside it.
        _analyse_one(m.stream, m.profile, m.budget, m.report, None)
        return
    count = 1
    for dimension in shape.items:
        count *= int(dimension.value)
    alignment = items.get("numpy_array_alignment_bytes")
    if isinstance(alignment, _Constant) and alignment.value is not None:
        padding = m.stream.read(1)
        if len(padding) != 1:
            raise _Unanalysable("a joblib array ends before its padding")
        m.stream.seek(padding[0], 1)
    m.stream.seek(count * int(code.group(2) or 1), 1)


def _analyse_one(stream: BoundedReader, profile: Profile, budget: Budget, report: PickleReport,
                 on_build: ArrayHook | None) -> None:
    _Machine(stream, profile, budget, report).run(on_build)


def analyse_pickle(stream: BinaryStream, profile: Profile, budget: Budget | None = None,
                   *, count: int = 1, trailing_allowed: bool = False) -> PickleReport:
    """Analyse `count` consecutive pickles from `stream` (seekable, binary).

    Bytes after the last STOP are a problem unless `trailing_allowed` (legacy torch files
    carry raw tensor data there). Never raises for bad input: problems are reported.
    """
    budget = budget or Budget()
    report = PickleReport()
    on_build = _joblib_array if profile is Profile.JOBLIB else None
    reader = BoundedReader(stream, stream_size(stream))
    try:
        for _ in range(count):
            _analyse_one(reader, profile, budget, report, on_build)
    except _Unanalysable as exc:
        report.add_problem(str(exc))
        return report
    except (ValueError, EOFError, OverflowError, MemoryError, UnicodeDecodeError,
            OSError) as exc:
        report.add_problem(f"the pickle does not parse: {_first_line(exc)}")
        return report
    if not trailing_allowed:
        _stacked(reader, profile, budget, report, on_build)
    return report


def _stacked(stream: BoundedReader, profile: Profile, budget: Budget, report: PickleReport,
             on_build: ArrayHook | None) -> None:
    """What follows the STOP: never clean. Stacked pickles are analysed too, since a loader
    that reads on (or a person) would unpickle them."""
    following = stream.peek_byte()
    if not following:
        return
    if following != b"\x80":
        report.add_problem("bytes follow the pickle's STOP")
        return
    report.add_problem("another pickle follows the first")
    try:
        while stream.peek_byte() == b"\x80":
            _analyse_one(stream, profile, budget, report, on_build)
    except _Unanalysable as exc:
        report.add_problem(str(exc))
    except (ValueError, EOFError, OverflowError, MemoryError, UnicodeDecodeError,
            OSError) as exc:
        report.add_problem(f"a stacked pickle does not parse: {_first_line(exc)}")


def _first_line(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]
