"""Properties of the sizing that hold for any amounts, rates, costs, shares and methods."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from clausegen.inputs.operation import Operation
from tests.helpers import make_operation, operation_data, size

amounts = st.decimals(min_value=0, max_value=50_000_000, places=2)
rates = st.decimals(min_value=0, max_value=1, places=4)
costs = st.decimals(min_value=Decimal("10"), max_value=Decimal("80"), places=2)
shares = st.decimals(min_value=0, max_value=1, places=2)
rules = st.sampled_from(["au_plus_proche", "au_superieur", "a_l_inferieur"])
methods = st.sampled_from(
    [
        {"methode": "part_main_oeuvre"},
        {"methode": "heures_par_montant", "euros_par_heure": "2000"},
        {
            "methode": "heures_par_montant",
            "euros_par_heure": "1500",
            "seuil_declenchement": "300000",
            "assiette": "excedent",
        },
        {
            "methode": "heures_par_montant",
            "euros_par_heure": "1500",
            "seuil_declenchement": "300000",
            "assiette": "totalite",
        },
        {"methode": "anru", "volet": "travaux"},
        {"methode": "anru", "volet": "gestion_urbaine_proximite"},
    ]
)


def operation(method, amount, rate, cost, share, rule="au_plus_proche") -> Operation:
    return make_operation(
        consultation={"anru": method["methode"] == "anru"},
        clause={"calibrage": method, "arrondi": rule, "cout_horaire": str(cost)},
        montant_estime_ht=str(amount),
        taux_insertion=str(rate),
        part_main_oeuvre=str(share),
    )


def hours(method, amount, rate, cost, share, rule, parameters) -> Decimal:
    return size(operation(method, amount, rate, cost, share, rule), parameters).lots[0].heures


@given(methods, amounts, rates, costs, shares, rules)
def test_hours_are_never_negative(parameters, method, amount, rate, cost, share, rule):
    lot = size(operation(method, amount, rate, cost, share, rule), parameters).lots[0]
    assert lot.heures >= 0 and lot.etp >= 0


@given(methods, amounts, amounts, rates, costs, shares, rules)
def test_hours_never_decrease_when_the_amount_grows(
    parameters, method, a, b, rate, cost, share, rule
):
    low, high = sorted((a, b))
    assert hours(method, low, rate, cost, share, rule, parameters) <= hours(
        method, high, rate, cost, share, rule, parameters
    )


@given(methods, amounts, rates, rates, costs, shares, rules)
def test_hours_never_decrease_when_the_rate_grows(
    parameters, method, amount, r1, r2, cost, share, rule
):
    low, high = sorted((r1, r2))
    assert hours(method, amount, low, cost, share, rule, parameters) <= hours(
        method, amount, high, cost, share, rule, parameters
    )


@given(
    st.sampled_from([{"methode": "part_main_oeuvre"}, {"methode": "anru"}]), amounts, rates, costs
)
def test_zero_labour_share_gives_zero_hours(parameters, method, amount, rate, cost):
    lot = size(operation(method, amount, rate, cost, Decimal(0)), parameters).lots[0]
    assert lot.heures == 0


@given(
    st.sampled_from(["1000000", "1440000", "2000000"]),
    st.decimals(min_value=0, max_value=2000, places=0),
    st.decimals(min_value=0, max_value=2000, places=0),
)
def test_pact_hours_never_grow_with_the_staff_taken_over(parameters, amount, s1, s2):
    def pact(staff):
        return make_operation(
            clause={"calibrage": {"methode": "pact_proprete"}},
            metier="nettoyage",
            montant_estime_ht=amount,
            reprise_personnel={"heures_mensuelles": str(staff)},
        )

    low, high = sorted((s1, s2))
    assert size(pact(high), parameters).lots[0].heures <= size(pact(low), parameters).lots[0].heures


lots = st.lists(st.tuples(amounts, rates, shares, st.booleans()), min_size=1, max_size=8)


def many_lots(specs) -> Operation:
    data = operation_data()
    template = data["lots"][0]
    data["lots"] = [
        {
            **template,
            "numero": n,
            "montant_estime_ht": str(amount),
            "taux_insertion": str(rate),
            "part_main_oeuvre": str(share),
            **({"exclusion": {"justification": "choix"}} if excluded else {}),
        }
        for n, (amount, rate, share, excluded) in enumerate(specs, start=1)
    ]
    return Operation.model_validate(data)


@given(lots, st.sampled_from(["2019-03-15", "2026-08-20", "2026-08-21", "2027-06-01"]))
def test_totals_traces_and_citations_hold_together(parameters, specs, launch):
    op = many_lots(specs)
    op = op.model_copy(
        update={
            "consultation": op.consultation.model_copy(
                update={"date_lancement": __import__("datetime").date.fromisoformat(launch)}
            )
        }
    )
    calibration = size(op, parameters)
    assert calibration.total_heures == sum(lot.heures for lot in calibration.lots)
    assert calibration.traces["total_heures"].result == calibration.total_heures
    assert calibration.traces["total_etp"].result == calibration.total_etp
    for lot in calibration.lots:
        assert lot.traces["heures"].result == lot.heures
        assert lot.traces["etp"].result == lot.etp
        assert lot.part_heures_travaillees == (
            lot.traces["part"].result if "part" in lot.traces else None
        )
    for cited in calibration.parametres:
        assert parameters.resolve(cited.id, calibration.date_reference) == cited


@given(amounts)
def test_exact_hours_are_rounded_once_to_a_whole_hour(parameters, amount):
    assume(amount > 0)
    lot = size(
        operation(
            {"methode": "part_main_oeuvre"}, amount, Decimal("0.05"), Decimal(30), Decimal("0.5")
        ),
        parameters,
    ).lots[0]
    exact = lot.traces["heures"].steps[-2].result
    assert abs(lot.heures - exact) <= Decimal("0.5")
    assert lot.heures == lot.heures.to_integral_value()


@given(lots, st.sampled_from(["annuel_legal", "temps_plein_35h"]))
def test_the_total_etp_is_the_total_hours_over_the_divisor_rounded_once(parameters, specs, divisor):
    data = many_lots(specs).model_dump(mode="json")
    data["clause"]["diviseur_etp"] = divisor
    calibration = size(Operation.model_validate(data), parameters)
    value = parameters.resolve(f"etp.diviseur.{divisor}", calibration.date_reference).value
    assert calibration.diviseur_etp.value == value
    expected = (calibration.total_heures / value).quantize(
        Decimal("0.01"), rounding="ROUND_HALF_UP"
    )
    assert calibration.total_etp == expected
