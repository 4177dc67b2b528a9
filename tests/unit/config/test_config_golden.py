"""`config` output compared with what Compose v2 printed for the same fixtures.

The expected files were written by Compose v2.40.3 (`make golden` writes them again),
with the fixture's directory replaced by `$PROJECT_DIR`.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from compose_core.cli.console import Console
from compose_core.cli.main import main

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "config"

CASES = [
    ("full", ["--profile", "cache"], "expected.yaml"),
    ("merge", [], "expected.yaml"),
    ("include", [], "expected.yaml"),
    ("extends_profiles", [], "expected.yaml"),
    ("extends_profiles", ["--profile", "debug"], "expected-debug.yaml"),
]


def config_output(directory: Path, args: list[str]) -> str:
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(directory)
    try:
        status = main([*args, "config"], Console(stdout=out, stderr=err))
    finally:
        os.chdir(old)
    assert status == 0, err.getvalue()
    return out.getvalue()


@pytest.mark.parametrize(("fixture", "args", "expected"), CASES)
def test_config_output_matches_compose_v2(fixture, args, expected, monkeypatch):
    for key in [k for k in os.environ if k.startswith("COMPOSE_")]:
        monkeypatch.delenv(key)
    directory = FIXTURES / fixture
    wanted = (directory / expected).read_text().replace("$PROJECT_DIR", str(directory))

    assert config_output(directory, args) == wanted
