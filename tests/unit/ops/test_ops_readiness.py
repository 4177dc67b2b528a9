"""The readiness watcher on a scripted event stream, and the judges of container states."""

from __future__ import annotations

import queue
import threading
import time

import pytest

from compose_core.converge.events import CollectingSink
from compose_core.errors import EngineError
from compose_core.model.project import Project, ServiceConfig
from compose_core.ops import readiness
from compose_core.ops.gate import Gate
from compose_core.ops.readiness import (
    Cancelled,
    ContainerState,
    Verdict,
    Watcher,
    judge_completed,
    judge_healthy,
    judge_running_or_healthy,
)
from compose_core.ops.session import Session

END = object()


class ScriptedStream:
    """An event stream fed by the test; iterating blocks as the engine's does."""

    def __init__(self) -> None:
        self.events: queue.Queue = queue.Queue()

    def __iter__(self):
        while True:
            event = self.events.get()
            if event is END:
                return
            if isinstance(event, Exception):
                raise event
            yield event

    def close(self) -> None:
        self.events.put(END)


class FakeGateway:
    """Inspections from a table; `during_inspect` runs while an inspection is under way."""

    def __init__(self, inspections: dict[str, dict]) -> None:
        self.stream = ScriptedStream()
        self.inspections = inspections
        self.filters = None
        self.during_inspect = None
        self.inspected: list[str] = []

    def events(self, filters):
        self.filters = filters
        return self.stream

    def inspect_container(self, ident):
        self.inspected.append(ident)
        if self.during_inspect is not None:
            self.during_inspect()
        return self.inspections[ident]


def inspection(status="running", health=None, exit_code=0, healthcheck=True):
    state = {"Status": status, "Running": status == "running", "ExitCode": exit_code}
    if health:
        state["Health"] = {"Status": health}
    test = ["CMD", "true"] if healthcheck else ["NONE"]
    return {"State": state, "Config": {"Healthcheck": {"Test": test}}}


def event(ident, action, **attributes):
    return {"Type": "container", "Action": action, "Actor": {"ID": ident, "Attributes": attributes}}


def push_later(gateway, *events, delay=0.05):
    def push():
        time.sleep(delay)
        for item in events:
            gateway.stream.events.put(item)

    threading.Thread(target=push, daemon=True).start()


def healthy_judges(*idents):
    return dict.fromkeys(idents, judge_healthy)


def test_watcher_subscribes_to_the_project_container_events():
    gateway = FakeGateway({})

    with Watcher(gateway, "shop"):
        pass

    assert gateway.filters == {"label": ["com.docker.compose.project=shop"], "type": ["container"]}


def test_watcher_returns_when_the_health_event_arrives():
    gateway = FakeGateway({"a": inspection(health="starting")})
    with Watcher(gateway, "p") as watcher:
        push_later(gateway, event("a", "exec_start: true"), event("a", "health_status: healthy"))
        settled = []

        verdicts = watcher.wait_all(healthy_judges("a"), None, lambda i, v: settled.append(i))

    assert verdicts == {"a": readiness.OK}
    assert settled == ["a"]


def test_watcher_state_reached_before_subscribing_comes_from_the_inspection():
    gateway = FakeGateway({"a": inspection(health="healthy"), "b": inspection(healthcheck=False)})
    with Watcher(gateway, "p") as watcher:
        verdicts = watcher.wait_all(healthy_judges("a"), time.monotonic() + 5)
        state = watcher.state("b")

    assert verdicts == {"a": readiness.OK}
    assert state.running and state.healthcheck is False


def test_watcher_keeps_an_event_that_arrives_while_inspecting_over_the_older_inspection():
    gateway = FakeGateway({"a": inspection(health="starting")})
    with Watcher(gateway, "p") as watcher:

        def event_during_inspect():
            gateway.stream.events.put(event("a", "health_status: healthy"))
            deadline = time.monotonic() + 5
            while "a" not in watcher._states and time.monotonic() < deadline:
                time.sleep(0.001)

        gateway.during_inspect = event_during_inspect
        verdicts = watcher.wait_all(healthy_judges("a"), time.monotonic() + 0.5)

    assert verdicts == {"a": readiness.OK}


def test_watcher_inspects_each_container_once():
    gateway = FakeGateway({"a": inspection(health="healthy")})
    with Watcher(gateway, "p") as watcher:
        for _ in range(3):
            watcher.wait_all(healthy_judges("a"), time.monotonic() + 5)

    assert gateway.inspected == ["a"]


