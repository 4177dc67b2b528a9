"""Integration tests drive the real engine: each one needs it, whether or not it
asks for `docker_client` itself, so a missing engine skips (or, under CI, fails)
every test in this directory."""

from __future__ import annotations

from pathlib import Path

import docker
import pytest

INTEGRATION_DIR = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark this directory's tests `engine`, so `-m 'not engine'` leaves them out."""
    for item in items:
        if INTEGRATION_DIR in item.path.parents:
            item.add_marker(pytest.mark.engine)


@pytest.fixture(autouse=True)
def _engine(docker_client: docker.DockerClient) -> docker.DockerClient:
    return docker_client
