"""The contexts every document shares: the buyer, the facilitator, the consultation, and the
clause's penalties as the documents state them, and how the documents are filed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel

from clausegen.calibration.rounding import round_euros
from clausegen.documents.contexts import (
    BuyerContext,
    ConsultationContext,
    FacilitatorContext,
    PenaltyContext,
    ReportingTermsContext,
    TermsContext,
)
from clausegen.documents.document import Filing
from clausegen.documents.formatting import (
    a_name,
    date_fr,
    de_name,
    euros,
    euros_ht,
    in_words,
    number,
    ordinal_in_words,
    percent,
    siret,
    unbreakable,
    with_article,
)
from clausegen.execution.modalities import Modalite, TypeStructure
from clausegen.inputs.french import Civilite, infer_article
from clausegen.inputs.operation import (
    Acheteur,
    Ccag,
    ComptesRendus,
    Facilitateur,
    Operation,
    Periodicite,
    Procedure,
    TypeAcheteur,
    TypeMarche,
)
from clausegen.law.parameters import ParameterSet, ResolvedParameter

BUYER_TYPES = {
    TypeAcheteur.ETAT: "État",
    TypeAcheteur.COLLECTIVITE: "collectivité territoriale",
    TypeAcheteur.ENTITE_ADJUDICATRICE: "entité adjudicatrice",
}
PROCEDURES = {
    Procedure.APPEL_OFFRES_OUVERT: "appel d’offres ouvert",
    Procedure.APPEL_OFFRES_RESTREINT: "appel d’offres restreint",
    Procedure.PROCEDURE_ADAPTEE: "procédure adaptée",
    Procedure.PROCEDURE_AVEC_NEGOCIATION: "procédure avec négociation",
    Procedure.DIALOGUE_COMPETITIF: "dialogue compétitif",
}
CCAGS = {
    Ccag.TRAVAUX: "CCAG\u2011Travaux",
    Ccag.FCS: "CCAG\u2011FCS",
    Ccag.PI: "CCAG\u2011PI",
    Ccag.TIC: "CCAG\u2011TIC",
    Ccag.MI: "CCAG\u2011MI",
    Ccag.MOE: "CCAG\u2011MOE",
}
SMIC = "smic.horaire_brut"
TIMES_IN_WORDS = {1: "une", 2: "deux", 3: "trois", 4: "quatre", 5: "cinq"}
"""Small multiples of the SMIC as French writes them in a contract: « deux fois le SMIC »."""
FUNCTIONS = {True: "facilitatrice", False: "facilitateur"}
"""The facilitator's function, feminine (declared « madame ») or masculine."""


def header_contexts(operation: Operation) -> dict[str, BaseModel]:
    """The buyer, the facilitator and the consultation, as every document shows them."""
    consultation = operation.consultation
    return {
        "acheteur": buyer_context(operation.acheteur),
        "facilitateur": facilitator_context(operation.facilitateur),
        "consultation": ConsultationContext(
            reference=unbreakable(consultation.reference),
            objet=consultation.objet,
            procedure=PROCEDURES[consultation.procedure],
            type_marche=consultation.type_marche.value,
            date_lancement=date_fr(consultation.date_lancement),
            duree_mois=consultation.duree_mois,
            ccag=CCAGS.get(consultation.ccag),
            anru=consultation.anru,
        ),
    }


def buyer_context(buyer: Acheteur) -> BuyerContext:
    """The buyer with the article its name takes (stated, else inferred from the name)."""
    article = buyer.article if buyer.article is not None else infer_article(buyer.nom)
    return BuyerContext(
        nom=buyer.nom,
        nom_article=with_article(buyer.nom, article),
        de_nom=de_name(buyer.nom, article),
        a_nom=a_name(buyer.nom, article),
        siret=siret(buyer.siret),
        type=BUYER_TYPES[buyer.type],
    )


