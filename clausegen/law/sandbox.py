"""What a buyer's template may do: the sandbox DOCX templates render in, and its rules.

A buyer's template is Jinja run on our machine, so it gets a narrower sandbox than Jinja's
own (which already refuses ``_`` attributes and ranges over 100 000 items):

- **no Python internals**: no attribute or key starting with ``_``, no ``|attr``, no
  ``.format``/``.format_map``, no ``%`` formatting of text;
- **no other template**: no ``{% include %}``, ``{% import %}``, ``{% from … import %}``,
  ``{% extends %}``;
- **no raw XML**: autoescaping stays on (no ``{% autoescape false %}``), and ``|safe``,
  ``|urlize``, ``|xmlattr`` and ``lipsum()``, which write markup, are gone;
- **bounded work**: ranges of at most ``MAX_RANGE`` items written with numbers or
  ``|length``, no recursive loop or macro calling itself, texts and lists made by ``*``,
  ``+``, ``replace`` or ``join`` of at most ``MAX_TEXT`` items, padding widths (``center``,
  ``ljust``, ``indent``…) of at most ``MAX_WIDTH``, integers of at most ``MAX_INT_BITS`` bits.

``forbidden_constructs`` finds every construct the rules refuse in a parsed template
(``templates check`` reports each with its place); the environment refuses to compile a
template holding one, and checks the sizes again as it renders. What the rules cannot see
(text doubled in a loop through a ``namespace``) is stopped by the render budget
(``clausegen.render.budget``).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.utils import _PassArg

MAX_RANGE = 10_000
"""Items a ``range()`` may have."""
MAX_TEXT = 1_000_000
"""Characters (or items) of a text (or list) a template makes with ``*``, ``+``, ``join``…"""
MAX_WIDTH = 1_000
"""Width a padding filter or method (``center``, ``ljust``, ``indent``…) may pad to."""
MAX_INT_BITS = 10_000
"""Bits of an integer a template computes (about 3 000 digits)."""

FORMAT_METHODS = frozenset({"format", "format_map"})
PADDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
PADDING_FILTERS = {"center": 1, "indent": 1, "batch": 1, "slice": 1}
"""Filters whose argument at this position (after the value) is a width or a count."""
MARKUP_FILTERS = frozenset({"safe", "urlize", "xmlattr"})
"""Filters that write markup as it is: removed, so a template cannot write raw XML."""
REMOVED_FILTERS = MARKUP_FILTERS | {"attr", "format"}
REMOVED_GLOBALS = frozenset({"lipsum"})
LENGTH_FILTERS = frozenset({"length", "count"})


@dataclass(frozen=True)
class ForbiddenConstruct:
    """A construct the sandbox refuses: its Jinja line, a text to find its tag by, and why."""

    line: int
    needle: str
    message: str


def forbidden_constructs(template: nodes.Template) -> list[ForbiddenConstruct]:
    """Every construct of ``template`` the sandbox refuses, in order of appearance."""
    found: list[ForbiddenConstruct] = []
    macros = {m.name for m in template.find_all(nodes.Macro)}
    for node in _walk(template):
        problem = _forbidden(node, macros)
        if problem is not None:
            needle, message = problem
            found.append(ForbiddenConstruct(node.lineno, needle, message))
    return sorted(found, key=lambda f: f.line)


def _walk(node: nodes.Node) -> Iterator[nodes.Node]:
    """``node`` and its descendants, without recursion (templates can nest deeply)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(current.iter_child_nodes())))


