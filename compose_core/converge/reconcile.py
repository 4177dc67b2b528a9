"""The pure heart of `up`: desired Project + observed state -> Plan. No engine calls here."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from compose_core.converge.plan import (
    CONTAINER,
    CREATE,
    KEEP,
    NETWORK,
    RECREATE,
    REMOVE,
    START,
    STOP,
    VOLUME,
    Change,
    Operation,
    Plan,
    diff,
)
from compose_core.converge.teardown import container_op
from compose_core.engine.observe import ObservedContainer, ObservedState
from compose_core.errors import UserError
from compose_core.model import graph
from compose_core.model.naming import container_name
from compose_core.model.project import Project, ServiceConfig

# The label where compose_core keeps the options a container was made from, so that a
# later plan can say which fields changed (other tools' containers only carry the hash).
LABEL_CONFIG = "io.compose-core.config"


@dataclass(frozen=True)
class UpOptions:
    services: tuple[str, ...] = ()
    no_deps: bool = False
    force_recreate: bool = False
    no_recreate: bool = False
    no_start: bool = False
    scale: Mapping[str, int] = field(default_factory=dict)
    remove_orphans: bool = False
    always_recreate_deps: bool = False
    renew_anon_volumes: bool = False
    compatibility: bool = False


@dataclass(frozen=True)
class Desired:
    """The project and what the caller resolved about it beforehand."""

    project: Project
    hashes: Mapping[str, str]  # service -> config hash of its current options
    image_ids: Mapping[str, str | None]  # service -> ID of the image the engine has now
    network_names: Mapping[str, str]  # network key -> engine name
    volume_names: Mapping[str, str]  # volume key -> engine name


def selected_services(project: Project, names: tuple[str, ...], no_deps: bool) -> list[str]:
    """The services a command acts on, in dependency order."""
    for name in names:
        if name not in project.services:
            raise UserError(f"no such service: {name}")
    edges = {n: s.dependencies() for n, s in project.services.items()}
    wanted = set(names or project.services)
    if not no_deps:
        wanted = graph.with_dependencies(edges, wanted)
    return [n for level in graph.levels(edges) for n in level if n in wanted]


def restart_dependents(project: Project, services: Iterable[str]) -> set[str]:
    """The services to restart with `services`: those that depend on one of them with
    `restart: true`, transitively (not `services` themselves)."""
    edges = {
        name: {d for d, spec in service.depends_on.items() if (spec or {}).get("restart")}
        for name, service in project.services.items()
    }
    return graph.dependents(edges, services) - set(services)


def plan_up(desired: Desired, observed: ObservedState, options: UpOptions) -> Plan:
    project = desired.project
    plan = Plan()
    services = selected_services(project, options.services, options.no_deps)
    resource_ops = _plan_resources(desired, observed, services, plan)
    service_ops: dict[str, tuple[str, ...]] = {}
    recreated: set[str] = set()
    renewals: dict[str, tuple[str, ...]] = {}  # service -> ops that take its containers down
    for name in services:
        service = project.services[name]
        after = _after(service, service_ops, resource_ops, desired)
        ops = _plan_service(desired, observed, service, options, after, recreated)
        if not options.no_start:
            ops = _restart_with_dependencies(service, ops, renewals, plan)
        renewals[name] = _renewals(ops)
        service_ops[name] = tuple(op.id for op in ops if op.action != KEEP)
        plan.operations.extend(ops)
    _plan_orphans(project, observed, options, plan)
    return plan


def _after(
    service: ServiceConfig,
    service_ops: Mapping[str, tuple[str, ...]],
    resource_ops: Mapping[str, str],
    desired: Desired,
) -> tuple[str, ...]:
    after = [op for dep in sorted(service.dependencies()) for op in service_ops.get(dep, ())]
    for key in service.networks:
        if f"{NETWORK}:{key}" in resource_ops:
            after.append(resource_ops[f"{NETWORK}:{key}"])
    for mount in service.options.get("volumes") or ():
        key = mount.get("source")
        if mount.get("type") == "volume" and f"{VOLUME}:{key}" in resource_ops:
            after.append(resource_ops[f"{VOLUME}:{key}"])
    return tuple(dict.fromkeys(after))


def _plan_resources(
    desired: Desired, observed: ObservedState, services: list[str], plan: Plan
) -> dict[str, str]:
    """Create the networks and volumes the services need; returns their operation IDs."""
    project = desired.project
    used_networks: set[str] = set()
    used_volumes: set[str] = set()
    for name in services:
        service = project.services[name]
        used_networks.update(service.networks)
        for mount in service.options.get("volumes") or ():
            if mount.get("type") == "volume" and mount.get("source"):
                used_volumes.add(mount["source"])
    ops: dict[str, str] = {}
    for kind, keys, section, names, existing in (
        (NETWORK, used_networks, project.networks, desired.network_names, observed.networks),
        (VOLUME, used_volumes, project.volumes, desired.volume_names, observed.volumes),
    ):
        for key in sorted(keys):
            engine_name = names[key]
            if engine_name in existing:
                continue
            if (section.get(key) or {}).get("external"):
                raise UserError(
                    f"{kind} {engine_name} declared as external, but could not be found",
                    hint=f"Create it first: docker {kind} create {engine_name}",
                )
            op = plan.add(Operation(f"{kind}:{key}", CREATE, kind, engine_name))
            ops[f"{kind}:{key}"] = op.id
    return ops


def _plan_service(
    desired: Desired,
    observed: ObservedState,
    service: ServiceConfig,
    options: UpOptions,
    after: tuple[str, ...],
    recreated: set[str],
) -> list[Operation]:
    want = options.scale.get(service.name, service.scale)

    def expected_name(number: int) -> str:
        project = desired.project.name
        return container_name(project, service.name, number, compatibility=options.compatibility)

    existing, duplicates = _one_per_number(observed.service_containers(service.name), expected_name)
    ops: list[Operation] = []
    for container in duplicates:
        ops.extend(_removal(container, f"a second container numbered {container.number}"))
    for container in existing[:want]:
        ops.append(_converge_container(desired, service, container, options, after, recreated))
    for container in reversed(existing[want:]):
        ops.extend(_removal(container, f"scaled down to {want}"))
    if want and not existing:
        recreated.add(service.name)  # made anew: what joined the old one may need renewing
    used = {c.number for c in existing[:want]}
    number = 0
    for _ in range(want - min(want, len(existing))):
        number = _next_free(used, number)
        used.add(number)
        name = container_name(
            desired.project.name, service.name, number, compatibility=options.compatibility
        )
        ops.append(
            Operation(
                f"{CONTAINER}:{service.name}:{number}",
                CREATE,
                CONTAINER,
                name,
                service=service.name,
                number=number,
                after=after,
                start=not options.no_start,
            )
        )
    return ops


def _renewals(ops: list[Operation]) -> tuple[str, ...]:
    """The operations that take a service's containers down or make them anew."""
    ids = [op.id for op in ops if op.action in (CREATE, RECREATE)]
    ids += [op.id + ":stop" for op in ops if op.action == START and op.note.startswith("restart:")]
    return tuple(ids)


