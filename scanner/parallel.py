"""Run scan work in worker processes, results in order, memory bounded.

Each worker builds the ScanContext once (inherited through fork, rebuilt on spawn platforms).
Tasks and results are small -- a history task names blob ids and the worker reads the blobs
itself -- so no file content crosses a process boundary. Small inputs stay in-process.

`striped` gives worker w the tasks w, w + jobs, w + 2 jobs, ... up front, so it can stream
its whole share from one source without a pause between tasks (a pool handing out one task
at a time left git idle between them); results still come back in task order.
"""

from __future__ import annotations

import os
import signal
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from scanner import policy
from scanner.blob import Blob
from scanner.config import Config
from scanner.engine.filters import is_test_or_example_path as in_tests
from scanner.errors import SealguardError
from scanner.findings import Finding
from scanner.pipeline import ScanContext, generated_findings

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import ForkContext, SpawnContext
    from multiprocessing.process import BaseProcess

    from scanner.policy.generators import Generators

PARALLEL_MIN_BYTES = 20 << 20


class WorkerError(Exception):
    """A worker process crashed or vanished: an internal error (exit code 3)."""
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class BlobResult:
    oid: str
    # Secrets in the blob, once per kind of path (test/example code or not: it sets their
    # severity and message); each finding names the first path of its kind.
    engine: list[Finding]
    policy: list[Finding]  # tied to the path in each finding


def scan_item(ctx: ScanContext, oid: str, paths: tuple[str, ...], data: bytes,
              binary: bool = False) -> BlobResult:
    """Secrets once per blob; the GitOps policy once per path (it depends on the name)."""
    survey = ctx.engine.survey(data)
    from scanner.artefacts import drop_hashes

    found = drop_hashes(data, ctx.engine.scan(Blob(paths[0], data, oid, binary=binary), survey))
    other = next((p for p in paths if in_tests(p) != in_tests(paths[0])), None)
    if other is not None:  # the blob also sits where its secrets are judged differently
        found += drop_hashes(data, ctx.engine.scan(Blob(other, data, oid, binary=binary),
                                                   survey))
    markers = survey.markers if survey else None
    checked: list[Finding] = []
    for path in paths:
        blob = Blob(path, data, oid)
        if policy.wants(blob, markers):
            checked.extend(policy.check(blob, ctx))
        if ctx.generators is not None:
            checked.extend(generated_findings(blob, ctx, found + checked))
    return BlobResult(oid, found, checked)


_CTX: ScanContext | None = None


def context() -> ScanContext:
    """The scan context of this process (the parent's, or the one a worker was given)."""
    assert _CTX is not None, "parallel.striped() sets the context first"
    return _CTX


def cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def choose_jobs(total_bytes: int, requested: int | None) -> int:
    if requested is not None:
        return max(1, requested)
    return min(cpu_count(), 8) if total_bytes >= PARALLEL_MIN_BYTES else 1


def striped(work: Callable[[Sequence[T]], Iterable[R]], tasks: Sequence[T], ctx: ScanContext,
            jobs: int) -> Iterator[R]:
    """work(share) must yield one result per task of its share, in order. Worker w gets the
    tasks w, w + jobs, ...; results are yielded in task order as they arrive."""
    global _CTX
    _CTX = ctx
    jobs = min(jobs, len(tasks))
    if jobs <= 1:
        yield from work(tasks)
        return
    import multiprocessing

    ctx.engine.prepare_bulk()  # load the bulk filter once, before forking, to share it
    if "fork" in multiprocessing.get_all_start_methods():
        mp: ForkContext | SpawnContext = multiprocessing.get_context("fork")
    else:
        mp = multiprocessing.get_context("spawn")
    links: list[Connection] = []
    workers: list[BaseProcess] = []
    try:
        for w in range(jobs):
            receive, send = mp.Pipe(duplex=False)
            proc = mp.Process(target=_stripe_main, daemon=True,
                              args=(work, tasks[w::jobs], send, ctx.config, ctx.engine.backend,
                                    ctx.generators))
            proc.start()
            send.close()
            links.append(receive)
            workers.append(proc)
        yield from _in_order(links, len(tasks), jobs)
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()
        for link in links:
            link.close()


def _in_order(links: list[Connection], total: int, jobs: int) -> Iterator[Any]:
    from multiprocessing.connection import wait

    waiting: dict[int, Any] = {}
    counts = [0] * len(links)
    done = 0
    open_links = list(links)
    while done < total:
        if done in waiting:
            yield waiting.pop(done)
            done += 1
            continue
        if not open_links:
            raise WorkerError("a worker process ended without finishing its share")
        for ready in wait(open_links):
            w = links.index(ready)  # type: ignore[arg-type]
            link = links[w]
            try:
                kind, payload = link.recv()
            except EOFError:
                open_links.remove(link)
                continue
            if kind == "error":  # an expected failure (a git error...): the same, re-raised
                raise payload
            if kind == "crash":
                raise WorkerError(f"a worker process failed:\n{payload}")
            waiting[w + counts[w] * jobs] = payload
            counts[w] += 1


def _stripe_main(work: Callable[[Sequence[T]], Iterable[R]], share: Sequence[T], link: Connection,
                 config: Config, backend: str, generators: Generators | None = None) -> None:
    global _CTX
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    try:
        if _CTX is None:  # spawn platforms; with fork the parent's context is inherited
            _CTX = ScanContext.build(config, backend)
            _CTX.generators = generators
        for result in work(share):
            link.send(("result", result))
    except SealguardError as exc:
        link.send(("error", exc))
    except BaseException:
        link.send(("crash", traceback.format_exc()))
    finally:
        link.close()
