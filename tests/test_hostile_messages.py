"""Issue 15, items 1 to 3: the exact message of each class of hostile input.

Each input is generated here (the corpus in tests/hostile runs hundreds more through the
same checks); the exit code is 1, nothing is written, and the message is the one below.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
import yaml

from clausegen.inputs import tables
from clausegen.render.docx import CORE_PROPERTY_LENGTH, core_property
from tests.helpers import SAMPLE, run
from tests.hostile.bases import (
    COMMITMENT,
    COMMITMENTS,
    LEDGER,
    OPERATION,
    PARTICIPANTS,
    compliance_args,
    ledger_rows,
    ledger_text,
    raw_json,
    raw_yaml,
    write_xlsx,
)

NUMBER = (
    "must be a number written with the digits 0 to 9 and, for a fraction, a decimal point, "
    "such as 1250000 or 0.07"
)
WHOLE = "must be a whole number written with the digits 0 to 9, such as 4"


def tender(tmp_path: Path, text: str, suffix: str = "yaml") -> tuple[str, Path]:
    """``tender`` on an operation holding ``text``: its stderr, and the file."""
    path = tmp_path / f"operation.{suffix}"
    path.write_text(text, encoding="utf-8")
    result = run("tender", path, "-o", tmp_path / "out")
    assert (result.exit_code, result.stdout) == (1, "")
    assert not (tmp_path / "out").exists()
    return result.stderr, path


def compliance(tmp_path: Path, **files: Path) -> str:
    arguments = [
        a.replace("{out}", str(tmp_path / "out")) for a in compliance_args(tmp_path, **files)
    ]
    result = run(*arguments)
    assert (result.exit_code, result.stdout) == (1, "")
    assert not (tmp_path / "out").exists()
    return result.stderr


# --- 1. impossible or extreme values ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "2026-02-30",
            "'2026-02-30' is not a date: February 2026 has 28 days; write a day that "
            "exists, as YYYY-MM-DD.",
        ),
        (
            "2028-02-30",
            "'2028-02-30' is not a date: February 2028 has 29 days; write a day that "
            "exists, as YYYY-MM-DD.",
        ),
        ("2026-13-01", "'2026-13-01' is not a date: there is no month 13; write YYYY-MM-DD."),
    ],
)
def test_a_date_the_calendar_does_not_have(tmp_path, value, message):
    stderr, path = tender(tmp_path, raw_yaml(OPERATION, "consultation.date_lancement", value))
    assert stderr == f"Error: {path}: consultation.date_lancement: {message}\n"


def test_an_impossible_date_in_participants_and_commitments(tmp_path):
    participants = tmp_path / "participants.yaml"
    participants.write_text(
        raw_yaml(PARTICIPANTS, "participants[1].date_validation", "2027-04-31"), encoding="utf-8"
    )
    assert compliance(tmp_path, participants=participants) == (
        f"Error: {participants}: participants[1] (P02).date_validation: '2027-04-31' is not a "
        "date: April 2027 has 30 days; write a day that exists, as YYYY-MM-DD.\n"
    )
    folder = tmp_path / "engagements"
    folder.mkdir()
    for path in COMMITMENTS.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / COMMITMENT).write_text(
        raw_yaml(COMMITMENTS / COMMITMENT, "date_signature", "2026-02-29"), encoding="utf-8"
    )
    assert compliance(tmp_path, commitments=folder) == (
        f"Error: {folder / COMMITMENT}: date_signature: '2026-02-29' is not a date: February "
        "2026 has 28 days; write a day that exists, as YYYY-MM-DD.\n"
    )


def test_dates_are_still_read_as_dates():
    data = yaml.safe_load(raw_yaml(OPERATION, "execution.debut", "2027-01-18"))
    assert str(data["execution"]["debut"]) == "2027-01-18"
    result = run("calibrate", OPERATION)
    assert result.exit_code == 0


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1.0e+400", f"{NUMBER} (got '1.0e+400')."),
        (
            "9" * 400,
            "must have at most 12 digits before the decimal point (got '"
            + "9" * 60
            + "…' (400 characters)).",
        ),
        ("0.125", "must have at most 2 decimal places (got 0.125)."),
        (
            "1000000000000000",
            "must have at most 12 digits before the decimal point (got 1000000000000000).",
        ),
    ],
)
def test_an_extreme_amount(tmp_path, raw, message):
    stderr, path = tender(tmp_path, raw_yaml(OPERATION, "lots[0].montant_estime_ht", raw))
    assert stderr == f"Error: {path}: lots[0].montant_estime_ht: {message}\n"


def test_a_5000_digit_json_integer(tmp_path):
    text = raw_json(OPERATION, "lots[0].montant_estime_ht", "7" * 5000)
    stderr, path = tender(tmp_path, text, "json")
    assert stderr == (
        f"Error: {path}: lots[0].montant_estime_ht: must have at most 12 digits before the "
        f"decimal point (got '{'7' * 60}…' (5000 characters)).\n"
    )


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_nesting_too_deep(tmp_path, suffix):
    nested = "[" * 5000 + "]" * 5000
    text = (
        raw_json(OPERATION, "lots[0].intitule", nested)
        if suffix == "json"
        else raw_yaml(OPERATION, "lots[0].intitule", nested)
    )
    stderr, path = tender(tmp_path, text, suffix)
    assert stderr == (
        f"Error: {path}: lists and mappings are nested more than 32 levels deep; an input file "
        "needs only a few: check its indentation and brackets.\n"
    )


def test_aliases_that_expand_without_end(tmp_path):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
    text = OPERATION.read_text(encoding="utf-8") + "\n".join(lines) + "\n"
    stderr, path = tender(tmp_path, text)
    assert stderr == (
        f"Error: {path}: a9[9][9][9]: holds more than 2\u202f000\u202f000 values once its "
        "YAML aliases (*name) are expanded; write the values out instead of repeating aliases.\n"
    )


def test_more_lots_than_any_consultation(tmp_path):
    lots = "\n".join(
        f"  - {{numero: {n}, intitule: Lot, cpv: 45210000-2, metier: gros_oeuvre, "
        "montant_estime_ht: 1000}"
        for n in range(1, 1_002)
    )
    text = OPERATION.read_text(encoding="utf-8").split("lots:\n")[0] + "lots:\n" + lots + "\n"
    stderr, path = tender(tmp_path, text)
    assert stderr == f"Error: {path}: lots: holds 1001 items, more than the 1000 allowed here.\n"


@pytest.mark.parametrize(
    ("field", "raw", "code", "position"),
    [
        ("acheteur.nom", '"Ville\\0de Carcassonne"', "0000", 6),
        ("lots[0].intitule", '"Gros\\x1b[31m œuvre"', "001B", 5),
        ("consultation.objet", '"R\\x85habilitation"', "0085", 2),
        ("facilitateur.email", '"c\\x07@mde.fr"', "0007", 2),
    ],
)
def test_a_control_character_in_a_text(tmp_path, field, raw, code, position):
    stderr, path = tender(tmp_path, raw_yaml(OPERATION, field, raw))
    assert stderr == (
        f"Error: {path}: {field}: contains the control character U+{code} at position "
        f"{position}, which no document can hold; retype the text without it.\n"
    )


@pytest.mark.parametrize(
    ("field", "raw", "code", "position"),
    [
        ("acheteur.nom", '"Ville de \u202eennossacraC"', "202E", 10),
        ("lots[0].intitule", '"Gros\u200b œuvre"', "200B", 5),
        ("consultation.objet", '"\u2067Réhabilitation\u2069"', "2067", 1),
    ],
)
def test_an_invisible_character_that_reorders_or_hides_text(tmp_path, field, raw, code, position):
    stderr, path = tender(tmp_path, raw_yaml(OPERATION, field, raw))
    assert stderr == (
        f"Error: {path}: {field}: contains the invisible character U+{code} at position "
        f"{position}, which no document can hold; retype the text without it.\n"
    )


def test_a_control_character_in_a_participant_and_in_a_ledger_cell(tmp_path):
    participants = tmp_path / "participants.yaml"
    participants.write_text(
        raw_yaml(PARTICIPANTS, "participants[2].observations", '"ok\\0"'), encoding="utf-8"
    )
    assert compliance(tmp_path, participants=participants) == (
        f"Error: {participants}: participants[2] (P03).observations: contains the control "
        "character U+0000 at position 3, which no document can hold; retype the text without "
        "it.\n"
    )
    rows = [list(row) for row in ledger_rows()]
    rows[3][2] = "Bâti\x00Sud"
    ledger = tmp_path / "heures.csv"
    ledger.write_text(ledger_text(rows), encoding="utf-8")
    assert compliance(tmp_path, ledger=ledger) == (
        f"Error: {ledger}: row 4, column entreprise: contains the control character U+0000 at "
        "position 5, which no document can hold; retype the text without it.\n"
    )


@pytest.mark.parametrize(
    ("given", "shown"),
    [("P\x1b[2J01", "P\\x1b[2J01"), ("P01\u202e", "P01\\u202e"), ("P\r01", "P\\x0d01")],
    ids=["escape-sequence", "direction-override", "carriage-return"],
)
def test_a_value_quoted_in_an_error_cannot_drive_the_terminal(tmp_path, given, shown):
    """An id given on the command line comes back in the error escaped, not as an escape
    sequence that clears the screen or a character that reorders the line."""
    arguments = [a.replace("{out}", str(tmp_path / "out")) for a in compliance_args(tmp_path)]
    result = run("balance", *arguments[1:], "--participant", given)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {PARTICIPANTS}: no participant '{shown}'; give --participant one of the ids "
        "in this file.\n"
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("acheteur: [unclosed\n", "line 2, column 1: invalid YAML"),
        ("- a list\n", "the top level must be a mapping"),
        (None, "file not found"),
    ],
    ids=["invalid-yaml", "not-a-mapping", "missing"],
)
def test_a_file_name_with_a_line_break_stays_on_its_error_line(tmp_path, content, said):
    """A real file whose name holds a line break (and a tab) is quoted escaped: one
    ``Error:`` line, not a line the name splits."""
    path = tmp_path / "bad\nname\t.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run("calibrate", path)
    assert (result.exit_code, result.stdout) == (1, "")
    shown = str(tmp_path / "bad\\x0aname\\x09.yaml")
    assert result.stderr.startswith(f"Error: {shown}: ")
    assert said in result.stderr
    assert result.stderr.count("\n") == 1 and "\t" not in result.stderr


def test_a_template_name_with_a_line_break_stays_on_its_error_line(tmp_path):
    """``templates check`` joins its problems by line: the name's own break is escaped."""
    path = tmp_path / "ccap\nclause.docx"
    path.write_bytes(b"not a docx")
    result = run("templates", "check", path)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert str(tmp_path / "ccap\\x0aclause.docx") in lines[0]


