"""Fixtures of the acceptance suite: the product in the forms users get it.

Each form is built once per session by its `make` target (the binary only when a
source file is newer than it; the image's base and layers are cached by Docker).
"""

from __future__ import annotations

import os
import subprocess
import venv
from pathlib import Path

import pytest

from compose_core import __version__
from support.distribution import BINARY, BUILD_TIMEOUT, IMAGE, REPO, binary_is_stale, make


@pytest.fixture(scope="session")
def binary() -> Path:
    """dist/docker-compose-Linux-x86_64, rebuilt when the sources changed."""
    if binary_is_stale():
        make("binary")
    return BINARY


@pytest.fixture(scope="session")
def image(docker_client: object) -> str:
    """compose-core:VERSION, built FROM scratch by the Dockerfile."""
    make("image")
    return IMAGE


@pytest.fixture(scope="session")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with only the wheel `make dist` built installed in it."""
    make("dist")
    wheel = REPO / "dist" / f"compose_core-{__version__}-py3-none-any.whl"
    sdist = REPO / "dist" / f"compose_core-{__version__}.tar.gz"
    assert wheel.is_file() and sdist.is_file(), "make dist made no wheel or no sdist"

    target = tmp_path_factory.mktemp("wheel-venv")
    venv.EnvBuilder(with_pip=True).create(target)
    subprocess.run(
        [str(target / "bin" / "pip"), "install", "-q", str(wheel)],
        check=True,
        timeout=BUILD_TIMEOUT,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    return target
