"""RFC 9457 problem details: every error the API returns, with the CLI's own messages.

A ``ClausegenError`` becomes a problem whose ``detail`` is the CLI's ``Error:`` lines (without
the prefix) and whose ``errors[]`` holds one entry per message, with its file and field when
the error is about an input file. Nothing else reaches a client as a traceback: an
unexpected exception is logged here and answered with a 500 problem saying so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from clausegen.documents.formatting import date_fr, month_fr
from clausegen.errors import (
    MAX_REPORTED_PROBLEMS,
    ClausegenError,
    FragmentDataError,
    InputError,
    InputFilesError,
    LibreOfficeMissingError,
    Month,
    OutputError,
    ParameterDataError,
    PdfConversionError,
    Problem,
    UnknownFragmentError,
    UnknownParameterError,
)

MEDIA_TYPE = "application/problem+json"
LOG = logging.getLogger("clausegen.service")


@dataclass
class ProblemError(Exception):
    """An error the API answers with a problem detail (raised by routes and limits)."""

    status: int
    detail: str
    errors: list[dict[str, Any]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.detail


def problem_response(
    status: int,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    *,
    instance: str | None = None,
) -> JSONResponse:
    """An ``application/problem+json`` response: type, title, status, detail, errors."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if instance is not None:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, headers=headers, media_type=MEDIA_TYPE)


def status_of(error: ClausegenError) -> int:
    """The HTTP status of a clausegen error: the client's input (4xx) or the server (5xx)."""
    if isinstance(error, UnknownFragmentError | UnknownParameterError):
        return 404
    if isinstance(error, LibreOfficeMissingError):
        return 503
    if isinstance(error, PdfConversionError):
        return 502
    if isinstance(error, OutputError | FragmentDataError | ParameterDataError):
        return 500  # the server's own data or disk, not the request
    return 422


def _relative(message: str, workspace: str | None) -> str:
    """A message naming input files as the client sent them (``operation.yaml``), not by
    where the server kept them."""
    return message.replace(workspace.rstrip("/") + "/", "") if workspace else message


def clausegen_problem(error: ClausegenError, workspace: str | None = None) -> ProblemError:
    """The problem detail of ``error``: its messages as the CLI prints them."""
    inputs = error.errors if isinstance(error, InputFilesError) else [error]
    errors: list[dict[str, Any]] = []
    for each in inputs:
        lines = [_relative(m, workspace) for m in each.messages()]
        if isinstance(each, InputError):
            shown = min(len(each.problems), MAX_REPORTED_PROBLEMS)
            located = zip(lines[:shown], each.problems[:shown], strict=True)
            errors += [_entry(_relative(str(each.path), workspace), p, m) for m, p in located]
            lines = lines[shown:]
        errors += [{"detail": m} for m in lines]
    messages = [entry["detail"] for entry in errors]
    return ProblemError(status_of(error), "\n".join(messages), errors)


def _entry(file: str, problem: Problem, message: str) -> dict[str, Any]:
    """One ``errors[]`` item: the file, the field (or row and column) and the CLI's message;
    with, as extension members, the problem's ``kind`` and its ``values`` (the row, column,
    value… a client words the problem with, as the facilitator's page does in French)."""
    entry: dict[str, Any] = {"file": file, "field": problem.location, "detail": message}
    if problem.kind:
        entry["kind"] = problem.kind
        entry["values"] = {key: _plain(value) for key, value in problem.context.items()}
    return entry


def _plain(value: object) -> str | int | list[str | int]:
    """A value as JSON carries it: whole numbers as numbers (a row), several as a list
    (rows 4 and 5), days and months as French writes them (``15 mars 2027``, ``mars 2027``:
    the values serve a French wording; the ``detail`` keeps the CLI's ISO dates), the rest
    as text."""
    if isinstance(value, list | tuple):
        return [_plain(each) for each in value]  # type: ignore[misc]
    if isinstance(value, Month):
        return month_fr(value.first_day)
    if isinstance(value, date):
        return date_fr(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else str(value)


def install_handlers(app: FastAPI) -> None:
    """Every error becomes a problem detail; an unexpected one is logged, never shown."""

    async def on_problem(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ProblemError)
        return problem_response(
            error.status, error.detail, error.errors, error.headers, instance=request.url.path
        )

    async def on_clausegen(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ClausegenError)
        problem = clausegen_problem(error, getattr(request.state, "workspace", None))
        return await on_problem(request, problem)

    async def on_http(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, HTTPException)
        detail = error.detail if isinstance(error.detail, str) else HTTPStatus(error.status_code)
        if error.status_code == 404 and error.detail == "Not Found":
            detail = f"No resource at {request.url.path}; the API's routes are listed at /docs."
        elif error.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}; see /docs."
        elif error.status_code == 400:  # starlette could not parse the form (multipart)
            detail = (
                f"The request's form could not be read ({str(detail).rstrip('.')}); send the "
                "files as multipart/form-data, as a browser or curl -F does."
            )
        return problem_response(
            error.status_code,
            str(detail),
            headers=dict(error.headers or {}),
            instance=request.url.path,
        )

    async def on_validation(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        errors = [_validation_entry(item) for item in error.errors()]
        detail = "\n".join(e["detail"] for e in errors)
        return problem_response(422, detail, errors, instance=request.url.path)

    async def on_unexpected(request: Request, error: Exception) -> JSONResponse:
        LOG.exception("internal error on %s %s", request.method, request.url.path)
        return problem_response(
            500,
            "An internal error happened on the server; it is logged there. Try again, and "
            "if it happens again, tell the server's administrator the time of the request.",
            instance=request.url.path,
        )

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(ClausegenError, on_clausegen)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(Exception, on_unexpected)


def _validation_entry(item: Any) -> dict[str, str]:
    """A request parameter FastAPI refused: where (``query.date``) and what to do."""
    location = [str(part) for part in item.get("loc", ())]
    where = ".".join(location)
    return {"field": where, "detail": f"{where}: {item.get('msg', 'invalid value')}."}
