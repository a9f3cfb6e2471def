"""The facilitator's page's error messages: in French, about the files it uploaded.

The API refuses a bad execution file with the CLI's messages (``heures.csv: row 4, column
mois: must be a month written YYYY-MM…``), each ``errors[]`` item carrying the problem's
``kind`` and ``values`` (row, column, value…). The page words the same problem in French:
it names the file by the label it shows (« Relevé des heures »), the row as the spreadsheet
numbers it and the column by its header, and says what to do. The check stays the
reader's; this catalogue only words, by kind, a problem a reader found, as templates whose
``{name}`` placeholders are the problem's values. The page fills them in (``facilitateur.js``);
a kind the catalogue does not word, or a value a template needs and the problem lacks, keeps
the CLI's message.
"""

from __future__ import annotations

from clausegen.documents.formatting import typographie

FILE_LABELS = {
    "operation": "Opération",
    "engagements": "Engagements des entreprises",
    "heures": "Relevé des heures",
    "participants": "Participants",
    "comptes-rendus": "Comptes rendus reçus",
}
"""The label the page shows for each upload, by the name the server gives the file
(``service/documents.py``: ``heures.csv``, ``engagements/engagement-01.yaml``…)."""

PLACES = {
    "cell": "« {file} », ligne {row}, colonne « {column} » : ",
    "row": "« {file} », ligne {row} : ",
    "file": "« {file} » : ",
}
"""Where a problem is: a cell, a row (the header is row 1, as in the spreadsheet), the file."""

_NUMBER = (
    "« {value} » n’est pas un nombre : écrivez des chiffres, avec une virgule pour les "
    "décimales, par exemple 7,5."
)
_WHOLE = (
    "« {value} » n’est pas un nombre entier : écrivez des chiffres sans virgule, par exemple 2."
)
_CHOICE = "« {value} » n’est pas une valeur permise : écrivez l’une de {expected}."

