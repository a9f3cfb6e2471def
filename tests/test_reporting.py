"""Issue 14: reporting periods, the statements received, both penalties and the CDI cap."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausegen.calibration.trace import TraceBuilder
from clausegen.documents.compliance import compose_compliance
from clausegen.documents.fragments import load_fragments
from clausegen.documents.tender import compose_tender
from clausegen.errors import InputError
from clausegen.execution.commitments import Commitment, Entreprise
from clausegen.execution.ledger import Ledger
from clausegen.execution.participants import TypeContrat
from clausegen.execution.penalties import Shortfall, lot_penalties
from clausegen.execution.reconciliation import reconcile
from clausegen.execution.reporting import (
    Period,
    PeriodLine,
    ReportingChecks,
    StatutCompteRendu,
    due_date,
    load_reporting,
    penalised_days,
    period_of,
    periods,
    required_to_date,
)
from clausegen.inputs.operation import ComptesRendus, Execution, Periodicite, RegleArrondi
from clausegen.law.parameters import load_parameters
from tests.docx_text import docx_text
from tests.helpers import FOLLOW_UP, OPERATION, SAMPLE, make_operation, run, size
from tests.test_execution import follow, setting  # noqa: F401  (the sample, sized)

EXECUTION = Execution(debut=date(2027, 1, 4), fin=date(2028, 6, 30))
CENT = Decimal("0.01")
MONTHLY = ComptesRendus()
QUARTERLY = ComptesRendus(periodicite=Periodicite.TRIMESTRIELLE, jour_limite=5)


def test_the_periods_of_the_execution_and_their_due_dates():
    monthly = periods(EXECUTION, Periodicite.MENSUELLE, date(2028, 6, 30))
    assert [p.code for p in monthly[:2]] == ["2027-01", "2027-02"]
    assert (len(monthly), monthly[-1].code, monthly[-1].fin) == (18, "2028-06", date(2028, 6, 30))
    assert due_date(monthly[0], MONTHLY) == date(2027, 2, 10)
    assert due_date(period_of(date(2027, 12, 15), Periodicite.MENSUELLE), MONTHLY) == date(
        2028, 1, 10
    )
    quarterly = periods(EXECUTION, Periodicite.TRIMESTRIELLE, date(2027, 8, 15))
    assert [p.code for p in quarterly] == ["2027-T1", "2027-T2", "2027-T3"]
    assert (quarterly[2].debut, quarterly[2].fin) == (date(2027, 7, 1), date(2027, 9, 30))
    assert due_date(quarterly[3 - 1], QUARTERLY) == date(2027, 10, 5)


def test_required_to_date_is_pro_rata_of_the_days_elapsed():
    # 544 days of execution; on 31 January 2027, 28 of them have passed.
    assert (
        required_to_date(Decimal(1120), EXECUTION, date(2027, 1, 31), RegleArrondi.AU_PLUS_PROCHE)
        == 58
    )
    assert (
        required_to_date(Decimal(1120), EXECUTION, date(2026, 12, 31), RegleArrondi.AU_PLUS_PROCHE)
        == 0
    )
    assert (
        required_to_date(Decimal(1120), EXECUTION, date(2029, 1, 1), RegleArrondi.AU_SUPERIEUR)
        == 1120
    )


@given(
    required=st.integers(min_value=0, max_value=50_000),
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    length=st.integers(min_value=0, max_value=2_000),
    first=st.integers(min_value=-30, max_value=2_100),
    step=st.integers(min_value=0, max_value=400),
    rule=st.sampled_from(list(RegleArrondi)),
)
def test_required_to_date_is_monotone_and_ends_at_the_lots_hours(
    required, start, length, first, step, rule
):
    execution = Execution(debut=start, fin=start + timedelta(days=length))
    at = start + timedelta(days=first)
    earlier = required_to_date(Decimal(required), execution, at, rule)
    later = required_to_date(Decimal(required), execution, at + timedelta(days=step), rule)
    assert 0 <= earlier <= later <= required
    assert required_to_date(Decimal(required), execution, execution.fin, rule) == required


@given(
    notice=st.none() | st.dates(min_value=date(2027, 1, 1), max_value=date(2028, 12, 31)),
    received=st.none() | st.dates(min_value=date(2027, 1, 1), max_value=date(2028, 12, 31)),
    closing=st.dates(min_value=date(2027, 1, 1), max_value=date(2028, 12, 31)),
    delay=st.integers(min_value=1, max_value=90),
)
def test_penalised_days_are_never_negative_and_start_after_the_notices_delay(
    notice, received, closing, delay
):
    days = penalised_days(notice, received, closing, delay)
    assert days >= 0
    if notice is None:
        assert days == 0
    else:
        end = received or closing
        assert days == max((end - notice).days - delay, 0)


def _line(period: Period, notice: date | None, received: date | None, days: int) -> PeriodLine:
    due = due_date(period, MONTHLY)
    return PeriodLine(
        periode=period,
        requis_a_date=Decimal(0),
        realise_periode=Decimal(0),
        realise_cumule=Decimal(0),
        echeance=due,
        statut=StatutCompteRendu.RECU if received else StatutCompteRendu.NON_RECU,
        reception=received,
        mise_en_demeure=notice,
        jours_retard=max((received - due).days, 0) if received else None,
        jours_penalisables=days,
        ligne=2,
    )


def _figure(value: Decimal):
    trace = TraceBuilder(load_parameters(), date(2028, 6, 30))
    trace.step("figure", "donnée", (), value, "h")
    return trace.build()


@given(
    missing=st.integers(min_value=0, max_value=3_000),
    late=st.lists(st.integers(min_value=0, max_value=60), max_size=6),
    per_hour=st.decimals(min_value=1, max_value=500, places=2),
    per_day=st.decimals(min_value=1, max_value=1_000, places=2),
    cap=st.decimals(min_value=Decimal("0.01"), max_value=1, places=2),
    awarded=st.decimals(min_value=1_000, max_value=2_000_000, places=2),
)
def test_both_penalties_within_the_cap(missing, late, per_hour, per_day, cap, awarded):
    operation = make_operation(
        clause={
            "penalite": {
                "par_heure_manquante": str(per_hour),
                "par_jour_retard": str(per_day),
                "plafond_part_montant": str(cap),
            }
        }
    )
    lot = operation.lots[0]
    engagement = Commitment(
        entreprise=Entreprise(raison_sociale="Titulaire", siret="82345678500026"),
        lot=lot.numero,
        montant_ht=awarded,
    )
    months = periods(EXECUTION, Periodicite.MENSUELLE, date(2028, 6, 30))
    lines = tuple(
        _line(period, due_date(period, MONTHLY) + timedelta(days=1), None, days)
        for period, days in zip(months, late, strict=False)
    )
    shortfall = (
        Shortfall(_figure(Decimal(4000)), _figure(Decimal(4000 - missing))) if missing else None
    )
    penalty = lot_penalties(
        operation,
        load_parameters(),
        date(2028, 6, 30),
        engagement,
        shortfall,
        lines,
        Path("comptes-rendus.csv"),
    )
    hourly = (missing * per_hour).quantize(CENT, ROUND_HALF_UP)
    daily = (sum(late) * per_day).quantize(CENT, ROUND_HALF_UP)
    if not missing and not sum(late):
        assert penalty is None
        return
    assert penalty is not None
    ceiling = (cap * awarded).quantize(CENT, ROUND_HALF_UP)
    assert penalty.montant_brut == hourly + daily
    assert penalty.montant == min(hourly + daily, ceiling) <= ceiling
    assert penalty.jours_retard == sum(late)
    assert penalty.trace.result == penalty.montant


def test_quarterly_periods_in_the_reporting_file(tmp_path):
    checks = ReportingChecks(
        lots={4: True}, companies={4: "82345678500026"}, execution=EXECUTION, rules=QUARTERLY
    )
    good = tmp_path / "cr.csv"
    good.write_text("siret;lot;periode;date_reception\n82345678500026;4;2027-T2;2027-07-04\n")
    (row,) = load_reporting(good, checks).lignes
    assert (row.periode.debut, row.periode.fin) == (date(2027, 4, 1), date(2027, 6, 30))
    bad = tmp_path / "bad.csv"
    bad.write_text("siret;lot;periode;date_reception\n82345678500026;4;2027-04;2027-07-04\n")
    with pytest.raises(InputError) as raised:
        load_reporting(bad, checks)
    assert str(raised.value) == (
        f"{bad}: row 2, column periode: must be a calendar quarter written YYYY-T1 to YYYY-T4 "
        "(got '2027-04'): the clause asks for quarterly statements "
        "(clause.comptes_rendus.periodicite: trimestrielle)."
    )


def test_the_ccap_states_the_reporting_settings_in_words():
    parameters = load_parameters()
    operation = make_operation(
        clause={
            "penalite": {"par_heure_manquante": "60", "par_jour_retard": "100"},
            "comptes_rendus": {
                "periodicite": "trimestrielle",
                "jour_limite": 5,
                "delai_mise_en_demeure_jours": 15,
            },
        }
    )
    ccap, _ = compose_tender(operation, size(operation, parameters), load_fragments(), parameters)
    text = "\n".join(b.texte for s in ccap.context.sections for b in s.blocs)
    assert "Chaque trimestre civil, au plus tard le cinquième jour du mois qui suit" in text
    assert "Chaque mois" not in text
    assert "transmission de l’état trimestriel des heures" in text
    assert "expiration d’un délai de quinze jours suivant la notification au titulaire" in text


def test_a_smic_multiple_penalty_cites_the_smic_in_the_statement(setting):  # noqa: F811
    operation, parameters, calibration, registry = setting
    rules = operation.clause.penalite.model_copy(
        update={"par_heure_manquante": None, "multiple_smic_par_heure": Decimal("1.5")}
    )
    changed = operation.model_copy(
        update={"clause": operation.clause.model_copy(update={"penalite": rules})}
    )
    data, _ = follow(setting)
    reconciliation = reconcile(
        changed,
        calibration,
        data.engagements,
        data.registre,
        data.participants,
        parameters,
        date(2028, 6, 30),
    )
    composed = compose_compliance(changed, reconciliation, "82345678500026", registry, parameters)
    (lot,) = composed.context.lots
    assert lot.penalite is not None
    rows = {line.libelle: line.calcul for line in lot.penalite.lignes}
    assert rows["Pénalité par heure manquante"] == (
        "1,5 × 12,02\u00a0€ (SMIC horaire brut) = 18,03\u00a0€\u00a0HT"
    )
    (cited,) = lot.penalite.parametres
    assert cited.startswith("paramètre smic.horaire_brut en vigueur depuis le 1er\u00a0janvier")
    assert cited.endswith(", vérifié")
    # without the reporting file: no lateness, and the statement says so
    assert lot.comptes_rendus_enregistres is False
    assert {p.reception for p in lot.periodes} == {"non enregistré"}


def test_a_cdi_hire_counts_within_the_cap(setting):  # noqa: F811
    operation, parameters, calibration, _ = setting
    data, _ = follow(setting)
    person = data.participants["P08"]
    hired = person.model_copy(
        update={"contrat": person.contrat.model_copy(update={"type": TypeContrat.CDI, "fin": None})}
    )
    template = next(r for r in data.registre.lignes if r.participant == "P08")
    rows = tuple(
        replace(
            template,
            row=i + 2,
            mois=date(2027 + (4 + i) // 12, (4 + i) % 12 + 1, 1),
            heures=Decimal(150),
        )
        for i in range(13)
    )  # 13 months × 150 h = 1 950 h declared
    reconciliation = reconcile(
        operation,
        calibration,
        [e for e in data.engagements if e.engagement.lot == 4],
        Ledger(Path("h.csv"), rows),
        {**data.participants, "P08": hired},
        parameters,
        date(2028, 6, 30),
    )
    (lot,) = reconciliation.lots
    assert lot.realise == Decimal(1607)
    step = lot.modalites[0].traces["realise"].steps[0]
    assert (step.label, step.result) == ("heures comptées, CDI de P08", Decimal(1607))
    assert [p.id for p in lot.parametres if p.id.startswith("suivi.")] == [
        "suivi.embauche_cdi_plafond_heures"
    ]
    assert lot.periodes[-1].realise_cumule == Decimal(1607)


def test_without_the_reporting_file_no_lateness_is_assessed(tmp_path):
    result = run(
        "compliance",
        OPERATION,
        "--commitments",
        SAMPLE / "engagements",
        *FOLLOW_UP,
        "-o",
        tmp_path,
    )
    assert result.exit_code == 0, result.output
    assert "4 Peintures Audoises & Fils 1 120 1 120 1 120 745 shortfall 22 500,00 €" in re.sub(
        r"\s+", " ", result.stdout
    )
    text = docx_text((tmp_path / "conformite-82345678500026.docx").read_bytes())
    assert text.count("Aucun compte rendu reçu n’a été enregistré") == 1
    assert "Retard pénalisable" not in text
    assert "| juin\u00a02028 | 1\u202f120 | 50 | 745 | 10/07/2028 | non enregistré | – |" in text
