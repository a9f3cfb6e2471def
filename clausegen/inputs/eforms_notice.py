"""An eForms contract notice read into the fields of an operation, each one filled from the
notice or marked as left to the buyer, never guessed.

The notice is parsed safely: bounded in size (``MAX_NOTICE_BYTES``), with no DTD, no entity
and no network access (defusedxml). Only a contract notice (``ContractNotice``, the notice
that launches a consultation) is read: a prior information notice announces a purchase
without its lots' terms, and a contract award notice (a VEAT included) comes after the
consultation; both are refused with a sentence saying which notice to give.

What is read (eForms business terms): the buyer (BT-500 name, BT-501 identifier, BT-11
legal type), the consultation (BT-22 internal identifier, BT-21 title, BT-105 procedure,
BT-23 nature of the contract, BT-05 dispatch date), and each lot (BT-137 identifier, BT-21
title, BT-262 main CPV, BT-27 estimated value and its currency).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from clausegen.errors import InputError, Problem
from clausegen.inputs.files import MIB, read_input
from clausegen.inputs.operation import CPV_PATTERN, Procedure, TypeAcheteur, TypeMarche
from clausegen.inputs.siret import checked_siret

MAX_NOTICE_BYTES = 5 * MIB
"""An eForms notice: the largest sample of the eForms SDK takes 75 KiB."""

NBSP = "\u00a0"
NNBSP = "\u202f"

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
}
UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
NOTICE_KINDS = {
    "ContractNotice": "un avis de marché",
    "PriorInformationNotice": "un avis de préinformation",
    "ContractAwardNotice": "un avis d’attribution",
}
"""The three eForms notice documents (root element, in the namespace ``UBL + name + -2``)."""

PROCEDURES = {
    "open": Procedure.APPEL_OFFRES_OUVERT,
    "restricted": Procedure.APPEL_OFFRES_RESTREINT,
    "neg-w-call": Procedure.PROCEDURE_AVEC_NEGOCIATION,
    "comp-dial": Procedure.DIALOGUE_COMPETITIF,
}
"""eForms ``procurement-procedure-type`` codes (BT-105) → the operation's procedure. The
others (innovation partnership, ``oth-single``…) have no counterpart and are left to fill."""

CONTRACT_NATURES = {
    "works": TypeMarche.TRAVAUX,
    "supplies": TypeMarche.FOURNITURES,
    "services": TypeMarche.SERVICES,
}
"""eForms ``contract-nature`` codes (BT-23) → the operation's ``type_marche``."""

UTILITIES_DIRECTIVE = "32014L0025"
"""BT-01 legal basis of a notice under the utilities directive: an entité adjudicatrice."""
CENTRAL_BUYERS = {"cga", "body-pl-cga", "pub-undert-cga"}
LOCAL_BUYERS = {"la", "ra", "body-pl-la", "body-pl-ra", "pub-undert-la", "pub-undert-ra"}
"""eForms ``buyer-legal-type`` codes (BT-11) of the State and of local authorities and the
bodies they control (which share the local authorities' EU thresholds)."""

LOT_ID = re.compile(r"^LOT-([0-9]{4})$")
AMOUNT = re.compile(r"^[0-9]{1,15}(\.[0-9]{1,2})?$")
ISO_DATE = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})")


@dataclass(frozen=True)
class ToFill:
    """A field the notice does not give: left empty in the skeleton, with why."""

    reason: str


Value = Any
"""A field's value read from the notice, or ``ToFill``."""


@dataclass(frozen=True)
class NoticeReading:
    """The operation's fields in ``operation.yaml``'s order (nested mappings and the list of
    lots), each a value read from the notice or a ``ToFill``."""

    notice: Path
    fields: dict[str, Value]


