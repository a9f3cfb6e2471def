"""Errors clausegen reports to its users.

Every error is a full sentence that says what is wrong and how to fix it. Context is passed
keyword-only and kept as attributes, so callers (the CLI, tests, a future HTTP service) can
use it without parsing the message.

    ClausegenError
    ├── InputError                    a user's input file is unreadable or invalid
    ├── InputFilesError               several input files are invalid (each one's problems)
    ├── ParameterError
    │   ├── ParameterDataError        parameter data is inconsistent (a date or id twice)
    │   ├── UnknownParameterError     no parameter has that id
    │   └── ParameterNotInForceError  the parameter has no value at the date asked
    ├── CalibrationError              a lot cannot be sized as configured
    ├── CompositionError              an operation cannot be put into a document as given
    ├── FragmentError
    │   ├── FragmentDataError         fragments or document plans are invalid (all problems)
    │   ├── UnknownFragmentError      no fragment has that id
    │   └── FragmentNotInForceError   no version of the fragment is in force at the date
    ├── TemplateError                 a DOCX template is unusable (unknown variables, syntax)
    │   └── TemplateRenderError       a template failed on one document (or went over budget)
    ├── OutputError                   an output file or folder cannot be written
    ├── Interrupted                   Ctrl-C: what was written by then (exit code 130)
    ├── LibreOfficeMissingError       --pdf is asked and LibreOffice is not installed
    ├── UnoMissingError               --pdf is asked and no Python has LibreOffice's UNO bindings
    ├── PdfSettingError               CLAUSEGEN_PDF_WORKERS or CLAUSEGEN_UNOSERVERS is unusable
    ├── PdfConversionError            LibreOffice failed on a document twice (timeout, crash)
    ├── BalanceFailuresError          some balances of a batch failed (the others are written)
    ├── EvaluationConflictError       operations evaluated together contradict each other
    ├── TemplateCheckError            ``templates check`` found problems in buyer templates
    └── UnverifiedLawError            --strict, and the documents use an unverified version

The CLI turns any of them into ``Error: …`` lines on stderr and exit code 1; it is the only
place that does so. The Python API raises the same types; the CLI only adds, with
``about``, the input file an error from the core is about.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import ClassVar


class ClausegenError(Exception):
    """Base class of every error clausegen reports to a user."""

    input_file: Path | None = None
    """The input file whose content caused the error, when the caller knows it."""

    def about(self, path: Path) -> ClausegenError:
        """Name ``path`` as the file this error is about (the core may not know the file)."""
        if self.input_file is None:
            self.input_file = path
        return self

    def messages(self) -> list[str]:
        """One full sentence per problem; most errors carry a single one."""
        return [f"{escaped(str(self.input_file))}: {self}" if self.input_file else str(self)]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input file: where (a field path or a row) and what."""

    location: str
    message: str
    kind: str = field(default="", compare=False)
    """The error's kind (the validator's, e.g. ``siret``, ``missing``), for a message in
    other terms (the web form's French); empty when the message is the only one."""
    context: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)
    """The kind's values (a bound, a count of digits), as the validator gave them."""

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


@dataclass(frozen=True)
class Month:
    """A calendar month among a problem's values: ``2027-03`` (its first day kept)."""

    first_day: date

    def __str__(self) -> str:
        return f"{self.first_day:%Y-%m}"


def escaped(text: str) -> str:
    """``text`` as quoted from the user (a file name, an id given as an option) with its
    control and format characters written as escapes (``\\x0a``, ``\\x1b``, ``\\u202e``):
    a line break would split an ``Error:`` line, an escape sequence recolour or clear the
    terminal, a direction override reorder the line."""
    return "".join(
        character
        if unicodedata.category(character) not in ("Cc", "Cf")
        else f"\\x{ord(character):02x}"
        if ord(character) < 0x100
        else f"\\u{ord(character):04x}"
        for character in text
    )


MAX_REPORTED_PROBLEMS = 20
"""Problems of one input file reported; the others are counted."""


