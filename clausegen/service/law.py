"""``GET /fragments…`` and ``/parameters``: what ``clausegen fragments`` shows, as JSON."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from clausegen.cli.views.fragments_text import fragment_diff
from clausegen.documents.fragments import load_fragments
from clausegen.law.fragments import Fragment, FragmentVersion
from clausegen.law.parameters import Parameter, load_parameters

router = APIRouter(tags=["law"])


def _version(version: FragmentVersion, *, text: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "effective_from": version.effective_from.isoformat(),
        "until": version.until.isoformat() if version.until else None,
        "source": version.source,
        "status": version.reliability.value,
        "sha256": version.sha256,
    }
    if text:
        data["text"] = version.text
    return data


def _fragment(fragment: Fragment, at: date | None) -> dict[str, Any]:
    in_force = fragment.version_at(at) if at is not None else None
    return {
        "id": fragment.id,
        "title": fragment.title,
        "context": fragment.context,
        "file": str(fragment.source),
        "versions": [_version(v) for v in fragment.versions],
        "in_force": in_force.effective_from.isoformat() if in_force else None,
    }


@router.get("/fragments", summary="Every fragment and its versions (fragments list)")
def fragments(date: Annotated[date | None, Query()] = None) -> list[dict[str, Any]]:
    """Every legal fragment with its versions; with ``date``, the version in force then."""
    return [_fragment(f, date) for f in load_fragments()]


@router.get("/fragments/{fragment_id}", summary="One fragment's text (fragments show)")
def fragment(fragment_id: str, date: Annotated[date | None, Query()] = None) -> dict[str, Any]:
    """The fragment's version in force on ``date`` (the newest without it), with its text."""
    found = load_fragments().get(fragment_id)
    version = found.at(date).version if date is not None else found.versions[-1]
    return {
        **_fragment(found, date),
        "citation": f"{found.id}@{version.effective_from.isoformat()}",
        "version": _version(version, text=True),
    }


@router.get("/fragments/{fragment_id}/diff", summary="Two versions compared (fragments diff)")
def fragment_versions_diff(
    fragment_id: str,
    first: Annotated[date, Query(alias="from")],
    second: Annotated[date, Query(alias="to")],
) -> dict[str, Any]:
    """The versions in force on ``from`` and ``to``, and their unified diff (the CLI's)."""
    found = load_fragments().get(fragment_id)
    before, after = found.at(first), found.at(second)
    return {
        "id": found.id,
        "from": before.citation,
        "to": after.citation,
        "same": before.version == after.version,
        "diff": fragment_diff(found, first, second),
    }


def _parameter(parameter: Parameter, at: date | None) -> dict[str, Any]:
    values = [
        {
            "effective_from": v.effective_from.isoformat(),
            "until": v.until.isoformat() if v.until else None,
            "value": _plain(v.value),
            "reference": v.reference,
            "status": v.reliability.value,
            "source_url": v.source_url,
        }
        for v in parameter.values
    ]
    data: dict[str, Any] = {
        "id": parameter.id,
        "description": parameter.description,
        "unit": parameter.unit,
        "file": str(parameter.source),
        "values": values,
    }
    if at is not None:
        chosen = parameter.values.at(at)
        data["in_force"] = _plain(chosen.value) if chosen is not None else None
    return data


def _plain(value: object) -> object:
    """A parameter value in JSON: decimals as strings (exact), the rest as they are."""
    return value if isinstance(value, bool | str | int) or value is None else str(value)


@router.get("/parameters", summary="The dated parameters (and their values on a date)")
def parameters(date: Annotated[date | None, Query()] = None) -> list[dict[str, Any]]:
    """Every parameter with its dated values; with ``date``, the value in force then."""
    return [_parameter(p, date) for p in load_parameters()]
