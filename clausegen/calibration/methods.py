"""The sizing methods (méthodes de calibrage): one function each, exact hours with a trace.

Each method reads the lot's values through ``LotInputs`` (which says where each value comes
from: the lot, the clause, or a dated parameter), records its steps, and returns the exact
(unrounded) hours, or why the lot cannot carry a clause. Rounding and the buyer's thresholds
are applied afterwards, the same way for every method (see ``clausegen.calibration.calibrate``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from clausegen.calibration.trace import Operand, TraceBuilder, decimal_of, given
from clausegen.calibration.warnings import AnruRateWarning
from clausegen.errors import CalibrationError
from clausegen.inputs.operation import (
    Anru,
    Assiette,
    HeuresParMontant,
    Lot,
    MotifExclusion,
    Operation,
    PactProprete,
    PartMainOeuvre,
    Tranches,
)

EUR = "EUR"
HOURS = "h"
PACT_LABOUR_SHARE = "proprete.pact.part_main_oeuvre"
PACT_HOURLY_COST = "proprete.pact.cout_horaire"


@dataclass
class LotInputs:
    """A lot's sizing values, each read from the lot, else the clause, else a parameter."""

    operation: Operation
    lot: Lot
    index: int
    trace: TraceBuilder

    def path(self, key: str) -> str:
        """The field path of one of the lot's keys, as errors and traces show it."""
        return f"lots[{self.index}].{key}"

    def amount(self) -> Operand:
        return given("montant HT", self.lot.montant_estime_ht, self.path("montant_estime_ht"), EUR)

    def insertion_rate(self) -> Operand:
        if self.lot.taux_insertion is not None:
            return given("taux d’insertion", self.lot.taux_insertion, self.path("taux_insertion"))
        if self.operation.clause.taux_insertion is not None:
            return given(
                "taux d’insertion", self.operation.clause.taux_insertion, "clause.taux_insertion"
            )
        return self.trace.parameter("calibrage.taux_insertion_defaut", "taux d’insertion")

    def hourly_cost(self) -> Operand:
        if self.lot.cout_horaire is not None:
            return given("coût horaire", self.lot.cout_horaire, self.path("cout_horaire"), "EUR/h")
        if self.operation.clause.cout_horaire is not None:
            return given(
                "coût horaire", self.operation.clause.cout_horaire, "clause.cout_horaire", "EUR/h"
            )
        return self.trace.parameter("calibrage.cout_horaire_defaut", "coût horaire")

    def labour_share_known(self) -> bool:
        """Whether the lot has a labour share: its own, or its trade's parameter."""
        return (
            self.lot.part_main_oeuvre is not None
            or f"part_main_oeuvre.{self.lot.metier}" in self.trace.parameters
        )

    def labour_share(self) -> Operand:
        if self.lot.part_main_oeuvre is not None:
            return given(
                "part de main-d’œuvre", self.lot.part_main_oeuvre, self.path("part_main_oeuvre")
            )
        parameter_id = f"part_main_oeuvre.{self.lot.metier}"
        if parameter_id not in self.trace.parameters:
            known = ", ".join(self.trace.parameters.ids_under("part_main_oeuvre"))
            raise CalibrationError(
                lot=self.lot.numero,
                message=f"no labour share is known for the trade '{self.lot.metier}' "
                f"({self.path('metier')}). Use one of: {known}; or give the lot its own "
                "part_main_oeuvre (0.45 for 45 %).",
            )
        return self.trace.parameter(parameter_id, "part de main-d’œuvre")

    def pact_figures(self) -> tuple[Operand, Operand]:
        """The PACT Propreté's labour share and hourly cost (80 % and 20 €, whose ratio is
        its coefficient C): the figures a PACT lot converts an amount into hours with."""
        return (
            self.trace.parameter(PACT_LABOUR_SHARE, "part de main-d’œuvre du PACT Propreté"),
            self.trace.parameter(PACT_HOURLY_COST, "coût horaire du PACT Propreté"),
        )

    def conversion_figures(self) -> tuple[Operand, Operand]:
        """The labour share and hourly cost that convert an amount HT into the lot's hours:
        the PACT Propreté's for a lot it sizes (so that an amount counts amount ÷ C hours,
        as in the sizing), else the lot's, the clause's or the dated parameters."""
        if self.operation.methode_du_lot(self.lot).methode == "pact_proprete":
            return self.pact_figures()
        return self.labour_share(), self.hourly_cost()

    def duration_months(self) -> Operand:
        if self.lot.duree_mois is not None:
            return given("durée", Decimal(self.lot.duree_mois), self.path("duree_mois"), "mois")
        return given(
            "durée",
            Decimal(self.operation.consultation.duree_mois),
            "consultation.duree_mois",
            "mois",
        )


