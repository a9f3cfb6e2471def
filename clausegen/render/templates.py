"""The DOCX templates: their kinds, where a command takes each from, checked before use.

There is one template per document command, named after it: ``tender.docx`` (the CCAP
article and the RC mention), ``commitment.docx``, ``compliance.docx``,
``balance.docx`` and ``evaluation.docx``.
clausegen bundles one of each in ``clause_templates/``. A buyer restyles them in Word or
LibreOffice and passes the folder with ``--templates DIR``: a kind found there is used, a
kind missing there falls back to the bundled one. Every template is linted
(``clausegen.render.template_lint``) before anything is rendered with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from clausegen.documents.contexts import TenderDocumentContext
from clausegen.documents.document import Properties, TemplateReference
from clausegen.documents.evaluation_contexts import EvaluationDocumentContext
from clausegen.documents.execution_contexts import (
    BalanceDocumentContext,
    CommitmentDocumentContext,
    ComplianceDocumentContext,
)
from clausegen.documents.manifest import FileDigest
from clausegen.errors import TemplateError, escaped
from clausegen.inputs.bundled import CLAUSE_TEMPLATES, bundled_folder
from clausegen.law.fragments import FragmentRegistry
from clausegen.render.budget import within_budget
from clausegen.render.prepared import PreparedTemplate
from clausegen.render.template_lint import lint_template

BUNDLED_DIR = bundled_folder(CLAUSE_TEMPLATES)


@dataclass(frozen=True)
class TemplateKind:
    """One kind of template: the command it serves and the context it is rendered with."""

    name: str
    context: type[BaseModel]
    documents: str

    @property
    def file_name(self) -> str:
        return f"{self.name}.docx"


TEMPLATE_KINDS: dict[str, TemplateKind] = {
    kind.name: kind
    for kind in (
        TemplateKind("tender", TenderDocumentContext, "the CCAP article and the RC mention"),
        TemplateKind("commitment", CommitmentDocumentContext, "the company commitment form"),
        TemplateKind("compliance", ComplianceDocumentContext, "the buyer compliance statement"),
        TemplateKind("balance", BalanceDocumentContext, "the participant end-of-mission balance"),
        TemplateKind("evaluation", EvaluationDocumentContext, "the evaluation across operations"),
    )
}
KIND_FILES = ", ".join(kind.file_name for kind in TEMPLATE_KINDS.values())


def kind_of(path: Path) -> TemplateKind | None:
    """The kind a template file is for, told by its name (``tender.docx``), or None."""
    return TEMPLATE_KINDS.get(path.stem) if path.suffix.lower() == ".docx" else None


@dataclass(frozen=True)
class TemplateSet:
    """The templates a command uses: the buyer's folder first, then the bundled ones."""

    folder: Path | None = None

    def path(self, kind: str) -> Path:
        """The buyer's template of ``kind`` when their folder has anything by its name (a
        folder or a device there is refused by the lint, never replaced), else the
        bundled one."""
        if self.folder is not None:
            own = self.folder / TEMPLATE_KINDS[kind].file_name
            if own.exists() or own.is_symlink():
                return own
        return BUNDLED_DIR / TEMPLATE_KINDS[kind].file_name

    def unused(self) -> list[Path]:
        """Files of the buyer's folder that no command will use (a misnamed template)."""
        if self.folder is None:
            return []
        try:
            entries = list(self.folder.iterdir())
        except OSError as error:
            raise TemplateError(
                path=self.folder,
                problems=[f"the folder cannot be read ({error.strerror}); check its permissions."],
            ) from None
        return sorted(
            path
            for path in entries
            if path.suffix.lower() in (".docx", ".dotx", ".doc") and kind_of(path) is None
        )


BUNDLED = TemplateSet()


@dataclass(frozen=True)
class CheckedTemplate:
    """A template that passed the lint, prepared for fast rendering, with its digest and the
    fragments it cites by id."""

    path: Path
    digest: FileDigest
    cited: tuple[str, ...]
    prepared: PreparedTemplate

    @property
    def reference(self) -> TemplateReference:
        """What composition needs of this template: its digest and the fragments it cites."""
        return TemplateReference(self.digest, self.cited)

    @classmethod
    def load(cls, templates: TemplateSet, kind: str, registry: FragmentRegistry) -> CheckedTemplate:
        """Lint the template of ``kind``; a ``TemplateError`` listing every problem if any."""
        path = templates.path(kind)
        lint = lint_template(path, TEMPLATE_KINDS[kind].context, registry)
        if lint.problems:
            raise TemplateError(
                path=path,
                problems=[
                    *map(str, lint.problems),
                    f"Fix the template (clausegen templates check {escaped(str(path))} lists these "
                    "problems).",
                ],
            )
        digest = FileDigest.of(path.name, path.read_bytes())
        prepared = within_budget(path, "preparing the template", lambda: PreparedTemplate(path))
        return cls(path, digest, lint.cited, prepared)

    def render(self, context: BaseModel, properties: Properties, document: str) -> bytes:
        """The DOCX bytes of ``document``, rendered within the budget
        (``clausegen.render.budget``); a ``TemplateRenderError`` naming it if it fails."""
        return within_budget(self.path, document, lambda: self.prepared.render(context, properties))
