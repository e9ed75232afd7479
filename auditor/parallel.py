"""Judging many systems on several cores: worker processes forked after the inventory is
loaded, results back in order.

Systems are judged independently, so a large inventory is cut into chunks of consecutive
systems and each chunk is judged in a worker process (`concurrent.futures`, fork start
method). Nothing large is pickled on the way in: the workers are forked *after* the
inventory, the compiled plan and the job function exist, so they inherit them, and each task
is two numbers (a range of system indexes). On the way back each chunk's results come as
one bytes object, pickled with a reducer per result type (a frozen dataclass is rebuilt by
its constructor from a tuple of its fields, instead of pickle's generic slot-state path);
lazy messages travel as their wording function's name and its values (checks/text.py).

The parent takes the chunks in order, so the run is the same, byte for byte, as judged in
one process. Small inventories, one core, or a platform without fork: in-process.
"""

from __future__ import annotations

import copyreg
import dataclasses
import gc
import io
import multiprocessing
import operator
import os
import pickle
import sys
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from auditor.model import results

T = TypeVar("T")
Progress = Callable[[int, int], None]

#: Below this many systems the work stays in-process (forking and shipping results back
#: cost more than a second core saves; see bench/README.md).
MIN_SYSTEMS = 1000
#: Systems per task: small enough to balance the workers and stream results back, large
#: enough that the per-task overhead (a few milliseconds) stays small.
CHUNK = 250

# The job of the current parallel run, set in the parent just before the workers are forked
# (they inherit it) and cleared after. A module global because that is what fork copies.
_JOB: Callable[[int], Any] | None = None


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def workers_for(count: int, requested: int | None = None) -> int:
    """How many worker processes judge `count` systems (1: in-process)."""
    if requested is not None:
        wanted = max(1, requested)
    elif count < MIN_SYSTEMS:
        return 1
    else:
        wanted = available_cores()
    if wanted <= 1 or count < 2 or not can_fork():
        return 1
    return min(wanted, count)


def _reducer(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    names = [f.name for f in dataclasses.fields(cls)]
    if len(names) == 1:
        name = names[0]
        return lambda obj: (cls, (getattr(obj, name),))
    fields = operator.attrgetter(*names)
    return lambda obj: (cls, fields(obj))


def _dispatch_table() -> dict[type, Callable[[Any], Any]]:
    table: dict[type, Callable[[Any], Any]] = dict(copyreg.dispatch_table)
    for value in vars(results).values():
        if isinstance(value, type) and dataclasses.is_dataclass(value):
            table[value] = _reducer(value)
    return table


_TABLE = _dispatch_table()


def dumps(value: Any) -> bytes:
    """Pickle results (SystemResult and what it holds) for the trip to the parent."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _TABLE
    pickler.dump(value)
    return buffer.getvalue()


def loads(blob: bytes) -> Any:
    return pickle.loads(blob)  # noqa: S301 - our own worker's bytes, never external input


def _chunks(count: int, size: int) -> list[tuple[int, int]]:
    return [(start, min(start + size, count)) for start in range(0, count, size)]


def _worker_start() -> None:
    """A worker only judges: no collector pauses (millions of acyclic objects), and standard
    streams of its own. The parent may have had another thread (a progress display) inside
    a write when it forked; the worker's copy of that stream's lock would then stay held
    forever, and the flush a worker does on exit would hang on it."""
    gc.disable()
    sys.stdout = sys.stderr = io.StringIO()


def _run_chunk(bounds: tuple[int, int]) -> bytes:
    """In a worker: judge systems [start, stop) with the inherited job; pickled results."""
    job = _JOB
    assert job is not None  # noqa: S101 - set by the parent before it forked this worker
    start, stop = bounds
    return dumps([job(index) for index in range(start, stop)])


def _in_order(
    count: int, job: Callable[[int], T], workers: int, progress: Progress | None
) -> Iterator[list[T]]:
    global _JOB
    chunks = _chunks(count, CHUNK)
    _JOB = job
    gc.freeze()  # what exists now stays put: no collection in a worker copies its pages
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_start,
    )
    try:
        with warnings.catch_warnings():  # Python 3.12+ warns of fork beside threads: see above
            warnings.filterwarnings("ignore", "This process .* multi-threaded", DeprecationWarning)
            results = pool.map(_run_chunk, chunks)  # forks the workers
        done = 0
        for (start, stop), blob in zip(chunks, results, strict=True):
            batch: list[T] = loads(blob)
            done += stop - start
            if progress is not None:
                progress(done, count)
            yield batch
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)
        _JOB = None
        gc.unfreeze()


def judge_all(
    count: int,
    job: Callable[[int], T],
    workers: int = 1,
    progress: Progress | None = None,
) -> list[T]:
    """[job(0), …, job(count - 1)], in order; on `workers` processes when more than one."""
    if progress is not None:
        progress(0, count)
    if workers <= 1:
        found = []
        for index in range(count):
            found.append(job(index))
            if progress is not None:
                progress(index + 1, count)
        return found
    return [result for batch in _in_order(count, job, workers, progress) for result in batch]