def test_a_ledger_cell_over_the_limits(tmp_path):
    rows = [list(row) for row in ledger_rows()]
    rows[1][2] = "B" * 40_000
    ledger = tmp_path / "heures.csv"
    ledger.write_text(ledger_text(rows), encoding="utf-8")
    assert compliance(tmp_path, ledger=ledger) == (
        f"Error: {ledger}: row 2, column entreprise: the cell holds 40\u202f000 characters, "
        "more than the 32\u202f767 a spreadsheet cell can hold; check the cell.\n"
    )
    rows[1][2] = "B" * 200_000  # over the CSV reader's own field limit
    ledger.write_text(ledger_text(rows), encoding="utf-8")
    assert compliance(tmp_path, ledger=ledger) == (
        f"Error: {ledger}: line 2: a cell starting on this line holds more than the "
        "32\u202f767 characters a spreadsheet cell can hold (a quote left open?); check the "
        "cell.\n"
    )


def test_a_100000_row_ledger_reports_20_problems_and_a_count(tmp_path):
    header, first, *_ = ledger_rows()
    bad = [list(first) for _ in range(100_000)]
    for row in bad:
        row[header.index("heures")] = "-1"
    ledger = tmp_path / "heures.csv"
    ledger.write_text(ledger_text([list(header), *bad]), encoding="utf-8")
    lines = compliance(tmp_path, ledger=ledger).splitlines()
    assert len(lines) == 21
    assert lines[0] == f"Error: {ledger}: row 2, column heures: must be more than 0 (got -1)."
    assert lines[-1] == (
        f"Error: {ledger}: and 99980 more problems not shown; correct these and run the "
        "command again."
    )


