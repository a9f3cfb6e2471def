"""The form's lists: each value of the operation file with its French label."""

from __future__ import annotations

import functools

from clausegen.law.parameters import load_parameters

ACHETEUR_TYPES = (
    ("collectivite", "Collectivité territoriale ou son établissement"),
    ("etat", "État ou établissement public de l’État"),
    ("entite_adjudicatrice", "Entité adjudicatrice (réseaux)"),
)
CIVILITES = (("", "Non précisée"), ("madame", "Madame"), ("monsieur", "Monsieur"))
PROCEDURES = (
    ("appel_offres_ouvert", "Appel d’offres ouvert"),
    ("appel_offres_restreint", "Appel d’offres restreint"),
    ("procedure_adaptee", "Procédure adaptée (MAPA)"),
    ("procedure_avec_negociation", "Procédure avec négociation"),
    ("dialogue_competitif", "Dialogue compétitif"),
)
TYPES_MARCHE = (
    ("travaux", "Travaux"),
    ("fournitures", "Fournitures"),
    ("services", "Services"),
)
CCAGS = (
    ("travaux", "CCAG Travaux"),
    ("fcs", "CCAG Fournitures courantes et services"),
    ("pi", "CCAG Prestations intellectuelles"),
    ("tic", "CCAG Techniques de l’information et de la communication"),
    ("mi", "CCAG Marchés industriels"),
    ("moe", "CCAG Maîtrise d’œuvre"),
    ("aucun", "Aucun CCAG"),
)
DISPOSITIFS = (
    ("condition_execution", "Condition d’exécution (heures d’insertion)"),
    ("critere_attribution", "Critère d’attribution"),
    ("marche_reserve", "Marché réservé"),
)
METHODES = (
    ("part_main_oeuvre", "Part de main-d’œuvre"),
    ("heures_par_montant", "Heures par montant"),
    ("tranches", "Tranches de montant"),
    ("pact_proprete", "PACT Propreté"),
    ("anru", "Charte ANRU"),
)
"""Sizing methods; some take settings the form keeps in the complements."""


@functools.cache
def metiers() -> tuple[str, ...]:
    """The trades whose labour share the dated parameters know (``part_main_oeuvre.*``)."""
    return tuple(load_parameters().ids_under("part_main_oeuvre"))
