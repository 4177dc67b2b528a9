"""The wheel in a fresh venv, the Docker CLI plugin, and the completion scripts in
the real shells."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from compose_core import __version__
from compose_core.cli.registry import COMMANDS
from support.distribution import REPO, make, need_tool

CLI = str(Path(sys.executable).parent / "docker-compose")


def test_wheel_in_fresh_venv_gives_working_docker_compose(wheel_venv: Path, tmp_path: Path) -> None:
    cli = wheel_venv / "bin" / "docker-compose"
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: busybox:latest\n")

    version = subprocess.run([str(cli), "version", "--short"], capture_output=True, text=True)
    config = subprocess.run(
        [str(cli), "config", "--format", "json"], cwd=tmp_path, capture_output=True, text=True
    )

    assert version.stdout.strip() == __version__
    assert config.returncode == 0, config.stderr
    assert json.loads(config.stdout)["services"]["web"]["image"] == "busybox:latest"


@pytest.fixture
def plugin_config(binary: Path, tmp_path: Path) -> dict[str, str]:
    """A Docker CLI config dir whose cli-plugins holds the binary as docker-compose."""
    plugins = tmp_path / "docker-config" / "cli-plugins"
    plugins.mkdir(parents=True)
    (plugins / "docker-compose").symlink_to(binary)
    return {**os.environ, "DOCKER_CONFIG": str(plugins.parent)}


def test_plugin_docker_compose_version_and_ps(
    plugin_config: dict[str, str], compose: object
) -> None:
    compose.write("services:\n  web:\n    image: busybox:latest\n    command: [sleep, '600']\n")

    def docker(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["docker", *args], cwd=compose.dir, env=plugin_config, capture_output=True, text=True
        )

    listed = docker("--help")
    version = docker("compose", "version")
    up = docker("compose", "-p", compose.name, "up", "-d")
    ps = docker("compose", "-p", compose.name, "ps", "--services")

    assert "compose_core" in listed.stdout
    assert version.stdout.strip() == f"compose_core version v{__version__}", version.stderr
    assert up.returncode == 0, up.stderr
    assert ps.stdout.split() == ["web"]


def test_completion_bash_offers_flags_commands_and_services(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  db: {image: x}\n  web: {image: x}\n")
    script = subprocess.run(
        [CLI, "completion", "bash"], capture_output=True, text=True, check=True
    ).stdout
    (tmp_path / "completion.bash").write_text(script)
    probe = (
        "source completion.bash\n"
        'complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _docker_compose;'
        ' echo "${COMPREPLY[*]}"; }\n'
        "complete_words docker-compose up --force-r\n"
        "complete_words docker-compose -f compose.yaml up ''\n"
        "complete_words docker-compose co\n"
    )

    result = subprocess.run(
        ["bash", "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )

    starting_with_co = " ".join(name for name in COMMANDS if name.startswith("co"))
    assert result.stdout.splitlines() == ["--force-recreate", "db web", starting_with_co]


@pytest.mark.parametrize(
    ("shell", "check"), [("zsh", ["zsh", "-n"]), ("fish", ["fish", "--no-execute"])]
)
def test_completion_script_is_valid_in_its_shell(
    shell: str, check: list[str], tmp_path: Path
) -> None:
    need_tool(shell)
    path = tmp_path / f"completion.{shell}"
    path.write_text(
        subprocess.run(
            [CLI, "completion", shell], capture_output=True, text=True, check=True
        ).stdout
    )

    result = subprocess.run([*check, str(path)], capture_output=True, text=True)

    assert result.returncode == 0, result.stderr


def test_completion_fish_installed_where_documented_completes_flags(tmp_path: Path) -> None:
    need_tool("fish")
    script = subprocess.run(
        [CLI, "completion", "fish"], capture_output=True, text=True, check=True
    ).stdout
    # Found first on fish_complete_path, as ~/.config/fish/completions/ is: fish's own
    # docker-compose completion (for the classic tool) is not loaded then.
    (tmp_path / "docker-compose.fish").write_text(script)
    probe = f"set -p fish_complete_path {tmp_path}; complete -C 'docker-compose up --force-'"

    result = subprocess.run(["fish", "-c", probe], capture_output=True, text=True)

    assert result.stdout.split("\t")[0].strip() == "--force-recreate", result.stderr


def test_make_release_gathers_every_artefact(binary: Path, image: str) -> None:
    make("release")
    out = REPO / "release" / __version__
    digest, name = (out / f"{binary.name}.sha256").read_text().split()
    run_sh = (out / "run.sh").read_text()
    with tarfile.open(out / f"compose-core-{__version__}.image.tar.gz") as saved:
        manifest = json.load(saved.extractfile("manifest.json"))

    assert name == binary.name
    assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert (out / f"compose_core-{__version__}-py3-none-any.whl").is_file()
    assert (out / f"compose_core-{__version__}.tar.gz").is_file()
    assert f'IMAGE="${{IMAGE:-compose-core:{__version__}}}"' in run_sh
    assert manifest[0]["RepoTags"] == [image]
    completions = sorted(path.name for path in (out / "completions").iterdir())
    assert completions == ["_docker-compose", "docker-compose.bash", "docker-compose.fish"]
