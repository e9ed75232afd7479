"""A bounded memo for pure results that the probe threads share.

Probes see the same certificate on many endpoints (a wildcard, a load balancer, a shared front
end), and what is computed from it — its facts, its chain verdict at an instant — depends only
on its bytes and a few plain values. `Memo` keeps the last `size` such results.

Keys must be small plain values (bytes, digests, strings, dates), never parsed certificates:
a `cryptography` certificate keeps every extension it has parsed as Python objects (about 40
per certificate here), and holding a thousand of them made each full garbage collection of the
CLI process scan 35 % more objects and triggered one more of them (measured, bench/README.md).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Memo(Generic[V]):
    """`get(key, compute)`: the value for `key`, computed once while it is among the `size`
    most recently used. Thread-safe; `compute` runs outside the lock (two threads may both
    compute one value: harmless for a pure function). An exception is never memoised."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._data: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = compute()
        with self._lock:
            self._data[key] = value
            if len(self._data) > self._size:
                self._data.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
