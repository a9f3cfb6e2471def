"""The lot table prints the labour share and hourly cost that the reconciliation converts a
subcontracting amount with: one source for both (``conversion_figures``)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from clausegen.calibration.trace import TraceBuilder, decimal_of, given
from clausegen.documents.formatting import euros, percent
from clausegen.documents.fragments import load_fragments
from clausegen.documents.tender import compose_tender
from clausegen.errors import CompositionError
from clausegen.execution.modalities import Modalite
from clausegen.execution.reconciliation import convert_amount, reconcile
from clausegen.inputs.loading import load_operation
from clausegen.inputs.operation import Operation
from clausegen.law.parameters import ParameterSet
from tests.helpers import SAMPLES, make_operation, size
from tests.test_award_criterion import LIMOUX, setting


def _printed(operation: Operation, parameters: ParameterSet) -> dict[int, tuple[str, str]]:
    ccap, rc = compose_tender(operation, size(operation, parameters), load_fragments(), parameters)
    assert ccap.context.lots_retenus == rc.context.lots_retenus  # type: ignore[attr-defined]
    return {
        lot.numero: (lot.conversion.part_main_oeuvre, lot.conversion.cout_horaire)
        for lot in ccap.context.lots_retenus  # type: ignore[attr-defined]
    }


def _converted_with(operation: Operation, parameters: ParameterSet, lot: int) -> tuple[str, str]:
    """The share and cost ``convert_amount`` multiplies and divides by, read from its trace."""
    trace = TraceBuilder(parameters, operation.consultation.date_lancement)
    amount = given("montant", Decimal("10000"), "test", "EUR")
    convert_amount(operation, trace, lot, amount)
    steps = trace.build().steps
    share = steps[0].operands[1]
    cost = steps[1].operands[1]
    return percent(decimal_of(share)), euros(decimal_of(cost))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.parent.name)
def test_the_table_prints_the_figures_the_conversion_uses(sample, parameters):
    operation = load_operation(sample)
    printed = _printed(operation, parameters)
    assert printed
    for lot, figures in printed.items():
        assert figures == _converted_with(operation, parameters, lot)


def test_limoux_states_the_figures_of_its_commitment_form(parameters):
    """The Limoux form's « 6 400,00 € HT, soit 160 h » is 6 400 × 65 % ÷ 26 €."""
    operation = load_operation(next(p for p in SAMPLES if "limoux" in str(p)))
    assert set(_printed(operation, parameters).values()) == {("65\u00a0%", "26,00\u00a0€")}


def test_a_lot_s_own_cost_and_share_are_printed(parameters):
    operation = make_operation(cout_horaire="27.5", part_main_oeuvre="0.35")
    assert _printed(operation, parameters) == {1: ("35\u00a0%", "27,50\u00a0€")}
    assert _converted_with(operation, parameters, 1) == ("35\u00a0%", "27,50\u00a0€")


def test_a_lot_without_a_labour_share_cannot_be_put_in_the_ccap(parameters):
    """Sized by amount, the lot needs no share; its CCAP still states one to convert."""
    operation = make_operation(
        clause={"calibrage": {"methode": "heures_par_montant", "euros_par_heure": "2000"}},
        metier="metier_inconnu",
    )
    with pytest.raises(CompositionError, match="part_main_oeuvre") as raised:
        compose_tender(operation, size(operation, parameters), load_fragments(), parameters)
    assert "converts a subcontracting or co-contracting amount" in str(raised.value)


def _hours_of(operation: Operation, parameters: ParameterSet, amount: str) -> Decimal:
    trace = TraceBuilder(parameters, operation.consultation.date_lancement)
    return decimal_of(
        convert_amount(operation, trace, 1, given("montant", Decimal(amount), "test", "EUR"))
    )


PACT_LOT = {
    "clause": {"calibrage": {"methode": "pact_proprete"}},
    "metier": "nettoyage",
    "reprise_personnel": {"heures_mensuelles": "0"},
}


def test_a_pact_lot_converts_with_the_pact_s_own_figures(parameters):
    """37 500 € HT of subcontracting on a PACT lot is 37 500 × 80 % ÷ 20 € = 37 500 ÷ C =
    1 500 h, not the 1 000 h of the generic 30 € hourly cost."""
    operation = make_operation(**PACT_LOT)
    assert _hours_of(operation, parameters, "37500") == Decimal("1500")
    assert _printed(operation, parameters) == {1: ("80\u00a0%", "20,00\u00a0€")}
    assert _converted_with(operation, parameters, 1) == ("80\u00a0%", "20,00\u00a0€")


def test_a_standard_lot_converts_as_before(parameters):
    """A lot sized by labour share keeps its trade's share and the default hourly cost:
    37 500 × 40 % (gros œuvre) ÷ 30 € = 500 h."""
    operation = make_operation(metier="gros_oeuvre")
    assert operation.clause.calibrage.methode == "part_main_oeuvre"
    assert operation.clause.cout_horaire is None and operation.lots[0].cout_horaire is None
    assert _hours_of(operation, parameters, "37500") == Decimal("500")


def test_the_pact_s_figures_give_its_coefficient_at_every_date(parameters):
    """C = coût horaire ÷ part de main-d’œuvre (20 € ÷ 80 % = 25 €) on each dated value, so
    that a converted amount counts the hours the sizing counts."""
    coefficient = parameters.get("proprete.pact.coefficient")
    share = parameters.get("proprete.pact.part_main_oeuvre")
    cost = parameters.get("proprete.pact.cout_horaire")
    dates = {v.effective_from for p in (coefficient, share, cost) for v in p.values}
    for at in dates:
        c, s, h = (parameters.resolve(p.id, at).value for p in (coefficient, share, cost))
        assert h / s == c, at


def _subcontracted_realised(
    operation: Operation, parameters: ParameterSet, data, committed: str
) -> Decimal:
    """Vert Limouxin's subcontracting hours realised on lot 2 (4 200 € HT invoiced by its
    ESAT), as the compliance statement's reconciliation converts them; its commitment's
    total set to its 6 400 € HT planned, ``committed`` hours once converted."""
    calibration = size(operation, parameters)
    engagements = [
        dataclasses.replace(
            item,
            engagement=item.engagement.model_copy(update={"heures_engagees": Decimal(committed)}),
        )
        if item.engagement.lot == 2
        else item
        for item in data.engagements
    ]
    followed = reconcile(
        operation,
        calibration,
        engagements,
        data.registre,
        data.participants,
        parameters,
        date(2028, 6, 30),
    )
    lot = next(item for item in followed.lots if item.numero == 2)
    line = next(line for line in lot.modalites if line.modalite is Modalite.SOUS_TRAITANCE)
    return line.realise


def test_the_statement_converts_invoiced_amounts_with_the_lot_s_own_figures():
    """The same 4 200 € HT invoiced: 4 200 × 65 % ÷ 26 € = 105 h on Limoux's lot sized by
    labour share; 4 200 ÷ 25 € = 168 h once the lot is sized by the PACT Propreté."""
    operation, parameters, _, data = setting(LIMOUX)
    assert _subcontracted_realised(operation, parameters, data, "160") == Decimal("105")
    changed = operation.model_dump()
    changed["clause"]["calibrage"] = {"methode": "pact_proprete"}
    for lot in changed["lots"]:
        lot["reprise_personnel"] = {"heures_mensuelles": Decimal(0)}
    pact = Operation.model_validate(changed)
    assert _subcontracted_realised(pact, parameters, data, "256") == Decimal("168")