def test_a_buyer_name_over_the_core_property_limit(tmp_path):
    name = "Communauté d’agglomération " + "du Grand Carcassonnais " * 12
    assert len(name) > CORE_PROPERTY_LENGTH
    text = raw_yaml(OPERATION, "acheteur.nom", f'"{name.strip()}"')
    path = tmp_path / "operation.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("tender", path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    from docx import Document

    document = Document(str(tmp_path / "out" / "ccap-clause-insertion.docx"))
    author = document.core_properties.author
    assert len(author) == CORE_PROPERTY_LENGTH and author.endswith("…")
    assert name.strip() in "\n".join(p.text for p in document.paragraphs).replace("\u2011", "-")
    assert core_property("court") == "court"


# --- 2. values that should not be numbers ----------------------------------------------------


@pytest.mark.parametrize(
    ("field", "raw", "message"),
    [
        ("lots[0].montant_estime_ht", "190:20:30", f"{NUMBER} (got '190:20:30')."),
        ("lots[0].montant_estime_ht", "0x1F", f"{NUMBER} (got '0x1F')."),
        ("clause.cout_horaire", "1_000", f"{NUMBER} (got '1_000')."),
        ("clause.taux_insertion", "true", f"{NUMBER} (got true)."),
        ("clause.cout_horaire", '"３０"', f"{NUMBER} (got '３０')."),
        ("lots[0].numero", "true", f"{WHOLE} (got true)."),
        ("lots[0].numero", "0o17", f"{WHOLE} (got '0o17')."),
        ("consultation.duree_mois", "1.5", f"{WHOLE} (got 1.5)."),
        (
            "acheteur.siret",
            '"２１１１００６９８０００１１"',
            "'２１１１００６９８０００１１' is not a valid SIRET: write its 14 digits with the "
            "digits 0 to 9 (not full-width digits or another script's).",
        ),
    ],
)
def test_values_that_are_not_decimal_numbers(tmp_path, field, raw, message):
    stderr, path = tender(tmp_path, raw_yaml(OPERATION, field, raw))
    assert stderr == f"Error: {path}: {field}: {message}\n"