def _forbidden(node: nodes.Node, macros: set[str]) -> tuple[str, str] | None:
    """What to point at and why, when ``node`` is forbidden; None otherwise."""
    if isinstance(node, (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        word = {
            nodes.Include: "include",
            nodes.Import: "import",
            nodes.FromImport: "import",
            nodes.Extends: "extends",
        }[type(node)]
        return word, (
            f"{{% {word} %}} loads another template, which a buyer's template cannot do; "
            'put the text in this template (or cite a fragment with fragments["…"]).'
        )
    if isinstance(node, (nodes.ScopedEvalContextModifier, nodes.EvalContextModifier)):
        return "autoescape", (
            "{% autoescape %} cannot be used: every value is escaped so that it cannot "
            "break the document; remove the tag."
        )
    if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
        return node.attr, _internal(node.attr)
    if (
        isinstance(node, nodes.Getitem)
        and isinstance(node.arg, nodes.Const)
        and isinstance(node.arg.value, str)
        and node.arg.value.startswith("_")
    ):
        return node.arg.value, _internal(node.arg.value)
    if isinstance(node, nodes.Getattr) and node.attr in FORMAT_METHODS:
        return node.attr, (
            f".{node.attr}() is not allowed in a template; join texts with ~ "
            '(as in {{ lot.intitule ~ " – " ~ lot.heures }}).'
        )
    if isinstance(node, nodes.Filter):
        return _forbidden_filter(node)
    if isinstance(node, nodes.Name) and node.name in REMOVED_GLOBALS:
        return node.name, (
            f"{node.name}() is not available in a template (it writes HTML markup); "
            "write the text itself."
        )
    if isinstance(node, nodes.For) and node.recursive:
        return "recursive", (
            "a recursive loop can run without end; loop over the document's lists "
            "without recursive."
        )
    if (
        isinstance(node, nodes.Call)
        and isinstance(node.node, nodes.Name)
        and node.node.name == "range"
    ):
        return _forbidden_range(node)
    if isinstance(node, nodes.Macro):
        for call in node.find_all(nodes.Call):
            if isinstance(call.node, nodes.Name) and call.node.name == node.name:
                return node.name, (
                    f"the macro {node.name} calls itself, which can run without end; "
                    "write it without recursion."
                )
    if (
        isinstance(node, nodes.Call)
        and isinstance(node.node, nodes.Getattr)
        and node.node.attr in PADDING_METHODS
        and node.args
    ):
        width = constant_int(node.args[0])
        if width is not None and abs(width) > MAX_WIDTH:
            return node.node.attr, _too_wide(node.node.attr, width)
    if isinstance(node, nodes.Mod) and _is_text(node.left):
        return "%", (
            "% formatting of a text is not allowed in a template; join texts with ~ "
            '(as in {{ lot.intitule ~ " – " ~ lot.heures }}).'
        )
    if isinstance(node, (nodes.Mul, nodes.Pow)):
        value = constant_int(node)
        if value is _HUGE or (isinstance(node, nodes.Mul) and _repeats_too_much(node)):
            sign = "*" if isinstance(node, nodes.Mul) else "**"
            return sign, (
                f"this {sign} makes a value far too large (over {_count(MAX_TEXT)} characters or "
                f"{_count(MAX_INT_BITS)} bits); a template does not build large values."
            )
    return None


def _forbidden_filter(node: nodes.Filter) -> tuple[str, str] | None:
    if node.name == "attr":
        return "attr", (
            "|attr reaches attributes by name, which the sandbox forbids; use the "
            "variable's name (clausegen templates context lists them)."
        )
    if node.name in MARKUP_FILTERS:
        return node.name, (
            f"|{node.name} would write raw XML into the document, which a template "
            "cannot do; remove it (every value is escaped, and & < > come out as typed)."
        )
    if node.name == "format":
        return "format", (
            "|format is not allowed in a template; join texts with ~ "
            '(as in {{ lot.intitule ~ " – " ~ lot.heures }}).'
        )
    position = PADDING_FILTERS.get(node.name)
    if position is not None:
        argument = node.args[position - 1] if len(node.args) >= position else None
        if argument is None:
            argument = next(
                (k.value for k in node.kwargs if k.key in ("width", "linecount", "slices")), None
            )
        width = constant_int(argument) if argument is not None else None
        if width is not None and abs(width) > MAX_WIDTH:
            return node.name, _too_wide(node.name, width)
    return None


def _forbidden_range(call: nodes.Call) -> tuple[str, str] | None:
    if call.kwargs or call.dyn_args or call.dyn_kwargs or not 1 <= len(call.args) <= 3:
        return "range", _unbounded_range()
    values = [constant_int(arg) for arg in call.args]
    if any(v is _HUGE for v in values):
        return "range", _huge_range()
    if any(v is None for v in values):
        if all(_bounded(arg) for arg in call.args):
            return None
        return "range", _unbounded_range()
    try:
        size = len(range(*values))  # type: ignore[arg-type]
    except (ValueError, OverflowError):
        return "range", _huge_range()
    return ("range", _huge_range()) if size > MAX_RANGE else None


def _count(number: int) -> str:
    """``1000000`` as ``1 000 000``."""
    return f"{number:,}".replace(",", " ")


def _internal(name: str) -> str:
    return (
        f"'{name}' is a Python internal (a name starting with _), which the sandbox "
        "forbids; use the variables of the document's context (clausegen templates context "
        "lists them)."
    )


def _too_wide(name: str, width: int) -> str:
    return (
        f"{name} with a width of {_count(width)} pads far too much (at most {_count(MAX_WIDTH)}); "
        "use a small width."
    )


def _unbounded_range() -> str:
    return (
        "a range() whose size the template does not state can run without end; "
        f"write its bounds as numbers or with |length (at most {_count(MAX_RANGE)} items), "
        "or loop over the document's lists."
    )


def _huge_range() -> str:
    return (
        f"this range() has more than {_count(MAX_RANGE)} items, the most a template may loop "
        "over; loop over the document's lists or a small range."
    )


class _Huge:
    """A constant too large to compute."""


_HUGE: Any = _Huge()


def constant_int(node: nodes.Node) -> int | None:
    """The integer a constant expression makes (``10**9``), ``_HUGE`` when it is too large
    to compute, None when it is not a constant integer."""
    if isinstance(node, nodes.Const):
        value = node.value
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(node, nodes.Neg):
        value = constant_int(node.node)
        return -value if isinstance(value, int) else value
    if isinstance(node, nodes.Pos):
        return constant_int(node.node)
    if isinstance(node, (nodes.Add, nodes.Sub, nodes.Mul, nodes.Pow, nodes.FloorDiv)):
        left, right = constant_int(node.left), constant_int(node.right)
        if left is _HUGE or right is _HUGE:
            return _HUGE
        if left is None or right is None:
            return None
        return _arithmetic(node, left, right)
    return None


def _arithmetic(node: nodes.Node, left: int, right: int) -> int | None:
    if isinstance(node, nodes.Pow):
        if right < 0:
            return None
        if abs(left) > 1 and right * max(left.bit_length(), 1) > MAX_INT_BITS:
            return _HUGE
        return int(left**right)
    if isinstance(node, nodes.Mul) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
        return _HUGE
    if isinstance(node, nodes.FloorDiv):
        return left // right if right else None
    return {nodes.Add: operator.add, nodes.Sub: operator.sub, nodes.Mul: operator.mul}[type(node)](
        left, right
    )


def _is_text(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Const) and isinstance(node.value, str)


def _repeats_too_much(node: nodes.Mul) -> bool:
    """``'A' * 10**9``: a constant text or list repeated beyond ``MAX_TEXT``."""
    for sequence, count in ((node.left, node.right), (node.right, node.left)):
        length = _constant_length(sequence)
        times = constant_int(count)
        if length is None or times is None:
            continue
        if times is _HUGE or length * times > MAX_TEXT:
            return True
    return False


def _constant_length(node: nodes.Node) -> int | None:
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return max(len(node.value), 1)
    if isinstance(node, (nodes.List, nodes.Tuple)):
        return max(len(node.items), 1)
    return None


def _bounded(node: nodes.Node) -> bool:
    """A range bound written with numbers and ``|length``: the data bounds it."""
    if constant_int(node) is not None:
        return True
    if isinstance(node, nodes.Filter) and node.name in LENGTH_FILTERS:
        return True
    if isinstance(node, (nodes.Add, nodes.Sub)):
        return _bounded(node.left) and _bounded(node.right)
    if isinstance(node, (nodes.Neg, nodes.Pos)):
        return _bounded(node.node)
    return False


# --- the environment ----------------------------------------------------------------------


def _refuse(message: str) -> SecurityError:
    return SecurityError(message)


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, list, tuple)) else None


