"""What the execution documents' templates and fragments can use, display-ready.

Three documents: the company's commitment form, the buyer's compliance statement (one per
company) and each participant's end-of-mission balance. As for the tender clause, every
value is already formatted the French way, and the models are checked against the
templates and fragments before anything is rendered. The compliance statement's models
hold counts only: nothing in them can name a participant.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from clausegen.documents.contexts import (
    BlockContext,
    BuyerContext,
    CitedFragmentsContext,
    ConsultationContext,
    FacilitatorContext,
    HeadingContext,
    TermsContext,
)


class _Context(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FieldContext(_Context):
    """A labelled value of a form; None leaves a line for the company to fill in."""

    libelle: str = Field(description="libellé du champ (« Raison sociale »)")
    valeur: str | None = Field(description="valeur saisie, ou None : une ligne à compléter")


class ImageContext(_Context):
    """A picture placed in the document (PNG)."""

    png: bytes = Field(
        repr=False, description="l'image PNG, placée telle quelle par {{ graphique }}"
    )
    largeur_cm: int = Field(description="largeur de l'image dans la page, en centimètres")
    description: str = Field(
        description="description textuelle de l'image, son texte de remplacement (alt)"
    )


class HeaderContext(_Context):
    """What every execution document shows in its header and opening lines."""

    acheteur: BuyerContext = Field(description="l'acheteur public")
    facilitateur: FacilitatorContext = Field(description="le facilitateur de la clause")
    consultation: ConsultationContext = Field(description="la consultation")


# --- commitment form --------------------------------------------------------------------------


class CommitmentLotContext(_Context):
    numero: int = Field(description="numéro du lot")
    intitule: str = Field(description="intitulé du lot")
    montant_libelle: str = Field(
        description="« Montant attribué HT » quand l'engagement le donne, sinon « Montant "
        "estimé HT »"
    )
    montant_ht: str = Field(description="montant attribué HT du lot s'il est connu, sinon estimé")
    heures: str = Field(description="heures d'insertion requises (« 2 007 »)")
    etp: str = Field(description="heures requises en équivalents temps plein (« 1,25 »)")


class PlannedModalityContext(_Context):
    libelle: str = Field(description="« Mise à disposition (ETTI) »")
    partenaire: str | None = Field(
        description="structure partenaire (SIAE, GEIQ…), si elle est connue"
    )
    heures: str | None = Field(description="heures prévues, None sur un formulaire vierge")


class CommitmentContext(HeaderContext):
    """What the commitment form's fragments can use."""

    lot: CommitmentLotContext = Field(description="le lot et ses heures requises")
    article_ccap: str | None = Field(description="numéro de l'article du CCAP, s'il est donné")
    termes: TermsContext = Field(
        description="les termes de la clause que tous les documents énoncent à l'identique"
    )
    pre_rempli: bool = Field(description="l'entreprise et son engagement sont connus")
    entreprise: list[FieldContext] = Field(description="identité de l'entreprise, champ par champ")
    heures_engagees: str | None = Field(
        description="heures que l'entreprise s'engage à réaliser (« 2 070 h »)"
    )
    heures_offre: str | None = Field(
        description="heures engagées dans l'offre quand elles constituent l'obligation "
        "(critère d'attribution, engagement supérieur au minimum du lot : « 160 »), sinon None"
    )
    modalites: list[PlannedModalityContext] = Field(
        description="modalités de mise en œuvre prévues"
    )
    postes: list[str] = Field(description="postes envisagés pour les personnes en insertion")
    referent: list[FieldContext] = Field(
        description="référent insertion de l'entreprise, champ par champ"
    )
    tuteur: list[FieldContext] = Field(
        description="tuteur des personnes en insertion, champ par champ"
    )
    signataire: list[FieldContext] = Field(
        description="signataire de l'engagement, champ par champ"
    )
    date_signature: str | None = Field(
        description="date de signature, None sur un formulaire vierge"
    )


class CommitmentDocumentContext(CitedFragmentsContext, CommitmentContext):
    document: HeadingContext = Field(description="titre et nature du document")
    preambule: list[BlockContext] = Field(
        description="paragraphes du préambule (fragment engagement.preambule)"
    )
    engagements: list[BlockContext] = Field(
        description="engagements de l'entreprise (fragment engagement.engagements)"
    )


# --- compliance statement ---------------------------------------------------------------------


class HeadcountContext(_Context):
    libelle: str = Field(description="catégorie comptée (critère, sexe, tranche d'âge, sortie)")
    nombre: str = Field(
        description="nombre de participants dans la catégorie ; « < 5 » sous le seuil de "
        "confidentialité, « s » pour une case masquée afin qu'aucune ne se déduise du total"
    )