def _restart_with_dependencies(
    service: ServiceConfig,
    ops: list[Operation],
    renewals: Mapping[str, tuple[str, ...]],
    plan: Plan,
) -> list[Operation]:
    """`depends_on: {x: {restart: true}}`: a running container that is kept is stopped before
    a dependency is renewed, and started again once it is ready, as today's Compose does."""
    renewed = sorted(
        dependency
        for dependency, spec in service.depends_on.items()
        if (spec or {}).get("restart") and renewals.get(dependency)
    )
    if not renewed:
        return ops
    note = f"restart: {', '.join(renewed)} renewed"
    stops, result = [], []
    for op in ops:
        if op.action != KEEP or op.kind != CONTAINER:
            result.append(op)
            continue
        stop = replace(op, id=f"{op.id}:stop", action=STOP, note=note, after=())
        stops.append(stop)
        result.append(replace(op, action=START, note=note, after=(*op.after, stop.id)))
    if stops:
        # Stopped first: the renewals of the dependencies wait for these stops.
        blocked = {op_id for dependency in renewed for op_id in renewals[dependency]}
        first = min(i for i, op in enumerate(plan.operations) if op.id in blocked)
        stop_ids = tuple(op.id for op in stops)
        later = [
            replace(op, after=(*op.after, *stop_ids)) if op.id in blocked else op
            for op in plan.operations[first:]
        ]
        plan.operations[first:] = [*stops, *later]
    return result


def _one_per_number(
    containers: list[ObservedContainer], expected_name: Callable[[int], str]
) -> tuple[list[ObservedContainer], list[ObservedContainer]]:
    """One container per number, and the extras an interrupted recreate can leave behind.

    A recreate makes the new container under a temporary name, removes the old one and
    renames the new; cut short, it leaves two containers with one number. The new one (under
    the temporary name) is kept, else the newest.
    """
    by_number: dict[int, list[ObservedContainer]] = {}
    for container in containers:
        by_number.setdefault(container.number, []).append(container)
    kept, extras = [], []
    for number in sorted(by_number):
        group = sorted(
            by_number[number],
            key=lambda c: (_temporary(c, expected_name(number)), c.created),
        )
        kept.append(group[-1])
        extras.extend(group[:-1])
    return kept, extras


def _temporary(container: ObservedContainer, expected: str) -> bool:
    """Named `<12 hex digits>_<expected>`, as a recreate names the new container until done."""
    prefix, _, rest = container.name.partition("_")
    return rest == expected and len(prefix) == 12 and all(c in "0123456789abcdef" for c in prefix)


