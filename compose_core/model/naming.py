"""Project and resource names, as today's Compose and as 1.29.2 form them."""

from __future__ import annotations

import re

from compose_core import const
from compose_core.errors import ConfigError
from compose_core.model.project import Project, ServiceConfig

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


def container_labels(
    project: Project,
    service: ServiceConfig,
    *,
    number: int,
    config_hash: str,
    oneoff: bool = False,
    image_id: str | None = None,
    version: str,
) -> dict[str, str]:
    """The com.docker.compose.* labels every Compose reads back from a container."""
    labels = {
        const.LABEL_PROJECT: project.name,
        const.LABEL_SERVICE: service.name,
        const.LABEL_NUMBER: str(number),
        const.LABEL_ONEOFF: "True" if oneoff else "False",
        const.LABEL_CONFIG_HASH: config_hash,
        const.LABEL_VERSION: version,
        const.LABEL_WORKING_DIR: project.working_dir,
        const.LABEL_CONFIG_FILES: ",".join(project.config_files),
        const.LABEL_DEPENDS_ON: _depends_on_label(service),
    }
    if image_id:
        labels[const.LABEL_IMAGE] = image_id
    return labels


def _depends_on_label(service: ServiceConfig) -> str:
    # Today's Compose writes "service:condition:restart" entries, comma-separated.
    entries = []
    for name, condition in sorted(service.depends_on.items()):
        restart = "true" if condition.get("restart") else "false"
        entries.append(f"{name}:{condition.get('condition', 'service_started')}:{restart}")
    return ",".join(entries)


def resource_labels(project: str, kind_label: str, key: str, version: str) -> dict[str, str]:
    """Labels of a project network or volume."""
    return {const.LABEL_PROJECT: project, kind_label: key, const.LABEL_VERSION: version}
