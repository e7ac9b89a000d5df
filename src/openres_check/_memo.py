"""A least-recently-used memo bounded by an estimate of the bytes it holds, not by entries."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

__all__ = ["ByteBoundedMemo", "estimate_bytes"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_OVERHEAD = 64  # roughly what CPython spends on a small object and its reference


def estimate_bytes(value: object, depth: int = 0) -> int:
    """A cheap estimate of the memory behind `value`: strings by length, containers by items.

    It is meant to be proportional to the truth, not equal to it, and it stops at depth 4.
    """
    if isinstance(value, str):
        return 49 + len(value)
    if isinstance(value, (bytes, bytearray)):
        return 33 + len(value)
    if depth < 4 and isinstance(value, (tuple, list, set, frozenset)):  # noqa: PLR2004
        return _OVERHEAD + sum(estimate_bytes(v, depth + 1) for v in value)
    if depth < 4 and isinstance(value, dict):  # noqa: PLR2004
        return _OVERHEAD * 2 + sum(estimate_bytes(k, depth + 1) + estimate_bytes(v, depth + 1)
                                   for k, v in value.items())
    return _OVERHEAD // 2


class ByteBoundedMemo(Generic[K, V]):
    """Evicts the least recently used entries once their estimated size passes `budget`."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K) -> V | None:
        found = self._entries.get(key)
        if found is None:
            return None
        self._entries.move_to_end(key)
        return found[0]

    def clear(self) -> None:
        self._entries.clear()
        self.size = 0

    def put(self, key: K, value: V, size: int | None = None) -> None:
        """Keep `value` under `key`; `size` defaults to an estimate of both."""
        cost = size if size is not None else estimate_bytes(key) + estimate_bytes(value)
        old = self._entries.pop(key, None)
        if old is not None:
            self.size -= old[1]
        self._entries[key] = (value, cost)
        self.size += cost
        while self.size > self.budget and len(self._entries) > 1:
            _key, (_value, freed) = self._entries.popitem(last=False)
            self.size -= freed
