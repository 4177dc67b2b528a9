"""Project and resource names, as today's Compose and as 1.29.2 form them."""

from __future__ import annotations

import re

from compose_core.errors import ConfigError

_INVALID_CHARS = re.compile(r"[^-_a-z0-9]+")
_VALID_NAME = re.compile(r"^[a-z0-9][-_a-z0-9]*$")


def normalize_project_name(name: str, *, compatibility: bool = False) -> str:
    """A project name derived from a directory, made valid.

    Today's Compose lowercases, drops other characters and leading `-`/`_`;
    1.29.2 only lowercases and drops, and calls an empty result `default`.
    """
    cleaned = _INVALID_CHARS.sub("", name.lower())
    if compatibility:
        return cleaned or "default"
    return cleaned.lstrip("-_")


def check_project_name(name: str, *, source: str, compatibility: bool = False) -> str:
    """An explicitly given project name: normalized in 1.29.2 mode, checked otherwise."""
    if compatibility:
        return normalize_project_name(name, compatibility=True)
    if not _VALID_NAME.match(name):
        raise ConfigError(
            f"invalid project name {name!r}: it must hold only lowercase letters, digits, "
            "'-' and '_', and start with a letter or digit",
            source=source,
        )
    return name


def container_name(project: str, service: str, number: int, *, compatibility: bool) -> str:
    separator = "_" if compatibility else "-"
    return f"{project}{separator}{service}{separator}{number}"


def resource_name(project: str, key: str) -> str:
    """The engine name of a project network or volume."""
    return f"{project}_{key}"
