"""stop, start, restart, kill, pause, unpause, rm, scale and ps on the real engine."""

from __future__ import annotations

import json
import subprocess

import pytest

TWO = """
services:
  web:
    image: compose-core-test/busybox:latest
    command: sleep 600
    stop_signal: SIGKILL
    depends_on: [db]
    ports: ["127.0.0.1:18432:80"]
  db:
    image: compose-core-test/busybox:latest
    command: sleep 600
    stop_signal: SIGKILL
"""


def state(compose, service, number=1):
    container = compose.client.containers.get(f"{compose.name}-{service}-{number}")
    return container.attrs["State"]["Status"]


@pytest.fixture
def running(compose):
    compose.write(TWO)
    compose.run("up", "-d")
    return compose


def test_stop_then_start(running):
    running.run("stop", "-t", "1")
    assert (state(running, "web"), state(running, "db")) == ("exited", "exited")

    running.run("start")
    assert (state(running, "web"), state(running, "db")) == ("running", "running")


def test_stop_one_service_leaves_the_other(running):
    running.run("stop", "web")

    assert (state(running, "web"), state(running, "db")) == ("exited", "running")


def test_restart_gives_a_new_start_time(running):
    before = running.client.containers.get(f"{running.name}-web-1").attrs["State"]["StartedAt"]

    running.run("restart", "-t", "1", "web")

    after = running.client.containers.get(f"{running.name}-web-1").attrs["State"]["StartedAt"]
    assert after != before and state(running, "web") == "running"


def test_kill_with_signal(running):
    running.run("kill", "-s", "SIGTERM", "db")

    container = running.client.containers.get(f"{running.name}-db-1")
    container.reload()
    assert container.attrs["State"]["Status"] in ("exited", "running")
    running.run("kill", "db")
    assert state(running, "db") == "exited"


def test_pause_and_unpause(running):
    running.run("pause")
    assert state(running, "web") == "paused"

    running.run("unpause")
    assert state(running, "web") == "running"


def test_rm_removes_only_stopped_and_stop_flag_stops_first(running):
    running.run("stop", "web")
    running.run("rm", "-f")
    label = f"com.docker.compose.project={running.name}"
    names = [c.name for c in running.client.containers.list(all=True, filters={"label": label})]
    assert names == [f"{running.name}-db-1"]

    running.run("rm", "-f", "-s")
    assert (
        running.client.containers.list(
            all=True, filters={"label": f"com.docker.compose.project={running.name}"}
        )
        == []
    )


def test_rm_asks_and_keeps_when_not_confirmed(running):
    running.run("stop", "db")

    result = running.run("rm", "db", input="n\n")

    assert "Going to remove" in result.stderr and "Are you sure?" in result.stderr
    assert state(running, "db") == "exited"


def test_scale_command_warns_and_scales(running):
    result = running.run("scale", "db=2")

    assert "The scale command is deprecated" in result.stderr
    assert state(running, "db", 2) == "running"


def test_ps_table_json_quiet_and_services(running):
    table = running.run("ps")
    as_json = running.run("ps", "--format", "json")
    quiet = running.run("ps", "-q")
    services = running.run("ps", "--services")

    header = table.stdout.splitlines()[0].split()
    assert header == ["NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"]
    assert "127.0.0.1:18432->80/tcp" in table.stdout
    records = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert sorted(r["Service"] for r in records) == ["db", "web"]
    assert {r["State"] for r in records} == {"running"}
    assert len(quiet.stdout.split()) == 2
    assert sorted(services.stdout.split()) == ["db", "web"]


def test_ps_hides_stopped_without_all_and_filters_by_status(running):
    running.run("stop", "db")

    plain = running.run("ps", "--services")
    everything = running.run("ps", "-a", "--services")
    exited = running.run("ps", "--status", "exited", "--services")

    assert plain.stdout.split() == ["web"]
    assert sorted(everything.stdout.split()) == ["db", "web"]
    assert exited.stdout.split() == ["db"]


def test_ps_compatibility_table(running):
    result = running.run("--compatibility", "ps")

    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Name", "Command", "State", "Ports"]
    assert set(lines[1]) == {"-"}


def test_down_by_project_name_without_a_file(running, tmp_path):
    result = subprocess.run(
        [str(running.cli), "-p", running.name, "down", "-t", "1"],
        cwd=tmp_path / "..",
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert (
        running.client.containers.list(
            all=True, filters={"label": f"com.docker.compose.project={running.name}"}
        )
        == []
    )
