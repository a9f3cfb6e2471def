"""Counting rules the CCAP states for particular hours: a direct hire on a CDI.

The CCAP (``ccap.modalites``) counts every hour a person hired on a CDI works until the end
of execution, within ``suivi.embauche_cdi_plafond_heures`` per person: each such person's
hours on a lot are counted up to that cap, and the cap is traced with them.
"""

from __future__ import annotations

from decimal import Decimal

from clausegen.calibration.methods import HOURS
from clausegen.calibration.trace import Operand, Origin, TraceBuilder, decimal_of

CDI_CAP = "suivi.embauche_cdi_plafond_heures"


def capped_cdi_hours(trace: TraceBuilder, participant: str, declared: Decimal, ref: str) -> Operand:
    """A CDI hire's declared hours on a lot, counted within the cap per person."""
    hours = Operand(
        f"heures déclarées, CDI de {participant}", declared, Origin.REGISTRE, ref, HOURS
    )
    cap = trace.parameter(CDI_CAP, "plafond d’une embauche en CDI")
    return trace.step(
        f"heures comptées, CDI de {participant}",
        "le moindre des heures déclarées et du plafond par personne",
        (hours, cap),
        min(declared, decimal_of(cap)),
        HOURS,
    )