def _check_text(length: int, what: str) -> None:
    if length > MAX_TEXT:
        raise _refuse(
            f"{what} would make {_count(length)} characters or items, over the limit of "
            f"{_count(MAX_TEXT)}"
        )


def _check_width(width: Any, name: str) -> None:
    size = len(width) if isinstance(width, str) else width
    if isinstance(size, int) and abs(size) > MAX_WIDTH:
        raise _refuse(_too_wide(name, size).split(";")[0])


def _check_int(value: Any, what: str) -> None:
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise _refuse(f"{what} would make an integer of over {MAX_INT_BITS} bits")


def _integers(*values: Any) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def _bounded_range(*args: int) -> range:
    """``range`` as Jinja's sandbox has it, with at most ``MAX_RANGE`` items."""
    values = range(*args)
    if len(values) > MAX_RANGE:
        raise _refuse(
            f"range() of {_count(len(values))} items, over the limit of {_count(MAX_RANGE)}"
        )
    return values


def _replaced_length(text: str, old: str, new: str, count: Any = None) -> int:
    """An upper bound of ``len(text.replace(old, new, count))``."""
    occurrences = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        occurrences = min(occurrences, count)
    return len(text) + occurrences * max(len(new) - len(old), 0)


def _joined_length(separator: str, items: list[Any]) -> int:
    return len(separator) * max(len(items) - 1, 0) + sum(
        len(item) for item in items if isinstance(item, str)
    )


