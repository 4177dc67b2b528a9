"""Running the CLI in-process, on a project written into a temporary directory."""

from __future__ import annotations

import io
import os
import textwrap

from compose_core.cli.console import Console
from compose_core.cli.main import main


def run_cli(args: list[str], cwd: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    saved = dict(os.environ)
    os.chdir(cwd)
    try:
        for key in [k for k in os.environ if k.startswith("COMPOSE_")]:
            del os.environ[key]
        os.environ.update(env or {})
        status = main(args, Console(stdout=out, stderr=err, stdin=io.StringIO("")))
    finally:
        os.chdir(old)
        os.environ.clear()
        os.environ.update(saved)
    return status, out.getvalue(), err.getvalue()


def write_files(directory, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content))
