"""What a tender-clause fragment or template can use: the context models, display-ready.

Every value a document prints is already formatted the French way (``1 250 000,00 €``,
``15 septembre 2026``) so that templates never format and a buyer restyling a template
only moves text around. Booleans and codes (``clause.dispositif``) drive the fragments'
conditions. The models are the contract between compose and the templates: the
variables a template uses are checked against them before rendering
(``clausegen.law.template_variables``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Context(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BuyerContext(_Context):
    nom: str = Field(description="nom de l'acheteur, tel que saisi")
    nom_article: str = Field(
        description="le nom précédé de son article (« la Ville de Carcassonne », "
        "« Montpellier Méditerranée Métropole » pour un nom propre)"
    )
    de_nom: str = Field(
        description="« de la Ville de Carcassonne », « du Département… », « de l’Office… »"
    )
    a_nom: str = Field(description="« à la Ville de Carcassonne », « au Département… »")
    siret: str = Field(description="SIRET formaté (« 211 100 698 00011 »)")
    type: str = Field(description="catégorie d'acheteur en toutes lettres")


class FacilitatorContext(_Context):
    nom: str = Field(description="nom du facilitateur ou de la facilitatrice")
    civilite: str | None = Field(
        description="« Madame » ou « Monsieur », ou None si elle n'est pas déclarée"
    )
    fonction: str = Field(
        description="« facilitatrice de la clause sociale » ou « facilitateur de la clause "
        "sociale » selon la civilité (masculin sans civilité déclarée)"
    )
    titre: str = Field(description="« La facilitatrice » ou « Le facilitateur », pour un libellé")
    structure: str = Field(description="structure qui porte la mission de facilitation")
    structure_article: str = Field(
        description="la structure précédée de son article (« la Maison de l’emploi… »)"
    )
    de_structure: str = Field(
        description="« de la Maison de l’emploi… », « du PLIE… », « de l’Office… »"
    )
    a_structure: str = Field(description="« à la Maison de l’emploi… », « au PLIE… »")
    email: str = Field(description="adresse électronique du facilitateur")
    telephone: str | None = Field(description="téléphone, ou None s'il n'est pas donné")


class ConsultationContext(_Context):
    reference: str = Field(description="référence de la consultation, telle que saisie")
    objet: str = Field(description="objet de la consultation")
    procedure: str = Field(description="procédure en toutes lettres")
    type_marche: str = Field(description="« travaux », « fournitures » ou « services »")
    date_lancement: str = Field(description="date de lancement (« 15 septembre 2026 »)")
    duree_mois: int = Field(description="durée du marché, en mois")
    ccag: str | None = Field(description="« CCAG-Travaux »…, ou None sans CCAG")
    anru: bool = Field(description="opération financée par l'ANRU (NPNRU)")


class DerogationContext(_Context):
    code: str = Field(description="code de la dérogation (« difficulte_execution »)")
    libelle: str = Field(
        description="le cas de dérogation, rédigé pour suivre « dérogation prévue à … : »"
    )
    fondement: str = Field(
        description="fondement légal, après « prévue à » (« l'article L2112-2-1 du code "
        "de la commande publique »)"
    )


class PactContext(_Context):
    """The figures a lot sized by the PACT Propreté was sized with, so that a bidder can
    check its hours (P × A ÷ C × T, P = 1 − (S × C) ÷ (A ÷ N), A being ``montant_ht``)."""

    reprise: str = Field(
        description="heures mensuelles du personnel repris, S (« 600 h par mois »)"
    )
    duree: str = Field(description="durée du marché, N (« 48 mois »)")
    coefficient: str = Field(
        description="chiffre d'affaires d'une heure travaillée retenu par la branche, C "
        "(« 25,00 € »)"
    )
    taux: str = Field(description="taux d'insertion, T (« 5 % »)")


class ConversionContext(_Context):
    """The figures that convert a lot's subcontracting or co-contracting amount into hours
    (amount × labour share ÷ hourly cost), printed in the lot table so that a bidder can
    apply the rule; the reconciliation converts with the same figures."""

    part_main_oeuvre: str = Field(description="part de main-d'œuvre (« 40 % »)")
    cout_horaire: str = Field(description="coût horaire (« 30,00 € »)")


class LotContext(_Context):
    numero: int = Field(description="numéro du lot")
    intitule: str = Field(description="intitulé du lot")
    cpv: str = Field(description="code CPV principal du lot (« 45262500-6 »)")
    montant_ht: str = Field(description="montant estimé HT (« 2 150 000,00 € »)")
    heures: str = Field(description="heures d'insertion arrondies (« 2 007 »)")
    etp: str = Field(description="équivalents temps plein (« 1,25 »)")
    taux: str | None = Field(description="taux d'insertion retenu (« 8 % »), s'il y en a un")
    taux_au_dessus_du_plancher: bool = Field(
        description="le taux retenu dépasse le plancher de la charte ANRU"
    )
    part_main_oeuvre: str | None = Field(
        description="part de main-d'œuvre retenue (« 45 % »), si la méthode l'utilise"
    )
    part_main_oeuvre_indicative: bool = Field(
        description="la part de main-d'œuvre vient du barème indicatif par métier"
    )
    retenu: bool = Field(description="le lot porte la clause")
    motif_exclusion: str | None = Field(
        description="pourquoi le lot ne porte pas la clause : choix_acheteur, "
        "heures_insuffisantes, montant_insuffisant, pact_sous_minimum ou reprise_excedentaire"
    )
    seuil_exclusion: str | None = Field(
        description="le minimum sous lequel le calibrage exclut le lot (« 150 heures », "
        "« 50 000,00 € HT »)"
    )
    justification: str | None = Field(
        description="justification de l'acheteur, en phrase terminée par un point"
    )
    derogation: DerogationContext | None = Field(
        description="la dérogation à l'article L2112-2-1 qui couvre le lot exclu, quand "
        "l'obligation s'impose à la consultation"
    )
    pact: PactContext | None = Field(
        default=None,
        description="les données du calcul PACT Propreté, pour un lot dimensionné ainsi",
    )
    conversion: ConversionContext | None = Field(
        default=None,
        description="part de main-d'œuvre et coût horaire qui convertissent en heures un "
        "montant de sous-traitance ou de cotraitance, pour un lot qui porte la clause",
    )


class TotalsContext(_Context):
    libelle: str = Field(
        description="« Total », ou « Total des lots concernés » quand un lot est exclu"
    )
    heures: str = Field(description="total des heures d'insertion des lots retenus")
    etp: str = Field(description="total en équivalents temps plein")
    definition_etp: str = Field(
        description="ce qu'est un ETP, avec la base du paramètre (« ETP : heures rapportées "
        "à 1 607 heures, durée annuelle d’un temps plein… »)"
    )
    montant_ht: str = Field(description="montant estimé HT des lots retenus")
    lots_retenus: int = Field(description="nombre de lots qui portent la clause")


class PenaltyContext(_Context):
    par_heure: str | None = Field(description="« 60,00 € HT » ou « 2 fois le SMIC horaire brut… »")
    par_jour_retard: str | None = Field(
        description="pénalité par jour de retard dans la remise des justificatifs"
    )
    plafond: str | None = Field(description="plafond en part du montant HT (« 10 % »)")


class ReportingTermsContext(_Context):
    """The contractor's statements of hours as the clause stipulates them."""

    periodicite: str = Field(description="mensuelle ou trimestrielle")
    jour_limite: str = Field(
        description="le jour du mois suivant la période où l'état est dû, en toutes lettres "
        "(« dixième »)"
    )
    delai_mise_en_demeure: str = Field(
        description="délai laissé par la mise en demeure, en toutes lettres (« huit jours »)"
    )
    etat: str = Field(description="l'état périodique des heures (« l’état mensuel des heures »)")


