"""Turning pydantic validation errors into readable problems, one per field.

Each problem names the field path as a user writes it (``lots[1].montant_estime_ht``) and
says what is wrong in a full sentence. Custom validators raise ``PydanticCustomError`` with
their own sentence, which is kept as it is.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from clausegen.errors import Problem
from clausegen.inputs.values import echo


def field_path(location: Sequence[str | int]) -> str:
    """('lots', 1, 'montant_estime_ht') -> 'lots[1].montant_estime_ht'."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def problems_from(
    error: ValidationError, model: type[BaseModel], *, union_tags: frozenset[str] = frozenset()
) -> list[Problem]:
    """One Problem per pydantic error, in the order pydantic found them.

    ``union_tags`` are the discriminator values of the model's tagged unions: pydantic puts
    them in error locations, where a user would not expect them.
    """
    problems = []
    for item in error.errors(include_url=False):
        location = [part for part in item["loc"] if not _is_inserted(part, union_tags)]
        if item["type"] == "union_tag_invalid":  # name the tag's own key, not its parent
            location.append(str(item["ctx"]["discriminator"]).strip("'"))
        if item["type"] == "invalid_key":  # the key is no place: name its block
            location = location[:-1]
        sentence = _sentence(item, item["loc"], model)
        context = dict(item.get("ctx") or {})
        problems.append(Problem(field_path(location), sentence, item["type"], context))
    return problems


_STEP = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def given_at(data: object, location: str) -> object:
    """What ``data`` (a file's mapping) holds at ``location`` (``contrat.debut``,
    ``formations[1].heures``); None when nothing is there."""
    for index, key in _STEP.findall(location):
        try:
            data = data[int(index)] if index else data[key]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def given_value(data: object, location: str) -> dict[str, object]:
    """What ``data`` gives at ``location`` as a problem's ``value``, when it is a plain one
    (text, a number, a date); nothing otherwise."""
    value = given_at(data, location)
    plain = isinstance(value, str | int | float | date) and not isinstance(value, bool)
    return {"value": value} if plain else {}


def field_values(kind: str, field: str) -> dict[str, str]:
    """The field a problem is about, as a client words it: an unknown key is worded in
    the block that holds it (``field``), as ``key``."""
    if kind == "extra_forbidden":
        parent, _, key = field.rpartition(".")
        return {"field": parent, "key": key}
    return {"field": field}


def _is_inserted(part: str | int, union_tags: frozenset[str]) -> bool:
    """Location parts pydantic adds that are not keys of the file: union tags, validators."""
    return isinstance(part, str) and (part.startswith("function-") or part in union_tags)


def _sentence(item: Any, location: Sequence[str | int], model: type[BaseModel]) -> str:
    kind = item["type"]
    context = item.get("ctx", {})
    given = item.get("input")
    if kind == "extra_forbidden":
        return _unknown_key_sentence(location, model)
    if kind == "string_pattern_mismatch":
        return _pattern_sentence(str(context.get("pattern", "")), given)
    if kind == "invalid_key":
        written = "~ (nothing)" if given is None else str(given)
        return (
            f"the key {written} is not a name; a key is a name such as nom or lots: write "
            "the name it stands for."
        )
    if kind == "missing":
        field = _field_at(model, list(location))
        if field is not None and field.description:
            return f"this field is required; add {field.description}."
        return "this field is required; add it."
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        at_least = f"at least {context.get('ge')}"
        at_least = f"at least {context.get('ge')}"
        bound = {
            "greater_than_equal": "zero or more" if context.get("ge") == 0 else at_least,
            "greater_than": f"more than {context.get('gt')}",
            "less_than_equal": f"at most {context.get('le')}",
            "less_than": f"less than {context.get('lt')}",
        }[kind]
        return f"must be {bound} (got {given})."
    if kind.startswith("date"):
        return _date_sentence(given)
    if kind == "finite_number":
        return f"must be a finite number (got {given})."
    if kind in {"decimal_parsing", "decimal_type", "int_parsing", "int_type", "float_parsing"}:
        return f"must be a number (got {echo(given)})."
    if kind == "decimal_max_places":
        return f"must have at most {context.get('decimal_places')} decimal places (got {given})."
    if kind == "too_long":
        return (
            f"holds {context.get('actual_length')} items, more than the "
            f"{context.get('max_length')} allowed here."
        )
    if kind == "string_too_long":
        return (
            f"is {len(given)} characters long, more than the {context.get('max_length')} "
            "allowed here; shorten it."
        )
    if kind in {"enum", "literal_error"}:
        return f"must be one of {context.get('expected')} (got {echo(given)})."
    if kind == "union_tag_invalid":
        return f"must be one of {context.get('expected_tags')} (got {context.get('tag')!r})."
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return _mapping_sentence(location, model, given)
    if kind == "list_type":
        return f"must be a list, one '- ' item per line (got {echo(given)})."
    if kind == "string_type":
        return f"must be text (got {echo(given)})."
    if kind in {"bool_type", "bool_parsing"}:
        return f"must be true or false (got {echo(given)})."
    message = str(item["msg"])
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    return message if message.endswith(".") else f"{message}."