def _checked_filter(original: Callable[..., Any], name: str) -> Callable[..., Any]:
    """``original`` with its width, count or size checked before it runs."""
    takes_context = _PassArg.from_obj(original) is not None

    @functools.wraps(original)
    def checked(*args: Any, **kwargs: Any) -> Any:
        own = list(args[1:] if takes_context else args)
        if name in PADDING_FILTERS:
            position = PADDING_FILTERS[name]
            width = own[position] if len(own) > position else None
            width = kwargs.get("width", kwargs.get("linecount", kwargs.get("slices", width)))
            _check_width(width, name)
        elif name == "tojson":
            _check_width(own[1] if len(own) > 1 else kwargs.get("indent"), "tojson indent")
        elif name == "replace" and len(own) >= 3:
            text, old, new = (str(value) for value in own[:3])
            _check_text(_replaced_length(text, old, new, *own[3:4]), "replace")
        elif name == "join" and own:
            items = list(own[0])
            separator = own[1] if len(own) > 1 else kwargs.get("d", "")
            _check_text(_joined_length(str(separator), items), "join")
            head = list(args[:1]) if takes_context else []
            return original(*head, items, *own[1:], **kwargs)
        return original(*args, **kwargs)

    return checked


class BuyerSandbox(SandboxedEnvironment):
    """Jinja's sandbox, narrowed for buyers' templates (see the module docstring)."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    refuses_constructs = True
    """Refuse to compile a template holding a forbidden construct (the lint turns this off
    to report every one with its place)."""

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self.globals["range"] = _bounded_range
        for name in REMOVED_GLOBALS:
            del self.globals[name]
        for name in REMOVED_FILTERS:
            del self.filters[name]
        for name in (*PADDING_FILTERS, "tojson", "replace", "join"):
            self.filters[name] = _checked_filter(self.filters[name], name)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        if self.refuses_constructs:
            for construct in forbidden_constructs(tree):
                raise TemplateSyntaxError(construct.message, construct.line, name, filename)
        return tree

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return attr not in FORMAT_METHODS and super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "%" and isinstance(left, str):
            raise _refuse("% formatting of a text is not allowed in a template")
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                length = _length(sequence)
                if length is not None and isinstance(count, int):
                    _check_text(length * count, "*")
            if _integers(left, right) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise _refuse(f"* would make an integer of over {MAX_INT_BITS} bits")
        if (
            operator == "**"
            and _integers(left, right)
            and abs(left) > 1
            and right * left.bit_length() > MAX_INT_BITS
        ):
            raise _refuse(f"** would make an integer of over {MAX_INT_BITS} bits")
        if operator == "+":
            length, other = _length(left), _length(right)
            if length is not None and other is not None:
                _check_text(length + other, "+")
        result = super().call_binop(context, operator, left, right)
        _check_int(result, operator)
        return result

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, str):
            if name in PADDING_METHODS and args:
                _check_width(args[0], name)
            elif name == "replace" and len(args) >= 2:
                _check_text(_replaced_length(owner, str(args[0]), str(args[1]), *args[2:3]), name)
            elif name == "join" and args:
                items = list(args[0])
                _check_text(_joined_length(owner, items), name)
                args = (items, *args[1:])
        return super().call(__context, __obj, *args, **kwargs)


def buyer_environment() -> BuyerSandbox:
    """A new sandbox for buyers' DOCX templates."""
    return BuyerSandbox()
