"""The French name of a trade (a lot's ``metier``), as its labour-share parameter words it.

The dated parameters are the one place clausegen names trades in French: each known trade
has ``part_main_oeuvre.<métier>``, described « Part de main-d’œuvre — gros œuvre ». A trade
without that parameter (a lot that gives its own labour share) keeps its code.
"""

from __future__ import annotations

from clausegen.inputs.french import typographic_apostrophes
from clausegen.law.parameters import ParameterSet

TRADE_PARAMETERS = "part_main_oeuvre"
"""The parameters named after the trades: ``part_main_oeuvre.<métier>``."""
SEPARATOR = " — "
"""Between what the parameter measures and the trade, in its description."""


def trade_label(parameters: ParameterSet, metier: str) -> str:
    """``gros_oeuvre`` → « Gros œuvre »; an unknown trade → its code."""
    parameter_id = f"{TRADE_PARAMETERS}.{metier}"
    if parameter_id not in parameters:
        return metier
    _, separator, name = parameters.get(parameter_id).description.partition(SEPARATOR)
    if not separator or not name.strip():
        return metier
    name = typographic_apostrophes(name.strip())
    return name[:1].upper() + name[1:]
