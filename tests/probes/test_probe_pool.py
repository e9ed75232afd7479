"""The probe runner's thread pool: how many threads it starts for the per-address limits."""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time

from auditor.probes.runner import ProbeOptions, Silent, _Pool, _Task

AS_OF = dt.date(2026, 12, 1)


def test_no_more_threads_than_the_per_host_limits_let_run() -> None:
    """12 tasks on one address and 1 on another, 3 per address: 4 can ever run at once, so 4
    threads (not 16) do all the work, and the lone address is not kept waiting."""
    lock = threading.Lock()
    running = {"a": 0, "b": 0}
    peak = {"a": 0, "b": 0, "all": 0}
    threads: set[str] = set()

    def work(key: str) -> str:
        with lock:
            threads.add(threading.current_thread().name)
            running[key] += 1
            peak[key] = max(peak[key], running[key])
            peak["all"] = max(peak["all"], running["a"] + running["b"])
        time.sleep(0.05)
        with lock:
            running[key] -= 1
        return key

    keys = ["a"] * 12 + ["b"]
    pool = _Pool(ProbeOptions(as_of=AS_OF, workers=16, per_host=3), Silent())
    results = pool.map([_Task(k, k, functools.partial(work, k), lambda r: r) for k in keys])
    assert results == keys
    assert peak == {"a": 3, "b": 1, "all": 4} and len(threads) == 4


def test_workers_still_bound_the_threads() -> None:
    seen: set[str] = set()

    def work() -> str:
        seen.add(threading.current_thread().name)
        time.sleep(0.02)
        return "ok"

    pool = _Pool(ProbeOptions(as_of=AS_OF, workers=2, per_host=4), Silent())
    tasks = [_Task(str(i % 5), "t", work, lambda r: r) for i in range(10)]
    assert pool.map(tasks) == ["ok"] * 10 and len(seen) <= 2
