"""The gate before a start: depends_on conditions and `--wait`, with their progress lines
and errors. Commands give it a Watcher and a way to find a service's containers."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from compose_core.converge.events import DONE, ERROR, WARNING
from compose_core.converge.plan import Operation
from compose_core.engine.observe import ObservedState
from compose_core.model.project import Project
from compose_core.ops import readiness
from compose_core.ops.actions import Actions
from compose_core.ops.readiness import NotReady, Verdict, Watcher
from compose_core.ops.session import Session

log = logging.getLogger(__name__)

ContainersOf = Callable[[str], list[tuple[str, str]]]  # service -> [(ID, name)]


@dataclass(frozen=True)
class _DependencyWait:
    """A dependency's container that a dependent waits for, and the condition to meet."""

    name: str
    dependency: str
    condition: str
    required: bool


class Gate:
    """Waits until containers are ready, as depends_on conditions and `--wait` ask."""

    def __init__(
        self,
        session: Session,
        project: Project,
        watcher: Watcher,
        containers_of: ContainersOf,
        wait_timeout: float | None = None,
    ) -> None:
        self.session = session
        self.project = project
        self.watcher = watcher
        self.containers_of = containers_of
        self.wait_timeout = wait_timeout
        self.deadline = readiness.deadline_after(wait_timeout)

    def await_dependencies(self, service: str, dependencies: Iterable[str]) -> None:
        """Block until each of `dependencies` of `service` meets its condition, all at once;
        the first that fails ends the wait (a `required: false` one only warns)."""
        waits = self._dependency_waits(service, set(dependencies))
        for name in dict.fromkeys(w.name for w in waits.values()):
            self._progress(name, "Waiting")

        def settled(ident: str, verdict: Verdict) -> None:
            if verdict.ok:
                self._progress(waits[ident].name, _settled_status(verdict), DONE)

        while waits:
            judges = {ident: readiness.JUDGES[w.condition] for ident, w in waits.items()}
            verdicts = self.watcher.wait_all(judges, self.deadline, settled)
            failed = [(ident, v) for ident, v in verdicts.items() if not v.ok]
            if not failed and len(verdicts) < len(waits):
                names = {ident: w.name for ident, w in waits.items()}
                raise self._timed_out([i for i in waits if i not in verdicts], names)
            for ident, verdict in failed:
                self._dependency_failed(service, ident, waits[ident], verdict)
            failed_services = {waits[ident].dependency for ident, _ in failed}
            waits = {
                ident: w
                for ident, w in waits.items()
                if ident not in verdicts and w.dependency not in failed_services
            }

    def await_ready(self, services: Iterable[str]) -> None:
        """`--wait`: every container of `services` running and, with a health check, healthy;
        exiting 0 is done only for a service that another waits on to complete."""
        completing = {
            dependency
            for service in self.project.services.values()
            for dependency, spec in service.depends_on.items()
            if readiness.condition_of(spec) == readiness.SERVICE_COMPLETED
        }
        containers: dict[str, str] = {}
        judges: dict[str, readiness.Judge] = {}
        for service in sorted(services):
            for ident, name in self.containers_of(service):
                containers[ident] = name
                judges[ident] = readiness.judge_running_or_healthy(service in completing)
                self._progress(name, "Waiting")

        def settled(ident: str, verdict: Verdict) -> None:
            if verdict.ok:
                self._progress(containers[ident], _settled_status(verdict), DONE)

        verdicts = self.watcher.wait_all(judges, self.deadline, settled)
        if len(verdicts) == len(containers) and all(v.ok for v in verdicts.values()):
            # Running was enough for some; they must still be when the last is ready.
            verdicts = {i: judges[i](self.watcher.state(i)) or verdicts[i] for i in verdicts}
        for ident, verdict in verdicts.items():
            if not verdict.ok:
                self._progress(containers[ident], "Error", ERROR)
                raise NotReady(f"container {containers[ident]} {verdict.reason}")
        if len(verdicts) < len(containers):
            raise self._timed_out([i for i in containers if i not in verdicts], containers)

    def _dependency_waits(self, service: str, considered: set[str]) -> dict[str, _DependencyWait]:
        """Container ID -> what to wait for, for the dependencies with a condition to meet."""
        waits = {}
        for dependency, spec in sorted(self.project.services[service].depends_on.items()):
            condition = readiness.condition_of(spec)
            if condition not in readiness.JUDGES or dependency not in considered:
                continue
            required = (spec or {}).get("required") is not False
            for ident, name in self.containers_of(dependency):
                waits[ident] = _DependencyWait(name, dependency, condition, required)
        return waits

    def _dependency_failed(
        self, service: str, ident: str, wait: _DependencyWait, verdict: Verdict
    ) -> None:
        if not wait.required:
            status, warning = readiness.optional_notice(
                wait.dependency, wait.condition, wait.name, verdict
            )
            self._progress(wait.name, status, WARNING)
            log.warning(warning)
            return
        error = readiness.dependency_failure(
            service,
            wait.dependency,
            wait.condition,
            (ident, wait.name),
            verdict,
            self.session.compatibility,
        )
        status = "Error" if wait.condition == readiness.SERVICE_HEALTHY else error.message
        self._progress(wait.name, status, ERROR)
        raise error

    def _timed_out(self, idents: list[str], names: Mapping[str, str]) -> NotReady:
        waited = [(names[i], self.watcher.state(i)) for i in idents]
        for name, _ in waited:
            self._progress(name, "Error", ERROR)
        return readiness.timed_out(self.wait_timeout, waited)

    def _progress(self, name: str, status: str, state: str = "working") -> None:
        """Readiness lines, as today's Compose prints them; 1.29.2 printed none."""
        if not self.session.compatibility:
            self.session.emit("Container", name, status, state)


