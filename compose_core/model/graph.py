"""Dependency order between services, and cycle detection."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


class CycleError(Exception):
    """The dependencies form a cycle; `cycle` lists it, first name repeated at the end."""

    def __init__(self, cycle: list[str]) -> None:
        super().__init__(" -> ".join(cycle))
        self.cycle = cycle


def find_cycle(edges: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A cycle in `edges` (node -> nodes it depends on), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(edges):
        if state.get(start):
            continue
        path = [start]
        iterators = [iter(sorted(edges.get(start, ())))]
        state[start] = 1
        while iterators:
            nxt = next(iterators[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                iterators.pop()
                continue
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if not state.get(nxt) and nxt in edges:
                state[nxt] = 1
                path.append(nxt)
                iterators.append(iter(sorted(edges.get(nxt, ()))))
    return None


def levels(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Nodes grouped so that each group depends only on earlier groups.

    Dependencies on names outside `edges` are ignored. Raises CycleError.
    """
    cycle = find_cycle(edges)
    if cycle:
        raise CycleError(cycle)
    remaining = {node: {d for d in deps if d in edges} for node, deps in edges.items()}
    ordered: list[list[str]] = []
    while remaining:
        ready = sorted(node for node, deps in remaining.items() if not deps)
        ordered.append(ready)
        for node in ready:
            del remaining[node]
        for deps in remaining.values():
            deps.difference_update(ready)
    return ordered


def with_dependencies(edges: Mapping[str, Iterable[str]], selected: Iterable[str]) -> set[str]:
    """`selected` and everything it depends on, transitively."""
    seen: set[str] = set()
    stack = list(selected)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        stack.extend(edges.get(node, ()))
    return seen


def dependents(edges: Mapping[str, Iterable[str]], selected: Iterable[str]) -> set[str]:
    """Everything that depends on `selected`, transitively (not `selected` itself)."""
    reverse: dict[str, set[str]] = {}
    for node, deps in edges.items():
        for dep in deps:
            reverse.setdefault(dep, set()).add(node)
    found: set[str] = set()
    stack = list(selected)
    while stack:
        for node in reverse.get(stack.pop(), ()):
            if node not in found:
                found.add(node)
                stack.append(node)
    return found
