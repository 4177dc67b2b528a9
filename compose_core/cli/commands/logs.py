"""`logs`, and what attached `up` shares with it: following the project's containers."""

from __future__ import annotations

import time
from typing import Any

from compose_core.cli.commands import common
from compose_core.cli.console import Console
from compose_core.cli.settings import GlobalOptions
from compose_core.errors import UsageError


def logs(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """View output from containers.

    Usage: logs [options] [SERVICE...]

    Options:
      -f, --follow          Follow log output
      -t, --timestamps      Show timestamps
      --tail N              Number of lines to show from the end of each log [default: all]
      --since TIME          Show logs since a time (2026-12-04T06:00:00Z) or a duration (10m)
      --until TIME          Show logs before a time or a duration ago
      --no-color            Produce monochrome output
      --no-log-prefix       Don't print the container name before each line
      --index N             The index of the container, when a service has several
    """
    from compose_core.engine.client import open_gateway
    from compose_core.engine.observe import observe
    from compose_core.ops.logs import LogFollower, LogOptions, engine_time

    tail = args["--tail"]
    if tail != "all" and not (tail.isdigit() or tail == "-1"):
        raise UsageError(f"invalid --tail {tail!r}; expected a number of lines or all")
    log_options = LogOptions(
        follow=bool(args["--follow"]),
        tail="all" if tail == "-1" else tail,
        timestamps=bool(args["--timestamps"]),
        since=args["--since"],
        until=args["--until"],
    )
    engine_time(log_options.since, flag="--since")  # bad values fail before any output
    engine_time(log_options.until, flag="--until")
    project, name = common.names_or_name(options)
    services = args["SERVICE"]
    common.check_services(project, services)
    index = common.index_flag(args["--index"])

    gateway = open_gateway(options)
    started = time.time()
    observed = observe(gateway, name, include_resources=False)
    containers = sorted(
        (
            c
            for c in observed.containers
            if not c.oneoff and (not services or c.service in services)
        ),
        key=lambda c: c.name,
    )
    if index is not None:
        containers = [c for c in containers if c.number == index]
    printer = make_printer(options, console, name, no_color=bool(args["--no-color"]))
    printer.prefix = not args["--no-log-prefix"]
    printer.add(c.name for c in containers)
    if options.compatibility and containers:
        console.out("Attaching to " + ", ".join(c.name for c in containers))

    follower = LogFollower(gateway, log_options, lambda c, texts: printer.lines(c.name, texts))
    follower.follow_all(containers)
    if log_options.follow:

        def wanted(container: Any) -> bool:
            return not container.oneoff and (not services or container.service in services)

        follower.watch(name, wanted, since=started)
    try:
        follower.join()
    finally:
        follower.close()
    return 0


def make_printer(options: GlobalOptions, console: Console, project: str, *, no_color: bool):
    """The log printer: colours as each Compose decides (1.29.2 colours unless told not to)."""
    from compose_core.cli.render.logprinter import LogPrinter

    if options.compatibility:
        color = not no_color and options.ansi != "never"
    else:
        color = not no_color and console.color
    return LogPrinter(console.stdout, project, color=color, compatibility=options.compatibility)
