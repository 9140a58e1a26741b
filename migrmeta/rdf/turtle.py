"""The one Turtle (and TriG) writer: the same statements always give the same bytes.

Everything migrmeta writes as Turtle comes from here: the published catalogue, drafts of
every importer, records from forms, query answers (CONSTRUCT), the country list, the SHACL
report. A canonical order, so catalogues diff cleanly:

- subjects sorted by IRI, each followed by the skolem nodes it uses (depth first);
- `rdf:type` first (as `a`), then predicates by IRI; objects by their written form;
- a blank node used once as an object is written inside its parent, `[ ... ]` (an RDF
  list as `( ... )`); other blank nodes get labels derived from their content;
- prefixes from `rdf.curie` (the project's and the concept schemes'), written when used.

String building over rdflib terms: rdflib's own Turtle serializer is an order of magnitude
slower on large catalogues (bench/bench_publish.py) and numbers blank nodes by chance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from migrmeta.namespaces import IS_TYPE, RDF
from migrmeta.rdf.curie import Curies
from migrmeta.rdf.skolem import BLANK, IRI, is_skolem, kind_of, skolem_map

Triple = tuple[Node, Node, Node]
WIDTH = 100  # objects of one predicate, and blank nodes written inline, wrap beyond this width
_FIRST, _REST, _NIL = RDF.first, RDF.rest, RDF.nil
Names = Curies  # the writer's name for the CURIE rule it applies


def _key(term: Node) -> tuple[int, str]:
    """Sort order of subjects and predicates: IRIs by IRI, then blank nodes."""
    return (0, str(term)) if kind_of(term) is IRI else (1, str(term))


def _predicate_order(predicate: Node) -> tuple[bool, str]:
    return predicate not in IS_TYPE, str(predicate)


# Each predicate's sort key, made once for the process: a sort then looks keys up in C, with
# no Python call per predicate of every subject (predicates come from vocabularies: a few hundred).
_PREDICATE_ORDER: dict[Node, tuple[bool, str]] = {}


class _Document:
    """One Turtle document (or one TriG graph) being written."""

    def __init__(self, triples: Iterable[Triple], names: Curies) -> None:
        self.names = names
        self.by_subject: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
        uses: dict[Node, int] = defaultdict(int)
        by_subject = self.by_subject
        for s, p, o in triples:
            by_subject[s][p].add(o)
            kind = type(o)  # most objects are IRIs or literals: no call for them
            if kind is not URIRef and kind is not Literal and kind_of(o) is BLANK:
                uses[o] += 1
        blanks = [s for s in self.by_subject if isinstance(s, BNode)]
        # a blank node used exactly once (and not by itself) is written inline
        self.inline = {b for b in blanks if uses[b] == 1}
        self._break_cycles()
        labelled = {b for b in (*blanks, *uses) if isinstance(b, BNode) and b not in self.inline}
        if labelled:
            mapping = skolem_map((s, p, o) for s, ps in self.by_subject.items() for p, os in ps.items() for o in os)
            self.labels = {b: "_:b" + str(mapping[b]).rsplit("/", 1)[-1][:16] for b in labelled if b in mapping}
            for b in labelled:
                self.labels.setdefault(b, f"_:{b}")
        else:
            self.labels = {}

    def _break_cycles(self) -> None:
        """Blank nodes that reach themselves through inline nodes cannot all be inline."""
        for start in sorted(self.inline, key=str):
            stack: list[Node] = [start]
            seen: set[Node] = set()
            while stack:
                node = stack.pop()
                for objects in self.by_subject.get(node, {}).values():
                    for o in objects:
                        if o == start:
                            self.inline.discard(start)
                            stack.clear()
                            break
                        if o in self.inline and o not in seen:
                            seen.add(o)
                            stack.append(o)

    def term(self, term: Node, indent: str) -> str:
        if kind_of(term) is BLANK:  # never in Curies.written: its text depends on the document
            assert isinstance(term, BNode)
            if term in self.inline:
                return self._inline(term, indent)
            return self.labels.get(term, f"_:{term}")
        return self.names.term(term)

    def _inline(self, node: BNode, indent: str) -> str:
        members = self._list_members(node)
        if members is not None:
            return "( " + " ".join(self.term(m, indent) for m in members) + " )" if members else "( )"
        inner = indent + "    "
        lines = self._predicate_lines(node, inner)
        if not lines:
            return "[ ]"
        flat = "[ " + " ; ".join(lines) + " ]"
        if len(flat) + len(indent) <= WIDTH and "\n" not in flat:
            return flat
        return "[\n" + inner + (" ;\n" + inner).join(lines) + "\n" + indent + "]"

    def _list_members(self, node: BNode) -> list[Node] | None:
        """The members of a well-formed RDF list starting at `node`, else None."""
        members: list[Node] = []
        current: Node = node
        seen: set[Node] = set()
        while current != _NIL:
            predicates = self.by_subject.get(current)
            if (current in seen or not isinstance(current, BNode) or current not in self.inline
                    or predicates is None or set(predicates) != {_FIRST, _REST}
                    or len(predicates[_FIRST]) != 1 or len(predicates[_REST]) != 1):
                return None
            seen.add(current)
            members.append(next(iter(predicates[_FIRST])))
            current = next(iter(predicates[_REST]))
        return members

    def _predicate_lines(self, subject: Node, indent: str) -> list[str]:
        lines = []
        predicates = self.by_subject[subject]
        written, term = self.names.written, self.term  # a term written before: no call
        # rdf:type first; IS_TYPE, not ==: rdflib's == is a Python call per term
        order = _PREDICATE_ORDER
        for predicate in predicates:
            if predicate not in order:
                order[predicate] = _predicate_order(predicate)
        for predicate in sorted(predicates, key=order.__getitem__):
            verb = "a" if predicate in IS_TYPE else (written.get(predicate) or term(predicate, indent))
            values = predicates[predicate]
            if len(values) == 1:  # most predicates: no set to build and sort, and never wrapped
                for only in values:
                    lines.append(f"{verb} {written.get(only) or term(only, indent)}")
                continue
            objects = sorted({written.get(o) or term(o, indent) for o in values})
            joined = ", ".join(objects)
            if (len(joined) + len(verb) + len(indent) + 1 > WIDTH or "\n" in joined) and len(objects) > 1:
                joined = (" ,\n" + indent + "    ").join(objects)
            lines.append(f"{verb} {joined}")
        return lines

    def _order(self) -> list[Node]:
        """Subjects sorted by IRI, each followed by the skolem nodes it uses (depth first)."""
        order: list[Node] = []
        placed: set[Node] = set()
        by_subject = self.by_subject

        def place(subject: Node) -> None:
            stack = [subject]
            while stack:
                node = stack.pop()
                if node in placed:
                    continue
                placed.add(node)
                order.append(node)
                # by predicate, then object, reversed: the stack takes the first one first
                # is_skolem first: a literal's hash is a Python call
                children = [(_key(p), str(o), o) for p, objects in by_subject[node].items() for o in objects
                            if is_skolem(o) and o in by_subject and o not in placed]
                stack.extend(o for _, _, o in sorted(children, reverse=True))

        for subject in sorted((s for s in by_subject if not is_skolem(s) and s not in self.inline), key=self._sort):
            place(subject)
        for subject in sorted((s for s in by_subject if s not in self.inline), key=self._sort):
            if subject not in placed:  # skolem nodes nothing points to
                place(subject)
        return order

    def _sort(self, subject: Node) -> tuple[int, str]:
        return (1, self.labels.get(subject, str(subject))) if isinstance(subject, BNode) else _key(subject)

    def blocks(self) -> list[str]:
        out = []
        for subject in self._order():
            lines = self._predicate_lines(subject, "    ")
            out.append(f"{self.term(subject, '')} " + " ;\n    ".join(lines) + " .\n")
        return out


def turtle(triples: Iterable[Triple], prefixes: Mapping[str, str] | None = None, *,
           header: Iterable[str] = ()) -> str:
    """A Turtle document; `header` lines become comments at the top."""
    names = Curies(prefixes)
    body = "\n".join(_Document(triples, names).blocks())
    comments = "".join(f"# {line}\n" if line else "#\n" for line in header)
    return comments + names.header() + ("\n" if body else "") + body


def trig(default: Iterable[Triple], graphs: Mapping[Node, Iterable[Triple]],
         prefixes: Mapping[str, str] | None = None) -> str:
    """The default graph's statements first, then each named graph, sorted by name."""
    names = Curies(prefixes)
    parts = ["\n".join(_Document(default, names).blocks())]
    for name in sorted(graphs, key=_key):
        body = "\n".join(_Document(graphs[name], names).blocks())
        parts.append(f"{names.name(str(name))} {{\n{body}}}\n")
    return names.header() + "\n" + "\n".join(p for p in parts if p)


__all__ = ["WIDTH", "Names", "trig", "turtle"]
