"""``clausegen import eforms``: every sample notice (contract notices, a prior information
notice, a VEAT) read into an operation that loads once the listed fields are filled, its
lots, CPV codes and values equal to the notice's (read here independently), what a prior
information notice and a VEAT do not say listed, refusals of the notices that come after the
award, one broken file per error."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from clausegen.inputs.eforms_notice import MAX_NOTICE_BYTES
from tests.golden import assert_golden
from tests.helpers import run

EFORMS = Path(__file__).resolve().parents[2] / "shared/reference-data/eforms"
DECP_XML = EFORMS.parent / "decp/format-commande-publique_Marche.xml"
NOTICES = {
    "cn-social_25.xml": "avis de marché (eForms ContractNotice, type cn-social)",
    "cn_24_FRA_comments.xml": "avis de marché (eForms ContractNotice, type cn-standard)",
    "cn_24_maximal.xml": "avis de marché (eForms ContractNotice, type cn-standard)",
    "pin-rtl_24.xml": "avis de préinformation (eForms PriorInformationNotice, type pin-rtl)",
    "veat_81.xml": "avis d’intention de conclure (eForms ContractAwardNotice, type veat)",
}
"""Every sample notice and the kind the import says it read."""
pytestmark = pytest.mark.skipif(not EFORMS.exists(), reason=f"{EFORMS} is not on this machine")
NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
FILLED = {
    "acheteur.nom": "Ville de Rouen",
    "acheteur.siret": "21110069800011",
    "acheteur.type": "collectivite",
    "facilitateur.nom": "Claire Roussel",
    "facilitateur.structure": "Maison de l’emploi de Rouen",
    "facilitateur.email": "clauses@mde-rouen.example.fr",
    "consultation.reference": "2026-SRV-001",
    "consultation.procedure": "appel_offres_ouvert",
    "consultation.date_lancement": "2025-09-01",
    "consultation.duree_mois": 24,
    "consultation.ccag": "fcs",
    "clause.dispositif": "condition_execution",
    "clause.reservation.beneficiaires": "siae",
    "clause.penalite.par_heure_manquante": 60,
    "clause.penalite.par_jour_retard": 100,
    "metier": "espaces_verts",
    "montant_estime_ht": 250000,
}
"""What a buyer writes in each listed field (lot fields by their last name)."""


def _notice_lots(path: Path) -> list[dict[str, Any]]:
    """The notice's lots, read by XPath: number, CPV, value and currency (a notice of one
    lot may state the value for the whole procedure only)."""
    root = ET.parse(path).getroot()
    value = "cac:ProcurementProject/cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount"
    elements = root.findall("cac:ProcurementProjectLot/cbc:ID[@schemeName='Lot']/..", NS)
    lots = []
    for lot in elements:
        identifier = lot.find("cbc:ID", NS)
        amount = lot.find(value, NS)
        if amount is None and len(elements) == 1:
            amount = root.find(value, NS)
        lots.append(
            {
                "numero": int(identifier.text.removeprefix("LOT-")),
                "cpv": lot.find(
                    "cac:ProcurementProject/cac:MainCommodityClassification/"
                    "cbc:ItemClassificationCode",
                    NS,
                ).text,
                "value": None if amount is None else Decimal(amount.text),
                "currency": None if amount is None else amount.get("currencyID"),
            }
        )
    return lots


def _listed(stderr: str) -> list[str]:
    return re.findall(r"^  (\S+)\u00a0: ", stderr, flags=re.MULTILINE)


def _fill(data: dict[str, Any], path: str) -> None:
    parts = re.findall(r"[a-z_]+|\[\d+\]", path)
    node: Any = data
    for part in parts[:-1]:
        node = node[int(part[1:-1])] if part.startswith("[") else node[part]
    assert node[parts[-1]] is None, path  # a listed field is left empty, never guessed
    node[parts[-1]] = FILLED.get(path, FILLED.get(parts[-1]))


@pytest.mark.parametrize("name", NOTICES)
def test_each_notice_gives_an_operation_that_loads_once_filled(tmp_path, name):
    notice = EFORMS / name
    out = tmp_path / "operation.yaml"
    result = run("import", "eforms", notice, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    listed = _listed(result.stderr)
    assert result.stderr.startswith(
        f"Avis lu\u00a0: {NOTICES[name]}.\nWrote {out}.\n{len(listed)} champs à compléter\u00a0:\n"
    )
    root = ET.parse(notice).getroot()
    assert NOTICES[name].endswith(f", type {root.find('cbc:NoticeTypeCode', NS).text})")
    # The lots, CPV codes and values are the notice's.
    expected = _notice_lots(notice)
    assert [lot["numero"] for lot in data["lots"]] == [lot["numero"] for lot in expected]
    assert [lot["cpv"] for lot in data["lots"]] == [lot["cpv"] for lot in expected]
    for index, (lot, read) in enumerate(zip(data["lots"], expected, strict=True)):
        path = f"lots[{index}].montant_estime_ht"
        if read["currency"] == "EUR":
            assert Decimal(str(lot["montant_estime_ht"])) == read["value"]
            assert path not in listed
        else:
            assert lot["montant_estime_ht"] is None and path in listed
    # It does not load as it is, and does once the listed fields are filled.
    refused = run("calibrate", out)
    assert refused.exit_code == 1
    for path in listed:
        _fill(data, path)
    out.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    calibrated = run("calibrate", out, "--format", "json")
    assert calibrated.exit_code == 0, calibrated.output


def test_a_currency_other_than_the_euro_is_listed_not_converted():
    result = run("import", "eforms", EFORMS / "cn-social_25.xml")
    assert result.exit_code == 0
    assert (
        "  lots[0].montant_estime_ht\u00a0: le montant estimé HT du lot LOT-0001 en "
        "euros\u00a0: l’avis donne 1231 BWP\n" in result.stderr
    )


@pytest.mark.parametrize("name", ["cn_24_FRA_comments", "pin-rtl_24"])
def test_the_notice_is_exactly_the_golden_skeleton(name):
    result = run("import", "eforms", EFORMS / f"{name}.xml")
    assert result.exit_code == 0
    assert_golden(result.stdout, f"import/{name}.yaml")
    assert_golden(result.stderr, f"import/{name}.stderr.txt")


def _field(stderr: str, path: str) -> str:
    """What the import says of the listed field ``path``."""
    return next(line for line in stderr.splitlines() if line.startswith(f"  {path}\u00a0: "))


def _issued(path: Path) -> str:
    return ET.parse(path).getroot().find("cbc:IssueDate", NS).text[:10]


def test_a_prior_information_notice_lists_its_date_and_its_missing_procedure(tmp_path):
    notice = EFORMS / "pin-rtl_24.xml"
    assert ET.parse(notice).getroot().find("cac:TenderingProcess/cbc:ProcedureCode", NS) is None
    _, data, stderr = _import(tmp_path, notice.read_text(encoding="utf-8"))
    assert data["consultation"]["date_lancement"] is None
    assert data["consultation"]["procedure"] is None
    assert _field(stderr, "consultation.date_lancement").endswith(
        f"; date d’envoi de l’avis de préinformation\u00a0: {_issued(notice)}\u00a0; la date de "
        "lancement est celle de l’avis de marché"
    )
    assert _field(stderr, "consultation.procedure").endswith(
        "l’avis de préinformation ne donne pas la procédure, que fixe l’avis de marché"
    )


def test_a_prior_information_notice_with_a_procedure_fills_it(tmp_path):
    text = (EFORMS / "pin-rtl_24.xml").read_text(encoding="utf-8")
    text = text.replace(
        "<cac:ProcurementProject>",
        '<cac:TenderingProcess><cbc:ProcedureCode listName="procurement-procedure-type">'
        "restricted</cbc:ProcedureCode></cac:TenderingProcess><cac:ProcurementProject>",
        1,
    )
    _, data, stderr = _import(tmp_path, text)
    assert data["consultation"]["procedure"] == "appel_offres_restreint"
    assert "consultation.procedure" not in _listed(stderr)


def test_a_veat_lists_its_date_and_its_procedure_without_call(tmp_path):
    notice = EFORMS / "veat_81.xml"
    root = ET.parse(notice).getroot()
    assert root.find("cac:TenderingProcess/cbc:ProcedureCode", NS).text == "neg-wo-call"
    reason = root.find("cac:TenderingProcess/cac:ProcessJustification/cbc:ProcessReasonCode", NS)
    _, data, stderr = _import(tmp_path, notice.read_text(encoding="utf-8"))
    assert data["consultation"]["date_lancement"] is None
    assert data["consultation"]["procedure"] is None
    assert (
        f"date d’envoi de l’avis d’intention de conclure\u00a0: {_issued(notice)}\u00a0; cet "
        "avis annonce un marché attribué sans publicité préalable et ne lance pas de consultation"
    ) in _field(stderr, "consultation.date_lancement")
    assert _field(stderr, "consultation.procedure").endswith(
        f"l’avis donne neg-wo-call, motif {reason.text}\u00a0: un marché passé sans publicité ni "
        "mise en concurrence préalables (articles R2122-1 à R2122-11), qui n’est aucune de ces "
        "procédures"
    )


def _veat_with(tmp_path: Path, lot_tender: str, estimate: str = "") -> tuple[dict, str]:
    """The VEAT sample with a tender value (BT-720) for LOT-0001 and, if given, a BT-27."""
    text = (EFORMS / "veat_81.xml").read_text(encoding="utf-8")
    text = text.replace(
        '<cbc:ID schemeName="tender">TEN-0001</cbc:ID>\n',
        '<cbc:ID schemeName="tender">TEN-0001</cbc:ID>\n<cac:LegalMonetaryTotal>'
        f'<cbc:PayableAmount currencyID="EUR">{lot_tender}</cbc:PayableAmount>'
        "</cac:LegalMonetaryTotal>\n",
        1,
    )
    if estimate:
        text = text.replace(
            '<cbc:ID schemeName="InternalID">ABE</cbc:ID>',
            '<cbc:ID schemeName="InternalID">ABE</cbc:ID><cac:RequestedTenderTotal>'
            f'<cbc:EstimatedOverallContractAmount currencyID="EUR">{estimate}'
            "</cbc:EstimatedOverallContractAmount></cac:RequestedTenderTotal>",
        )
    _, data, stderr = _import(tmp_path, text)
    return data, stderr


def test_a_veat_contract_value_is_shown_not_taken_for_the_estimated_value(tmp_path):
    data, stderr = _veat_with(tmp_path, "84000.50")
    assert data["lots"][0]["montant_estime_ht"] is None
    assert _field(stderr, "lots[0].montant_estime_ht").endswith(
        "(l’avis ne le donne pas)\u00a0; l’avis donne la valeur du marché attribué (BT-720)"
        "\u00a0: 84000.50 EUR, qui n’est pas la valeur estimée du besoin (article R2121-1, "
        "options et reconductions comprises)"
    )
    assert "BT-720" not in _field(stderr, "lots[1].montant_estime_ht")


def test_a_veat_estimated_value_is_the_lot_amount(tmp_path):
    data, stderr = _veat_with(tmp_path, "84000.50", estimate="90000")
    assert data["lots"][0]["montant_estime_ht"] == 90000
    assert "lots[0].montant_estime_ht" not in _listed(stderr)


def _refused(path: Path) -> str:
    result = run("import", "eforms", path)
    assert (result.exit_code, result.stdout) == (1, "")
    return result.stderr


@pytest.mark.parametrize(
    ("notice_type", "kind"),
    [
        ("can-standard", "a contract award notice"),
        ("can-social", "a contract award notice"),
        ("can-modif", "a contract modification notice"),
        ("compl", "a contract completion notice"),
    ],
)
def test_a_notice_that_comes_after_the_award_is_refused(tmp_path, notice_type, kind):
    """The VEAT sample retyped as each award notice that is not one."""
    path = tmp_path / "avis.xml"
    text = (EFORMS / "veat_81.xml").read_text(encoding="utf-8")
    retyped = text.replace(">veat</cbc:NoticeTypeCode>", f">{notice_type}</cbc:NoticeTypeCode>")
    path.write_text(retyped, encoding="utf-8")
    assert ET.parse(path).getroot().find("cbc:NoticeTypeCode", NS).text == notice_type
    assert _refused(path) == (
        f"Error: {path}: is {kind} (eForms ContractAwardNotice, notice type {notice_type}), "
        "which comes after the contract is awarded: clausegen imports a notice that announces "
        "a contract (a prior information notice, a contract notice, or a voluntary ex-ante "
        "transparency notice, type veat); give that notice.\n"
    )


FRENCH = (EFORMS / "cn_24_FRA_comments.xml").read_text(encoding="utf-8") if EFORMS.exists() else ""


def _without_lots(text: str) -> str:
    return re.sub(
        r"<cac:ProcurementProjectLot>.*?</cac:ProcurementProjectLot>", "", text, flags=re.S
    )


BROKEN = {
    "not_well_formed": (
        '<?xml version="1.0" encoding="UTF-8"?>\n<ContractNotice>\n  <Lot>\n</ContractNotice>\n',
        "is not well-formed XML (line 4, column 2); give the notice as exported by "
        "your buyer profile or TED, unedited.",
    ),
    "entities": (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n<ContractNotice>&lol;'
        "</ContractNotice>\n",
        "declares a DTD or XML entities, which clausegen does not read (an eForms notice has "
        "none); give the notice as exported by your buyer profile or TED.",
    ),
    "not_eforms": (
        None,
        "is XML but not an eForms notice (its root element is marches); give a contract notice "
        "in eForms, whose root element is ContractNotice.",
    ),
    "no_lot": (
        _without_lots(FRENCH),
        "this notice has no lot (no cac:ProcurementProjectLot with a cbc:ID "
        'schemeName="Lot"); check that it is the complete notice.',
    ),
    "huge": (
        " " * (MAX_NOTICE_BYTES + 1),
        f"is larger than the {MAX_NOTICE_BYTES // 1024 // 1024} MiB an input file may hold; "
        "check that it is the right file, or split it.",
    ),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_notice_is_a_clear_error(tmp_path, case):
    content, message = BROKEN[case]
    path = tmp_path / "avis.xml"
    if content is None:
        path.write_bytes(DECP_XML.read_bytes())
    else:
        path.write_text(content, encoding="utf-8")
    out = tmp_path / "operation.yaml"
    result = run("import", "eforms", path, "-o", out)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: {path}: {message}\n"
    assert not out.exists()


def test_an_output_that_cannot_be_written_is_the_only_line(tmp_path):
    """The kind of notice read was said before the write failed, on a command that wrote
    nothing."""
    (tmp_path / "plain").write_text("x")
    out = tmp_path / "plain" / "operation.yaml"
    result = run("import", "eforms", EFORMS / "cn-social_25.xml", "-o", out)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {tmp_path / 'plain'}: cannot be created (Not a directory); give another "
        "folder (-o).\n"
    )


def test_a_missing_notice_is_a_clear_error(tmp_path):
    path = tmp_path / "absent.xml"
    assert _refused(path) == f"Error: {path}: file not found; check the path.\n"


def test_the_readme_example_is_the_real_output(tmp_path):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- import-eforms-example -->\n```console\n")[1].split("```\n")[0]
    command, _, rest = block.partition("\n")
    shown, _, file_part = rest.partition("$ sed -n 3,7p operation.yaml\n")
    out = tmp_path / "operation.yaml"
    result = run("import", "eforms", EFORMS / "cn_24_FRA_comments.xml", "-o", out)
    assert command.endswith("cn_24_FRA_comments.xml -o operation.yaml")
    assert result.stderr.replace(str(out), "operation.yaml") == shown
    assert "\n".join(out.read_text(encoding="utf-8").splitlines()[2:7]) + "\n" == file_part


# --- duration (BT-36) and social codes (BT-71, BT-06, BT-775) ---------------------------------

UNIT_MONTHS = {"MONTH": 1, "YEAR": 12}


def _notice_durations(path: Path) -> list[tuple[str, str, bool]]:
    """Each lot's BT-36 (value, unit) and whether it may be renewed (BT-58), by XPath."""
    root = ET.parse(path).getroot()
    read = []
    for lot in root.findall("cac:ProcurementProjectLot/cbc:ID[@schemeName='Lot']/..", NS):
        measure = lot.find("cac:ProcurementProject/cac:PlannedPeriod/cbc:DurationMeasure", NS)
        renewals = lot.find("cac:ProcurementProject/cac:ContractExtension/cac:Renewal", NS)
        read.append(
            (
                None if measure is None else measure.text,
                None if measure is None else measure.get("unitCode"),
                renewals is not None,
            )
        )
    return read