class ModalityLineContext(_Context):
    libelle: str = Field(description="modalité de mise en œuvre")
    partenaires: str | None = Field(description="structures partenaires, séparées par des virgules")
    engage: str = Field(description="heures engagées pour cette modalité")
    realise: str = Field(description="heures réalisées pour cette modalité")


class PenaltyLineContext(_Context):
    """One line of a penalty's calculation: what it is, and its figures."""

    libelle: str = Field(description="« Pénalité pour heures non réalisées »")
    calcul: str = Field(description="« 375 h × 60,00 € HT = 22 500,00 € HT »")


class ReportingPeriodContext(_Context):
    """One reporting period of a lot: hours, and the statement due for it."""

    periode: str = Field(description="« mars 2027 » ou « 1er trimestre 2027 »")
    requis_a_date: str = Field(
        description="heures requises à la fin de la période, au prorata des jours d'exécution"
    )
    realise_periode: str = Field(description="heures réalisées pendant la période")
    realise_cumule: str = Field(description="heures réalisées depuis le début de l'exécution")
    echeance: str = Field(description="date limite de l'état de la période (« 10/04/2027 »)")
    reception: str = Field(
        description="date de réception (« 08/04/2027 »), « non reçu », « à venir » ou "
        "« non enregistré »"
    )
    retard: str = Field(description="jours de retard (« 0 », « 24 jours »), ou « non reçu »")


class LotPenaltyContext(_Context):
    """The penalties of a lot: for missing hours at the end of execution, for late
    statements; their cap and what is due."""

    heures_manquantes: str | None = Field(description="heures requises non réalisées")
    par_heure: str | None = Field(description="pénalité par heure manquante (« 60,00 € HT »)")
    calcul: str = Field(description="« 375 h × 60,00 € HT = 22 500,00 € HT »")
    lignes: list[PenaltyLineContext] = Field(
        description="le calcul ligne à ligne : opérandes, formule, résultat"
    )
    parametres: list[str] = Field(
        description="les paramètres datés du calcul, avec leur date, référence et statut"
    )
    jours_retard: str | None = Field(description="jours de retard pénalisés (« 8 jours »)")
    plafond: str | None = Field(description="« 10 % × 468 000,00 € = 46 800,00 € HT »")
    plafonnee: bool = Field(description="le montant a été ramené au plafond")
    montant: str = Field(description="pénalité encourue (« 22 500,00 € HT »)")


class ContractReferenceContext(_Context):
    """The contract a lot was awarded under, as a decision on it cites it."""

    numero: str = Field(description="numéro du marché")
    date_notification: str = Field(description="date de notification du marché")
    montant_ht: str = Field(description="montant attribué HT du lot s'il est connu, sinon estimé")
    montant_estime: bool = Field(
        description="l'engagement ne donne pas le montant attribué : montant estimé du lot"
    )


class EligibilityContext(_Context):
    """The eligibility checks behind a lot's hours (no date of any person)."""

    validees: str | None = Field(
        description="personnes dont le facilitateur a validé l'éligibilité avant de compter "
        "leurs heures (toutes les personnes comptées), None sous le seuil de confidentialité "
        "ou sans personne"
    )
    heures_nominatives: str | None = Field(
        description="heures effectuées par ces personnes, None sous le seuil de "
        "confidentialité ou sans personne"
    )
    heures_montant: str | None = Field(
        description="heures déduites des montants facturés par les structures sous-traitantes "
        "ou cotraitantes, None s'il n'y en a pas"
    )
    modalites_montant: str | None = Field(
        description="les modalités dont les montants sont facturés (« sous-traitance (ESAT) »), "
        "None s'il n'y en a pas"
    )


class DecisionContext(_Context):
    """What the buyer decides on: the penalties this statement computes for the lot."""

    montant: str = Field(description="pénalité calculée (« 22 500,00 € HT »)")
    pluriel: bool = Field(description="deux pénalités : pour heures non réalisées et pour retard")
    nature: str = Field(
        description="« pour heures non réalisées », « pour retard dans les comptes rendus » ou "
        "les deux"
    )


