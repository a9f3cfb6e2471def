"""What the execution documents' templates and fragments can use, display-ready.

Three documents: the company's commitment form, the buyer's compliance statement (one per
company) and each participant's end-of-mission balance. As for the tender clause, every
value is already formatted the French way, and the models are checked against the
templates and fragments before anything is rendered. The compliance statement's models
hold counts only: nothing in them can name a participant.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from clausegen.contexts import (
    AcheteurContexte,
    BlocContexte,
    ConsultationContexte,
    DocumentContexte,
    FacilitateurContexte,
    PenaliteContexte,
)


class _Context(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ChampContexte(_Context):
    """A labelled value of a form; None leaves a line for the company to fill in."""

    libelle: str
    valeur: str | None


class ImageContexte(_Context):
    """A picture placed in the document (PNG)."""

    png: bytes = Field(repr=False)
    largeur_cm: int
    description: str


class EnteteContexte(_Context):
    """What every execution document shows in its header and opening lines."""

    acheteur: AcheteurContexte
    facilitateur: FacilitateurContexte
    consultation: ConsultationContexte


# --- commitment form --------------------------------------------------------------------------


class LotEngagementContexte(_Context):
    numero: int
    intitule: str
    montant_ht: str = Field(description="montant estimé HT du lot")
    heures: str = Field(description="heures d'insertion requises (« 2 007 »)")
    etp: str


class ModalitePrevueContexte(_Context):
    libelle: str = Field(description="« Mise à disposition (ETTI) »")
    partenaire: str | None
    heures: str | None = Field(description="heures prévues, None sur un formulaire vierge")


class EngagementContexte(EnteteContexte):
    """What the commitment form's fragments can use."""

    lot: LotEngagementContexte
    article_ccap: str | None
    penalite: PenaliteContexte
    pre_rempli: bool = Field(description="l'entreprise et son engagement sont connus")
    entreprise: list[ChampContexte]
    heures_engagees: str | None
    modalites: list[ModalitePrevueContexte]
    postes: list[str]
    referent: list[ChampContexte]
    tuteur: list[ChampContexte]
    signataire: list[ChampContexte]
    date_signature: str | None


class DocumentEngagementContexte(EngagementContexte):
    document: DocumentContexte
    preambule: list[BlocContexte]
    engagements: list[BlocContexte]


# --- compliance statement ---------------------------------------------------------------------


class EffectifContexte(_Context):
    libelle: str
    nombre: int


class LigneModaliteContexte(_Context):
    libelle: str
    partenaires: str | None
    engage: str
    realise: str


class PenaliteLotContexte(_Context):
    """The penalty of a lot short of its hours at the end of execution."""

    heures_manquantes: str
    par_heure: str
    calcul: str = Field(description="« 375 h × 60,00 € HT = 22 500,00 € HT »")
    plafond: str | None = Field(description="« 10 % × 468 000,00 € = 46 800,00 € HT »")
    plafonnee: bool
    montant: str


class LotConformiteContexte(_Context):
    """One lot of the company: the figures of the finding."""

    numero: int
    intitule: str
    requis: str
    engage: str
    realise: str
    ecart: str = Field(description="heures restant à réaliser, « 0 » une fois l'objectif atteint")
    taux: str = Field(description="part des heures requises réalisée (« 66,52 % »)")
    statut: str = Field(description="atteint, en_cours ou insuffisant")
    statut_libelle: str
    modalites: list[LigneModaliteContexte]
    participants: int
    heures_par_participant: str | None
    par_critere: list[EffectifContexte]
    par_sexe: list[EffectifContexte]
    par_tranche_age: list[EffectifContexte]
    sorties: list[EffectifContexte]
    en_parcours: int
    penalite_prevue: bool = Field(description="la clause fixe une pénalité par heure manquante")
    penalite: PenaliteLotContexte | None = Field(description="la pénalité encourue, s'il y en a")


class ConstatContexte(_Context):
    """What the finding fragment of one lot can use."""

    entreprise: str
    article_ccap: str | None
    arrete_au: str
    execution_terminee: bool
    lot: LotConformiteContexte


class LotConstateContexte(LotConformiteContexte):
    constat: list[BlocContexte]


class PeriodeContexte(_Context):
    debut: str
    fin: str
    arrete_au: str
    execution_terminee: bool


class EntrepriseContexte(_Context):
    raison_sociale: str
    siret: str
    adresse: str | None


class ConformiteContexte(EnteteContexte):
    """What the compliance statement's fragments can use."""

    entreprise: EntrepriseContexte
    periode: PeriodeContexte
    article_ccap: str | None


class DocumentConformiteContexte(ConformiteContexte):
    document: DocumentContexte
    lots: list[LotConstateContexte]
    graphique: ImageContexte
    objet: list[BlocContexte]
    methode: list[BlocContexte]


# --- participant's balance --------------------------------------------------------------------


class ParticipantContexte(_Context):
    identifiant: str
    nom_complet: str
    date_naissance: str
    criteres: list[str]
    date_validation: str
    prescripteur: str | None


class ContratContexte(_Context):
    employeur: str
    type: str
    debut: str
    fin: str | None
    heures_hebdomadaires: str | None


class MoisContexte(_Context):
    mois: str = Field(description="« mars 2027 »")
    lot: str
    entreprise: str
    modalite: str
    heures: str


class FormationContexte(_Context):
    intitule: str
    heures: str
    organisme: str | None
    date: str | None


class SortieContexte(_Context):
    libelle: str
    classe: str
    date: str
    precision: str | None


class BilanContexte(EnteteContexte):
    """What the balance's fragments can use."""

    participant: ParticipantContexte
    contrat: ContratContexte
    poste: str
    code_rome: str | None
    tuteur: str | None
    modalites: list[str]
    heures: list[MoisContexte]
    total_heures: str
    premier_mois: str | None = Field(description="premier mois travaillé, None sans heures")
    dernier_mois: str | None
    formations: list[FormationContexte]
    competences: list[str]
    sortie: SortieContexte | None
    observations: str | None


class DocumentBilanContexte(BilanContexte):
    document: DocumentContexte
    confidentialite: list[BlocContexte]
