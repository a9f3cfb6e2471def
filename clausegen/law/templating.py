"""The Jinja environments clausegen renders with, both sandboxed and strict.

- ``text_environment``: legal fragments, whose output is plain French text (not markup).
  It does not escape: the text is escaped exactly once, where it is placed into a
  document's XML by ``xml_environment``. Escaping here too would turn ``&`` into ``&amp;amp;``.
- ``xml_environment``: DOCX templates, the buyer's own included; every value is
  XML-escaped, so a buyer called ``Lyon & Métropole <Habitat>`` comes out intact, in the
  narrower sandbox of ``clausegen.law.sandbox`` (no internals, no raw XML, bounded work).

Both are sandboxed (a template cannot reach Python internals) and use ``StrictUndefined``
(a misspelt variable is an error, never an empty string).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from jinja2 import Environment, StrictUndefined, nodes
from jinja2.sandbox import SandboxedEnvironment

from clausegen.law.sandbox import BuyerSandbox


def text_environment() -> SandboxedEnvironment:
    """For fragments: block tags take their own line without leaving blank lines."""
    return SandboxedEnvironment(
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def xml_environment() -> BuyerSandbox:
    """For DOCX templates: autoescaping XML, strict about undefined values, sandboxed for
    buyers' templates."""
    return BuyerSandbox()


@dataclass(frozen=True)
class UnknownFilter:
    """A filter or test a template uses that its environment lacks."""

    line: int
    name: str
    message: str


def unknown_filters(syntax: nodes.Template, environment: Environment) -> Iterator[UnknownFilter]:
    """Each filter or test ``syntax`` uses that ``environment`` lacks: what compiling the
    template would refuse (one at a time), found without compiling it (all at once)."""
    for node in syntax.find_all((nodes.Filter, nodes.Test)):
        known, kind = (
            (environment.filters, "filter")
            if isinstance(node, nodes.Filter)
            else (environment.tests, "test")
        )
        if node.name not in known:
            close = difflib.get_close_matches(node.name, known, n=2, cutoff=0.6)
            hint = (
                f"; did you mean {' or '.join(close)}?"
                if close
                else f"; use one of Jinja's built-in {kind}s."
            )
            yield UnknownFilter(node.lineno, node.name, f"Jinja has no {kind} '{node.name}'{hint}")
