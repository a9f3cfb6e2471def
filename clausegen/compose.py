"""Composing documents: the one place where model, calculations and fragments meet.

``compose_tender`` turns an operation and its calibrage into the two tender documents (the
CCAP article and the RC mention): for each, a typed context (``clausegen.contexts``), the
fragment versions it used and the parameters behind its figures. Everything is resolved at
the calibrage's date, the consultation's launch date.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from pydantic import BaseModel
from stdnum.fr import siret as stdnum_siret

from clausegen.arrondi import RULE_LABELS
from clausegen.calibrage import Calibrage, LotCalibre
from clausegen.contexts import (
    AcheteurContexte,
    AppelOffresContexte,
    BlocContexte,
    ClauseContexte,
    ConsultationContexte,
    DocumentAppelOffresContexte,
    DocumentContexte,
    FacilitateurContexte,
    LotContexte,
    ObligationContexte,
    PenaliteContexte,
    SectionContexte,
    TotauxContexte,
)
from clausegen.errors import CompositionError
from clausegen.formatting import date_fr, euros, number, percent, typographie
from clausegen.fragments import CONTEXTS, FragmentRegistry, ResolvedFragment
from clausegen.model import (
    Beneficiaires,
    Ccag,
    Clause,
    MotifExclusion,
    Operation,
    Procedure,
    TypeAcheteur,
)
from clausegen.parameters import ParameterSet, ResolvedParameter
from clausegen.plans import DocumentPlan

BUYER_TYPES = {
    TypeAcheteur.ETAT: "État",
    TypeAcheteur.COLLECTIVITE: "collectivité territoriale",
    TypeAcheteur.ENTITE_ADJUDICATRICE: "entité adjudicatrice",
}
PROCEDURES = {
    Procedure.APPEL_OFFRES_OUVERT: "appel d'offres ouvert",
    Procedure.APPEL_OFFRES_RESTREINT: "appel d'offres restreint",
    Procedure.PROCEDURE_ADAPTEE: "procédure adaptée",
    Procedure.PROCEDURE_AVEC_NEGOCIATION: "procédure avec négociation",
    Procedure.DIALOGUE_COMPETITIF: "dialogue compétitif",
}
CCAGS = {
    Ccag.TRAVAUX: "CCAG-Travaux",
    Ccag.FCS: "CCAG-FCS",
    Ccag.PI: "CCAG-PI",
    Ccag.TIC: "CCAG-TIC",
    Ccag.MI: "CCAG-MI",
    Ccag.MOE: "CCAG-MOE",
}
JOINT_RESERVATION = "marche_reserve.reservation_conjointe_autorisee"
SMIC = "smic.horaire_brut"


class DocumentContext(Protocol):
    """Any document's context: it names its title and nature."""

    @property
    def document(self) -> DocumentContexte: ...

    def model_dump(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class ComposedDocument:
    """A document ready to render: its context and what produced it."""

    kind: str
    context: DocumentContext
    fragments: tuple[ResolvedFragment, ...]
    parameters: tuple[ResolvedParameter, ...]
    at: date
    closing: date | None = None
    """The date hours are counted up to (compliance statements)."""

    @property
    def title(self) -> str:
        return self.context.document.titre


def compose_tender(
    operation: Operation,
    calibrage: Calibrage,
    registry: FragmentRegistry,
    parameters: ParameterSet,
) -> tuple[ComposedDocument, ComposedDocument]:
    """The CCAP article and the RC mention of ``operation``, at the calibrage's date."""
    at = calibrage.date_reference
    used = {p.id: p for p in calibrage.parametres}
    base = _tender_context(operation, calibrage, parameters, used)
    cited = tuple(used[key] for key in sorted(used))
    articles = {"ccap": operation.clause.article_ccap, "rc": operation.clause.article_rc}
    ccap, rc = (
        ComposedDocument(
            kind,
            *_document(registry.plans[kind], base, operation.clause, articles[kind], registry, at),
            cited,
            at,
        )
        for kind in ("ccap", "rc")
    )
    return ccap, rc


def _document(
    plan: DocumentPlan,
    base: AppelOffresContexte,
    clause: Clause,
    article: int | None,
    registry: FragmentRegistry,
    at: date,
) -> tuple[DocumentAppelOffresContexte, tuple[ResolvedFragment, ...]]:
    sections = []
    fragments: list[ResolvedFragment] = []
    for index, section in enumerate(plan.sections, start=1):
        resolved = [registry.resolve(i, at) for i in section.fragment_ids(clause.dispositif)]
        fragments.extend(resolved)
        blocks = typeset([block for fragment in resolved for block in fragment.render(base)])
        sections.append(
            SectionContexte(
                numero=f"{article}.{index}" if article else str(index),
                titre=section.titre,
                blocs=blocks,
                tableau_heures=section.tableau_heures,
            )
        )
    title = f"Article {article} – {plan.titre}" if article else plan.titre
    context = DocumentAppelOffresContexte(
        **dict(base),
        document=DocumentContexte(titre=title, nature=plan.nature),
        sections=sections,
    )
    return context, tuple(fragments)


def _tender_context(
    operation: Operation,
    calibrage: Calibrage,
    parameters: ParameterSet,
    used: dict[str, ResolvedParameter],
) -> AppelOffresContexte:
    at = calibrage.date_reference
    clause = operation.clause
    retained = [lot for lot in calibrage.lots if lot.retenu]
    if not retained:
        raise CompositionError(
            message="no lot carries the clause (every lot is excluded), so there is no clause "
            "to put in the tender file; include at least one lot."
        )
    _check_reservation(operation, parameters, at, used)
    lots = [_lot(lot, operation) for lot in calibrage.lots]
    obligation = calibrage.obligation
    return AppelOffresContexte(
        **header_contexts(operation),
        clause=ClauseContexte(
            dispositif=clause.dispositif.value,
            ponderation=percent(clause.critere.ponderation) if clause.critere else None,
            beneficiaires=clause.reservation.beneficiaires.value if clause.reservation else None,
            heures_minimum=(
                number(clause.seuils.heures_minimum) if clause.seuils.heures_minimum else None
            ),
            arrondi=RULE_LABELS[clause.arrondi],
            methodes=sorted({lot.methode for lot in retained}),
            article_ccap=str(clause.article_ccap) if clause.article_ccap else None,
            penalite=penalty_context(operation, parameters, at, used),
        ),
        lots=lots,
        lots_retenus=[lot for lot in lots if lot.retenu],
        lots_exclus=[lot for lot in lots if not lot.retenu],
        totaux=TotauxContexte(
            heures=number(calibrage.total_heures),
            etp=number(calibrage.total_etp, 2),
            montant_ht=euros(sum((lot.montant_ht for lot in retained), Decimal(0))),
            lots_retenus=len(retained),
        ),
        obligation=ObligationContexte(
            applicable=obligation.applicable,
            seuil_atteint=obligation.applicable and obligation.reaches_threshold,
            seuil=euros(obligation.threshold) if obligation.threshold is not None else None,
            valeur_estimee=euros(obligation.estimated_value),
        ),
    )


def cite_fragments(
    composed: ComposedDocument, fragment_ids: tuple[str, ...], registry: FragmentRegistry
) -> ComposedDocument:
    """``composed`` with the fragments its template cites by id, resolved at its date.

    A buyer's template may place a fragment itself (``fragments["ccap.publics"]``). Each is
    rendered with the part of the document's context its fragment kind is written for, and
    its version joins the document's manifest like any fragment the plan uses.
    """
    if not fragment_ids:
        return composed
    context: BaseModel = composed.context  # type: ignore[assignment]
    resolved = [registry.resolve(fragment_id, composed.at) for fragment_id in fragment_ids]
    cited = {}
    for fragment in resolved:
        model = CONTEXTS[registry.get(fragment.id).context]
        part = model.model_validate(context.model_dump(include=set(model.model_fields)))
        cited[fragment.id] = typeset(fragment.render(part))
    known = {fragment.citation for fragment in composed.fragments}
    return replace(
        composed,
        context=context.model_copy(update={"fragments": cited}),  # type: ignore[arg-type]
        fragments=composed.fragments + tuple(f for f in resolved if f.citation not in known),
    )


def typeset(blocks: list[BlocContexte]) -> list[BlocContexte]:
    """French spacing (``formatting.typographie``) in every paragraph of rendered fragments."""
    return [block.model_copy(update={"texte": typographie(block.texte)}) for block in blocks]


def header_contexts(operation: Operation) -> dict[str, BaseModel]:
    """The buyer, the facilitator and the consultation, as every document shows them."""
    consultation = operation.consultation
    return {
        "acheteur": AcheteurContexte(
            nom=operation.acheteur.nom,
            siret=stdnum_siret.format(operation.acheteur.siret),
            type=BUYER_TYPES[operation.acheteur.type],
        ),
        "facilitateur": FacilitateurContexte(**operation.facilitateur.model_dump()),
        "consultation": ConsultationContexte(
            reference=consultation.reference,
            objet=consultation.objet,
            procedure=PROCEDURES[consultation.procedure],
            type_marche=consultation.type_marche.value,
            date_lancement=date_fr(consultation.date_lancement),
            duree_mois=consultation.duree_mois,
            ccag=CCAGS.get(consultation.ccag),
            anru=consultation.anru,
        ),
    }


def _lot(lot: LotCalibre, operation: Operation) -> LotContexte:
    source = next(entry for entry in operation.lots if entry.numero == lot.numero)
    reason = None
    if lot.exclusion is MotifExclusion.CHOIX_ACHETEUR and source.exclusion is not None:
        reason = source.exclusion.justification.rstrip(" .")
    elif lot.exclusion is not None:
        reason = lot.motif_label
    return LotContexte(
        numero=lot.numero,
        intitule=lot.intitule,
        cpv=source.cpv,
        montant_ht=euros(lot.montant_ht),
        heures=number(lot.heures),
        etp=number(lot.etp, 2),
        retenu=lot.retenu,
        motif_exclusion=reason,
    )


def penalty_context(
    operation: Operation, parameters: ParameterSet, at: date, used: dict[str, ResolvedParameter]
) -> PenaliteContexte:
    """The clause's penalties as written; a SMIC-multiple cites the SMIC at ``at``."""
    penalty = operation.clause.penalite
    per_hour = None
    if penalty.par_heure_manquante is not None:
        per_hour = f"{euros(penalty.par_heure_manquante)} HT"
    elif penalty.multiple_smic_par_heure is not None:
        smic = parameters.resolve(SMIC, at)
        used[smic.id] = smic
        assert isinstance(smic.value, Decimal)
        times = number(penalty.multiple_smic_par_heure, 2, exact=True)
        per_hour = (
            f"{times} fois le SMIC horaire brut en vigueur à la date du constat "
            f"({euros(smic.value)} au {date_fr(at)})"
        )
    return PenaliteContexte(
        par_heure=per_hour,
        par_jour_retard=(
            f"{euros(penalty.par_jour_retard)} HT" if penalty.par_jour_retard is not None else None
        ),
        plafond=(
            percent(penalty.plafond_part_montant)
            if penalty.plafond_part_montant is not None
            else None
        ),
    )


def _check_reservation(
    operation: Operation, parameters: ParameterSet, at: date, used: dict[str, ResolvedParameter]
) -> None:
    reservation = operation.clause.reservation
    if reservation is None or reservation.beneficiaires is not Beneficiaires.EA_ESAT_SIAE:
        return
    allowed = parameters.resolve(JOINT_RESERVATION, at)
    used[allowed.id] = allowed
    if allowed.value is not True:
        first = next(
            v.effective_from for v in parameters.get(JOINT_RESERVATION).values if v.value is True
        )
        raise CompositionError(
            message=f"clause.reservation.beneficiaires: a contract launched on {at.isoformat()} "
            "cannot be reserved to EA/ESAT and SIAE together; that is possible for "
            f"consultations launched from {first.isoformat()} ({JOINT_RESERVATION}). "
            "Choose ea_esat or siae."
        )
