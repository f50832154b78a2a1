"""Spread independent per-model work over the cores, or run it in place when it is small.

Workers are forked, so they inherit the caller's state (loaded templates, the Api) without
pickling it; only the small items go out and the results come back. Where fork is missing
(not Linux or macOS) or the batch is small, the work simply runs here, in order.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")

# Below this many items, forking costs more than it saves.
MIN_ITEMS = 48

_job: tuple[Callable[[Any, Any], Any], Any] | None = None


def _run_chunk(chunk: Sequence[Any]) -> list[Any]:
    assert _job is not None, "only called in a forked worker"
    fn, context = _job
    return [fn(context, item) for item in chunk]


def map_items(fn: Callable[[Any, T], R], context: Any, items: Sequence[T]) -> list[R]:
    """``[fn(context, item) for item in items]``, on every core when it is worth it; order kept.

    The first chunk runs here, in this process, while forked workers run the others.
    """
    global _job
    workers = min(os.cpu_count() or 1, len(items) // (MIN_ITEMS // 2) or 1)
    if workers < 2 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        return [fn(context, item) for item in items]
    size = -(-len(items) // workers)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    _job = (fn, context)
    gc.freeze()  # children then leave the inherited objects alone instead of copying their pages
    try:
        with multiprocessing.get_context("fork").Pool(len(chunks) - 1) as pool:
            pending = pool.map_async(_run_chunk, chunks[1:])
            first = _run_chunk(chunks[0])
            rest = pending.get()
    finally:
        gc.unfreeze()
        _job = None
    return [*first, *(result for part in rest for result in part)]


# Chunks per worker when this process has other work: small enough that a worker done early
# takes more, so the cores finish together.
CHUNKS_PER_WORKER = 4


def map_items_beside(
    fn: Callable[[Any, T], R], context: Any, items: Sequence[T], beside: Callable[[], S]
) -> tuple[list[R], S]:
    """``(map_items(fn, context, items), beside())``, with ``beside`` run here while workers (one per
    core) take the items: the work that cannot be split overlaps the work that can.
    """
    global _job
    workers = min(os.cpu_count() or 1, len(items) // (MIN_ITEMS // 2) or 1)
    if workers < 2 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        return [fn(context, item) for item in items], beside()
    size = -(-len(items) // (workers * CHUNKS_PER_WORKER))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    _job = (fn, context)
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pending = pool.map_async(_run_chunk, chunks, chunksize=1)
            other = beside()
            parts = pending.get()
    finally:
        gc.unfreeze()
        _job = None
    return [result for part in parts for result in part], other