def _next_free(used: set[int], last: int) -> int:
    number = last + 1
    while number in used:
        number += 1
    return number


def _converge_container(
    desired: Desired,
    service: ServiceConfig,
    container: ObservedContainer,
    options: UpOptions,
    after: tuple[str, ...],
    recreated: set[str],
) -> Operation:
    op_id = f"{CONTAINER}:{service.name}:{container.number}"
    common = {
        "kind": CONTAINER,
        "name": container.name,
        "service": service.name,
        "number": container.number,
        "container_id": container.id,
        "after": after,
    }
    expected = container_name(
        desired.project.name, service.name, container.number, compatibility=options.compatibility
    )
    reasons = () if options.no_recreate else _why_recreate(desired, service, container, options)
    if not reasons and _temporary(container, expected):
        reasons = (Change("name", container.name, expected),)
    if not reasons and not options.no_recreate:
        reasons = _recreated_namespaces(service, recreated)
    if not reasons and options.always_recreate_deps and not options.no_recreate:
        reasons = _recreated_for_dependencies(service, options, recreated)
    if reasons:
        recreated.add(service.name)
        # The new container takes the name this tool gives, whoever made the old one.
        common["name"] = expected
        return Operation(op_id, RECREATE, reasons=reasons, start=not options.no_start, **common)
    if not container.running and not options.no_start:
        return Operation(op_id, START, note=f"is {container.state}", **common)
    return Operation(op_id, KEEP, note="up to date", **common)


def _why_recreate(
    desired: Desired, service: ServiceConfig, container: ObservedContainer, options: UpOptions
) -> tuple[Change, ...]:
    if options.force_recreate:
        return (Change("(forced)", None, "--force-recreate"),)
    if options.renew_anon_volumes:
        return (Change("(anonymous volumes)", "kept", "renewed (-V)"),)
    changes: list[Change] = []
    if container.config_hash != desired.hashes[service.name]:
        changes.extend(_config_changes(service, container))
    image_id = desired.image_ids.get(service.name)
    if image_id and container.image_id and image_id != container.image_id:
        changes.append(Change("image (id)", container.image_id, image_id))
    return tuple(changes)


def _config_changes(service: ServiceConfig, container: ObservedContainer) -> list[Change]:
    from compose_core.model.hashing import hashed_options

    stored = container.labels.get(LABEL_CONFIG)
    if not stored:
        return [Change("config-hash", container.config_hash or None, "(changed)")]
    try:
        old = json.loads(stored)
    except ValueError:
        return [Change("config-hash", container.config_hash, "(changed)")]
    changes = diff(old, _jsonable(hashed_options(service.options)))
    return changes or [Change("config-hash", container.config_hash, "(changed)")]


def _recreated_for_dependencies(
    service: ServiceConfig, options: UpOptions, renewed: set[str]
) -> tuple[Change, ...]:
    """--always-recreate-deps, in each tool's sense.

    Today's Compose recreates the dependencies pulled in by the services named on the
    command line; 1.29.2 recreates a service whose dependencies were created or recreated.
    """
    if options.compatibility:
        changed = sorted(service.dependencies() & renewed)
        return tuple(Change(f"(depends on {name})", "old container", "renewed") for name in changed)
    if options.services and service.name not in options.services:
        return (Change("(forced)", None, "--always-recreate-deps"),)
    return ()


def _recreated_namespaces(service: ServiceConfig, recreated: set[str]) -> tuple[Change, ...]:
    joined = [s for s in service.shared_namespace_services() if s in recreated]
    joined += [s for s in service.volumes_from_services() if s in recreated]
    return tuple(Change(f"(depends on {name})", "old container", "recreated") for name in joined)


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=_plain))


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(type(value).__name__)


def _removal(container: ObservedContainer, why: str) -> list[Operation]:
    base = f"{CONTAINER}:{container.service}:{container.number}:{container.id[:12]}"
    ops = []
    if container.running:
        ops.append(container_op(container, f"{base}:stop", STOP, note=why))
    after = tuple(op.id for op in ops)
    ops.append(container_op(container, f"{base}:remove", REMOVE, after=after, note=why))
    return ops


def _plan_orphans(
    project: Project, observed: ObservedState, options: UpOptions, plan: Plan
) -> None:
    known = set(project.services) | set(project.disabled)
    orphans = [c for c in observed.containers if not c.oneoff and c.service not in known]
    if not orphans:
        return
    if options.remove_orphans:
        for container in orphans:
            plan.operations.extend(_removal(container, "orphan"))
        return
    names = ", ".join(sorted(c.name for c in orphans))
    plan.warnings.append(
        f"Found orphan containers ([{names}]) for this project. If you removed or renamed "
        "this service in your compose file, you can run this command with the "
        "--remove-orphans flag to clean it up."
    )
