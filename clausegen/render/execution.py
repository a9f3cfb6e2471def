"""The execution documents as files: commitment forms, compliance statements, balances.

Each DOCX comes with its manifest, like the tender clause. Compliance statements are one
per company (over all its lots) and name no participant; balances are one per participant.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from clausegen.calibrage import Calibrage
from clausegen.compose_bilan import compose_bilan, resolve_fragment
from clausegen.compose_conformite import compose_conformite
from clausegen.compose_engagement import compose_engagement
from clausegen.engagements import Engagement
from clausegen.fragments import FragmentRegistry
from clausegen.manifest import FileDigest
from clausegen.model import Operation
from clausegen.parameters import ParameterSet
from clausegen.participants import Participant
from clausegen.reconcile import Suivi
from clausegen.registre import LigneHeures, Registre
from clausegen.render.chart import hours_chart
from clausegen.render.documents import document_files, input_digests
from clausegen.render.outputs import OutputFile
from clausegen.render.templates import BUNDLED, CheckedTemplate, TemplateSet


def _subject(operation: Operation) -> str:
    return f"{operation.consultation.reference} – {operation.consultation.objet}"


class CommitmentRenderer:
    """Renders commitment forms of an operation, its template loaded once for all of them."""

    def __init__(
        self,
        operation: Operation,
        calibrage: Calibrage,
        inputs: tuple[FileDigest, ...],
        registry: FragmentRegistry,
        parameters: ParameterSet,
        templates: TemplateSet = BUNDLED,
    ) -> None:
        self.operation = operation
        self.calibrage = calibrage
        self.inputs = inputs
        self.registry = registry
        self.parameters = parameters
        self.template = CheckedTemplate.load(templates, "commitment", registry)

    def __call__(self, lot: int, engagement: Engagement | None) -> list[OutputFile]:
        """The form of ``lot``: ``engagement-lot-NN[-SIRET].docx`` and its manifest."""
        operation = self.operation
        composed = compose_engagement(
            operation, self.calibrage, lot, engagement, self.registry, self.parameters
        )
        stem = f"engagement-lot-{lot:02d}"
        if engagement is not None:
            stem += f"-{engagement.entreprise.siret}"
        return document_files(
            composed,
            self.template,
            self.inputs,
            stem,
            registry=self.registry,
            author=operation.acheteur.nom,
            subject=_subject(operation),
            created=operation.consultation.date_lancement,
        )


def render_compliance(
    operation: Operation,
    suivi: Suivi,
    input_files: Iterable[Path],
    registry: FragmentRegistry,
    templates: TemplateSet = BUNDLED,
) -> list[OutputFile]:
    """One statement per company: ``conformite-SIRET.docx`` and its manifest."""
    template = CheckedTemplate.load(templates, "compliance", registry)
    inputs = input_digests(*input_files)
    files = []
    for siret in suivi.par_entreprise():
        composed = compose_conformite(operation, suivi, siret, registry, hours_chart)
        files += document_files(
            composed,
            template,
            inputs,
            f"conformite-{siret}",
            registry=registry,
            author=operation.facilitateur.structure,
            subject=_subject(operation),
            created=suivi.arrete_au,
        )
    return files


class BalanceRenderer:
    """Renders one participant's balance at a time: ``bilan-ID.docx`` and its manifest.

    Everything shared by the balances of an operation (template, fragment, ledger rows by
    participant) is prepared once, so a batch can render them one by one, in any process.
    """

    def __init__(
        self,
        operation: Operation,
        registre: Registre,
        inputs: tuple[FileDigest, ...],
        registry: FragmentRegistry,
        templates: TemplateSet = BUNDLED,
    ) -> None:
        self.operation = operation
        self.inputs = inputs
        self.registry = registry
        self.template = CheckedTemplate.load(templates, "balance", registry)
        self.fragment = resolve_fragment(registry, operation.consultation.date_lancement)
        self.rows: dict[str, list[LigneHeures]] = defaultdict(list)
        for line in registre.lignes:
            if line.participant is not None:
                self.rows[line.participant].append(line)

    def __call__(self, participant: Participant) -> list[OutputFile]:
        rows = self.rows.get(participant.id, [])
        composed = compose_bilan(self.operation, participant, rows, self.fragment)
        last = max((line.mois for line in rows), default=None)
        return document_files(
            composed,
            self.template,
            self.inputs,
            balance_stem(participant.id),
            registry=self.registry,
            author=self.operation.facilitateur.structure,
            subject=_subject(self.operation),
            created=participant.sortie.date
            if participant.sortie
            else (last or participant.date_validation),
        )


def balance_stem(participant_id: str) -> str:
    return f"bilan-{participant_id}"
