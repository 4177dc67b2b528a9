"""The static binary: on this host, with /tmp noexec, and in a container without libc.

The binary unpacks its libraries once into a cache directory (release/launcher/); the
image holds them unpacked already, so it runs on a read-only root.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
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


def unpacked_trees(cache: Path) -> list[Path]:
    return sorted(cache.iterdir()) if cache.is_dir() else []


def run_binary(binary: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(binary), *args], env=env, capture_output=True, text=True)


@pytest.fixture
def exec_dir() -> Iterator[Path]:
    """A fresh directory off /tmp (so programs may run from it, and a noexec tmpfs on /tmp
    does not hide it), removed afterwards."""
    base = REPO / "build"
    if REPO.is_relative_to("/tmp"):
        # A checkout under /tmp (CI may clone there): work beside /var/lib instead.
        base = Path("/var/lib/compose-core-tests") if os.geteuid() == 0 else Path.home()
    base.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix="binary-test-", dir=base))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_binary_unpacks_once_into_its_cache(binary: Path, exec_dir: Path) -> None:
    cache = exec_dir / "cache"
    env = {**os.environ, "COMPOSE_CORE_CACHE": str(cache)}
    # What a start killed while it unpacked left, an hour ago (goes) and now (may be
    # another start's unpacking in progress: stays).
    cut_short = cache / ".unpacking-0.0.9-0123456789abcdef-Ab12Cd"
    in_progress = cache / ".unpacking-0.0.9-0123456789abcdef-Ef34Gh"
    (cut_short / "app").mkdir(parents=True)
    (in_progress / "app").mkdir(parents=True)
    os.utime(cut_short, (time.time() - 3600, time.time() - 3600))

    first = run_binary(binary, env, "version", "--short")
    in_progress.rename(exec_dir / "in-progress")
    [tree] = unpacked_trees(cache)
    unpacked_at = (tree.stat().st_ino, tree.stat().st_mtime_ns)
    second = run_binary(binary, env, "docker-cli-plugin-metadata")

    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == __version__
    assert tree.name.startswith(f"{__version__}-")
    assert (tree / "lib" / "ld-linux-x86-64.so.2").is_file()
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["Version"] == f"v{__version__}"
    assert unpacked_trees(cache) == [tree], "a second start unpacked again"
    assert (tree.stat().st_ino, tree.stat().st_mtime_ns) == unpacked_at


def test_binary_started_many_times_at_once_unpacks_one_tree(binary: Path, exec_dir: Path) -> None:
    cache = exec_dir / "cache"
    env = {**os.environ, "COMPOSE_CORE_CACHE": str(cache)}

    starts = [
        subprocess.Popen([str(binary), "version", "--short"], env=env, stdout=subprocess.PIPE)
        for _ in range(6)
    ]
    outputs = [start.communicate(timeout=120)[0] for start in starts]

    assert [start.returncode for start in starts] == [0] * 6
    assert {output.strip() for output in outputs} == {__version__.encode()}
    assert [tree.name.startswith(f"{__version__}-") for tree in unpacked_trees(cache)] == [True]


def without_cache_settings() -> dict[str, str]:
    hidden = {"TMPDIR", "HOME", "XDG_CACHE_HOME", "COMPOSE_CORE_CACHE"}
    return {key: value for key, value in os.environ.items() if key not in hidden}


def run_in_namespace(script: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`script` in a private mount namespace, where it may remount without touching the host."""
    return subprocess.run(
        ["unshare", "--mount", "sh", "-c", script, "sh", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_binary_with_noexec_tmp_and_no_tmpdir_unpacks_next_to_itself(
    binary: Path, exec_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: busybox:latest\n")
    home = tmp_path / "home"  # on the noexec /tmp: skipped
    copy = exec_dir / "docker-compose"
    shutil.copy2(binary, copy)
    script = f'{NOEXEC_TMP} && cd "$1" && HOME="$2" "$3" config --services'
    env = without_cache_settings()

    result = run_in_namespace(script, str(tmp_path), str(home), str(copy), env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["web"]
    assert len(unpacked_trees(exec_dir / ".compose-core-cache")) == 1
    assert not (home / ".cache" / "compose-core").exists(), "unpacked on a noexec file system"


def test_binary_without_home_in_a_read_only_dir_unpacks_into_var_tmp(
    binary: Path, exec_dir: Path
) -> None:
    copy = exec_dir / "docker-compose"
    shutil.copy2(binary, copy)
    # A fresh /var/tmp (programs may run from it), the binary's own directory read-only.
    script = (
        f"{NOEXEC_TMP} && mount -t tmpfs tmpfs /var/tmp"
        ' && mount --bind "$1" "$1" && mount -o remount,bind,ro "$1"'
        ' && "$1/docker-compose" version --short && ls "/var/tmp/compose-core-$(id -u)"'
    )

    result = run_in_namespace(script, str(exec_dir), env=without_cache_settings())

    assert result.returncode == 0, result.stderr
    version, tree = result.stdout.split()
    assert version == __version__
    assert tree.startswith(f"{__version__}-")
    assert not (exec_dir / ".compose-core-cache").exists()


def test_binary_with_nowhere_to_unpack_says_what_to_set(binary: Path, exec_dir: Path) -> None:
    copy = exec_dir / "docker-compose"
    shutil.copy2(binary, copy)
    # /var/tmp's directory for this user belongs to no one else, but others may write to
    # it: not used, as someone else may have planted the files in it.
    script = (
        f"{NOEXEC_TMP} && mount -t tmpfs tmpfs /var/tmp"
        ' && mkdir -m 777 "/var/tmp/compose-core-$(id -u)"'
        ' && mount --bind "$1" "$1" && mount -o remount,bind,ro "$1"'
        ' && "$1/docker-compose" version'
    )

    result = run_in_namespace(script, str(exec_dir), env=without_cache_settings())

    assert result.returncode == 1
    assert result.stdout == ""
    assert "COMPOSE_CORE_CACHE" in result.stderr and "noexec" in result.stderr
    assert "/var/tmp/compose-core-" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


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
    """The image with no libc in it, its root read-only, /tmp noexec, no HOME, the socket
    and the project mounted."""
    command = [
        "docker", "run", "--rm", "--read-only", "--tmpfs", "/tmp:noexec", "-e", "HOME=",
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