class ComplianceLotContext(_Context):
    """One lot of the company: the figures of the finding."""

    numero: int = Field(description="numéro du lot")
    intitule: str = Field(description="intitulé du lot")
    marche: ContractReferenceContext = Field(description="le marché attribué sur le lot")
    requis: str = Field(description="heures d'insertion requises par la clause")
    engage: str = Field(description="heures engagées par l'entreprise")
    du: str = Field(
        description="heures dues : les heures engagées dans l'offre quand elles constituent "
        "l'obligation (critère d'attribution), sinon les heures requises"
    )
    du_offre: bool = Field(
        description="les heures dues sont celles engagées dans l'offre (critère d'attribution, "
        "engagement supérieur au minimum du lot)"
    )
    realise: str = Field(description="heures réalisées jusqu'à la date d'arrêté")
    ecart: str = Field(description="heures restant à réaliser, « 0 » une fois l'objectif atteint")
    taux: str = Field(description="part des heures dues réalisée (« 66,52 % »)")
    statut: str = Field(description="atteint, en_cours ou insuffisant")
    statut_libelle: str = Field(description="statut en toutes lettres (« objectif atteint »)")
    modalites: list[ModalityLineContext] = Field(
        description="heures engagées et réalisées par modalité"
    )
    participants: str = Field(
        description="nombre de participants ayant travaillé sur le lot ; « < 5 » sous le "
        "seuil de confidentialité, « 0 » sans personne"
    )
    personnes_suivies: bool = Field(
        description="au moins une personne est comptée (sinon, pas de répartition)"
    )
    petit_effectif: bool = Field(
        description="moins de personnes que le seuil de confidentialité, mais au moins une : "
        "ni moyenne, ni répartition chiffrée"
    )
    heures_par_participant: str | None = Field(
        description="heures réalisées par participant, en moyenne ; None sous le seuil de "
        "confidentialité ou sans personne"
    )
    eligibilite: EligibilityContext = Field(description="les validations d'éligibilité")
    par_critere: list[HeadcountContext] = Field(
        description="participants par critère d'éligibilité"
    )
    par_sexe: list[HeadcountContext] = Field(description="participants par sexe")
    par_tranche_age: list[HeadcountContext] = Field(description="participants par tranche d'âge")
    sorties: list[HeadcountContext] = Field(
        description="situation des participants à la date d'arrêté : sortis, par classe de "
        "sortie ; contrat terminé sans sortie renseignée ; encore en parcours"
    )
    masque: bool = Field(
        description="une case au moins est masquée (« s ») pour qu'aucune ne se déduise du total"
    )
    penalite_prevue: bool = Field(description="la clause fixe une pénalité par heure manquante")
    penalite: LotPenaltyContext | None = Field(description="les pénalités encourues, s'il y en a")
    periodes: list[ReportingPeriodContext] = Field(
        description="les périodes de compte rendu commencées à la date d'arrêté"
    )
    comptes_rendus_enregistres: bool = Field(
        description="les comptes rendus reçus ont été enregistrés (sinon, pas de retard constaté)"
    )
    mises_en_demeure: list[str] = Field(
        description="chaque mise en demeure et ses jours de retard pénalisables, en une phrase"
    )
    plafond_cdi: str | None = Field(
        description="le plafond des heures d'une embauche en CDI, quand il a servi au décompte"
    )
    decision: DecisionContext | None = Field(
        description="la pénalité sur laquelle l'acheteur décide, None s'il n'y en a pas"
    )


class PeriodContext(_Context):
    debut: str = Field(description="début d'exécution du marché")
    fin: str = Field(description="fin d'exécution prévue")
    arrete_au: str = Field(description="date jusqu'à laquelle les heures sont comptées")
    execution_terminee: bool = Field(description="l'exécution est terminée à la date d'arrêté")
    arrete_demande: str | None = Field(
        default=None,
        description="date d'arrêté demandée, quand le registre des heures s'arrête avant elle "
        "et avant la fin de l'exécution (les heures sont alors arrêtées à son dernier mois)",
    )
    dernier_mois_registre: str | None = Field(
        default=None,
        description="dernier mois du registre des heures (« décembre 2027 »), quand il "
        "s'arrête avant la date d'arrêté demandée",
    )
    constat_non_etabli: bool = Field(
        default=False,
        description="la date demandée atteint la fin de l'exécution mais le registre s'arrête "
        "avant : le bilan de fin de marché n'est pas établi",
    )


class FindingContext(_Context):
    """What the finding fragment of one lot can use."""

    entreprise: str = Field(description="raison sociale de l'entreprise")
    acheteur: BuyerContext = Field(description="l'acheteur public, qui constate et décide")
    article_ccap: str | None = Field(description="numéro de l'article du CCAP, s'il est donné")
    arrete_au: str = Field(description="date d'arrêté des heures (« 30 juin 2028 »)")
    execution_terminee: bool = Field(description="l'exécution est terminée à la date d'arrêté")
    periode: PeriodContext = Field(
        description="la période d'exécution, la date d'arrêté et le registre des heures"
    )
    lot: ComplianceLotContext = Field(description="le lot constaté et ses chiffres")