@dataclass(frozen=True)
class MethodResult:
    """What a method found: exact hours, or a reason the lot carries no clause."""

    exact_hours: Operand
    exclusion: tuple[MotifExclusion, str] | None = None
    minimum: tuple[Operand, MotifExclusion] | None = None
    """A floor of the method's own (the PACT's 150 h), applied to the rounded hours."""
    warning: AnruRateWarning | None = None
    rate: Operand | None = None
    labour_share: Operand | None = None
    hourly_cost: Operand | None = None
    """The rate, labour share and hourly cost the method used, when it used them."""


def labour_share_method(inputs: LotInputs, _config: PartMainOeuvre) -> MethodResult:
    """Hours = amount HT × labour share × insertion rate ÷ hourly cost."""
    t = inputs.trace
    amount, share = inputs.amount(), inputs.labour_share()
    rate, cost = inputs.insertion_rate(), inputs.hourly_cost()
    labour = t.step(
        "coût de la main-d’œuvre",
        "montant HT × part de main-d’œuvre",
        (amount, share),
        decimal_of(amount) * decimal_of(share),
        EUR,
    )
    reserved = t.step(
        "coût de la main-d’œuvre réservé à l’insertion",
        "coût de la main-d’œuvre × taux d’insertion",
        (labour, rate),
        decimal_of(labour) * decimal_of(rate),
        EUR,
    )
    exact = t.step(
        "heures d’insertion (valeur exacte)",
        "coût réservé à l’insertion ÷ coût horaire",
        (reserved, cost),
        decimal_of(reserved) / decimal_of(cost),
        HOURS,
    )
    return MethodResult(exact, rate=rate, labour_share=share, hourly_cost=cost)


def hours_per_amount_method(inputs: LotInputs, config: HeuresParMontant) -> MethodResult:
    """One hour per N € HT; with a trigger, nothing below it, then the whole or the excess."""
    t = inputs.trace
    amount = inputs.amount()
    path = _config_path(inputs)
    per_hour = given("euros par heure", config.euros_par_heure, f"{path}.euros_par_heure", EUR)
    base = amount
    if config.seuil_declenchement is not None:
        trigger = given(
            "seuil de déclenchement",
            config.seuil_declenchement,
            f"{path}.seuil_declenchement",
            EUR,
        )
        if decimal_of(amount) < decimal_of(trigger):
            zero = t.step(
                "montant inférieur au seuil de déclenchement : aucune heure",
                "0 si montant HT < seuil de déclenchement",
                (amount, trigger),
                Decimal(0),
                HOURS,
            )
            return MethodResult(zero)
        if config.assiette is Assiette.EXCEDENT:
            base = t.step(
                "assiette : part du montant au-delà du seuil",
                "montant HT − seuil de déclenchement",
                (amount, trigger),
                decimal_of(amount) - decimal_of(trigger),
                EUR,
            )
    exact = t.step(
        "heures d’insertion (valeur exacte)",
        f"{'assiette' if base is not amount else 'montant HT'} ÷ euros par heure",
        (base, per_hour),
        decimal_of(base) / decimal_of(per_hour),
        HOURS,
    )
    return MethodResult(exact)


def bands_method(inputs: LotInputs, config: Tranches) -> MethodResult:
    """The hours of the band the amount falls in."""
    amount = inputs.amount()
    value = decimal_of(amount)
    path = _config_path(inputs)
    for number, band in enumerate(config.tranches, start=1):
        if band.de <= value and (band.a is None or value <= band.a):
            upper = "sans limite" if band.a is None else f"{band.a}"
            hours = given(
                f"heures de la tranche {number}",
                band.heures,
                f"{path}.tranches[{number - 1}].heures",
                HOURS,
            )
            exact = inputs.trace.step(
                f"heures de la tranche {number} (de {band.de} à {upper} € HT)",
                "heures fixées pour la tranche où tombe le montant HT",
                (amount, hours),
                band.heures,
                HOURS,
            )
            return MethodResult(exact)
    last = config.tranches[-1]
    raise CalibrationError(
        lot=inputs.lot.numero,
        message=f"the amount {value} € HT is above the last band, which ends at {last.a}; "
        f"extend the table ({path}.tranches) with a band without upper bound (no 'a').",
    )


