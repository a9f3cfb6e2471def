"""What one lot's contract declares about its social consideration, in both open-data
formats: the DECP v2 ``considerationsSociales`` and the eForms BT-06/BT-775/BT-71 codes.

``declare_lot`` is the one function the DECP export, the compliance statement and its
manifest read, so the three always cite the same values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clausegen.inputs.operation import Dispositif
from clausegen.law.decp import PAS_DE_CONSIDERATION, considerations_sociales
from clausegen.law.eforms import EformsCodes, eforms_codes


@dataclass(frozen=True)
class LotDeclaration:
    """One lot's social consideration, as DECP v2 values and as eForms codes."""

    lot: int
    considerations_sociales: tuple[str, ...]
    eforms: EformsCodes

    def decp_data(self) -> dict[str, list[str]]:
        """The DECP v2 ``considerationsSociales`` object (the schema wraps the list)."""
        return {"considerationSociale": list(self.considerations_sociales)}

    def as_data(self) -> dict[str, Any]:
        return {
            "lot": self.lot,
            "considerationsSociales": self.decp_data(),
            "eforms": self.eforms.as_data(),
        }


def declare_lot(numero: int, dispositif: Dispositif, *, clause: bool) -> LotDeclaration:
    """The declaration of lot ``numero``; ``clause`` says whether it carries the insertion
    clause (a lot left out by the buyer, or sized at zero hours, does not)."""
    values = considerations_sociales(dispositif, clause=clause)
    return LotDeclaration(
        lot=numero,
        considerations_sociales=values,
        eforms=eforms_codes(
            social=values != (PAS_DE_CONSIDERATION,),
            reserved=dispositif is Dispositif.MARCHE_RESERVE,
        ),
    )
