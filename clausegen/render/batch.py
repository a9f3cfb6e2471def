"""Making many documents: record by record, across processes, each written when done.

A batch command (``balance``) prepares what every record shares (a template) and a function
that renders one record's files, then starts its workers (``batch_workers``) *before* it
reads its input: forked then, workers share the prepared template without pickling it, and
none of the input the command reads afterwards, so their memory does not grow with it. The
same workers can first help read the input (``clausegen.workers.map_in_order``). Each worker
is then handed only the records it renders, a chunk at a time through the pool's task
queue (``run_batch``). Given a staging area (``StagingArea``), the process that rendered a
record writes its files there itself (all or none), so that documents never travel between
processes and file creation runs on every core; only their names come back. The command's
process commits each record's files as they come (``OutputFolder.commit``), so it knows
exactly what is on disk. A record that fails to render is reported with its own message
and does not stop the others; the caller turns failures into an exit code. Workers ignore
Ctrl-C: the command's process handles it, once, and says what was written.
"""

from __future__ import annotations

import gc
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.pool import Pool
from typing import Generic, TypeVar

from jinja2 import TemplateError as JinjaError

from clausegen.errors import ClausegenError, OutputError, TemplateRenderError, escaped
from clausegen.render.outputs import OutputFile, StagingArea, folder_wide
from clausegen.workers import worker_pool

Record = TypeVar("Record")
CHUNK = 8
"""Records a worker takes at a time: few enough to keep the progress bar moving."""


@dataclass(frozen=True)
class RecordDone:
    """One record's outcome: its rendered files (or their names, once staged), or why there
    are none."""

    key: str
    files: tuple[OutputFile, ...]
    failure: str | None
    staged: tuple[str, ...] = ()
    """Where the files were written in the job's staging area (``OutputFolder.take``)."""
    write_error: OutputError | None = None
    """Why the files could not be written, when that is the failure."""
    stops: bool = False
    """Whether that write failure will hit every later record too (a full disk)."""
    notes: tuple[str, ...] = ()
    """What the command tells about the record (its warnings), whatever its outcome."""


@dataclass(frozen=True)
class BatchJob(Generic[Record]):
    """The function rendering one record (and where its files go, and its warnings)."""

    render: Callable[[Record], list[OutputFile]]
    staging: StagingArea | None = None
    """Where the process rendering a record writes its files; None: they come back in
    ``RecordDone.files``."""
    notes: Callable[[Record], tuple[str, ...]] | None = None
    """The record's warnings, made where it is rendered."""

    def run_record(self, key: str, record: Record) -> RecordDone:
        """``record``'s outcome; a worker is handed the record with its key."""
        notes: tuple[str, ...] = ()
        try:
            notes = self.notes(record) if self.notes is not None else ()
            files = self.render(record)
            staged = self.staging.write_all(files) if self.staging is not None else ()
        except OutputError as error:
            failure = str(error)
            return RecordDone(
                key, (), failure, write_error=error, stops=folder_wide(error), notes=notes
            )
        except TemplateRenderError as error:  # the record's file is named by the caller
            return RecordDone(key, (), f"{escaped(str(error.path))}: {error.reason}", notes=notes)
        except ClausegenError as error:
            return RecordDone(key, (), " ".join(error.messages()), notes=notes)
        except JinjaError as error:
            failure = (
                f"the template failed on this record ({type(error).__name__}: {error}); "
                "guard optional values in the template with {% if … %}."
            )
            return RecordDone(key, (), failure, notes=notes)
        except Exception:  # a bug: reported with its traceback, the other records go on
            return RecordDone(key, (), f"unexpected error:\n{traceback.format_exc()}", notes=notes)
        if self.staging is not None:
            return RecordDone(key, (), None, staged=staged, notes=notes)
        return RecordDone(key, tuple(files), None, notes=notes)


_CURRENT: BatchJob | None = None
"""The job of this process: set before the workers are forked, so they inherit its render
function; records come to them one chunk at a time."""


def _run_in_worker(task: tuple[str, object]) -> RecordDone:
    assert _CURRENT is not None
    key, record = task
    return _CURRENT.run_record(key, record)


@contextmanager
def batch_workers(job: BatchJob, jobs: int) -> Iterator[Pool | None]:
    """``jobs`` workers for ``job`` (None when ``jobs`` is 1: records are rendered in this
    process), forked now; stopped on leaving. The objects made so far are frozen out of
    the garbage collector (``gc.freeze``) while the workers live, so that collections in
    the command's process or in a worker do not write to the pages they share."""
    if jobs <= 1:
        yield None
        return
    global _CURRENT
    _CURRENT = job
    try:
        gc.freeze()
        with worker_pool(jobs) as pool:
            yield pool
    finally:
        gc.unfreeze()
        _CURRENT = None


def run_batch(
    job: BatchJob[Record], records: dict[str, Record], pool: Pool | None
) -> Iterator[RecordDone]:
    """Each record's outcome as it completes (in any order on ``pool``'s workers, which
    ``batch_workers`` started for ``job``; in this process without a pool)."""
    if pool is None or len(records) <= 1:
        for key, record in records.items():
            yield job.run_record(key, record)
        return
    assert _CURRENT is job, "the pool's workers were started for another job"
    yield from pool.imap_unordered(_run_in_worker, records.items(), chunksize=CHUNK)