def test_a_leading_zero_is_not_octal(tmp_path):
    text = raw_yaml(OPERATION, "consultation.duree_mois", "017")
    path = tmp_path / "operation.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("calibrate", path, "--format", "json")
    assert result.exit_code == 0, result.stderr
    from clausegen.inputs.loading import load_operation

    assert load_operation(path).consultation.duree_mois == 17


def test_a_ledger_cell_that_is_not_a_number(tmp_path):
    rows = [list(row) for row in ledger_rows()]
    rows[1][1] = "true"
    rows[2][7] = "１２"
    ledger = tmp_path / "heures.csv"
    ledger.write_text(ledger_text(rows), encoding="utf-8")
    assert compliance(tmp_path, ledger=ledger) == (
        f"Error: {ledger}: row 2, column lot: {WHOLE} (got 'true').\n"
        f"Error: {ledger}: row 3, column heures: {NUMBER} (got '１２').\n"
    )


# --- 3. input files are regular files of bounded size ---------------------------------------


def test_a_named_pipe_a_device_and_a_folder(tmp_path):
    fifo = tmp_path / "operation.yaml"
    os.mkfifo(fifo)
    assert run("calibrate", fifo).stderr == (
        f"Error: {fifo}: is a named pipe (FIFO), not a file; give the path of a file.\n"
    )
    zero = tmp_path / "heures.csv"
    zero.symlink_to("/dev/zero")
    assert compliance(tmp_path, ledger=zero) == (
        f"Error: {zero}: is a device, not a file; give the path of a file.\n"
    )


