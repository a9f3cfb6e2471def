"""Checking, before rendering, that every variable a template uses exists in its context.

A document's context is a pydantic model, so the names a template may use are known in
advance: ``acheteur.nom`` is fine, ``acheteur.nomm`` is not. This walks the Jinja syntax
tree, follows ``for`` loops (``lot`` in ``for lot in lots`` is a ``LotContext``) and
reports every unknown dotted path at once, with close matches. Values that are not models
(strings, numbers) are not looked into, so ``texte.upper()`` stays allowed.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jinja2 import nodes
from pydantic import BaseModel

ANY: Any = object()
"""A value whose type is not known (a ``set`` variable, a call's result): not checked."""
JINJA_GLOBALS = frozenset({"range", "dict", "namespace", "cycler", "joiner", "lipsum"})
"""Names Jinja defines, not the context (the sandbox decides which a template may use)."""


@dataclass(frozen=True)
class UnknownVariable:
    """A dotted path the template uses that its context does not have."""

    path: str
    line: int
    suggestions: tuple[str, ...]

    def __str__(self) -> str:
        hint = f"; did you mean {' or '.join(self.suggestions)}?" if self.suggestions else "."
        return f"'{self.path}' is not in the context{hint}"


def unknown_variables(template: nodes.Template, context: type[BaseModel]) -> list[UnknownVariable]:
    """Every path in ``template`` that ``context`` does not define, in order of appearance."""
    checker = _Checker(context)
    macros = {macro.name: ANY for macro in template.find_all(nodes.Macro)}
    checker.statements(template.body, macros)
    return checker.unknown


@dataclass(frozen=True)
class ContextField:
    """A variable a template can use: its dotted path, what it holds and its description."""

    path: str
    kind: str
    optional: bool
    description: str


def context_fields(model: type[BaseModel], prefix: str = "") -> Iterator[ContextField]:
    """Every variable a context offers (``acheteur.nom``, ``lots[].heures``…), in order.

    ``lots[].heures`` is the ``heures`` of each item of ``lots``, as in
    ``{% for lot in lots %}{{ lot.heures }}{% endfor %}``.
    """
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        annotation = _plain(field.annotation)
        optional = annotation is not field.annotation
        item = _item_type(annotation)
        yield ContextField(path, _kind(annotation), optional, field.description or "")
        inner = item if item is not None else annotation
        if _is_model(inner):
            yield from context_fields(inner, f"{path}[]." if item is not None else f"{path}.")


def _kind(annotation: Any) -> str:
    item = _item_type(annotation)
    if item is not None:
        return f"list of {_kind(item)}" if not _is_model(item) else "list"
    if typing.get_origin(annotation) is dict:
        return "mapping"
    if _is_model(annotation):
        return "image" if annotation.__name__ == "ImageContext" else "group"
    return {str: "text", int: "number", bool: "yes/no", bytes: "bytes"}.get(annotation, "value")


class _Checker:
    def __init__(self, root: type[BaseModel]) -> None:
        self.root = root
        self.unknown: list[UnknownVariable] = []

    def statements(self, body: list[nodes.Node], scope: dict[str, Any]) -> None:
        for node in body:
            self.statement(node, scope)

    def statement(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            item = _item_type(self.expression(node.iter, scope))
            inner = {**scope, "loop": ANY}
            self._bind(node.target, item if item is not None else ANY, inner)
            if node.test is not None:
                self.expression(node.test, inner)
            self.statements(node.body, inner)
            self.statements(node.else_, scope)
        elif isinstance(node, nodes.Assign):
            self.expression(node.node, scope)
            self._bind(node.target, ANY, scope)
        elif isinstance(node, nodes.AssignBlock):
            self.statements(node.body, scope)
            self._bind(node.target, ANY, scope)
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            if isinstance(node, nodes.Macro):
                scope[node.name] = ANY
            else:
                self.expression(node.call, scope)
            for default in node.defaults:
                self.expression(default, scope)
            inner = {**scope, "caller": ANY, "varargs": ANY, "kwargs": ANY}
            for argument in node.args:
                self._bind(argument, ANY, inner)
            self.statements(node.body, inner)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values, strict=True):
                self.expression(value, scope)
                self._bind(target, ANY, inner)
            self.statements(node.body, inner)
        else:
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Expr):
                    self.expression(child, scope)
                else:
                    self.statement(child, scope)

    def expression(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name in JINJA_GLOBALS:
                return ANY
            return self._field(self.root, node.name, node.name, node.lineno)
        if isinstance(node, nodes.Getattr):
            owner = self.expression(node.node, scope)
            return self._field(owner, node.attr, _path(node), node.lineno)
        if isinstance(node, nodes.Getitem):
            owner = self.expression(node.node, scope)
            if typing.get_origin(owner) is dict:
                self.expression(node.arg, scope)
                return _plain(typing.get_args(owner)[1])
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self._field(owner, node.arg.value, _path(node), node.lineno)
            self.expression(node.arg, scope)
            item = _item_type(owner)
            return item if item is not None else ANY
        for child in node.iter_child_nodes():
            self.expression(child, scope)
        return ANY

    def _field(self, owner: Any, name: str, path: str, line: int) -> Any:
        if not _is_model(owner):
            return ANY
        fields = owner.model_fields
        if name in fields:
            return _plain(fields[name].annotation)
        prefix = path.rpartition(".")[0]
        close = difflib.get_close_matches(name, list(fields), n=2, cutoff=0.6)
        suggestions = tuple(f"{prefix}.{c}" if prefix else c for c in close)
        self.unknown.append(UnknownVariable(path=path, line=line, suggestions=suggestions))
        return ANY

    def _bind(self, target: nodes.Node, value: Any, scope: dict[str, Any]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self._bind(item, ANY, scope)


def _path(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_path(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_path(node.node)}.{node.arg.value}"
    return "…"


def _plain(annotation: Any) -> Any:
    """``X | None`` → ``X``; anything else unchanged."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        return members[0] if len(members) == 1 else ANY
    return annotation


def _item_type(annotation: Any) -> Any:
    """The element type of ``list[X]`` / ``tuple[X, ...]``; None for anything else."""
    if typing.get_origin(annotation) in (list, tuple):
        args = typing.get_args(annotation)
        return _plain(args[0]) if args else ANY
    return None


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)
