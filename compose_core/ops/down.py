"""`down`: stop everything of the project, then remove it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from compose_core.converge.executor import Executor
from compose_core.converge.plan import Plan
from compose_core.converge.teardown import DownOptions, plan_down
from compose_core.engine.observe import observe
from compose_core.model.project import Project
from compose_core.ops import resources
from compose_core.ops.actions import Actions
from compose_core.ops.session import Session


def plan(
    session: Session,
    project: Project | None,
    name: str,
    options: DownOptions,
    services: Sequence[str] = (),
) -> tuple[Plan, Actions]:
    networks = resources.network_names(project) if project else None
    volumes = resources.volume_names(project) if project else None
    observed = observe(
        session.gateway,
        name,
        network_names=tuple((networks or {}).values()),
        volume_names=tuple((volumes or {}).values()) if options.volumes else (),
    )
    if services:
        # Only these services' containers go; shared networks and volumes stay.
        wanted = set(services)
        observed = type(observed)(
            observed.project, tuple(c for c in observed.containers if c.service in wanted)
        )
        networks, volumes = {}, {}
    result = plan_down(project, observed, options, network_names=networks, volume_names=volumes)
    return result, Actions(session, project)


def execute(
    actions: Actions,
    result: Plan,
    *,
    timeout: int | None,
    before: Callable[[Plan], None] | None = None,
) -> None:
    import logging

    for warning in result.warnings:
        logging.getLogger(__name__).warning(warning)
    actions.timeout = timeout
    if before is not None:
        before(result)
    Executor(actions.actions(), actions.session.parallel).run(result)
