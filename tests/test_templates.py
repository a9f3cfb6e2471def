"""Buyer templates: the lint (`templates check`), the context listing (`templates context`)
and `--templates DIR` on the document commands, with the fall-back to the bundled ones."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from docx import Document

from clausegen.law.template_variables import context_fields
from clausegen.render.templates import BUNDLED_DIR, TEMPLATE_KINDS
from tests.docx_text import docx_text
from tests.golden import assert_golden
from tests.helpers import OPERATION, run
from tests.hostile_templates import FILES, FORBIDDEN_TAGS, HIDDEN, _tag_case

BROKEN = Path("tests/fixtures/broken_templates")


def test_the_bundled_templates_pass_the_check():
    result = run("templates", "check", str(BUNDLED_DIR))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "".join(
        f"{BUNDLED_DIR / name}.docx: {name} template, no problem found.\n"
        for name in ("balance", "commitment", "compliance", "evaluation", "tender")
    )


# One broken template per problem the lint names; each message is checked whole.
BROKEN_CASES = {
    "split_tag": [
        'paragraph 1, "{{ document.titre }}": the tag is split across 3 runs (Word formatted '
        "parts of it separately); select the whole tag, clear its formatting or retype it in "
        "one go."
    ],
    "curly_quotes": [
        'table 1, row 1, cell 2, "{{ clause.article_ccap or “sans numéro” }}": curly quotes “” '
        "inside the tag (Word's AutoCorrect typed them); replace them with straight quotes \" "
        "or '."
    ],
    "syntax_error": [
        "paragraph 3, \"{%p endfor %}\": Jinja syntax error: Encountered unknown tag 'endfor'. "
        "Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. The innermost "
        "block that needs to be closed is 'if'."
    ],
    "unknown_variable": [
        "paragraph 2, \"{{ lot.intitul }}\": 'lot.intitul' is not in the context; did you mean "
        "lot.intitule? Use a variable of this document's context (clausegen templates context "
        "lists them).",
        "header1, paragraph 1, \"{{ acheteur.nomm }}\": 'acheteur.nomm' is not in the context; "
        "did you mean acheteur.nom or acheteur.a_nom? Use a variable of this document's context "
        "(clausegen templates context lists them).",
    ],
    "unknown_filter": [
        "paragraph 1, \"{{ document.titre|majuscules }}\": Jinja has no filter 'majuscules'; use "
        "one of Jinja's built-in filters.",
        'paragraph 2, "{%p if consultation.reference is nombre %}": Jinja has no test '
        "'nombre'; did you mean number or none?",
    ],
    "unclosed_tag": [
        'paragraph 1, "{{ document.titre": the tag is not closed in this paragraph; a tag '
        "opens and closes in the same paragraph (close it with }}, %} or #})."
    ],
    "unknown_fragment": [
        'paragraph 1, "{%p for bloc in fragments["ccap.publique"] %}": no fragment '
        "'ccap.publique' exists. Did you mean: ccap.publics? clausegen fragments list shows "
        "them all.",
        'paragraph 4, "{%p for bloc in fragments["bilan.confidentialite"] %}": fragment '
        "'bilan.confidentialite' is written for bilan documents; this template can cite "
        "appel_offres fragments.",
    ],
    "not_a_docx": ['the file, "not_a_docx.docx": is not a DOCX document.'],
}


@pytest.mark.parametrize("case", sorted(BROKEN_CASES))
def test_each_broken_template_is_reported_with_its_place(case):
    path = BROKEN / f"{case}.docx"
    result = run("templates", "check", str(path), "--kind", "tender")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "".join(f"Error: {path}: {line}\n" for line in BROKEN_CASES[case])


def test_a_folder_is_checked_file_by_file(tmp_path):
    shutil.copy(BUNDLED_DIR / "balance.docx", tmp_path / "balance.docx")
    shutil.copy(BROKEN / "split_tag.docx", tmp_path / "tender.docx")
    shutil.copy(BUNDLED_DIR / "tender.docx", tmp_path / "maison.docx")
    result = run("templates", "check", str(tmp_path))
    assert result.exit_code == 1
    assert result.stdout == f"{tmp_path}/balance.docx: balance template, no problem found.\n"
    assert result.stderr == (
        f"Error: {tmp_path}/maison.docx: cannot tell which document this template is for: "
        "name it after its command (tender.docx, commitment.docx, compliance.docx, "
        "balance.docx, evaluation.docx), or check it alone with --kind.\n"
        f"Error: {tmp_path}/tender.docx: {BROKEN_CASES['split_tag'][0]}\n"
    )


def test_an_empty_folder_is_an_error(tmp_path):
    result = run("templates", "check", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path}: no .docx template in this folder (tender.docx, commitment.docx, "
        "compliance.docx, balance.docx, evaluation.docx).\n"
    )


@pytest.mark.parametrize("kind", list(TEMPLATE_KINDS))
def test_templates_context_lists_every_variable_with_its_description(kind):
    result = run("templates", "context", kind)
    assert result.exit_code == 0
    assert_golden(result.stdout, f"templates/context-{kind}.txt")


@pytest.mark.parametrize("kind", list(TEMPLATE_KINDS))
def test_every_context_variable_has_a_description(kind):
    undescribed = [
        f.path for f in context_fields(TEMPLATE_KINDS[kind].context) if not f.description
    ]
    assert undescribed == []


def test_templates_context_json_is_the_json_schema_of_the_context():
    result = run("templates", "context", "tender", "--format", "json")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "TenderDocumentContext"
    assert schema["properties"]["lots_retenus"]["description"] == "les lots qui portent la clause"
    lot = schema["$defs"]["LotContext"]["properties"]
    assert lot["heures"]["description"] == "heures d'insertion arrondies (« 2 007 »)"
    assert "fragments" in schema["properties"]


# --- the buyer's own templates ---------------------------------------------------------------


def _house_tender(folder: Path) -> Path:
    """The bundled tender template, restyled by a buyer: a line of their own, and the
    eligible publics (a CCAP fragment) placed into the RC as well, cited by id."""
    document = Document(BUNDLED_DIR / "tender.docx")
    document.add_paragraph("Modèle de la Ville & de ses « partenaires »")
    document.add_paragraph('{%p for bloc in fragments["ccap.publics"] %}')
    document.add_paragraph("{{ bloc.texte }}")
    document.add_paragraph("{%p endfor %}")
    buffer = io.BytesIO()
    document.save(buffer)
    folder.mkdir(exist_ok=True)
    (folder / "tender.docx").write_bytes(buffer.getvalue())
    return folder / "tender.docx"


def _manifest(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_buyer_template_is_used_and_its_cited_fragment_traced(tmp_path):
    template = _house_tender(tmp_path / "modeles")
    result = run(
        "tender", OPERATION, "-o", str(tmp_path / "dce"), "--templates", str(template.parent)
    )
    assert result.exit_code == 0, result.output
    rc = docx_text((tmp_path / "dce" / "rc-clause-insertion.docx").read_bytes())
    assert "Modèle de la Ville & de ses « partenaires »" in rc
    manifest = _manifest(tmp_path / "dce" / "rc-clause-insertion.manifest.json")
    assert manifest["modele"] == {
        "fichier": "tender.docx",
        "sha256": hashlib.sha256(template.read_bytes()).hexdigest(),
    }
    cited = manifest["fragments"][-1]
    assert (cited["id"], cited["citation"]) == ("ccap.publics", "ccap.publics@2024-01-01")


def test_the_cited_fragment_is_the_text_the_ccap_prints(tmp_path):
    _house_tender(tmp_path / "modeles")
    run("tender", OPERATION, "-o", str(tmp_path / "dce"), "--templates", str(tmp_path / "modeles"))
    rc = docx_text((tmp_path / "dce" / "rc-clause-insertion.docx").read_bytes())
    ccap = docx_text((tmp_path / "dce" / "ccap-clause-insertion.docx").read_bytes())
    publics = ccap.split("Publics éligibles\n", 1)[1].split("[Heading 2]", 1)[0]
    paragraphs = [line.split("] ", 1)[1] for line in publics.splitlines() if line.strip()]
    paragraphs = paragraphs[: paragraphs.index(next(p for p in paragraphs if "vérifie" in p))]
    assert len(paragraphs) >= 3
    placed = rc.split("Modèle de la Ville & de ses « partenaires »\n", 1)[1]
    assert [line.split("] ", 1)[1] for line in placed.splitlines()[: len(paragraphs)]] == (
        paragraphs
    )


def test_a_kind_missing_from_the_buyer_folder_falls_back_to_the_bundled_one(tmp_path):
    _house_tender(tmp_path / "modeles")
    result = run(
        "commitment",
        OPERATION,
        "--lot",
        "4",
        "-o",
        str(tmp_path / "e"),
        "--templates",
        str(tmp_path / "modeles"),
    )
    assert result.exit_code == 0, result.output
    manifest = _manifest(tmp_path / "e" / "engagement-lot-04.manifest.json")
    assert manifest["modele"] == {
        "fichier": "commitment.docx",
        "sha256": hashlib.sha256((BUNDLED_DIR / "commitment.docx").read_bytes()).hexdigest(),
    }


def test_a_broken_buyer_template_stops_the_command_before_writing(tmp_path):
    folder = tmp_path / "modeles"
    folder.mkdir()
    shutil.copy(BROKEN / "curly_quotes.docx", folder / "tender.docx")
    result = run("tender", OPERATION, "-o", str(tmp_path / "dce"), "--templates", str(folder))
    assert (result.exit_code, result.stdout) == (1, "")
    path = folder / "tender.docx"
    assert result.stderr == (
        f"Error: {path}: {BROKEN_CASES['curly_quotes'][0]}\n"
        f"Error: {path}: Fix the template (clausegen templates check {path} lists these "
        "problems).\n"
    )
    assert not (tmp_path / "dce").exists()


def test_a_misnamed_template_in_the_buyer_folder_is_warned_about(tmp_path):
    folder = tmp_path / "modeles"
    folder.mkdir()
    shutil.copy(BUNDLED_DIR / "tender.docx", folder / "CCAP ville.docx")
    result = run("tender", OPERATION, "-o", str(tmp_path / "dce"), "--templates", str(folder))
    assert result.exit_code == 0
    assert result.stderr.startswith(
        f"Warning: [modele] {folder}/CCAP ville.docx is not used: a template is named after its "
        "command (tender.docx, commitment.docx, compliance.docx, balance.docx, "
        "evaluation.docx).\n"
    )


def test_templates_must_be_a_folder(tmp_path):
    result = run("tender", OPERATION, "-o", str(tmp_path / "dce"), "--templates", OPERATION)
    assert result.exit_code == 2
    assert "Directory 'samples/groupe-scolaire-jaures/operation.yaml' is a file." in result.stderr


# --- what the sandbox forbids (issue 15): one hostile template per message, checked whole ---

FORBIDDEN_MESSAGES = {
    "dunder_class": [
        "paragraph 1, \"{{ ''.__class__.__mro__ }}\": '__mro__' is a Python internal (a name "
        "starting with _), which the sandbox forbids; use the variables of the document's "
        "context (clausegen templates context lists them).",
        "paragraph 1, \"{{ ''.__class__.__mro__ }}\": '__class__' is a Python internal (a "
        "name starting with _), which the sandbox forbids; use the variables of the "
        "document's context (clausegen templates context lists them).",
    ],
    "attr_filter": [
        "paragraph 1, \"{{ acheteur|attr('__class__') }}\": |attr reaches attributes by name,"
        " which the sandbox forbids; use the variable's name (clausegen templates context "
        "lists them).",
    ],
    "format_method": [
        "paragraph 1, \"{{ '{0.__class__}'.format(acheteur) }}\": .format() is not allowed in"
        ' a template; join texts with ~ (as in {{ lot.intitule ~ " – " ~ lot.heures }}).',
    ],
    "format_filter": [
        "paragraph 1, \"{{ '%s'|format(acheteur.nom) }}\": |format is not allowed in a "
        'template; join texts with ~ (as in {{ lot.intitule ~ " – " ~ lot.heures }}).',
    ],
    "percent_formatting": [
        "paragraph 1, \"{{ '%1000000000s' % 'a' }}\": % formatting of a text is not allowed "
        'in a template; join texts with ~ (as in {{ lot.intitule ~ " – " ~ lot.heures }}).',
    ],
    "include": [
        "paragraph 1, \"{% include 'etc/passwd' %}\": {% include %} loads another template, "
        "which a buyer's template cannot do; put the text in this template (or cite a "
        'fragment with fragments["…"]).',
    ],
    "autoescape_off": [
        'paragraph 1, "{% autoescape false %}": {% autoescape %} cannot be used: every '
        "value is escaped so that it cannot break the document; remove the tag.",
    ],
    "safe": [
        "paragraph 1, \"{{ '</w:t></w:r></w:p><w:p><w:r><w:t>' | safe }}\": |safe would write"
        " raw XML into the document, which a template cannot do; remove it (every value is "
        "escaped, and & < > come out as typed).",
    ],
    "lipsum": [
        'paragraph 1, "{{ lipsum(10**6) }}": lipsum() is not available in a template (it '
        "writes HTML markup); write the text itself.",
    ],
    "recursive_loop": [
        'paragraph 1, "{% for lot in lots_retenus recursive %}": a recursive loop can run '
        "without end; loop over the document's lists without recursive.",
    ],
    "recursive_macro": [
        'paragraph 1, "{% macro boucle(n) %}": the macro boucle calls itself, which can run'
        " without end; write it without recursion.",
    ],
    "huge_range": [
        'paragraph 1, "{% for i in range(10**9) %}": this range() has more than 10 000 '
        "items, the most a template may loop over; loop over the document's lists or a "
        "small range.",
    ],
    "unbounded_range": [
        'paragraph 1, "{% for i in range(lots_retenus[0].numero * 10**9) %}": a range() '
        "whose size the template does not state can run without end; write its bounds as "
        "numbers or with |length (at most 10 000 items), or loop over the document's lists.",
    ],
    "text_times_huge": [
        "paragraph 1, \"{{ 'A' * 10**9 }}\": this * makes a value far too large (over 1 000 "
        "000 characters or 10 000 bits); a template does not build large values.",
    ],
    "center_huge": [
        'paragraph 1, "{{ acheteur.nom|center(10**9) }}": center with a width of 1 000 000 '
        "000 pads far too much (at most 1 000); use a small width.",
    ],
    "field_code_mergefield": [
        'paragraph 1, "{{ acheteur.nom }}": a tag inside a field code (Word\'s { MERGEFIELD '
        "… }, { HYPERLINK … } fields), which Word computes, not clausegen; put the tag in "
        "the text, outside the field.",
    ],
    "simple_field_attribute": [
        'paragraph 1, "{{ acheteur.nom }}": a tag inside the XML attribute w:instr (a link,'
        " an image's alternative text, a field or a style), where the lint cannot check it;"
        " put tags in the document's text only.",
    ],
    "deleted_text": [
        "paragraph 1, \"{{ acheteur|attr('x') }}\": a tag inside text deleted with track "
        "changes; accept or reject the tracked changes (Review › Accept all), then check "
        "again.",
    ],
    "core_title": [
        "docProps/core.xml, \"{{ ''.__class__ }}\": a tag in the document's properties "
        "(title, subject, author, keywords…), which clausegen fills itself; remove it there"
        " (File › Properties).",
    ],
    "folder": [
        'the file, "tender.docx": is a folder, not a DOCX template; give a .docx file.',
    ],
    "pipe": [
        'the file, "tender.docx": is not a regular file (a device, a pipe or a socket); '
        "give a .docx file saved by Word or LibreOffice.",
    ],
    "too_large": [
        'the file, "tender.docx": weighs 21 MiB, over the 20 MiB a template may weigh; make'
        " its images smaller.",
    ],
    "compression_bomb": [
        'the file, "tender.docx": unpacks to 120.8 MiB in 18 parts, over the 100 MiB and '
        "1000 parts a template may have; save it again from Word or LibreOffice, with "
        "smaller images.",
    ],
}
"""The templates come from ``tests/hostile_templates.py``; each message is checked whole."""


def _build_hostile(name: str, path: Path) -> None:
    if name in FORBIDDEN_TAGS:
        _tag_case(name, FORBIDDEN_TAGS[name][0], "body")(path)
    elif name in HIDDEN:
        HIDDEN[name][0](path)
    else:
        FILES[name][0](path)


@pytest.mark.parametrize("name", list(FORBIDDEN_MESSAGES))
def test_each_forbidden_construct_is_reported_with_its_place(tmp_path, name):
    path = tmp_path / "tender.docx"
    _build_hostile(name, path)
    result = run("templates", "check", tmp_path)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "".join(f"Error: {path}: {line}\n" for line in FORBIDDEN_MESSAGES[name])


def test_a_command_refuses_a_folder_where_its_template_should_be(tmp_path):
    """A folder named tender.docx in the buyer's folder is an error, never replaced by the
    bundled template."""
    (tmp_path / "modeles" / "tender.docx").mkdir(parents=True)
    result = run("tender", OPERATION, "-o", tmp_path / "dce", "--templates", tmp_path / "modeles")
    path = tmp_path / "modeles" / "tender.docx"
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f'Error: {path}: the file, "tender.docx": is a folder, not a DOCX template; give a '
        ".docx file.\n"
        f"Error: {path}: Fix the template (clausegen templates check {path} lists these "
        "problems).\n"
    )
    assert not (tmp_path / "dce").exists()


def test_a_value_cannot_write_raw_xml(tmp_path):
    """Markup in the buyer's data comes out as text: & < > and quotes, escaped once."""
    template = _house_tender(tmp_path / "modeles")
    document = Document(template)
    document.add_paragraph("{{ ('<w:p/>' ~ acheteur.nom)|e|replace('<', '<w:br/>') }}")
    document.save(str(template))
    result = run("tender", OPERATION, "-o", tmp_path / "dce", "--templates", template.parent)
    assert result.exit_code == 0, result.output
    rc = docx_text((tmp_path / "dce" / "rc-clause-insertion.docx").read_bytes())
    assert "[Normal] <w:p/>Ville de Carcassonne\n" in rc