def facilitator_context(facilitator: Facilitateur) -> FacilitatorContext:
    """The facilitator: function in the declared civility's gender, structure with article."""
    structure = facilitator.structure
    article = (
        facilitator.structure_article
        if facilitator.structure_article is not None
        else infer_article(structure)
    )
    feminine = facilitator.civilite is Civilite.MADAME
    return FacilitatorContext(
        nom=facilitator.nom,
        civilite=facilitator.civilite.value.capitalize() if facilitator.civilite else None,
        fonction=f"{FUNCTIONS[feminine]} de la clause sociale",
        titre=f"{'La' if feminine else 'Le'} {FUNCTIONS[feminine]}",
        structure=structure,
        structure_article=with_article(structure, article),
        de_structure=de_name(structure, article),
        a_structure=a_name(structure, article),
        email=unbreakable(facilitator.email),
        telephone=unbreakable(facilitator.telephone) if facilitator.telephone else None,
    )


def _penalty_context(
    operation: Operation, parameters: ParameterSet, at: date, used: dict[str, ResolvedParameter]
) -> PenaltyContext:
    """The clause's penalties as written; a SMIC-multiple cites the SMIC at ``at``."""
    penalty = operation.clause.penalite
    per_hour = None
    if penalty.par_heure_manquante is not None:
        per_hour = euros_ht(penalty.par_heure_manquante)
    elif penalty.multiple_smic_par_heure is not None:
        smic = parameters.resolve(SMIC, at)
        used[smic.id] = smic
        assert isinstance(smic.value, Decimal)
        multiple = penalty.multiple_smic_par_heure
        times = (
            TIMES_IN_WORDS[int(multiple)]
            if multiple == multiple.to_integral_value() and int(multiple) in TIMES_IN_WORDS
            else number(multiple, 2, exact=True)
        )
        per_hour = (
            f"{times} fois le SMIC horaire brut en vigueur à la date du constat "
            f"({euros(smic.value)} au {date_fr(at)}, soit "
            f"{euros_ht(round_euros(multiple * smic.value))} à cette date)"
        )
    return PenaltyContext(
        par_heure=per_hour,
        par_jour_retard=(
            euros_ht(penalty.par_jour_retard) if penalty.par_jour_retard is not None else None
        ),
        plafond=(
            percent(penalty.plafond_part_montant)
            if penalty.plafond_part_montant is not None
            else None
        ),
    )


def clause_terms(
    operation: Operation, parameters: ParameterSet, at: date, used: dict[str, ResolvedParameter]
) -> TermsContext:
    """The clause's terms every document of the consultation states alike."""
    return TermsContext(
        dispositif=operation.clause.dispositif.value,
        travaux=operation.consultation.type_marche is TypeMarche.TRAVAUX,
        penalite=_penalty_context(operation, parameters, at, used),
        comptes_rendus=reporting_terms(operation.clause.comptes_rendus),
        structures_mise_a_disposition=_structures(Modalite.MISE_A_DISPOSITION),
        structures_prestation=_structures(Modalite.SOUS_TRAITANCE),
    )


def reporting_terms(rules: ComptesRendus) -> ReportingTermsContext:
    """The statements of hours as the CCAP words them: « le dixième jour », « huit jours »."""
    days = rules.delai_mise_en_demeure_jours
    return ReportingTermsContext(
        periodicite=rules.periodicite.value,
        jour_limite=ordinal_in_words(rules.jour_limite),
        delai_mise_en_demeure=f"{in_words(days)} jour{'s' if days > 1 else ''}",
        etat=(
            "l’état mensuel des heures"
            if rules.periodicite is Periodicite.MENSUELLE
            else "l’état trimestriel des heures"
        ),
    )


def _structures(modalite: Modalite) -> str:
    """« une entreprise d'insertion (EI), … ou un établissement… (ESAT) »."""
    names = [kind.designation for kind in TypeStructure if kind in modalite.structures]
    return f"{', '.join(names[:-1])} ou {names[-1]}"


def buyer_filing(operation: Operation, stem: str) -> Filing:
    """How a document the buyer issues is filed: authored by the buyer, dated at launch."""
    consultation = operation.consultation
    return Filing(
        stem=stem,
        author=operation.acheteur.nom,
        subject=subject_of(operation),
        created=consultation.date_lancement,
    )


def subject_of(operation: Operation) -> str:
    """Every document's subject: the consultation's reference and object."""
    return f"{operation.consultation.reference} – {operation.consultation.objet}"
