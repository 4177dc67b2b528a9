"""run.sh, the container launcher: what it hands docker (a stand-in records it, under
dash and busybox sh), and the real image through it from a path with a space."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from pathlib import Path

import pytest

from support.distribution import RUN_SH

SHELLS = {"dash": ["dash"], "busybox": ["/bin/busybox", "sh"]}
HOSTILE_ARGS = [
    "two words",
    "it's",
    '"double"',
    "$HOME and ${PATH}",
    "a;b && c | d",
    "back\\slash\\n",
    "new\nline",
    "",
    "*",
    "-",
]
HOSTILE_VALUE = "sp ace 'sq' \"dq\" $HOME ;echo x | y \\back\\\nnext line"
HOSTILE_DIR = 'it\'s "odd" $x;y\\z\nline'
RECORDER = '#!/bin/sh\nfor arg do printf "%s\\0" "$arg"; done > "$RECORD"\n'


@pytest.fixture
def recorded(tmp_path: Path):
    """Runs run.sh with a stand-in `docker` first on PATH; returns the argv it got."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "docker").write_text(RECORDER)
    (bin_dir / "docker").chmod(0o755)
    record = tmp_path / "argv"

    def run(shell: str, *args: str, cwd: Path, env: dict[str, str] | None = None) -> list[str]:
        environment = {**os.environ, **(env or {}), "RECORD": str(record)}
        environment["PATH"] = f"{bin_dir}:{environment['PATH']}"
        result = subprocess.run(
            [*SHELLS[shell], str(RUN_SH), *args],
            cwd=cwd,
            env=environment,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return record.read_bytes().decode().split("\0")[:-1]

    return run


def split_at_image(argv: list[str], image: str) -> tuple[list[str], list[str]]:
    at = argv.index(image)
    return argv[:at], argv[at + 1 :]


def mounts(options: list[str]) -> list[str]:
    return [options[i + 1] for i, option in enumerate(options) if option == "--volume"]


@pytest.mark.parametrize("shell", SHELLS)
def test_run_sh_hostile_arguments_reach_docker_unchanged(
    recorded, shell: str, tmp_path: Path
) -> None:
    cwd = tmp_path / "dir with space"
    cwd.mkdir()

    argv = recorded(shell, "config", *HOSTILE_ARGS, cwd=cwd, env={"IMAGE": "my/image:tag"})
    options, tool_args = split_at_image(argv, "my/image:tag")

    assert argv[0] == "run"
    assert tool_args == ["config", *HOSTILE_ARGS]
    assert f"{cwd}:{cwd}" in mounts(options)
    assert options[options.index("--workdir") + 1] == str(cwd)


@pytest.mark.parametrize("shell", SHELLS)
def test_run_sh_passes_compose_and_docker_variables_by_name(
    recorded, shell: str, tmp_path: Path
) -> None:
    env = {"COMPOSE_HOSTILE": HOSTILE_VALUE, "DOCKER_CONTEXT_X": "x", "OTHER_VAR": "no"}

    argv = recorded(shell, "ps", cwd=tmp_path, env=env)
    options, _ = split_at_image(argv, "compose-core:latest")
    passed = [options[i + 1] for i, option in enumerate(options) if option == "--env"]

    assert "COMPOSE_HOSTILE" in passed and "DOCKER_CONTEXT_X" in passed
    assert not any(name.startswith("OTHER_VAR") for name in passed)


@pytest.mark.parametrize("shell", SHELLS)
def test_run_sh_socket_from_docker_host_and_no_tty_without_terminal(
    recorded, shell: str, tmp_path: Path
) -> None:
    socket = tmp_path / "my engine.sock"

    argv = recorded(shell, "ps", cwd=tmp_path, env={"DOCKER_HOST": f"unix://{socket}"})
    options, _ = split_at_image(argv, "compose-core:latest")

    assert f"{socket}:{socket}" in mounts(options)
    assert f"DOCKER_HOST=unix://{socket}" in options
    assert "--tty" not in options and "--interactive" not in options


@pytest.mark.parametrize("shell", SHELLS)
def test_run_sh_mounts_directories_of_files_outside_the_working_directory(
    recorded, shell: str, tmp_path: Path
) -> None:
    cwd = tmp_path / "project"
    inside = cwd / "sub"
    outside = tmp_path / HOSTILE_DIR
    other = tmp_path / "env dir"
    for directory in (inside, outside, other):
        directory.mkdir(parents=True)
    args = ["-f", "sub/compose.yaml", "--file", f"{outside}/compose.yaml"]
    args += [f"--env-file={other}/.env", "-p", "name", "logs", "-f", "/elsewhere/x.yaml"]

    argv = recorded(shell, *args, cwd=cwd, env={"HOME": str(tmp_path / "home")})
    options, tool_args = split_at_image(argv, "compose-core:latest")

    assert tool_args == args
    assert f"{outside}:{outside}" in mounts(options)
    assert f"{other}:{other}" in mounts(options)
    assert not any("elsewhere" in mount for mount in mounts(options)), "logs -f is not a file"
    assert not any(mount.startswith(f"{inside}:") for mount in mounts(options))


def test_run_sh_adds_tty_and_interactive_on_a_terminal(recorded, tmp_path: Path) -> None:
    record = tmp_path / "argv"
    bin_dir = tmp_path / "bin"
    recorded("dash", "version", cwd=tmp_path)  # makes the stand-in
    command = f"PATH={shlex.quote(str(bin_dir))}:$PATH RECORD={record} dash {RUN_SH} version"

    subprocess.run(["script", "-qec", command, "/dev/null"], cwd=tmp_path, check=True)
    options, _ = split_at_image(record.read_bytes().decode().split("\0"), "compose-core:latest")

    assert "--tty" in options and "--interactive" in options


@pytest.mark.parametrize("shell", SHELLS)
def test_run_sh_real_image_from_path_with_space_hostile_file_and_value(
    image: str, shell: str, tmp_path: Path
) -> None:
    cwd = tmp_path / "work dir"
    cwd.mkdir()
    elsewhere = tmp_path / HOSTILE_DIR
    elsewhere.mkdir()
    compose_file = elsewhere / "compose.yaml"
    compose_file.write_text(
        "services:\n  web:\n    image: busybox:latest\n"
        '    command: ["echo", "${COMPOSE_HOSTILE}"]\n'
    )
    env = {**os.environ, "IMAGE": image, "COMPOSE_HOSTILE": HOSTILE_VALUE}

    result = subprocess.run(
        [*SHELLS[shell], str(RUN_SH), "-f", str(compose_file), "-p", "hostile", "config",
         "--format", "json"],
        cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["services"]["web"]["command"] == ["echo", HOSTILE_VALUE]
