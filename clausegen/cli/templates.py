"""``clausegen templates``: check a buyer's templates; list what a template can use."""

from __future__ import annotations

from pathlib import Path

import click
from pydantic import BaseModel

from clausegen.cli.views.template_context import context_json, context_text
from clausegen.documents.fragments import load_fragments
from clausegen.errors import TemplateCheckError, escaped
from clausegen.law.template_variables import context_fields
from clausegen.render.prepared import Fallback, PreparedTemplate
from clausegen.render.template_lint import TemplateProblem, file_problem, lint_template
from clausegen.render.templates import KIND_FILES, TEMPLATE_KINDS, kind_of


@click.group("templates")
def templates_group() -> None:
    """Check a buyer's restyled templates, and list what a template can use."""


@templates_group.command("check")
@click.argument("target", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(list(TEMPLATE_KINDS)),
    help="The kind of a template file not named after its command (tender.docx…).",
)
def templates_check(target: Path, kind: str | None) -> None:
    """Lint TARGET, a template file or a folder of them, before use.

    Reports tags split across runs, curly quotes inside tags, tags left open, Jinja syntax
    errors, variables not in the document's context, unknown fragment ids, what the
    sandbox forbids (Python internals, include, |safe, huge ranges or texts…) and tags
    in properties, attributes or field codes, each with its paragraph or table cell.
    A folder, a device or a pipe is refused. Exit code 1 when any.
    """
    if target.is_dir():
        if kind is not None:
            raise click.UsageError("--kind goes with a single template file, not a folder.")
        try:
            files = sorted(p for p in target.iterdir() if p.suffix.lower() == ".docx")
        except OSError as error:
            raise TemplateCheckError(
                problems=[f"{escaped(str(target))}: the folder cannot be read ({error.strerror})."]
            ) from None
    else:
        files = [target]
    problems: list[str] = []
    registry = load_fragments()
    checked = 0
    for path in files:
        shown = escaped(str(path))
        refused = file_problem(path)
        if refused is not None:  # before its kind: a device is refused whatever its name
            problem = TemplateProblem(0, "the file", escaped(path.name), refused)
            problems.append(f"{shown}: {problem}")
            continue
        template_kind = TEMPLATE_KINDS[kind] if kind else kind_of(path)
        if template_kind is None:
            problems.append(
                f"{shown}: cannot tell which document this template is for: name it after its "
                f"command ({KIND_FILES}), or check it alone with --kind."
            )
            continue
        checked += 1
        lint = lint_template(path, template_kind.context, registry)
        problems += [f"{shown}: {problem}" for problem in lint.problems]
        if not lint.problems:
            cited = f"; cites {', '.join(lint.cited)}" if lint.cited else ""
            click.echo(f"{shown}: {template_kind.name} template, no problem found{cited}.")
            for reason in plain_path_reasons(path, template_kind.context):
                click.echo(
                    f"Warning: {shown}: its documents are rendered by plain docxtpl, several "
                    f"times slower than clausegen's prepared path, because {reason.value}.",
                    err=True,
                )
    if not files:
        problems.append(f"{escaped(str(target))}: no .docx template in this folder ({KIND_FILES}).")
    if problems:
        raise TemplateCheckError(problems=problems)


def plain_path_reasons(path: Path, context: type[BaseModel]) -> list[Fallback]:
    """What in a template that passed the lint makes its documents take the plain path."""
    images = [field.path for field in context_fields(context) if field.kind == "image"]
    return PreparedTemplate(path).fallbacks(images)


@templates_group.command("context")
@click.argument("kind", type=click.Choice(list(TEMPLATE_KINDS)))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people; json for the context's JSON Schema.",
)
def templates_context(kind: str, output_format: str) -> None:
    """The variables a template of KIND can use, with a description of each."""
    template_kind = TEMPLATE_KINDS[kind]
    if output_format == "json":
        click.echo(context_json(template_kind.context), nl=False)
    else:
        click.echo(context_text(kind, template_kind.documents, template_kind.context), nl=False)
