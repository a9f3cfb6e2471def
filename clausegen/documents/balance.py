"""Composing a participant's end-of-mission balance (bilan de fin de mission).

A pathway balance as facilitators write them: who the person is and why they are
eligible, the contract and job, the tasks entrusted, the hours month by month, the
trainings, the savoir-être and savoir-faire with their level at the start and at the end,
the remarks of the tutor, of the company's référent and of the facilitator, the outcome
with its IAE class, and the next steps. It is written for the participant and the
facilitator, never for the buyer.

The tutor and the référent are the participant's own when the participants file names
them, else those of the commitments of the companies the person worked for (matched by
the ledger's SIRET and lot). A company designates a tutor only for the people it hires
directly (the commitment form, the CCAP): a person whose hours are all a placement,
subcontracting or training has none unless their record names one, and the balance says
so. Everything is stated as of a closing date (``arrete_au``): an exit dated after it is
not yet known on that date; a person with no exit known is still in the pathway on that
date, or, their contract over, has an exit that remains to be recorded (or that comes
after the closing date).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from clausegen.documents.common_contexts import header_contexts, subject_of
from clausegen.documents.contexts import FacilitatorContext, HeadingContext
from clausegen.documents.document import ComposedDocument, Filing
from clausegen.documents.execution_contexts import (
    AppreciationContext,
    BalanceContext,
    BalanceDocumentContext,
    ContractContext,
    EvaluationContext,
    ExitContext,
    MonthContext,
    NextStepContext,
    ParticipantContext,
    SituationContext,
    TrainingContext,
)
from clausegen.documents.formatting import NBSP, date_fr, hours, month_fr, typographie
from clausegen.documents.fragments import fragment_blocks
from clausegen.execution.commitments import Commitment, Contact
from clausegen.execution.ledger import LedgerRow
from clausegen.execution.modalities import Modalite, line_label
from clausegen.execution.participants import (
    EtapeParcours,
    Evaluation,
    Formation,
    Niveau,
    Participant,
    Sortie,
)
from clausegen.inputs.french import APOSTROPHE, starts_with_vowel
from clausegen.inputs.operation import Operation
from clausegen.law.fragments import FragmentRegistry, ResolvedFragment

NATURE = "Bilan de fin de mission"
FRAGMENT = "bilan.confidentialite"
NOT_GIVEN = "Non renseigné"
NOT_GIVEN_F = "Non renseignée"


def compose_balance(
    operation: Operation,
    participant: Participant,
    rows: Sequence[LedgerRow],
    fragment: ResolvedFragment,
    arrete_au: date,
    engagements: Sequence[Commitment] = (),
) -> ComposedDocument:
    """The balance of ``participant`` as of ``arrete_au``, from their ledger ``rows`` (none:
    no hours yet) and the commitments of the companies they worked for."""
    ordered = sorted(rows, key=lambda line: (line.mois, line.lot, line.row))
    total = sum((line.heures or Decimal(0) for line in ordered), Decimal(0))
    followed_by = companies_of(ordered, engagements)
    tutored_by = companies_of(direct_hires(ordered), engagements)
    users = placed_with(participant, ordered, followed_by)
    known = exit_known(participant, arrete_au)
    in_pathway = known is None and contract_over(participant, arrete_au) is None
    header = header_contexts(operation)
    facilitator = header["facilitateur"]
    assert isinstance(facilitator, FacilitatorContext)
    base = BalanceContext(
        **header,
        participant=_person(participant),
        arrete_au=date_fr(arrete_au),
        contrat=_contract(participant),
        poste=participant.poste.intitule,
        code_rome=participant.poste.code_rome,
        tuteur=tutor_line(participant, ordered, engagements),
        referent=_referent(participant, followed_by),
        referent_libelle=_referent_title(users),
        modalites=list(dict.fromkeys(line_label(r.modalite, r.structure) for r in ordered)),
        missions=[typographie(mission) for mission in participant.missions],
        heures=[_month_row(line) for line in ordered],
        total_heures=hours(total, 2),
        premier_mois=month_fr(ordered[0].mois) if ordered else None,
        dernier_mois=month_fr(ordered[-1].mois) if ordered else None,
        periode_heures=months_span(ordered[0].mois, ordered[-1].mois) if ordered else None,
        formations=[_training(training) for training in participant.formations],
        evaluation_fin=f"Au {date_fr(arrete_au)}" if in_pathway else "À la sortie",
        savoir_etre=[_evaluation(item) for item in participant.savoir_etre],
        savoir_faire=[_evaluation(item) for item in participant.savoir_faire],
        appreciations=_appreciations(
            facilitator, participant, ordered, followed_by, tutored_by, users
        ),
        sortie=_exit(known),
        situation=situation(participant, arrete_au),
        suite_parcours=[_next_step(step) for step in participant.suite_parcours],
        observations=_typed(participant.observations),
    )
    context = BalanceDocumentContext(
        **dict(base),
        document=HeadingContext(titre=f"{NATURE} – {participant.nom_complet}", nature=NATURE),
        confidentialite=fragment_blocks(fragment, base),
    )
    filing = Filing(
        stem=balance_stem(participant.id),
        author=operation.facilitateur.structure,
        subject=subject_of(operation),
        created=known.date
        if known
        else (ordered[-1].mois if ordered else participant.date_validation),
    )
    at = operation.consultation.date_lancement
    return ComposedDocument("bilan", context, (fragment,), (), at, filing, arrete_au)


# --- who followed the participant -------------------------------------------------------------


def companies_of(rows: Iterable[LedgerRow], engagements: Sequence[Commitment]) -> list[Commitment]:
    """The commitments of the companies ``rows`` were done for (same SIRET and lot), by lot."""
    worked = {(line.siret, line.lot) for line in rows}
    found = [e for e in engagements if (e.entreprise.siret, e.lot) in worked]
    return sorted(found, key=lambda engagement: engagement.lot)


def direct_hires(rows: Iterable[LedgerRow]) -> list[LedgerRow]:
    """The rows of hours done as a direct hire: the only ones a company names a tutor for."""
    return [line for line in rows if line.modalite is Modalite.EMBAUCHE_DIRECTE]


def tutor_of(participant: Participant, hired_by: Sequence[Commitment]) -> str | None:
    """The participant's tutor, else the tutor each commitment of a company that hired
    them directly names (``hired_by``)."""
    if participant.tuteur is not None:
        return typographie(participant.tuteur)
    return _from_commitments([(e.lot, e.tuteur) for e in hired_by])


def untutored_placement(participant: Participant, rows: Sequence[LedgerRow]) -> bool:
    """True when ``participant`` has hours, none of them a direct hire, and no tutor of their
    own: the company designates none for them."""
    return participant.tuteur is None and bool(rows) and not direct_hires(rows)


def no_tutor_designated(rows: Sequence[LedgerRow]) -> str:
    """« Non désigné : l’entreprise ne désigne un tuteur que pour une embauche directe, non
    pour une mise à disposition » (each modality a feminine noun: « une sous-traitance »)."""
    ways = dict.fromkeys(line.modalite.label for line in rows)
    here = " ou ".join(f"une {way[0].lower()}{way[1:]}" for way in ways)
    return typographie(
        f"Non désigné : l{APOSTROPHE}entreprise ne désigne un tuteur que pour une embauche "
        f"directe, non pour {here}"
    )


def tutor_line(
    participant: Participant, rows: Sequence[LedgerRow], engagements: Sequence[Commitment]
) -> str | None:
    """The balance's « Tuteur » line: the participant's tutor, else the one the commitment
    of each company that hired them directly names, else, for a person none hired directly,
    that no tutor is designated; None when nothing is known (no hours yet, no commitment)."""
    if untutored_placement(participant, rows):
        return no_tutor_designated(rows)
    return tutor_of(participant, companies_of(direct_hires(rows), engagements))


def _referent(participant: Participant, followed_by: Sequence[Commitment]) -> str | None:
    """The company référent: the participant's, else the one each commitment names."""
    if participant.referent is not None:
        return typographie(participant.referent)
    return _from_commitments([(e.lot, e.referent) for e in followed_by])