class LotFindingContext(ComplianceLotContext):
    constat: list[BlockContext] = Field(
        description="le résultat rédigé du lot (fragment conformite.constat)"
    )
    eligibilite_texte: list[BlockContext] = Field(
        description="les validations d'éligibilité rédigées (fragment conformite.eligibilite)"
    )
    decision_acheteur: list[BlockContext] = Field(
        description="le constat de l'acheteur et sa décision sur le lot (fragment "
        "conformite.decision)"
    )


class CompanyContext(_Context):
    raison_sociale: str = Field(description="raison sociale de l'entreprise titulaire")
    siret: str = Field(description="SIRET formaté de l'entreprise")
    adresse: str | None = Field(description="adresse de l'entreprise, si elle est donnée")


class ConfidentialityContext(_Context):
    seuil: str = Field(
        description="effectif minimal d'une case publiée (paramètre "
        "confidentialite.effectif_minimum, « 5 »)"
    )


class ComplianceContext(HeaderContext):
    """What the compliance statement's fragments can use."""

    entreprise: CompanyContext = Field(description="l'entreprise titulaire")
    considerations_sociales: str = Field(
        description="considérations sociales que le marché déclare dans ses données "
        "essentielles (DECP), « Clause sociale, Critère social »"
    )
    confidentialite: ConfidentialityContext = Field(
        description="la règle de confidentialité des effectifs"
    )
    periode: PeriodContext = Field(description="la période d'exécution et la date d'arrêté")
    article_ccap: str | None = Field(description="numéro de l'article du CCAP, s'il est donné")
    termes: TermsContext = Field(
        description="les termes de la clause que tous les documents énoncent à l'identique"
    )


class ComplianceDocumentContext(CitedFragmentsContext, ComplianceContext):
    document: HeadingContext = Field(
        description="titre et nature : « Attestation de réalisation… » quand l'objectif de "
        "chaque lot est atteint, sinon « Constat d'exécution… »"
    )
    lots: list[LotFindingContext] = Field(description="les lots de l'entreprise, avec leur constat")
    graphique: ImageContext = Field(
        description="graphique des heures requises et réalisées par lot"
    )
    objet: list[BlockContext] = Field(
        description="objet de l'attestation (fragment conformite.objet)"
    )
    methode: list[BlockContext] = Field(
        description="méthode de décompte (fragment conformite.methode)"
    )


# --- participant's balance --------------------------------------------------------------------


class ParticipantContext(_Context):
    identifiant: str = Field(description="identifiant du participant dans le suivi")
    nom_complet: str = Field(description="prénom et nom")
    date_naissance: str = Field(description="date de naissance")
    criteres: list[str] = Field(description="critères d'éligibilité, en toutes lettres")
    date_validation: str = Field(description="date de validation de l'éligibilité")
    prescripteur: str | None = Field(description="prescripteur de l'éligibilité, s'il est donné")


class ContractContext(_Context):
    employeur: str = Field(description="employeur (entreprise ou structure d'insertion)")
    type: str = Field(description="type de contrat en toutes lettres")
    debut: str = Field(description="début du contrat")
    fin: str | None = Field(description="fin du contrat, None s'il est à durée indéterminée")
    heures_hebdomadaires: str | None = Field(
        description="durée hebdomadaire du contrat (« 35 h par semaine »), si elle est donnée"
    )


class MonthContext(_Context):
    mois: str = Field(description="« mars 2027 »")
    lot: str = Field(description="lot sur lequel les heures ont été faites")
    entreprise: str = Field(description="entreprise titulaire du lot")
    modalite: str = Field(description="modalité de mise en œuvre")
    heures: str = Field(description="heures réalisées ce mois (« 70 h »)")


class TrainingContext(_Context):
    intitule: str = Field(description="intitulé de la formation")
    heures: str = Field(description="durée de la formation (« 14 h »)")
    organisme: str | None = Field(description="organisme de formation, s'il est donné")
    date: str | None = Field(description="date de la formation, si elle est donnée")


class EvaluationContext(_Context):
    """A savoir-être or savoir-faire and its level at the start and at the end."""

    intitule: str = Field(description="le savoir-être ou savoir-faire évalué")
    debut: str = Field(
        description="niveau à l'entrée (« Acquis », « En cours d’acquisition », « Non "
        "acquis ») ou « Non renseigné »"
    )
    fin: str = Field(description="niveau à la sortie, ou à la date d'arrêté, ou « Non renseigné »")


