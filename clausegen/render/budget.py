"""The time and memory one document's rendering may take, and its failures as clear errors.

The sandbox (``clausegen.law.sandbox``) refuses what a template visibly does wrong; what it
cannot see (a text doubled in a loop, loops nested deep) is stopped here. While one
template is prepared or one document rendered:

- **memory**: the process's address space may grow by at most ``MEMORY_BUDGET`` bytes
  (``RLIMIT_AS``, restored afterwards); past it an allocation fails with ``MemoryError``,
  which frees what the render built;
- **time**: a wall-clock alarm (``SIGALRM``) stops it after ``TIME_BUDGET`` seconds.

Both apply in the main thread of a process on Linux, where the CLI and its batch workers
render; elsewhere only the sandbox's limits apply. Every failure of a template on a
document becomes a ``TemplateRenderError`` naming the template and the document.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from jinja2 import TemplateError as JinjaError
from jinja2.sandbox import SecurityError
from lxml import etree

from clausegen.errors import TemplateRenderError, escaped

try:
    import resource
except ImportError:  # not a Unix
    resource = None  # type: ignore[assignment]

TIME_BUDGET = 10.0
"""Seconds one document's rendering (or one template's preparation) may take."""
MEMORY_BUDGET = 512 * 1024 * 1024
"""Bytes of address space one document's rendering may add to the process (512 MiB)."""

Result = TypeVar("Result")


class BudgetExpired(BaseException):
    """The time budget ran out (a ``BaseException``: no ``except Exception`` swallows it)."""


def within_budget(path: Path, document: str, render: Callable[[], Result]) -> Result:
    """``render()``, within the budget; its failures as errors naming ``path`` and
    ``document``."""

    def failed(reason: str) -> TemplateRenderError:
        return TemplateRenderError(path=path, document=document, reason=reason)

    try:
        with _budget():
            return render()
    except BudgetExpired:
        raise failed(
            f"rendering took more than {TIME_BUDGET:g} s, the most one document may take; "
            "the template's loops do too much: simplify them."
        ) from None
    except MemoryError:
        raise failed(
            f"rendering needed more than {MEMORY_BUDGET // 2**20} MiB of memory, the most one "
            "document may take; the template builds a huge text: simplify it."
        ) from None
    except RecursionError:
        raise failed(
            "the template calls itself too deeply (a macro or loop without end); "
            "write it without recursion."
        ) from None
    except SecurityError as error:
        raise failed(
            f"the template does what the sandbox forbids ({str(error).rstrip('.')}); "
            f"clausegen templates check {escaped(str(path))} shows where."
        ) from None
    except JinjaError as error:
        raise failed(_template_failure(error)) from None
    except etree.XMLSyntaxError as error:
        raise failed(
            f"the rendered document is not valid XML ({error}); a block tag opens in one "
            "paragraph or cell and closes in another: use {%p …%} for paragraphs and "
            "{%tr …%} for table rows, or keep both tags in the same paragraph."
        ) from None
    except (ArithmeticError, LookupError, TypeError, ValueError) as error:
        # what an expression of the template can raise: 1 / 0, 'a' - 1, int('x', 99)…
        raise failed(_template_failure(error)) from None


def _template_failure(error: BaseException) -> str:
    return (
        f"the template failed on this document ({type(error).__name__}: {error}); "
        "guard optional values in the template with {% if … %}."
    )


@contextmanager
def _budget() -> Iterator[None]:
    """The time and memory budget, in the main thread of a Unix process; else nothing."""
    if resource is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous_limit = resource.getrlimit(resource.RLIMIT_AS)
    previous_handler = signal.signal(signal.SIGALRM, _expire)
    in_use = _address_space()
    if in_use is not None:
        ceiling = _memory_ceiling(in_use, previous_limit)
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, previous_limit[1]))
    signal.setitimer(signal.ITIMER_REAL, TIME_BUDGET)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        resource.setrlimit(resource.RLIMIT_AS, previous_limit)


def _memory_ceiling(in_use: int, limit: tuple[int, int]) -> int:
    """The address space in use plus the budget, never above the current limits."""
    ceiling = in_use + MEMORY_BUDGET
    for bound in limit:
        if bound != resource.RLIM_INFINITY:
            ceiling = min(ceiling, bound)
    return ceiling


def _address_space() -> int | None:
    """The process's address space in bytes (``VmSize``); None where it cannot be read
    (not Linux), and then memory is not limited."""
    if not sys.platform.startswith("linux"):
        return None
    with Path("/proc/self/status").open(encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return None


def _expire(signum: int, frame: object) -> None:
    raise BudgetExpired
