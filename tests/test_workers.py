"""Worker processes (``clausegen.workers``): forked, Ctrl-C left to the command, and SIGTERM
ending a worker at once rather than running the command's own handler."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest

from clausegen import workers as workers_module
from clausegen.cli import app
from clausegen.workers import map_in_order, worker_pool


def _dispositions(_: int) -> tuple[object, object]:
    return signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)


@pytest.fixture
def command_handler() -> Iterator[None]:
    """This process as ``clausegen``'s: SIGTERM unwinds it (``cli.app._terminated``)."""
    previous, pid = signal.getsignal(signal.SIGTERM), app._command_pid
    app._command_pid = os.getpid()
    signal.signal(signal.SIGTERM, app._terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        app._command_pid = pid


def test_a_worker_leaves_ctrl_c_to_the_command_and_dies_of_sigterm(command_handler):
    with worker_pool(2) as pool:
        found = set(map_in_order(_dispositions, range(4), pool))
    assert found == {(signal.SIG_IGN, signal.SIG_DFL)}


_MASK_AT_START: set[int] = set()
_WORKER_SIGNALS = workers_module._worker_signals


def _recording_worker_signals() -> None:
    """``_worker_signals``, noting first which signals the new worker holds."""
    _MASK_AT_START.update(signal.pthread_sigmask(signal.SIG_BLOCK, ()))
    _WORKER_SIGNALS()


def _masks(_: int) -> tuple[frozenset[int], frozenset[int]]:
    return frozenset(_MASK_AT_START), frozenset(signal.pthread_sigmask(signal.SIG_BLOCK, ()))


def test_a_worker_holds_sigterm_until_its_own_dispositions_are_set(monkeypatch):
    """A SIGTERM that reached a worker before its initializer set SIG_DFL was lost (the
    handler Python looked up later was SIG_DFL): the worker lived on and stopping the pool
    waited for it forever. Held from the fork, it is let through once SIG_DFL is set."""
    monkeypatch.setattr(workers_module, "_worker_signals", _recording_worker_signals)
    before = signal.pthread_sigmask(signal.SIG_BLOCK, ())
    with worker_pool(2) as pool:
        assert signal.pthread_sigmask(signal.SIG_BLOCK, ()) == before  # the command's again
        masks = set(map_in_order(_masks, range(4), pool))
    held = {signal.SIGINT, signal.SIGTERM}
    assert all(held <= at_start and not held & now for at_start, now in masks), masks


def test_a_process_forked_from_the_command_is_ended_by_sigterm_not_unwound(command_handler):
    """Before a worker sets its own signals, it still has the command's handler: there
    SIGTERM must end it, not raise SystemExit into the command's code it was forked from."""
    child = os.fork()
    if child == 0:  # pragma: no cover - the child process
        try:
            time.sleep(30)
        except SystemExit:
            os._exit(99)  # unwound: what must not happen
        finally:
            os._exit(0)
    time.sleep(0.2)
    os.kill(child, signal.SIGTERM)
    _, status = os.waitpid(child, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGTERM, status