def pact_method(inputs: LotInputs, _config: PactProprete) -> MethodResult:
    """PACT Propreté: P = 1 − (S × C) ÷ (A ÷ N); I = P × A ÷ C × T; no clause below 150 h."""
    t = inputs.trace
    amount = inputs.amount()
    if decimal_of(amount) <= 0:
        raise CalibrationError(
            lot=inputs.lot.numero,
            message="the PACT Propreté method needs a positive estimated amount "
            f"({inputs.path('montant_estime_ht')}).",
        )
    reprise = inputs.lot.reprise_personnel
    assert reprise is not None  # checked when the operation was loaded
    staff = given(
        "heures mensuelles du personnel repris (S)",
        reprise.heures_mensuelles,
        inputs.path("reprise_personnel.heures_mensuelles"),
        HOURS,
    )
    coefficient = t.parameter("proprete.pact.coefficient", "coefficient C")
    months, rate = inputs.duration_months(), inputs.insertion_rate()
    monthly = t.step(
        "chiffre d’affaires mensuel (A ÷ N)",
        "montant HT ÷ durée",
        (amount, months),
        decimal_of(amount) / decimal_of(months),
        EUR,
    )
    weighting = t.step(
        "pondération de la reprise du personnel (P)",
        "1 − (S × C) ÷ (A ÷ N)",
        (staff, coefficient, monthly),
        1 - decimal_of(staff) * decimal_of(coefficient) / decimal_of(monthly),
    )
    if decimal_of(weighting) <= 0:
        zero = t.step(
            "personnel repris supérieur au potentiel du marché : aucune heure",
            "0 si P ≤ 0",
            (weighting,),
            Decimal(0),
            HOURS,
        )
        return MethodResult(
            zero,
            exclusion=(
                MotifExclusion.REPRISE_EXCEDENTAIRE,
                "les heures du personnel à reprendre dépassent le potentiel d’heures du marché",
            ),
        )
    exact = t.step(
        "heures d’insertion (I, valeur exacte)",
        "P × A ÷ C × T",
        (weighting, amount, coefficient, rate),
        decimal_of(weighting) * decimal_of(amount) / decimal_of(coefficient) * decimal_of(rate),
        HOURS,
    )
    floor = t.parameter("proprete.pact.heures_minimum", "minimum du PACT Propreté")
    share, cost = inputs.pact_figures()
    return MethodResult(
        exact,
        minimum=(floor, MotifExclusion.PACT_SOUS_MINIMUM),
        rate=rate,
        labour_share=share,
        hourly_cost=cost,
    )


def anru_method(inputs: LotInputs, config: Anru) -> MethodResult:
    """ANRU charter: the charter's share (or the buyer's, if higher) of the hours worked."""
    t = inputs.trace
    worked = worked_hours(inputs, pact=False)
    share, cost = inputs.labour_share(), inputs.hourly_cost()
    charter = t.parameter(f"anru.taux.{config.volet.value}", "taux plancher de la charte ANRU")
    rate, warning = charter, None
    if inputs.lot.taux_insertion is not None or inputs.operation.clause.taux_insertion is not None:
        own = inputs.insertion_rate()
        if decimal_of(own) < decimal_of(charter):
            warning = AnruRateWarning(
                lot=inputs.lot.numero,
                rate=decimal_of(own),
                rate_field=own.ref,
                floor=decimal_of(charter),
                floor_id=charter.ref,
            )
        rate = t.step(
            "taux retenu : le plus élevé du taux fixé et du plancher de la charte",
            "max(taux d’insertion, plancher ANRU)",
            (own, charter),
            max(decimal_of(own), decimal_of(charter)),
        )
    exact = t.step(
        "heures d’insertion (valeur exacte)",
        "heures travaillées × taux",
        (worked, rate),
        decimal_of(worked) * decimal_of(rate),
        HOURS,
    )
    return MethodResult(exact, warning=warning, rate=rate, labour_share=share, hourly_cost=cost)


def worked_hours(inputs: LotInputs, *, pact: bool) -> Operand:
    """The lot's estimated hours worked, as a step: A ÷ C for the PACT, else by labour share."""
    t, amount = inputs.trace, inputs.amount()
    if pact:
        coefficient = t.parameter("proprete.pact.coefficient", "coefficient C")
        return t.step(
            "heures travaillées estimées (A ÷ C)",
            "montant HT ÷ coefficient C",
            (amount, coefficient),
            decimal_of(amount) / decimal_of(coefficient),
            HOURS,
        )
    share, cost = inputs.labour_share(), inputs.hourly_cost()
    return t.step(
        "heures travaillées estimées",
        "montant HT × part de main-d’œuvre ÷ coût horaire",
        (amount, share, cost),
        decimal_of(amount) * decimal_of(share) / decimal_of(cost),
        HOURS,
    )


def _config_path(inputs: LotInputs) -> str:
    return inputs.path("calibrage") if inputs.lot.calibrage is not None else "clause.calibrage"


METHODS: dict[str, Callable[..., MethodResult]] = {
    "part_main_oeuvre": labour_share_method,
    "heures_par_montant": hours_per_amount_method,
    "tranches": bands_method,
    "pact_proprete": pact_method,
    "anru": anru_method,
}

LABOUR_SHARE_UNUSED = frozenset({"heures_par_montant", "tranches"})
"""The methods that size without a labour share: for them the labour share, and the share of
hours worked that depends on it, are not applicable when the lot's trade has none."""

METHOD_LABELS = {
    "part_main_oeuvre": "part de main-d’œuvre",
    "heures_par_montant": "heures par montant",
    "tranches": "tranches de montant",
    "pact_proprete": "PACT Propreté",
    "anru": "charte ANRU",
}