class TermsContext(_Context):
    """The clause's terms that several documents of one consultation state: the shared
    fragments (``legal_fragments/fragments/clause.yaml``) are written for this context only, so
    the CCAP, the RC, the commitment forms and the compliance statements word them alike."""

    dispositif: str = Field(
        description="condition_execution, critere_attribution ou marche_reserve"
    )
    travaux: bool = Field(
        description="marché de travaux (un chantier), sinon services ou fournitures"
    )
    penalite: PenaltyContext = Field(description="pénalités prévues pour inexécution de la clause")
    comptes_rendus: ReportingTermsContext = Field(
        description="les comptes rendus périodiques des heures : périodicité, échéance, "
        "mise en demeure"
    )
    structures_mise_a_disposition: str = Field(
        description="les structures qui mettent du personnel à disposition, en toutes lettres"
    )
    structures_prestation: str = Field(
        description="les structures de sous-traitance ou de cotraitance, en toutes lettres"
    )
    sur_la_fiche: bool = Field(
        default=False,
        description="texte lu sur la fiche d'engagement d'un lot : il parle de « la présente "
        "fiche » et de son lot, non de chaque lot",
    )


class ClauseContext(_Context):
    dispositif: str = Field(
        description="condition_execution, critere_attribution ou marche_reserve"
    )
    ponderation: str | None = Field(description="poids du critère d'attribution (« 10 % »)")
    beneficiaires: str | None = Field(description="ea_esat, siae ou ea_esat_siae (marché réservé)")
    heures_minimum: str | None = Field(description="seuil d'heures de l'acheteur, s'il en fixe un")
    arrondi: str = Field(description="règle d'arrondi des heures, en toutes lettres")
    methodes: list[str] = Field(description="méthodes de dimensionnement des lots retenus")
    article_ccap: str | None = Field(description="numéro de l'article du CCAP, s'il est donné")
    plancher_anru: str | None = Field(
        description="taux plancher de la charte ANRU (« 5 % »), pour une opération ANRU"
    )
    plafond_heures_cdi: str = Field(
        description="heures comptées au plus pour une embauche en CDI (« 1 607 heures »)"
    )