def test_watcher_stops_at_the_first_failure():
    gateway = FakeGateway({"a": inspection(health="starting"), "b": inspection(health="starting")})
    with Watcher(gateway, "p") as watcher:
        push_later(gateway, event("b", "health_status: unhealthy"))

        verdicts = watcher.wait_all(healthy_judges("a", "b"), time.monotonic() + 5)

    assert verdicts == {"b": Verdict(False, "is unhealthy")}


def test_watcher_deadline_leaves_the_pending_without_verdict():
    gateway = FakeGateway({"a": inspection(health="starting")})
    with Watcher(gateway, "p") as watcher:
        started = time.monotonic()

        verdicts = watcher.wait_all(healthy_judges("a"), started + 0.1)

    assert verdicts == {}
    assert 0.1 <= time.monotonic() - started < 2


def test_watcher_restart_resets_health_to_starting():
    gateway = FakeGateway({"a": inspection(health="healthy")})
    restarted = ContainerState(running=True, exit_code=None, health="starting", healthcheck=True)
    with Watcher(gateway, "p") as watcher:
        assert watcher.state("a").health == "healthy"
        push_later(gateway, event("a", "die", exitCode="137"), event("a", "start"))

        verdicts = watcher.wait_all(
            {"a": lambda state: readiness.OK if state == restarted else None},
            time.monotonic() + 5,
        )

    assert verdicts == {"a": readiness.OK}


def test_watcher_cancel_ends_the_wait():
    gateway = FakeGateway({"a": inspection(health="starting")})
    with Watcher(gateway, "p") as watcher:
        threading.Timer(0.05, watcher.cancel).start()

        with pytest.raises(Cancelled):
            watcher.wait_all(healthy_judges("a"))


def test_watcher_lost_stream_fails_the_wait_instead_of_hanging():
    gateway = FakeGateway({"a": inspection(health="starting")})
    with Watcher(gateway, "p") as watcher:
        push_later(gateway, ConnectionError("connection reset"))

        with pytest.raises(EngineError, match="connection reset"):
            watcher.wait_all(healthy_judges("a"))


@pytest.mark.parametrize(
    ("state", "verdict"),
    [
        (ContainerState(running=True, health="healthy", healthcheck=True), readiness.OK),
        (ContainerState(running=True, health="starting", healthcheck=True), None),
        (
            ContainerState(running=True, health="unhealthy", healthcheck=True),
            Verdict(False, "is unhealthy"),
        ),
        (
            ContainerState(running=False, exit_code=2, healthcheck=True),
            Verdict(False, "exited (2)", 2),
        ),
        (
            ContainerState(running=True, healthcheck=False),
            Verdict(False, "has no healthcheck configured"),
        ),
        (ContainerState(removed=True), Verdict(False, "was removed")),
        (  # a stopped container is marked unhealthy too: its exit is the news
            ContainerState(running=False, exit_code=137, health="unhealthy", healthcheck=True),
            Verdict(False, "exited (137)", 137),
        ),
    ],
)
def test_judge_healthy(state, verdict):
    assert judge_healthy(state) == verdict


@pytest.mark.parametrize(
    ("state", "verdict"),
    [
        (ContainerState(running=True), None),
        (ContainerState(running=False), None),  # created, never started
        (ContainerState(running=False, exit_code=0), readiness.COMPLETED),
        (ContainerState(running=False, exit_code=3), Verdict(False, "exit 3", 3)),
    ],
)
def test_judge_completed(state, verdict):
    assert judge_completed(state) == verdict


@pytest.mark.parametrize(
    ("state", "may_complete", "verdict"),
    [
        (ContainerState(running=True, healthcheck=False), False, readiness.OK),
        (ContainerState(running=True, health="starting", healthcheck=True), False, None),
        (ContainerState(running=True, health="healthy", healthcheck=True), False, readiness.OK),
        (
            ContainerState(running=False, exit_code=0, healthcheck=False),
            False,
            Verdict(False, "exited (0)", 0),
        ),
        (
            ContainerState(running=False, exit_code=0, healthcheck=False),
            True,
            readiness.COMPLETED,
        ),
    ],
)
def test_judge_running_or_healthy(state, may_complete, verdict):
    assert judge_running_or_healthy(may_complete)(state) == verdict