def capped_messages(path: Path, problems: Sequence[object]) -> list[str]:
    """One sentence per problem of a file, the first ``MAX_REPORTED_PROBLEMS`` and a count of
    the rest (a 100 000-row file of errors stays readable)."""
    name = escaped(str(path))
    shown = [f"{name}: {problem}" for problem in problems[:MAX_REPORTED_PROBLEMS]]
    rest = len(problems) - MAX_REPORTED_PROBLEMS
    if rest > 0:
        more = "problem" if rest == 1 else "problems"
        shown.append(
            f"{name}: and {rest} more {more} not shown; correct these and run the command again."
        )
    return shown


class InputError(ClausegenError):
    """An input file cannot be read or does not validate; lists every problem found."""

    def __init__(self, *, path: Path | str, problems: list[Problem]) -> None:
        self.path = Path(path)
        self.problems = problems
        super().__init__("\n".join(self.messages()))

    def messages(self) -> list[str]:
        return capped_messages(self.path, self.problems)


class InputFilesError(ClausegenError):
    """Several input files are invalid: every problem of every file, reported together."""

    def __init__(self, *, errors: list[InputError]) -> None:
        self.errors = errors
        super().__init__("\n".join(self.messages()))

    def messages(self) -> list[str]:
        return [message for error in self.errors for message in error.messages()]


class ParameterError(ClausegenError):
    """A dated parameter cannot be loaded or resolved."""


class ParameterDataError(ParameterError):
    """Parameter data is inconsistent: two values on one date, one id in two files.

    A malformed value (a missing key, a wrong type) is an ``InputError`` on its file.
    """

    def __init__(self, *, path: Path | str, message: str) -> None:
        self.path = Path(path)
        super().__init__(f"{escaped(str(self.path))}: {message}")


class UnknownParameterError(ParameterError):
    """No parameter has the id asked for."""

    def __init__(self, *, parameter_id: str, hint: str = "") -> None:
        self.parameter_id = parameter_id
        message = f"No parameter '{parameter_id}' exists under legal_fragments/parametres."
        super().__init__(f"{message} {hint}".strip())


class ParameterNotInForceError(ParameterError):
    """The parameter exists but has no value in force at the date asked."""

    def __init__(
        self,
        *,
        parameter_id: str,
        at: date,
        first_effective: date,
        source: Path | str,
        ended_on: date | None = None,
    ) -> None:
        self.parameter_id = parameter_id
        self.at = at
        self.first_effective = first_effective
        self.source = Path(source)
        self.ended_on = ended_on
        why = (
            f"its last value ended on {ended_on.isoformat()}"
            if ended_on is not None
            else f"its first value applies from {first_effective.isoformat()}"
        )
        super().__init__(
            f"Parameter '{parameter_id}' has no value on {at.isoformat()}: {why}. Check the "
            f"consultation's launch date (consultation.date_lancement), or add a value dated "
            f"on or before {at.isoformat()} to {self.source}."
        )


class CalibrationError(ClausegenError):
    """A lot cannot be sized with the method and values it was given."""

    def __init__(self, *, lot: int, message: str) -> None:
        self.lot = lot
        super().__init__(f"Lot {lot}: {message}")


class CompositionError(ClausegenError):
    """The operation is valid but cannot be put into a document as it stands."""

    def __init__(self, *, message: str) -> None:
        super().__init__(message)


class FragmentError(ClausegenError):
    """A legal fragment cannot be loaded or resolved."""


class FragmentDataError(FragmentError):
    """Fragments or document plans are invalid; lists every problem, each with its file."""

    def __init__(self, *, problems: list[tuple[Path, Problem]]) -> None:
        self.problems = problems
        super().__init__("\n".join(self.messages()))

    def messages(self) -> list[str]:
        return [f"{escaped(str(path))}: {problem}" for path, problem in self.problems]


