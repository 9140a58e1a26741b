"""What the compiler makes of a shapes graph, and what evaluation finds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from rdflib import Literal, URIRef
from rdflib.term import Node

from migrmeta.namespaces import SH
from migrmeta.shacl.paths import Path
from migrmeta.shacl.terms import OxTerm

if TYPE_CHECKING:
    from migrmeta.shacl.evaluate import Evaluator

ALLOWED = frozenset({SH.Warning, SH.Info})  # severities that allow_warnings lets conform


@dataclass(frozen=True)
class Result:
    """One validation result, in rdflib terms, as pySHACL reports it."""

    focus: Node
    path: URIRef | str | None  # the predicate, or the SPARQL text of a complex path
    value: Node | None
    source_shape: Node
    component: URIRef
    severity: URIRef
    messages: tuple[Literal, ...]
    source_constraint: Node | None = None
    detail_of: int | None = None  # index of the sh:node result this one details (sh:detail)


@dataclass(frozen=True)
class Context:
    """A SPARQL group that binds ?this to each focus node once (never per node)."""

    pattern: str


@dataclass(frozen=True)
class Hit:
    """A result before it is dressed in messages: oxigraph terms, straight from a query."""

    focus: OxTerm
    value: OxTerm | None
    shape: Shape
    component: Component
    constraint_component: URIRef
    path: URIRef | str | None = None
    bindings: tuple[tuple[str, OxTerm], ...] | None = None  # SPARQL constraints' row
    source_constraint: Node | None = None
    messages: tuple[Literal, ...] | None = None  # set by SPARQL constraints
    details: tuple[Hit, ...] = ()  # sh:node: the value node's own results (pySHACL's sh:detail)


class Component(Protocol):
    """One constraint component of one shape, compiled."""

    parameter: URIRef  # the parameter pySHACL keys its class on (generic messages)

    def hits(self, ev: Evaluator, shape: Shape, ctx: Context) -> list[Hit]: ...


@dataclass(eq=False)
class Shape:
    node: Node
    path: Path | None
    severity: URIRef = SH.Violation
    messages: tuple[Literal, ...] = ()
    deactivated: bool = False
    targets: list[str] = field(default_factory=list)  # SPARQL groups binding ?this
    components: list[Component] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)

    @property
    def shown_path(self) -> URIRef | str | None:
        return self.path.shown if self.path is not None else None

    @property
    def conforms_always(self) -> bool:
        """pySHACL with allow_warnings: a warning or info shape never fails a node."""
        return self.deactivated or self.severity in ALLOWED
