"""Request workspaces: uploads saved under names the server chooses, removed afterwards.

A client's file name is never a path on the server: only its suffix (``.yaml``, ``.csv``…)
is kept, checked against the kinds the input takes, so the core reads each file as the CLI
reads it and its messages name it as the CLI would (``operation.yaml: lots[0].cpv: …``).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path, PurePath

from fastapi import Request, UploadFile
from starlette.datastructures import UploadFile as StarletteUpload

from clausegen.service.problems import ProblemError

MAPPING_SUFFIXES = (".yaml", ".yml", ".json")
TABLE_SUFFIXES = (".csv", ".xlsx")
WORKSPACE_PREFIX = "clausegen-api-"
YAML_MEDIA_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
"""A body sent as one of these is an operation in YAML (RFC 9512 and the older names)."""


class Workspace:
    """A private temporary folder for one request's inputs and outputs."""

    def __init__(self, request: Request) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix=WORKSPACE_PREFIX))
        request.state.workspace = str(self.folder)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def path(self, name: str) -> Path:
        """Where the server keeps ``name`` (a name it chose)."""
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    async def save(
        self, upload: UploadFile, field: str, stem: str, suffixes: tuple[str, ...]
    ) -> Path:
        """``upload`` (the form field ``field``) saved as ``stem`` and its own suffix."""
        suffix = PurePath(upload.filename or "").suffix.lower()
        if suffix not in suffixes:
            shown = repr(upload.filename) if upload.filename else "a file with no name"
            raise ProblemError(
                422,
                f"{field}: {shown} is not a {' or '.join(suffixes)} file; upload the file "
                f"with its own extension ({', '.join(suffixes)}).",
                [{"field": field, "detail": f"{field}: expected {', '.join(suffixes)}."}],
            )
        path = self.path(f"{stem}{'.yaml' if suffix == '.yml' else suffix}")
        path.write_bytes(await upload.read())
        return path

    async def save_if_given(
        self, upload: UploadFile | None, field: str, stem: str, suffixes: tuple[str, ...]
    ) -> Path | None:
        """``upload`` saved as ``save`` does; None when the optional field was left empty."""
        if upload is None or not upload.filename:
            return None
        return await self.save(upload, field, stem, suffixes)


async def body_or_upload(
    request: Request,
    workspace: Workspace,
    field: str,
    what: str,
    body_name: str,
    suffixes: tuple[str, ...],
) -> Path:
    """A request's input file: the upload of its multipart field ``field`` (``what`` names
    it in the error when missing), else its body saved as ``body_name`` (as YAML when the
    body is sent as YAML and the input takes it)."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get(field)
        if not isinstance(upload, StarletteUpload):
            detail = f"{field}: missing; upload {what} in the form field {field}."
            raise ProblemError(422, detail, [{"field": field, "detail": detail}])
        return await workspace.save(upload, field, field, suffixes)
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type in YAML_MEDIA_TYPES and ".yaml" in suffixes:  # read as YAML, not JSON
        body_name = f"{PurePath(body_name).stem}.yaml"
    path = workspace.path(body_name)
    path.write_bytes(await request.body())
    return path
