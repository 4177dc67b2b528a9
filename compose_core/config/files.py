"""Which Compose files a command reads, and the project directory they imply."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from compose_core import const
from compose_core.errors import ConfigError

log = logging.getLogger(__name__)

STDIN = "-"


@dataclass(frozen=True)
class ConfigFiles:
    """The files to read, in merge order, and the project directory."""

    paths: tuple[str, ...]
    project_dir: str


def find_config_files(
    explicit: Sequence[str],
    *,
    cwd: str,
    environ: Mapping[str, str],
    project_dir: str | None = None,
    compatibility: bool = False,
) -> ConfigFiles:
    """Files from `-f`, else `COMPOSE_FILE`, else the default names searched upward."""
    chosen = list(explicit)
    if not chosen and environ.get(const.ENV_FILE):
        separator = environ.get(const.ENV_PATH_SEPARATOR) or os.pathsep
        chosen = [p for p in environ[const.ENV_FILE].split(separator) if p]
        base = project_dir or cwd
        chosen = [p if os.path.isabs(p) else os.path.join(base, p) for p in chosen]
    if chosen:
        paths = tuple(p if p == STDIN else os.path.abspath(os.path.join(cwd, p)) for p in chosen)
        return ConfigFiles(paths, _project_dir(project_dir, paths, cwd))

    names = const.LEGACY_FILE_NAMES if compatibility else const.DEFAULT_FILE_NAMES
    found = _search_upward(os.path.abspath(project_dir or cwd), names)
    if not found:
        raise ConfigError(
            "no configuration file provided: none of "
            f"{', '.join(names)} was found in {project_dir or cwd} or any parent directory",
            hint="Run the command in the project's directory, or name the file with -f.",
        )
    paths = (found,)
    override = _override_for(found)
    if override:
        paths += (override,)
    return ConfigFiles(paths, _project_dir(project_dir, paths, cwd))


def _project_dir(explicit: str | None, paths: Sequence[str], cwd: str) -> str:
    if explicit:
        return os.path.abspath(os.path.join(cwd, explicit))
    first = paths[0]
    return cwd if first == STDIN else os.path.dirname(first)


def _search_upward(start: str, names: Sequence[str]) -> str | None:
    directory = start
    while True:
        present = [n for n in names if os.path.isfile(os.path.join(directory, n))]
        if present:
            if len(present) > 1:
                log.warning(
                    "Found multiple config files with supported names: %s; using %s",
                    ", ".join(os.path.join(directory, n) for n in present),
                    present[0],
                )
            return os.path.join(directory, present[0])
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _override_for(path: str) -> str | None:
    """`compose.yaml` -> `compose.override.yaml` (or .yml), when it exists."""
    directory, name = os.path.split(path)
    stem = name.rsplit(".", 1)[0]
    for extension in ("yaml", "yml"):
        candidate = os.path.join(directory, f"{stem}{const.OVERRIDE_SUFFIX}.{extension}")
        if os.path.isfile(candidate):
            return candidate
    return None


def read_text(path: str, stdin_text: str | None = None) -> str:
    """The text of a Compose file; `-` is standard input."""
    if path == STDIN:
        if stdin_text is None:
            import sys

            stdin_text = sys.stdin.read()
        return stdin_text
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise ConfigError("the file does not exist", source=path) from None
    except IsADirectoryError:
        raise ConfigError("this is a directory, not a Compose file", source=path) from None
    except OSError as err:
        raise ConfigError(f"cannot read the file: {err.strerror}", source=path) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(
            "this is not a text file (it is not valid UTF-8); a Compose file is YAML text",
            source=path,
        ) from None
