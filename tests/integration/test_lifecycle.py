"""The life cycle on the real engine: up, convergence, recreate, scale, down."""

from __future__ import annotations

import json
import signal
import subprocess
import time

import pytest

BASIC = """
services:
  web:
    image: compose-core-test/busybox:latest
    command: sleep 600
    depends_on: [db]
  db:
    image: compose-core-test/busybox:latest
    command: sleep 600
"""


def containers(compose, **filters):
    labels = [f"com.docker.compose.project={compose.name}"]
    labels += [f"com.docker.compose.{k}={v}" for k, v in filters.items()]
    return {c.name: c for c in compose.client.containers.list(all=True, filters={"label": labels})}


def ids(compose):
    return {name: c.id for name, c in containers(compose).items()}


# BASIC with web's command changed, nothing else.
CHANGED = BASIC.replace("command: sleep 600\n    depends_on", "command: sleep 601\n    depends_on")


def test_up_creates_network_and_containers_with_standard_labels(compose):
    compose.write(BASIC)

    result = compose.run("up", "-d")

    found = containers(compose)
    assert sorted(found) == [f"{compose.name}-db-1", f"{compose.name}-web-1"]
    web = found[f"{compose.name}-web-1"]
    labels = web.labels
    assert labels["com.docker.compose.project"] == compose.name
    assert labels["com.docker.compose.service"] == "web"
    assert labels["com.docker.compose.container-number"] == "1"
    assert labels["com.docker.compose.oneoff"] == "False"
    assert len(labels["com.docker.compose.config-hash"]) == 64
    assert labels["com.docker.compose.project.working_dir"] == str(compose.dir)
    assert labels["com.docker.compose.project.config_files"] == str(compose.dir / "compose.yaml")
    assert labels["com.docker.compose.depends_on"] == "db:service_started:false"
    assert web.status == "running"
    network = compose.client.networks.get(f"{compose.name}_default")
    assert network.attrs["Labels"]["com.docker.compose.network"] == "default"
    assert f"Container {compose.name}-web-1  Started" in result.stderr
    assert result.stderr.index(f"{compose.name}-db-1  Started") < result.stderr.index(
        f"{compose.name}-web-1  Started"
    )


def test_second_up_recreates_nothing(compose):
    compose.write(BASIC)
    compose.run("up", "-d")
    before = ids(compose)

    result = compose.run("up", "-d")

    assert ids(compose) == before
    assert f"Container {compose.name}-web-1  Running" in result.stderr


def test_changed_service_is_recreated_and_the_other_kept(compose):
    compose.write(BASIC)
    compose.run("up", "-d")
    before = ids(compose)
    compose.write(CHANGED)

    compose.run("up", "-d")

    after = ids(compose)
    assert after[f"{compose.name}-db-1"] == before[f"{compose.name}-db-1"]
    assert after[f"{compose.name}-web-1"] != before[f"{compose.name}-web-1"]
    web = containers(compose)[f"{compose.name}-web-1"]
    assert web.attrs["Config"]["Cmd"] == ["sleep", "601"]
    assert web.status == "running"


def test_dry_run_shows_why_and_changes_nothing(compose):
    compose.write(BASIC)
    compose.run("up", "-d")
    before = ids(compose)
    compose.write(CHANGED)

    text = compose.run("up", "-d", "--dry-run")
    as_json = compose.run("up", "-d", "--dry-run", "--format", "json")

    assert ids(compose) == before
    assert f"recreate container {compose.name}-web-1\n" in text.stdout
    assert 'command: ["sleep", "600"] -> ["sleep", "601"]' in text.stdout
    assert f"keep     container {compose.name}-db-1 (up to date)" in text.stdout
    plan = json.loads(as_json.stdout)
    recreate = [op for op in plan["operations"] if op["action"] == "recreate"]
    assert recreate[0]["changes"] == [
        {"field": "command", "old": ["sleep", "600"], "new": ["sleep", "601"]}
    ]


def test_down_dry_run_then_down_removes_everything(compose):
    compose.write(BASIC)
    compose.run("up", "-d")

    plan = compose.run("down", "--dry-run")
    assert len(containers(compose)) == 2
    compose.run("down", "-t", "1")

    assert f"stop     container {compose.name}-web-1" in plan.stdout
    assert f"remove   network {compose.name}_default" in plan.stdout
    assert containers(compose) == {}
    assert compose.client.networks.list(names=[f"{compose.name}_default"]) == []


def test_anonymous_volume_data_survives_a_recreate(compose):
    spec = """
services:
  store:
    image: compose-core-test/busybox:latest
    command: sh -c 'test -f /data/kept || echo precious > /data/kept; sleep 600'
    environment:
      GENERATION: "{generation}"
    volumes:
      - /data
"""
    compose.write(spec.format(generation=1))
    compose.run("up", "-d")
    first = containers(compose)[f"{compose.name}-store-1"]
    first_volume = [m["Name"] for m in first.attrs["Mounts"] if m["Destination"] == "/data"]

    compose.write(spec.format(generation=2))
    compose.run("up", "-d")

    second = containers(compose)[f"{compose.name}-store-1"]
    assert second.id != first.id
    second_volume = [m["Name"] for m in second.attrs["Mounts"] if m["Destination"] == "/data"]
    assert second_volume == first_volume
    output = second.exec_run(["cat", "/data/kept"]).output
    assert output == b"precious\n"


