"""The law a command's documents rest on and nobody has verified: reported, or refused.

Each fragment and parameter version carries a status (``verifie``, ``a_verifier``,
``indicatif``). ``tender`` lists on stderr, in French, the versions its documents use that
are not verified; with ``--strict`` every document command refuses to write documents that
depend on one.
"""

from __future__ import annotations

from collections.abc import Sequence

from clausegen.documents.manifest import FRAGMENT, PARAMETER, UnverifiedVersion
from clausegen.errors import UnverifiedLawError
from clausegen.law.dated import Reliability

MEANINGS = {
    Reliability.A_VERIFIER: "référence citée de mémoire, à contrôler sur le texte officiel",
    Reliability.INDICATIF: "valeur usuelle qu’aucune source ne fixe, à confirmer ou à ajuster",
}
KINDS = {FRAGMENT: "fragment", PARAMETER: "paramètre"}


def unverified_report(versions: Sequence[UnverifiedVersion]) -> tuple[str, ...]:
    """The French lines listing ``versions`` by status, each status explained once; none
    when every version is verified."""
    if not versions:
        return ()
    plural = "s" if len(versions) > 1 else ""
    lines = [
        f"Ces documents reposent sur {len(versions)} version{plural} non vérifiée{plural} "
        "de fragments et de paramètres (--strict refuse de les écrire) :"
    ]
    width = max(len(f"{KINDS[v.kind]} {v.id}") for v in versions)
    for status, meaning in MEANINGS.items():
        listed = [v for v in versions if v.reliability is status]
        if listed:
            lines.append(f"  {status.value} ({meaning}) :")
            lines += [
                f"    {f'{KINDS[v.kind]} {v.id}':<{width}}  depuis {v.effective_from.isoformat()}"
                for v in listed
            ]
    return tuple(lines)


def refuse_unverified(versions: Sequence[UnverifiedVersion]) -> None:
    """``--strict``: an ``UnverifiedLawError`` listing ``versions`` by status, if any."""
    if not versions:
        return
    by_status: dict[str, list[str]] = {}
    for version in versions:
        by_status.setdefault(version.reliability.value, []).append(
            f"{version.kind} {version.citation}"
        )
    raise UnverifiedLawError(versions=by_status)
