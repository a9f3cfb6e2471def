"""Worker processes: as many as the cores, forked, Ctrl-C left to the command's process.

Workers are forked, so that they start with what the command has prepared (a template, the
functions they run) without pickling it. They ignore Ctrl-C: the command's process handles
it, once, stops them and says what was done. SIGTERM ends a worker at once, as the pool
expects when it stops them: the command's own SIGTERM handler (``cli.app.run``, which
unwinds the command) is not theirs, since a worker unwinding from wherever the signal found
it could stop holding the pool's queue lock, and the pool would wait for it forever.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.pool import Pool
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


HELD = frozenset({signal.SIGINT, signal.SIGTERM})
"""The signals held (blocked) while workers are forked, until each has set its own
dispositions: a SIGTERM that reached a worker before then ran the command's handler, or
was lost when the worker set SIG_DFL between the signal's arrival and its handler's turn
(Python runs a handler later, looking it up then): the worker lived on, and the pool waited
for it forever when it was stopped."""


def _worker_signals() -> None:
    """In a worker: Ctrl-C is the parent's to handle; SIGTERM ends the worker at once. Then
    the signals held since the fork are let through (a SIGTERM that came meanwhile ends the
    worker now)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)


def worker_pool(jobs: int) -> Pool:
    """``jobs`` forked workers (a context manager: leaving it stops them). ``HELD`` signals
    are held while they are forked (the pool's threads, which fork later workers, start
    with them held too); the command gets one that came meanwhile once they are forked."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        return multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_signals)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def map_in_order(
    function: Callable[[Item], Result], items: Iterable[Item], pool: Pool | None
) -> Iterator[Result]:
    """``function`` of each item, in the items' order, on ``pool``'s workers (in this process
    without a pool). ``function`` must be a module's function: workers find it by name."""
    if pool is None:
        return map(function, items)
    return pool.imap(function, items)