class ObligationContext(_Context):
    applicable: bool = Field(
        description="l'article L2112-2-1 est en vigueur à la date de lancement"
    )
    seuil_atteint: bool = Field(description="la valeur estimée atteint le seuil européen")
    seuil: str | None = Field(description="seuil européen applicable (« 5 404 000,00 € »)")
    valeur_estimee: str = Field(
        description="valeur estimée du marché, tous lots (« 5 760 000,00 € »)"
    )


class TenderContext(_Context):
    """What every tender-clause fragment can use."""

    acheteur: BuyerContext = Field(description="l'acheteur public")
    facilitateur: FacilitatorContext = Field(description="le facilitateur de la clause")
    consultation: ConsultationContext = Field(description="la consultation")
    clause: ClauseContext = Field(description="la clause sociale telle que paramétrée")
    termes: TermsContext = Field(
        description="les termes de la clause que tous les documents énoncent à l'identique"
    )
    lots: list[LotContext] = Field(description="tous les lots, dans l'ordre")
    lots_retenus: list[LotContext] = Field(description="les lots qui portent la clause")
    lots_exclus: list[LotContext] = Field(description="les lots sans clause, avec leur motif")
    totaux: TotalsContext = Field(description="totaux des lots retenus")
    obligation: ObligationContext = Field(
        description="l'obligation de l'article L2112-2-1 à la date de lancement"
    )


class BlockContext(_Context):
    """One paragraph of a fragment: body text, or an item of a bulleted list."""

    texte: str = Field(description="texte du paragraphe, déjà rédigé")
    liste: bool = Field(description="élément de liste à puces")
    avec_suivant: bool = Field(
        default=False,
        description="à garder sur la page du paragraphe suivant : il annonce une liste",
    )


class SectionContext(_Context):
    """One numbered part of a document, made of one fragment."""

    numero: str | None = Field(
        description="« 7.1 » sous l'article 7 ; None sans numéro d'article (titre non numéroté)"
    )
    titre: str = Field(description="titre de la section")
    blocs: list[BlockContext] = Field(description="paragraphes et éléments de liste de la section")
    tableau_heures: bool = Field(description="la section est suivie du tableau des heures")


class HeadingContext(_Context):
    titre: str = Field(description="titre du document (« Article 7 – Clause sociale d'insertion »)")
    nature: str = Field(
        description="nature du document (« Règlement de la consultation », « Bilan… »)"
    )


class CitedFragmentsContext(_Context):
    """What every document template can use besides its document: fragments cited by id."""

    fragments: dict[str, list[BlockContext]] = Field(
        default_factory=dict,
        description='fragments cités par le modèle, par identifiant : fragments["ccap.publics"]',
    )


class TenderDocumentContext(CitedFragmentsContext, TenderContext):
    """What the CCAP and RC templates can use: the fragments' context plus the sections."""

    document: HeadingContext = Field(description="titre et nature du document")
    sections: list[SectionContext] = Field(
        description="sections numérotées du document, dans l'ordre"
    )
