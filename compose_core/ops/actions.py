"""Engine work for plan operations that every command shares: start, stop, remove, ..."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from compose_core.converge.events import DONE, WARNING
from compose_core.converge.plan import (
    CONTAINER,
    NETWORK,
    REMOVE,
    START,
    STOP,
    VOLUME,
    WITH_ANONYMOUS_VOLUMES,
    Operation,
)
from compose_core.engine.gateway import NotFound
from compose_core.errors import EngineError
from compose_core.model.project import Project
from compose_core.ops.session import Session

Action = Callable[[Operation], None]


class Actions:
    """Carries out container, network and volume operations, reporting each as events."""

    def __init__(self, session: Session, project: Project | None, timeout: int | None = None):
        self.session = session
        self.project = project
        self.timeout = timeout

    def actions(self) -> Mapping[tuple[str, str], Action]:
        return {
            (CONTAINER, START): self.start_container,
            (CONTAINER, STOP): self.stop_container,
            (CONTAINER, REMOVE): self.remove_container,
            (NETWORK, REMOVE): self.remove_network,
            (VOLUME, REMOVE): self.remove_volume,
            (CONTAINER, "kill"): self.kill_container,
            (CONTAINER, "pause"): self.pause_container,
            (CONTAINER, "unpause"): self.unpause_container,
            (CONTAINER, "restart"): self.restart_container,
        }

    def emit(self, kind: str, name: str, status: str, state: str = "working") -> None:
        self.session.emit(kind, name, status, state)

    def start_container(self, op: Operation) -> None:
        self.emit("Container", op.name, "Starting")
        self.session.gateway.start(op.container_id, name=op.name)
        self.emit("Container", op.name, "Started", DONE)

    def stop_container(self, op: Operation) -> None:
        self.emit("Container", op.name, "Stopping")
        self.session.gateway.stop(op.container_id, self.stop_timeout(op.service), name=op.name)
        self.emit("Container", op.name, "Stopped", DONE)

    def remove_container(self, op: Operation) -> None:
        self.emit("Container", op.name, "Removing")
        volumes = op.note == WITH_ANONYMOUS_VOLUMES
        try:
            self.session.gateway.remove_container(
                op.container_id, force=True, volumes=volumes, name=op.name
            )
        except NotFound:
            pass  # already gone: what we wanted
        self.emit("Container", op.name, "Removed", DONE)

    def kill_container(self, op: Operation) -> None:
        self.emit("Container", op.name, "Killing")
        self.session.gateway.kill(op.container_id, op.note or None, name=op.name)
        self.emit("Container", op.name, "Killed", DONE)

    def pause_container(self, op: Operation) -> None:
        self.emit("Container", op.name, "Pausing")
        self.session.gateway.pause(op.container_id, name=op.name)
        self.emit("Container", op.name, "Paused", DONE)

    def unpause_container(self, op: Operation) -> None:
        self.emit("Container", op.name, "Unpausing")
        self.session.gateway.unpause(op.container_id, name=op.name)
        self.emit("Container", op.name, "Unpaused", DONE)

    def restart_container(self, op: Operation) -> None:
        self.emit("Container", op.name, "Restarting")
        self.session.gateway.restart(op.container_id, self.stop_timeout(op.service), name=op.name)
        self.emit("Container", op.name, "Restarted", DONE)

    def remove_network(self, op: Operation) -> None:
        self.emit("Network", op.name, "Removing")
        try:
            self.session.gateway.remove_network(op.name)
        except NotFound:
            pass
        except EngineError as err:
            # Containers the project no longer knows (orphans) may still use it: today's
            # Compose warns and goes on; 1.29.2 fails with the engine's words.
            if self.session.compatibility or "has active endpoints" not in str(err):
                raise
            self.emit("Network", op.name, "Resource is still in use", WARNING)
            return
        self.emit("Network", op.name, "Removed", DONE)

    def remove_volume(self, op: Operation) -> None:
        self.emit("Volume", op.name, "Removing")
        try:
            self.session.gateway.remove_volume(op.name)
        except NotFound:
            pass
        self.emit("Volume", op.name, "Removed", DONE)

    def stop_timeout(self, service: str | None) -> int | None:
        """-t, else the service's stop_grace_period, else the engine's default."""
        if self.timeout is not None:
            return self.timeout
        options: Any = {}
        if self.project is not None and service in self.project.services:
            options = self.project.services[service].options
        grace = options.get("stop_grace_period")
        if grace is None:
            return None
        from compose_core.config.units import parse_duration

        return int(parse_duration(grace))