def placed_with(
    participant: Participant, rows: Sequence[LedgerRow], followed_by: Sequence[Commitment]
) -> list[str]:
    """The user companies (entreprises utilisatrices) of a person whose hours with each
    company that names the référent are all a placement (mise à disposition): the
    référent is theirs, not the employer's. Empty when the participant names their own
    référent, or when a company hired them directly, subcontracted or trained them."""
    if participant.referent is not None or not followed_by:
        return []
    for engagement in followed_by:
        ways = {
            line.modalite
            for line in rows
            if (line.siret, line.lot) == (engagement.entreprise.siret, engagement.lot)
        }
        if ways != {Modalite.MISE_A_DISPOSITION}:
            return []
    return list(dict.fromkeys(e.entreprise.raison_sociale for e in followed_by))


def referent_label(
    participant: Participant, rows: Sequence[LedgerRow], followed_by: Sequence[Commitment]
) -> str:
    """The label of the balance's référent line: « Référent de l’entreprise », or, for a
    person placed with the companies whose commitments name the référent, « Référent
    insertion de l’entreprise utilisatrice (Bâti Sud Construction) »: the employer is
    then the placing structure, and the référent is not its own."""
    return _referent_title(placed_with(participant, rows, followed_by))


def _referent_title(users: Sequence[str]) -> str:
    """``referent_label`` for the user companies ``placed_with`` found (none: the
    company's own référent)."""
    if not users:
        return "Référent de l’entreprise"
    return f"Référent insertion {_of_companies(users)} ({', '.join(users)})"


