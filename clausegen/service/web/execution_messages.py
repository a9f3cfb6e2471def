"""The facilitator's page's error messages: in French, about the files it uploaded.

The API refuses a bad execution file with the CLI's messages (``heures.csv: row 4, column
mois: must be a month written YYYY-MM…``), each ``errors[]`` item carrying the problem's
``kind`` and ``values`` (row, column, value…). The page words the same problem in French:
it names the file by the label it shows (« Relevé des heures »), the row (or rows) as the
spreadsheet numbers it and the column by its header — or, in a YAML file, the participant by
id (never by name) or the company's commitment by company and lot, and the field in French
(``FIELDS``) — with dates as French writes them, and says what to do. The check stays the
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
    "cells": "« {file} », lignes {row}, colonne « {column} » : ",
    "row": "« {file} », ligne {row} : ",
    "rows": "« {file} », lignes {row} : ",
    "file": "« {file} » : ",
    "participant": "« {file} », participant {participant}, {field} : ",
    "participant_entry": "« {file} », participant {participant} : ",
    "company": "« {file} », engagement de {company} (lot {lot}), {field} : ",
    "company_entry": "« {file} », engagement de {company} (lot {lot}) : ",
}
"""Where a problem is: a cell, a row (the header is row 1, as in the spreadsheet) or several
(``lignes 4, 5 et 6``), the file; in a YAML file, a participant (by id, never by name) or a
company's commitment (by its name and lot), and the field (``FIELDS``)."""

AND = "et"
"""The last two of several rows are joined by it: « lignes 4, 5 et 6 »."""

FIELDS: dict[str, str] = {
    # participants.yaml (clausegen/execution/participants.py), within one participant
    "id": "identifiant",
    "nom": "nom",
    "prenom": "prénom",
    "sexe": "sexe",
    "date_naissance": "date de naissance",
    "criteres": "critères d’éligibilité",
    "criteres[]": "critère d’éligibilité n° {n}",
    "date_validation": "date de validation de l’éligibilité",
    "prescripteur": "prescripteur",
    "employeur": "employeur",
    "employeur.raison_sociale": "raison sociale de l’employeur",
    "employeur.siret": "SIRET de l’employeur",
    "contrat": "contrat",
    "contrat.type": "type de contrat",
    "contrat.debut": "date de début du contrat",
    "contrat.fin": "date de fin du contrat",
    "contrat.heures_hebdomadaires": "heures hebdomadaires du contrat",
    "poste": "poste",
    "poste.intitule": "intitulé du poste",
    "poste.code_rome": "code ROME du poste",
    "tuteur": "tuteur",
    "referent": "référent",
    "missions": "missions",
    "missions[]": "mission n° {n}",
    "formations": "formations",
    "formations[]": "formation n° {n}",
    "formations[].intitule": "intitulé de la formation n° {n}",
    "formations[].heures": "heures de la formation n° {n}",
    "formations[].organisme": "organisme de la formation n° {n}",
    "formations[].date": "date de la formation n° {n}",
    "savoir_etre": "savoir-être",
    "savoir_etre[]": "savoir-être n° {n}",
    "savoir_etre[].intitule": "intitulé du savoir-être n° {n}",
    "savoir_etre[].debut": "niveau au début du savoir-être n° {n}",
    "savoir_etre[].fin": "niveau à la fin du savoir-être n° {n}",
    "savoir_faire": "savoir-faire",
    "savoir_faire[]": "savoir-faire n° {n}",
    "savoir_faire[].intitule": "intitulé du savoir-faire n° {n}",
    "savoir_faire[].debut": "niveau au début du savoir-faire n° {n}",
    "savoir_faire[].fin": "niveau à la fin du savoir-faire n° {n}",
    "avis_tuteur": "avis du tuteur",
    "avis_referent": "avis du référent",
    "observations": "observations",
    "suite_parcours": "suite de parcours",
    "suite_parcours[]": "étape n° {n} de la suite de parcours",
    "suite_parcours[].type": "type de l’étape n° {n} de la suite de parcours",
    "suite_parcours[].intitule": "intitulé de l’étape n° {n} de la suite de parcours",
    "suite_parcours[].structure": "structure de l’étape n° {n} de la suite de parcours",
    "suite_parcours[].date": "date de l’étape n° {n} de la suite de parcours",
    "sortie": "sortie",
    "sortie.type": "type de sortie",
    "sortie.date": "date de sortie",
    "sortie.precision": "précision sur la sortie",
    "competences": "compétences",
    # a commitment (clausegen/execution/commitments.py)
    "entreprise": "entreprise",
    "entreprise.raison_sociale": "raison sociale de l’entreprise",
    "entreprise.siret": "SIRET de l’entreprise",
    "entreprise.adresse": "adresse de l’entreprise",
    "lot": "lot",
    "marche": "marché",
    "marche.numero": "numéro du marché",
    "marche.date_notification": "date de notification du marché",
    "montant_ht": "montant HT du marché",
    "heures_engagees": "heures engagées",
    "modalites": "modalités prévues",
    "modalites[]": "modalité prévue n° {n}",
    "modalites[].modalite": "modalité de la ligne n° {n} des modalités prévues",
    "modalites[].structure": "structure de la modalité prévue n° {n}",
    "modalites[].partenaire": "partenaire de la modalité prévue n° {n}",
    "modalites[].heures": "heures de la modalité prévue n° {n}",
    "modalites[].montant_ht": "montant HT de la modalité prévue n° {n}",
    "postes": "postes",
    "postes[]": "poste n° {n}",
    **{
        f"{contact}{key}": f"{label} {whose}"
        for contact, whose in (
            ("referent", "du référent"),
            ("tuteur", "du tuteur"),
            ("signataire", "du signataire"),
        )
        for key, label in (
            (".nom", "nom"),
            (".fonction", "fonction"),
            (".email", "adresse électronique"),
            (".telephone", "téléphone"),
        )
    },
    "signataire": "signataire",
    "date_signature": "date de signature",
}
"""A YAML field in French, by its path with list positions left out (``formations[].heures``);
``{n}`` is the position in the list, from 1. A field not listed keeps the CLI's message."""

