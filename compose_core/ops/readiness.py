"""Readiness: what the engine says about a project's containers, as it happens.

One subscription to the engine's container events per command, read by one thread,
keeps the state (running, exit code, health) of every container of the project; the
waiters block on a condition variable until the states they need are reached. Nothing
here sleeps in a loop: a dependent starts the moment its dependency's event arrives.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from compose_core import const
from compose_core.engine.gateway import Gateway, NotFound
from compose_core.errors import EngineError, UserError

log = logging.getLogger(__name__)

STARTING = "starting"
HEALTHY = "healthy"
UNHEALTHY = "unhealthy"

# depends_on conditions, as the Compose Specification names them.
SERVICE_STARTED = "service_started"
SERVICE_HEALTHY = "service_healthy"
SERVICE_COMPLETED = "service_completed_successfully"


class NotReady(UserError):
    """A container did not reach the state that something waited for."""


class Cancelled(UserError):
    """The wait was cut short (Ctrl-C)."""


@dataclass(frozen=True)
class ContainerState:
    """What is known of one container; None where the engine has not said yet."""

    running: bool | None = None
    exit_code: int | None = None  # set once the container has exited
    health: str | None = None  # starting, healthy, unhealthy; None: no report yet
    healthcheck: bool | None = None  # whether a health check is configured
    removed: bool = False

    @property
    def exited(self) -> bool:
        return self.running is False and self.exit_code is not None

    def describe(self) -> str:
        """The state in a few words, for messages about a wait that timed out."""
        if self.removed:
            return "removed"
        if self.exited:
            return f"exited ({self.exit_code})"
        if self.running and self.health:
            return self.health
        return "running" if self.running else "not started"


@dataclass(frozen=True)
class Verdict:
    """Whether a waited-for state was reached: ok, or failed with a reason."""

    ok: bool
    reason: str = ""
    exit_code: int | None = None  # the container exited with this code


OK = Verdict(True)
COMPLETED = Verdict(True, exit_code=0)
Judge = Callable[[ContainerState], Verdict | None]  # None: not decided yet


def judge_healthy(state: ContainerState) -> Verdict | None:
    if state.health == HEALTHY:
        return OK
    if state.removed:
        return Verdict(False, "was removed")
    if state.exited:  # the engine marks a stopped container unhealthy too: say why
        return Verdict(False, f"exited ({state.exit_code})", state.exit_code)
    if state.health == UNHEALTHY:
        return Verdict(False, "is unhealthy")
    if state.healthcheck is False:
        return Verdict(False, "has no healthcheck configured")
    return None


def judge_completed(state: ContainerState) -> Verdict | None:
    if state.removed:
        return Verdict(False, "was removed")
    if not state.exited:
        return None
    if state.exit_code == 0:
        return COMPLETED
    return Verdict(False, f"exit {state.exit_code}", state.exit_code)


def judge_running_or_healthy(may_complete: bool) -> Judge:
    """`up --wait`: running, and healthy where a health check is configured; exiting 0
    counts as done only for a service that others wait on to complete."""

    def judge(state: ContainerState) -> Verdict | None:
        if state.exited:
            if may_complete and state.exit_code == 0:
                return COMPLETED
            return Verdict(False, f"exited ({state.exit_code})", state.exit_code)
        if state.healthcheck:
            return judge_healthy(state)
        if state.removed:
            return Verdict(False, "was removed")
        return OK if state.running and state.healthcheck is False else None

    return judge


JUDGES: Mapping[str, Judge] = {SERVICE_HEALTHY: judge_healthy, SERVICE_COMPLETED: judge_completed}


class Watcher:
    """The states of a project's containers, kept current from the engine's events."""

    def __init__(self, gateway: Gateway, project: str) -> None:
        self.gateway = gateway
        self.project = project
        self._cond = threading.Condition()
        self._states: dict[str, ContainerState] = {}
        self._inspected: dict[str, threading.Event] = {}
        self._touched: dict[str, set[str]] = {}  # fields events set while an inspect ran
        self._stream: Any = None
        self._failure: str | None = None
        self._closed = False
        self._cancelled = False

    # Life cycle

    def start(self) -> Watcher:
        """Subscribe, then read in the background; states reached before are inspected."""
        filters = {"label": [f"{const.LABEL_PROJECT}={self.project}"], "type": ["container"]}
        self._stream = self.gateway.events(filters)
        thread = threading.Thread(target=self._read, name="engine-events", daemon=True)
        thread.start()
        return self

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if self._stream is not None:
            try:
                self._stream.close()
            except Exception as err:  # noqa: BLE001 - closing a stream that is gone already
                log.debug("closing the event stream: %s", err)

    def cancel(self) -> None:
        """Make every wait give up now (Ctrl-C)."""
        with self._cond:
            self._cancelled = True
            self._cond.notify_all()

    def __enter__(self) -> Watcher:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Recording

    def _read(self) -> None:
        failure = None
        try:
            for event in self._stream:
                self._record(event)
        except Exception as err:  # noqa: BLE001 - reported to the waiters, not lost
            failure = str(err) or type(err).__name__
        with self._cond:
            if not self._closed:
                self._failure = failure or "the engine ended the stream"
                self._cond.notify_all()

    def _record(self, event: Mapping[str, Any]) -> None:
        change = _change_of(event)
        if change is None:
            return
        ident, fields = change
        with self._cond:
            state = self._states.get(ident, ContainerState())
            if fields.get("running") and state.healthcheck:
                fields.setdefault("health", STARTING)
            self._states[ident] = replace(state, **fields)
            if ident in self._touched:
                self._touched[ident].update(fields)
            self._cond.notify_all()

    def _inspect(self, ident: str) -> None:
        """Inspect once, for what happened before the subscription; fields that an
        event changed meanwhile keep the event's (newer) value."""
        with self._cond:
            done = self._inspected.get(ident)
            first = done is None
            if first:
                done = self._inspected[ident] = threading.Event()
                self._touched[ident] = set()
        if not first:
            done.wait()
            return
        fields: dict[str, Any] | None = None
        try:
            fields = _inspected_fields(self.gateway, ident)
        finally:
            with self._cond:
                touched = self._touched.pop(ident, set())
                if fields is not None:
                    kept = {k: v for k, v in fields.items() if k not in touched}
                    self._states[ident] = replace(self._states.get(ident, ContainerState()), **kept)
                self._cond.notify_all()
            done.set()

    # Waiting

    def state(self, ident: str) -> ContainerState:
        self._inspect(ident)
        with self._cond:
            return self._states.get(ident, ContainerState())

    def wait_all(
        self,
        judges: Mapping[str, Judge],
        deadline: float | None = None,
        on_settled: Callable[[str, Verdict], None] | None = None,
    ) -> dict[str, Verdict]:
        """Block until every container (ID -> its judge) has a verdict, one has failed, or
        the deadline (time.monotonic) passes; those without a verdict timed out."""
        pending = list(judges)
        for ident in pending:
            self._inspect(ident)
        verdicts: dict[str, Verdict] = {}
        while pending:
            settled = self._next_verdicts(pending, judges, deadline)
            if not settled:
                break  # timed out
            for ident, verdict in settled.items():
                verdicts[ident] = verdict
                pending.remove(ident)
                if on_settled is not None:
                    on_settled(ident, verdict)
            if any(not v.ok for v in settled.values()):
                break
        return verdicts

    def _next_verdicts(
        self, pending: list[str], judges: Mapping[str, Judge], deadline: float | None
    ) -> dict[str, Verdict]:
        with self._cond:
            while True:
                settled = {}
                for ident in pending:
                    verdict = judges[ident](self._states.get(ident, ContainerState()))
                    if verdict is not None:
                        settled[ident] = verdict
                if settled:
                    return settled
                if self._cancelled:
                    raise Cancelled("canceled while waiting for containers")
                if self._failure:
                    raise EngineError(
                        f"reading the engine's events: {self._failure}",
                        hint="Check that the Docker engine is still running.",
                    )
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return {}
                self._cond.wait(remaining)


