"""An eForms notice read into the fields of an operation, each one filled from the notice or
marked as left to the buyer, never guessed.

The notice is parsed safely: bounded in size (``MAX_NOTICE_BYTES``), with no DTD, no entity
and no network access (defusedxml). Three kinds of notice announce a contract and are read
alike (buyer, lots, procedure where present): a contract notice (``ContractNotice``, which
launches the consultation), a prior information notice (``PriorInformationNotice``, from which
a buyer prepares the clause before the consultation is launched) and a voluntary ex-ante
transparency notice (``ContractAwardNotice`` of type ``veat``: a contract about to be awarded
without prior publication, whose execution the facilitator follows). What they do not say is
listed: the dispatch date of a prior information notice or of a VEAT is not a launch date; a
VEAT's procedure, negotiated without prior call for competition, is none of the operation's
procedures; a VEAT's contract value (BT-720) is not the estimated value (BT-27) the
operation's ``montant_estime_ht`` is. The other contract award notices (results, changes,
completion) come after the consultation and are refused with a sentence saying which notice
to give.

What is read (eForms business terms): the buyer (BT-500 name, BT-501 identifier, BT-11
legal type), the consultation (BT-22 internal identifier, BT-21 title, BT-105 procedure,
BT-23 nature of the contract, BT-05 dispatch date), each lot (BT-137 identifier, BT-21
title, BT-262 main CPV, BT-27 estimated value and its currency), the lots' duration (BT-36,
with BT-58 renewals) and their social codes (BT-71 reserved procurement, BT-06 strategic
procurement, BT-775 social objective).

The duration fills ``consultation.duree_mois`` when every lot gives the same one in whole
months: a duration in months as is, in years times 12; a duration in days is not converted
(a month has 28 to 31 days) and is listed with its value, as is a lot renewable (BT-58), a
duration that is not a whole number, or lots whose durations differ.

The social codes fill ``clause.dispositif`` only when they say it: every lot reserved
``res-ws`` (sheltered workshops and insertion structures, L2113-12 and L2113-13) is
``marche_reserve``, with ``clause.reservation.beneficiaires`` left to fill (``res-ws`` does
not say which of the two). Anything else is listed with what the notice says: some lots
reserved and not others, ``res-pub-ser`` (organisations with a public-service mission, which
is not clausegen's reserved contract), or a social objective (BT-06 ``soc-obj``, BT-775
``opp``) that an execution condition and an award criterion both pursue.
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
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.fr import siret as stdnum_siret

from clausegen.errors import InputError, Problem
from clausegen.inputs.files import MIB, read_input
from clausegen.inputs.operation import CPV_PATTERN, Procedure, TypeAcheteur, TypeMarche

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
CONTRACT_NOTICE = "ContractNotice"
PRIOR_INFORMATION_NOTICE = "PriorInformationNotice"
CONTRACT_AWARD_NOTICE = "ContractAwardNotice"
DOCUMENTS = (CONTRACT_NOTICE, PRIOR_INFORMATION_NOTICE, CONTRACT_AWARD_NOTICE)
"""The three eForms notice documents (root element, in the namespace ``UBL + name + -2``)."""
VEAT = "veat"
"""The notice type (BT-02) of the one contract award notice read: voluntary ex-ante
transparency."""
KIND_LABELS = {
    CONTRACT_NOTICE: "avis de marché",
    PRIOR_INFORMATION_NOTICE: "avis de préinformation",
    CONTRACT_AWARD_NOTICE: "avis d’intention de conclure",
}
"""Each notice read, in the words of French procurement (the VEAT, voluntary ex-ante
transparency notice, is the « avis d’intention de conclure »)."""
AFTER_AWARD = {
    "can-modif": "a contract modification notice",
    "compl": "a contract completion notice",
}
"""Contract award notices other than a VEAT that are not results (the others are)."""

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
WHOLE = re.compile(r"^[0-9]{1,4}$")

MONTHS_PER_UNIT = {"MONTH": 1, "YEAR": 12}
"""eForms ``time-period`` units (BT-36's ``unitCode``) that give whole months."""
UNIT_NAMES = {"DAY": "jours", "WEEK": "semaines", "MONTH": "mois", "YEAR": "ans"}
MAX_MONTHS = 240
"""``consultation.duree_mois``'s bound."""

RES_WS = "res-ws"
RES_PUB_SER = "res-pub-ser"
SOC_OBJ = "soc-obj"
RESERVATION_LABELS = {
    RES_WS: "réservé aux ateliers protégés et aux opérateurs d’insertion (res-ws)",
    RES_PUB_SER: "réservé aux organisations de service public (res-pub-ser), ce qui n’est "
    "pas le marché réservé des articles L2113-12 et L2113-13",
}
SOCIAL_OBJECTIVE_LABELS = {
    "opp": "possibilités d’emploi des chômeurs de longue durée, des personnes défavorisées "
    "et/ou handicapées",
    "acc-all": "accessibilité pour tous",
    "et-eq": "égalité des ethnies",
    "gen-eq": "égalité hommes-femmes",
    "hum-right": "droits de l’homme dans les chaînes d’approvisionnement",
    "work-cond": "conditions de travail équitables",
    "other": "autre",
}
"""BT-775 codes, in the words of the eForms code list's French labels (shortened)."""


@dataclass(frozen=True)
class ToFill:
    """A field the notice does not give: left empty in the skeleton, with why."""

    reason: str


Value = Any
"""A field's value read from the notice, or ``ToFill``."""


@dataclass(frozen=True)
class NoticeKind:
    """The notice read: its eForms document (root element) and notice type (BT-02)."""

    document: str
    notice_type: str

    @property
    def label(self) -> str:
        """The notice in French: « avis de préinformation »."""
        return KIND_LABELS[self.document]

    def __str__(self) -> str:
        return f"{self.label} (eForms {self.document}, type {self.notice_type})"


@dataclass(frozen=True)
class NoticeReading:
    """The operation's fields in ``operation.yaml``'s order (nested mappings and the list of
    lots), each a value read from the notice or a ``ToFill``."""

    notice: Path
    kind: NoticeKind
    fields: dict[str, Value]


def read_notice(path: Path) -> NoticeReading:
    """The operation fields of the notice at ``path``; ``InputError`` when it is not a
    readable eForms notice that announces a contract."""
    root = _parse(path, read_input(path, limit=MAX_NOTICE_BYTES))
    kind = NoticeKind(root.tag.partition("}")[2], _text(root, "cbc:NoticeTypeCode") or "?")
    awarded = _awarded(root) if kind.document == CONTRACT_AWARD_NOTICE else {}
    elements = [
        lot
        for lot in root.findall("cac:ProcurementProjectLot", NS)
        if _attribute(lot.find("cbc:ID", NS), "schemeName") == "Lot"
    ]
    project = root.find("cac:ProcurementProject", NS)
    # A notice of one lot may give its value for the whole procedure only (BT-27-Procedure).
    overall = _estimate(project) if len(elements) == 1 else None
    lots = [_lot(lot, overall, awarded) for lot in elements]
    if not lots:
        raise _error(
            path,
            "this notice has no lot (no cac:ProcurementProjectLot with a "
            'cbc:ID schemeName="Lot"); check that it is the complete notice.',
        )
    return NoticeReading(
        notice=path,
        kind=kind,
        fields={
            "acheteur": _buyer(root),
            "facilitateur": {
                "nom": ToFill("le nom du facilitateur ou de la facilitatrice de la clause"),
                "structure": ToFill("la structure qui l’emploie (maison de l’emploi, PLIE…)"),
                "email": ToFill("son adresse électronique"),
            },
            "consultation": _consultation(root, project, kind, _duration(elements)),
            "clause": {
                **_dispositif(elements),
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
    if name not in DOCUMENTS or namespace != f"{UBL}{name}-2":
        shown = root.tag if not namespace else f"{name or root.tag} ({namespace})"
        raise _error(
            path,
            f"is XML but not an eForms notice (its root element is {shown}); give a "
            "contract notice in eForms, whose root element is ContractNotice.",
        )
    notice_type = _text(root, "cbc:NoticeTypeCode") or "?"
    if name == CONTRACT_AWARD_NOTICE and notice_type != VEAT:
        kind = AFTER_AWARD.get(notice_type, "a contract award notice")
        raise _error(
            path,
            f"is {kind} (eForms {name}, notice type {notice_type}), which comes after the "
            "contract is awarded: clausegen imports a notice that announces a contract (a "
            "prior information notice, a contract notice, or a voluntary ex-ante "
            "transparency notice, type veat); give that notice.",
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
    try:
        return str(stdnum_siret.validate(compact))
    except StdnumValidationError:
        return ToFill(
            f"le SIRET de l’acheteur{NBSP}: l’avis donne {_shown(identifier)}, qui n’est "
            "pas un SIRET (14 chiffres)"
        )


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


def _consultation(
    root: Element, project: Element | None, kind: NoticeKind, duration: Value
) -> dict[str, Value]:
    nature = _text(project, "cbc:ProcurementTypeCode[@listName='contract-nature']")
    return {
        "reference": _text(project, "cbc:ID")
        or ToFill("la référence de la consultation (l’avis n’a pas d’identifiant interne)"),
        "objet": _name(project) or ToFill("l’objet de la consultation"),
        "procedure": _procedure(root, kind),
        "type_marche": CONTRACT_NATURES[nature].value
        if nature in CONTRACT_NATURES
        else ToFill(f"travaux, fournitures ou services (nature de l’avis{NBSP}: {nature})"),
        "date_lancement": _launch(_text(root, "cbc:IssueDate"), kind),
        "duree_mois": duration,
        "ccag": ToFill("travaux, fcs, pi, tic, mi, moe ou aucun"),
    }


PROCEDURE_TO_FILL = (
    "appel_offres_ouvert, appel_offres_restreint, procedure_adaptee, "
    "procedure_avec_negociation ou dialogue_competitif"
)
WITHOUT_CALL = "neg-wo-call"
"""BT-105 of a VEAT: negotiated without prior call for competition."""


def _procedure(root: Element, kind: NoticeKind) -> Value:
    """BT-105 as the operation's procedure, or what the notice says of it."""
    code = _text(root, "cac:TenderingProcess/cbc:ProcedureCode")
    if code in PROCEDURES:
        return PROCEDURES[code].value
    if code is None and kind.document == PRIOR_INFORMATION_NOTICE:
        return ToFill(
            f"{PROCEDURE_TO_FILL}{NBSP}; l’avis de préinformation ne donne pas la procédure, "
            "que fixe l’avis de marché"
        )
    if code == WITHOUT_CALL:
        reason = _text(
            root,
            "cac:TenderingProcess/cac:ProcessJustification/"
            "cbc:ProcessReasonCode[@listName='direct-award-justification']",
        )
        given = f", motif {reason}" if reason else ""
        return ToFill(
            f"{PROCEDURE_TO_FILL}{NBSP}; l’avis donne {WITHOUT_CALL}{given}{NBSP}: un marché "
            "passé sans publicité ni mise en concurrence préalables (articles R2122-1 à "
            "R2122-11), qui n’est aucune de ces procédures"
        )
    return ToFill(f"{PROCEDURE_TO_FILL} (procédure de l’avis{NBSP}: {code or 'absente'})")


def _launch(issued: str | None, kind: NoticeKind) -> Value:
    """``consultation.date_lancement``: a contract notice's dispatch date (BT-05); the other
    notices' dispatch date is not a launch date and is listed with what it is."""
    sent = _date(issued)
    if kind.document == CONTRACT_NOTICE:
        return sent or ToFill(
            f"la date d’envoi de l’avis, AAAA-MM-JJ (l’avis donne {_shown(issued or 'rien')})"
        )
    shown = sent.isoformat() if sent else _shown(issued or "absente")
    if kind.document == PRIOR_INFORMATION_NOTICE:
        return ToFill(
            f"la date de lancement de la consultation, AAAA-MM-JJ{NBSP}; date d’envoi de "
            f"l’avis de préinformation{NBSP}: {shown}{NBSP}; la date de lancement est celle "
            "de l’avis de marché"
        )
    return ToFill(
        "la date de lancement de la procédure, AAAA-MM-JJ (la première sollicitation du "
        f"titulaire pressenti){NBSP}; date d’envoi de l’avis d’intention de conclure{NBSP}: "
        f"{shown}{NBSP}; cet avis annonce un marché attribué sans publicité préalable et ne "
        "lance pas de consultation"
    )


def _date(text: str | None) -> date | None:
    """The ISO date at the start of ``text``, or None."""
    match = ISO_DATE.match(text or "")
    if match:
        try:
            return date.fromisoformat(match.group(1))
        except ValueError:
            pass
    return None


def _estimate(project: Element | None) -> Element | None:
    """BT-27, the estimated value (``cbc:EstimatedOverallContractAmount``), or None."""
    if project is None:
        return None
    return project.find("cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount", NS)


def _awarded(root: Element) -> dict[str, list[Element]]:
    """A VEAT's tender values (BT-720, ``cac:LegalMonetaryTotal/cbc:PayableAmount``) by lot."""
    values: dict[str, list[Element]] = {}
    for tender in root.iterfind(".//efac:NoticeResult/efac:LotTender", NS):
        lot = _text(tender, "efac:TenderLot/cbc:ID")
        amount = tender.find("cac:LegalMonetaryTotal/cbc:PayableAmount", NS)
        if lot is not None and amount is not None and (amount.text or "").strip():
            values.setdefault(lot, []).append(amount)
    return values


def _lot(
    lot: Element, overall: Element | None, awarded: dict[str, list[Element]]
) -> dict[str, Value]:
    """A lot's fields; ``overall`` is the procedure's value when the notice has one lot,
    ``awarded`` a VEAT's contract values by lot."""
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
            _estimate(project) if _estimate(project) is not None else overall,
            identifier,
            awarded.get(identifier, []),
        ),
    }


def _amount(element: Element | None, identifier: str, awarded: list[Element]) -> Value:
    """BT-27 in euros. A VEAT's contract value (BT-720) is not used: the operation's amount
    is the estimated value of the need (R2121-1, options and renewals included), to which
    the L2112-2-1 threshold is compared, not the price of the tender retained; it is
    shown."""
    if element is None or not (element.text or "").strip():
        values = ", ".join(
            f"{(value.text or '').strip()} {value.get('currencyID') or 'sans devise'}"
            for value in awarded
        )
        given = (
            f"{NBSP}; l’avis donne la valeur du marché attribué (BT-720){NBSP}: {values}, "
            "qui n’est pas la valeur estimée du besoin (article R2121-1, options et "
            "reconductions comprises)"
            if values
            else ""
        )
        return ToFill(
            f"le montant estimé HT du lot {identifier} en euros (l’avis ne le donne pas){given}"
        )
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


# --- the duration (BT-36) ---------------------------------------------------------------------

DURATION_TO_FILL = "la durée du marché en mois, reconductions comprises"


def _duration(lots: list[Element]) -> Value:
    """``consultation.duree_mois``: the lots' one duration in whole months, or why not."""
    months: dict[int, list[str]] = {}
    for lot in lots:
        identifier = _text(lot, "cbc:ID") or "?"
        read = _lot_months(lot, identifier)
        if isinstance(read, ToFill):
            return read
        months.setdefault(read, []).append(identifier)
    if len(months) > 1:
        shown = ", ".join(f"{m}{NBSP}mois ({', '.join(ids)})" for m, ids in months.items())
        return ToFill(
            f"{DURATION_TO_FILL}{NBSP}; les lots de l’avis ont des durées différentes{NBSP}: "
            f"{shown} (la durée propre d’un lot va dans son champ duree_mois)"
        )
    return next(iter(months))


def _lot_months(lot: Element, identifier: str) -> int | ToFill:
    project = lot.find("cac:ProcurementProject", NS)
    measure = (
        project.find("cac:PlannedPeriod/cbc:DurationMeasure", NS) if project is not None else None
    )
    text = (measure.text or "").strip() if measure is not None else ""
    if measure is None or not text:
        start = _text(project, "cac:PlannedPeriod/cbc:StartDate")
        end = _text(project, "cac:PlannedPeriod/cbc:EndDate")
        given = (
            f"{NBSP}; l’avis donne le lot {identifier} du {start[:10]} au {end[:10]}"
            if start and end
            else f"{NBSP}; l’avis ne donne pas la durée du lot {identifier}"
        )
        return ToFill(DURATION_TO_FILL + given)
    unit = measure.get("unitCode") or ""
    given = f"l’avis donne {_shown(text)} {UNIT_NAMES.get(unit, unit or 'sans unité')}"
    if unit not in MONTHS_PER_UNIT or not WHOLE.match(text):
        return ToFill(
            f"{DURATION_TO_FILL}{NBSP}; {given} pour le lot {identifier}, qui ne fait pas "
            "un nombre entier de mois"
        )
    months = int(text) * MONTHS_PER_UNIT[unit]
    renewals = _text(project, "cac:ContractExtension/cbc:MaximumNumberNumeric")
    if renewals not in (None, "0") or (
        project is not None and project.find("cac:ContractExtension/cac:Renewal", NS) is not None
    ):
        return ToFill(
            f"{DURATION_TO_FILL}{NBSP}; {given} pour le lot {identifier}, sans ses "
            f"reconductions ({renewals or 'nombre non donné'} au plus)"
        )
    if not 1 <= months <= MAX_MONTHS:
        return ToFill(f"{DURATION_TO_FILL} (de 1 à {MAX_MONTHS}){NBSP}; {given}")
    return months


# --- the social codes (BT-71, BT-06, BT-775) --------------------------------------------------

DISPOSITIF_TO_FILL = "condition_execution, critere_attribution ou marche_reserve"


def _codes(lot: Element, xpath: str, list_name: str) -> list[str]:
    return [
        (code.text or "").strip()
        for code in lot.iterfind(f"{xpath}[@listName='{list_name}']", NS)
        if (code.text or "").strip()
    ]


def _reserved(lot: Element) -> str:
    """BT-71: the lot's reserved-procurement code, ``none`` when absent."""
    codes = _codes(
        lot,
        "cac:TenderingTerms/cac:TendererQualificationRequest/cac:SpecificTendererRequirement/"
        "cbc:TendererRequirementTypeCode",
        "reserved-procurement",
    )
    return next((c for c in codes if c != "none"), "none")


def _social(lot: Element) -> list[str]:
    """BT-06 ``soc-obj`` and the BT-775 codes the lot declares."""
    xpath = "cac:ProcurementProject/cac:ProcurementAdditionalType/cbc:ProcurementTypeCode"
    strategic = [c for c in _codes(lot, xpath, "strategic-procurement") if c == SOC_OBJ]
    return strategic + _codes(lot, xpath, "social-objective")


def _dispositif(lots: list[Element]) -> dict[str, Value]:
    """``clause.dispositif`` (and its ``reservation``) from the lots' social codes, or why
    they do not say it."""
    reserved = {_text(lot, "cbc:ID") or "?": _reserved(lot) for lot in lots}
    if set(reserved.values()) == {RES_WS}:
        return {
            "dispositif": "marche_reserve",
            "reservation": {
                "beneficiaires": ToFill(
                    "ea_esat (L2113-12), siae (L2113-13) ou ea_esat_siae (les deux)"
                    f"{NBSP}; l’avis réserve "
                    + ("le lot" if len(lots) == 1 else "tous les lots")
                    + " aux ateliers protégés et aux opérateurs d’insertion (res-ws) sans "
                    "dire auxquels"
                )
            },
        }
    said = [
        f"lot {identifier} {RESERVATION_LABELS.get(code, code)}"
        for identifier, code in reserved.items()
        if code != "none"
    ]
    for lot in lots:
        social = _social(lot)
        if social:
            labels = [SOCIAL_OBJECTIVE_LABELS.get(c, c) for c in social if c != SOC_OBJ] or [
                "objectifs sociaux (soc-obj)"
            ]
            identifier = _text(lot, "cbc:ID") or "?"
            said.append(f"lot {identifier} objectif social{NBSP}: {', '.join(labels)}")
    if not said:
        reason = "l’avis ne déclare ni réservation ni objectif social"
    elif any(code != "none" for code in reserved.values()):
        reason = f"l’avis indique{NBSP}: " + f"{NBSP}; ".join(said)
    else:
        reason = (
            "l’avis ne dit pas si la clause est une condition d’exécution ou un critère"
            f"{NBSP}: " + f"{NBSP}; ".join(said)
        )
    return {"dispositif": ToFill(f"{DISPOSITIF_TO_FILL} ({reason})")}
