"""The product's distributed forms, for the acceptance tests: where they are, how to build."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from compose_core import __version__

REPO = Path(__file__).resolve().parents[2]
BINARY = REPO / "dist" / "docker-compose-Linux-x86_64"
IMAGE = f"compose-core:{__version__}"
RUN_SH = REPO / "run.sh"
BUILD_TIMEOUT = 900


def make(*targets: str) -> None:
    result = subprocess.run(
        ["make", "-C", str(REPO), *targets],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    if result.returncode != 0:
        pytest.fail(f"make {' '.join(targets)} failed:\n{result.stdout[-3000:]}{result.stderr}")


def binary_is_stale() -> bool:
    if not BINARY.exists():
        return True
    built = BINARY.stat().st_mtime
    release = REPO / "release"
    sources = [
        *(REPO / "compose_core").rglob("*"),
        *release.glob("*.*"),
        *(release / "launcher").glob("*"),
    ]
    return any(path.is_file() and path.stat().st_mtime > built for path in sources)


def running_under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def need_tool(name: str) -> str:
    """The path of a program the test needs; fails under CI, skips elsewhere."""
    found = subprocess.run(["sh", "-c", f"command -v {name}"], capture_output=True, text=True)
    if found.returncode == 0:
        return found.stdout.strip()
    message = f"{name} is not installed (.ci/run installs it)"
    if running_under_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
