"""What a tender-clause fragment or template can use: the context models, display-ready.

Every value a document prints is already formatted the French way (``1 250 000,00 €``,
``15 septembre 2026``) so that templates never format and a buyer restyling a template
only moves text around. Booleans and codes (``clause.dispositif``) drive the fragments'
conditions. The models are the contract between compose and the templates: the
variables a template uses are checked against them before rendering
(``clausegen.template_variables``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Context(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AcheteurContexte(_Context):
    nom: str = Field(description="nom de l'acheteur, tel que saisi")
    siret: str = Field(description="SIRET formaté (« 211 100 698 00011 »)")
    type: str = Field(description="catégorie d'acheteur en toutes lettres")


class FacilitateurContexte(_Context):
    nom: str
    structure: str
    email: str
    telephone: str | None = Field(description="téléphone, ou None s'il n'est pas donné")


class ConsultationContexte(_Context):
    reference: str
    objet: str
    procedure: str = Field(description="procédure en toutes lettres")
    type_marche: str = Field(description="« travaux », « fournitures » ou « services »")
    date_lancement: str = Field(description="date de lancement (« 15 septembre 2026 »)")
    duree_mois: int
    ccag: str | None = Field(description="« CCAG-Travaux »…, ou None sans CCAG")
    anru: bool = Field(description="opération financée par l'ANRU (NPNRU)")


class LotContexte(_Context):
    numero: int
    intitule: str
    cpv: str
    montant_ht: str = Field(description="montant estimé HT (« 2 150 000,00 € »)")
    heures: str = Field(description="heures d'insertion arrondies (« 2 007 »)")
    etp: str = Field(description="équivalents temps plein (« 1,25 »)")
    retenu: bool = Field(description="le lot porte la clause")
    motif_exclusion: str | None = Field(description="pourquoi le lot ne porte pas la clause")


class TotauxContexte(_Context):
    heures: str
    etp: str
    montant_ht: str
    lots_retenus: int


class PenaliteContexte(_Context):
    par_heure: str | None = Field(description="« 60,00 € HT » ou « 2 fois le SMIC horaire brut… »")
    par_jour_retard: str | None
    plafond: str | None = Field(description="plafond en part du montant HT (« 10 % »)")


class ClauseContexte(_Context):
    dispositif: str = Field(
        description="condition_execution, critere_attribution ou marche_reserve"
    )
    ponderation: str | None = Field(description="poids du critère d'attribution (« 10 % »)")
    beneficiaires: str | None = Field(description="ea_esat, siae ou ea_esat_siae (marché réservé)")
    heures_minimum: str | None = Field(description="seuil d'heures de l'acheteur, s'il en fixe un")
    arrondi: str = Field(description="règle d'arrondi des heures, en toutes lettres")
    methodes: list[str] = Field(description="méthodes de dimensionnement des lots retenus")
    article_ccap: str | None = Field(description="numéro de l'article du CCAP, s'il est donné")
    penalite: PenaliteContexte


class ObligationContexte(_Context):
    applicable: bool = Field(
        description="l'article L2112-2-1 est en vigueur à la date de lancement"
    )
    seuil_atteint: bool = Field(description="la valeur estimée atteint le seuil européen")
    seuil: str | None = Field(description="seuil européen applicable (« 5 404 000,00 € »)")
    valeur_estimee: str


class AppelOffresContexte(_Context):
    """What every tender-clause fragment can use."""

    acheteur: AcheteurContexte
    facilitateur: FacilitateurContexte
    consultation: ConsultationContexte
    clause: ClauseContexte
    lots: list[LotContexte] = Field(description="tous les lots, dans l'ordre")
    lots_retenus: list[LotContexte] = Field(description="les lots qui portent la clause")
    lots_exclus: list[LotContexte] = Field(description="les lots sans clause, avec leur motif")
    totaux: TotauxContexte
    obligation: ObligationContexte


class BlocContexte(_Context):
    """One paragraph of a fragment: body text, or an item of a bulleted list."""

    texte: str
    liste: bool = Field(description="élément de liste à puces")


class SectionContexte(_Context):
    """One numbered part of a document, made of one fragment."""

    numero: str = Field(description="« 7.1 », ou « 1 » sans numéro d'article")
    titre: str
    blocs: list[BlocContexte]
    tableau_heures: bool = Field(description="la section est suivie du tableau des heures")


class DocumentContexte(_Context):
    titre: str = Field(description="titre de l'article (« Article 7 – Clause sociale… »)")
    nature: str = Field(description="« CCAP » ou « Règlement de la consultation »")


class DocumentAppelOffresContexte(AppelOffresContexte):
    """What the CCAP and RC templates can use: the fragments' context plus the sections."""

    document: DocumentContexte
    sections: list[SectionContexte]
