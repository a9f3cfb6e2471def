"""The form's fields and the operation they describe, both ways.

Each input is named by the field path the CLI's errors use (``lots[1].montant_estime_ht``),
so an error finds its field by name. Settings the form has no field for (a lot's exclusion,
the sizing thresholds, the execution dates…) are kept, as YAML, in a « Réglages
complémentaires » text area for the operation and in a hidden input per lot: an operation
file loads into the form and saves back with nothing lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from clausegen.errors import InputError, Problem

OPERATION_FIELDS = (
    "acheteur.nom",
    "acheteur.siret",
    "acheteur.type",
    "facilitateur.nom",
    "facilitateur.civilite",
    "facilitateur.structure",
    "facilitateur.email",
    "consultation.reference",
    "consultation.objet",
    "consultation.date_lancement",
    "consultation.procedure",
    "consultation.type_marche",
    "consultation.ccag",
    "consultation.duree_mois",
    "clause.dispositif",
    "clause.calibrage.methode",
    "clause.taux_insertion",
    "clause.cout_horaire",
    "clause.penalite.par_heure_manquante",
    "clause.penalite.multiple_smic_par_heure",
    "clause.penalite.par_jour_retard",
    "clause.penalite.plafond_part_montant",
)
"""The operation's fields that have an input, by their path in the operation file."""

LOT_FIELDS = (
    "numero",
    "intitule",
    "cpv",
    "metier",
    "montant_estime_ht",
    "calibrage.methode",
)
"""Each lot row's inputs, by their path in a lot (``lots[i].<path>``)."""

PERCENT_FIELDS = frozenset({"clause.taux_insertion", "clause.penalite.plafond_part_montant"})
"""Rates the form shows in percent (7 for 7 %); the file writes them as fractions (0.07)."""

NUMBER_FIELDS = frozenset(
    {
        "consultation.duree_mois",
        "clause.cout_horaire",
        "clause.penalite.multiple_smic_par_heure",
        "numero",
        "montant_estime_ht",
    }
)
"""Fields typed as numbers: French writing (« 2 150 000,50 ») is read as the file's."""

PENALTY_FIELDS = frozenset(
    {"clause.penalite.par_heure_manquante", "clause.penalite.par_jour_retard"}
)
"""Penalty amounts: a number, or « aucune »."""

COMPLEMENTS = "complements"
"""The text area with the operation's other settings, as YAML."""

LOT_COMPLEMENTS = "complements"
"""Each lot row's hidden input with the lot's other settings, as YAML."""

_LOT_NAME = re.compile(r"^lots\[(\d+)\]\.(.+)$")


@dataclass
class FormState:
    """What the form shows: its values by input name, its lot rows, and its complements."""

    values: dict[str, str] = field(default_factory=dict)
    lots: list[dict[str, str]] = field(default_factory=list)
    complements: str = ""

    def value(self, name: str) -> str:
        return self.values.get(name, "")


def blank_state() -> FormState:
    """A new operation: one empty lot, the default mechanism and method."""
    return FormState(
        values={"clause.dispositif": "condition_execution", "clause.calibrage.methode": ""},
        lots=[{"numero": "1"}],
    )


# --- form → operation -------------------------------------------------------------------------


def state_from_form(form: Mapping[str, str]) -> FormState:
    """The state of a posted form (its lot rows in their index order)."""
    values = {name: form.get(name, "") for name in OPERATION_FIELDS}
    rows: dict[int, dict[str, str]] = {}
    for name, value in form.items():
        match = _LOT_NAME.match(name)
        if match:
            rows.setdefault(int(match[1]), {})[match[2]] = value
    return FormState(values, [rows[i] for i in sorted(rows)], form.get(COMPLEMENTS, ""))


def operation_data(state: FormState) -> tuple[dict[str, Any], list[Problem]]:
    """The operation file's mapping the form describes, and the problems of its complements
    (YAML that does not read as a mapping)."""
    data: dict[str, Any] = {}
    problems: list[Problem] = []
    extra = _yaml_mapping(state.complements, COMPLEMENTS, problems)
    for name in OPERATION_FIELDS:
        _put(data, name, _typed(name, state.value(name)))
    lots = []
    for index, row in enumerate(state.lots):
        lot: dict[str, Any] = {}
        for name in LOT_FIELDS:
            _put(lot, name, _typed(name, row.get(name, "")))
        complements = _yaml_mapping(
            row.get(LOT_COMPLEMENTS, ""), f"lots[{index}].{LOT_COMPLEMENTS}", problems
        )
        lots.append(_merged(lot, complements))
    data = _merged(data, extra)
    data["lots"] = lots
    return data, problems


