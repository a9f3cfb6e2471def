"""Who may do insertion hours (eligibility criteria) and how a participant's exit is classed.

Eligibility criteria follow the facilitators' usual list (domain.md §4: cie84,
campus-des-initiatives; CCAG 2021 art. 16.1.1.1), the one the tender clause's "Publics
éligibles" fragment states. Exits follow the IAE "sorties dynamiques" classes (domain.md
§5.3, communaute.inclusion.beta.gouv.fr): durable employment, transition employment,
positive exit, other exit.
"""

from __future__ import annotations

from enum import StrEnum


class Critere(StrEnum):
    """An eligibility criterion the facilitator checked and validated."""

    DELD = "deld"
    DETLD = "detld"
    RSA = "rsa"
    ASS = "ass"
    AAH = "aah"
    PENSION_INVALIDITE = "pension_invalidite"
    RQTH = "rqth"
    JEUNE_MOINS_26 = "jeune_moins_26"
    SENIOR_PLUS_50 = "senior_plus_50"
    SALARIE_SIAE = "salarie_siae"
    SALARIE_EA_ESAT = "salarie_ea_esat"
    EPIDE_E2C = "epide_e2c"
    GEIQ = "geiq"
    QPV = "qpv"
    AVIS_MOTIVE = "avis_motive"

    @property
    def label(self) -> str:
        return CRITERE_LABELS[self]


CRITERE_LABELS = {
    Critere.DELD: "Demandeur d’emploi de longue durée (plus de 12 mois)",
    Critere.DETLD: "Demandeur d’emploi de très longue durée (plus de 24 mois)",
    Critere.RSA: "Allocataire du RSA",
    Critere.ASS: "Allocataire de l’ASS",
    Critere.AAH: "Allocataire de l’AAH",
    Critere.PENSION_INVALIDITE: "Titulaire d’une pension d’invalidité",
    Critere.RQTH: "Travailleur handicapé reconnu (RQTH)",
    Critere.JEUNE_MOINS_26: "Jeune de moins de 26 ans sorti du système scolaire",
    Critere.SENIOR_PLUS_50: "Demandeur d’emploi de plus de 50 ans",
    Critere.SALARIE_SIAE: "Salarié en parcours d’insertion (SIAE)",
    Critere.SALARIE_EA_ESAT: "Salarié d’EA ou travailleur d’ESAT",
    Critere.EPIDE_E2C: "Suivi par un EPIDE ou une école de la deuxième chance",
    Critere.GEIQ: "En parcours dans un GEIQ",
    Critere.QPV: "Habitant d’un quartier prioritaire de la politique de la ville",
    Critere.AVIS_MOTIVE: "Sur avis motivé d’un prescripteur",
}


class ClasseSortie(StrEnum):
    """The class of an exit, as IAE reporting counts them."""

    EMPLOI_DURABLE = "emploi_durable"
    EMPLOI_TRANSITION = "emploi_transition"
    SORTIE_POSITIVE = "sortie_positive"
    AUTRE = "autre"

    @property
    def label(self) -> str:
        return CLASSE_LABELS[self]


CLASSE_LABELS = {
    ClasseSortie.EMPLOI_DURABLE: "Emploi durable",
    ClasseSortie.EMPLOI_TRANSITION: "Emploi de transition",
    ClasseSortie.SORTIE_POSITIVE: "Sortie positive",
    ClasseSortie.AUTRE: "Autre sortie",
}


class TypeSortie(StrEnum):
    """What a participant did next, as the facilitator records it."""

    CDI = "cdi"
    CDD_PLUS_6_MOIS = "cdd_plus_6_mois"
    INTERIM_PLUS_6_MOIS = "interim_plus_6_mois"
    FONCTION_PUBLIQUE = "fonction_publique"
    CREATION_ENTREPRISE = "creation_entreprise"
    CDD_MOINS_6_MOIS = "cdd_moins_6_mois"
    INTERIM_MOINS_6_MOIS = "interim_moins_6_mois"
    CONTRAT_AIDE = "contrat_aide"
    FORMATION_QUALIFIANTE = "formation_qualifiante"
    EMBAUCHE_SIAE = "embauche_siae"
    DEMANDEUR_EMPLOI = "demandeur_emploi"
    INACTIVITE = "inactivite"
    AUTRE = "autre"

    @property
    def label(self) -> str:
        return SORTIE_LABELS[self][0]

    @property
    def classe(self) -> ClasseSortie:
        return SORTIE_LABELS[self][1]


SORTIE_LABELS = {
    TypeSortie.CDI: ("CDI", ClasseSortie.EMPLOI_DURABLE),
    TypeSortie.CDD_PLUS_6_MOIS: ("CDD de plus de six mois", ClasseSortie.EMPLOI_DURABLE),
    TypeSortie.INTERIM_PLUS_6_MOIS: (
        "Missions d’intérim de plus de six mois",
        ClasseSortie.EMPLOI_DURABLE,
    ),
    TypeSortie.FONCTION_PUBLIQUE: (
        "Emploi ou stage dans la fonction publique",
        ClasseSortie.EMPLOI_DURABLE,
    ),
    TypeSortie.CREATION_ENTREPRISE: ("Création d’entreprise", ClasseSortie.EMPLOI_DURABLE),
    TypeSortie.CDD_MOINS_6_MOIS: ("CDD de six mois au plus", ClasseSortie.EMPLOI_TRANSITION),
    TypeSortie.INTERIM_MOINS_6_MOIS: (
        "Missions d’intérim de six mois au plus",
        ClasseSortie.EMPLOI_TRANSITION,
    ),
    TypeSortie.CONTRAT_AIDE: (
        "Contrat aidé chez un employeur ordinaire",
        ClasseSortie.EMPLOI_TRANSITION,
    ),
    TypeSortie.FORMATION_QUALIFIANTE: (
        "Formation préqualifiante ou qualifiante",
        ClasseSortie.SORTIE_POSITIVE,
    ),
    TypeSortie.EMBAUCHE_SIAE: (
        "Embauche dans une autre structure d’insertion",
        ClasseSortie.SORTIE_POSITIVE,
    ),
    TypeSortie.DEMANDEUR_EMPLOI: ("Demandeur d’emploi", ClasseSortie.AUTRE),
    TypeSortie.INACTIVITE: ("Inactivité", ClasseSortie.AUTRE),
    TypeSortie.AUTRE: ("Autre situation", ClasseSortie.AUTRE),
}


class TrancheAge(StrEnum):
    """Age bands of the statements, matching the under-26 and over-50 criteria."""

    MOINS_26 = "moins_26"
    DE_26_A_49 = "26_49"
    PLUS_50 = "50_plus"

    @property
    def label(self) -> str:
        return {
            TrancheAge.MOINS_26: "Moins de 26 ans",
            TrancheAge.DE_26_A_49: "De 26 à 49 ans",
            TrancheAge.PLUS_50: "50 ans et plus",
        }[self]

    @classmethod
    def of(cls, age: int) -> TrancheAge:
        if age < 26:
            return cls.MOINS_26
        return cls.DE_26_A_49 if age < 50 else cls.PLUS_50