def read_notice(path: Path) -> NoticeReading:
    """The operation fields of the contract notice at ``path``; ``InputError`` when it is not
    a readable eForms contract notice."""
    root = _parse(path, read_input(path, limit=MAX_NOTICE_BYTES))
    elements = [
        lot
        for lot in root.findall("cac:ProcurementProjectLot", NS)
        if _attribute(lot.find("cbc:ID", NS), "schemeName") == "Lot"
    ]
    project = root.find("cac:ProcurementProject", NS)
    # A notice of one lot may give its value for the whole procedure only (BT-27-Procedure).
    overall = _estimate(project) if len(elements) == 1 else None
    lots = [_lot(lot, overall) for lot in elements]
    if not lots:
        raise _error(
            path,
            "this contract notice has no lot (no cac:ProcurementProjectLot with a "
            'cbc:ID schemeName="Lot"); check that it is the complete notice.',
        )
    return NoticeReading(
        notice=path,
        fields={
            "acheteur": _buyer(root),
            "facilitateur": {
                "nom": ToFill("le nom du facilitateur ou de la facilitatrice de la clause"),
                "structure": ToFill("la structure qui l’emploie (maison de l’emploi, PLIE…)"),
                "email": ToFill("son adresse électronique"),
            },
            "consultation": _consultation(root, project),
            "clause": {
                "dispositif": ToFill(
                    "condition_execution, critere_attribution ou marche_reserve "
                    "(l’avis ne dit pas comment la clause est portée)"
                ),
                "penalite": {
                    "par_heure_manquante": ToFill(
                        "la pénalité en euros HT par heure d’insertion manquante, ou aucune"
                    ),
                    "par_jour_retard": ToFill(
                        "la pénalité en euros HT par jour de retard des comptes rendus, ou aucune"
                    ),
                },
            },
            "lots": lots,
        },
    )


# --- parsing ----------------------------------------------------------------------------------


def _parse(path: Path, content: bytes) -> Element:
    try:
        root = fromstring(content, forbid_dtd=True)
    except DefusedXmlException:
        raise _error(
            path,
            "declares a DTD or XML entities, which clausegen does not read (an eForms "
            "notice has none); give the notice as exported by your buyer profile or TED.",
        ) from None
    except ParseError as error:
        line, column = error.position
        raise _error(
            path,
            f"is not well-formed XML (line {line}, column {column}); give the notice as "
            "exported by your buyer profile or TED, unedited.",
        ) from None
    namespace, _, name = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", "")
    if name not in NOTICE_KINDS or namespace != f"{UBL}{name}-2":
        shown = root.tag if not namespace else f"{name or root.tag} ({namespace})"
        raise _error(
            path,
            f"is XML but not an eForms notice (its root element is {shown}); give a "
            "contract notice in eForms, whose root element is ContractNotice.",
        )
    if name != "ContractNotice":
        notice_type = _text(root, "cbc:NoticeTypeCode") or "?"
        kind = "a prior information" if name.startswith("Prior") else "a contract award"
        raise _error(
            path,
            f"is {kind} notice (eForms {name}, notice type {notice_type}), not a contract "
            "notice: clausegen imports the contract notice (ContractNotice) that launches "
            "a consultation; give that notice.",
        )
    return root


def _error(path: Path, message: str) -> InputError:
    return InputError(path=path, problems=[Problem("", message)])


def _attribute(element: Element | None, name: str) -> str | None:
    return None if element is None else element.get(name)


def _text(element: Element | None, xpath: str) -> str | None:
    """The stripped text of the first match, or None when absent or empty."""
    if element is None:
        return None
    found = element.find(xpath, NS)
    text = (found.text or "").strip() if found is not None else ""
    return text or None


def _name(element: Element | None) -> str | None:
    """A title (``cbc:Name``) in French when the notice gives one, else in its language."""
    if element is None:
        return None
    names = element.findall("cbc:Name", NS)
    french = [n for n in names if n.get("languageID") == "FRA"]
    for candidate in french + names:
        text = " ".join((candidate.text or "").split())
        if text:
            return text
    return None


def _shown(value: str) -> str:
    return f"«{NBSP}{value[:60]}{NBSP}»"


# --- the fields -------------------------------------------------------------------------------


def _buyer(root: Element) -> dict[str, Value]:
    party = root.find("cac:ContractingParty", NS)
    org_id = _text(party, "cac:Party/cac:PartyIdentification/cbc:ID")
    company = next(
        (
            c
            for c in root.iterfind(".//efac:Organizations/efac:Organization/efac:Company", NS)
            if org_id is not None and _text(c, "cac:PartyIdentification/cbc:ID") == org_id
        ),
        None,
    )
    name = _text(company, "cac:PartyName/cbc:Name")
    return {
        "nom": name or ToFill("le nom de l’acheteur (l’avis ne le donne pas)"),
        "siret": _siret(_text(company, "cac:PartyLegalEntity/cbc:CompanyID")),
        "type": _buyer_type(root, party),
    }


def _siret(identifier: str | None) -> Value:
    if identifier is None:
        return ToFill("le SIRET de l’acheteur (l’avis ne donne pas d’identifiant)")
    compact = re.sub(r"[\s.]", "", identifier)
    checked = checked_siret(compact)
    if checked is None:
        return ToFill(
            f"le SIRET de l’acheteur{NBSP}: l’avis donne {_shown(identifier)}, qui n’est "
            "pas un SIRET (14 chiffres)"
        )
    return checked