def _notice_reserved(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return [
        code.text
        for code in root.findall(
            "cac:ProcurementProjectLot/cac:TenderingTerms/cac:TendererQualificationRequest/"
            "cac:SpecificTendererRequirement/"
            "cbc:TendererRequirementTypeCode[@listName='reserved-procurement']",
            NS,
        )
    ]


def _with_duration(text: str, *durations: tuple[str, str]) -> str:
    """The French notice with each lot's period replaced by a BT-36 duration, no renewal."""
    text = re.sub(r"<cac:ContractExtension>.*?</cac:ContractExtension>", "", text, flags=re.S)
    periods = iter(durations)

    def period(match: re.Match[str]) -> str:
        value, unit = next(periods)
        return (
            f'<cac:PlannedPeriod><cbc:DurationMeasure unitCode="{unit}">{value}'
            "</cbc:DurationMeasure></cac:PlannedPeriod>"
        )

    return re.sub(r"<cac:PlannedPeriod>.*?</cac:PlannedPeriod>", period, text, flags=re.S)


def _import(tmp_path: Path, text: str) -> tuple[Path, dict[str, Any], str]:
    notice = tmp_path / "avis.xml"
    notice.write_text(text, encoding="utf-8")
    out = tmp_path / "operation.yaml"
    result = run("import", "eforms", notice, "-o", out)
    assert result.exit_code == 0, result.output
    return notice, yaml.safe_load(out.read_text(encoding="utf-8")), result.stderr


@pytest.mark.parametrize(
    "durations",
    [(("18", "MONTH"), ("18", "MONTH")), (("2", "YEAR"), ("24", "MONTH"))],
    ids=["months", "years"],
)
def test_a_duration_in_whole_months_fills_duree_mois(tmp_path, durations):
    notice, data, stderr = _import(tmp_path, _with_duration(FRENCH, *durations))
    read = _notice_durations(notice)
    months = {int(value) * UNIT_MONTHS[unit] for value, unit, renewed in read if not renewed}
    assert len(read) == 2 and len(months) == 1
    assert data["consultation"]["duree_mois"] == months.pop()
    assert "consultation.duree_mois" not in _listed(stderr)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (lambda: _with_duration(FRENCH, ("90", "DAY"), ("90", "DAY")), "«\u00a090\u00a0» jours"),
        (
            lambda: _with_duration(FRENCH, ("12", "MONTH"), ("24", "MONTH")),
            "12\u00a0mois (LOT-0001), 24\u00a0mois (LOT-0002)",
        ),
        (lambda: _with_duration(FRENCH, ("1.5", "YEAR"), ("1.5", "YEAR")), "«\u00a01.5\u00a0» ans"),
        (lambda: FRENCH, "du 2019-09-01 au 2020-12-31"),
        (
            lambda: re.sub(
                r"<cac:PlannedPeriod>.*?</cac:PlannedPeriod>",
                '<cac:PlannedPeriod><cbc:DurationMeasure unitCode="MONTH">16'
                "</cbc:DurationMeasure></cac:PlannedPeriod>",
                FRENCH,
                flags=re.S,
            ),
            "sans ses reconductions (3 au plus)",
        ),
    ],
    ids=["days", "differing", "fraction", "dates", "renewals"],
)
def test_a_duration_without_whole_months_is_listed_with_what_the_notice_says(tmp_path, text, said):
    _, data, stderr = _import(tmp_path, text())
    assert data["consultation"]["duree_mois"] is None
    line = next(line for line in stderr.splitlines() if "consultation.duree_mois" in line)
    assert said in line