WORDINGS: dict[str, str] = {
    # the table itself (clausegen/inputs/tables.py, files.py)
    "table_type": "ce fichier n’est pas un tableau : déposez un fichier .csv ou .xlsx.",
    "file_too_large": (
        "le fichier dépasse les {limit} Mio permis : vérifiez que c’est le bon fichier, ou "
        "découpez-le."
    ),
    "empty_table": "le fichier est vide : sa première ligne doit nommer les colonnes.",
    "too_many_rows": "le tableau a trop de lignes : découpez-le par année ou par lot.",
    "not_utf8": (
        "le fichier n’est pas enregistré en UTF-8 : dans Excel, enregistrez-le au format "
        "« CSV UTF-8 (délimité par des virgules) »."
    ),
    "csv_syntax": "la ligne {line} ne peut pas être lue : vérifiez ses guillemets.",
    "not_a_workbook": (
        "ce fichier ne peut pas être lu comme un classeur Excel : enregistrez-le de nouveau "
        "depuis Excel ou LibreOffice au format .xlsx, ou déposez-le en CSV."
    ),
    "workbook_too_large": (
        "le classeur est trop volumineux : ne gardez que la feuille du relevé, ou déposez-le "
        "en CSV."
    ),
    "column_name_too_long": (
        "le nom de la colonne {position} est trop long : la première ligne nomme les colonnes, "
        "chacune en un mot ou deux."
    ),
    "cell_too_long": (
        "la cellule dépasse les 32 767 caractères qu’un tableur permet (un guillemet resté "
        "ouvert ?) : vérifiez-la."
    ),
    "control_character": (
        "la cellule contient un caractère invisible (copié d’un autre document) : retapez-la."
    ),
    # the header row (clausegen/execution/ledger.py, column_problems)
    "missing_columns": (
        "il manque la colonne {columns} : ajoutez-la à la première ligne, qui nomme les "
        "colonnes ({known})."
    ),
    "unknown_column": (
        "cette colonne n’est pas attendue : renommez-la ou supprimez-la ; les colonnes sont "
        "{known}."
    ),
    "repeated_column": "la colonne « {column} » figure deux fois : n’en gardez qu’une.",
    "no_rows": (
        "le relevé ne contient aucune ligne d’heures : ajoutez une ligne par participant, "
        "lot, entreprise, mois et modalité."
    ),
    # a cell (the row models' checks)
    "missing": "cette cellule est vide : remplissez-la.",
    "month": "« {value} » n’est pas un mois : écrivez-le AAAA-MM, par exemple 2027-03.",
    "siret": (
        "« {value} » n’est pas un numéro SIRET valide : écrivez ses 14 chiffres, tels "
        "qu’ils figurent dans l’Annuaire des entreprises."
    ),
    "number_notation": _NUMBER,
    "decimal_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "float_parsing": _NUMBER,
    "finite_number": _NUMBER,
    "number_too_long": "« {value} » a trop de chiffres : vérifiez ce nombre.",
    "number_too_precise": (
        "« {value} » a trop de décimales : arrondissez à {most} chiffres après la virgule."
    ),
    "decimal_max_places": (
        "« {value} » a trop de décimales : arrondissez à {decimal_places} chiffres après la "
        "virgule."
    ),
    "int_parsing": _WHOLE,
    "int_type": _WHOLE,
    "whole_number_notation": _WHOLE,
    "greater_than": "« {value} » est trop petit : écrivez un nombre supérieur à {gt}.",
    "greater_than_equal": "« {value} » est trop petit : écrivez au moins {ge}.",
    "less_than": "« {value} » est trop grand : écrivez un nombre inférieur à {lt}.",
    "less_than_equal": "« {value} » est trop grand : écrivez au plus {le}.",
    "enum": _CHOICE,
    "literal_error": _CHOICE,
    "string_too_long": "ce texte dépasse les {max_length} caractères permis : raccourcissez-le.",
    # a row against the operation, the participants and the commitments
    "hours_or_amount": (
        "indiquez soit des heures (colonne heures), soit un montant facturé (colonne "
        "montant_ht), l’un des deux."
    ),
    "amount_modality": (
        "seules la sous-traitance et la cotraitance se déclarent en montant : indiquez les "
        "heures de {modality} dans la colonne heures."
    ),
    "amount_with_participant": (
        "un montant facturé n’est pas les heures d’une personne : laissez la cellule vide "
        "sur une ligne de montant, ou indiquez les heures de la personne."
    ),
    "hours_without_participant": (
        "une ligne d’heures nomme son participant : indiquez son identifiant, tel qu’il "
        "figure dans le fichier « Participants »."
    ),
    "modality_structure": (
        "la structure ne convient pas à la modalité {modality} (structures possibles : "
        "{allowed}) : corrigez la structure ou la modalité."
    ),
    "unknown_participant": (
        "aucun participant « {value} » dans le fichier « Participants » : ajoutez-y la "
        "personne, ou corrigez l’identifiant."
    ),
    "before_validation": (
        "le participant {participant} a été validé le {validated} (AAAA-MM-JJ) : ses heures "
        "d’avant ce mois ne comptent pas. Corrigez le mois ou la date de validation."
    ),
    "unknown_lot": "l’opération n’a pas de lot {value} (lots : {known}) : corrigez le numéro.",
    "lot_without_clause": (
        "le lot {value} ne porte pas de clause d’insertion, ses heures ne comptent pas : "
        "retirez la ligne ou corrigez le lot."
    ),
    "lot_without_commitment": (
        "aucun engagement ne couvre le lot {value} : déposez l’engagement de l’entreprise "
        "avec les « Engagements des entreprises »."
    ),
    "siret_not_committed": (
        "le SIRET {value} n’a pas d’engagement sur le lot {lot}, que tient le SIRET {holder} : "
        "corrigez le SIRET ou déposez l’engagement de l’entreprise."
    ),
    "outside_execution": (
        "le mois {value} est hors de la période d’exécution (du {start} au {end}) : corrigez "
        "le mois, ou la période d’exécution de l’opération."
    ),
    "duplicate_row": (
        "même participant, lot, entreprise, mois, modalité et structure qu’à la ligne "
        "{first} : regroupez les deux lignes en une."
    ),
    "monthly_hours": (
        "le participant {participant} totalise {total} h en {month}, plus que les {maximum} h "
        "qu’une personne peut faire en un mois : corrigez les heures."
    ),
}
"""The French of each kind of problem, after its place (``PLACES``)."""


def catalogue() -> dict[str, dict[str, str]]:
    """What the page looks its French up in: the files' labels, the places, the wordings,
    with French spacing."""
    return {
        "files": FILE_LABELS,
        "places": {key: typographie(text) for key, text in PLACES.items()},
        "wordings": {key: typographie(text) for key, text in WORDINGS.items()},
    }
