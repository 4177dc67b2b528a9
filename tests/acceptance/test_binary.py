"""The static binary: on this host, with /tmp noexec, and in a container without libc."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import docker
import pytest

from compose_core import __version__
from support.distribution import IMAGE, REPO

# /tmp stays as it is, but nothing on it may be executed (in a private mount namespace).
NOEXEC_TMP = "mount --bind /tmp /tmp && mount -o remount,bind,noexec /tmp"


def test_binary_is_static_and_prints_version(binary: Path) -> None:
    ldd = subprocess.run(["ldd", str(binary)], capture_output=True, text=True)
    result = subprocess.run([str(binary), "version", "--short"], capture_output=True, text=True)

    assert "not a dynamic executable" in ldd.stdout + ldd.stderr
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == __version__


def test_binary_with_noexec_tmp_unpacks_where_tmpdir_points(binary: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "compose.yaml").write_text("services:\n  web:\n    image: busybox:latest\n")
    unpack_dir = REPO / "build" / f"unpack-{tmp_path.name}"  # off /tmp, so executable
    shutil.rmtree(unpack_dir, ignore_errors=True)
    unpack_dir.mkdir(parents=True)
    script = f'{NOEXEC_TMP} && cd "$1" && TMPDIR="$2" "$3" config --services'

    result = subprocess.run(
        ["unshare", "--mount", "sh", "-c", script, "sh", str(project), str(unpack_dir), binary],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["web"]
    leftovers = list(unpack_dir.iterdir())
    unpack_dir.rmdir()
    assert leftovers == [], "the binary left its unpacked files behind"


def test_binary_bad_compose_file_one_paragraph_exit_1(binary: Path, tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: [1, 2]\n")

    result = subprocess.run([str(binary), "config"], cwd=tmp_path, capture_output=True, text=True)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "web" in result.stderr and "image" in result.stderr


def test_image_is_from_scratch_and_small(image: str, docker_client: docker.DockerClient) -> None:
    attributes = docker_client.images.get(image).attrs
    latest = docker_client.images.get("compose-core:latest")

    assert latest.id == attributes["Id"]
    assert attributes["Size"] <= 30 * 1024 * 1024
    assert len(attributes["RootFS"]["Layers"]) == 1, "FROM scratch: one layer only"
    assert attributes["Config"]["Entrypoint"] == ["/usr/local/bin/docker-compose"]


def run_in_image(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The image with no libc in it, /tmp noexec, the socket and the project mounted."""
    command = [
        "docker", "run", "--rm", "--tmpfs", "/tmp:noexec",
        "-v", "/var/run/docker.sock:/var/run/docker.sock",
        "-v", f"{project}:{project}", "-w", str(project),
        IMAGE, *args,
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


def test_image_without_libc_runs_up_ps_down_through_socket(
    image: str, compose: object, docker_client: docker.DockerClient
) -> None:
    compose.write(
        """
        services:
          web:
            image: busybox:latest
            command: ["sleep", "600"]
        """
    )
    name = compose.name

    up = run_in_image(compose.dir, "-p", name, "up", "-d")
    ps = run_in_image(compose.dir, "-p", name, "ps", "--format", "json")
    running = docker_client.containers.list(filters={"label": f"com.docker.compose.project={name}"})
    down = run_in_image(compose.dir, "-p", name, "down")
    left = docker_client.containers.list(
        all=True, filters={"label": f"com.docker.compose.project={name}"}
    )

    assert up.returncode == 0, up.stderr
    assert [container.name for container in running] == [f"{name}-web-1"]
    assert ps.returncode == 0, ps.stderr
    assert f"{name}-web-1" in json.dumps(json.loads(ps.stdout))
    assert down.returncode == 0, down.stderr
    assert left == []


@pytest.mark.parametrize("missing", ["/nowhere/compose.yaml"])
def test_image_missing_file_clear_error(image: str, tmp_path: Path, missing: str) -> None:
    result = run_in_image(tmp_path, "-f", missing, "config")

    assert result.returncode == 1
    assert missing in result.stderr
    assert "Traceback" not in result.stderr
