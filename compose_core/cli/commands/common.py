"""What the engine commands share: loading the project, opening a session, rendering."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from compose_core.cli.console import Console
from compose_core.cli.settings import GlobalOptions
from compose_core.errors import ConfigError, UsageError


def load(options: GlobalOptions, targets: Sequence[str] = ()) -> Any:
    from compose_core.config.loader import load_project

    return load_project(options.load_options(targets=targets))


def load_or_name(options: GlobalOptions) -> tuple[Any, str]:
    """The project, or (None, name) when no file is found but a name was given."""
    from compose_core.config.loader import load_project

    try:
        project = load_project(options.load_options())
    except ConfigError as err:
        name = options.project_name or options.environ.get("COMPOSE_PROJECT_NAME")
        if name and "no configuration file provided" in str(err):
            return None, name
        raise
    return project, project.name


def names_or_name(options: GlobalOptions) -> tuple[Any, str]:
    """Like load_or_name, for read-only commands: only the project and service names."""
    from compose_core.config.loader import load_names

    try:
        names = load_names(options.load_options())
    except ConfigError as err:
        name = options.project_name or options.environ.get("COMPOSE_PROJECT_NAME")
        if name and "no configuration file provided" in str(err):
            return None, name
        raise
    return names, names.name


def session(options: GlobalOptions, console: Console, title: str) -> tuple[Any, Any]:
    """A Session whose events go to the progress renderer; returns (session, renderer)."""
    from compose_core.cli.render.progress import make_renderer
    from compose_core.engine.client import open_gateway
    from compose_core.ops.session import Session, parallel_limit

    renderer = make_renderer(
        options.progress,
        console.stderr,
        compatibility=options.compatibility,
        is_tty=console.stderr_is_tty,
        title=title,
    )
    active = Session(
        gateway=open_gateway(options),
        sink=renderer,
        parallel=parallel_limit(options.parallel, options.environ),
        compatibility=options.compatibility,
    )
    return active, renderer


def timeout(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        seconds = int(value)
    except ValueError:
        raise UsageError(
            f"invalid --timeout {value!r}; expected a whole number of seconds"
        ) from None
    if seconds < 0:
        raise UsageError(f"invalid --timeout {value!r}; expected 0 or more seconds")
    return seconds


def scale_flags(values: Sequence[str], project: Any) -> dict[str, int]:
    """`--scale web=3` flags as a mapping, checked against the project."""
    scale: dict[str, int] = {}
    for value in values:
        service, _, number = value.partition("=")
        if not number.isdigit():
            raise UsageError(f"invalid --scale {value!r}; expected SERVICE=NUMBER, e.g. web=3")
        if service not in project.services:
            raise UsageError(f"no such service: {service}")
        scale[service] = int(number)
    return scale


def index_flag(value: str | None) -> int | None:
    """`--index N`: which container of a service (1 is the first)."""
    if value is None:
        return None
    if not value.isdigit() or int(value) < 1:
        raise UsageError(f"invalid --index {value!r}; expected a container number, 1 or more")
    return int(value)


def check_services(project: Any, names: Sequence[str]) -> None:
    from compose_core.errors import UserError

    for name in names:
        if project is not None and name not in project.services:
            raise UserError(f"no such service: {name}")


def print_plan(console: Console, plan: Any, fmt: str) -> None:
    if fmt == "json":
        console.out(plan.to_json())
    else:
        console.stdout.write(plan.text())
