"""``POST /calibrage``: ``clausegen calibrate --format json`` (or its explanation) over HTTP."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from clausegen.calibration.calibrate import calibrate
from clausegen.cli.options import about
from clausegen.cli.views.calibration_json import calibration_json
from clausegen.cli.views.explanation import explanation
from clausegen.inputs.loading import load_operation
from clausegen.law.parameters import load_parameters
from clausegen.service.uploads import MAPPING_SUFFIXES, Workspace, body_or_upload

router = APIRouter(tags=["calibrage"])

OPERATION_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "object", "title": "operation"}},
            "application/yaml": {"schema": {"type": "string", "title": "operation.yaml"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["operation"],
                    "properties": {"operation": {"type": "string", "format": "binary"}},
                }
            },
        },
    }
}


class CalibrageFormat(StrEnum):
    json = "json"
    explication = "explication"


async def operation_input(request: Request, workspace: Workspace) -> Path:
    """The operation of a request: its JSON body, or the file of its ``operation`` field."""
    return await body_or_upload(
        request,
        workspace,
        "operation",
        "the operation file (.yaml or .json)",
        "operation.json",
        MAPPING_SUFFIXES,
    )


def calibrage_text(operation: Path, output_format: CalibrageFormat) -> tuple[str, str]:
    """The calibrage of ``operation`` as the CLI prints it, and its media type."""
    loaded = load_operation(operation)
    with about(operation):
        calibration = calibrate(loaded, load_parameters(), loaded.consultation.date_lancement)
    if output_format is CalibrageFormat.explication:
        return explanation(loaded, calibration), "text/plain; charset=utf-8"
    return calibration_json(loaded, calibration), "application/json"


@router.post(
    "/calibrage",
    openapi_extra=OPERATION_BODY,
    responses={200: {"content": {"application/json": {}, "text/plain": {}}}},
    summary="Size each lot's insertion hours (clausegen calibrate --format json)",
)
async def calibrage(request: Request, format: CalibrageFormat = CalibrageFormat.json) -> Response:
    """The operation (a JSON body, or a YAML/JSON file in the multipart field ``operation``)
    sized at its launch date: the ``clausegen.calibrage/1`` document with its trace, or
    with ``?format=explication`` the French explanation of every step."""
    workspace = Workspace(request)
    try:
        operation = await operation_input(request, workspace)
    except BaseException:
        workspace.close()
        raise
    text, media_type = await request.app.state.limiter.run(
        lambda: calibrage_text(operation, format), cleanup=workspace.close, request=request
    )
    if media_type.startswith("text/plain"):
        return PlainTextResponse(text)
    return Response(text, media_type=media_type)
