"""The web form's error messages: in French, in the form's own terms, by the error's kind.

The API and the CLI say what is wrong in the operation file's terms (``must be a fraction
between 0 and 1 … write 7 % as 0.07``); the form shows the same problem next to the input
where the buyer typed the value, so it speaks of what was typed there, as typed (a rate in
percent, an amount with French separators). The check itself stays the model's: this
catalogue only words, by ``Problem.kind``, a problem the model found. A kind it does not
word keeps the CLI's message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation

from clausegen.documents.formatting import number, typographie
from clausegen.errors import Problem
from clausegen.service.web.form import PERCENT_FIELDS

Wording = Callable[[str, Mapping[str, object], bool], str]
"""What the user typed, the kind's values, whether the input is a percent → the message."""


def _bound(value: object, percent: bool) -> str:
    """A bound of the model (a fraction for a rate) as the input shows it."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"{number(amount * 100 if percent else amount, 2, exact=True)}{' %' if percent else ''}"


def _not_a_number(typed: str, _: Mapping[str, object], percent: bool) -> str:
    if percent:
        return f"« {typed} » n’est pas un pourcentage : tapez un nombre, par exemple 7 pour 7 %."
    return (
        f"« {typed} » n’est pas un nombre : tapez des chiffres, avec une virgule pour les "
        "décimales, par exemple 1\u202f250\u202f000 ou 28,50."
    )


def _not_whole(typed: str, _: Mapping[str, object], __: bool) -> str:
    return (
        f"« {typed} » n’est pas un nombre entier : tapez des chiffres sans virgule, par exemple 4."
    )


def _too_long(typed: str, _: Mapping[str, object], __: bool) -> str:
    return f"« {typed} » a trop de chiffres : vérifiez ce nombre."


def _too_precise(typed: str, context: Mapping[str, object], percent: bool) -> str:
    most = int(str(context.get("most", 0))) - (2 if percent else 0)
    if most <= 0:
        return f"« {typed} » a trop de décimales : tapez un nombre entier."
    plural = "s" if most > 1 else ""
    return (
        f"« {typed} » a trop de décimales : arrondissez à {most} chiffre{plural} après la virgule."
    )


def _range(word: str, key: str) -> Wording:
    def wording(typed: str, context: Mapping[str, object], percent: bool) -> str:
        if context.get(key) == 0 and key == "ge":
            return f"« {typed} » est négatif : tapez 0 ou un nombre positif."
        bound = _bound(context.get(key), percent)
        return f"« {typed} » est trop {word} : tapez {_relation(key)} {bound}."

    return wording


def _relation(key: str) -> str:
    return {
        "gt": "un nombre supérieur à",
        "ge": "au moins",
        "lt": "un nombre inférieur à",
        "le": "au plus",
    }[key]


def _above_100(typed: str, _: Mapping[str, object], __: bool) -> str:
    return (
        f"{typed} % dépasse 100 % : tapez un pourcentage entre 0 et 100, par exemple 7 pour "
        "un taux de 7 %."
    )


def _fixed(text: str) -> Wording:
    return lambda _typed, _context, _percent: text


def _with_typed(text: str) -> Wording:
    return lambda typed, _context, _percent: text.format(typed=typed)


def _too_many_characters(typed: str, context: Mapping[str, object], _: bool) -> str:
    return (
        f"Ce texte compte {len(typed)} caractères, plus que les {context.get('max_length')} "
        "permis ici : raccourcissez-le."
    )


def _duplicate_lot(_: str, context: Mapping[str, object], __: bool) -> str:
    return (
        f"Deux lots portent le numéro {context.get('numero')} : donnez à chaque lot son "
        "propre numéro."
    )


CATALOGUE: dict[str, Wording] = {
    "missing": _fixed("Ce champ est obligatoire : remplissez-le."),
    "number_notation": _not_a_number,
    "decimal_parsing": _not_a_number,
    "decimal_type": _not_a_number,
    "float_parsing": _not_a_number,
    "int_parsing": _not_whole,
    "int_type": _not_whole,
    "whole_number_notation": _not_whole,
    "number_too_long": _too_long,
    "number_too_precise": _too_precise,
    "decimal_max_places": _too_precise,
    "finite_number": _not_a_number,
    "greater_than": _range("petit", "gt"),
    "greater_than_equal": _range("petit", "ge"),
    "less_than": _range("grand", "lt"),
    "less_than_equal": _range("grand", "le"),
    "rate_above_100": _above_100,
    "siret": _with_typed(
        "« {typed} » n’est pas un numéro SIRET valide : tapez ses 14 chiffres, tels qu’ils "
        "figurent dans l’Annuaire des entreprises."
    ),
    "cpv": _with_typed(
        "« {typed} » n’est pas un code CPV : tapez ses 8 chiffres, un tiret et son chiffre de "
        "contrôle, par exemple 45442100-8."
    ),
    "string_pattern_mismatch": _with_typed(
        "« {typed} » n’est pas une adresse électronique : tapez-la sous la forme nom@domaine.fr."
    ),
    "enum": _fixed("Ce choix n’est pas proposé : choisissez dans la liste."),
    "literal_error": _fixed("Ce choix n’est pas proposé : choisissez dans la liste."),
    "civilite": _fixed("Choisissez Madame ou Monsieur, ou laissez ce champ vide."),
    "string_too_long": _too_many_characters,
    "control_character": _fixed(
        "Ce texte contient un caractère invisible (copié d’un autre document) : retapez-le."
    ),
    "penalty_amount": _with_typed(
        "« {typed} » n’est pas un montant : tapez un montant en euros HT, ou « aucune » si le "
        "marché n’en prévoit pas."
    ),
    "two_penalties": _fixed(
        "Indiquez la pénalité par heure manquante soit en euros, soit en multiple du SMIC "
        "horaire, pas les deux."
    ),
    "hourly_penalty_missing": _fixed(
        "Indiquez la pénalité par heure d’insertion manquante : un montant en euros HT, un "
        "multiple du SMIC horaire, ou « aucune » si le marché n’en prévoit pas."
    ),
    "late_penalty_missing": _fixed(
        "Indiquez la pénalité par jour de retard dans la remise des justificatifs : un "
        "montant en euros HT, ou « aucune » si le marché n’en prévoit pas."
    ),
    "duplicate_lot": _duplicate_lot,
}
"""The form's wording of each kind of problem."""


def form_message(problem: Problem, name: str, typed: str) -> str:
    """The message shown next to the input (or section) ``name``, where the user typed
    ``typed``: the catalogue's French for the problem's kind, else the CLI's message."""
    if problem.kind.startswith("date"):
        wording: Wording | None = _with_typed(
            "« {typed} » n’est pas une date : choisissez-la dans le calendrier."
            if typed
            else "Cette date n’est pas valide : choisissez-la dans le calendrier."
        )
    else:
        wording = CATALOGUE.get(problem.kind)
    if wording is None:
        return problem.message
    return typographie(wording(typed.strip(), problem.context, name in PERCENT_FIELDS))