def test_renew_anon_volumes_gives_a_fresh_volume(compose):
    compose.write(
        "services:\n  s:\n    image: compose-core-test/busybox:latest\n"
        "    command: sleep 600\n    volumes: [/data]\n"
    )
    compose.run("up", "-d")
    first = containers(compose)[f"{compose.name}-s-1"].attrs["Mounts"][0]["Name"]

    compose.run("up", "-d", "-V")

    second = containers(compose)[f"{compose.name}-s-1"].attrs["Mounts"][0]["Name"]
    assert second != first


def test_scale_up_and_down_removes_highest_numbers(compose):
    compose.write(BASIC)
    compose.run("up", "-d", "--scale", "web=3")
    assert sorted(containers(compose, service="web")) == [
        f"{compose.name}-web-{n}" for n in (1, 2, 3)
    ]

    compose.run("up", "-d", "--scale", "web=1", "-t", "1")

    assert sorted(containers(compose, service="web")) == [f"{compose.name}-web-1"]


def test_remove_orphans(compose):
    compose.write(BASIC)
    compose.run("up", "-d")
    compose.write(BASIC.replace("    depends_on: [db]\n", "").split("  db:")[0])

    warned = compose.run("up", "-d")
    compose.run("up", "-d", "--remove-orphans", "-t", "1")

    assert "orphan containers" in warned.stderr and f"{compose.name}-db-1" in warned.stderr
    assert sorted(containers(compose)) == [f"{compose.name}-web-1"]


def test_no_deps_starts_only_the_named_service(compose):
    compose.write(BASIC)

    compose.run("up", "-d", "--no-deps", "web")

    assert sorted(containers(compose)) == [f"{compose.name}-web-1"]


def test_create_makes_stopped_containers(compose):
    compose.write(BASIC)

    compose.run("create")

    assert {c.status for c in containers(compose).values()} == {"created"}


def test_compatibility_mode_names_and_prints_like_classic_compose(compose):
    compose.write(BASIC)

    up = compose.run("--compatibility", "up", "-d")
    again = compose.run("--compatibility", "up", "-d")
    down = compose.run("--compatibility", "down", "-t", "1")

    name = compose.name
    assert f'Creating network "{name}_default" with the default driver' in up.stderr
    assert f"Creating {name}_db_1 ... done" in up.stderr
    assert f"Creating {name}_web_1 ... done" in up.stderr
    assert f"{name}_web_1 is up-to-date" in again.stderr
    assert f"Removing network {name}_default" in down.stderr
    assert containers(compose) == {}


@pytest.mark.parametrize(
    ("compose_file", "fragment"),
    [
        (
            # A missing image is pulled, as Compose does; here no registry answers.
            "services:\n  a:\n    image: compose-core-test/no-such-image:1\n",
            "service a: cannot pull image compose-core-test/no-such-image:1",
        ),
        (
            "services:\n  a:\n    image: compose-core-test/no-such-image:1\n"
            "    pull_policy: never\n",
            "compose-core-test/no-such-image:1",
        ),
    ],
)
def test_up_failure_is_one_clear_line_and_starts_nothing(compose, compose_file, fragment):
    compose.write(compose_file)

    result = compose.run("up", "-d", check=False)

    assert result.returncode == 1
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert containers(compose) == {}


def test_port_already_taken_is_one_clear_line(compose):
    compose.write(
        "services:\n  a:\n    image: compose-core-test/busybox:latest\n    command: sleep 600\n"
        "    ports: ['127.0.0.1:18431:80']\n"
        "  b:\n    image: compose-core-test/busybox:latest\n    command: sleep 600\n"
        "    ports: ['127.0.0.1:18431:80']\n    depends_on: [a]\n"
    )

    result = compose.run("up", "-d", check=False)

    assert result.returncode == 1
    assert "port is already allocated" in result.stderr
    assert "Traceback" not in result.stderr


def test_engine_unreachable_is_one_clear_line(compose):
    compose.write(BASIC)

    result = compose.run("up", "-d", check=False, env={"DOCKER_HOST": "unix:///nonexistent.sock"})

    assert result.returncode == 1
    assert "Cannot connect to the Docker daemon at unix:///nonexistent.sock" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("interrupt", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill"])
def test_interrupted_up_leaves_what_the_next_up_converges(compose, interrupt):
    services = "".join(
        f"  s{i}:\n    image: compose-core-test/busybox:latest\n    command: sleep 60{i}\n"
        "    stop_signal: SIGKILL\n"
        for i in range(12)
    )
    compose.write(f"services:\n{services}")
    compose.run("up", "-d")
    compose.write(f"services:\n{services.replace('sleep 60', 'sleep 70')}")

    # Interrupt a recreate of every service part way (Ctrl-C lets the started work finish;
    # a kill can leave temporary names and two containers of one number), then converge.
    interrupted = subprocess.Popen(
        [str(compose.cli), "-p", compose.name, "up", "-d"],
        cwd=compose.dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.8)
    interrupted.send_signal(interrupt)
    _, stderr = interrupted.communicate(timeout=60)
    compose.run("up", "-d")

    assert interrupted.returncode in (0, 130, -signal.SIGKILL), stderr
    assert "Traceback" not in stderr
    found = containers(compose)
    assert sorted(found) == sorted(f"{compose.name}-s{i}-1" for i in range(12))
    for name, container in found.items():
        number = name.split("-s")[-1].removesuffix("-1")
        assert container.attrs["Config"]["Cmd"] == ["sleep", f"70{number}"]
        assert container.status == "running"
