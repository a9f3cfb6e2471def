"""Execution documents on the sample: golden text, no personal data, CSV ≡ XLSX, the law."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from clausegen.calibration.calibrate import calibrate
from clausegen.cli.app import main
from clausegen.cli.produce import Balances, CommitmentForms
from clausegen.cli.produce import compliance_files as produce_compliance_files
from clausegen.documents.formatting import date_fr
from clausegen.documents.fragments import load_fragments
from clausegen.execution.commitments import load_commitment
from clausegen.execution.ledger import Ledger
from clausegen.execution.reconciliation import Statut, default_closing_date, reconcile
from clausegen.execution.records import load_execution_records
from clausegen.execution.reporting import ReportingChecks, load_reporting
from clausegen.inputs.loading import load_operation
from tests.docx_text import docx_text
from tests.golden import assert_golden
from tests.helpers import OPERATION, SAMPLE

SHORT, COMPLIANT = "82345678500026", "81234567600017"


@pytest.fixture(scope="module")
def setting():
    from clausegen.law.parameters import load_parameters

    parameters = load_parameters()
    operation = load_operation(OPERATION)
    calibration = calibrate(operation, parameters, operation.consultation.date_lancement)
    return operation, parameters, calibration, load_fragments()


def follow(
    setting, ledger: str = "heures.csv", closing: date | None = None, reporting: bool = True
):
    operation, parameters, calibration, _ = setting
    data = load_execution_records(
        operation,
        OPERATION,
        calibration,
        parameters,
        ledger=SAMPLE / ledger,
        participants_file=SAMPLE / "participants.yaml",
        commitments=SAMPLE / "engagements",
    )
    closing = closing or default_closing_date(data.registre, operation.execution)
    received = (
        load_reporting(
            SAMPLE / "comptes-rendus.csv",
            ReportingChecks(
                lots={lot.numero: lot.retenu for lot in calibration.lots},
                companies={
                    e.engagement.lot: e.engagement.entreprise.siret for e in data.engagements
                },
                execution=operation.execution,
                rules=operation.clause.comptes_rendus,
            ),
        )
        if reporting
        else None
    )
    reconciliation = reconcile(
        operation,
        calibration,
        data.engagements,
        data.registre,
        data.participants,
        parameters,
        closing,
        received,
    )
    return data, reconciliation


def compliance_files(setting, reconciliation) -> dict[str, bytes]:
    operation, parameters, _, registry = setting
    inputs = [OPERATION, SAMPLE / "heures.csv", SAMPLE / "participants.yaml"]
    produced = produce_compliance_files(operation, reconciliation, inputs, registry, parameters)
    return {f.name: f.content for f in produced.files}


@pytest.fixture(scope="module")
def statements(setting) -> dict[str, bytes]:
    return compliance_files(setting, follow(setting)[1])


def test_golden_text_of_each_compliance_statement(statements):
    for siret in (COMPLIANT, SHORT):
        assert_golden(
            docx_text(statements[f"conformite-{siret}.docx"]), f"execution/conformite-{siret}.txt"
        )


def test_the_short_company_shows_its_exact_shortfall_and_penalty(statements):
    text = docx_text(statements[f"conformite-{SHORT}.docx"])
    assert (
        "| 4\u00a0– Plâtrerie – peinture | 1\u202f120 | 1\u202f120 | 745 | 66,52\u00a0% "
        "| Objectif non atteint |" in text
    )
    assert "375\u00a0heures n’ont pas été réalisées" in text
    lines = [
        "| Heures manquantes | 1\u202f120\u00a0h requises − 745\u00a0h réalisées = 375\u00a0h |",
        "| Pénalité par heure manquante | 60,00\u00a0€\u00a0HT |",
        "| Pénalité pour heures non réalisées | 375\u00a0h × 60,00\u00a0€\u00a0HT = "
        "22\u202f500,00\u00a0€\u00a0HT |",
        "| Retard pénalisable, état de septembre\u00a02027 | mise en demeure notifiée le "
        "18\u00a0octobre\u00a02027, délai de huit jours expiré le 26\u00a0octobre\u00a02027\u202f; "
        "reçu le 3\u00a0novembre\u00a02027\u00a0: 8\u00a0jours |",
        "| Pénalité pour retard | 8\u00a0jours × 100,00\u00a0€\u00a0HT = 800,00\u00a0€\u00a0HT |",
        "| Total avant plafond | 22\u202f500,00\u00a0€\u00a0HT + 800,00\u00a0€\u00a0HT = "
        "23\u202f300,00\u00a0€\u00a0HT |",
        "| Plafond (10\u00a0% du montant HT du marché conclu) | 10\u00a0% × "
        "468\u202f000,00\u00a0€\u00a0HT = 46\u202f800,00\u00a0€\u00a0HT |",
        "| Pénalités encourues | 23\u202f300,00\u00a0€\u00a0HT |",
    ]
    table = text.split("| Calcul des pénalités | Opérandes et résultat |\n", 1)[1]
    assert table.startswith("\n".join(lines) + "\n"), table[:800]
    assert (
        "| septembre\u00a02027 | 556 | 57,5 | 270 | 10/10/2027 | 03/11/2027 | 24\u00a0jours |"
        in text
    )
    on_time = re.findall(r"\| \d\d/\d\d/\d{4} \| \d\d/\d\d/\d{4} \| 0 \|\n", text)
    assert len(on_time) == 17  # every other statement on time


def test_the_compliant_company_shows_compliance_and_no_penalty(statements):
    text = docx_text(statements[f"conformite-{COMPLIANT}.docx"])
    assert text.count("Objectif atteint") == 2
    assert "l’objectif est atteint (108,12\u00a0% des heures requises)" in text
    assert "Calcul de la pénalité" not in text and "☐" not in text
    assert text.count("Aucune pénalité pour heures non réalisées n’est encourue.") == 2


def test_the_compliance_statements_hold_no_personal_data(setting, statements):
    """Every part of each DOCX (body, tables, headers, footers, properties) and the sidecar."""
    data, _ = follow(setting)
    forbidden = set()
    for person in data.participants.values():
        birth = person.date_naissance
        forbidden |= {
            person.nom,
            person.prenom,
            person.nom_complet,
            birth.isoformat(),
            date_fr(birth),
            birth.strftime("%d/%m/%Y"),
        }
    assert len(forbidden) > 60
    for name, content in statements.items():
        if name.endswith(".docx"):
            with zipfile.ZipFile(io.BytesIO(content)) as package:
                texts = [
                    package.read(part).decode("utf-8")
                    for part in package.namelist()
                    if part.endswith((".xml", ".rels"))
                ]
                assert any(part.startswith("docProps/custom") for part in package.namelist())
        else:
            texts = [content.decode("utf-8")]
        for text in texts:
            plain = re.sub(r"<[^>]+>", "", text)
            found = sorted(word for word in forbidden if word in text or word in plain)
            assert not found, f"{name} names {found}"


def test_csv_and_xlsx_ledgers_give_the_same_result(setting):
    csv_data, from_csv = follow(setting, "heures.csv")
    xlsx_data, from_xlsx = follow(setting, "heures.xlsx")
    assert [(r.row, r.key, r.heures, r.montant_ht) for r in csv_data.registre.lignes] == [
        (r.row, r.key, r.heures, r.montant_ht) for r in xlsx_data.registre.lignes
    ]
    assert _figures(from_csv) == _figures(from_xlsx)
    assert len(csv_data.registre.lignes) == 77


def _figures(reconciliation):
    return [
        (
            lot.numero,
            lot.requis,
            lot.engage,
            lot.realise,
            lot.statut,
            lot.effectifs,
            lot.penalite.montant if lot.penalite else None,
        )
        for lot in reconciliation.lots
    ]


def test_statements_are_byte_identical_on_a_second_run(setting, statements):
    assert compliance_files(setting, follow(setting)[1]) == statements


def test_before_the_end_of_execution_a_short_lot_is_in_progress(setting):
    _, reconciliation = follow(setting, closing=date(2027, 12, 31))
    lot4 = next(lot for lot in reconciliation.lots if lot.numero == 4)
    assert (lot4.statut, lot4.realise) == (Statut.EN_COURS, Decimal("385.0"))
    assert reconciliation.lignes_apres_arrete == 20
    penalty = lot4.penalite  # no hourly penalty before the end; the late statement is due
    assert penalty is not None and penalty.montant_heures is None
    assert (penalty.jours_retard, penalty.montant) == (8, Decimal("800.00"))
    _, unrecorded = follow(setting, closing=date(2027, 12, 31), reporting=False)
    assert next(lot for lot in unrecorded.lots if lot.numero == 4).penalite is None


def test_subcontracting_amounts_become_hours_through_the_lots_labour_share(setting):
    _, reconciliation = follow(setting)
    line = next(m for m in reconciliation.lots[0].modalites if m.modalite.value == "sous_traitance")
    steps = line.traces["realise"].steps
    assert [s.result for s in steps] == [Decimal("8100.0000"), Decimal(270), Decimal("270.00")]
    assert [p.id for p in line.traces["realise"].parameters] == ["part_main_oeuvre.gros_oeuvre"]


def test_a_smic_multiple_penalty_reads_the_smic_on_the_closing_date(setting):
    operation, parameters, calibration, _ = setting
    rules = operation.clause.penalite.model_copy(
        update={"par_heure_manquante": None, "multiple_smic_par_heure": Decimal("1.5")}
    )
    clause = operation.clause.model_copy(update={"penalite": rules})
    data, _ = follow(setting)
    reconciliation = reconcile(
        operation.model_copy(update={"clause": clause}),
        calibration,
        data.engagements,
        data.registre,
        data.participants,
        parameters,
        date(2028, 6, 30),
    )
    penalty = next(lot for lot in reconciliation.lots if lot.numero == 4).penalite
    assert penalty is not None
    assert (penalty.taux_horaire, penalty.montant) == (Decimal("18.03"), Decimal("6761.25"))
    smic = next(p for p in penalty.trace.parameters if p.id == "smic.horaire_brut")
    assert (smic.value, smic.effective_from) == (Decimal("12.02"), date(2026, 1, 1))


def test_a_penalty_trace_leads_down_to_each_modality_line(setting):
    _, reconciliation = follow(setting, closing=date(2028, 6, 30))
    lot = next(lot for lot in reconciliation.lots if lot.penalite is not None)
    assert lot.penalite is not None
    required, realised = lot.penalite.trace.children()
    assert (required, realised) == (lot.traces["requis"], lot.traces["realise"])
    assert realised.children() == [line.traces["realise"] for line in lot.modalites]
    assert realised.result == sum((line.realise for line in lot.modalites), Decimal(0))


@given(
    hours=st.lists(st.integers(min_value=1, max_value=250), min_size=1, max_size=18),
    rate=st.decimals(min_value=1, max_value=500, places=2),
    cap=st.decimals(min_value=Decimal("0.01"), max_value=1, places=2),
)
def test_the_penalty_is_the_missing_hours_times_the_rate_within_the_cap(setting, hours, rate, cap):
    operation, parameters, calibration, _ = setting
    data, _ = follow(setting)
    template = next(r for r in data.registre.lignes if r.lot == 4 and r.participant == "P10")
    # the last months of execution, up to June 2028: the ledger covers the whole execution
    # (one that stops before its end states no finding: test_compliance_statement)
    months = [date(2027 + (17 - i) // 12, (17 - i) % 12 + 1, 1) for i in range(len(hours))]
    rows = tuple(
        dataclasses.replace(template, mois=month, heures=Decimal(h), row=i + 2)
        for i, (month, h) in enumerate(zip(reversed(months), hours, strict=True))
    )
    rules = operation.clause.penalite.model_copy(
        update={"par_heure_manquante": rate, "plafond_part_montant": cap}
    )
    changed = operation.model_copy(
        update={"clause": operation.clause.model_copy(update={"penalite": rules})}
    )
    engagements = [e for e in data.engagements if e.engagement.lot == 4]
    reconciliation = reconcile(
        changed,
        calibration,
        engagements,
        Ledger(Path("h.csv"), rows),
        data.participants,
        parameters,
        date(2028, 6, 30),
    )
    lot = reconciliation.lots[0]
    assert lot.realise == sum(hours)
    missing = max(Decimal(1120) - sum(hours), Decimal(0))
    if not missing:
        assert (lot.statut, lot.penalite) == (Statut.ATTEINT, None)
        return
    assert lot.penalite is not None
    raw = (missing * rate).quantize(Decimal("0.01"))
    ceiling = (cap * Decimal(468000)).quantize(Decimal("0.01"))
    assert lot.penalite.montant == min(raw, ceiling) <= ceiling


def test_golden_text_of_the_commitment_forms(setting):
    operation, parameters, calibration, registry = setting
    render = CommitmentForms(operation, calibration, (), registry, parameters)
    blank = render(4, None).files
    assert_golden(docx_text(blank[0].content), "execution/engagement-lot-04-vierge.txt")
    for name in ("lot-01-bati-sud", "lot-04-peintures-audoises"):
        item = load_commitment(SAMPLE / "engagements" / f"{name}.yaml")
        files = render(item.engagement.lot, item.engagement).files
        assert_golden(docx_text(files[0].content), f"execution/engagement-{name}.txt")


def test_golden_text_of_every_balance(setting):
    operation, _, _, registry = setting
    data, reconciliation = follow(setting)
    engagements = [item.engagement for item in data.engagements or ()]
    closing = reconciliation.arrete_au
    render = Balances(
        operation, data.registre, (), registry, arrete_au=closing, engagements=engagements
    )
    files = [output for person in data.participants.values() for output in render(person)]
    docx = {f.name: f.content for f in files if f.name.endswith(".docx")}
    assert sorted(docx) == [f"bilan-{pid}.docx" for pid in sorted(data.participants)]
    for name, content in docx.items():
        assert_golden(docx_text(content), f"execution/{name.removesuffix('.docx')}.txt")


def test_the_commands_on_the_sample(tmp_path):
    runner = CliRunner()
    common = [
        f"--ledger={SAMPLE / 'heures.xlsx'}",
        f"--participants={SAMPLE / 'participants.yaml'}",
    ]
    result = runner.invoke(
        main,
        [
            "compliance",
            str(OPERATION),
            f"--commitments={SAMPLE / 'engagements'}",
            *common,
            f"--reporting={SAMPLE / 'comptes-rendus.csv'}",
            "-o",
            str(tmp_path / "c"),
        ],
    )
    assert result.exit_code == 0
    assert_golden(result.stdout.replace(str(tmp_path), "OUT"), "execution/compliance.stdout.txt")
    assert_golden(result.stderr, "execution/compliance.stderr.txt")
    manifest = json.loads((tmp_path / "c" / f"conformite-{SHORT}.manifest.json").read_text())
    assert (manifest["date_reference"], manifest["arrete_au"]) == ("2026-09-15", "2028-06-30")
    assert [p["id"] for p in manifest["parametres"]] == [
        "confidentialite.effectif_minimum",
        "part_main_oeuvre.peinture",
    ]
    result = runner.invoke(main, ["balance", str(OPERATION), *common, "-o", str(tmp_path / "b")])
    assert (result.exit_code, result.stdout) == (
        0,
        f"13 end-of-mission balances and their manifests in {tmp_path / 'b'}.\n",
    )
    assert len(list((tmp_path / "b").iterdir())) == 26


def test_a_services_form_names_no_worksite(setting):
    """The tutor is "sur le chantier" for works only; a services form says where else."""
    _, parameters, _, registry = setting
    operation = load_operation(Path("samples/nettoyage-batiments-agglo/operation.yaml"))
    calibration = calibrate(operation, parameters, operation.consultation.date_lancement)
    form = CommitmentForms(operation, calibration, (), registry, parameters)(1, None)
    text = docx_text(form.files[0].content)
    assert "chantier" not in text
    assert "[Body Text] Tuteur dans l’entreprise (embauche directe)\n" in text
    assert "l’accueillir et de l’accompagner sur son lieu de travail" in text
    assert "| Montant estimé HT | 1\u202f440\u202f000,00\u00a0€ |" in text
