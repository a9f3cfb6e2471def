"""Bounded under load: a body size limit (413), a number of requests working at once, a
bounded queue (429 past it) and a time budget per request (503 past it), with Retry-After.

Work runs in a thread pool as large as the concurrency limit. A request past its budget is
answered 503 at once; its slot stays taken until its thread ends (LibreOffice has its own
timeout), so the number of requests working never exceeds the stated limit. A request whose
client disconnects, or that goes past its budget, has its work cancelled
(``render.cancel``): its conversion takes no new document, so its thread, and its slot, are
freed as soon as the documents under way are done.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clausegen.render.cancel import cancellation
from clausegen.service.problems import ProblemError, problem_response
from clausegen.service.settings import Settings

T = TypeVar("T")


class Limiter:
    """At most ``max_concurrent`` requests working, ``max_queued`` waiting; none past its
    time budget."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.active = 0
        self.waiting = 0
        self._free = asyncio.Semaphore(settings.max_concurrent)
        self._threads = ThreadPoolExecutor(
            settings.max_concurrent, thread_name_prefix="clausegen-work"
        )

    def state(self) -> dict[str, int | float]:
        """The limits and how full they are (for /health)."""
        return {
            "max_concurrent": self.settings.max_concurrent,
            "max_queued": self.settings.max_queued,
            "time_budget_seconds": self.settings.time_budget,
            "max_body_bytes": self.settings.max_body_bytes,
            "active": self.active,
            "waiting": self.waiting,
        }

    def _retry(self, status: int, detail: str) -> ProblemError:
        return ProblemError(status, detail, headers={"Retry-After": str(self.settings.retry_after)})

    async def enter(self) -> float:
        """Take a working slot, waiting in the queue if need be; the budget's deadline."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.time_budget
        # counted, not read off the semaphore: a slot just given back to a waiter that has
        # not run yet is still "locked" there, which would refuse a request within the limits
        capacity = self.settings.max_concurrent + self.settings.max_queued
        if self.active + self.waiting >= capacity:
            raise self._retry(
                429,
                f"The server is busy: {self.settings.max_concurrent} requests are being worked "
                f"on and {self.waiting} are waiting, its stated limits. Retry after "
                f"{self.settings.retry_after} seconds.",
            )
        self.waiting += 1
        try:
            await asyncio.wait_for(self._free.acquire(), self.settings.time_budget)
        except TimeoutError:
            raise self._budget_spent() from None
        finally:
            self.waiting -= 1
        self.active += 1
        return deadline

    def leave(self) -> None:
        """Give the slot back (from the event loop's thread)."""
        self.active -= 1
        self._free.release()

    def _budget_spent(self) -> ProblemError:
        return self._retry(
            503,
            f"The request did not finish within the server's time budget of "
            f"{self.settings.time_budget:g} seconds; retry after "
            f"{self.settings.retry_after} seconds, or send less at once.",
        )

    async def run(
        self,
        work: Callable[[], T],
        *,
        cleanup: Callable[[], None],
        hold: bool = False,
        request: Request | None = None,
    ) -> T:
        """``work()`` in a working slot and a thread, within the time budget; ``cleanup()``
        once it is over (or refused). With ``hold``, the slot stays taken until the caller
        calls ``release`` (a streamed response). With ``request`` (its body already read),
        the work is cancelled when its client disconnects."""
        try:
            deadline = await self.enter()
        except BaseException:
            cleanup()
            raise
        loop = asyncio.get_running_loop()
        abandoned = False

        def over(future: asyncio.Future[T]) -> None:
            cleanup()
            failed = future.cancelled() or future.exception() is not None
            if not hold or abandoned or failed:
                self.leave()

        cancel = threading.Event()
        context = contextvars.copy_context()
        context.run(cancellation.set, cancel)
        future = loop.run_in_executor(self._threads, context.run, work)
        future.add_done_callback(over)
        racers: set[asyncio.Future[object]] = {future}  # type: ignore[arg-type]
        left = asyncio.ensure_future(_disconnected(request.receive)) if request else None
        if left is not None:
            racers.add(left)
        try:
            done, _ = await asyncio.wait(
                racers, timeout=max(0.0, deadline - loop.time()), return_when="FIRST_COMPLETED"
            )
        finally:
            if left is not None:
                left.cancel()
        if future in done:
            return future.result()
        abandoned = True
        cancel.set()
        if left is not None and left in done:
            raise ProblemError(400, "The client closed the connection; its work was cancelled.")
        raise self._budget_spent()

    def held(self, loop: asyncio.AbstractEventLoop) -> HeldSlot:
        """The slot a ``hold`` run kept, to give back once from any thread."""
        return HeldSlot(self, loop)

    def release(self, loop: asyncio.AbstractEventLoop) -> None:
        """Give back a held slot, from any thread."""
        loop.call_soon_threadsafe(self.leave)

    def shutdown(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)


async def _disconnected(receive: Receive) -> None:
    """Returns when the client has closed the connection (the body is already read)."""
    while (await receive())["type"] != "http.disconnect":
        pass


class BodyLimit:
    """ASGI middleware: a body over ``limit`` bytes gets 413, by its Content-Length or as
    soon as a chunked body goes past it; a body still arriving ``seconds`` after the request
    began (a stalled or deliberately slow upload, which would hold its connection for ever)
    gets 408."""

    def __init__(self, app: ASGIApp, limit: int, seconds: float) -> None:
        self.app = app
        self.limit = limit
        self.seconds = seconds

    def _too_slow(self) -> str:
        return (
            "The request body did not arrive within the server's time budget "
            f"({self.seconds:g} s); send the request again over a working connection (the "
            "upload stalled)."
        )

    def _too_large(self) -> str:
        return (
            f"The request body is larger than the server's limit of {self.limit} bytes; "
            "send smaller files, or ask the administrator to raise --max-body."
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await problem_response(413, self._too_large(), instance=scope["path"])(
                scope, receive, send
            )
            return
        received = 0
        started = False
        complete = False
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.seconds

        async def counted() -> Message:
            nonlocal received, complete
            if complete:  # the body is in: waiting for the client to leave is not bounded
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(deadline - loop.time(), 0))
            except TimeoutError:
                raise _TooSlow from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
                complete = not message.get("more_body", False)
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except _TooLarge:
            if not started:
                await problem_response(413, self._too_large(), instance=scope["path"])(
                    scope, receive, send
                )
        except _TooSlow:
            if not started:
                await problem_response(408, self._too_slow(), instance=scope["path"])(
                    scope, receive, send
                )


class _TooLarge(Exception):
    """A chunked body went past the limit."""


class _TooSlow(Exception):
    """The body was still arriving when the request's time was up."""


class HeldSlot:
    """A working slot kept past its thread (a streamed response): given back once, when the
    stream ends or, if the client left before it began, when the stream is dropped."""

    def __init__(self, limiter: Limiter, loop: asyncio.AbstractEventLoop) -> None:
        self._limiter: Limiter | None = limiter
        self._loop = loop

    def release(self) -> None:
        if self._limiter is not None:
            self._limiter.release(self._loop)
            self._limiter = None

    def __del__(self) -> None:
        self.release()
