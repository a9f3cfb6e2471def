"""How a company carries out its insertion hours (modalités), and with which structures.

Source: CCAG 2021 insertion clause (e.g. CCAG-TIC art. 16.1.1) and the structure kinds of
le marché de l'inclusion (domain.md §3.1):

- direct hiring of an eligible person by the contractor;
- placement of staff (mise à disposition) by an ETTI, an AI, a GEIQ or an EATT;
- subcontracting or co-contracting with an EI, an ACI, an EA or an ESAT;
- training, where the clause counts it.

The same vocabulary is used by commitments (planned hours) and by the hours ledger
(realised hours), so that the two can be compared line by line.
"""

from __future__ import annotations

from enum import StrEnum


class Modalite(StrEnum):
    EMBAUCHE_DIRECTE = "embauche_directe"
    MISE_A_DISPOSITION = "mise_a_disposition"
    SOUS_TRAITANCE = "sous_traitance"
    CO_TRAITANCE = "co_traitance"
    FORMATION = "formation"

    @property
    def label(self) -> str:
        return MODALITE_LABELS[self]

    @property
    def structures(self) -> frozenset[TypeStructure]:
        """The structure kinds this modality goes through; empty when none is involved."""
        return STRUCTURES_BY_MODALITE.get(self, frozenset())

    @property
    def by_amount(self) -> bool:
        """Whether the hours may be declared as an amount invoiced (converted to hours)."""
        return self in (Modalite.SOUS_TRAITANCE, Modalite.CO_TRAITANCE)


class TypeStructure(StrEnum):
    ETTI = "etti"
    AI = "ai"
    GEIQ = "geiq"
    EATT = "eatt"
    EI = "ei"
    ACI = "aci"
    EA = "ea"
    ESAT = "esat"

    @property
    def label(self) -> str:
        return self.value.upper()

    @property
    def designation(self) -> str:
        """The structure kind in full, with its indefinite article and its acronym."""
        return f"{STRUCTURE_DESIGNATIONS[self]} ({self.label})"


MODALITE_LABELS = {
    Modalite.EMBAUCHE_DIRECTE: "Embauche directe",
    Modalite.MISE_A_DISPOSITION: "Mise à disposition",
    Modalite.SOUS_TRAITANCE: "Sous-traitance",
    Modalite.CO_TRAITANCE: "Cotraitance",
    Modalite.FORMATION: "Formation",
}

STRUCTURE_DESIGNATIONS = {
    TypeStructure.ETTI: "une entreprise de travail temporaire d’insertion",
    TypeStructure.AI: "une association intermédiaire",
    TypeStructure.GEIQ: "un groupement d’employeurs pour l’insertion et la qualification",
    TypeStructure.EATT: "une entreprise adaptée de travail temporaire",
    TypeStructure.EI: "une entreprise d’insertion",
    TypeStructure.ACI: "un atelier et chantier d’insertion",
    TypeStructure.EA: "une entreprise adaptée",
    TypeStructure.ESAT: "un établissement et service d’aide par le travail",
}

_PLACEMENT = frozenset(
    {TypeStructure.ETTI, TypeStructure.AI, TypeStructure.GEIQ, TypeStructure.EATT}
)
_SERVICE = frozenset({TypeStructure.EI, TypeStructure.ACI, TypeStructure.EA, TypeStructure.ESAT})

STRUCTURES_BY_MODALITE = {
    Modalite.MISE_A_DISPOSITION: _PLACEMENT,
    Modalite.SOUS_TRAITANCE: _SERVICE,
    Modalite.CO_TRAITANCE: _SERVICE,
}


def structure_problem(modalite: Modalite, structure: TypeStructure | None) -> str | None:
    """Why ``structure`` does not go with ``modalite``, or None when it does."""
    allowed = modalite.structures
    if not allowed and structure is not None:
        return f"{modalite.value} involves no structure; leave the structure empty."
    if allowed and structure is None:
        return f"{modalite.value} needs the structure involved: one of {_names(allowed)}."
    if allowed and structure not in allowed:
        return (
            f"{structure.label} structures do not do {modalite.value}; "
            f"{modalite.value} goes through one of {_names(allowed)}."
        )
    return None


def line_label(modalite: Modalite, structure: TypeStructure | None) -> str:
    """``Mise à disposition (ETTI)``: how a line of a table names a modality."""
    return f"{modalite.label} ({structure.label})" if structure else modalite.label


def _names(structures: frozenset[TypeStructure]) -> str:
    return ", ".join(s.value for s in TypeStructure if s in structures)
