"""``clausegen templates context``: the variables a template kind can use, for people or as
JSON Schema."""

from __future__ import annotations

import json

from pydantic import BaseModel

from clausegen.cli.views.text_table import aligned_line, column_widths
from clausegen.law.template_variables import context_fields


def context_text(kind: str, documents: str, model: type[BaseModel]) -> str:
    """One line per variable: path, what it holds, description (in French, as documents)."""
    rows = [("Variable", "Holds", "Description")]
    rows += [
        (field.path, field.kind + (", or None" if field.optional else ""), field.description)
        for field in context_fields(model)
    ]
    widths = column_widths(rows)
    lines = [
        f"Variables of a {kind} template ({documents}).",
        "A name with [] is one of each item of a list: lots[].heures is lot.heures in",
        "{% for lot in lots %}…{% endfor %}. Values are ready to print, formatted in French.",
        "",
        *(aligned_line(row, widths, ()) for row in rows),
    ]
    return "\n".join(lines) + "\n"


def context_json(model: type[BaseModel]) -> str:
    """The context's JSON Schema (pydantic's), with every field's description."""
    return json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2) + "\n"
