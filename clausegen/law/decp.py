"""The social considerations a contract declares in its essential data (DECP v2).

The DECP v2.0.3 schema (``considerationsSociales.considerationSociale``, an array of at
least one value, 139bercy/format-commande-publique) allows ``Clause sociale``, ``Critère
social``, ``Marché réservé`` and ``Pas de considération sociale``, and gives no more
definition than their names. clausegen declares them from the clause's ``dispositif``:

- every dispositif makes the insertion hours an execution condition (the CCAP's
  ``ccap.fondement.*`` fragments all say so: for an award criterion, the bid's commitments
  become execution conditions; in a reserved contract, the holder also commits to the
  hours), hence ``Clause sociale`` for every lot carrying the clause;
- ``critere_attribution`` adds ``Critère social`` (R2152-7); the schema's own example
  contract declares the two values together;
- ``marche_reserve`` adds ``Marché réservé`` (L2113-12/13) for every lot of the
  consultation, the reservation covering the whole consultation;
- a lot with none of these declares ``Pas de considération sociale``.

Values follow the schema's order. The compliance statement and the DECP export read them
from here, so both say the same.
"""

from __future__ import annotations

from clausegen.inputs.operation import Dispositif

CLAUSE_SOCIALE = "Clause sociale"
CRITERE_SOCIAL = "Critère social"
MARCHE_RESERVE = "Marché réservé"
PAS_DE_CONSIDERATION = "Pas de considération sociale"
SCHEMA_ORDER = (CLAUSE_SOCIALE, CRITERE_SOCIAL, MARCHE_RESERVE, PAS_DE_CONSIDERATION)
"""The schema's enum of ``considerationSociale`` for a contract (marché), in its order."""


def considerations_sociales(dispositif: Dispositif, *, clause: bool) -> tuple[str, ...]:
    """The ``considerationSociale`` values of one lot's contract.

    ``clause`` says whether the lot carries the insertion clause (a lot left out of it by
    the buyer, or sized at zero hours, does not).
    """
    values = set()
    if clause:
        values.add(CLAUSE_SOCIALE)
        if dispositif is Dispositif.CRITERE_ATTRIBUTION:
            values.add(CRITERE_SOCIAL)
    if dispositif is Dispositif.MARCHE_RESERVE:
        values.add(MARCHE_RESERVE)
    return tuple(v for v in SCHEMA_ORDER if v in values) or (PAS_DE_CONSIDERATION,)
