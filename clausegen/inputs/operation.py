"""The operation a buyer describes: who buys, the consultation, its clause settings and lots.

Field names are the French terms buyers and facilitators use (see the README glossary) and
are the keys of ``operation.yaml``. Unknown keys are rejected, money, hours and rates are
``Decimal``, and every rule that a single field can check is checked here, so that a bad
file is reported whole, before any calculation.
"""

from __future__ import annotations

import collections
import functools
import itertools
import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.fr import siret as stdnum_siret

from clausegen.inputs.french import (
    Article,
    Civilite,
    first_word,
    starts_with_vowel,
    typographic_apostrophes,
)
from clausegen.inputs.values import (
    CLEAN_CODE,
    CLEAN_TEXT,
    MAX_CODE_LENGTH,
    MAX_TEXT_LENGTH,
    PLAIN_DECIMAL,
    Entier,
    NumeroLot,
)

# --- field types ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _checked_siret(value: str) -> str | None:
    """The SIRET in its compact form, or None; cached: a ledger repeats a few on every row."""
    try:
        return str(stdnum_siret.validate(value))
    except StdnumValidationError:
        return None


def _valid_siret(value: str) -> str:
    shown = value if len(value) <= 40 else f"{value[:40]}…"
    if not value.isascii():
        raise PydanticCustomError(
            "siret",
            "'{value}' is not a valid SIRET: write its 14 digits with the digits 0 to 9 "
            "(not full-width digits or another script's)",
            {"value": shown},
        )
    checked = _checked_siret(value)
    if checked is None:
        raise PydanticCustomError(
            "siret",
            "'{value}' is not a valid SIRET: it needs 14 digits with a valid check digit "
            "(copy it from the Annuaire des entreprises or the INSEE SIRENE register).",
            {"value": shown},
        )
    return checked


def _valid_rate(value: Decimal) -> Decimal:
    if value > 1:
        raise PydanticCustomError(
            "rate_above_100",
            "must be a fraction between 0 and 1 and is above 100 % (got {value}); "
            "write 7 % as 0.07.",
            {"value": str(value)},
        )
    return value


Nombre = Annotated[Decimal, PLAIN_DECIMAL]
"""A number in decimal notation (``clausegen.inputs.values``): every Decimal input is one."""

Montant = Annotated[Nombre, Field(ge=0, decimal_places=2)]
"""An amount in euros, excluding tax, to the cent."""

Heures = Annotated[Nombre, Field(ge=0)]
"""A number of hours."""

Taux = Annotated[Nombre, Field(ge=0), AfterValidator(_valid_rate)]
"""A rate written as a fraction: 0.07 for 7 %."""

Siret = Annotated[str, StringConstraints(max_length=MAX_CODE_LENGTH), AfterValidator(_valid_siret)]

CPV_PATTERN = re.compile(r"^[0-9]{8}(-[0-9])?$")  # DECP v2 schema, codeCPV


def _valid_cpv(value: object) -> str:
    text = str(value).strip()
    if not CPV_PATTERN.match(text):
        raise PydanticCustomError(
            "cpv",
            "'{value}' is not a CPV code: write its 8 digits, a hyphen and its check digit, "
            "as in 45442100-8",
            {"value": text},
        )
    return text


CodeCpv = Annotated[
    str,
    BeforeValidator(_valid_cpv),
    Field(description="code CPV 2008 : 8 chiffres, un tiret et le chiffre de contrôle"),
]

Metier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$", max_length=MAX_CODE_LENGTH)]

Texte = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_LENGTH),
    CLEAN_TEXT,
    AfterValidator(typographic_apostrophes),
]
"""French text as typed: stripped, its apostrophes made typographic (``l’emploi``); no
control character but tab and line feed."""

Code = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_CODE_LENGTH),
    CLEAN_CODE,
]
"""A code, identifier, e-mail address or telephone number: kept exactly as typed; no
control character."""


