"""`up` and `create`: converge the engine on the project, creating what is missing."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

from compose_core import const
from compose_core.converge.events import DONE
from compose_core.converge.executor import Executor
from compose_core.converge.plan import (
    CONTAINER,
    CREATE,
    KEEP,
    NETWORK,
    RECREATE,
    START,
    VOLUME,
    Operation,
    Plan,
)
from compose_core.converge.reconcile import LABEL_CONFIG, Desired, UpOptions, plan_up
from compose_core.engine import specs
from compose_core.engine.gateway import Gateway
from compose_core.engine.observe import ObservedState, observe
from compose_core.model.hashing import canonical_json
from compose_core.model.naming import container_labels, resource_labels
from compose_core.model.project import Project
from compose_core.ops import resources
from compose_core.ops.actions import Actions
from compose_core.ops.gate import Gate, conditions_to_meet
from compose_core.ops.readiness import Watcher
from compose_core.ops.session import Session

log = logging.getLogger(__name__)


def plan(session: Session, project: Project, options: UpOptions) -> tuple[Plan, _Context]:
    """Observe the engine and plan; nothing is changed."""
    from compose_core.converge.reconcile import selected_services

    services = selected_services(project, options.services, options.no_deps)
    desired = Desired(
        project=project,
        hashes=resources.hashes(project),
        image_ids=resources.image_ids(session.gateway, project, services, session.compatibility),
        network_names=resources.network_names(project),
        volume_names=resources.volume_names(project),
    )
    observed = observe(
        session.gateway,
        project.name,
        network_names=tuple(desired.network_names.values()),
        volume_names=tuple(desired.volume_names.values()),
    )
    result = plan_up(desired, observed, options)
    return result, _Context(session, project, desired, observed, result)


def up(
    session: Session,
    project: Project,
    options: UpOptions,
    *,
    timeout: int | None,
    before: Callable[[Plan], None] | None = None,
    wait: bool = False,
    wait_timeout: float | None = None,
) -> Plan:
    """Converge; with `wait`, return once every started container is running and, where it
    has a health check, healthy. `wait_timeout` (seconds) bounds every wait."""
    result, context = plan(session, project, options)
    for warning in result.warnings:
        log.warning(warning)
    context.timeout = timeout
    if before is not None:
        before(result)
    wait = wait and not options.no_start
    _warn_ignored_start_interval(session, project, context)
    if not (wait or context.waits_on_dependencies()):
        Executor(context.actions(), session.parallel).run(result)
        return result
    with Watcher(session.gateway, project.name) as watcher:
        context.watch(watcher, wait_timeout)
        Executor(context.actions(), session.parallel, on_cancel=watcher.cancel).run(result)
        if wait:
            context.wait_until_ready()
    return result


def _warn_ignored_start_interval(session: Session, project: Project, context: _Context) -> None:
    """healthcheck.start_interval came with Engine API 1.44; older engines drop it."""
    services = sorted(
        name
        for name in context.started_services()
        if (project.services[name].options.get("healthcheck") or {}).get("start_interval")
    )
    if not services:
        return
    api = str(session.gateway.version().get("ApiVersion") or "0")
    if tuple(int(part) for part in api.split(".") if part.isdigit()) >= (1, 44):
        return
    log.warning(
        f"healthcheck.start_interval of {', '.join(services)} needs Docker Engine 25 or "
        f"later (API 1.44); this engine (API {api}) ignores it and checks every interval"
    )


class _Context(Actions):
    """Carries out the plan's operations; knows which container each service has now."""

    def __init__(
        self,
        session: Session,
        project: Project,
        desired: Desired,
        observed: ObservedState,
        planned: Plan,
    ) -> None:
        super().__init__(session, project)
        self.desired = desired
        self.observed = observed
        self.planned = planned
        self.gate: Gate | None = None  # set when some start waits for readiness
        self._lock = threading.Lock()
        self._current: dict[str, dict[int, tuple[str, str]]] = {}  # service -> number -> (id, name)
        for container in observed.containers:
            if not container.oneoff:
                per_service = self._current.setdefault(container.service, {})
                per_service[container.number] = (container.id, container.name)

    def actions(self) -> Mapping[tuple[str, str], Any]:
        return {
            **super().actions(),
            (NETWORK, CREATE): self.create_network,
            (VOLUME, CREATE): self.create_volume,
            (CONTAINER, CREATE): self.create_container,
            (CONTAINER, RECREATE): self.recreate_container,
            (CONTAINER, START): self.start_container,
        }

    # Resources

    def create_network(self, op: Operation) -> None:
        key = op.id.split(":", 1)[1]
        self.session.emit("Network", op.name, "Creating")
        labels = resource_labels(self.project.name, const.LABEL_NETWORK, key, self.session.version)
        self.session.gateway.create_network(specs.network_body(self.project, key, labels))
        self.session.emit("Network", op.name, "Created", DONE)

    def create_volume(self, op: Operation) -> None:
        key = op.id.split(":", 1)[1]
        self.session.emit("Volume", op.name, "Creating")
        labels = resource_labels(self.project.name, const.LABEL_VOLUME, key, self.session.version)
        request = specs.volume_request(self.project, key, labels)
        self.session.gateway.create_volume(
            request["Name"],
            request.get("Driver"),
            request.get("DriverOpts") or {},
            request.get("Labels") or {},
        )
        self.session.emit("Volume", op.name, "Created", DONE)

    # Containers

    def create_container(self, op: Operation) -> None:
        self.session.emit("Container", op.name, "Creating")
        ident = self._create(op, op.name, {})
        self.session.emit("Container", op.name, "Created", DONE)
        if op.start:
            self._start(op, ident)

    def recreate_container(self, op: Operation) -> None:
        gateway = self.session.gateway
        self.session.emit("Container", op.name, "Recreate")
        old = gateway.inspect_container(op.container_id)
        if old["State"].get("Running"):
            gateway.stop(op.container_id, self.stop_timeout(op.service), name=op.name)
        renew = any(r.path == "(anonymous volumes)" for r in op.reasons)
        anonymous = {} if renew else _anonymous_volumes(old)
        temporary = f"{op.container_id[:12]}_{op.name}"
        ident = self._create(op, temporary, anonymous)
        gateway.remove_container(op.container_id, volumes=renew, name=op.name)
        gateway.rename(ident, op.name)
        self.session.emit("Container", op.name, "Recreated", DONE)
        if op.start:
            self._start(op, ident)

    def start_container(self, op: Operation) -> None:
        self._start(op, op.container_id or "")

    def _start(self, op: Operation, ident: str) -> None:
        if op.service and self.gate is not None:
            self.gate.await_dependencies(op.service, self._planned_services())
        self.emit("Container", op.name, "Starting")
        self.session.gateway.start(ident, name=op.name)
        self.emit("Container", op.name, "Started", DONE)

    # Readiness: depends_on conditions and --wait

    def started_services(self) -> set[str]:
        return {op.service for op in self.planned.operations if op.service and _starts(op)}

    def waits_on_dependencies(self) -> bool:
        """Whether a container this plan starts must wait for a dependency's health or exit."""
        return conditions_to_meet(self.project, self.started_services(), self._planned_services())

    def watch(self, watcher: Watcher, wait_timeout: float | None) -> None:
        self.gate = Gate(self.session, self.project, watcher, self._live_containers, wait_timeout)

    def wait_until_ready(self) -> None:
        """`up --wait`: every started container running and, with a health check, healthy."""
        assert self.gate is not None
        self.gate.await_ready(self._planned_services())

    def _planned_services(self) -> set[str]:
        return {op.service for op in self.planned.operations if op.service and _lives(op)}

    def _live_containers(self, service: str) -> list[tuple[str, str]]:
        """(ID, name) of the containers of `service` this plan keeps or starts."""
        numbers = sorted(
            op.number or 1 for op in self.planned.operations if op.service == service and _lives(op)
        )
        with self._lock:
            entries = self._current.get(service, {})
            return [entries[n] for n in numbers if n in entries]

    def _create(self, op: Operation, name: str, anonymous: Mapping[str, str]) -> str:
        service = self.project.services[op.service]
        number = op.number or 1
        labels = container_labels(
            self.project,
            service,
            number=number,
            config_hash=self.desired.hashes[service.name],
            image_id=self.desired.image_ids.get(service.name),
            version=self.session.version,
        )
        labels[LABEL_CONFIG] = canonical_json(service.options)
        context = specs.ContainerContext(
            project=self.project,
            service=service,
            number=number,
            name=op.name,
            labels=labels,
            image=resources.service_image(self.project, service.name, self.session.compatibility),
            network_names=self.desired.network_names,
            volume_names=self.desired.volume_names,
            service_containers=self._container_names,
            container_id=self._first_container_id,
            previous_anonymous=anonymous,
        )
        ident = create_from_context(self.session.gateway, context, name)
        with self._lock:
            self._current.setdefault(service.name, {})[number] = (ident, op.name)
        return ident

    def _container_names(self, service: str) -> list[str]:
        with self._lock:
            entries = self._current.get(service, {})
            return [entries[n][1] for n in sorted(entries)]

    def _first_container_id(self, service: str) -> str:
        with self._lock:
            entries = self._current.get(service, {})
            if not entries:
                raise KeyError(service)
            return entries[min(entries)][0]


