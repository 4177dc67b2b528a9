"""Plans that take things away: down, stop, rm. Pure, like reconcile."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from compose_core.converge.plan import (
    CONTAINER,
    NETWORK,
    REMOVE,
    STOP,
    VOLUME,
    WITH_ANONYMOUS_VOLUMES,
    Operation,
    Plan,
)
from compose_core.engine.observe import ObservedContainer, ObservedState
from compose_core.model import graph
from compose_core.model.project import Project


@dataclass(frozen=True)
class DownOptions:
    volumes: bool = False
    remove_orphans: bool = False


def container_op(
    container: ObservedContainer,
    op_id: str,
    action: str,
    *,
    after: tuple[str, ...] = (),
    note: str = "",
) -> Operation:
    """An operation on an existing container, carrying its name, service and number."""
    return Operation(
        op_id,
        action,
        CONTAINER,
        container.name,
        service=container.service,
        number=container.number,
        container_id=container.id,
        after=after,
        note=note,
    )


def stop_order(project: Project | None, containers: Iterable[ObservedContainer]) -> list[list]:
    """Containers grouped so that dependents stop before what they depend on."""
    containers = list(containers)
    if project is None:
        return [containers] if containers else []
    edges = {n: s.dependencies() for n, s in project.services.items()}
    rank = {}
    for index, level in enumerate(reversed(graph.levels(edges))):
        for name in level:
            rank[name] = index
    groups: dict[int, list] = {}
    for container in containers:
        groups.setdefault(rank.get(container.service, -1), []).append(container)
    return [sorted(groups[k], key=lambda c: c.name) for k in sorted(groups)]


def plan_stop(
    project: Project | None, containers: Iterable[ObservedContainer], plan: Plan, note: str = ""
) -> tuple[str, ...]:
    """Add a stop for each running container, dependents first; returns the stop IDs."""
    previous: tuple[str, ...] = ()
    every: list[str] = []
    for group in stop_order(project, [c for c in containers if c.running]):
        ids = []
        for container in group:
            op_id = f"{CONTAINER}:{container.id}:stop"
            op = plan.add(container_op(container, op_id, STOP, after=previous, note=note))
            ids.append(op.id)
        previous = tuple(ids)
        every.extend(ids)
    return tuple(every)


def plan_remove(
    containers: Iterable[ObservedContainer], plan: Plan, after: tuple[str, ...], note: str = ""
) -> tuple[str, ...]:
    ids = []
    for container in sorted(containers, key=lambda c: c.name):
        op_id = f"{CONTAINER}:{container.id}:remove"
        op = plan.add(container_op(container, op_id, REMOVE, after=after, note=note))
        ids.append(op.id)
    return tuple(ids)


def plan_down(
    project: Project | None,
    observed: ObservedState,
    options: DownOptions,
    *,
    network_names: Mapping[str, str] | None = None,
    volume_names: Mapping[str, str] | None = None,
) -> Plan:
    """Stop every container first, then remove them, then networks (and volumes with -v).

    Removing only after every stop has finished avoids an engine 20.10 race that can
    leave a network with phantom endpoints.
    """
    plan = Plan()
    targets = _down_targets(project, observed, options, plan)
    stops = plan_stop(project, targets, plan)
    note = WITH_ANONYMOUS_VOLUMES if options.volumes else ""
    removals = plan_remove(targets, plan, stops, note=note)
    for name in _project_networks(project, observed, network_names):
        plan.add(Operation(f"{NETWORK}:{name}:remove", REMOVE, NETWORK, name, after=removals))
    if options.volumes:
        for name in _project_volumes(project, observed, volume_names):
            plan.add(Operation(f"{VOLUME}:{name}:remove", REMOVE, VOLUME, name, after=removals))
    return plan


def _down_targets(
    project: Project | None, observed: ObservedState, options: DownOptions, plan: Plan
) -> list[ObservedContainer]:
    if project is None:
        return list(observed.containers)
    known = set(project.services) | set(project.disabled)
    targets = []
    orphans = []
    for container in observed.containers:
        if container.service in known or container.oneoff:
            targets.append(container)
        else:
            orphans.append(container)
    if options.remove_orphans:
        targets.extend(orphans)
    elif orphans:
        names = ", ".join(sorted(c.name for c in orphans))
        plan.warnings.append(
            f"Found orphan containers ([{names}]) for this project. If you removed or "
            "renamed this service in your compose file, you can run this command with the "
            "--remove-orphans flag to clean it up."
        )
    return targets


def _project_networks(
    project: Project | None, observed: ObservedState, names: Mapping[str, str] | None
) -> list[str]:
    if project is None or names is None:
        return sorted(observed.networks)
    found = []
    for key, engine_name in names.items():
        if (project.networks.get(key) or {}).get("external"):
            continue
        if engine_name in observed.networks:
            found.append(engine_name)
    return sorted(found)


def _project_volumes(
    project: Project | None, observed: ObservedState, names: Mapping[str, str] | None
) -> list[str]:
    if project is None or names is None:
        return sorted(observed.volumes)
    found = []
    for key, engine_name in names.items():
        if (project.volumes.get(key) or {}).get("external"):
            continue
        if engine_name in observed.volumes:
            found.append(engine_name)
    return sorted(found)
