"""Match unique history blobs in worker processes.

Each worker builds the ScanContext once (initializer) and receives batches of
(oid, paths, bytes); it returns only findings. At most a few batches are in flight, so
memory stays bounded however large the history is. Small inputs stay in-process.
"""

from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool

from scanner import policy
from scanner.blob import Blob
from scanner.config import Config
from scanner.findings import Finding
from scanner.pipeline import ScanContext

BATCH_BYTES = 4 << 20
BATCH_ITEMS = 512
PARALLEL_MIN_BYTES = 20 << 20


@dataclass(frozen=True)
class Item:
    oid: str
    paths: tuple[str, ...]
    data: bytes


@dataclass(frozen=True)
class BlobResult:
    oid: str
    engine: list[Finding]  # path-independent: the same for every path of the blob
    policy: list[Finding]  # tied to the path in each finding


def scan_item(ctx: ScanContext, item: Item) -> BlobResult:
    survey = ctx.engine.survey(item.data)
    found = list(ctx.engine.scan(Blob(item.paths[0], item.data, item.oid), survey))
    markers = survey.markers if survey else None
    checked: list[Finding] = []
    for path in item.paths:
        blob = Blob(path, item.data, item.oid)
        if policy.wants(blob, markers):
            checked.extend(policy.check(blob, ctx))
    return BlobResult(item.oid, found, checked)


_CTX: ScanContext | None = None


def _init(config: Config, backend: str) -> None:
    global _CTX
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    if _CTX is None:  # spawn platforms; with fork the parent's context is inherited
        _CTX = ScanContext.build(config, backend)


def _scan_batch(batch: list[Item]) -> list[BlobResult]:
    assert _CTX is not None
    return [r for r in (scan_item(_CTX, item) for item in batch) if r.engine or r.policy]


def batches(items: Iterable[Item]) -> Iterator[list[Item]]:
    batch: list[Item] = []
    size = 0
    for item in items:
        batch.append(item)
        size += len(item.data)
        if size >= BATCH_BYTES or len(batch) >= BATCH_ITEMS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def choose_jobs(total_bytes: int, requested: int | None) -> int:
    if requested is not None:
        return max(1, requested)
    return min(cpu_count(), 8) if total_bytes >= PARALLEL_MIN_BYTES else 1


def scan_items(items: Iterable[Item], ctx: ScanContext, jobs: int) -> Iterator[BlobResult]:
    """Results for the blobs that have findings (in input order)."""
    if jobs <= 1:
        for item in items:
            result = scan_item(ctx, item)
            if result.engine or result.policy:
                yield result
        return
    yield from _scan_pool(items, ctx, jobs)


def _scan_pool(items: Iterable[Item], ctx: ScanContext, jobs: int) -> Iterator[BlobResult]:
    import multiprocessing

    global _CTX
    _CTX = ctx
    ctx.engine.prepare_bulk()
    methods = multiprocessing.get_all_start_methods()
    mp = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pool = mp.Pool(jobs, _init, (ctx.config, ctx.engine.backend))
    try:
        yield from _windowed(pool, batches(items), 2 * jobs)
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def _windowed(pool: Pool, work: Iterator[list[Item]], window: int) -> Iterator[BlobResult]:
    pending: deque[AsyncResult[list[BlobResult]]] = deque()
    for batch in work:
        pending.append(pool.apply_async(_scan_batch, (batch,)))
        while len(pending) >= window:
            yield from pending.popleft().get()
    while pending:
        yield from pending.popleft().get()