class UnknownFragmentError(FragmentError):
    """No fragment has the id asked for."""

    def __init__(self, *, fragment_id: str, hint: str = "") -> None:
        self.fragment_id = fragment_id
        self.hint = hint
        message = f"No fragment '{fragment_id}' exists under legal_fragments/fragments."
        advice = hint or "clausegen fragments list (GET /fragments) lists them all."
        super().__init__(f"{message} {advice}")


class FragmentNotInForceError(FragmentError):
    """The fragment exists but none of its versions is in force at the date asked."""

    def __init__(
        self, *, fragment_id: str, at: date, first_version: date, source: Path | str
    ) -> None:
        self.fragment_id = fragment_id
        self.at = at
        self.first_version = first_version
        self.source = Path(source)
        super().__init__(
            f"Fragment '{fragment_id}' has no version in force on {at.isoformat()}: its first "
            f"version applies from {first_version.isoformat()}. Check the consultation's launch "
            f"date (consultation.date_lancement), or add a version in force on {at.isoformat()} "
            f"to {escaped(str(self.source))}."
        )


class TemplateError(ClausegenError):
    """A DOCX template cannot be used; lists every problem found in it."""

    def __init__(self, *, path: Path | str, problems: list[str]) -> None:
        self.path = Path(path)
        self.problems = problems
        super().__init__("\n".join(self.messages()))

    def messages(self) -> list[str]:
        return capped_messages(self.path, self.problems)


class TemplateRenderError(TemplateError):
    """A template failed while rendering one document: an error of its own, a construct the
    sandbox refuses, or more time or memory than one document may take."""

    def __init__(self, *, path: Path | str, document: str, reason: str) -> None:
        self.document = document
        self.reason = reason
        super().__init__(path=path, problems=[f"{document}: {reason}"])


class OutputError(ClausegenError):
    """An output file or folder cannot be written: which one, why, what to do, and (once
    the command knows it) what was written."""

    def __init__(self, *, path: Path | str, reason: str, outcome: str = "") -> None:
        self.path = Path(path)
        self.reason = reason
        self.outcome = outcome
        shown = escaped(str(self.path))
        super().__init__(f"{shown}: {reason}" + (f" {outcome}" if outcome else ""))

    def then(self, outcome: str) -> OutputError:
        """The same error, saying what the command wrote (``Nothing was written.``)."""
        return OutputError(path=self.path, reason=self.reason, outcome=outcome)

    def __reduce__(self) -> tuple[object, tuple[()]]:
        """Pickled with its fields: a worker process hands it to the command's process."""
        rebuild = functools.partial(
            OutputError, path=self.path, reason=self.reason, outcome=self.outcome
        )
        return (rebuild, ())


class Interrupted(ClausegenError):
    """Ctrl-C: what the command had written when it was interrupted (exit code 130)."""

    EXIT_CODE = 130

    def __init__(self, *, written: str) -> None:
        self.written = written
        super().__init__(f"interrupted (Ctrl-C); {written}")


class LibreOfficeMissingError(ClausegenError):
    """PDF output needs LibreOffice, and no ``soffice`` is on the PATH."""

    def __init__(self, *, package: str) -> None:
        self.package = package
        super().__init__(
            "--pdf needs LibreOffice, which is not installed (no soffice on the PATH): "
            f"install the Debian package {package} (apt-get install {package}), "
            "or leave out --pdf to write the DOCX only."
        )


class UnoMissingError(ClausegenError):
    """The PDF pool drives LibreOffice through its Python bindings, and no Python has them."""

    def __init__(self, *, package: str) -> None:
        self.package = package
        super().__init__(
            "--pdf needs LibreOffice's Python bindings (import uno), which no Python here "
            f"has: install the Debian package {package} (apt-get install {package}), or set "
            "CLAUSEGEN_UNO_PYTHON to a Python that has them, or leave out --pdf to write the "
            "DOCX only."
        )


class PdfSettingError(ClausegenError):
    """A PDF converter setting from the environment cannot be used."""

    def __init__(self, *, setting: str, value: str, expected: str) -> None:
        self.setting = setting
        self.value = value
        super().__init__(
            f"{setting}={value!r} cannot be used: give {expected}, or unset {setting}."
        )