def _settled_status(verdict: Verdict) -> str:
    return "Exited" if verdict.exit_code == 0 else "Healthy"


def conditions_to_meet(project: Project, services: Iterable[str], among: set[str]) -> bool:
    """Whether one of `services` depends on one of `among` with a condition to wait for."""
    return any(
        readiness.condition_of(spec) in readiness.JUDGES and dependency in among
        for name in services
        if name in project.services
        for dependency, spec in project.services[name].depends_on.items()
    )


# `start` and `restart`: the same gate before each container, as Compose v2 has it.


class GatedActions(Actions):
    """start and restart that first wait for the service's dependencies' conditions; in a
    `restart`, only for the dependencies marked `restart: true` restarted along."""

    def __init__(
        self,
        session: Session,
        project: Project,
        timeout: int | None,
        gate: Gate,
        restarted: set[str] | None,
    ) -> None:
        super().__init__(session, project, timeout)
        self.gate = gate
        self.restarted = restarted  # the services a `restart` restarts; None in a `start`

    def start_container(self, op: Operation) -> None:
        self._await(op)
        super().start_container(op)

    def restart_container(self, op: Operation) -> None:
        self._await(op)
        super().restart_container(op)

    def _await(self, op: Operation) -> None:
        assert self.project is not None
        if op.service not in self.project.services:
            return
        depends_on = self.project.services[op.service].depends_on
        dependencies = [
            name
            for name, spec in depends_on.items()
            if self.restarted is None or ((spec or {}).get("restart") and name in self.restarted)
        ]
        self.gate.await_dependencies(op.service, dependencies)


@contextlib.contextmanager
def gated_actions(
    session: Session,
    project: Project | None,
    observed: ObservedState,
    timeout: int | None,
    services: Iterable[str],
    *,
    restarting: bool,
) -> Iterator[tuple[Actions, Callable[[], None] | None]]:
    """(actions, on_cancel) for `start` or `restart` of `services`: gated when one has a
    condition to wait for (1.29.2 did not wait in either)."""
    services = set(services)
    if (
        project is None
        or session.compatibility
        or not conditions_to_meet(project, services, set(project.services))
    ):
        yield Actions(session, project, timeout), None
        return

    def containers_of(service: str) -> list[tuple[str, str]]:
        return [(c.id, c.name) for c in observed.service_containers(service) if not c.oneoff]

    with Watcher(session.gateway, project.name) as watcher:
        gate = Gate(session, project, watcher, containers_of)
        restarted = set(services) if restarting else None
        yield GatedActions(session, project, timeout, gate, restarted), watcher.cancel
