"""``POST /export/decp`` and ``POST /import/eforms``: ``clausegen export decp`` and
``clausegen import eforms`` over HTTP, with the CLI's values and messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from clausegen.cli.exports import decp_json
from clausegen.inputs.eforms_notice import read_notice
from clausegen.inputs.operation_skeleton import operation_skeleton
from clausegen.service.calibrage import OPERATION_BODY, operation_input
from clausegen.service.uploads import Workspace, body_or_upload

router = APIRouter(tags=["open data"])

NOTICE_SUFFIXES = (".xml",)

NOTICE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/xml": {"schema": {"type": "string", "title": "notice"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["notice"],
                    "properties": {"notice": {"type": "string", "format": "binary"}},
                }
            },
        },
    }
}


@router.post(
    "/export/decp",
    openapi_extra=OPERATION_BODY,
    responses={200: {"content": {"application/json": {}}}},
    summary="Each lot's DECP v2 and eForms social codes (clausegen export decp)",
)
async def export_decp(request: Request) -> Response:
    """The operation (a JSON body, or a YAML/JSON file in the multipart field ``operation``)
    as the ``clausegen.decp/1`` document: per lot, the DECP v2 fields known at launch with
    ``considerationsSociales``, and the eForms BT-06, BT-775 and BT-71 codes."""
    workspace = Workspace(request)
    try:
        operation = await operation_input(request, workspace)
    except BaseException:
        workspace.close()
        raise
    text = await request.app.state.limiter.run(
        lambda: decp_json(operation), cleanup=workspace.close
    )
    return Response(text, media_type="application/json")


async def notice_input(request: Request, workspace: Workspace) -> Path:
    """The notice of a request: its XML body, or the file of its ``notice`` field."""
    return await body_or_upload(
        request,
        workspace,
        "notice",
        "the eForms contract notice (.xml)",
        "notice.xml",
        NOTICE_SUFFIXES,
    )


def skeleton_data(notice: Path) -> dict[str, Any]:
    """The operation skeleton read from ``notice`` and the fields left to fill."""
    reading = read_notice(notice)
    skeleton = operation_skeleton(reading)
    return {
        "avis": str(reading.kind),
        "operation": skeleton.text,
        "a_completer": [{"champ": f.path, "indication": f.reason} for f in skeleton.to_fill],
    }


@router.post(
    "/import/eforms",
    openapi_extra=NOTICE_BODY,
    responses={200: {"content": {"application/json": {}}}},
    summary="An eForms notice → an operation skeleton (clausegen import eforms)",
)
async def import_eforms(request: Request) -> Response:
    """The notice (contract notice, prior information notice or VEAT; an XML body, or a file
    in the multipart field ``notice``) read into ``avis`` (the kind of notice read),
    ``operation`` (the operation.yaml text, each field the notice does not give marked
    « À COMPLÉTER ») and ``a_completer`` (those fields: ``champ`` and ``indication``)."""
    workspace = Workspace(request)
    try:
        notice = await notice_input(request, workspace)
    except BaseException:
        workspace.close()
        raise
    data = await request.app.state.limiter.run(
        lambda: skeleton_data(notice), cleanup=workspace.close
    )
    return JSONResponse(data)