class _Strict(BaseModel):
    """Base of every input model: unknown keys are errors, values are immutable. Each
    model's validator is built when first used (``defer_build``), not at import: reading an
    operation builds one, ``Operation``'s, holding the others."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --- buyer and facilitator --------------------------------------------------------------------


class TypeAcheteur(StrEnum):
    """The kind of buyer, which sets the EU threshold that applies."""

    ETAT = "etat"
    COLLECTIVITE = "collectivite"
    ENTITE_ADJUDICATRICE = "entite_adjudicatrice"


def _article(value: object) -> object:
    """``"La"``, ``"l'"`` → the ``Article``; anything else, a sentence saying what to write."""
    if not isinstance(value, str):
        return value
    text = typographic_apostrophes(value.strip().lower().replace("'", "’"))
    if text in {article.value for article in Article}:
        return Article(text)
    raise PydanticCustomError(
        "article",
        "'{value}' is not an article: write la, le, l’ (or l'), les, or \"\" for a name "
        "that takes none (a proper noun such as Montpellier Méditerranée Métropole)",
        {"value": value},
    )


def _civilite(value: object) -> object:
    if not isinstance(value, str):
        return value
    text = value.strip().lower()
    if text in {civilite.value for civilite in Civilite}:
        return Civilite(text)
    raise PydanticCustomError(
        "civilite",
        "'{value}' is not a civility: write madame or monsieur (it makes the documents say "
        "« facilitatrice » or « facilitateur »), or leave the field out",
        {"value": value},
    )


ArticleNom = Annotated[
    Article,
    BeforeValidator(_article),
    Field(description='the article the name takes: la, le, l’, les or "" (none)'),
]


def _elision_problem(key: str, article: Article | None, name: str) -> None:
    """An article that does not fit the name's first letter: « la Office », « l’Ville »."""
    if article is None:
        return
    word = first_word(name)
    vowel = starts_with_vowel(word)
    if article in (Article.LA, Article.LE) and vowel and not word.lower().startswith("h"):
        wanted, sound = "l’", "a vowel"
    elif article is Article.L and not vowel:
        wanted, sound = "la or le", "a consonant"
    else:
        return
    raise PydanticCustomError(
        "article_elision",
        "{key} '{article}' does not go with « {name} », which starts with {sound}: write "
        "{key}: {wanted}, or leave {key} out to have it inferred",
        {"key": key, "article": article.value, "name": name, "sound": sound, "wanted": wanted},
    )


class Acheteur(_Strict):
    """The public buyer (acheteur, maître d'ouvrage)."""

    nom: Texte
    siret: Siret
    type: TypeAcheteur
    article: ArticleNom | None = None

    @model_validator(mode="after")
    def _article_fits(self) -> Acheteur:
        _elision_problem("article", self.article, self.nom)
        return self


