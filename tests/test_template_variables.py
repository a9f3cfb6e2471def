"""The check of template variables against a context model, and French spacing."""

from __future__ import annotations

from clausegen.documents.contexts import TenderContext
from clausegen.documents.formatting import NBSP, NNBSP, typographie
from clausegen.law.template_variables import context_fields, unknown_variables
from clausegen.law.templating import text_environment


def unknown(source: str) -> list[str]:
    syntax = text_environment().parse(source)
    return [str(u) for u in unknown_variables(syntax, TenderContext)]


def test_known_paths_loops_and_filters_pass():
    assert (
        unknown(
            "{{ acheteur.nom }}{% for lot in lots_retenus %}{{ lot.intitule|upper }}"
            "{{ loop.index }}{% endfor %}{% set n = lots|length %}{{ n.anything }}"
            "{{ termes.penalite.par_heure }}{{ lots[0].heures }}"
        )
        == []
    )


def test_unknown_paths_are_all_reported_with_close_matches():
    assert unknown(
        "{{ acheteur.nomm }}{% for lot in lots %}{{ lot.heure }}{% endfor %}{{ facture }}"
        "{{ termes.penalite.par_heur }}"
    ) == [
        "'acheteur.nomm' is not in the context; did you mean acheteur.nom or acheteur.a_nom?",
        "'lot.heure' is not in the context; did you mean lot.heures?",
        "'facture' is not in the context; did you mean acheteur or facilitateur?",
        "'termes.penalite.par_heur' is not in the context; did you mean termes.penalite.par_heure?",
    ]


def test_a_loop_variable_does_not_leak_out_of_its_loop():
    assert unknown("{% for lot in lots %}{% endfor %}{{ lot.numero }}") == [
        "'lot' is not in the context; did you mean lots?"
    ]


def test_context_paths_list_nested_fields():
    paths = {field.path for field in context_fields(TenderContext)}
    assert {"acheteur.nom", "lots[].heures", "termes.penalite.par_heure"} <= paths


def test_french_spacing():
    assert typographie("Article : « clause » ; 50 % et n° 12 ?") == (
        f"Article{NBSP}: «{NBSP}clause{NBSP}»{NNBSP}; 50{NBSP}% et n°{NBSP}12{NNBSP}?"
    )
    assert typographie("https://example.fr et 10:30") == "https://example.fr et 10:30"