_NUMBER = (
    "« {value} » n’est pas un nombre : écrivez des chiffres, avec une virgule pour les "
    "décimales, par exemple 7,5."
)
_WHOLE = (
    "« {value} » n’est pas un nombre entier : écrivez des chiffres sans virgule, par exemple 2."
)
_DATE = "« {value} » n’est pas une date : écrivez-la AAAA-MM-JJ, par exemple 2027-03-15."
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
    "formula_without_result": (
        "la cellule contient une formule dont le fichier n’enregistre pas le résultat (un "
        "classeur écrit par un programme) : ouvrez-le dans Excel ou LibreOffice et "
        "enregistrez-le, ou tapez les valeurs."
    ),
    "merged_cells": (
        "les cellules {cells} sont fusionnées ; un tableur ne garde la valeur que dans la "
        "première : défusionnez-les et remplissez chaque ligne."
    ),
    "merged_cells_more": (
        "{count} autres plages de cellules sont fusionnées : défusionnez toute la feuille "
        "et remplissez chaque ligne."
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
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "date_type": _DATE,
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
        "indiquez soit des heures (heures), soit un montant facturé (montant_ht), l’un des deux."
    ),
    "amount_modality": (
        "seules la sous-traitance et la cotraitance se déclarent en montant : indiquez en "
        "heures (heures) celles de {modality}."
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
        "le participant {participant} a été validé le {validated} : ses heures d’avant ce "
        "mois ne comptent pas. Corrigez le mois ou la date de validation."
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
        "le participant {participant} totalise {total}\u00a0h en {month}, plus que les "
        "{maximum}\u00a0h qu’une personne peut faire en un mois : corrigez les heures."
    ),
    # the reporting file (clausegen/execution/reporting.py)
    "no_statements": (
        "le fichier ne contient aucun compte rendu : ajoutez une ligne par compte rendu reçu "
        "(ou non reçu et mis en demeure), ou ne déposez pas ce fichier."
    ),
    "statement_month": (
        "« {value} » n’est pas un mois : la clause demande des comptes rendus mensuels ; "
        "écrivez le mois AAAA-MM, par exemple 2027-03."
    ),
    "statement_quarter": (
        "« {value} » n’est pas un trimestre : la clause demande des comptes rendus "
        "trimestriels ; écrivez le trimestre de AAAA-T1 à AAAA-T4, par exemple 2027-T2."
    ),
    "statement_lot_without_clause": (
        "le lot {value} ne porte pas de clause d’insertion, aucun compte rendu n’y est dû : "
        "retirez la ligne ou corrigez le lot."
    ),
    "statement_outside_execution": (
        "la période {value} est hors de la période d’exécution (du {start} au {end}) : "
        "corrigez la période, ou la période d’exécution de l’opération."
    ),
    "no_reception": (
        "indiquez le jour où le compte rendu a été reçu ou, s’il ne l’a pas été, le jour de "
        "la mise en demeure (colonne date_mise_en_demeure)."
    ),
    "received_before_period_end": (
        "reçu le {value}, avant la fin de la période {period} (le {end}) dont il rend "
        "compte : corrigez la date ou la période."
    ),
    "notice_before_due": (
        "la mise en demeure du {value} ne suit pas l’échéance du compte rendu (le {due}) : "
        "une mise en demeure suit une échéance manquée ; corrigez la date ou la période."
    ),
    "notice_after_reception": (
        "le compte rendu a été reçu le {received}, avant cette mise en demeure du {value} : "
        "laissez la cellule vide ou corrigez les dates."
    ),
    "duplicate_statement": (
        "même entreprise, lot et période qu’à la ligne {first} : gardez une ligne par compte rendu."
    ),
    # the participants file (clausegen/execution/participants.py)
    "rome": (
        "« {value} » n’est pas un code ROME : une lettre de A à N et quatre chiffres, par "
        "exemple F1703."
    ),
    "contract_dates": "le contrat finit (fin) avant de commencer (debut) : corrigez les dates.",
    "no_level": (
        "« {intitule} » n’a pas de niveau : indiquez son niveau au début de la mission "
        "(debut), à sa fin (fin) ou les deux : acquis, en_cours ou non_acquis."
    ),
    "no_criterion": (
        "aucun critère d’éligibilité : indiquez sous criteres ceux que le facilitateur a "
        "validés (par exemple deld, qpv), ou retirez la personne : seules les heures des "
        "personnes éligibles comptent."
    ),
    "avis_without_prescriber": (
        "l’éligibilité repose sur un avis motivé (avis_motive), qui demande le prescripteur "
        "qui l’a donné (France Travail, mission locale…) : indiquez-le (prescripteur)."
    ),
    "next_step_before_pathway": (
        "l’étape « {intitule} » est datée du {date}, avant le début du parcours (validé le "
        "{start}) : indiquez la date à laquelle elle commence ou est prévue."
    ),
    "duplicate_participant": (
        "l’identifiant {id} sert deux fois : donnez à chaque personne son propre identifiant."
    ),
    "competences_moved": (
        "remplacez competences par savoir_faire, en donnant pour chaque savoir-faire son "
        "niveau au début (debut) et à la fin (fin) de la mission : acquis, en_cours ou "
        "non_acquis."
    ),
    "string_pattern_mismatch": (
        "« {value} » n’est pas permis : écrivez des lettres sans accent, des chiffres, - ou _ "
        "(40 au plus)."
    ),
    "extra_forbidden": "la clé « {key} » n’est pas attendue : supprimez-la, ou corrigez son nom.",
    "too_short": "la liste est vide : ajoutez-y au moins un élément.",
    "list_type": "écrivez une liste, un élément par ligne commençant par « - ».",
    "model_type": "écrivez un bloc de lignes « clé: valeur », une par ligne.",
    "dict_type": "écrivez un bloc de lignes « clé: valeur », une par ligne.",
    "string_type": "écrivez du texte.",
    "bool_type": "écrivez true ou false.",
    "bool_parsing": "écrivez true ou false.",
    # the commitments (clausegen/execution/commitments.py)
    "not_a_folder": "ce n’est pas un dossier : donnez le dossier des engagements.",
    "no_commitment_files": (
        "aucun fichier d’engagement (.yaml, .yml ou .json) : déposez-en au moins un."
    ),
    "commitment_lot_without_clause": (
        "le lot {value} ne porte pas de clause d’insertion : retirez cet engagement."
    ),
    "lot_committed_twice": (
        "le lot {value} a déjà un engagement dans un autre fichier : un lot est attribué à un "
        "seul titulaire (un groupement s’engage par son mandataire)."
    ),
    "no_modalities": "indiquez les modalités prévues et leurs heures (au moins une).",
    "modalities_total": (
        "les modalités prévues totalisent {planned} h, mais heures_engagees vaut {committed} h "
        "(écart de {gap} h ; un montant compte pour montant × part de main-d’œuvre du lot ÷ "
        "coût horaire) : répartissez toutes les heures engagées entre les modalités, ou "
        "corrigez heures_engagees."
    ),
    "no_contract": (
        "l’attestation de l’acheteur cite le marché : ajoutez son numéro (marche.numero) et "
        "le jour de sa notification (marche.date_notification)."
    ),
    "notified_before_launch": (
        "le marché aurait été notifié le {value}, avant le lancement de la consultation "
        "(le {launched}) : un marché est notifié après son attribution. Corrigez la date."
    ),
}
"""The French of each kind of problem, after its place (``PLACES``)."""

FIELD_WORDINGS: dict[str, str] = {
    "missing": "ce champ est obligatoire : ajoutez-le.",
}
"""A kind worded otherwise for a YAML file's field than for a table's cell."""


def catalogue() -> dict[str, dict[str, str]]:
    """What the page looks its French up in: the files' labels, the places, the wordings,
    with French spacing."""
    return {
        "files": FILE_LABELS,
        "places": {key: typographie(text) for key, text in PLACES.items()},
        "and": AND,
        "fields": {key: typographie(text) for key, text in FIELDS.items()},
        "wordings": {key: typographie(text) for key, text in WORDINGS.items()},
        "field_wordings": {key: typographie(text) for key, text in FIELD_WORDINGS.items()},
    }