def _buyer_type(root: Element, party: Element | None) -> Value:
    code = _text(party, "cac:ContractingPartyType/cbc:PartyTypeCode")
    if _text(root, "cbc:RegulatoryDomain") == UTILITIES_DIRECTIVE:
        return TypeAcheteur.ENTITE_ADJUDICATRICE.value
    if code in CENTRAL_BUYERS:
        return TypeAcheteur.ETAT.value
    if code in LOCAL_BUYERS:
        return TypeAcheteur.COLLECTIVITE.value
    return ToFill(
        f"etat, collectivite ou entite_adjudicatrice (type d’acheteur de l’avis{NBSP}: "
        f"{code or 'absent'})"
    )


def _consultation(root: Element, project: Element | None) -> dict[str, Value]:
    procedure = _text(root, "cac:TenderingProcess/cbc:ProcedureCode")
    nature = _text(project, "cbc:ProcurementTypeCode[@listName='contract-nature']")
    issued = _text(root, "cbc:IssueDate")
    return {
        "reference": _text(project, "cbc:ID")
        or ToFill("la référence de la consultation (l’avis n’a pas d’identifiant interne)"),
        "objet": _name(project) or ToFill("l’objet de la consultation"),
        "procedure": PROCEDURES[procedure].value
        if procedure in PROCEDURES
        else ToFill(
            "appel_offres_ouvert, appel_offres_restreint, procedure_adaptee, "
            f"procedure_avec_negociation ou dialogue_competitif (procédure de l’avis{NBSP}: "
            f"{procedure or 'absente'})"
        ),
        "type_marche": CONTRACT_NATURES[nature].value
        if nature in CONTRACT_NATURES
        else ToFill(f"travaux, fournitures ou services (nature de l’avis{NBSP}: {nature})"),
        "date_lancement": _date(issued),
        "duree_mois": ToFill("la durée du marché en mois, reconductions comprises"),
        "ccag": ToFill("travaux, fcs, pi, tic, mi, moe ou aucun"),
    }


def _date(text: str | None) -> Value:
    match = ISO_DATE.match(text or "")
    if match:
        try:
            return date.fromisoformat(match.group(1))
        except ValueError:
            pass
    return ToFill(f"la date d’envoi de l’avis, AAAA-MM-JJ (l’avis donne {_shown(text or 'rien')})")


def _estimate(project: Element | None) -> Element | None:
    """BT-27, the estimated value (``cbc:EstimatedOverallContractAmount``), or None."""
    if project is None:
        return None
    return project.find("cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount", NS)


def _lot(lot: Element, overall: Element | None) -> dict[str, Value]:
    """A lot's fields; ``overall`` is the procedure's value when the notice has one lot."""
    identifier = _text(lot, "cbc:ID") or ""
    match = LOT_ID.match(identifier)
    project = lot.find("cac:ProcurementProject", NS)
    cpv = _text(project, "cac:MainCommodityClassification/cbc:ItemClassificationCode")
    return {
        "numero": int(match.group(1))
        if match and int(match.group(1)) > 0
        else ToFill(f"le numéro du lot {_shown(identifier)}"),
        "intitule": _name(project) or ToFill(f"l’intitulé du lot {identifier}"),
        "cpv": cpv
        if cpv is not None and CPV_PATTERN.match(cpv)
        else ToFill(f"le code CPV principal du lot {identifier}"),
        "metier": ToFill("le métier du lot (gros_oeuvre, peinture, nettoyage…)"),
        "montant_estime_ht": _amount(
            _estimate(project) if _estimate(project) is not None else overall, identifier
        ),
    }


def _amount(element: Element | None, identifier: str) -> Value:
    if element is None or not (element.text or "").strip():
        return ToFill(f"le montant estimé HT du lot {identifier} en euros (l’avis ne le donne pas)")
    text = (element.text or "").strip()
    currency = element.get("currencyID")
    if currency != "EUR":
        return ToFill(
            f"le montant estimé HT du lot {identifier} en euros{NBSP}: l’avis donne {text} "
            f"{currency or 'sans devise'}"
        )
    if not AMOUNT.match(text):
        return ToFill(
            f"le montant estimé HT du lot {identifier} en euros{NBSP}: l’avis donne "
            f"{_shown(text)}, qui n’est pas un montant"
        )
    return Decimal(text)