def test_every_lot_reserved_res_ws_is_a_reserved_contract(tmp_path):
    text = FRENCH.replace(
        'listName="reserved-procurement">none<', 'listName="reserved-procurement">res-ws<'
    )
    notice, data, stderr = _import(tmp_path, text)
    assert set(_notice_reserved(notice)) == {"res-ws"} and len(_notice_reserved(notice)) == 2
    assert data["clause"]["dispositif"] == "marche_reserve"
    listed = _listed(stderr)
    assert "clause.dispositif" not in listed
    assert "clause.reservation.beneficiaires" in listed
    for path in listed:
        _fill(data, path)
    (tmp_path / "operation.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    calibrated = run("calibrate", tmp_path / "operation.yaml", "--format", "json")
    assert calibrated.exit_code == 0, calibrated.output


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("mixed", "lot LOT-0001 réservé aux ateliers protégés et aux opérateurs d’insertion"),
        ("cn_24_maximal.xml", "réservé aux organisations de service public (res-pub-ser)"),
        ("cn-social_25.xml", "objectif social\u00a0: possibilités d’emploi des chômeurs"),
        ("cn_24_FRA_comments.xml", "l’avis ne déclare ni réservation ni objectif social"),
    ],
)
def test_social_codes_that_do_not_say_the_dispositif_are_listed(tmp_path, name, said):
    if name == "mixed":
        text = FRENCH.replace(
            'listName="reserved-procurement">none<', 'listName="reserved-procurement">res-ws<', 1
        )
    else:
        text = (EFORMS / name).read_text(encoding="utf-8")
    notice, data, stderr = _import(tmp_path, text)
    reserved = _notice_reserved(notice)
    assert set(reserved) != {"res-ws"}
    assert data["clause"]["dispositif"] is None and "reservation" not in data["clause"]
    line = next(line for line in stderr.splitlines() if "clause.dispositif" in line)
    assert said in line