PATTERN_SENTENCES = {
    r"^[A-Za-z0-9_-]{1,40}$": (
        "is not an id: write 1 to 40 letters without accents, digits, - or _ (such as P01)"
    ),
    r"^[a-z0-9_]+$": (
        "is not a code: write lower-case letters without accents, digits and _ (such as "
        "gros_oeuvre)"
    ),
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$": "is not an e-mail address: write it as name@domain.fr",
}
"""What a value a field's pattern refuses is not, and how to write it, by pattern."""


def _pattern_sentence(pattern: str, given: object) -> str:
    shown = echo(given)
    said = PATTERN_SENTENCES.get(pattern)
    if said is None:
        return f"{shown} is not written as this field takes it ({pattern}); correct it."
    return f"{shown} {said}."


def _mapping_sentence(location: Sequence[str | int], model: type[BaseModel], given: Any) -> str:
    """A block of keys was expected: say which keys, required ones first."""
    expected = _model_at(model, list(location))
    if expected is None:
        return f"must be a block of 'key: value' lines (got {echo(given)})."
    fields = expected.model_fields
    required = [name for name, field in fields.items() if field.is_required()]
    optional = [name for name in fields if name not in required]
    keys = f"with the keys {', '.join(required)}" if required else "with any of the keys"
    if required and optional:
        keys += f" (optional: {', '.join(optional)})"
    elif optional:
        keys += f" {', '.join(optional)}"
    return f"must be a block of 'key: value' lines {keys}, one per line (got {echo(given)})."


_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def _date_sentence(given: object) -> str:
    """A date field's problem; a day the calendar does not have is named as such."""
    if isinstance(given, str):
        match = _ISO_DAY.fullmatch(given.strip())
        if match:
            year, month, _ = (int(part) for part in match.groups())
            if not 1 <= month <= 12:
                return f"'{given}' is not a date: there is no month {month}; write YYYY-MM-DD."
            if year >= 1:
                days = calendar.monthrange(year, month)[1]
                return (
                    f"'{given}' is not a date: {calendar.month_name[month]} {year} has "
                    f"{days} days; write a day that exists, as YYYY-MM-DD."
                )
    return f"must be a date written YYYY-MM-DD (got {echo(given)})."


def _unknown_key_sentence(location: Sequence[str | int], model: type[BaseModel]) -> str:
    key = str(location[-1])
    allowed = _allowed_keys(model, list(location[:-1]))
    if not allowed:
        return f"unknown key '{key}'; remove it."
    import difflib  # here, not at the top: only a wrong key needs it

    close = difflib.get_close_matches(key, allowed, n=1)
    if close:
        return f"unknown key '{key}'; did you mean '{close[0]}'?"
    return f"unknown key '{key}'; allowed keys here: {', '.join(sorted(allowed))}."


def _allowed_keys(model: type[BaseModel], parent: list[str | int]) -> list[str]:
    """Field names of the model found at ``parent``, a raw pydantic location."""
    found = _model_at(model, parent)
    return list(found.model_fields) if found is not None else []


def _field_at(model: type[BaseModel], location: list[str | int]) -> FieldInfo | None:
    """The field a raw pydantic location points to, when it can be found."""
    if not location or not isinstance(location[-1], str):
        return None
    parent = _model_at(model, location[:-1])
    return parent.model_fields.get(location[-1]) if parent is not None else None


def _model_at(model: type[BaseModel], parent: list[str | int]) -> type[BaseModel] | None:
    """The model found at ``parent``, a raw pydantic location.

    A raw location names list indexes and, after a tagged-union field, the tag of the member
    that was tried; both guide the walk down to the model that holds the field.
    """
    candidates: list[type[BaseModel]] = [model]
    for part in parent:
        if isinstance(part, int) or part.startswith("function-"):
            continue
        tagged = [c for c in candidates if _has_tag(c, part)]
        if tagged:
            candidates = tagged
            continue
        fields = candidates[0].model_fields
        if part not in fields:
            return None
        candidates = _models_in(fields[part].annotation)
        if not candidates:
            return None
    return candidates[0]


def _has_tag(model: type[BaseModel], tag: str) -> bool:
    """Whether one of the model's fields is a Literal whose only value is ``tag``."""
    return any(
        getattr(field.annotation, "__args__", None) == (tag,)
        for field in model.model_fields.values()
    )


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models inside an annotation such as ``list[Lot]`` or ``A | B | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for argument in getattr(annotation, "__args__", ()):
        found.extend(_models_in(argument))
    return found