def create_from_context(gateway: Gateway, context: specs.ContainerContext, name: str) -> str:
    """Create the container `context` describes under `name`: its body, the files copied
    in before it starts, and the networks it joins beyond the first; returns its ID."""
    service = context.service
    body = specs.container_body(context)
    ident = gateway.create_container(name, body, service.options.get("platform"))
    for path, content, mode in specs.injected_files(context):
        directory, archive = specs.archive_of(path, content, mode)
        gateway.put_archive(ident, directory, archive, name=context.name)
    for key in specs.network_order(service)[1:]:
        gateway.connect(context.network_names[key], ident, specs.endpoint_config(context, key))
    return ident


def _starts(op: Operation) -> bool:
    """Whether the operation starts a container."""
    return op.kind == CONTAINER and (
        op.action == START or (op.action in (CREATE, RECREATE) and op.start)
    )


def _lives(op: Operation) -> bool:
    """Whether the container of the operation runs once the plan is carried out."""
    return op.kind == CONTAINER and (_starts(op) or op.action == KEEP)


def _anonymous_volumes(inspected: Mapping[str, Any]) -> dict[str, str]:
    """Target -> volume name of the anonymous volumes of a container being replaced."""
    found = {}
    for mount in inspected.get("Mounts") or ():
        name = mount.get("Name") or ""
        if mount.get("Type") == "volume" and len(name) == 64 and "_" not in name:
            found[mount["Destination"]] = name
    return found