def _change_of(event: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """(container ID, changed fields) of an event that changes what we track."""
    action = str(event.get("Action") or event.get("status") or "")
    actor = event.get("Actor") or {}
    ident = actor.get("ID") or event.get("id")
    if not ident:
        return None
    if action == "start":
        return ident, {"running": True, "exit_code": None}
    if action == "die":
        code = (actor.get("Attributes") or {}).get("exitCode")
        return ident, {"running": False, "exit_code": int(code) if code is not None else -1}
    if action.startswith("health_status"):
        status = action.partition(":")[2].strip()
        return ident, {"health": status, "healthcheck": True}
    if action == "destroy":
        return ident, {"removed": True, "running": False}
    return None


def _inspected_fields(gateway: Gateway, ident: str) -> dict[str, Any]:
    try:
        info = gateway.inspect_container(ident)
    except NotFound:
        return {"removed": True, "running": False}
    state = info.get("State") or {}
    test = ((info.get("Config") or {}).get("Healthcheck") or {}).get("Test") or []
    healthcheck = bool(test) and test[0] != "NONE"
    status = state.get("Status")
    exited = status in ("exited", "dead")
    health = (state.get("Health") or {}).get("Status") if healthcheck else None
    running = bool(state.get("Running"))
    if running and healthcheck and not health:
        health = STARTING
    return {
        "running": running,
        "exit_code": int(state.get("ExitCode") or 0) if exited else None,
        "health": health,
        "healthcheck": healthcheck,
    }


def deadline_after(seconds: float | None) -> float | None:
    return None if seconds is None else time.monotonic() + seconds


def condition_of(spec: Mapping[str, Any] | None) -> str:
    return (spec or {}).get("condition") or SERVICE_STARTED


# Messages, as today's Compose words them, and as 1.29.2 did in compatibility mode.

CLASSIC_FOOTER = "Encountered errors while bringing up the project."


def dependency_failure(
    dependent: str,
    dependency: str,
    condition: str,
    container: tuple[str, str],
    verdict: Verdict,
    compatibility: bool,
) -> NotReady:
    """The error of a dependent whose dependency's container (ID, name) failed."""
    ident, name = container
    if compatibility:
        what = verdict.reason
        if verdict.exit_code is not None:
            what = f"exited with code {verdict.exit_code}"
        return NotReady(f'for {dependent}  Container "{ident[:12]}" {what}.', hint=CLASSIC_FOOTER)
    return NotReady(dependency_message(dependency, condition, name, verdict))


def dependency_message(dependency: str, condition: str, name: str, verdict: Verdict) -> str:
    if condition == SERVICE_COMPLETED:
        return f'service "{dependency}" didn\'t complete successfully: {verdict.reason}'
    return f"dependency failed to start: container {name} {verdict.reason}"


def optional_notice(
    dependency: str, condition: str, name: str, verdict: Verdict
) -> tuple[str, str]:
    """(progress status, warning) said instead of failing when a `required: false`
    dependency fails."""
    if condition == SERVICE_COMPLETED:
        what = f'optional dependency "{dependency}" didn\'t complete successfully'
        return f"Skipped: {what}: {verdict.reason}", f"{what}: {verdict.reason}"
    what = f'optional dependency "{dependency}" failed to start'
    return f"Skipped: {what}", f"{what}: container {name} {verdict.reason}"


def timed_out(seconds: float | None, waited: list[tuple[str, ContainerState]]) -> NotReady:
    """The error of a wait that ran out of time; names what it still waited for."""
    shown = ", ".join(f"container {name} is {state.describe()}" for name, state in waited[:3])
    if len(waited) > 3:
        shown += f" (and {len(waited) - 3} more)"
    return NotReady(
        f"application not healthy after {_seconds(seconds)}: {shown}",
        hint="Raise --wait-timeout, or check the health checks: docker inspect NAME",
    )


def _seconds(seconds: float | None) -> str:
    if seconds is None:
        return "the time allowed"
    return f"{seconds:g}s"