def test_an_input_over_its_size_limit(tmp_path):
    path = tmp_path / "participants.yaml"
    with path.open("wb") as file:
        file.truncate(10 * 2**20 + 1)
    assert compliance(tmp_path, participants=path) == (
        f"Error: {path}: is larger than the 10 MiB an input file may hold; check that it is the "
        "right file, or split it.\n"
    )


def _xlsx(tmp_path: Path) -> Path:
    path = tmp_path / "heures.xlsx"
    write_xlsx(path, [list(row) for row in ledger_rows()])
    return path


def test_a_truncated_or_mislabelled_workbook(tmp_path):
    path = _xlsx(tmp_path)
    path.write_bytes(path.read_bytes()[:3000])
    assert compliance(tmp_path, ledger=path) == (
        f"Error: {path}: cannot be read as an Excel workbook (not a zip archive: File is not a "
        "zip file); save it again from Excel or LibreOffice as .xlsx, or give the ledger as "
        "CSV.\n"
    )
    path.write_bytes(LEDGER.read_bytes())
    assert "not a zip archive" in compliance(tmp_path, ledger=path)


def test_a_workbook_part_that_is_not_xml(tmp_path):
    path = _xlsx(tmp_path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["xl/worksheets/sheet1.xml"] = b"<worksheet><"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    path.write_bytes(buffer.getvalue())
    assert compliance(tmp_path, ledger=path) == (
        f"Error: {path}: cannot be read as an Excel workbook (ParseError: unclosed token: line "
        "1, column 11); save it again from Excel or LibreOffice as .xlsx, or give the ledger "
        "as CSV.\n"
    )


def test_the_ledger_is_read_from_the_first_visible_sheet(tmp_path):
    """A hidden first sheet (notes, a lookup table) is not the one the facilitator sees."""
    from openpyxl import Workbook

    path = tmp_path / "heures.xlsx"
    workbook = Workbook()
    workbook.active.title = "notes"
    workbook.active.append(["Notes du facilitateur"])
    workbook.active.sheet_state = "hidden"
    ledger = workbook.create_sheet("heures")
    for row in ledger_rows():
        ledger.append(list(row))
    workbook.save(path)
    table = tables.read_table(path)
    assert table.columns == ledger_rows()[0]
    assert len(table.rows) == len(ledger_rows()) - 1


def test_a_workbook_that_uncompresses_beyond_the_limits(tmp_path, monkeypatch):
    path = _xlsx(tmp_path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/bomb.bin", b"\0" * (8 * 2**20))
    assert compliance(tmp_path, ledger=path) == (
        f"Error: {path}: its part xl/media/bomb.bin is compressed more than 100 to 1, as no "
        "spreadsheet writes it; save it again from Excel or LibreOffice.\n"
    )
    monkeypatch.setattr(tables, "MAX_XLSX_UNCOMPRESSED", 2**20)
    assert compliance(tmp_path, ledger=path) == (
        f"Error: {path}: uncompresses to more than 1 MiB, the most a workbook may hold; keep "
        "only the ledger's sheet, or give the ledger as CSV.\n"
    )


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_table_over_the_row_limit(tmp_path, monkeypatch, suffix):
    monkeypatch.setattr(tables, "MAX_ROWS", 50)
    rows = [list(row) for row in ledger_rows()]  # 77 rows of hours
    path = tmp_path / f"heures.{suffix}"
    if suffix == "xlsx":
        write_xlsx(path, rows)
    else:
        path.write_text(ledger_text(rows), encoding="utf-8")
    assert compliance(tmp_path, ledger=path) == (
        f"Error: {path}: has more than 50 rows (blank rows included), the most a table may "
        "hold; split it by year or by lot.\n"
    )


# --- every number field of every input model follows the notation rule ----------------------


def _numbers_without_rule(annotation: object, metadata: list[object]) -> list[str]:
    """The Decimal or int types in ``annotation`` that lack the notation validator."""
    from decimal import Decimal
    from typing import Annotated, get_args, get_origin

    from pydantic.functional_validators import BeforeValidator

    from clausegen.inputs.values import plain_decimal, whole_number

    if get_origin(annotation) is Annotated:
        base, *extra = get_args(annotation)
        return _numbers_without_rule(base, [*metadata, *extra])
    if annotation in (Decimal, int):
        wanted = plain_decimal if annotation is Decimal else whole_number
        found = any(isinstance(m, BeforeValidator) and m.func is wanted for m in metadata)
        return [] if found else [getattr(annotation, "__name__", str(annotation))]
    missing: list[str] = []
    for argument in get_args(annotation):
        missing.extend(_numbers_without_rule(argument, []))
    return missing


def _input_models() -> list[type]:
    import clausegen.execution.commitments
    import clausegen.execution.ledger
    import clausegen.execution.participants  # noqa: F401  the models register as subclasses
    from clausegen.inputs.operation import _Strict

    found, stack = [], [_Strict]
    while stack:
        model = stack.pop()
        found.append(model)
        stack.extend(model.__subclasses__())
    return found


def test_every_number_field_takes_decimal_notation_only():
    missing = [
        f"{model.__name__}.{name}: {kind}"
        for model in _input_models()
        for name, field in model.model_fields.items()
        for kind in _numbers_without_rule(field.annotation, list(field.metadata))
    ]
    assert missing == [], "use Nombre, Montant, Heures, Taux, Entier or NumeroLot"


@pytest.mark.parametrize(
    ("replaced", "by", "message"),
    [
        (
            "  fin: 2028-06-30",
            "  fin: 9999-12-31",
            "execution: execution lasts 95675 months (debut 2027-01-04, fin 9999-12-31), more "
            "than the 240 a public contract may run here; check both dates.",
        ),
        (
            "  debut: 2027-01-04",
            "  debut: 2026-01-04",
            "execution.debut: execution starts (2026-01-04) before the consultation is launched "
            "(consultation.date_lancement 2026-09-15); check both dates.",
        ),
    ],
)
def test_an_execution_period_no_contract_has(tmp_path, replaced, by, message):
    text = OPERATION.read_text(encoding="utf-8")
    assert replaced in text
    stderr, path = tender(tmp_path, text.replace(replaced, by))
    assert stderr == f"Error: {path}: {message}\n"


def test_file_names_in_success_lines_and_warnings_stay_on_their_line(tmp_path):
    """A participants file and an output folder whose names hold a line break: the
    balance's warning and its summary each stay one line, the names escaped."""
    participants = tmp_path / "people\n.yaml"
    participants.write_bytes((SAMPLE / "participants.yaml").read_bytes())
    out = tmp_path / "out\nput"
    result = run(
        "balance",
        SAMPLE / "operation.yaml",
        f"--ledger={SAMPLE / 'heures.csv'}",
        f"--participants={participants}",
        "--jobs=1",
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    assert (
        result.stdout
        == f"13 end-of-mission balances and their manifests in {tmp_path}/out\\x0aput.\n"
    )
    warnings = result.stderr.splitlines()
    assert warnings and all(line.startswith("Warning: [") for line in warnings)
    assert any(f"{tmp_path}/people\\x0a.yaml" in line for line in warnings)
