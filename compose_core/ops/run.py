"""`run`: a one-off container of a service, after its dependencies are up.

The one-off is the service's container with the command line's changes laid over its
options; it carries the `oneoff` label, so `ps`, `down` and `rm` know it for what it is.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from compose_core.config.canonical_common import Context
from compose_core.config.canonical_mounts import parse_port_spec, parse_volume_spec
from compose_core.converge.executor import Executor
from compose_core.converge.plan import NETWORK, VOLUME, Plan
from compose_core.converge.reconcile import UpOptions, selected_services
from compose_core.engine import specs
from compose_core.engine.observe import observe
from compose_core.errors import UsageError
from compose_core.model.naming import container_labels
from compose_core.model.project import Project, ServiceConfig
from compose_core.ops import resources
from compose_core.ops import up as up_op
from compose_core.ops.session import Session


@dataclasses.dataclass(frozen=True)
class RunOptions:
    service: str
    command: Sequence[str] = ()
    entrypoint: str | None = None
    environment: Mapping[str, str | None] = dataclasses.field(default_factory=dict)
    labels: Mapping[str, str] = dataclasses.field(default_factory=dict)
    user: str | None = None
    workdir: str | None = None
    name: str | None = None
    publish: Sequence[str] = ()
    service_ports: bool = False
    use_aliases: bool = False
    volumes: Sequence[str] = ()
    no_deps: bool = False
    tty: bool = False
    interactive: bool = True
    cwd: str = "."


def start_dependencies(session: Session, project: Project, options: RunOptions) -> None:
    """Bring up what the service depends on, then make the networks and volumes it uses."""
    if not options.no_deps:
        needed = selected_services(project, (options.service,), no_deps=False)
        dependencies = tuple(name for name in needed if name != options.service)
        if dependencies:
            up_op.up(session, project, UpOptions(services=dependencies), timeout=None)
    # Plan the service itself with no container, and keep only its networks and volumes.
    scale = {options.service: 0}
    plan, context = up_op.plan(
        session, project, UpOptions(services=(options.service,), no_deps=True, scale=scale)
    )
    needed_resources = Plan(
        [op for op in plan.operations if op.kind in (NETWORK, VOLUME) and op.action == "create"]
    )
    Executor(context.actions(), session.parallel).run(needed_resources)


def create(session: Session, project: Project, options: RunOptions) -> tuple[str, str]:
    """Create the one-off container; returns its ID and name."""
    service = one_off_service(project.services[options.service], options)
    observed = observe(session.gateway, project.name, include_resources=False)
    number = 1 + max((c.number for c in observed.oneoffs() if c.service == service.name), default=0)
    name = options.name or _name(project.name, service.name, number, session.compatibility)
    labels = container_labels(
        project, service, number=number, config_hash="", oneoff=True, version=session.version
    )
    labels.update(options.labels)

    def containers_of(other: str) -> list[str]:
        found = observed.service_containers(other)
        return [c.name for c in found]

    def first_id(other: str) -> str:
        found = observed.service_containers(other)
        if not found:
            raise UsageError(
                f"service {other!r}, whose namespace {service.name} joins, has no container"
            )
        return found[0].id

    context = specs.ContainerContext(
        project=project,
        service=service,
        number=number,
        name=name,
        labels=labels,
        image=resources.service_image(project, service.name, session.compatibility),
        network_names=resources.network_names(project),
        volume_names=resources.volume_names(project),
        service_containers=containers_of,
        container_id=first_id,
        # Attached one-offs get the user's input until it ends, then an end of file.
        extra={"AttachStdin": True, "StdinOnce": True} if options.interactive else {},
    )
    return up_op.create_from_context(session.gateway, context, name), name


def one_off_service(service: ServiceConfig, options: RunOptions) -> ServiceConfig:
    """The service's options with the command line's changes: a one-off never restarts,
    publishes the service's ports only with --service-ports, and answers to the
    service's network aliases only with --use-aliases."""
    changed: dict[str, Any] = dict(service.options)
    changed.pop("restart", None)
    changed.pop("container_name", None)
    if options.command:
        changed["command"] = list(options.command)
    if options.entrypoint is not None:
        import shlex

        changed["entrypoint"] = shlex.split(options.entrypoint)
    if options.environment:
        changed["environment"] = {**(changed.get("environment") or {}), **options.environment}
    for key, value in (("user", options.user), ("working_dir", options.workdir)):
        if value is not None:
            changed[key] = value
    ports = list(changed.get("ports") or ()) if options.service_ports else []
    for spec in options.publish:
        try:
            ports.extend(parse_port_spec(spec))
        except ValueError as err:
            raise UsageError(f"invalid -p {spec!r}: {err}") from None
    changed["ports"] = ports
    where = Context(source="the command line", base_dir=options.cwd)
    extra = [parse_volume_spec(spec, where, "-v") for spec in options.volumes]
    changed["volumes"] = [*(changed.get("volumes") or ()), *extra]
    if not options.use_aliases and changed.get("networks"):
        changed["networks"] = {
            key: {k: v for k, v in (spec or {}).items() if k != "aliases"} or None
            for key, spec in changed["networks"].items()
        }
    changed["tty"] = options.tty
    changed["stdin_open"] = options.interactive
    return ServiceConfig(service.name, changed)


def _name(project: str, service: str, number: int, compatibility: bool) -> str:
    """`project-service-run-<12 hex>` today; `project_service_run_N` in 1.29.2."""
    if compatibility:
        return f"{project}_{service}_run_{number}"
    return f"{project}-{service}-run-{secrets.token_hex(6)}"
