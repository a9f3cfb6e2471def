"""Reading YAML and JSON input files into plain data, with exact decimals.

Numbers with a fraction are read as ``Decimal`` straight from their text (never through
``float``), so ``0.07`` stays exactly 0.07 all the way to the documents.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from clausegen.errors import InputError, Problem

SUPPORTED_SUFFIXES = (".yaml", ".yml", ".json")


class _DecimalSafeLoader(yaml.SafeLoader):
    """A safe YAML loader that reads floats as Decimal and rejects duplicate keys."""


class _FastDecimalLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same on libyaml's parser when PyYAML has it (its wheels do): several times
    faster and lighter on a large participants file. A file it rejects is read again by
    ``_DecimalSafeLoader``, whose error messages are the ones documented."""


_SPECIAL_FLOATS = {".nan": "NaN", ".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity"}


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    return Decimal(_SPECIAL_FLOATS.get(text.lower(), text))


def _construct_mapping_without_duplicates(
    loader: yaml.SafeLoader, node: yaml.MappingNode
) -> dict[Any, Any]:
    """A mapping, rejecting a key written twice (plain YAML keeps the last one silently)."""
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)  # type: ignore[no-untyped-call]
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"the key '{key}' appears twice in the same mapping; keep one",
                key_node.start_mark,
            )
        seen.add(key)
    return loader.construct_mapping(node)


for _loader in (_DecimalSafeLoader, _FastDecimalLoader):
    _loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
    _loader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping_without_duplicates
    )


def read_mapping(path: Path) -> dict[str, Any]:
    """Read a YAML or JSON file whose top level is a mapping."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise InputError(
            path=path,
            problems=[Problem("", "unsupported file type; give a .yaml, .yml or .json file.")],
        )
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            path=path, problems=[Problem("", "file not found; check the path.")]
        ) from None
    except UnicodeDecodeError:
        raise InputError(
            path=path, problems=[Problem("", "not UTF-8 text; save the file as UTF-8.")]
        ) from None
    except OSError as error:
        raise InputError(
            path=path,
            problems=[Problem("", f"cannot be read ({error.strerror}); give the path of a file.")],
        ) from None
    data = _parse(path, text)
    if not isinstance(data, dict):
        raise InputError(
            path=path,
            problems=[Problem("", "the top level must be a mapping of keys to values.")],
        )
    return data


def _parse(path: Path, text: str) -> Any:
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as error:
            where = f"line {error.lineno}, column {error.colno}"
            raise InputError(
                path=path, problems=[Problem(where, f"invalid JSON: {error.msg}.")]
            ) from None
    try:
        return yaml.load(text, Loader=_FastDecimalLoader)
    except yaml.YAMLError:
        pass  # read again below, for the pure-Python parser's message and position
    try:
        return yaml.load(text, Loader=_DecimalSafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(
            path=path, problems=[Problem(where, f"invalid YAML: {error.problem}.")]
        ) from None
