"""The evaluation across operations: each operation's reconciled figures, added up.

Every figure is taken from the operations' reconciliations (``clausegen.execution.
reconciliation``), the ones their compliance statements print, never computed again: the
hours required, committed and realised of each company on each lot, by modality and
structure; the people each lot counts; the shortfalls and penalties. The evaluation adds
them up and keeps, for each figure, the operations behind it (their consultation references).

People are counted once across lots and operations: a person is a participant id. Operations
that contradict each other are never merged silently (``check_conflicts``): the same lot
(consultation reference and lot number) in two folders, or one participant id with two birth
dates or two sexes, is an error, since either way of counting would be a guess.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from clausegen.calibration.calibrate import Calibration
from clausegen.calibration.rounding import round_etp
from clausegen.errors import EvaluationConflictError
from clausegen.execution.modalities import Modalite, TypeStructure
from clausegen.execution.participants import Participant
from clausegen.execution.publics import ClasseSortie, Critere, TrancheAge
from clausegen.execution.reconciliation import ZERO, Reconciliation, Statut, exit_unrecorded
from clausegen.inputs.operation import Dispositif, Operation
from clausegen.law.parameters import ParameterSet, ResolvedParameter
from clausegen.law.trades import trade_label


class TypeAppui(StrEnum):
    """The kind of structure the hours went through, as the evaluation groups them."""

    SIAE = "siae"
    EA_ESAT = "ea_esat"
    GEIQ = "geiq"
    DIRECT = "direct"

    @property
    def label(self) -> str:
        return {
            "siae": "Structures de l’insertion par l’activité économique (EI, ACI, ETTI, AI)",
            "ea_esat": "Entreprises adaptées et ESAT (EA, EATT, ESAT)",
            "geiq": "Groupements d’employeurs pour l’insertion et la qualification (GEIQ)",
            "direct": "Sans structure (embauche directe, formation)",
        }[self.value]

    @classmethod
    def of(cls, structure: TypeStructure | None) -> TypeAppui:
        if structure is None:
            return cls.DIRECT
        if structure is TypeStructure.GEIQ:
            return cls.GEIQ
        if structure in (TypeStructure.EA, TypeStructure.EATT, TypeStructure.ESAT):
            return cls.EA_ESAT
        return cls.SIAE


@dataclass(frozen=True)
class OperationInputs:
    """One operation, reconciled up to the evaluation's end date, and where it was read."""

    dossier: str
    operation: Operation
    calibration: Calibration
    reconciliation: Reconciliation
    participants: dict[str, Participant]
    parameters: ParameterSet
    heures_enregistrees_au: date
    """The last day of the ledger's last month (or the end of execution if earlier): the
    closing date of the statements this ledger gives by default, and the latest the
    evaluation closes the operation at (no hour after it is known)."""

    @property
    def reference(self) -> str:
        return self.operation.consultation.reference

    @property
    def constat_fin_etabli(self) -> bool:
        """Whether the reconciliation closes the lots (end-of-execution finding), decided
        as the compliance statement decides it (``Reconciliation.fin_execution_atteinte``)."""
        return self.reconciliation.fin_execution_atteinte


@dataclass(frozen=True)
class Figure:
    """One line of a table: what it counts, its values, and the operations behind them."""

    key: str
    values: tuple[Decimal | int, ...]
    operations: tuple[str, ...]
    name: str = ""
    """A name the key alone does not give (a buyer's, keyed by its SIRET)."""


@dataclass(frozen=True)
class OperationLine:
    """One operation in scope, with its totals (the sums of its compliance statements)."""

    dossier: str
    reference: str
    objet: str
    acheteur: str
    dispositif: Dispositif
    arrete_au: date
    lots_clause: int
    lots_suivis: int
    """Lots with a company's commitment: those whose hours the statements count."""
    lots_atteints: int
    """Lots followed whose hours due are done (« Objectif atteint »)."""
    fin_execution: date
    requis: Decimal
    """The required hours of the lots followed."""
    requis_clause: Decimal
    """The required hours of every lot carrying the clause, followed or not."""
    engage: Decimal
    realise: Decimal
    etp: Decimal
    etp_divisor: ResolvedParameter