def _of_companies(users: Sequence[str]) -> str:
    """« de l’entreprise », « de l’entreprise utilisatrice », « des entreprises
    utilisatrices », as ``users`` (the user companies of a placement) has none, one or more."""
    if not users:
        return "de l’entreprise"
    return "des entreprises utilisatrices" if len(users) > 1 else "de l’entreprise utilisatrice"


def _from_commitments(contacts: list[tuple[int, Contact | None]]) -> str | None:
    """« Marc Esteve (Chef de chantier), selon l’engagement du lot 1 », one per contact."""
    named = [
        f"{contact.nom}{f' ({contact.fonction})' if contact.fonction else ''}, selon "
        f"l{APOSTROPHE}engagement du lot{NBSP}{lot}"
        for lot, contact in contacts
        if contact is not None
    ]
    return typographie(" ; ".join(dict.fromkeys(named))) or None


@dataclass(frozen=True)
class MissingTutor:
    """A direct hire whom no tutor follows, neither in their record nor in a commitment."""

    participant: str
    lots: tuple[int, ...]


def missing_tutor(
    participant: Participant, rows: Sequence[LedgerRow], engagements: Sequence[Commitment]
) -> MissingTutor | None:
    """A warning when ``participant`` was hired directly and nobody is named as tutor."""
    direct = direct_hires(rows)
    hired = sorted({line.lot for line in direct})
    if not hired or tutor_of(participant, companies_of(direct, engagements)) is not None:
        return None
    return MissingTutor(participant.id, tuple(hired))


# --- sections ---------------------------------------------------------------------------------


def _person(participant: Participant) -> ParticipantContext:
    """Who the participant is and why they are eligible."""
    return ParticipantContext(
        identifiant=participant.id,
        nom_complet=participant.nom_complet,
        date_naissance=date_fr(participant.date_naissance),
        criteres=[c.label for c in participant.criteres],
        date_validation=date_fr(participant.date_validation),
        prescripteur=participant.prescripteur,
    )


def _contract(participant: Participant) -> ContractContext:
    """The participant's employer and contract."""
    contract = participant.contrat
    weekly = contract.heures_hebdomadaires
    return ContractContext(
        employeur=participant.employeur.raison_sociale,
        type=contract.type.label,
        debut=date_fr(contract.debut),
        fin=date_fr(contract.fin) if contract.fin else None,
        heures_hebdomadaires=f"{hours(weekly, 2)} par semaine" if weekly else None,
    )


def _month_row(line: LedgerRow) -> MonthContext:
    """One ledger row: a month's hours on a lot, with a company, by a modality."""
    return MonthContext(
        mois=month_fr(line.mois),
        lot=str(line.lot),
        entreprise=line.entreprise,
        modalite=line_label(line.modalite, line.structure),
        heures=hours(line.heures or Decimal(0), 2),
    )


def months_span(first: date, last: date) -> str:
    """« en mars 2027 », « de janvier 2027 à juillet 2027 », « d’octobre 2027 à … »."""
    if (first.year, first.month) == (last.year, last.month):
        return f"en {month_fr(first)}"
    start = month_fr(first)
    of = f"d{APOSTROPHE}" if starts_with_vowel(start) else "de "
    return f"{of}{start} à {month_fr(last)}"


def _training(training: Formation) -> TrainingContext:
    return TrainingContext(
        intitule=typographie(training.intitule),
        heures=hours(training.heures, 2),
        organisme=training.organisme,
        date=date_fr(training.date) if training.date else None,
    )


def _evaluation(item: Evaluation) -> EvaluationContext:
    return EvaluationContext(
        intitule=typographie(item.intitule), debut=_level(item.debut), fin=_level(item.fin)
    )


def _level(level: Niveau | None) -> str:
    return level.label if level is not None else NOT_GIVEN


def _appreciations(
    facilitator: FacilitatorContext,
    participant: Participant,
    rows: Sequence[LedgerRow],
    followed_by: Sequence[Commitment],
    tutored_by: Sequence[Commitment],
    users: Sequence[str],
) -> list[AppreciationContext]:
    """The tutor's (for a person no tutor follows, the company's supervisors'), the company
    référent's (the user company's, for a person placed with ``users``) and the
    facilitator's remarks, in that order."""
    tutors = _names(participant.tuteur, [e.tuteur for e in tutored_by])
    referents = _names(participant.referent, [e.referent for e in followed_by])
    supervisors = (
        "L’encadrement de l’entreprise" if untutored_placement(participant, rows) else "Le tuteur"
    )
    referent = f"Le référent {_of_companies(users)}"
    return [
        AppreciationContext(
            auteur=_author(supervisors, tutors), texte=_typed(participant.avis_tuteur)
        ),
        AppreciationContext(
            auteur=_author(referent, referents),
            texte=_typed(participant.avis_referent),
        ),
        AppreciationContext(
            auteur=_author(facilitator.titre, [facilitator.nom]),
            texte=_typed(participant.observations),
        ),
    ]