def test_messages_name_the_container_and_the_dependency():
    unhealthy = Verdict(False, "is unhealthy")
    exit_3 = Verdict(False, "exit 3", 3)
    condition = readiness.SERVICE_COMPLETED

    assert (
        readiness.dependency_failure(
            "web", "db", readiness.SERVICE_HEALTHY, ("0123456789abcdef", "p-db-1"), unhealthy, False
        ).message
        == "dependency failed to start: container p-db-1 is unhealthy"
    )
    classic = readiness.dependency_failure(
        "web", "init", condition, ("0123456789abcdef", "p_init_1"), exit_3, True
    )
    assert str(classic) == (
        'for web  Container "0123456789ab" exited with code 3.\n'
        "Encountered errors while bringing up the project."
    )
    assert readiness.optional_notice("init", condition, "p-init-1", exit_3) == (
        'Skipped: optional dependency "init" didn\'t complete successfully: exit 3',
        'optional dependency "init" didn\'t complete successfully: exit 3',
    )
    waited = [(f"p-s{i}-1", ContainerState(running=True, health="starting")) for i in range(5)]
    assert readiness.timed_out(2, waited).message == (
        "application not healthy after 2s: container p-s0-1 is starting, container p-s1-1 is "
        "starting, container p-s2-1 is starting (and 2 more)"
    )


# The gate: depends_on conditions on top of the watcher


def gate_for(gateway, services, containers, compatibility=False):
    proj = Project(
        name="p",
        working_dir="/tmp/p",
        config_files=(),
        services={name: ServiceConfig(name, options) for name, options in services.items()},
    )
    sink = CollectingSink()
    session = Session(gateway=gateway, sink=sink, compatibility=compatibility)
    watcher = Watcher(gateway, "p").start()
    gate = Gate(session, proj, watcher, lambda service: containers.get(service, []))
    return gate, sink, watcher


WEB_NEEDS = {
    "db": {"condition": "service_healthy"},
    "cache": {"condition": "service_healthy", "required": False},
    "init": {"condition": "service_completed_successfully"},
    "log": {"condition": "service_started"},
}


def test_gate_optional_failure_warns_and_the_wait_goes_on(caplog):
    gateway = FakeGateway(
        {
            "db1": inspection(health="starting"),
            "cache1": inspection(health="unhealthy"),
            "init1": inspection(status="exited", exit_code=0, healthcheck=False),
        }
    )
    containers = {s: [(f"{s}1", f"p-{s}-1")] for s in ("db", "cache", "init", "log")}
    services = {"web": {"depends_on": WEB_NEEDS}, **{s: {} for s in WEB_NEEDS}}
    gate, sink, watcher = gate_for(gateway, services, containers)
    push_later(gateway, event("db1", "health_status: healthy"), delay=0.1)

    with caplog.at_level("WARNING"):
        gate.await_dependencies("web", WEB_NEEDS)
    watcher.close()

    lines = [(e.name, e.status) for e in sink.events]
    assert ("p-cache-1", 'Skipped: optional dependency "cache" failed to start') in lines
    assert ("p-init-1", "Exited") in lines
    assert ("p-db-1", "Healthy") in lines
    assert all(name != "p-log-1" for name, _ in lines)  # service_started: nothing to wait for
    assert 'optional dependency "cache" failed to start: container p-cache-1 is unhealthy' in (
        caplog.text
    )


def test_gate_required_failure_raises_and_names_the_container():
    gateway = FakeGateway({"db1": inspection(health="starting")})
    services = {"web": {"depends_on": {"db": {"condition": "service_healthy"}}}, "db": {}}
    gate, sink, watcher = gate_for(gateway, services, {"db": [("db1", "p-db-1")]})
    push_later(gateway, event("db1", "health_status: unhealthy"))

    with pytest.raises(readiness.NotReady, match="container p-db-1 is unhealthy"):
        gate.await_dependencies("web", ["db"])
    watcher.close()

    assert [(e.status, e.state) for e in sink.events] == [
        ("Waiting", "working"),
        ("Error", "error"),
    ]


def test_gate_in_compatibility_mode_prints_no_readiness_lines():
    gateway = FakeGateway({"db1": inspection(health="healthy")})
    services = {"web": {"depends_on": {"db": {"condition": "service_healthy"}}}, "db": {}}
    gate, sink, watcher = gate_for(gateway, services, {"db": [("db1", "p-db-1")]}, True)

    gate.await_dependencies("web", ["db"])
    watcher.close()

    assert sink.events == []


def test_gate_dependencies_outside_the_plan_are_not_waited_for():
    gateway = FakeGateway({})
    services = {"web": {"depends_on": {"db": {"condition": "service_healthy"}}}, "db": {}}
    gate, sink, watcher = gate_for(gateway, services, {"db": [("db1", "p-db-1")]})

    gate.await_dependencies("web", [])
    watcher.close()

    assert gateway.inspected == [] and sink.events == []
