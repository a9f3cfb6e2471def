"""The evaluation's workbook: one sheet per table, numbers as numbers, same bytes each time."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from clausegen.cli.views.spreadsheet import cell
from clausegen.documents.evaluation import Sheet
from clausegen.render.docx_package import fixed_package


def workbook_bytes(sheets: Sequence[Sheet], created: date) -> bytes:
    """An XLSX of ``sheets``: a bold header row, then the rows; text neutralised."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for sheet in sheets:
        page = book.create_sheet(sheet.name[:31])
        page.append(list(sheet.headers))
        for header in page[1]:
            header.font = Font(bold=True)
        for row in sheet.rows:
            page.append([_value(value) for value in row])
        for index, header in enumerate(sheet.headers, 1):
            width = max([len(str(header)), *(len(str(row[index - 1])) for row in sheet.rows)])
            page.column_dimensions[page.cell(1, index).column_letter].width = min(width + 2, 60)
        page.freeze_panes = "A2"
    stamp = datetime.combine(created, time(0), tzinfo=UTC).replace(tzinfo=None)
    book.properties.created = stamp
    book.properties.modified = stamp
    book.properties.creator = "clausegen"
    buffer = io.BytesIO()
    book.save(buffer)
    return fixed_package(buffer.getvalue())


def _value(value: object) -> object:
    if isinstance(value, date):
        return value
    return cell(value)