class PdfConversionError(ClausegenError):
    """A document could not be converted, also on its retry; the others are accounted for."""

    SHOWN = 5

    def __init__(
        self, *, document: str, reason: str, converted: int, missing: tuple[str, ...]
    ) -> None:
        self.document = document
        self.reason = reason
        self.converted = converted
        self.missing = missing
        names = ", ".join(missing[: self.SHOWN])
        if len(missing) > self.SHOWN:
            names += f" and {len(missing) - self.SHOWN} more"
        super().__init__(
            f"PDF conversion failed on {document}: {reason}, on the first try and on the "
            f"retry. {converted} PDF(s) were written; not converted: {names}. Run the command "
            "again; if the same document fails, open its DOCX in LibreOffice to see why."
        )


class BalanceFailuresError(ClausegenError):
    """Some records of a batch of balances failed, or writing stopped (a full disk); the
    others are written, and counted."""

    def __init__(
        self,
        *,
        failures: list[tuple[str, str, str]],
        total: int,
        pdf_error: ClausegenError | None = None,
        stopped: OutputError | None = None,
        written: int = 0,
    ) -> None:
        self.failures = failures
        """(participant id, file name, reason) of each failed balance."""
        self.total = total
        self.pdf_error = pdf_error
        self.stopped = stopped
        """The write failure that stopped the batch, when one did."""
        self.written = written
        super().__init__("\n".join(self.messages()))

    def messages(self) -> list[str]:
        lines = [f"participant {key} ({name}): {reason}" for key, name, reason in self.failures]
        if self.stopped is not None:
            rest = self.total - self.written - len(self.failures)
            failed = f", {len(self.failures)} failed" if self.failures else ""
            lines.append(str(self.stopped))
            lines.append(
                f"{self.written} of {self.total} balances are written{failed}; writing stopped "
                f"there, so {rest} {'is' if rest == 1 else 'are'} not."
            )
        elif self.failures:
            lines.append(
                f"{len(self.failures)} of {self.total} balances failed; the others are written."
            )
        return lines + (self.pdf_error.messages() if self.pdf_error else [])


class TemplateCheckError(ClausegenError):
    """``templates check`` found problems: one line per problem, each naming its template."""

    def __init__(self, *, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))

    def messages(self) -> list[str]:
        return list(self.problems)


class UnverifiedLawError(ClausegenError):
    """``--strict``: the documents depend on fragment or parameter versions not verified."""

    MEANINGS: ClassVar[dict[str, str]] = {
        "a_verifier": "legal reference cited from memory, to check against the official text",
        "indicatif": "customary value no source confirms, to confirm or adjust",
    }

    def __init__(self, *, versions: dict[str, list[str]]) -> None:
        self.versions = versions
        """The versions by status (``a_verifier``, ``indicatif``): ``fragment id@date``…"""
        super().__init__("\n".join(self.messages()))

    def messages(self) -> list[str]:
        count = sum(len(listed) for listed in self.versions.values())
        versions = "version" if count == 1 else "versions"
        lines = [
            f"--strict: these documents depend on {count} fragment or parameter {versions} "
            "whose source is not verified, so nothing was written. Have them checked "
            "(clausegen fragments show ID --at DATE shows a fragment's source), or leave out "
            "--strict."
        ]
        lines += [
            f"{status} ({self.MEANINGS.get(status, status)}): {', '.join(listed)}."
            for status, listed in self.versions.items()
            if listed
        ]
        return lines


class EvaluationConflictError(ClausegenError):
    """Operations evaluated together contradict each other (the same lot in two folders,
    one participant id with two birth dates or sexes): merging them would count wrongly."""

    def __init__(self, *, conflicts: list[str]) -> None:
        self.conflicts = conflicts
        """One full sentence per contradiction, naming the folders."""
        super().__init__("\n".join(self.messages()))

    def messages(self) -> list[str]:
        return list(self.conflicts)
