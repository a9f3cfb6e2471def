"""The reconciliation as a facilitator reads it in a terminal: one line per lot and company.

``Due`` is what the company is held to: the lot's required hours, or the hours its offer
committed when the hours are an award criterion (the status and the penalty are measured
against it, as in the compliance statement)."""

from __future__ import annotations

from clausegen.cli.views.text_table import aligned_line, column_widths
from clausegen.documents import formatting as fr
from clausegen.execution.reconciliation import LotReconciliation, Reconciliation, Statut

HEADERS = ("Lot", "Company", "Required", "Committed", "Due", "Realised", "Status", "Penalty")
RIGHT_ALIGNED = {2, 3, 4, 5, 7}
STATUS = {"atteint": "met", "en_cours": "in progress", "insuffisant": "shortfall"}


def compliance_table(reconciliation: Reconciliation) -> str:
    asked = reconciliation.arrete_demande
    unestablished = asked is not None and asked >= reconciliation.execution.fin
    rows = [_row(lot, unestablished) for lot in reconciliation.lots]
    widths = column_widths([HEADERS, *rows])
    rule = tuple("-" * width for width in widths)
    lines = [aligned_line(row, widths, RIGHT_ALIGNED) for row in (HEADERS, rule, *rows)]
    return "\n".join(lines) + "\n"


def _row(lot: LotReconciliation, unestablished: bool) -> tuple[str, ...]:
    """``unestablished``: the date asked reaches the end of execution, the ledger does not
    (« Bilan de fin de marché non établi »): a lot in progress has no finding."""
    status = STATUS[lot.statut.value]
    if unestablished and lot.statut is Statut.EN_COURS:
        status = "no finding (ledger stops early)"
    return (
        str(lot.numero),
        lot.entreprise.raison_sociale,
        fr.number(lot.requis),
        fr.number(lot.engage, 2, exact=True),
        fr.number(lot.heures_dues, 2, exact=True),
        fr.number(lot.realise, 2, exact=True),
        status,
        fr.euros(lot.penalite.montant) if lot.penalite is not None else "–",
    )
