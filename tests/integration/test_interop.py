"""Projects made by the classic docker-compose 1.29.2 are ours to manage, and ours theirs."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

CLASSIC = "/usr/bin/docker-compose"
PROJECT = """
version: "3.8"
services:
  web:
    image: compose-core-test/busybox:latest
    command: sleep 600
    depends_on: [db]
  db:
    image: compose-core-test/busybox:latest
    command: sleep 600
"""


@pytest.fixture
def classic():
    if not (os.path.exists(CLASSIC) and shutil.which("docker")):
        if os.environ.get("CI"):
            pytest.fail(f"{CLASSIC} (Debian's docker-compose) is missing; .ci/run installs it")
        pytest.skip(f"{CLASSIC} is not installed")
    return CLASSIC


def run_classic(compose, *args, env=None):
    return subprocess.run(
        [CLASSIC, "-p", compose.name, *args],
        cwd=compose.dir,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )


def project_containers(compose):
    label = f"com.docker.compose.project={compose.name}"
    found = compose.client.containers.list(all=True, filters={"label": label})
    return sorted(c.name for c in found)


def test_project_made_by_classic_compose_is_listed_and_taken_down_by_ours(compose, classic):
    compose.write(PROJECT)
    run_classic(compose, "up", "-d")
    assert project_containers(compose) == [f"{compose.name}_db_1", f"{compose.name}_web_1"]

    listed = compose.run("--compatibility", "ps")
    again = compose.run("--compatibility", "up", "-d")
    compose.run("--compatibility", "down", "-t", "1")

    assert f"{compose.name}_web_1" in listed.stdout
    assert f"{compose.name}_web_1" in again.stderr  # found, not duplicated
    assert project_containers(compose) == []
    assert compose.client.networks.list(names=[f"{compose.name}_default"]) == []


def test_project_made_by_ours_is_listed_and_taken_down_by_classic_compose(compose, classic):
    compose.write(PROJECT)
    compose.run("--compatibility", "up", "-d")

    listed = run_classic(compose, "ps")
    run_classic(compose, "down", "-t", "1")

    assert f"{compose.name}_web_1" in listed.stdout
    assert project_containers(compose) == []


def test_compatibility_ps_prints_what_classic_compose_prints(compose, classic):
    compose.write(
        PROJECT.replace("    depends_on: [db]\n", "    ports: ['127.0.0.1:18561:80', 9999/udp]\n")
        + "  oneshot:\n    image: compose-core-test/busybox:latest\n    command: sh -c 'exit 3'\n",
        "docker-compose.yml",
    )
    run_classic(compose, "up", "-d")
    compose.client.containers.get(f"{compose.name}_oneshot_1").wait(timeout=30)

    # Piped, 1.29.2 fits its table to COLUMNS (wrapping cells), else prints it unbounded.
    for columns in ("999", "80"):
        theirs = run_classic(compose, "ps", env={"COLUMNS": columns}).stdout
        ours = compose.run("--compatibility", "ps", env={"COLUMNS": columns}).stdout
        assert ours == theirs, f"COLUMNS={columns}; ours:\n{ours}\ntheirs:\n{theirs}"
    assert "Exit 3" in ours and "127.0.0.1:18561->80/tcp," in ours
