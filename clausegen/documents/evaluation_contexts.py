"""What the evaluation report's template can use, display-ready: counts and sums only.

The report adds up operations; like the compliance statement, it names no participant:
every count of people is printed under the statistical-confidentiality rule.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from clausegen.documents.contexts import CitedFragmentsContext, HeadingContext
from clausegen.documents.execution_contexts import ImageContext


class _Context(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CountRowContext(_Context):
    libelle: str = Field(description="ce qui est compté (« Femmes »)")
    nombre: str = Field(description="l'effectif, ou « < 5 » / « s » quand il est masqué")
    operations: str = Field(description="références des opérations concernées")


class PeopleRowContext(_Context):
    libelle: str = Field(description="ce qui est compté (« Femmes »)")
    nombre: str = Field(description="l'effectif, ou « < 5 » / « s » quand il est masqué")


class LotsRowContext(_Context):
    libelle: str = Field(description="dispositif, division CPV ou métier")
    lots: str = Field(description="nombre de lots portant la clause")
    heures: str = Field(description="heures requises de ces lots (calibrage)")
    operations: str = Field(description="références des opérations concernées")


class HoursRowContext(_Context):
    libelle: str = Field(description="modalité ou type de structure")
    engage: str = Field(description="heures engagées")
    realise: str = Field(description="heures réalisées")
    operations: str = Field(description="références des opérations concernées")


class OperationRowContext(_Context):
    reference: str = Field(description="référence de la consultation")
    objet: str = Field(description="objet de la consultation")
    acheteur: str = Field(description="nom de l'acheteur")
    dispositif: str = Field(description="dispositif de la clause")
    arrete_au: str = Field(description="date d'arrêté des heures")
    lots: str = Field(description="lots portant la clause")
    lots_suivis: str = Field(description="lots dont l'engagement de l'entreprise est reçu")
    requis: str = Field(description="heures requises des lots suivis")
    engage: str = Field(description="heures engagées")
    realise: str = Field(description="heures réalisées")
    etp: str = Field(description="équivalents temps plein réalisés")


class CompanyRowContext(_Context):
    raison_sociale: str = Field(description="raison sociale de l'entreprise")
    siret: str = Field(description="SIRET de l'entreprise")
    lots: str = Field(description="lots tenus avec la clause")
    realise: str = Field(description="heures réalisées")
    operations: str = Field(description="références des opérations concernées")


class StructureRowContext(_Context):
    nom: str = Field(description="nom de la structure d'insertion partenaire")
    type: str = Field(description="type de structure (ETTI, ACI, ESAT…)")
    operations: str = Field(description="références des opérations concernées")


class ShortfallRowContext(_Context):
    operation: str = Field(description="référence de la consultation")
    lot: str = Field(description="lot, numéro et intitulé")
    entreprise: str = Field(description="entreprise titulaire")
    statut: str = Field(
        description="résultat du lot, « Bilan de fin de marché non établi » ou "
        "« Engagement non remis »"
    )
    ecart: str = Field(
        description="heures manquantes, restant à réaliser au dernier relevé, ou requises "
        "d'un lot sans engagement"
    )
    penalite: str = Field(
        description="pénalités calculées, « – (pénalité non constatée) » ou « – »"
    )


class EvaluationTotalsContext(_Context):
    operations: str = Field(description="nombre d'opérations évaluées")
    acheteurs: str = Field(description="nombre d'acheteurs")
    lots: str = Field(description="nombre de lots portant la clause")
    lots_suivis: str = Field(description="nombre de lots dont l'engagement est reçu")
    requis: str = Field(description="heures requises des lots suivis")
    engage: str = Field(description="heures engagées")
    realise: str = Field(description="heures réalisées")
    taux: str = Field(
        description="part des heures requises réalisées, des lots suivis et de tous les lots "
        "portant la clause"
    )
    lots_atteints: str = Field(description="lots suivis ayant atteint leur objectif (« 5 sur 7 »)")
    sans_engagement: str = Field(
        description="lots portant la clause sans engagement remis, et leurs heures requises"
    )
    etp: str = Field(description="équivalents temps plein réalisés")
    definition_etp: str = Field(
        description="ce qu'est un ETP, avec la base du paramètre (« ETP : heures rapportées "
        "à 1 607 heures, durée annuelle d’un temps plein… »)"
    )
    participants: str = Field(
        description="personnes comptées une fois ; « < 5 » sous le seuil de confidentialité"
    )
    plusieurs_operations: str = Field(
        description="personnes présentes dans plusieurs opérations, sous la même règle de "
        "confidentialité"
    )
    entreprises: str = Field(description="nombre d'entreprises titulaires")
    structures: str = Field(description="nombre de structures d'insertion partenaires")
    heures_manquantes: str = Field(
        description="heures manquantes en fin d'exécution, et celles restant à réaliser au "
        "dernier relevé des lots sans bilan de fin de marché"
    )
    penalites: str = Field(description="pénalités calculées avant décision de l'acheteur")


class EvaluationDocumentContext(CitedFragmentsContext):
    """Everything the evaluation report shows."""

    document: HeadingContext = Field(description="titre et nature du document")
    structure: str = Field(description="structure du facilitateur qui établit le rapport")
    structure_article: str = Field(description="la même, avec son article")
    facilitateur: str = Field(description="nom et fonction du facilitateur")
    debut: str = Field(description="début de la période évaluée")
    fin: str = Field(description="fin de la période évaluée")
    totaux: EvaluationTotalsContext = Field(description="chiffres clés")
    operations: list[OperationRowContext] = Field(description="opérations évaluées")
    hors_periode: list[str] = Field(description="opérations écartées : hors de la période")
    acheteurs: list[CountRowContext] = Field(description="acheteurs et leurs opérations")
    par_dispositif: list[LotsRowContext] = Field(description="lots par dispositif")
    par_division_cpv: list[LotsRowContext] = Field(description="lots par division CPV")
    par_metier: list[LotsRowContext] = Field(description="lots par métier")
    par_modalite: list[HoursRowContext] = Field(description="heures par modalité")
    par_type_structure: list[HoursRowContext] = Field(description="heures par type de structure")
    graphique: ImageContext = Field(description="heures requises, engagées, réalisées")
    seuil: str = Field(description="seuil de confidentialité des effectifs")
    par_critere: list[PeopleRowContext] = Field(description="personnes par critère")
    par_sexe: list[PeopleRowContext] = Field(description="personnes par sexe")
    par_tranche_age: list[PeopleRowContext] = Field(description="personnes par tranche d'âge")
    situations: list[PeopleRowContext] = Field(description="situation des personnes")
    masque: bool = Field(description="une case est masquée (« s »)")
    sortie_6_mois: str = Field(description="situation à six mois de la fin du parcours")
    entreprises: list[CompanyRowContext] = Field(description="entreprises titulaires")
    structures: list[StructureRowContext] = Field(description="structures partenaires")
    ecarts: list[ShortfallRowContext] = Field(description="lots en écart et pénalités")
    notes_ecarts: list[str] = Field(
        description="sous les écarts : ce que sont les pénalités, les lots sans constat"
    )
    methode: list[str] = Field(description="notes de méthode, avec leurs sources")
