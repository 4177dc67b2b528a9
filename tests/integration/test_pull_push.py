"""pull, push and the pull policies against real local registries (open and with auth)."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import docker
import docker.errors
import pytest

from support.registry import (
    Registries,
    build_multi_layer,
    environment_without_docker_config,
    push,
    start_registries,
)


@pytest.fixture(scope="session")
def registries() -> Registries:
    return start_registries()


@pytest.fixture(scope="module")
def remote_image(
    registries: Registries, docker_client: docker.DockerClient, tmp_path_factory
) -> Iterator[str]:
    """A several-layer image in the open registry, absent locally."""
    tag = f"{registries.open}/cc-test/multi-{secrets.token_hex(3)}:1"
    build_multi_layer(docker_client, tag, tmp_path_factory.mktemp("multi"))
    push(docker_client, tag)
    docker_client.images.remove(tag, force=True)
    yield tag
    _remove(docker_client, tag)


@pytest.fixture
def no_local(docker_client: docker.DockerClient, remote_image: str) -> str:
    _remove(docker_client, remote_image)
    return remote_image


def _remove(client: docker.DockerClient, tag: str) -> None:
    try:
        client.images.remove(tag, force=True)
    except docker.errors.ImageNotFound:
        pass


def _exists(client: docker.DockerClient, tag: str) -> bool:
    try:
        client.images.get(tag)
    except docker.errors.ImageNotFound:
        return False
    return True


def test_pull_fetches_every_layer_with_progress(compose, docker_client, no_local) -> None:
    compose.write(f"services:\n  db:\n    image: {no_local}\n")
    result = compose.run("pull")
    assert _exists(docker_client, no_local)
    assert " db Pulling" in result.stderr and " db Pulled" in result.stderr
    assert result.stderr.count("Pull complete") == 4  # the busybox layer already exists
    assert "Downloading [" in result.stderr or "Extracting [" in result.stderr


def test_pull_quiet_prints_nothing(compose, docker_client, no_local) -> None:
    compose.write(f"services:\n  db:\n    image: {no_local}\n")
    result = compose.run("pull", "-q")
    assert (result.stdout, result.stderr) == ("", "")
    assert _exists(docker_client, no_local)


def test_pull_in_compatibility_mode_prints_classic_lines(compose, no_local) -> None:
    compose.write(f"services:\n  db:\n    image: {no_local}\n  web:\n    build: .\n")
    result = compose.run("--compatibility", "pull")
    lines = result.stderr.split("\n")
    assert lines[:3] == ["Pulling db  ... ", "Pulling web ... ", "Pulling web ... done"]
    assert "Pulling db  ... pull complete" in lines
    assert lines[-2:] == ["Pulling db  ... done", ""]


def test_pull_unknown_image_is_one_clear_error(compose, registries) -> None:
    missing = f"{registries.open}/cc-test/absent-{secrets.token_hex(3)}:1"
    compose.write(f"services:\n  db:\n    image: {missing}\n")
    result = compose.run("pull", "-q", check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].startswith(f"service db: cannot pull image {missing}:")
    assert "manifest unknown" in result.stderr


def test_ignore_pull_failures_pulls_the_rest(compose, docker_client, registries, no_local):
    missing = f"{registries.open}/cc-test/absent-{secrets.token_hex(3)}:1"
    compose.write(f"services:\n  db:\n    image: {no_local}\n  bad:\n    image: {missing}\n")
    result = compose.run("pull", "--ignore-pull-failures")
    assert _exists(docker_client, no_local)
    assert " bad Error" in result.stderr


def test_pull_include_deps_and_policy_missing(compose, docker_client, no_local) -> None:
    compose.write(
        f"""
        services:
          app:
            image: compose-core-test/busybox:latest
            depends_on: [db]
          db:
            image: {no_local}
        """
    )
    compose.run("pull", "--policy", "missing", "app")
    assert not _exists(docker_client, no_local)
    result = compose.run("pull", "--policy", "missing", "--include-deps", "app")
    assert _exists(docker_client, no_local)
    assert "app Skipped - Image is already present locally" in result.stderr


def test_unreachable_registry_is_one_clear_error(compose) -> None:
    compose.write("services:\n  db:\n    image: 127.0.0.1:5099/nothing/here:1\n")
    result = compose.run("pull", "-q", check=False)
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("service db: cannot pull image 127.0.0.1:5099/nothing/here:1:")
    assert "connection refused" in first
    assert "reachable" in result.stderr


# Authentication


@pytest.fixture(scope="module")
def private_image(registries, docker_client, remote_image) -> Iterator[str]:
    """The several-layer image, pushed to the auth registry with the SDK."""
    tag = remote_image.replace(registries.open, registries.auth)
    docker_client.images.pull(remote_image)
    docker_client.images.get(remote_image).tag(tag)
    push(docker_client, tag, {"username": registries.user, "password": registries.password})
    _remove(docker_client, tag)
    yield tag
    _remove(docker_client, tag)


def test_pull_with_auths_from_docker_config(compose, docker_client, registries, private_image):
    config = registries.docker_config(compose.dir / "docker-config")
    compose.write(f"services:\n  db:\n    image: {private_image}\n")
    compose.run("pull", "-q", env={"DOCKER_CONFIG": str(config)})
    assert _exists(docker_client, private_image)
    _remove(docker_client, private_image)


def test_pull_without_credentials_is_refused_clearly(compose, registries, private_image):
    env = environment_without_docker_config(compose.dir / "empty-config")
    compose.write(f"services:\n  db:\n    image: {private_image}\n")
    result = compose.run("pull", "-q", env=env, check=False)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith(
        f"service db: cannot pull image {private_image}"
    )
    assert "docker login" in result.stderr


def test_wrong_password_is_refused_clearly(compose, registries, private_image) -> None:
    config = registries.docker_config(compose.dir / "bad-config", password="wrong")
    compose.write(f"services:\n  db:\n    image: {private_image}\n")
    result = compose.run("pull", "-q", env={"DOCKER_CONFIG": str(config)}, check=False)
    assert result.returncode == 1
    assert "unauthorized" in result.stderr.splitlines()[0]
    assert "Traceback" not in result.stderr


def _credential_helper(directory: Path, registries: Registries) -> dict[str, str]:
    """A `docker-credential-cctest` helper on PATH and a config that names it."""
    bin_dir = directory / "bin"
    bin_dir.mkdir(parents=True)
    helper = bin_dir / "docker-credential-cctest"
    helper.write_text(
        "#!/bin/sh\n"
        '[ "$1" = get ] || exit 1\n'
        "read server\n"
        f'printf \'{{"ServerURL":"%s","Username":"{registries.user}",'
        f'"Secret":"{registries.password}"}}\' "$server"\n'
    )
    helper.chmod(0o755)
    config = directory / "config"
    config.mkdir()
    (config / "config.json").write_text(f'{{"credHelpers": {{"{registries.auth}": "cctest"}}}}')

    return {"DOCKER_CONFIG": str(config), "PATH": f"{bin_dir}:{os.environ['PATH']}"}


def test_push_and_pull_with_a_credential_helper(compose, docker_client, registries) -> None:
    env = _credential_helper(compose.dir / "helper", registries)
    image = f"{registries.auth}/cc-test/{compose.name}:2"
    compose.write(f"services:\n  web:\n    build: .\n    image: {image}\n")
    (compose.dir / "Dockerfile").write_text(
        "FROM compose-core-test/busybox:latest\nRUN echo pushed > /marker\n"
    )
    compose.run("build", "-q")
    result = compose.run("push", env=env)
    assert " web Pushed" in result.stderr
    _remove(docker_client, image)
    compose.run("pull", "-q", env=env)
    assert _exists(docker_client, image)
    _remove(docker_client, image)


def test_push_to_the_open_registry_and_ignore_push_failures(compose, docker_client, registries):
    good = f"{registries.open}/cc-test/{compose.name}:1"
    refused = f"{registries.auth}/cc-test/{compose.name}:1"
    compose.write(
        f"""
        services:
          good:
            build: .
            image: {good}
          refused:
            build: .
            image: {refused}
          db:
            image: compose-core-test/busybox:latest
        """
    )
    (compose.dir / "Dockerfile").write_text("FROM compose-core-test/busybox:latest\n")
    compose.run("build", "-q")
    env = environment_without_docker_config(compose.dir / "empty-config")
    failed = compose.run("push", "good", "refused", env=env, check=False)
    assert failed.returncode == 1
    assert f"service refused: cannot push image {refused}" in failed.stderr
    result = compose.run("push", "--ignore-push-failures", env=env)
    assert (
        " good Pushed" in result.stderr and " db Skipped - No image to be pushed" in result.stderr
    )
    for tag in (good, refused):
        _remove(docker_client, tag)
    compose.run("pull", "-q", "good")
    assert _exists(docker_client, good)
    _remove(docker_client, good)


# Pull policies in `up`


def _up_service(image: str, policy: str | None) -> str:
    line = f"    pull_policy: {policy}\n" if policy else ""
    return f"services:\n  db:\n    image: {image}\n    command: sleep 600\n{line}"


def test_policy_missing_pulls_once(compose, docker_client, no_local) -> None:
    compose.write(_up_service(no_local, "missing"))
    first = compose.run("up", "-d")
    assert " db Pulled" in first.stderr
    second = compose.run("up", "-d")
    assert "Pulling" not in second.stderr


def test_policy_never_refuses_a_missing_image(compose, docker_client, no_local) -> None:
    compose.write(_up_service(no_local, "never"))
    result = compose.run("up", "-d", check=False)
    assert result.returncode == 1
    assert "pull_policy never" in result.stderr.splitlines()[0]
    assert not docker_client.containers.list(all=True, filters={"name": compose.name})


def test_policy_always_pulls_a_present_image(compose, docker_client, no_local) -> None:
    compose.write(_up_service(no_local, "always"))
    compose.run("pull", "-q")
    result = compose.run("up", "-d")
    assert " db Pulled" in result.stderr


def test_time_policies(compose, docker_client, no_local) -> None:
    compose.write(_up_service(no_local, "daily"))
    compose.run("pull", "-q")
    assert "Pulling" not in compose.run("up", "-d").stderr
    time.sleep(1.2)
    compose.write(_up_service(no_local, "every_1s"))
    assert " db Pulled" in compose.run("up", "-d").stderr


def test_up_pull_flag_overrides_the_policy(compose, docker_client, no_local) -> None:
    compose.write(_up_service(no_local, "never"))
    result = compose.run("up", "-d", "--pull", "missing")
    assert " db Pulled" in result.stderr
    assert "Pulling" not in compose.run("up", "-d", "--pull", "missing").stderr
    assert " db Pulled" in compose.run("up", "-d", "--pull", "always").stderr


def test_down_rmi_all_removes_pulled_images(compose, docker_client, no_local) -> None:
    compose.write(_up_service(no_local, None))
    compose.run("up", "-d")
    result = compose.run("down", "--rmi", "all")
    assert f"Image {no_local} Removed" in result.stderr
    assert not _exists(docker_client, no_local)


def test_build_pull_checks_the_base_image_in_its_registry(compose, docker_client, registries):
    base = f"{registries.open}/cc-test/base-{compose.name}:1"
    built = f"{compose.name}-web"
    docker_client.images.get("compose-core-test/busybox:latest").tag(base)
    try:
        push(docker_client, base)
        (compose.dir / "Dockerfile").write_text(f"FROM {base}\nRUN echo layer > /layer\n")
        compose.write("services:\n  web:\n    build: .\n")
        assert "Pulling from" not in compose.run("build").stderr
        assert "Pulling from" in compose.run("build", "--pull").stderr
    finally:
        _remove(docker_client, base)
        _remove(docker_client, built)


def test_up_builds_when_the_named_image_cannot_be_pulled(compose, docker_client, registries):
    image = f"{registries.open}/cc-test/unpushed-{compose.name}:1"
    (compose.dir / "Dockerfile").write_text(
        'FROM compose-core-test/busybox:latest\nCMD ["sleep", "600"]\n'
    )
    compose.write(f"services:\n  web:\n    build: .\n    image: {image}\n")
    try:
        result = compose.run("up", "-d")
        assert " web Warning" in result.stderr and "manifest unknown" in result.stderr
        assert " web Built" in result.stderr
        assert _exists(docker_client, image)
    finally:
        _remove(docker_client, image)


def test_up_in_compatibility_mode_pulls_as_1_29_2(compose, no_local) -> None:
    compose.write(_up_service(no_local, None))
    result = compose.run("--compatibility", "up", "-d")
    assert result.stderr.startswith(f"Pulling db ({no_local})...\n")
    assert result.stdout.splitlines()[0] == f"1: Pulling from {no_local.split('/', 1)[1][:-2]}"
    assert result.stdout.splitlines()[-1] == f"Status: Downloaded newer image for {no_local}"