def _typed(name: str, text: str) -> Any:
    """The value a field's text stands for in the file; None when the field is empty."""
    text = text.strip()
    if not text:
        return None
    if name in PENALTY_FIELDS and text.lower() == "aucune":
        return "aucune"
    if name in NUMBER_FIELDS or name in PERCENT_FIELDS or name in PENALTY_FIELDS:
        number = _number(text)
        if number is None:
            return text  # the model says what is wrong with it
        if name in PERCENT_FIELDS:
            number = number / 100
        return number
    return text


def _number(text: str) -> Decimal | None:
    plain = re.sub(r"[\s\u00a0\u202f€%]", "", text).replace(",", ".")
    try:
        return Decimal(plain)
    except InvalidOperation:
        return None


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    if value is None:
        return
    *parents, last = path.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def _merged(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``extra``'s keys added, nested mappings merged; the form's values win."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        elif key not in merged:
            merged[key] = value
    return merged


def _yaml_mapping(text: str, location: str, problems: list[Problem]) -> Mapping[str, Any]:
    if not text.strip():
        return {}
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        problems.append(Problem(location, f"is not valid YAML{line}: correct it or empty it"))
        return {}
    if not isinstance(data, Mapping):
        problems.append(Problem(location, "must be YAML keys and values (key: value)"))
        return {}
    return data


# --- operation → form -------------------------------------------------------------------------


def state_from_operation(data: Mapping[str, Any]) -> FormState:
    """The form showing an operation file's mapping; what has no input goes to complements."""
    rest = _plain(data)
    lots = rest.pop("lots", None)
    values = {name: _shown(name, _take(rest, name)) for name in OPERATION_FIELDS}
    rows = []
    for lot in lots if isinstance(lots, list) else []:
        row_rest = _plain(lot) if isinstance(lot, Mapping) else {}
        row = {name: _shown(name, _take(row_rest, name)) for name in LOT_FIELDS}
        row[LOT_COMPLEMENTS] = _dump(row_rest)
        rows.append(row)
    return FormState(values, rows or [{"numero": "1"}], _dump(rest))


def _plain(data: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k): _plain(v) if isinstance(v, Mapping) else v for k, v in data.items()}


def _take(data: dict[str, Any], path: str) -> Any:
    """Remove and return the value at ``path``; empty mappings left behind go too."""
    *parents, last = path.split(".")
    chain = [data]
    for part in parents:
        child = chain[-1].get(part)
        if not isinstance(child, dict):
            return None
        chain.append(child)
    value = chain[-1].pop(last, None)
    for parent, part in zip(reversed(chain[:-1]), reversed(parents), strict=True):
        if parent[part] == {}:
            del parent[part]
    return value


def _shown(name: str, value: Any) -> str:
    if value is None:
        return ""
    if name in PERCENT_FIELDS:
        number = _number(str(value))
        if number is not None:
            return _decimal_text(number * 100)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return _decimal_text(Decimal(str(value)))
    return str(value)


def _decimal_text(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text.replace(".", ",")


def _dump(data: Mapping[str, Any]) -> str:
    if not data:
        return ""
    return yaml.dump(dict(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


class _Dumper(yaml.SafeDumper):
    """YAML as the operation file writes it: numbers plain (``2150000``, ``0.07``)."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value.normalize(), "f") if value != value.to_integral() else f"{value:.0f}"
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _decimal)


def operation_yaml(data: Mapping[str, Any]) -> str:
    """The operation file's text, as the CLI reads it."""
    return yaml.dump(dict(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def field_names(state: FormState) -> Iterable[str]:
    """Every input name of the form as it stands."""
    yield from OPERATION_FIELDS
    yield COMPLEMENTS
    for index in range(len(state.lots)):
        for name in (*LOT_FIELDS, LOT_COMPLEMENTS):
            yield f"lots[{index}].{name}"


def unreadable(error: InputError) -> bool:
    """Whether an operation file failed before validation (not YAML, not a mapping)."""
    return all(not problem.location for problem in error.problems)
