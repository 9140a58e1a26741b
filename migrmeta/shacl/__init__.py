"""SHACL validation compiled to SPARQL over one pyoxigraph store (pySHACL as the reference).

    engine = compile_shapes(shapes_graph)          # once per process
    results = engine.validate(store)               # list[Result], rdflib terms
    engine.fallback_shapes                         # shapes pySHACL validates, with the reason
    path_predicates(shapes_graph)                  # what the shapes' paths read
"""

from __future__ import annotations

from migrmeta.shacl.engine import Engine, Fallback, Wording, compile_shapes
from migrmeta.shacl.model import Result
from migrmeta.shacl.paths import path_predicates
from migrmeta.shacl.terms import ShapeFailure

__all__ = ["Engine", "Fallback", "Result", "ShapeFailure", "Wording", "compile_shapes", "path_predicates"]
