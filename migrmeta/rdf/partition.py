"""Things said to be the same, as classes: a union-find (over RDF terms, or any values).

    same = Partition()
    same.union(a, b); same.union(b, c)
    same.classes()   # [[a, b, c]], each class and the classes in IRI order

The representative of a class is its first member in string order, so the classes do not
depend on the order the links were read in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class Partition(Generic[T]):
    def __init__(self) -> None:
        self.parent: dict[T, T] = {}

    def find(self, x: T) -> T:
        parent = self.parent
        # `is` first: rdflib's != is a Python call, and a node is mostly its own root
        while (root := parent.setdefault(x, x)) is not x and root != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: T, b: T) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra is not rb and ra != rb:
            self.parent[max(ra, rb, key=str)] = min(ra, rb, key=str)

    def classes(self) -> list[list[T]]:
        """Every node seen, by class: members and classes in string order."""
        members: dict[T, list[T]] = defaultdict(list)
        for node in sorted(self.parent, key=str):
            members[self.find(node)].append(node)
        return [members[root] for root in sorted(members, key=str)]


__all__ = ["Partition"]
