"""build, up --build / --no-build and down --rmi on the real engine."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docker
import docker.errors
import pytest

BASE = "compose-core-test/busybox:latest"
LISTING_DOCKERFILE = f"""\
FROM {BASE}
COPY . /ctx
RUN cd /ctx && find . | sort > /listing
"""
CONTEXT_FILES = [
    "app/main.py",
    "app/main.pyc",
    "app/lib/util.pyc",
    "app/lib/keep.pyc",
    "docs/guide.md",
    "docs/api/index.md",
    "notes.txt",
    "secret.env",
    "build/out.bin",
    "build/keep/me.txt",
    "root.log",
    "deep/a/b/c.log",
]
DOCKERIGNORE = """\
# comments and blank lines are skipped

**/*.pyc
!app/lib/keep.pyc
/docs
!docs/api
*.env
build
!build/keep/me.txt
*.log
Dockerfile
.dockerignore
"""


def _images(client: docker.DockerClient, *names: str) -> dict[str, str | None]:
    found = {}
    for name in names:
        try:
            found[name] = client.images.get(name).id
        except docker.errors.ImageNotFound:
            found[name] = None
    return found


def _remove(client: docker.DockerClient, *names: str) -> None:
    for name in names:
        try:
            client.images.remove(name, force=True)
        except docker.errors.ImageNotFound:
            pass


def _listing(client: docker.DockerClient, image: str) -> list[str]:
    output = client.containers.run(image, ["cat", "/listing"], remove=True)
    return output.decode().split()


@pytest.fixture
def context_tree(compose) -> Path:
    for name in CONTEXT_FILES:
        path = compose.dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)
    (compose.dir / ".dockerignore").write_text(DOCKERIGNORE)
    (compose.dir / "Dockerfile").write_text(LISTING_DOCKERFILE)
    return compose.dir


def test_dockerignore_excludes_and_reincludes_as_docker_build(compose, docker_client, context_tree):
    compose.write("services:\n  web:\n    build: .\n")
    ours = f"{compose.name}-web"
    reference = f"{compose.name}-reference"
    try:
        compose.run("build", "-q")
        docker_cli = shutil.which("docker")
        assert docker_cli, "the docker CLI is needed to compare with `docker build`"
        subprocess.run(
            [docker_cli, "build", "-q", "-t", reference, str(context_tree)],
            check=True,
            capture_output=True,
            env={"DOCKER_BUILDKIT": "0", "PATH": "/usr/bin:/bin"},
        )
        sent = _listing(docker_client, ours)
        assert sent == _listing(docker_client, reference)
    finally:
        _remove(docker_client, ours, reference)
    assert "./app/lib/keep.pyc" in sent and "./app/main.pyc" not in sent
    assert "./docs/api/index.md" in sent and "./docs/guide.md" not in sent
    assert "./build/keep/me.txt" in sent and "./build/out.bin" not in sent
    # Both are sent (the build needs them) but, being ignored, are not copied.
    assert "./Dockerfile" not in sent and "./.dockerignore" not in sent
    assert "./root.log" not in sent and "./secret.env" not in sent
    assert "./deep/a/b/c.log" in sent  # `*.log` matches at the top only, as in docker build


def test_every_build_key(compose, docker_client) -> None:
    (compose.dir / "ctx").mkdir()
    (compose.dir / "ctx" / "file.txt").write_text("from the context\n")
    (compose.dir / "other.Dockerfile").write_text(
        f"""\
FROM {BASE} AS first
ARG GREETING
ARG FROM_FLAG
RUN echo "$GREETING $FROM_FLAG" > /args
RUN grep buildhost /etc/hosts > /hosts
RUN df -k /dev/shm | tail -n 1 > /shm
COPY file.txt /file.txt
FROM first AS second
RUN echo second > /stage
"""
    )
    compose.write(
        """
        services:
          web:
            build:
              context: ./ctx
              dockerfile: ../other.Dockerfile
              args:
                GREETING: hello
              target: first
              labels:
                org.example.kind: test
              cache_from: [compose-core-test/busybox:latest]
              network: host
              shm_size: 96m
              extra_hosts: ["buildhost=10.9.8.7"]
              tags: ["${PROJECT_TAG}"]
          inline:
            build:
              dockerfile_inline: |
                FROM compose-core-test/busybox:latest
                RUN echo inline > /inline
        """
    )
    extra_tag = f"{compose.name}-extra:1"
    env = {"PROJECT_TAG": extra_tag}
    try:
        compose.run("build", "--build-arg", "FROM_FLAG=flag", env=env)
        image = docker_client.images.get(f"{compose.name}-web")
        assert image.labels["org.example.kind"] == "test"
        assert extra_tag in image.tags

        def read(path: str) -> str:
            return docker_client.containers.run(image.id, ["cat", path], remove=True).decode()

        assert read("/args") == "hello flag\n"
        assert "10.9.8.7" in read("/hosts")
        assert read("/shm").split()[1] == str(96 * 1024)
        assert read("/file.txt") == "from the context\n"
        check = ["sh", "-c", "test -e /stage && echo later || echo target"]
        stage = docker_client.containers.run(image.id, check, remove=True).decode()
        assert stage == "target\n"  # the build stopped at the `first` stage
        inline = f"{compose.name}-inline"
        assert docker_client.containers.run(inline, ["cat", "/inline"], remove=True) == b"inline\n"
    finally:
        _remove(docker_client, f"{compose.name}-web", f"{compose.name}-inline", extra_tag)


def test_build_names_no_cache_quiet_and_compatibility(compose, docker_client) -> None:
    (compose.dir / "Dockerfile").write_text(f"FROM {BASE}\nRUN sleep 1 && echo built > /built\n")
    compose.write("services:\n  a:\n    build: .\n  b:\n    build: .\n  db:\n    image: x\n")
    names = [f"{compose.name}-a", f"{compose.name}-b", f"{compose.name}_a", f"{compose.name}_b"]
    try:
        quiet = compose.run("build", "-q")
        assert (quiet.stdout, quiet.stderr) == ("", "")
        assert all(_images(docker_client, *names[:2]).values())
        fresh_both = compose.run("build", "--no-cache").stderr.splitlines()
        first_built = min(fresh_both.index(" a Built "), fresh_both.index(" b Built "))
        assert fresh_both.index(" b Building ") < first_built  # built side by side
        assert fresh_both.index(" a Building ") < first_built
        flags = compose.run("build", "-m", "64m", "--compress", "--force-rm", "--no-rm", "a")
        assert " a Built" in flags.stderr
        cached = compose.run("build", "a")
        assert "Using cache" in cached.stderr
        fresh = compose.run("build", "--no-cache", "a")
        assert "Using cache" not in fresh.stderr
        classic = compose.run("--compatibility", "build")
        assert "Building a\n" in classic.stderr and "db uses an image, skipping" in classic.stderr
        assert f"Successfully tagged {compose.name}_a:latest" in classic.stdout
        assert all(_images(docker_client, *names[2:]).values())
    finally:
        _remove(docker_client, *names)


def test_failed_build_shows_engine_error_and_changes_nothing(compose, docker_client) -> None:
    (compose.dir / "Dockerfile").write_text(f"FROM {BASE}\nRUN echo about to fail && exit 3\n")
    compose.write("services:\n  web:\n    build: .\n    command: sleep 60\n")
    result = compose.run("up", "-d", check=False)
    assert result.returncode == 1
    assert "about to fail" in result.stderr
    assert "returned a non-zero code: 3" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("service web failed to build")
    label = f"com.docker.compose.project={compose.name}"
    assert not docker_client.containers.list(all=True, filters={"label": label})
    assert not docker_client.networks.list(filters={"label": label})


def test_up_builds_a_missing_image_then_reuses_it(compose, docker_client) -> None:
    (compose.dir / "Dockerfile").write_text(f'FROM {BASE}\nCMD ["sleep", "600"]\n')
    compose.write("services:\n  web:\n    build: .\n")
    image = f"{compose.name}-web"
    try:
        refused = compose.run("up", "-d", "--no-build", check=False)
        assert refused.returncode == 1
        assert "--no-build" in refused.stderr.splitlines()[0]
        first = compose.run("up", "-d")
        assert " web Built" in first.stderr
        assert " web Building" not in compose.run("up", "-d").stderr
        rebuilt = compose.run("up", "-d", "--build")
        assert " web Built" in rebuilt.stderr
        removed = compose.run("down", "--rmi", "local")
        assert f"Image {image} Removed" in removed.stderr
        assert _images(docker_client, image)[image] is None
    finally:
        _remove(docker_client, image)


def test_pull_policy_build_rebuilds_and_rmi_local_keeps_named_images(compose, docker_client):
    (compose.dir / "Dockerfile").write_text(f'FROM {BASE}\nCMD ["sleep", "600"]\n')
    named = f"{compose.name}/named:1"
    compose.write(
        f"""
        services:
          web:
            build: .
            image: {named}
            pull_policy: build
        """
    )
    try:
        assert " web Built" in compose.run("up", "-d").stderr
        assert " web Built" in compose.run("up", "-d").stderr  # `build` always builds
        compose.run("down", "--rmi", "local")
        assert _images(docker_client, named)[named] is not None
    finally:
        _remove(docker_client, named)