def _names(own: str | None, contacts: Sequence[Contact | None]) -> list[str]:
    if own is not None:
        return [own]
    return list(dict.fromkeys(c.nom for c in contacts if c is not None))


def _author(role: str, names: Sequence[str]) -> str:
    return f"{role} – {', '.join(names)}" if names else role


def _exit(known: Sortie | None) -> ExitContext | None:
    """What the participant did next, with its IAE class, when known."""
    if known is None:
        return None
    return ExitContext(
        libelle=known.type.label,
        classe=known.type.classe.label,
        date=date_fr(known.date),
        precision=_typed(known.precision),
    )


def exit_known(participant: Participant, arrete_au: date) -> Sortie | None:
    """The participant's exit when it happened by ``arrete_au``; one dated after is not yet
    known on that date, and the balance does not state it."""
    exit_ = participant.sortie
    return exit_ if exit_ is not None and exit_.date <= arrete_au else None


def exit_after(participant: Participant, arrete_au: date) -> date | None:
    """The date of the participant's exit when it is after ``arrete_au``; None otherwise."""
    exit_ = participant.sortie
    return exit_.date if exit_ is not None and exit_.date > arrete_au else None


def contract_over(participant: Participant, arrete_au: date) -> date | None:
    """The end of the participant's contract when it ended before ``arrete_au`` with no
    exit known on that date; None otherwise."""
    end = participant.contrat.fin
    if exit_known(participant, arrete_au) is None and end is not None and end < arrete_au:
        return end
    return None


def situation(participant: Participant, arrete_au: date) -> SituationContext:
    """The exit known on ``arrete_au``; else, on that date, still in the pathway, an exit to
    record, or an exit that comes after it."""
    exit_ = exit_known(participant, arrete_au)
    if exit_ is not None:
        return SituationContext(
            date_libelle="Date de sortie",
            date=date_fr(exit_.date),
            libelle=exit_.type.label,
            classe=exit_.type.classe.label,
            precision=_typed(exit_.precision),
        )
    ended = contract_over(participant, arrete_au)
    if ended is not None and exit_after(participant, arrete_au) is not None:
        return SituationContext(
            date_libelle="Date d’arrêté",
            date=date_fr(arrete_au),
            libelle="Sortie postérieure à la date d’arrêté",
            classe=f"Non connue au {date_fr(arrete_au)}",
            precision=typographie(
                f"Le contrat a pris fin le {date_fr(ended)} ; la situation qui a suivi "
                f"n{APOSTROPHE}était pas connue au {date_fr(arrete_au)} et ne figure pas "
                "dans ce bilan."
            ),
        )
    if ended is not None:
        return SituationContext(
            date_libelle="Date d’arrêté",
            date=date_fr(arrete_au),
            libelle="Sortie non renseignée",
            classe=NOT_GIVEN_F,
            precision=typographie(
                f"Le contrat a pris fin le {date_fr(ended)} ; la sortie reste à renseigner."
            ),
        )
    end = participant.contrat.fin
    running = f"jusqu{APOSTROPHE}au {date_fr(end)}" if end else "à durée indéterminée"
    return SituationContext(
        date_libelle="Date d’arrêté",
        date=date_fr(arrete_au),
        libelle="En parcours",
        classe="Sans objet tant que le parcours se poursuit",
        precision=f"Contrat en cours, {running}.",
    )


def exit_to_record(participant: Participant, arrete_au: date) -> date | None:
    """The end of the contract of a participant with no exit recorded whose contract ended
    before ``arrete_au``; None otherwise."""
    return contract_over(participant, arrete_au) if participant.sortie is None else None


def _next_step(step: EtapeParcours) -> NextStepContext:
    return NextStepContext(
        type=step.type.label,
        intitule=typographie(step.intitule),
        structure=_typed(step.structure),
        date=date_fr(step.date),
    )


def _typed(text: str | None) -> str | None:
    """Free text the facilitator typed, with French spacing (``typographie``)."""
    return typographie(text) if text is not None else None


def balance_stem(participant_id: str) -> str:
    """A balance's file name without its extension."""
    return f"bilan-{participant_id}"


def resolve_fragment(registry: FragmentRegistry, at: date) -> ResolvedFragment:
    """The balance's fragment in force at ``at`` (resolved once for a batch of balances)."""
    return registry.resolve(FRAGMENT, at)
