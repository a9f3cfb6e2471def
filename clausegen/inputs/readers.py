"""Reading YAML and JSON input files into plain data, with exact decimals.

Numbers with a fraction are read as ``Decimal`` straight from their text (never through
``float``), so ``0.07`` stays exactly 0.07 all the way to the documents.

YAML is read with the YAML 1.2 core schema's notion of a number and a yes/no value, not
YAML 1.1's: ``true``/``false`` are the only booleans (``yes``, ``on`` stay text, which a
yes/no field still accepts), a plain number is decimal (``0x1F``, ``0o17``, ``1_000``,
``190:20:30`` and ``1e3`` stay text, which a number field refuses with its path), a
leading zero is not octal. Dates (``2027-01-18``) are still read as dates; one that does
not exist (``2026-02-30``) stays text, refused by the date field with its path.

Whatever the fields, a file is refused, with the path of the value, when it nests deeper
than ``MAX_DEPTH`` levels, when its YAML aliases expand to more than ``MAX_VALUES``
values, or when a text or key holds a control character (``clausegen.inputs.values``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from clausegen.errors import InputError, Problem
from clausegen.inputs.files import MAX_MAPPING_BYTES, read_input
from clausegen.inputs.validation import field_path
from clausegen.inputs.values import (
    MAX_FRACTION_DIGITS,
    MAX_INTEGER_DIGITS,
    control_character_message,
    forbidden_character,
)

SUPPORTED_SUFFIXES = (".yaml", ".yml", ".json")


_MEMO_LENGTH = 64
"""Plain scalars up to this length have their tag resolved once per file."""


class _ResolvedOnce:
    """Resolves the tag of each distinct short scalar once: a participants file repeats
    its keys and most of its values (``cdd``, ``acquis``) thousands of times."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)  # type: ignore[call-arg]
        self._resolved: dict[tuple[str, tuple[bool, bool]], str] = {}

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode or len(value) > _MEMO_LENGTH:
            return super().resolve(kind, value, implicit)  # type: ignore[misc,no-any-return]
        key = (value, implicit)
        tag = self._resolved.get(key)
        if tag is None:
            tag = self._resolved[key] = super().resolve(kind, value, implicit)  # type: ignore[misc]
        return tag


class _DecimalSafeLoader(_ResolvedOnce, yaml.SafeLoader):
    """A safe YAML loader that reads floats as Decimal and rejects duplicate keys."""


class FastDecimalLoader(_ResolvedOnce, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same on libyaml's parser when PyYAML has it (its wheels do): several times
    faster and lighter on a large participants file. A file it rejects is read again by
    ``_DecimalSafeLoader``, whose error messages are the ones documented."""


MAX_DEPTH = 32
"""Levels of lists and mappings in a file; the inputs need fewer than ten."""

MAX_VALUES = 2_000_000
"""Values in a file, YAML aliases expanded (a 10 MiB file holds fewer than a million)."""

_NUMBER_TEXT = MAX_INTEGER_DIGITS + MAX_FRACTION_DIGITS + 2
"""A longer number is kept as text, which a number field refuses with its path."""

_SPECIAL_FLOATS = {".nan": "NaN", ".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity"}

_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_CORE_SCHEMA = (
    (_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
    (_INT, re.compile(r"^[-+]?[0-9]+$"), "-+0123456789"),
    (
        _FLOAT,
        re.compile(
            r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        "-+0123456789.",
    ),
)


def _core_resolvers() -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    """SafeLoader's implicit resolvers with YAML 1.2's booleans and numbers."""
    table: dict[Any, list[tuple[str, re.Pattern[str]]]] = {
        first: [(tag, regexp) for tag, regexp in entries if tag not in (_BOOL, _INT, _FLOAT)]
        for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    for tag, regexp, firsts in _CORE_SCHEMA:
        for first in firsts:
            table.setdefault(first, []).append((tag, regexp))
    return table


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | str:
    text = str(loader.construct_scalar(node))
    if len(text) > _NUMBER_TEXT:
        return text
    return Decimal(_SPECIAL_FLOATS.get(text.lower(), text))


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | str:
    """Decimal digits only (``017`` is 17); a very long one stays text."""
    text = str(loader.construct_scalar(node))
    return int(text, 10) if len(text) <= _NUMBER_TEXT else text


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    """A date or time; one that does not exist (``2026-02-30``) stays text."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return str(loader.construct_scalar(node))


_STR = "tag:yaml.org,2002:str"


def _construct(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """A node's value; a text is its scalar as it is (what ``construct_yaml_str`` gives),
    without the constructor's bookkeeping."""
    if node.__class__ is yaml.ScalarNode and node.tag == _STR:
        return node.value
    return loader.construct_object(node)  # type: ignore[no-untyped-call]


def _construct_mapping_without_duplicates(
    loader: yaml.SafeLoader, node: yaml.MappingNode
) -> dict[Any, Any]:
    """A mapping, rejecting a key written twice (plain YAML keeps the last one silently),
    built in one pass over its keys and values. Every key is checked before any value is
    built, so a duplicate is reported first."""
    keys = []
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = _construct(loader, key_node)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                "found a list or a mapping as a key; a key is a name",
                key_node.start_mark,
            )
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"the key '{key}' appears twice in the same mapping; keep one",
                key_node.start_mark,
            )
        seen.add(key)
        keys.append(key)
    return {
        key: _construct(loader, value_node)
        for key, (_, value_node) in zip(keys, node.value, strict=True)
    }


