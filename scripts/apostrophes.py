"""Make the straight apostrophes of fragment sources typographic: ``l'acheteur`` → ``l’acheteur``.

    python scripts/apostrophes.py                 # every fragment source and documents.yaml
    python scripts/apostrophes.py FILE…           # these files
    python scripts/apostrophes.py --check [FILE…] # list what would change; exit 1 if anything

Only an apostrophe between two letters changes (the rule inputs follow,
``clausegen.inputs.french.typographic_apostrophes``); Jinja code (``{{ … }}``,
``{% … %}``, ``{# … #}``) and YAML comment lines are left as they are, so a string
literal inside a tag and YAML's quoting (``'d''un'``) are safe. Before writing, the file is
read back as YAML and every value is compared with the original: they must differ only by
those apostrophes, outside Jinja code; otherwise nothing is written and the file is named.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from clausegen.inputs.french import typographic_apostrophes

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = [
    *sorted((ROOT / "legal_fragments" / "fragments").glob("*.yaml")),
    ROOT / "legal_fragments" / "documents.yaml",
]
_KEPT = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|^[ \t]*#[^\n]*$", re.DOTALL | re.MULTILINE)
"""What is never changed: Jinja tags and comments, and YAML comment lines."""


def convert_text(text: str) -> str:
    """``text`` with its apostrophes between letters made typographic, outside Jinja code
    and YAML comment lines."""
    out: list[str] = []
    position = 0
    for kept in _KEPT.finditer(text):
        out.append(typographic_apostrophes(text[position : kept.start()]))
        out.append(kept.group())
        position = kept.end()
    out.append(typographic_apostrophes(text[position:]))
    return "".join(out)


def _same_but_apostrophes(before: Any, after: Any, where: str = "") -> list[str]:
    """Where the YAML values ``after`` differ from ``before`` otherwise than expected."""
    if isinstance(before, dict) and isinstance(after, dict):
        if list(before) != list(after):
            return [f"{where or 'top level'}: keys changed"]
        found: list[str] = []
        for key in before:
            found.extend(_same_but_apostrophes(before[key], after[key], f"{where}.{key}"))
        return found
    if isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            return [f"{where}: list length changed"]
        found = []
        for index, (item_before, item_after) in enumerate(zip(before, after, strict=True)):
            found.extend(_same_but_apostrophes(item_before, item_after, f"{where}[{index}]"))
        return found
    if isinstance(before, str) and isinstance(after, str):
        return [] if convert_text(before) == after else [f"{where}: text changed otherwise"]
    return [] if before == after else [f"{where}: value changed"]


def convert_file(path: Path, *, write: bool) -> list[str]:
    """The lines of ``path`` that change (``file:line: text``); writes them when ``write``.

    Raises ``ValueError`` when the converted file would not read back as the same values.
    """
    text = path.read_text(encoding="utf-8")
    converted = convert_text(text)
    if converted == text:
        return []
    problems = _same_but_apostrophes(yaml.safe_load(text), yaml.safe_load(converted))
    if problems:
        raise ValueError(f"{path}: not converted, the values would change: {problems[:3]}")
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    changed = [
        f"{shown}:{number}: {new.strip()}"
        for number, (old, new) in enumerate(
            zip(text.splitlines(), converted.splitlines(), strict=True), start=1
        )
        if old != new
    ]
    if write:
        path.write_text(converted, encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="YAML sources (default: fragments)")
    parser.add_argument("--check", action="store_true", help="list changes, write nothing")
    args = parser.parse_args(argv)
    changed: list[str] = []
    for path in args.files or DEFAULT_FILES:
        try:
            changed.extend(convert_file(path, write=not args.check))
        except ValueError as error:
            print(f"Error: {error}", file=sys.stderr)
            return 1
    print("\n".join(changed) if changed else "No straight apostrophe between letters.")
    if args.check:
        return 1 if changed else 0
    print(f"{len(changed)} lines changed.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
