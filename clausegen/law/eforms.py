"""The social codes an eForms notice declares for a lot (BT-06, BT-775, BT-71).

The eForms code lists (OP-TED/eForms-SDK, ``codelists/``) give, per lot:

- BT-06 *strategic procurement* (list ``strategic-procurement``): ``soc-obj`` (fulfilment of
  social objectives) or ``none``;
- BT-775 *social objective* (list ``social-objective``), only with ``soc-obj``: ``opp``
  (employment opportunities for the long-term unemployed, disadvantaged persons and/or
  persons with disabilities), which is what the insertion clause and the reserved contract
  pursue;
- BT-71 *reserved procurement* (list ``reserved-procurement``): ``res-ws`` (participation
  reserved to sheltered workshops and economic operators aiming at the social and
  professional integration of disabled or disadvantaged persons, which covers both
  L2113-12 and L2113-13) or ``none``.

A lot that declares any DECP social consideration other than « Pas de considération
sociale » declares ``soc-obj`` with ``opp``; a reserved consultation declares ``res-ws``.
"""

from __future__ import annotations

from dataclasses import dataclass

STRATEGIC_PROCUREMENT = "strategic-procurement"
SOCIAL_OBJECTIVE = "social-objective"
RESERVED_PROCUREMENT = "reserved-procurement"

SOC_OBJ = "soc-obj"
NONE = "none"
OPP = "opp"
RES_WS = "res-ws"

FIELDS = {
    "BT-06-Lot": STRATEGIC_PROCUREMENT,
    "BT-775-Lot": SOCIAL_OBJECTIVE,
    "BT-71-Lot": RESERVED_PROCUREMENT,
}
"""The eForms business terms clausegen declares, each with its code list."""


@dataclass(frozen=True)
class EformsCodes:
    """One lot's codes, per business term (BT-775 is empty without ``soc-obj``)."""

    strategic_procurement: tuple[str, ...]
    social_objective: tuple[str, ...]
    reserved_procurement: tuple[str, ...]

    def as_data(self) -> dict[str, list[dict[str, str]]]:
        """Per business term, its codes as ``{listName, code}``, as the notice writes them."""
        codes = (self.strategic_procurement, self.social_objective, self.reserved_procurement)
        return {
            field: [{"listName": list_name, "code": code} for code in values]
            for (field, list_name), values in zip(FIELDS.items(), codes, strict=True)
        }


def eforms_codes(*, social: bool, reserved: bool) -> EformsCodes:
    """The codes of a lot that pursues a social objective (``social``) or not, in a
    consultation reserved to insertion or disability structures (``reserved``) or not."""
    return EformsCodes(
        strategic_procurement=(SOC_OBJ,) if social else (NONE,),
        social_objective=(OPP,) if social else (),
        reserved_procurement=(RES_WS,) if reserved else (NONE,),
    )