for _loader in (_DecimalSafeLoader, FastDecimalLoader):
    _loader.yaml_implicit_resolvers = _core_resolvers()
    _loader.add_constructor(_FLOAT, _construct_decimal)
    _loader.add_constructor(_INT, _construct_int)
    _loader.add_constructor(_TIMESTAMP, _construct_timestamp)
    _loader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping_without_duplicates
    )


def read_mapping(
    path: Path, *, locate: Callable[[Problem, Any], Problem] | None = None
) -> dict[str, Any]:
    """Read a YAML or JSON file whose top level is a mapping. ``locate`` rewrites the
    location of a problem the reader finds in the data, as the file's loader does for its
    fields (``participants[3]`` → ``participants[3] (P04)``)."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise InputError(
            path=path,
            problems=[Problem("", "unsupported file type; give a .yaml, .yml or .json file.")],
        )
    content = read_input(path, limit=MAX_MAPPING_BYTES)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(
            path=path, problems=[Problem("", "not UTF-8 text; save the file as UTF-8.")]
        ) from None
    data = _parse(path, text.removeprefix("\ufeff"))
    if data is None:
        raise InputError(
            path=path,
            problems=[
                Problem(
                    "",
                    "the file is empty (or holds only comments); write its keys and values, "
                    "as the samples under samples/ do.",
                )
            ],
        )
    if not isinstance(data, dict):
        raise InputError(
            path=path,
            problems=[Problem("", "the top level must be a mapping of keys to values.")],
        )
    problem = shape_problem(data)
    if problem is not None:
        raise InputError(path=path, problems=[locate(problem, data) if locate else problem])
    return data


def _too_deep() -> Problem:
    return Problem(
        "",
        f"lists and mappings are nested more than {MAX_DEPTH} levels deep; an input file "
        "needs only a few: check its indentation and brackets.",
    )


def _parse(path: Path, text: str) -> Any:
    if path.suffix.lower() == ".json":
        return _parse_json(path, text)
    try:
        return yaml.load(text, Loader=FastDecimalLoader)
    except yaml.YAMLError as error:
        if "nesting depth" in str(getattr(error, "problem", "")):  # libyaml's own limit
            raise InputError(path=path, problems=[_too_deep()]) from None
        # read again below, for the pure-Python parser's message and position
    except RecursionError:
        raise InputError(path=path, problems=[_too_deep()]) from None
    try:
        return yaml.load(text, Loader=_DecimalSafeLoader)
    except RecursionError:
        raise InputError(path=path, problems=[_too_deep()]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(
            path=path, problems=[Problem(where, f"invalid YAML: {_yaml_problem(error)}.")]
        ) from None
    except yaml.reader.ReaderError as error:
        raise InputError(
            path=path,
            problems=[
                Problem(
                    f"character {error.position + 1}",
                    f"invalid YAML: the character U+{error.character:04X} is not allowed in "
                    "YAML text; remove it.",
                )
            ],
        ) from None


_UNKNOWN_TAG = re.compile(r"could not determine a constructor for the tag '(.*)'")


def _yaml_problem(error: yaml.MarkedYAMLError) -> str:
    """The parser's problem, a tag it has no constructor for (``!!python/object…``,
    ``!Ref``) said with what to do."""
    problem = str(error.problem)
    unknown = _UNKNOWN_TAG.fullmatch(problem)
    if unknown is None:
        return problem
    tag = unknown.group(1).replace("tag:yaml.org,2002:", "!!")
    return (
        f"the tag '{tag[:60]}' is not read here; write the value without it, as text, a "
        "number, a date, a list or a block of keys"
    )


def _json_number(text: str) -> Decimal | int | str:
    """A JSON number: exact; in exponent notation or very long, kept as text (which a
    number field refuses with its path)."""
    if len(text) > _NUMBER_TEXT or "e" in text.lower():
        return text
    return Decimal(text) if "." in text else int(text)


def _parse_json(path: Path, text: str) -> Any:
    import json  # here, not at the top: an operation is most often YAML

    try:
        return json.loads(
            text, parse_float=_json_number, parse_int=_json_number, parse_constant=str
        )
    except RecursionError:
        raise InputError(path=path, problems=[_too_deep()]) from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise InputError(
            path=path, problems=[Problem(where, f"invalid JSON: {error.msg}.")]
        ) from None


def shape_problem(data: object) -> Problem | None:
    """What makes parsed data unfit as input, whatever its fields: nesting deeper than
    ``MAX_DEPTH``, more than ``MAX_VALUES`` values once YAML aliases are expanded, or a key
    or text holding a control character. Each container is looked at once."""
    return measured_shape(data)[0]


def measured_shape(data: object) -> tuple[Problem | None, int]:
    """``shape_problem`` of ``data``, and the values it holds, aliases expanded (when it
    has no problem)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[object, tuple[str | int, ...], bool]] = [(data, (), False)]
    while stack:
        value, location, children_done = stack.pop()
        if isinstance(value, str):
            index = forbidden_character(value)
            if index is not None:
                return _character_problem(location, value, index), 0
            continue
        if not isinstance(value, dict | list):
            continue
        if children_done:
            items = value.values() if isinstance(value, dict) else value
            total = 1 + sum(sizes.get(id(item), 1) for item in items)
            if total > MAX_VALUES:
                most = f"{MAX_VALUES:,}".replace(",", "\u202f")
                return Problem(
                    field_path(location),
                    f"holds more than {most} values once its YAML aliases (*name) are "
                    "expanded; write the values out instead of repeating aliases.",
                ), 0
            sizes[id(value)] = total
            continue
        if id(value) in sizes:
            continue
        if len(location) >= MAX_DEPTH:
            return Problem(field_path(location), _too_deep().message), 0
        sizes[id(value)] = 1  # being expanded: an alias to itself counts once
        stack.append((value, location, True))
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str):
                    index = forbidden_character(key, allow=frozenset())
                    if index is not None:
                        return _character_problem(location, key, index, key=True), 0
                stack.append((item, (*location, str(key)), False))
        else:
            stack.extend((item, (*location, number), False) for number, item in enumerate(value))
    return None, sizes.get(id(data), 1)


def _character_problem(
    location: tuple[str | int, ...], text: str, index: int, *, key: bool = False
) -> Problem:
    message = control_character_message(text, index)
    return Problem(field_path(location), f"the key {message}" if key else message)