class Facilitateur(_Strict):
    """The social-clause facilitator who supports the buyer and the companies."""

    nom: Texte
    civilite: Annotated[Civilite, BeforeValidator(_civilite)] | None = None
    structure: Texte
    structure_article: ArticleNom | None = None
    email: Annotated[Code, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    telephone: Code | None = None

    @model_validator(mode="after")
    def _article_fits(self) -> Facilitateur:
        _elision_problem("structure_article", self.structure_article, self.structure)
        return self


# --- consultation -----------------------------------------------------------------------------


class TypeMarche(StrEnum):
    """Works, supplies or services: sets the EU threshold that applies."""

    TRAVAUX = "travaux"
    FOURNITURES = "fournitures"
    SERVICES = "services"


class Procedure(StrEnum):
    APPEL_OFFRES_OUVERT = "appel_offres_ouvert"
    APPEL_OFFRES_RESTREINT = "appel_offres_restreint"
    PROCEDURE_ADAPTEE = "procedure_adaptee"
    PROCEDURE_AVEC_NEGOCIATION = "procedure_avec_negociation"
    DIALOGUE_COMPETITIF = "dialogue_competitif"


class Ccag(StrEnum):
    TRAVAUX = "travaux"
    FCS = "fcs"
    PI = "pi"
    TIC = "tic"
    MI = "mi"
    MOE = "moe"
    AUCUN = "aucun"


class Consultation(_Strict):
    """The consultation; its launch date is the date the law is resolved at."""

    reference: Code
    objet: Texte
    procedure: Procedure
    type_marche: TypeMarche
    date_lancement: date = Field(
        description="the consultation's launch date (date d'envoi de l'avis de publicité), "
        "written YYYY-MM-DD; the law is resolved at this date"
    )
    duree_mois: Entier = Field(ge=1, le=240)
    ccag: Ccag
    anru: bool = False


# --- sizing methods (calibrage) ---------------------------------------------------------------


class PartMainOeuvre(_Strict):
    """Hours = amount HT × labour share × insertion rate ÷ hourly cost."""

    methode: Literal["part_main_oeuvre"]


class Assiette(StrEnum):
    """Which part of the amount counts once a trigger threshold is reached."""

    TOTALITE = "totalite"
    EXCEDENT = "excedent"


class HeuresParMontant(_Strict):
    """One insertion hour per ``euros_par_heure`` € HT, optionally above a trigger."""

    methode: Literal["heures_par_montant"]
    euros_par_heure: Annotated[Nombre, Field(gt=0)]
    seuil_declenchement: Montant | None = None
    assiette: Assiette = Assiette.TOTALITE


class Tranche(_Strict):
    """A closed range of amounts [de, a] and the hours it requires; no ``a`` = no upper bound."""

    de: Montant
    a: Montant | None = None
    heures: Heures


class Tranches(_Strict):
    """A table of amount bands; each amount falls in exactly one band."""

    methode: Literal["tranches"]
    tranches: list[Tranche] = Field(min_length=1)

    @model_validator(mode="after")
    def _contiguous(self) -> Tranches:
        bands = self.tranches
        if bands[0].de != 0:
            raise PydanticCustomError(
                "bands_start",
                "the first band must start at 0 (it starts at {de})",
                {"de": str(bands[0].de)},
            )
        for index, band in enumerate(bands, start=1):
            if band.a is not None and band.a < band.de:
                raise PydanticCustomError(
                    "band_reversed",
                    "band {n} ends ({a}) before it starts ({de})",
                    {"n": index, "a": str(band.a), "de": str(band.de)},
                )
            if band.a is None and index < len(bands):
                raise PydanticCustomError(
                    "band_open",
                    "only the last band may have no upper bound (band {n} has none)",
                    {"n": index},
                )
        for index, (previous, current) in enumerate(itertools.pairwise(bands), start=1):
            assert previous.a is not None  # checked above: only the last band is open
            if current.de <= previous.a:
                raise PydanticCustomError(
                    "bands_overlap",
                    "bands {n} ({p_de} to {p_a}) and {m} ({c_de} to {c_a}) overlap; each amount "
                    "must fall in exactly one band: start band {m} at {next_cent}",
                    {
                        "n": index,
                        "m": index + 1,
                        "p_de": str(previous.de),
                        "p_a": str(previous.a),
                        "c_de": str(current.de),
                        "c_a": str(current.a) if current.a is not None else "no limit",
                        "next_cent": str(previous.a + CENT),
                    },
                )
            if current.de > previous.a + CENT:
                raise PydanticCustomError(
                    "bands_gap",
                    "bands {n} and {m} leave amounts from {gap_from} to {gap_to} uncovered; "
                    "start band {m} at {next_cent}",
                    {
                        "n": index,
                        "m": index + 1,
                        "gap_from": str(previous.a + CENT),
                        "gap_to": str(current.de - CENT),
                        "next_cent": str(previous.a + CENT),
                    },
                )
        return self


class VoletAnru(StrEnum):
    """The part of an ANRU programme a lot belongs to, which sets the charter's rate."""

    TRAVAUX = "travaux"
    GESTION_URBAINE_PROXIMITE = "gestion_urbaine_proximite"


class PactProprete(_Strict):
    """Cleaning sector (PACT Propreté): I = P × A ÷ C × T, P weighting the staff take-over."""

    methode: Literal["pact_proprete"]


class Anru(_Strict):
    """ANRU charter: a share of the lot's hours worked (5 % works, 10 % GUP at least)."""

    methode: Literal["anru"]
    volet: VoletAnru = VoletAnru.TRAVAUX


MethodeCalibrage = Annotated[
    PartMainOeuvre | HeuresParMontant | Tranches | PactProprete | Anru,
    Field(discriminator="methode"),
]

METHOD_TAGS = frozenset(
    {"part_main_oeuvre", "heures_par_montant", "tranches", "pact_proprete", "anru"}
)
"""The ``methode`` values; pydantic puts them in error locations, which we hide."""

CENT = Decimal("0.01")


# --- clause settings --------------------------------------------------------------------------


class Dispositif(StrEnum):
    """The legal instrument that carries the social consideration."""

    CONDITION_EXECUTION = "condition_execution"
    CRITERE_ATTRIBUTION = "critere_attribution"
    MARCHE_RESERVE = "marche_reserve"


class RegleArrondi(StrEnum):
    """How exact hours become whole hours (applied per lot, in clausegen.calibration.rounding)."""

    AU_PLUS_PROCHE = "au_plus_proche"
    AU_SUPERIEUR = "au_superieur"
    A_L_INFERIEUR = "a_l_inferieur"


class DiviseurEtp(StrEnum):
    """Which yearly full-time hours an ETP is counted in."""

    ANNUEL_LEGAL = "annuel_legal"
    TEMPS_PLEIN_35H = "temps_plein_35h"


class Seuils(_Strict):
    """The buyer's own thresholds below which a lot carries no clause."""

    heures_minimum: Heures | None = None
    montant_minimum_ht: Montant | None = None


NO_PENALTY = "aucune"
"""What a buyer writes for a penalty the contract does not provide."""


class Penalite(_Strict):
    """Penalties written in the clause: per missing hour (fixed or SMIC multiple) and per day
    late in reporting. Both are stated, each as an amount or as ``aucune``; the cap is
    optional."""

    par_heure_manquante: Montant | None = None
    multiple_smic_par_heure: Annotated[Nombre, Field(gt=0)] | None = None
    par_jour_retard: Montant | None = None
    plafond_part_montant: Taux | None = None

    @model_validator(mode="wrap")
    @classmethod
    def _both_penalties_stated(
        cls, data: Any, handler: ModelWrapValidatorHandler[Penalite]
    ) -> Penalite:
        stated_none: set[str] = set()
        if isinstance(data, dict):
            data = dict(data)
            for key in ("par_heure_manquante", "par_jour_retard"):
                value = data.get(key)
                if value == NO_PENALTY:
                    stated_none.add(key)
                    data[key] = None
                elif isinstance(value, str) and not re.fullmatch(r"\s*[-+]?[0-9.]+\s*", value):
                    raise PydanticCustomError(
                        "penalty_amount",
                        "{key}: write an amount in euros HT, or aucune when the contract "
                        "provides none (got '{value}')",
                        {"key": key, "value": value},
                    )
        penalty = handler(data)
        if penalty.par_heure_manquante is not None and penalty.multiple_smic_par_heure is not None:
            raise PydanticCustomError(
                "two_penalties",
                "set either par_heure_manquante (euros per missing hour) or "
                "multiple_smic_par_heure (a multiple of the hourly SMIC), not both",
            )
        if not penalty.par_heure_prevue and "par_heure_manquante" not in stated_none:
            raise PydanticCustomError(
                "hourly_penalty_missing",
                "state the penalty per missing insertion hour: par_heure_manquante (euros HT), "
                "multiple_smic_par_heure (a multiple of the hourly SMIC), or "
                "par_heure_manquante: aucune when the contract provides none",
            )
        if penalty.par_jour_retard is None and "par_jour_retard" not in stated_none:
            raise PydanticCustomError(
                "late_penalty_missing",
                "state the penalty per day late in reporting: par_jour_retard (euros HT), or "
                "par_jour_retard: aucune when the contract provides none",
            )
        return penalty

    @property
    def par_heure_prevue(self) -> bool:
        """Whether the contract sanctions missing hours."""
        return self.par_heure_manquante is not None or self.multiple_smic_par_heure is not None


class Periodicite(StrEnum):
    """How often the contractor reports its hours (the CCAP's comptes rendus)."""

    MENSUELLE = "mensuelle"
    TRIMESTRIELLE = "trimestrielle"


class ComptesRendus(_Strict):
    """The contractor's statements of hours as the CCAP stipulates them: one per period, due
    by a day of the month after the period; lateness is penalised once a formal notice has
    gone unanswered for a number of days."""

    periodicite: Periodicite = Field(
        default=Periodicite.MENSUELLE,
        description="mensuelle (one statement a month) or trimestrielle (one a calendar quarter)",
    )
    jour_limite: Entier = Field(
        default=10,
        ge=1,
        le=28,
        description="the day of the month after the period by which the statement is due",
    )
    delai_mise_en_demeure_jours: Entier = Field(
        default=8,
        ge=1,
        le=90,
        description="days a formal notice must go unanswered before days late are penalised",
    )


class CritereAttribution(_Strict):
    """The award criterion on insertion performance (R2152-7): its weight among the criteria."""

    ponderation: Annotated[Nombre, Field(gt=0), AfterValidator(_valid_rate)] = Field(
        description="the criterion's weight, as a fraction (0.10 for 10 %)"
    )


class Beneficiaires(StrEnum):
    """Who a reserved contract is reserved to."""

    EA_ESAT = "ea_esat"
    SIAE = "siae"
    EA_ESAT_SIAE = "ea_esat_siae"


class Reservation(_Strict):
    """A reserved contract (L2113-12 / L2113-13): the structures it is reserved to."""

    beneficiaires: Beneficiaires = Field(
        description="ea_esat (L2113-12), siae (L2113-13) or ea_esat_siae (both)"
    )


class Clause(_Strict):
    """The clause settings shared by every lot; each lot may override the sizing values."""

    dispositif: Dispositif = Dispositif.CONDITION_EXECUTION
    critere: CritereAttribution | None = None
    reservation: Reservation | None = None
    article_ccap: Entier | None = Field(default=None, ge=1, le=999)
    article_rc: Entier | None = Field(default=None, ge=1, le=999)
    calibrage: MethodeCalibrage = Field(
        default_factory=lambda: PartMainOeuvre(methode="part_main_oeuvre")
    )
    taux_insertion: Taux | None = None
    cout_horaire: Annotated[Nombre, Field(gt=0)] | None = None
    arrondi: RegleArrondi = RegleArrondi.AU_PLUS_PROCHE
    diviseur_etp: DiviseurEtp = DiviseurEtp.ANNUEL_LEGAL
    seuils: Seuils = Field(default_factory=Seuils)
    penalite: Penalite
    comptes_rendus: ComptesRendus = Field(default_factory=ComptesRendus)

    @model_validator(mode="after")
    def _dispositif_settings(self) -> Clause:
        wanted = {
            Dispositif.CRITERE_ATTRIBUTION: ("critere", "critere: {ponderation: 0.10}"),
            Dispositif.MARCHE_RESERVE: ("reservation", "reservation: {beneficiaires: siae}"),
        }
        for dispositif, (key, example) in wanted.items():
            present = getattr(self, key) is not None
            if self.dispositif == dispositif and not present:
                raise PydanticCustomError(
                    "dispositif_settings",
                    "dispositif {dispositif} needs clause.{key}; add for instance {example}",
                    {"dispositif": dispositif.value, "key": key, "example": example},
                )
            if self.dispositif != dispositif and present:
                raise PydanticCustomError(
                    "dispositif_settings",
                    "clause.{key} goes with dispositif {wanted}, but the dispositif is "
                    "{dispositif}; remove clause.{key} or change the dispositif",
                    {"key": key, "wanted": dispositif.value, "dispositif": self.dispositif.value},
                )
        return self


# --- lots -------------------------------------------------------------------------------------


class MotifExclusion(StrEnum):
    """Why a lot carries no insertion hours."""

    CHOIX_ACHETEUR = "choix_acheteur"
    HEURES_INSUFFISANTES = "heures_insuffisantes"
    MONTANT_INSUFFISANT = "montant_insuffisant"
    PACT_SOUS_MINIMUM = "pact_sous_minimum"
    REPRISE_EXCEDENTAIRE = "reprise_excedentaire"


class ExclusionDeclaree(StrEnum):
    """Who leaves the lot out, in an ``exclusion`` record (``exclusion.motif``)."""

    CHOIX_ACHETEUR = "choix_acheteur"  # the buyer leaves the lot out of the clause
    CALIBRAGE = "calibrage"  # the sizing leaves it out (a minimum, the PACT's floor…)


class Exclusion(_Strict):
    """A lot without the clause: the buyer's reason and, under L2112-2-1, its derogation.

    With ``motif: choix_acheteur`` (the default) the buyer leaves the lot out. With ``motif:
    calibrage`` the record only states the derogation (and its justification) that covers the
    lot when its sizing leaves it out; a lot the sizing retains carries the clause anyway.
    ``derogation`` is a code of ``legal_fragments/derogations.yaml``, checked when the lot is
    sized, at the consultation's date.
    """

    motif: ExclusionDeclaree = ExclusionDeclaree.CHOIX_ACHETEUR
    justification: Texte
    derogation: Code | None = None

    @model_validator(mode="after")
    def _derogation_for_the_sizing(self) -> Exclusion:
        if self.motif is ExclusionDeclaree.CALIBRAGE and self.derogation is None:
            raise PydanticCustomError(
                "exclusion_calibrage",
                "motif calibrage records the L2112-2-1 derogation of a lot its sizing leaves "
                "out; add exclusion.derogation (the code of the derogation), or remove the "
                "exclusion record",
                {},
            )
        return self

    @property
    def par_l_acheteur(self) -> bool:
        """The buyer leaves the lot out (rather than recording a derogation for the sizing)."""
        return self.motif is ExclusionDeclaree.CHOIX_ACHETEUR


class ReprisePersonnel(_Strict):
    """Staff the new contractor must take over (cleaning sector, PACT Propreté)."""

    heures_mensuelles: Heures


class Lot(_Strict):
    """One lot; the optional values override the clause's for this lot only."""

    numero: NumeroLot
    intitule: Texte
    cpv: CodeCpv
    metier: Metier
    montant_estime_ht: Montant
    duree_mois: Entier | None = Field(default=None, ge=1, le=240)
    calibrage: MethodeCalibrage | None = None
    taux_insertion: Taux | None = None
    cout_horaire: Annotated[Nombre, Field(gt=0)] | None = None
    part_main_oeuvre: Taux | None = None
    reprise_personnel: ReprisePersonnel | None = None
    exclusion: Exclusion | None = None


# --- execution --------------------------------------------------------------------------------


MAX_EXECUTION_MONTHS = 240
"""The longest execution followed, as ``consultation.duree_mois``'s bound: 20 years."""


class Execution(_Strict):
    """The contracts' execution period, once awarded: hours are followed within it."""

    debut: date = Field(description="the first day of execution (ordre de service), YYYY-MM-DD")
    fin: date = Field(description="the last day of execution, YYYY-MM-DD")

    @model_validator(mode="after")
    def _ordered(self) -> Execution:
        if self.fin < self.debut:
            raise PydanticCustomError(
                "execution_dates",
                "execution ends (fin {fin}) before it starts (debut {debut})",
                {"fin": self.fin.isoformat(), "debut": self.debut.isoformat()},
            )
        months = (self.fin.year - self.debut.year) * 12 + self.fin.month - self.debut.month
        if months > MAX_EXECUTION_MONTHS:
            raise PydanticCustomError(
                "execution_length",
                "execution lasts {months} months (debut {debut}, fin {fin}), more than the "
                "{maximum} a public contract may run here; check both dates",
                {
                    "months": months,
                    "debut": self.debut.isoformat(),
                    "fin": self.fin.isoformat(),
                    "maximum": MAX_EXECUTION_MONTHS,
                },
            )
        return self


# --- the operation ----------------------------------------------------------------------------

MAX_LOTS = 1_000
"""Lots in one consultation: far above any real one, and a bound on the work a file asks."""


class Operation(_Strict):
    """Everything the buyer says about one consultation and its social clause."""

    acheteur: Acheteur
    facilitateur: Facilitateur
    consultation: Consultation
    clause: Clause = Field(
        description="the clause: its dispositif, penalties (penalite) and sizing settings"
    )
    lots: list[Lot] = Field(min_length=1, max_length=MAX_LOTS)
    execution: Execution | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Operation:
        counts = collections.Counter(lot.numero for lot in self.lots)
        repeated = sorted(n for n, count in counts.items() if count > 1)
        if repeated:
            raise PydanticCustomError(
                "duplicate_lot",
                "lots: lot number {numero} is used twice; give each lot its own number",
                {"numero": repeated[0]},
            )
        launched = self.consultation.date_lancement
        if self.execution is not None and self.execution.debut < launched:
            raise PydanticCustomError(
                "execution_before_launch",
                "execution.debut: execution starts ({debut}) before the consultation is "
                "launched (consultation.date_lancement {launched}); check both dates",
                {"debut": self.execution.debut.isoformat(), "launched": launched.isoformat()},
            )
        for lot in self.lots:
            methode = self.methode_du_lot(lot)
            if methode.methode == "anru" and not self.consultation.anru:
                raise PydanticCustomError(
                    "anru_method",
                    "lot {numero} is sized with the ANRU method but consultation.anru is "
                    "false; set consultation.anru: true for an ANRU-funded operation, or "
                    "choose another method",
                    {"numero": lot.numero},
                )
            if methode.methode == "pact_proprete" and lot.reprise_personnel is None:
                raise PydanticCustomError(
                    "pact_reprise",
                    "lot {numero} is sized with the PACT Propreté method, which needs "
                    "reprise_personnel.heures_mensuelles (write 0 when no staff is taken over)",
                    {"numero": lot.numero},
                )
        return self

    def lot(self, numero: int) -> Lot | None:
        """The lot with that number, or None."""
        return next((lot for lot in self.lots if lot.numero == numero), None)

    def methode_du_lot(self, lot: Lot) -> MethodeCalibrage:
        """The lot's own sizing method, or the clause's."""
        return lot.calibrage if lot.calibrage is not None else self.clause.calibrage

    @property
    def montant_total_ht(self) -> Decimal:
        """The consultation's estimated value: the sum of every lot's estimate."""
        return sum((lot.montant_estime_ht for lot in self.lots), Decimal(0))