@dataclass(frozen=True)
class CompanyLine:
    raison_sociale: str
    siret: str
    lots: int
    realise: Decimal
    operations: tuple[str, ...]


@dataclass(frozen=True)
class StructureLine:
    nom: str
    type: TypeStructure
    operations: tuple[str, ...]


@dataclass(frozen=True)
class ShortfallLine:
    reference: str
    lot: int
    intitule: str
    entreprise: str
    statut: Statut
    requis: Decimal
    """The hours due (the offer's, under an award criterion)."""
    realise: Decimal
    ecart: Decimal
    """Hours missing at the end of execution (« non atteint »), or still to be done at the
    closing date (« en cours », no end-of-execution finding)."""
    penalite: Decimal | None
    constat_fin_etabli: bool
    """False when the operation is closed before the end of execution (its ledger stops
    before it, or the period does): the lot is in progress, no shortfall penalty found."""
    heures_enregistrees_au: date
    fin_execution: date


@dataclass(frozen=True)
class UncommittedLot:
    """A lot carrying the clause whose holder handed in no commitment: not followed by the
    statements, its required hours not done. The ledger check refuses any row on a lot no
    commitment covers, so no hour is ever recorded on it."""

    reference: str
    lot: int
    intitule: str
    requis: Decimal


@dataclass(frozen=True)
class People:
    """People counted once across operations, by what the statements break them down by."""

    total: int
    par_critere: tuple[Figure, ...]
    par_sexe: tuple[Figure, ...]
    par_tranche_age: tuple[Figure, ...]
    situations: tuple[Figure, ...]
    """Exit classes, then « contract ended, exit not recorded », then « still on the pathway »."""
    dans_plusieurs_operations: int


@dataclass(frozen=True)
class Evaluation:
    """The figures of the operations in scope over a period, each with its operations."""

    debut: date
    fin: date
    operations: tuple[OperationLine, ...]
    hors_periode: tuple[OperationInputs, ...]
    acheteurs: tuple[Figure, ...]
    par_dispositif: tuple[Figure, ...]
    par_division_cpv: tuple[Figure, ...]
    par_metier: tuple[Figure, ...]
    par_modalite: tuple[Figure, ...]
    """(modalité value, structure value or ""): committed, realised."""
    par_type_structure: tuple[Figure, ...]
    personnes: People
    entreprises: tuple[CompanyLine, ...]
    structures: tuple[StructureLine, ...]
    ecarts: tuple[ShortfallLine, ...]
    sans_engagement: tuple[UncommittedLot, ...]
    seuil: ResolvedParameter

    @property
    def requis(self) -> Decimal:
        return sum((line.requis for line in self.operations), ZERO)

    @property
    def engage(self) -> Decimal:
        return sum((line.engage for line in self.operations), ZERO)

    @property
    def realise(self) -> Decimal:
        return sum((line.realise for line in self.operations), ZERO)

    @property
    def etp(self) -> Decimal:
        """The realised hours in ETP, rounded once: each operation's hours ÷ its clause's
        divisor, added up exactly, then rounded (not the sum of the rounded lines)."""
        return round_etp(
            sum((line.realise / line.etp_divisor.value for line in self.operations), ZERO)  # type: ignore[operator]
        )

    @property
    def requis_clause(self) -> Decimal:
        """The required hours of every lot carrying the clause, followed or not."""
        return sum((line.requis_clause for line in self.operations), ZERO)

    @property
    def lots_clause(self) -> int:
        return sum(line.lots_clause for line in self.operations)

    @property
    def lots_suivis(self) -> int:
        return sum(line.lots_suivis for line in self.operations)

    @property
    def lots_atteints(self) -> int:
        return sum(line.lots_atteints for line in self.operations)

    @property
    def penalites(self) -> Decimal:
        return sum((line.penalite or ZERO for line in self.ecarts), ZERO)

    @property
    def heures_manquantes(self) -> Decimal:
        """Hours missing on the lots found short at the end of execution."""
        return sum((line.ecart for line in self.ecarts if line.statut is Statut.INSUFFISANT), ZERO)

    @property
    def heures_restantes(self) -> Decimal:
        """Hours still to be done on the lots in progress (no end-of-execution finding)."""
        return sum((line.ecart for line in self.ecarts if line.statut is Statut.EN_COURS), ZERO)

    @property
    def lots_restants(self) -> int:
        """The lots in progress that are short of their hours at their closing date."""
        return sum(1 for line in self.ecarts if line.statut is Statut.EN_COURS)


