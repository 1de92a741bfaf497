"""Worker processes: striped shares come back in task order; a failing worker is an error."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

import pytest

from scanner import parallel
from scanner.config import Config
from scanner.errors import GitError
from scanner.pipeline import ScanContext


def square_with_pid(share: Sequence[int]) -> Iterator[tuple[int, int]]:
    for n in share:
        yield n * n, os.getpid()


def fail_on_seven(share: Sequence[int]) -> Iterator[int]:
    for n in share:
        if n == 7:
            raise ValueError("seven")
        yield n


def git_error_on_three(share: Sequence[int]) -> Iterator[int]:
    for n in share:
        if n == 3:
            raise GitError("git cat-file ended early")
        yield n


def die_on_five(share: Sequence[int]) -> Iterator[int]:
    for n in share:
        if n == 5:
            os._exit(3)  # a worker killed mid-share (out of memory, a signal)
        yield n


@pytest.fixture(scope="module")
def ctx() -> ScanContext:
    return ScanContext.build(Config())


def test_striped_results_come_back_in_task_order(ctx: ScanContext) -> None:
    tasks = list(range(23))
    results = list(parallel.striped(square_with_pid, tasks, ctx, jobs=3))
    assert [r for r, _ in results] == [n * n for n in tasks]
    pids = {pid for _, pid in results}
    assert len(pids) == 3 and os.getpid() not in pids
    # task n ran in worker n % 3: the share is fixed up front
    assert all(results[n][1] == results[n % 3][1] for n in tasks)


def test_striped_in_process_for_one_job(ctx: ScanContext) -> None:
    assert {pid for _, pid in parallel.striped(square_with_pid, [1, 2], ctx, jobs=1)} == {
        os.getpid()}


def test_a_crashing_worker_is_an_internal_error_with_its_traceback(ctx: ScanContext) -> None:
    with pytest.raises(parallel.WorkerError, match="ValueError: seven"):
        list(parallel.striped(fail_on_seven, list(range(12)), ctx, jobs=2))


def test_an_expected_error_in_a_worker_is_raised_as_itself(ctx: ScanContext) -> None:
    with pytest.raises(GitError, match=r"^git cat-file ended early$"):
        list(parallel.striped(git_error_on_three, list(range(12)), ctx, jobs=2))


def test_a_worker_that_dies_is_an_error(ctx: ScanContext) -> None:
    with pytest.raises(parallel.WorkerError, match="ended without finishing"):
        list(parallel.striped(die_on_five, list(range(12)), ctx, jobs=2))


def test_striped_on_a_spawn_platform(ctx: ScanContext, monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    results = list(parallel.striped(square_with_pid, list(range(5)), ctx, jobs=2))
    assert [r for r, _ in results] == [0, 1, 4, 9, 16]
    assert os.getpid() not in {pid for _, pid in results}
