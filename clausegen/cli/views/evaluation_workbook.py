"""The evaluation's workbook: one sheet per table, numbers as numbers, same bytes each time."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from clausegen.cli.views.spreadsheet import cell
from clausegen.documents.evaluation import Sheet
from clausegen.render.docx_package import package_members, zipped

CORE = "docProps/core.xml"


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
    members = package_members(buffer.getvalue())
    # openpyxl stamps the save time as the modification date: the creation date instead
    members[CORE] = re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
        rb"\g<1>" + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>",
        members[CORE],
    )
    return zipped(members)


def _value(value: object) -> object:
    if isinstance(value, date):
        return value
    return cell(value)
