"""Loading an operation file (YAML or JSON) into a validated ``Operation``."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from clausegen.errors import InputError
from clausegen.inputs.operation import METHOD_TAGS, Operation
from clausegen.inputs.readers import read_mapping
from clausegen.inputs.validation import problems_from


def load_operation(path: Path) -> Operation:
    """Read and validate ``path``; an ``InputError`` lists every problem found at once."""
    data = read_mapping(path)
    try:
        return Operation.model_validate(data)
    except ValidationError as error:
        raise InputError(
            path=path, problems=problems_from(error, Operation, union_tags=METHOD_TAGS)
        ) from None
