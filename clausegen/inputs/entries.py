"""Reading a YAML file's one top-level list entry by entry, never the whole file at once.

A large input (a participants file of 10 000 people) parsed whole goes through libyaml's
node tree of the whole document, many times the file's size. A file written in the plain
block shape a person or ``yaml.safe_dump`` writes::

    participants:
    - id: P01
      nom: …
    - id: P02
      …

is read here one entry at a time instead: the text of each entry, with the key's line
before it, is parsed on its own by the same loader as ``read_mapping`` (exact decimals,
duplicate keys refused, YAML 1.2 numbers and booleans) and checked by ``shape_problem``,
so each entry comes out exactly as parsing the whole file gives it.

This is a fast path, never a second set of rules: a file in any other shape (JSON, flow
style, other top-level keys, anchors or aliases, directives, other line breaks than
``\\n``), or whose entry fails to parse or to pass ``shape_problem``, raises ``NotPlain``,
and the caller reads it whole with ``read_mapping``, which reports its problems as always.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from clausegen.errors import InputError
from clausegen.inputs.files import MAX_MAPPING_BYTES, read_input
from clausegen.inputs.readers import MAX_VALUES, FastDecimalLoader, measured_shape


class NotPlain(Exception):
    """The file is not in the plain shape read entry by entry: read it whole."""


_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029", "\t")
"""Line breaks YAML knows besides ``\\n``, and tabs."""
_ANCHOR_OR_ALIAS = (re.compile(r"&[^\s,\[\]{}]"), re.compile(r"\*[^\s,\[\]{}]"))
"""What may be an anchor or an alias: ``&`` or ``*`` before a name (``A&B`` in a text only
costs reading the file whole). Two expressions, each beginning with its literal, which a
scan finds at C speed."""


def _read_whole(text: str) -> bool:
    """Whether ``text`` holds another line break, a tab, or what may be an anchor or an
    alias: the file is then read whole."""
    return any(mark in text for mark in _OTHER_BREAKS) or any(
        pattern.search(text) for pattern in _ANCHOR_OR_ALIAS
    )


_SIGNIFICANT = re.compile(r"^[ ]*[^ #\n]", re.MULTILINE)
"""A line holding more than blanks or a comment, up to its first other character."""


def entries(path: Path, key: str) -> Iterator[Any]:
    """Each entry of the list under ``key``, the file's only key, in file order; raises
    ``NotPlain`` (possibly after yielding some) when the file must be read whole."""
    count = ValuesCount()
    for text in entry_texts(path, key):
        entry, size = parse_entry(text, key)
        count.add(size)
        yield entry


def entry_texts(path: Path, key: str) -> Iterator[str]:
    """The text of each entry of the list under ``key``, as a document of its own (the key's
    line, then the entry), in file order: ``parse_entry`` reads one, in any process. Raises
    ``NotPlain`` before the first when the file must be read whole."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise NotPlain
    try:
        text = read_input(path, limit=MAX_MAPPING_BYTES).decode("utf-8").removeprefix("\ufeff")
    except (InputError, UnicodeDecodeError) as error:  # read_mapping reports it
        raise NotPlain from error
    if _read_whole(text):
        raise NotPlain
    header = re.compile(rf"{re.escape(key)}:[ ]*(?:#[^\n]*)?\n")
    first = _SIGNIFICANT.search(text)
    if first is None or not header.match(text, first.start()):
        raise NotPlain
    bounds = entry_starts(text, first.end())
    if not bounds:
        raise NotPlain
    return _texts(text, bounds, f"{key}:\n")


def entry_starts(text: str, after: int) -> list[int]:
    """Where each entry of the list begins (its line), in the lines after ``after``: the
    first line holding something sets the entries' column; ``NotPlain`` when a line is
    less indented, or one at that column does not begin an entry (``- ``).

    Each is one scan of the whole text by a regular expression that begins with the line
    break before a line (a literal the scan looks for at C speed; ``^`` would try every
    position): a file of 10 000 entries has 150 000 lines."""
    first = _SIGNIFICANT.search(text, after)
    if first is None:
        raise NotPlain
    indent = first.end() - 1 - first.start()
    outdented = re.compile(rf"\n[ ]{{0,{indent - 1}}}[^ #\n]") if indent else None
    not_an_entry = re.compile(rf"\n[ ]{{{indent}}}(?:[^ #\n-]|-(?! ))")
    if (outdented and outdented.search(text, after)) or not_an_entry.search(text, after):
        raise NotPlain
    entry = re.compile(rf"\n[ ]{{{indent}}}- ")
    return [match.start() + 1 for match in entry.finditer(text, after)]


def _texts(text: str, bounds: list[int], prefix: str) -> Iterator[str]:
    for number, begin in enumerate(bounds):
        end = bounds[number + 1] if number + 1 < len(bounds) else len(text)
        yield prefix + text[begin:end]


class ValuesCount:
    """The values the entries hold together, as ``measured_shape`` counts the whole file:
    past ``MAX_VALUES``, ``NotPlain`` (reading the file whole reports it)."""

    def __init__(self) -> None:
        self.total = 2  # the file's mapping and its list

    def add(self, size: int) -> None:
        """Count one entry's values (``parse_entry``'s second result)."""
        self.total += size - 2
        if self.total > MAX_VALUES:
            raise NotPlain


def parse_entry(text: str, key: str) -> tuple[Any, int]:
    """The one entry ``text`` holds, as parsing the whole file gives it, and the values
    ``text`` holds (``measured_shape``)."""
    try:
        data = yaml.load(text, Loader=FastDecimalLoader)
    except (yaml.YAMLError, RecursionError) as error:
        raise NotPlain from error
    if not isinstance(data, dict) or list(data) != [key]:
        raise NotPlain
    listed = data[key]
    if not isinstance(listed, list) or len(listed) != 1:
        raise NotPlain
    problem, size = measured_shape(data)
    if problem is not None:
        raise NotPlain
    return listed[0], size