CONFIDENTIALITY = "confidentialite.effectif_minimum"


def outside(operation: Operation, debut: date, fin: date) -> bool:
    """Whether the operation's execution does not meet the period at all."""
    assert operation.execution is not None
    return operation.execution.fin < debut or operation.execution.debut > fin


def check_conflicts(operations: Sequence[OperationInputs]) -> None:
    """Raise when two operations contradict each other: the same lot in two folders, one
    participant id with two birth dates or two sexes."""
    conflicts: list[str] = []
    lots: dict[tuple[str, int], str] = {}
    for item in operations:
        for lot in item.calibration.lots:
            key = (item.reference, lot.numero)
            if key in lots and lots[key] != item.dossier:
                conflicts.append(
                    f"lot {lot.numero} of consultation {item.reference} is in {lots[key]} and "
                    f"in {item.dossier}: its hours would be counted twice; evaluate one of "
                    "the two folders, or correct the consultation reference of the other."
                )
            lots.setdefault(key, item.dossier)
    seen: dict[str, tuple[str, Participant]] = {}
    for item in operations:
        for person in item.participants.values():
            if person.id not in seen:
                seen[person.id] = (item.dossier, person)
                continue
            where, first = seen[person.id]
            for field, label in (("date_naissance", "birth date"), ("sexe", "sex")):
                mine, theirs = getattr(person, field), getattr(first, field)
                if mine != theirs:
                    conflicts.append(
                        f"participant {person.id} has the {label} {_text(theirs)} in {where} "
                        f"and {_text(mine)} in {item.dossier}: one id must be one person "
                        "across operations; correct the participants file that is wrong, "
                        "or give the two people different ids."
                    )
    if conflicts:
        raise EvaluationConflictError(conflicts=conflicts)


