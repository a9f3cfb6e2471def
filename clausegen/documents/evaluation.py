"""Composing the evaluation report across operations, and the tables of its workbook.

The report and the workbook show the same figures (``clausegen.execution.evaluation``):
the report formatted the French way, the workbook as numbers. Counts of people go through
the compliance statement's confidentiality rule (``clausegen.documents.secrecy``) in both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from clausegen.calibration.rounding import round_share
from clausegen.documents.chart import LotBars, chart_description, hours_chart
from clausegen.documents.common_contexts import facilitator_context
from clausegen.documents.compliance import UNESTABLISHED
from clausegen.documents.contexts import HeadingContext
from clausegen.documents.document import ComposedDocument, Filing
from clausegen.documents.evaluation_contexts import (
    CompanyRowContext,
    CountRowContext,
    EvaluationDocumentContext,
    EvaluationTotalsContext,
    HoursRowContext,
    LotsRowContext,
    OperationRowContext,
    PeopleRowContext,
    ShortfallRowContext,
    StructureRowContext,
)
from clausegen.documents.execution_contexts import ImageContext
from clausegen.documents.formatting import (
    NBHYPHEN,
    NBSP,
    NNBSP,
    date_fr,
    etp_definition,
    euros_ht,
    lot_label,
    number,
    percent,
    siret,
    typographie,
    unbreakable,
)
from clausegen.documents.secrecy import (
    ProtectedCount,
    Shown,
    protect_group,
    protect_partition,
    protect_subsets,
)
from clausegen.execution.evaluation import (
    Evaluation,
    Figure,
    OperationLine,
    ShortfallLine,
    TypeAppui,
    UncommittedLot,
)
from clausegen.execution.modalities import Modalite, TypeStructure, line_label
from clausegen.execution.publics import ClasseSortie, Critere, TrancheAge
from clausegen.execution.reconciliation import Statut
from clausegen.inputs.french import typographic_apostrophes
from clausegen.inputs.operation import Dispositif, Facilitateur
from clausegen.law.cpv import division_name
from clausegen.law.parameters import ResolvedParameter

TITLE = "Évaluation de la clause sociale d’insertion"
DISPOSITIFS = {
    Dispositif.CONDITION_EXECUTION.value: "Condition d’exécution (L2112-2)",
    Dispositif.CRITERE_ATTRIBUTION.value: "Critère d’attribution (R2152-7)",
    Dispositif.MARCHE_RESERVE.value: "Marché réservé (L2113-12 et L2113-13)",
}
SEXES = {"F": "Femmes", "H": "Hommes"}
SITUATIONS = {
    **{c.value: c.label for c in ClasseSortie},
    "sortie_non_renseignee": "Contrat terminé, sortie non renseignée",
    "en_parcours": "Encore en parcours",
}
NOT_GIVEN = (
    "Non renseignée : les fichiers des participants ne donnent pas la situation des personnes "
    "six mois après la fin de leur parcours ; seule la sortie constatée à la fin du contrat "
    "est comptée ci-dessus."
)
NOT_ESTABLISHED = "pénalité non constatée"
"""Why a lot in progress has no shortfall penalty yet (the gaps table's Pénalités column)."""
UNCOMMITTED = "Engagement non remis"
"""A lot carrying the clause whose holder handed in no commitment."""
CHART_WIDTH_CM = 16
NOT_A_DIVISION = "pas de division de ce numéro dans la nomenclature CPV 2008 (code à vérifier)"
"""What a lot's division is called when its code's first two digits are not a CPV division."""
_BEFORE_COLON = re.compile(r"\s*:(?=\s)")
_BEFORE_SEMICOLON = re.compile(r"\s*;(?=\s)")


def dispositif_label(value: str) -> str:
    return DISPOSITIFS.get(value, value)


def division_label(division: str) -> str:
    """``45`` → « 45 – Travaux de construction », the official name in French typography
    (’, a space before : and ;); a number that is no CPV division is said to be none."""
    name = division_name(division)
    if name is None:
        return f"{division} – {NOT_A_DIVISION}"
    name = _BEFORE_SEMICOLON.sub(f"{NNBSP};", _BEFORE_COLON.sub(f"{NBSP}:", name))
    return f"{division} – {typographic_apostrophes(name)}"


def modality_label(key: str) -> str:
    modalite, structure = key.split("|")
    return line_label(Modalite(modalite), TypeStructure(structure) if structure else None)


def _refs(figure: Figure) -> str:
    """The operations behind a figure, as the workbook lists them."""
    return ", ".join(figure.operations)


def _shown_refs(references: Sequence[str]) -> str:
    """The operations behind a figure, as the report prints them: each reference on one
    line (non-breaking hyphens), the list breaking after its commas."""
    return ", ".join(unbreakable(reference) for reference in references)


def _protected(evaluation: Evaluation) -> dict[str, list[ProtectedCount]]:
    people = evaluation.personnes
    threshold = int(evaluation.seuil.value)  # type: ignore[arg-type]
    return {
        "par_critere": protect_subsets(
            [int(f.values[0]) for f in people.par_critere], people.total, threshold
        ),
        "par_sexe": protect_partition([int(f.values[0]) for f in people.par_sexe], threshold),
        "par_tranche_age": protect_partition(
            [int(f.values[0]) for f in people.par_tranche_age], threshold
        ),
        "situations": protect_partition([int(f.values[0]) for f in people.situations], threshold),
        "plusieurs_operations": protect_subsets(
            [people.dans_plusieurs_operations], people.total, threshold
        ),
        "total": [protect_group(people.total, threshold)],
    }


PEOPLE_LABELS = {
    "par_critere": lambda key: Critere(key).label,
    "par_sexe": lambda key: SEXES[key],
    "par_tranche_age": lambda key: TrancheAge(key).label,
    "situations": lambda key: SITUATIONS[key],
}


def compose_evaluation(
    evaluation: Evaluation, facilitator: Facilitateur, parameters: Sequence[ResolvedParameter]
) -> ComposedDocument:
    """The report: scope, key figures, tables and chart, people (protected), method."""
    people = evaluation.personnes
    who = facilitator_context(facilitator)
    structure = who.structure
    protected = _protected(evaluation)
    rows = {
        name: [
            PeopleRowContext(libelle=PEOPLE_LABELS[name](f.key), nombre=cell.text)
            for f, cell in zip(getattr(people, name), protected[name], strict=True)
        ]
        for name in PEOPLE_LABELS
    }
    realised, required = evaluation.realise, evaluation.requis
    context = EvaluationDocumentContext(
        document=HeadingContext(titre=TITLE, nature=TITLE),
        structure=structure,
        structure_article=who.structure_article,
        facilitateur=f"{who.nom}, {who.fonction}",
        debut=date_fr(evaluation.debut),
        fin=date_fr(evaluation.fin),
        totaux=EvaluationTotalsContext(
            operations=str(len(evaluation.operations)),
            acheteurs=str(len(evaluation.acheteurs)),
            lots=str(evaluation.lots_clause),
            lots_suivis=str(evaluation.lots_suivis),
            requis=number(required),
            engage=number(evaluation.engage, 2, exact=True),
            realise=number(realised, 2, exact=True),
            taux=_rates(evaluation),
            lots_atteints=f"{evaluation.lots_atteints} sur {evaluation.lots_suivis} suivis",
            sans_engagement=_uncommitted_total(evaluation),
            etp=number(evaluation.etp, 2),
            definition_etp=typographie(etp_definition(_divisors(evaluation))),
            participants=protected["total"][0].text,
            plusieurs_operations=protected["plusieurs_operations"][0].text,
            entreprises=str(len(evaluation.entreprises)),
            structures=str(len(evaluation.structures)),
            heures_manquantes=_missing_total(evaluation),
            penalites=euros_ht(evaluation.penalites),
        ),
        operations=[
            OperationRowContext(
                reference=unbreakable(line.reference),
                objet=line.objet,
                acheteur=line.acheteur,
                dispositif=dispositif_label(line.dispositif.value).replace("-", NBHYPHEN),
                arrete_au=_closing(line, evaluation),
                lots=str(line.lots_clause),
                lots_suivis=str(line.lots_suivis),
                requis=number(line.requis),
                engage=number(line.engage, 2, exact=True),
                realise=number(line.realise, 2, exact=True),
                etp=number(line.etp, 2),
            )
            for line in evaluation.operations
        ],
        hors_periode=[
            f"{unbreakable(item.reference)} – {item.operation.consultation.objet} (exécution du "
            f"{date_fr(item.operation.execution.debut)} au "  # type: ignore[union-attr]
            f"{date_fr(item.operation.execution.fin)})"  # type: ignore[union-attr]
            for item in evaluation.hors_periode
        ],
        acheteurs=[
            CountRowContext(
                libelle=f"{f.name} (SIRET\u00a0{siret(f.key)})",
                nombre=str(f.values[0]),
                operations=_shown_refs(f.operations),
            )
            for f in evaluation.acheteurs
        ],
        par_dispositif=_lots_rows(
            evaluation.par_dispositif, lambda k: dispositif_label(k).replace("-", NBHYPHEN)
        ),
        par_division_cpv=_lots_rows(
            evaluation.par_division_cpv,
            lambda k: division_label(k).replace(" – ", f"{NBSP}– ", 1),  # « 45 – » unbroken
        ),
        par_metier=_lots_rows(evaluation.par_metier, _trades(evaluation).__getitem__),
        par_modalite=_hours_rows(evaluation.par_modalite, modality_label),
        par_type_structure=_hours_rows(evaluation.par_type_structure, lambda k: TypeAppui(k).label),
        graphique=_chart(evaluation),
        seuil=str(int(evaluation.seuil.value)),  # type: ignore[arg-type]
        par_critere=rows["par_critere"],
        par_sexe=rows["par_sexe"],
        par_tranche_age=rows["par_tranche_age"],
        situations=rows["situations"],
        masque=any(c.shown is Shown.MASKED for cells in protected.values() for c in cells),
        sortie_6_mois=typographie(NOT_GIVEN),
        entreprises=[
            CompanyRowContext(
                raison_sociale=c.raison_sociale,
                siret=siret(c.siret),
                lots=str(c.lots),
                realise=number(c.realise, 2, exact=True),
                operations=_shown_refs(c.operations),
            )
            for c in evaluation.entreprises
        ],
        structures=[
            StructureRowContext(nom=s.nom, type=s.type.label, operations=_shown_refs(s.operations))
            for s in evaluation.structures
        ],
        ecarts=_gap_rows(evaluation),
        notes_ecarts=_shortfall_notes(evaluation),
        methode=_method(evaluation),
    )
    return ComposedDocument(
        "evaluation",
        context,
        (),
        tuple(parameters),
        evaluation.fin,
        Filing(
            stem=f"evaluation-{evaluation.debut.isoformat()}-{evaluation.fin.isoformat()}",
            author=structure,
            subject=f"Évaluation du {date_fr(evaluation.debut)} au {date_fr(evaluation.fin)}",
            created=evaluation.fin,
        ),
        evaluation.fin,
    )


def _lots_rows(figures: Sequence[Figure], label: object) -> list[LotsRowContext]:
    return [
        LotsRowContext(
            libelle=label(f.key),  # type: ignore[operator]
            lots=str(f.values[0]),
            heures=number(Decimal(f.values[1])),
            operations=_shown_refs(f.operations),
        )
        for f in figures
    ]


def _trades(evaluation: Evaluation) -> dict[str, str]:
    """Each trade's French name (``gros_oeuvre`` → « Gros œuvre »), its code if unknown."""
    return {f.key: f.name or f.key for f in evaluation.par_metier}


def _hours_rows(figures: Sequence[Figure], label: object) -> list[HoursRowContext]:
    return [
        HoursRowContext(
            libelle=label(f.key),  # type: ignore[operator]
            engage=number(Decimal(f.values[0]), 2, exact=True),
            realise=number(Decimal(f.values[1]), 2, exact=True),
            operations=_shown_refs(f.operations),
        )
        for f in figures
    ]


def _chart(evaluation: Evaluation) -> ImageContext:
    bars = [
        LotBars(index, line.requis, line.engage, line.realise)
        for index, line in enumerate(evaluation.operations, 1)
    ]
    names = [line.reference for line in evaluation.operations]
    return ImageContext(
        png=hours_chart(bars, names),
        largeur_cm=CHART_WIDTH_CM,
        description=chart_description(bars, names),
    )


def _divisors(evaluation: Evaluation) -> list[Decimal]:
    """The yearly full-time hours the operations' ETP are counted in (their parameters)."""
    return [Decimal(line.etp_divisor.value) for line in evaluation.operations]  # type: ignore[arg-type]


def _divisor_references(evaluation: Evaluation) -> str:
    """Each divisor with its reference, as the tender documents cite a value: « 1 607 heures,
    durée annuelle de référence du temps plein (article L3121-41 du code du travail) »."""
    cited = {line.etp_divisor.id: line.etp_divisor for line in evaluation.operations}
    return " ; ".join(
        f"{number(Decimal(p.value))} heures, {p.reference[:1].lower()}{p.reference[1:]}"  # type: ignore[arg-type]
        for p in (cited[key] for key in sorted(cited))
    )


def _rates(evaluation: Evaluation) -> str:
    """The hours realised over the required hours of the lots followed, and over those of
    every lot carrying the clause when some are not followed: « 104,68 % des heures
    requises des 7 lots suivis et 67,60 % des 6 843 heures requises des 10 lots portant la
    clause »."""
    realised, followed = evaluation.realise, evaluation.lots_suivis
    if not evaluation.requis:
        return "aucune heure requise sur les lots suivis"
    rate = percent(round_share(realised / evaluation.requis), two_decimals=True)
    text = f"{rate} des heures requises des {_lots(followed)} suivis"
    if evaluation.lots_clause == followed:
        return text
    overall = percent(round_share(realised / evaluation.requis_clause), two_decimals=True)
    return (
        f"{text} et {overall} des {number(evaluation.requis_clause)}{NBSP}heures requises des "
        f"{_lots(evaluation.lots_clause)} portant la clause"
    )


def _lots(count: int) -> str:
    return f"{count}{NBSP}lot{'s' if count > 1 else ''}"


def _uncommitted_total(evaluation: Evaluation) -> str:
    """« 3 (2 424 heures requises, aucune heure enregistrée) », or « Aucun »."""
    lots = evaluation.sans_engagement
    if not lots:
        return "Aucun"
    required = sum((lot.requis for lot in lots), Decimal(0))
    return f"{len(lots)} ({number(required)}{NBSP}heures requises, aucune heure enregistrée)"


def _missing_total(evaluation: Evaluation) -> str:
    """The hours missing at the end of execution, and those still to be done on the lots
    closed before it: « 375 ; 55 heures restant à réaliser au dernier relevé d’un lot sans
    bilan de fin de marché »."""
    missing = number(evaluation.heures_manquantes, 2, exact=True)
    count = evaluation.lots_restants
    if not count:
        return missing
    what = "d’un lot" if count == 1 else f"de {count}{NBSP}lots"
    return (
        f"{missing}{NNBSP}; {_hours(evaluation.heures_restantes)} restant à réaliser au "
        f"dernier relevé {what} sans bilan de fin de marché"
    )


def _hours(value: Decimal) -> str:
    return f"{number(value, 2, exact=True)}{NBSP}heure{'s' if value >= 2 else ''}"


def _closing(line: OperationLine, evaluation: Evaluation) -> str:
    """The closing date; when the ledger stops before the end of the period and of
    execution, said to be the last record, with the end of execution."""
    closing = date_fr(line.arrete_au)
    if line.arrete_au >= min(line.fin_execution, evaluation.fin):
        return closing
    return f"{closing} (dernier relevé{NNBSP}; fin d’exécution le {date_fr(line.fin_execution)})"


def _gaps(evaluation: Evaluation) -> list[ShortfallLine | UncommittedLot]:
    """The lots of the gaps table, in the report's order (operation, then lot): those short
    at the end of execution or penalised, those still short at their last record, and
    those with no commitment."""
    order = {line.reference: index for index, line in enumerate(evaluation.operations)}
    return sorted(
        [*evaluation.ecarts, *evaluation.sans_engagement],
        key=lambda gap: (order[gap.reference], gap.lot),
    )


def _gap_rows(evaluation: Evaluation) -> list[ShortfallRowContext]:
    """The gaps table's rows: a lot in progress (no finding, no penalty for missing hours)
    has its hours still to do at its last record."""
    rows = []
    for gap in _gaps(evaluation):
        if isinstance(gap, UncommittedLot):
            rows.append(
                ShortfallRowContext(
                    operation=unbreakable(gap.reference),
                    lot=lot_label(gap.lot, gap.intitule),
                    entreprise="–",
                    statut=UNCOMMITTED,
                    ecart=f"{number(gap.requis)} requises, aucune heure enregistrée",
                    penalite="–",
                )
            )
            continue
        pending = gap.statut is Statut.EN_COURS
        penalty = euros_ht(gap.penalite) if gap.penalite is not None else "–"
        if pending and gap.penalite is None:
            penalty = f"–{NBSP}({NOT_ESTABLISHED})"
        missing = number(gap.ecart, 2, exact=True)
        rows.append(
            ShortfallRowContext(
                operation=unbreakable(gap.reference),
                lot=lot_label(gap.lot, gap.intitule),
                entreprise=gap.entreprise,
                statut=UNESTABLISHED if pending else gap.statut.label,
                ecart=f"{missing} restant à réaliser au dernier relevé" if pending else missing,
                penalite=penalty,
            )
        )
    return rows


def _shortfall_notes(evaluation: Evaluation) -> list[str]:
    """Under the shortfalls: what the penalties are, and why a lot has no finding yet."""
    notes = [
        "Les pénalités sont calculées selon le CCAP de chaque opération, avant décision de "
        "l’acheteur."
    ]
    pending = {e.reference: e for e in evaluation.ecarts if not e.constat_fin_etabli}
    for reference, e in pending.items():
        stop = (
            f"le registre des heures s’arrête au {date_fr(e.heures_enregistrees_au)}"
            if e.heures_enregistrees_au < evaluation.fin
            else f"la période évaluée s’arrête au {date_fr(evaluation.fin)}"
        )
        notes.append(
            f"{UNESTABLISHED} pour {unbreakable(reference)} : {stop}, avant la fin de "
            f"l’exécution ({date_fr(e.fin_execution)}) ; comme dans l’attestation de "
            "l’acheteur, l’exécution se poursuit, les heures restant à réaliser sont "
            "celles du dernier relevé, et aucune pénalité pour heures manquantes n’est "
            "constatée."
        )
    if evaluation.sans_engagement:
        notes.append(
            f"{UNCOMMITTED} : le titulaire du lot n’a pas remis son engagement ; le lot "
            "n’est pas suivi par les attestations et aucune heure ne peut y être "
            "enregistrée. Ses heures requises comptent dans la part des heures réalisées "
            "rapportée à tous les lots portant la clause."
        )
    return [typographie(note) for note in notes]


def _method(evaluation: Evaluation) -> list[str]:
    """How the figures were obtained, the values used cited as the tender documents cite
    them (value and legal reference; their dates and reliability are in the manifest)."""
    threshold = int(evaluation.seuil.value)  # type: ignore[arg-type]
    notes = [
        "Chaque opération est rapprochée comme pour son attestation de l’acheteur : heures "
        "requises du calibrage à la date de lancement de la consultation, heures engagées "
        "des engagements des entreprises, heures réalisées du registre des heures (montants "
        "de sous-traitance convertis en heures), arrêtées au "
        f"{date_fr(evaluation.fin)}, à la fin de l’exécution si elle est antérieure, ou au "
        "dernier mois du registre des heures s’il s’arrête avant : aucune heure n’est "
        "connue après lui, et l’attestation s’y arrête aussi. "
        "Les totaux de ce rapport sont la somme des attestations des opérations évaluées.",
        "Les heures sont cumulées depuis le début de l’exécution de chaque opération ; une "
        "opération dont l’exécution se situe hors de la période évaluée est écartée et "
        "nommée au début du rapport.",
        "Une personne est comptée une fois, quel que soit le nombre de lots et d’opérations "
        "où elle a travaillé (même identifiant de participant) ; ses critères d’éligibilité "
        "sont réunis, sa tranche d’âge est celle de sa première validation, sa situation "
        "celle de son parcours le plus récent.",
        f"Secret statistique : tout effectif inférieur à {threshold} personnes est remplacé "
        f"par « < {threshold} » ; dans une répartition dont le total est publié, une case de "
        "plus est masquée (« s ») quand une case cachée pourrait être retrouvée par "
        "différence.",
        "Les équivalents temps plein (ETP) rapportent les heures réalisées de chaque "
        "opération à la durée annuelle d’un temps plein que retient sa clause : "
        f"{_divisor_references(evaluation)} ; un ETP correspond à un an de travail à temps "
        "plein, quelle que soit la durée du marché. Le total est calculé sur le total des "
        "heures, puis arrondi au centième.",
    ]
    return [typographie(typographic_apostrophes(note)) for note in notes]


def _gap_sheet_rows(evaluation: Evaluation) -> tuple[tuple[object, ...], ...]:
    """The gaps table as numbers, in the report's order; a lot in progress has its hours
    still to do and « pénalité non constatée » for its shortfall penalty."""
    rows: list[tuple[object, ...]] = []
    for gap in _gaps(evaluation):
        if isinstance(gap, UncommittedLot):
            rows.append(
                (
                    gap.reference,
                    gap.lot,
                    gap.intitule,
                    None,
                    UNCOMMITTED,
                    gap.requis,
                    0,
                    None,
                    None,
                    None,
                )
            )
            continue
        pending = gap.statut is Statut.EN_COURS
        rows.append(
            (
                gap.reference,
                gap.lot,
                gap.intitule,
                gap.entreprise,
                UNESTABLISHED if pending else gap.statut.label,
                gap.requis,
                gap.realise,
                None if pending else gap.ecart,
                gap.ecart if pending else None,
                NOT_ESTABLISHED if pending and gap.penalite is None else gap.penalite,
            )
        )
    return tuple(rows)


@dataclass(frozen=True)
class Sheet:
    """One table of the workbook: its name, column headers and rows (numbers as numbers)."""

    name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


def _count(cell: ProtectedCount) -> object:
    return cell.value if cell.shown is Shown.VALUE else cell.text


def evaluation_sheets(
    evaluation: Evaluation, sources: Sequence[tuple[str, str, str]]
) -> list[Sheet]:
    """The workbook's tables, the report's figures; ``sources``: (folder, reference, file)."""
    people = evaluation.personnes
    protected = _protected(evaluation)
    ops = "Opérations"
    sheets = [
        Sheet(
            "Opérations",
            (
                "Référence",
                "Objet",
                "Acheteur",
                "Dispositif",
                "Arrêté au",
                "Lots avec clause",
                "Lots suivis",
                "Heures requises",
                "Heures engagées",
                "Heures réalisées",
                "ETP",
                "Dossier",
            ),
            tuple(
                (
                    line.reference,
                    line.objet,
                    line.acheteur,
                    dispositif_label(line.dispositif.value),
                    line.arrete_au,
                    line.lots_clause,
                    line.lots_suivis,
                    line.requis,
                    line.engage,
                    line.realise,
                    line.etp,
                    line.dossier,
                )
                for line in evaluation.operations
            ),
        ),
        Sheet(
            "Acheteurs",
            ("Acheteur", "SIRET", "Opérations (nombre)", ops),
            tuple((f.name, f.key, f.values[0], _refs(f)) for f in evaluation.acheteurs),
        ),
    ]
    for name, figures, label in (
        ("Lots par dispositif", evaluation.par_dispositif, dispositif_label),
        ("Lots par division CPV", evaluation.par_division_cpv, division_label),
        ("Lots par métier", evaluation.par_metier, _trades(evaluation).__getitem__),
    ):
        what = name.removeprefix("Lots par ")
        sheets.append(
            Sheet(
                name,
                (what[:1].upper() + what[1:], "Lots", "Heures requises", ops),
                tuple((label(f.key), f.values[0], f.values[1], _refs(f)) for f in figures),
            )
        )
    for name, figures, label in (
        ("Heures par modalité", evaluation.par_modalite, modality_label),
        ("Heures par structure", evaluation.par_type_structure, lambda k: TypeAppui(k).label),
    ):
        sheets.append(
            Sheet(
                name,
                (
                    name.removeprefix("Heures par ").capitalize(),
                    "Heures engagées",
                    "Heures réalisées",
                    ops,
                ),
                tuple((label(f.key), f.values[0], f.values[1], _refs(f)) for f in figures),
            )
        )
    for name, attribute in (
        ("Personnes par critère", "par_critere"),
        ("Personnes par sexe", "par_sexe"),
        ("Personnes par âge", "par_tranche_age"),
        ("Situation des personnes", "situations"),
    ):
        figures = getattr(people, attribute)
        sheets.append(
            Sheet(
                name,
                ("Libellé", "Personnes"),
                tuple(
                    (PEOPLE_LABELS[attribute](f.key), _count(cell))
                    for f, cell in zip(figures, protected[attribute], strict=True)
                ),
            )
        )
    sheets += [
        Sheet(
            "Entreprises",
            ("Raison sociale", "SIRET", "Lots", "Heures réalisées", ops),
            tuple(
                (c.raison_sociale, c.siret, c.lots, c.realise, ", ".join(c.operations))
                for c in evaluation.entreprises
            ),
        ),
        Sheet(
            "Structures",
            ("Structure", "Type", ops),
            tuple((s.nom, s.type.label, ", ".join(s.operations)) for s in evaluation.structures),
        ),
        Sheet(
            "Écarts et pénalités",
            (
                "Opération",
                "Lot",
                "Intitulé",
                "Entreprise",
                "Résultat",
                "Heures requises",
                "Heures réalisées",
                "Heures manquantes en fin d’exécution",
                "Heures restant à réaliser au dernier relevé",
                "Pénalités HT",
            ),
            _gap_sheet_rows(evaluation),
        ),
        Sheet(
            "Totaux",
            ("Indicateur", "Valeur"),
            (
                ("Opérations", len(evaluation.operations)),
                ("Heures requises", evaluation.requis),
                ("Heures engagées", evaluation.engage),
                ("Heures réalisées", evaluation.realise),
                ("ETP réalisés", evaluation.etp),
                ("Personnes (comptées une fois)", _count(protected["total"][0])),
                (
                    "dont sur plusieurs opérations",
                    _count(protected["plusieurs_operations"][0]),
                ),
                ("Lots portant la clause", evaluation.lots_clause),
                ("Lots suivis", evaluation.lots_suivis),
                ("Lots ayant atteint leur objectif", evaluation.lots_atteints),
                ("Lots sans engagement remis", len(evaluation.sans_engagement)),
                ("Heures requises des lots portant la clause", evaluation.requis_clause),
                ("Heures manquantes", evaluation.heures_manquantes),
                ("Heures restant à réaliser au dernier relevé", evaluation.heures_restantes),
                ("Pénalités HT", evaluation.penalites),
            ),
        ),
        Sheet(
            "Sources",
            ("Dossier", "Opération", "Fichier"),
            tuple(sources),
        ),
    ]
    return sheets