class AppreciationContext(_Context):
    """What one of the people who followed the participant says of the pathway."""

    auteur: str = Field(
        description="« Le tuteur – Marc Esteve », « L’encadrement de l’entreprise » (pas de "
        "tuteur désigné), « La facilitatrice – … »"
    )
    texte: str | None = Field(description="l'appréciation, None si elle n'est pas renseignée")


class ExitContext(_Context):
    libelle: str = Field(description="type de sortie en toutes lettres")
    classe: str = Field(description="classe de sortie (« Emploi durable »…)")
    date: str = Field(description="date de sortie")
    precision: str | None = Field(description="précision sur la sortie, si elle est donnée")


class SituationContext(_Context):
    """The outcome as the balance states it: the recorded exit, or the situation on the
    closing date (still in the pathway, or an exit not yet recorded)."""

    date_libelle: str = Field(description="« Date de sortie » ou « Date d’arrêté »")
    date: str = Field(description="date de sortie, ou date d'arrêté du bilan")
    libelle: str = Field(description="type de sortie, « En parcours » ou « Sortie non renseignée »")
    classe: str = Field(description="classe de sortie IAE, ou pourquoi il n'y en a pas")
    precision: str | None = Field(description="précision sur la sortie ou sur le contrat")


class NextStepContext(_Context):
    """One next step of the pathway (suite de parcours)."""

    type: str = Field(
        description="« Formation », « Embauche », « Orientation vers une autre "
        "structure », « Accompagnement vers l’emploi »"
    )
    intitule: str = Field(description="la formation, l'emploi, la structure ou l'accompagnement")
    structure: str | None = Field(description="l'organisme, l'employeur ou la structure")
    date: str = Field(description="date à laquelle l'étape commence ou est prévue")


class BalanceContext(HeaderContext):
    """What the balance's fragments can use."""

    participant: ParticipantContext = Field(description="le participant")
    arrete_au: str = Field(description="date d'arrêté du bilan (« 30 juin 2028 »)")
    contrat: ContractContext = Field(description="son contrat de travail")
    poste: str = Field(description="intitulé du poste occupé")
    code_rome: str | None = Field(description="code ROME du poste, s'il est donné")
    tuteur: str | None = Field(
        description="tuteur : celui du participant, sinon celui de l'engagement de "
        "l'entreprise qui l'embauche directement (« Marc Esteve (Chef de chantier), selon "
        "l’engagement du lot 1 »), « Non désigné : … » pour une personne mise à disposition"
    )
    referent: str | None = Field(
        description="référent de l'entreprise : celui du participant, sinon celui de "
        "l'engagement de l'entreprise"
    )
    referent_libelle: str = Field(
        description="« Référent de l’entreprise », ou, pour une personne mise à disposition, "
        "« Référent insertion de l’entreprise utilisatrice (Bâti Sud Construction) »"
    )
    modalites: list[str] = Field(description="modalités de mise en œuvre de ses heures")
    missions: list[str] = Field(description="missions confiées")
    heures: list[MonthContext] = Field(description="ses heures, mois par mois")
    total_heures: str = Field(description="total de ses heures (« 460 h »)")
    premier_mois: str | None = Field(description="premier mois travaillé, None sans heures")
    dernier_mois: str | None = Field(description="dernier mois travaillé, None sans heures")
    periode_heures: str | None = Field(
        description="« de janvier 2027 à juillet 2027 », « d’octobre 2027 à décembre 2027 », "
        "« en mars 2027 » ; None sans heures"
    )
    formations: list[TrainingContext] = Field(description="formations suivies")
    evaluation_fin: str = Field(
        description="en-tête de la colonne du niveau final : « À la sortie » ou « Au 30 juin 2028 »"
    )
    savoir_etre: list[EvaluationContext] = Field(description="savoir-être et leur progression")
    savoir_faire: list[EvaluationContext] = Field(description="savoir-faire et leur progression")
    appreciations: list[AppreciationContext] = Field(
        description="appréciations du tuteur, du référent de l'entreprise et du facilitateur"
    )
    sortie: ExitContext | None = Field(description="sa sortie, None s'il est encore en parcours")
    situation: SituationContext = Field(
        description="sa situation : la sortie, ou sa situation à la date d'arrêté"
    )
    suite_parcours: list[NextStepContext] = Field(description="suite de parcours, datée")
    observations: str | None = Field(description="observations du facilitateur")


class BalanceDocumentContext(CitedFragmentsContext, BalanceContext):
    document: HeadingContext = Field(description="titre et nature du document")
    confidentialite: list[BlockContext] = Field(
        description="mention de confidentialité (fragment bilan.confidentialite)"
    )
