"""The local image registries of the image tests: Debian's docker-registry on 127.0.0.1,
one open and one behind htpasswd auth, started by scripts/registry.sh."""

from __future__ import annotations

import base64
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "registry.sh"
MULTI_LAYER_DOCKERFILE = """\
FROM compose-core-test/busybox:latest
RUN head -c 200000 /dev/urandom > /layer-a
RUN head -c 300000 /dev/urandom > /layer-b
RUN head -c 400000 /dev/urandom > /layer-c
RUN head -c 500000 /dev/urandom > /layer-d
"""


@dataclass(frozen=True)
class Registries:
    open: str  # host:port
    auth: str
    user: str
    password: str

    def docker_config(self, directory: Path, password: str | None = None) -> Path:
        """A DOCKER_CONFIG directory whose config.json holds auths for the auth registry."""
        directory.mkdir(parents=True, exist_ok=True)
        secret = f"{self.user}:{password or self.password}".encode()
        auths = {self.auth: {"auth": base64.b64encode(secret).decode()}}
        (directory / "config.json").write_text(json.dumps({"auths": auths}))
        return directory


def start_registries() -> Registries:
    """Run scripts/registry.sh (idempotent) and read where the registries listen."""
    result = subprocess.run(
        ["bash", str(SCRIPT)], capture_output=True, text=True, timeout=600, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"scripts/registry.sh failed:\n{result.stdout}{result.stderr}")
    fields = dict(part.split("=", 1) for part in result.stdout.split())
    return Registries(fields["open"], fields["auth"], fields["user"], fields["password"])


def build_multi_layer(client, tag: str, directory: Path) -> str:
    """Build a five-layer image tagged `tag` with the docker SDK; returns its ID."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Dockerfile").write_text(MULTI_LAYER_DOCKERFILE)
    image, _ = client.images.build(path=str(directory), tag=tag, rm=True)
    return image.id


def push(client, tag: str, auth: dict | None = None) -> None:
    repository, _, version = tag.rpartition(":")
    for line in client.api.push(
        repository, tag=version, stream=True, decode=True, auth_config=auth
    ):
        if "error" in line:
            raise RuntimeError(f"pushing {tag}: {line['error']}")


def environment_without_docker_config(directory: Path) -> dict[str, str]:
    """An environment whose DOCKER_CONFIG is an empty directory: no credentials at all."""
    directory.mkdir(parents=True, exist_ok=True)
    return {"DOCKER_CONFIG": str(directory), "PATH": os.environ.get("PATH", "")}
