"""Fixtures shared by the integration and acceptance suites.

Nothing here touches the engine unless a test asks for `docker_client` or
`compose`: the unit suite runs on a machine without Docker.

Engine rule: under CI (env CI=true) a missing engine fails the tests that need
it; elsewhere they are skipped.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

import docker
import docker.errors
import pytest

TEST_IMAGE = "compose-core-test/busybox:latest"
PROJECT_LABEL = "com.docker.compose.project"
CLI_NAME = "docker-compose"
STOP_TIMEOUT_SECONDS = 1


def running_under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def engine_unavailable(reason: str) -> NoReturn:
    """Fail under CI, skip elsewhere: a CI run must never hide a missing engine."""
    message = f"no Docker engine answers ({reason}); run `make engine` to start one"
    if running_under_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def installed_cli() -> Path:
    """The docker-compose script of the venv running pytest, else the one on PATH."""
    beside_python = Path(sys.executable).parent / CLI_NAME
    if beside_python.exists():
        return beside_python

    on_path = shutil.which(CLI_NAME)
    if on_path is None:
        pytest.fail(f"no {CLI_NAME} next to {sys.executable} nor on PATH; run `make install`")
    return Path(on_path)


@pytest.fixture(scope="session")
def docker_client() -> Iterator[docker.DockerClient]:
    try:
        client = docker.from_env()
        client.ping()
    except docker.errors.DockerException as error:
        engine_unavailable(str(error))

    yield client
    client.close()


@pytest.fixture(scope="session")
def test_image(docker_client: docker.DockerClient) -> str:
    """The local busybox image; scripts/base-images.sh builds it."""
    try:
        docker_client.images.get(TEST_IMAGE)
    except docker.errors.ImageNotFound:
        pytest.fail(f"image {TEST_IMAGE} is missing; run `make images`", pytrace=False)
    return TEST_IMAGE


class ComposeProject:
    """A temporary project directory and name, and a runner for the installed CLI."""

    def __init__(self, directory: Path, name: str, client: docker.DockerClient) -> None:
        self.dir = directory
        self.name = name
        self.client = client
        self.cli = installed_cli()

    def write(self, text: str, filename: str = "compose.yaml") -> Path:
        """Write `text`, dedented, to `filename` under the project dir; return its path."""
        path = self.dir / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
        return path

    def run(
        self,
        *args: str,
        check: bool = True,
        input: str | None = None,
        env: Mapping[str, str | None] | None = None,
        timeout: float = 120,
    ) -> subprocess.CompletedProcess[str]:
        """Run `docker-compose -p <name> *args` in the project dir.

        `env` entries are laid over the current environment; a None value
        removes that variable.
        """
        command = [str(self.cli), "-p", self.name, *args]
        try:
            result = subprocess.run(
                command,
                cwd=self.dir,
                input=input,
                env=merged_environment(env),
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as error:
            pytest.fail(f"{describe(command)} timed out after {timeout}s\n{streams(error)}")

        if check and result.returncode != 0:
            pytest.fail(f"{describe(command)} exited {result.returncode}\n{streams(result)}")
        return result

    def remove_resources(self) -> None:
        remove_project_resources(self.client, self.name)


def merged_environment(overrides: Mapping[str, str | None] | None) -> dict[str, str]:
    environment = dict(os.environ)
    for key, value in (overrides or {}).items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    return environment


def describe(command: list[str]) -> str:
    return "`" + " ".join(command) + "`"


def streams(result: Any) -> str:
    def text(value: str | bytes | None) -> str:
        if isinstance(value, bytes):
            return value.decode(errors="replace")
        return value or ""

    return f"--- stdout ---\n{text(result.stdout)}--- stderr ---\n{text(result.stderr)}"


def already_gone(error: docker.errors.APIError) -> bool:
    """True for errors meaning the resource is gone or going: nothing left to do."""
    if isinstance(error, docker.errors.NotFound):
        return True
    return error.status_code == 409 and "in progress" in str(error.explanation)


def attempt(action: Callable[[], object], failures: list[str], what: str) -> None:
    try:
        action()
    except docker.errors.APIError as error:
        if not already_gone(error):
            failures.append(f"{what}: {error.explanation or error}")


def stop_all(containers: list[Any], failures: list[str]) -> None:
    """Stop every container in parallel and wait until all have stopped."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        stops = [
            pool.submit(
                attempt,
                partial(c.stop, timeout=STOP_TIMEOUT_SECONDS),
                failures,
                f"stop container {c.name}",
            )
            for c in containers
        ]
        for stop in stops:
            stop.result()


def remove_project_resources(client: docker.DockerClient, project: str) -> None:
    """Remove everything labelled with the project, in an order the engine accepts.

    Every container is stopped before any is removed: on engine 20.10, removing
    some containers of a network while others are still stopping can leave the
    network undeletable until dockerd restarts. Raises RuntimeError, after trying
    everything, when something could not be removed.
    """
    label_filter = {"label": f"{PROJECT_LABEL}={project}"}
    failures: list[str] = []
    containers = client.containers.list(all=True, filters=label_filter, ignore_removed=True)
    stop_all(containers, failures)

    for container in containers:
        remove = partial(container.remove, v=True, force=True)
        attempt(remove, failures, f"remove container {container.name}")
    for network in client.networks.list(filters=label_filter):
        attempt(network.remove, failures, f"remove network {network.name}")
    for volume in client.volumes.list(filters=label_filter):
        attempt(partial(volume.remove, force=True), failures, f"remove volume {volume.name}")

    if failures:
        raise RuntimeError(f"project {project} left resources behind: " + "; ".join(failures))


@pytest.fixture
def compose(docker_client: docker.DockerClient, tmp_path: Path) -> Iterator[ComposeProject]:
    """A fresh project `cc-test-<random8>` in a temp dir, removed from the engine after."""
    project = ComposeProject(tmp_path, f"cc-test-{secrets.token_hex(4)}", docker_client)
    yield project
    project.remove_resources()