def _text(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def evaluate(
    operations: Sequence[OperationInputs],
    hors_periode: Sequence[OperationInputs],
    debut: date,
    fin: date,
    parameters: ParameterSet,
) -> Evaluation:
    """Add up the operations' figures (``operations`` checked by ``check_conflicts``)."""
    check_conflicts(operations)
    threshold = parameters.resolve(CONFIDENTIALITY, fin)
    return Evaluation(
        debut=debut,
        fin=fin,
        operations=tuple(_operation_line(item) for item in operations),
        hors_periode=tuple(hors_periode),
        acheteurs=_buyers(operations),
        par_dispositif=_lots_by(operations, lambda item, lot: item.operation.clause.dispositif),
        par_division_cpv=_lots_by(operations, lambda item, lot: lot.cpv[:2]),
        par_metier=_lots_by(
            operations,
            lambda item, lot: lot.metier,
            lambda item, metier: trade_label(item.parameters, metier),
        ),
        par_modalite=_hours_by(operations, lambda line: f"{line.modalite}|{line.structure or ''}"),
        par_type_structure=_hours_by(operations, lambda line: TypeAppui.of(line.structure)),
        personnes=_people(operations, fin),
        entreprises=_companies(operations),
        structures=_structures(operations),
        ecarts=tuple(
            ShortfallLine(
                item.reference,
                lot.numero,
                lot.intitule,
                lot.entreprise.raison_sociale,
                lot.statut,
                lot.heures_dues,
                lot.realise,
                lot.ecart,
                lot.penalite.montant if lot.penalite is not None else None,
                item.constat_fin_etabli,
                item.heures_enregistrees_au,
                item.operation.execution.fin,  # type: ignore[union-attr]
            )
            for item in operations
            for lot in item.reconciliation.lots
            if lot.statut is not Statut.ATTEINT or lot.penalite is not None
        ),
        sans_engagement=tuple(
            UncommittedLot(item.reference, sized.numero, sized.intitule, sized.heures)
            for item in operations
            for sized in item.calibration.lots
            if sized.numero in item.reconciliation.lots_sans_engagement
        ),
        seuil=threshold,
    )


def _operation_line(item: OperationInputs) -> OperationLine:
    lots = item.reconciliation.lots
    realised = sum((lot.realise for lot in lots), ZERO)
    launch = item.operation.consultation.date_lancement
    divisor = item.parameters.resolve(
        f"etp.diviseur.{item.operation.clause.diviseur_etp.value}", launch
    )
    assert isinstance(divisor.value, Decimal)
    return OperationLine(
        dossier=item.dossier,
        reference=item.reference,
        objet=item.operation.consultation.objet,
        acheteur=item.operation.acheteur.nom,
        dispositif=item.operation.clause.dispositif,
        arrete_au=item.reconciliation.arrete_au,
        lots_clause=sum(1 for lot in item.calibration.lots if lot.retenu),
        lots_suivis=len(lots),
        lots_atteints=sum(1 for lot in lots if lot.statut is Statut.ATTEINT),
        fin_execution=item.reconciliation.execution.fin,
        requis=sum((lot.requis for lot in lots), ZERO),
        requis_clause=sum((lot.heures for lot in item.calibration.lots if lot.retenu), ZERO),
        engage=sum((lot.engage for lot in lots), ZERO),
        realise=realised,
        etp=round_etp(realised / divisor.value),
        etp_divisor=divisor,
    )


def _buyers(operations: Sequence[OperationInputs]) -> tuple[Figure, ...]:
    """Each buyer (by SIRET), with its operations."""
    names: dict[str, str] = {}
    refs: dict[str, list[str]] = defaultdict(list)
    for item in operations:
        buyer = item.operation.acheteur
        names.setdefault(buyer.siret, buyer.nom)
        if item.reference not in refs[buyer.siret]:
            refs[buyer.siret].append(item.reference)
    return tuple(
        Figure(siret, (len(refs[siret]),), tuple(refs[siret]), names[siret]) for siret in names
    )


def _lots_by(
    operations: Sequence[OperationInputs], key: object, name: object = None
) -> tuple[Figure, ...]:
    """Lots carrying the clause, and their required hours, grouped by ``key(item, lot)``;
    with ``name``, each group named by ``name(item, group)`` (a trade's French name)."""
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    hours: dict[str, Decimal] = defaultdict(lambda: ZERO)
    refs: dict[str, list[str]] = defaultdict(list)
    for item in operations:
        for sized in item.calibration.lots:
            if not sized.retenu:
                continue
            lot = item.operation.lot(sized.numero)
            assert lot is not None
            group = str(key(item, lot))  # type: ignore[operator]
            if name is not None:
                names.setdefault(group, name(item, group))  # type: ignore[operator]
            counts[group] += 1
            hours[group] += sized.heures
            if item.reference not in refs[group]:
                refs[group].append(item.reference)
    return tuple(
        Figure(group, (counts[group], hours[group]), tuple(refs[group]), names.get(group, ""))
        for group in sorted(counts)
    )


def _hours_by(operations: Sequence[OperationInputs], key: object) -> tuple[Figure, ...]:
    """Hours committed and realised, grouped by ``key(modality line)``."""
    committed: dict[str, Decimal] = defaultdict(lambda: ZERO)
    realised: dict[str, Decimal] = defaultdict(lambda: ZERO)
    refs: dict[str, list[str]] = defaultdict(list)
    for item in operations:
        for lot in item.reconciliation.lots:
            for line in lot.modalites:
                group = str(key(line))  # type: ignore[operator]
                committed[group] += line.engage
                realised[group] += line.realise
                if item.reference not in refs[group]:
                    refs[group].append(item.reference)
    order = _modality_order if "|" in "".join(committed) else _kind_order
    return tuple(
        Figure(group, (committed[group], realised[group]), tuple(refs[group]))
        for group in sorted(committed, key=order)
    )


def _modality_order(group: str) -> tuple[int, str]:
    modalite, structure = group.split("|")
    return (list(Modalite).index(Modalite(modalite)), structure)


def _kind_order(group: str) -> tuple[int, str]:
    return (list(TypeAppui).index(TypeAppui(group)), group)


@dataclass
class _Person:
    """One participant id across operations."""

    person: Participant
    criteres: set[Critere]
    operations: list[str]
    validation: date
    latest: date
    """The start of the most recent contract, whose situation is the person's."""
    sortie: ClasseSortie | None = None
    non_renseignee: bool = False


def _people(operations: Sequence[OperationInputs], fin: date) -> People:
    merged: dict[str, _Person] = {}
    for item in operations:
        closing = item.reconciliation.arrete_au
        ids = dict.fromkeys(i for lot in item.reconciliation.lots for i in lot.effectifs.ids)
        for pid in ids:
            person = item.participants[pid]
            entry = merged.setdefault(
                pid, _Person(person, set(), [], person.date_validation, person.contrat.debut)
            )
            entry.criteres.update(person.criteres)
            entry.operations.append(item.reference)
            entry.validation = min(entry.validation, person.date_validation)
            if person.contrat.debut < entry.latest:
                continue  # an earlier pathway: the most recent one gives the situation
            entry.latest = person.contrat.debut
            exited = person.sortie is not None and person.sortie.date <= min(closing, fin)
            entry.sortie = person.sortie.type.classe if exited else None  # type: ignore[union-attr]
            entry.non_renseignee = not exited and exit_unrecorded(person, closing)
    people = [merged[pid] for pid in sorted(merged)]

    def figure(key: str, chosen: list[_Person]) -> Figure:
        refs = dict.fromkeys(r for p in chosen for r in p.operations)
        return Figure(key, (len(chosen),), tuple(refs))

    def band(entry: _Person) -> TrancheAge:
        return TrancheAge.of(entry.person.age_on(entry.validation))

    unrecorded = [p for p in people if p.sortie is None and p.non_renseignee]
    return People(
        total=len(people),
        par_critere=tuple(figure(c.value, [p for p in people if c in p.criteres]) for c in Critere),
        par_sexe=tuple(figure(s, [p for p in people if p.person.sexe == s]) for s in ("F", "H")),
        par_tranche_age=tuple(
            figure(b.value, [p for p in people if band(p) is b]) for b in TrancheAge
        ),
        situations=(
            *(figure(c.value, [p for p in people if p.sortie is c]) for c in ClasseSortie),
            figure("sortie_non_renseignee", unrecorded),
            figure("en_parcours", [p for p in people if p.sortie is None and not p.non_renseignee]),
        ),
        dans_plusieurs_operations=sum(1 for p in people if len(set(p.operations)) > 1),
    )


def _companies(operations: Sequence[OperationInputs]) -> tuple[CompanyLine, ...]:
    names: dict[str, str] = {}
    lots: Counter[str] = Counter()
    realised: dict[str, Decimal] = defaultdict(lambda: ZERO)
    refs: dict[str, list[str]] = defaultdict(list)
    for item in operations:
        for lot in item.reconciliation.lots:
            siret = lot.entreprise.siret
            names.setdefault(siret, lot.entreprise.raison_sociale)
            lots[siret] += 1
            realised[siret] += lot.realise
            if item.reference not in refs[siret]:
                refs[siret].append(item.reference)
    return tuple(
        CompanyLine(names[s], s, lots[s], realised[s], tuple(refs[s]))
        for s in sorted(names, key=lambda s: (names[s].casefold(), s))
    )


def _structures(operations: Sequence[OperationInputs]) -> tuple[StructureLine, ...]:
    """The insertion structures the commitments name as partners (the ledger names only
    their kind)."""
    refs: dict[tuple[str, TypeStructure], list[str]] = defaultdict(list)
    for item in operations:
        for lot in item.reconciliation.lots:
            for line in lot.modalites:
                if line.structure is None:
                    continue
                for name in line.partenaires:
                    key = (name, line.structure)
                    if item.reference not in refs[key]:
                        refs[key].append(item.reference)
    return tuple(
        StructureLine(name, kind, tuple(refs[(name, kind)]))
        for name, kind in sorted(refs, key=lambda k: (k[0].casefold(), k[1].value))
    )
