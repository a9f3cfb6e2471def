"""A list file read entry by entry gives exactly what reading it whole gives, or says to
read it whole (``NotPlain``); the participants come out the same either way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from clausegen.execution.participants import ParticipantsFile, _one_by_one, load_participants
from clausegen.inputs.entries import NotPlain, entries, entry_starts
from clausegen.inputs.readers import read_mapping

SAMPLE = Path("samples/groupe-scolaire-jaures/participants.yaml")

PLAIN = {
    "block, indented": "participants:\n  - id: A\n    n: 1.50\n  - id: B\n    n: [x, y]\n",
    "block, as safe_dump writes": "participants:\n- id: A\n  n: 0.07\n- id: B\n  n: 2027-01-18\n",
    "comments and blank lines": (
        "# people\nparticipants:  # all\n\n# first\n- id: A\n  t: |\n    one\n\n    two\n"
        "# out of the list\n- {id: B, n: '1'}\n"
    ),
    "an ampersand in a text": "participants:\n- id: A\n  r: Dupont & Fils\n",
    "a YAML 1.2 number and yes/no": "participants:\n- id: A\n  n: 0x1F\n  b: yes\n  c: true\n",
}

READ_WHOLE = {
    "an anchor and an alias": "participants:\n- &a {id: A}\n- id: B\n  same: *a\n",
    "a quoted text over an entry's line": 'participants:\n- id: A\n  r: "x\n- id: B"\n',
    "a flow list over an entry's line": "participants:\n- id: A\n  r: [x,\n- y]\n",
    "another top-level key": "participants:\n- id: A\nother: 1\n",
    "a flow-style file": "{participants: [{id: A}]}\n",
    "Windows line ends": "participants:\r\n- id: A\r\n",
    "a second document": "participants:\n- id: A\n---\nparticipants:\n- id: B\n",
    "a key written twice in an entry": "participants:\n- id: A\n  id: B\n",
    "an empty list": "participants: []\n",
    "a line less indented than the entries": "participants:\n  - id: A\n x: 1\n",
    "an alias alone": "participants:\n- id: A\n  same: *a\n",
    "a tab": "participants:\n- id: A\n  r: a\tb\n",
    "a line separator": "participants:\n- id: A\n  r: a\u2028b\n",
}


@pytest.mark.parametrize("text", PLAIN.values(), ids=PLAIN.keys())
def test_a_plain_file_entry_by_entry_is_the_whole_file(tmp_path, text):
    path = tmp_path / "list.yaml"
    path.write_text(text, encoding="utf-8")
    assert list(entries(path, "participants")) == read_mapping(path)["participants"]


@pytest.mark.parametrize("text", READ_WHOLE.values(), ids=READ_WHOLE.keys())
def test_any_other_shape_is_read_whole(tmp_path, text):
    path = tmp_path / "list.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NotPlain):
        list(entries(path, "participants"))


def test_json_is_read_whole(tmp_path):
    path = tmp_path / "list.json"
    path.write_text('{"participants": [{"id": "A"}]}', encoding="utf-8")
    with pytest.raises(NotPlain):
        list(entries(path, "participants"))


def test_participants_one_by_one_are_those_of_the_whole_file(tmp_path):
    whole = ParticipantsFile.model_validate(read_mapping(SAMPLE)).participants
    assert list(_one_by_one(SAMPLE).values()) == whole
    dumped = tmp_path / "dumped.yaml"  # the shape yaml.safe_dump writes, as bench/ does
    dumped.write_text(
        yaml.safe_dump(
            {"participants": [p.model_dump(mode="json", exclude_none=True) for p in whole]},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    assert list(_one_by_one(dumped).values()) == whole
    assert load_participants(dumped) == {p.id: p for p in whole}


def test_a_duplicate_id_is_read_whole(tmp_path):
    text = SAMPLE.read_text("utf-8")
    first = text.index("  - id: P01")
    second = text.index("  - id: P02")
    path = tmp_path / "twice.yaml"
    path.write_text(text + text[first:second], encoding="utf-8")
    with pytest.raises(NotPlain):
        _one_by_one(path)


def _entry_starts_line_by_line(text: str, after: int) -> list[int]:
    """``entry_starts`` as it was written first, one line at a time: the reference."""
    bounds: list[int] = []
    indent = -1
    for line in re.compile(r"^[ ]*[^ #\n]", re.MULTILINE).finditer(text, after):
        start = line.start()
        column = line.end() - 1 - start
        if indent < 0:
            indent = column
        if column < indent:
            raise NotPlain
        if column == indent:
            if not text.startswith("- ", line.end() - 1):
                raise NotPlain
            bounds.append(start)
    if indent < 0:
        raise NotPlain
    return bounds


_LINES = st.builds(
    lambda indent, content: " " * indent + content,
    st.integers(0, 4),
    st.sampled_from(["- id: A", "- x", "-", "-x", "n: 1", "# note", "", "   ", "a - b"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINES, max_size=12), st.booleans())
def test_entries_are_found_as_line_by_line(lines, final_newline):
    """The entries' starts found by whole-text scans are those a line-by-line reading finds,
    and a text one refuses, the other refuses too."""
    text = "participants:\n" + "\n".join(lines) + ("\n" if final_newline else "")
    try:
        expected: list[int] | type[NotPlain] = _entry_starts_line_by_line(text, 1)
    except NotPlain:
        expected = NotPlain
    try:
        found: list[int] | type[NotPlain] = entry_starts(text, 1)
    except NotPlain:
        found = NotPlain
    assert found == expected
