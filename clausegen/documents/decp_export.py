"""The open-data view of a consultation: per lot, the DECP v2 fields known when it is
launched (buyer, CPV, procedure, CCAG, duration, ``considerationsSociales``) and the eForms social
codes (BT-06, BT-775, BT-71), as the formats spell them.

Pure: it reads the operation and its sizing (which lots carry the clause) and composes
data; the CLI and the service serialise it. The values come from
``clausegen.law.declaration``, which the compliance statement reads too.
"""

from __future__ import annotations

from typing import Any

from clausegen.calibration.calibrate import Calibration
from clausegen.inputs.operation import Ccag, Operation, Procedure
from clausegen.law.declaration import LotDeclaration, declare_lot

FORMAT = "clausegen.decp/1"

DECP_PROCEDURES = {
    Procedure.PROCEDURE_ADAPTEE: "Procédure adaptée",
    Procedure.APPEL_OFFRES_OUVERT: "Appel d'offres ouvert",
    Procedure.APPEL_OFFRES_RESTREINT: "Appel d'offres restreint",
    Procedure.PROCEDURE_AVEC_NEGOCIATION: "Procédure avec négociation",
    Procedure.DIALOGUE_COMPETITIF: "Dialogue compétitif",
}
"""The DECP v2.0.3 ``procedure`` enum, spelt as the schema spells it (straight apostrophes)."""

DECP_CCAG = {
    Ccag.TRAVAUX: "Travaux",
    Ccag.MOE: "Maitrise d'œuvre",
    Ccag.FCS: "Fournitures courantes et services",
    Ccag.MI: "Marchés industriels",
    Ccag.PI: "Prestations intellectuelles",
    Ccag.TIC: "Techniques de l'information et de la communication",
    Ccag.AUCUN: "Pas de CCAG",
}
"""The DECP v2.0.3 ``ccag`` enum, spelt as the schema spells it."""


def lot_declarations(operation: Operation, calibration: Calibration) -> tuple[LotDeclaration, ...]:
    """Each lot's declaration, in the operation's order: a lot carries the clause when its
    sizing retains it."""
    dispositif = operation.clause.dispositif
    return tuple(declare_lot(lot.numero, dispositif, clause=lot.retenu) for lot in calibration.lots)


def decp_export(operation: Operation, calibration: Calibration) -> dict[str, Any]:
    """The export of ``operation``: its consultation, then one entry per lot."""
    consultation = operation.consultation
    declarations = {d.lot: d for d in lot_declarations(operation, calibration)}
    lots = []
    for lot in operation.lots:
        declaration = declarations[lot.numero]
        lots.append(
            {
                "lot": lot.numero,
                "intitule": lot.intitule,
                "decp": {
                    "acheteur": {"id": operation.acheteur.siret},
                    "codeCPV": lot.cpv,
                    "procedure": DECP_PROCEDURES[consultation.procedure],
                    "ccag": DECP_CCAG[consultation.ccag],
                    "dureeMois": lot.duree_mois or consultation.duree_mois,
                    "considerationsSociales": declaration.decp_data(),
                },
                "eforms": declaration.eforms.as_data(),
            }
        )
    return {
        "format": FORMAT,
        "consultation": {
            "reference": consultation.reference,
            "objet": consultation.objet,
            "acheteur": operation.acheteur.nom,
            "dispositif": operation.clause.dispositif.value,
        },
        "lots": lots,
    }
