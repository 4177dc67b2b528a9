"""`ps`: the project's containers, as a table or JSON lines."""

from __future__ import annotations

import json
import re
import time
from typing import Any

from compose_core.cli.commands import common
from compose_core.cli.console import Console
from compose_core.cli.render.humanize import format_ports, format_ports_classic, human_duration
from compose_core.cli.render.table import Table
from compose_core.cli.settings import GlobalOptions
from compose_core.errors import UsageError, UserError

STATES = ("paused", "restarting", "removing", "running", "dead", "created", "exited")
_EXIT_CODE = re.compile(r"^Exited \((-?\d+)\)")
_HEALTH = re.compile(r"\((healthy|unhealthy|health: starting)\)")


def ps(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """List the project's containers.

    Usage: ps [options] [--status STATUS...] [--filter KEY=VALUE...] [SERVICE...]

    Options:
      -a, --all              Show all containers, stopped ones too
      -q, --quiet            Only print the container IDs
      --services             Print the service names, one per line
      --status STATUS        Only containers in this state (repeatable): paused, restarting,
                             removing, running, dead, created, exited
      --filter KEY=VALUE     Filter, as `status=running` or `source=image|build`
      --format FORMAT        table or json [default: table]
      --no-trunc             Don't truncate the output
      --orphans              Include orphaned containers
    """
    fmt = args["--format"]
    if fmt not in ("table", "json"):
        raise UsageError(f"invalid --format {fmt!r}; expected table or json")
    states = _wanted_states(args)
    project, name = common.names_or_name(options)
    services = args["SERVICE"]
    for service in services:
        if project is not None and service not in project.services:
            raise UserError(f"no such service: {service}")
    containers = _containers(options, console, name, project, services, states, args)
    if args["--services"]:
        console.stdout.write(
            "".join(f"{s}\n" for s in dict.fromkeys(c.service for c in containers))
        )
    elif args["--quiet"]:
        console.stdout.write("".join(f"{c.id}\n" for c in containers))
    elif fmt == "json":
        records = (json.dumps(_record(c, name), separators=(",", ":")) for c in containers)
        console.stdout.write("".join(record + "\n" for record in records))
    elif options.compatibility:
        console.stdout.write(_classic_table(containers))
    else:
        console.stdout.write(_table(containers, bool(args["--no-trunc"])))
    return 0


def _wanted_states(args: dict[str, Any]) -> set[str]:
    states = set(args["--status"])
    for item in args["--filter"]:
        key, _, value = item.partition("=")
        if key != "status" or not value:
            raise UsageError(f"invalid --filter {item!r}; expected status=STATE")
        states.add(value)
    unknown = states - set(STATES)
    if unknown:
        raise UsageError(
            f"invalid status {sorted(unknown)[0]!r}; expected one of {', '.join(STATES)}"
        )
    return states


def _containers(options, console, name, project, services, states, args) -> list[Any]:
    from compose_core.engine.client import open_gateway
    from compose_core.engine.observe import observe

    observed = observe(open_gateway(options), name, include_resources=False)
    show_all = args["--all"] or bool(states) or options.compatibility
    known = project.services if project is not None else None
    chosen = []
    for container in observed.containers:
        if container.oneoff and not show_all:
            continue
        if services and container.service not in services:
            continue
        if known is not None and container.service not in known and not args["--orphans"]:
            if not container.oneoff:
                continue
        if states and container.state not in states:
            continue
        if not states and not show_all and not container.running:
            continue
        chosen.append(container)
    return sorted(chosen, key=lambda c: c.name)


def _command(container: Any, no_trunc: bool) -> str:
    command = container.command
    if not no_trunc and len(command) > 20:
        command = command[:19] + "…"
    return f'"{command}"'


def _table(containers: list[Any], no_trunc: bool) -> str:
    now = time.time()
    table = Table(["NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"])
    for c in containers:
        created = human_duration(now - c.created) + " ago"
        table.add(
            [
                c.name,
                c.image,
                _command(c, no_trunc),
                c.service,
                created,
                c.status,
                format_ports(c.ports),
            ]
        )
    return table.render()


def _classic_table(containers: list[Any]) -> str:
    """1.29.2's table: Name, Command, State, Ports, fitted to the terminal's width."""
    from compose_core.cli.render.classic_table import classic_table

    rows = [
        [c.name, _classic_command(c.command), _classic_state(c), format_ports_classic(c.ports)]
        for c in containers
    ]
    return classic_table(["Name", "Command", "State", "Ports"], rows)


def _classic_command(command: str) -> str:
    """1.29.2 joins the arguments with spaces, unquoted; the engine's list quotes them."""
    import shlex

    try:
        return " ".join(shlex.split(command))
    except ValueError:
        return command


def _classic_state(container: Any) -> str:
    if container.state == "running":
        health = _HEALTH.search(container.status)
        return f"Up ({health.group(1)})" if health else "Up"
    if container.state == "paused":
        return "Paused"
    if container.state == "restarting":
        return "Restarting"
    exit_code = _EXIT_CODE.match(container.status)
    if exit_code:
        return f"Exit {exit_code.group(1)}"
    return container.state.capitalize()


def _record(c: Any, project: str) -> dict[str, Any]:
    exit_code = _EXIT_CODE.match(c.status)
    health = _HEALTH.search(c.status)
    publishers = [
        {
            "URL": p.get("IP", ""),
            "TargetPort": p.get("PrivatePort", 0),
            "PublishedPort": p.get("PublicPort", 0),
            "Protocol": p.get("Type", "tcp"),
        }
        for p in c.ports
    ]
    return {
        "Command": f'"{c.command}"',
        "CreatedAt": time.strftime("%Y-%m-%d %H:%M:%S +0000 UTC", time.gmtime(c.created)),
        "ExitCode": int(exit_code.group(1)) if exit_code else 0,
        "Health": health.group(1).replace("health: ", "") if health else "",
        "ID": c.id[:12],
        "Image": c.image,
        "Labels": ",".join(f"{k}={v}" for k, v in c.labels.items()),
        "Name": c.name,
        "Names": c.name,
        "Ports": format_ports(c.ports),
        "Project": project,
        "Publishers": publishers,
        "RunningFor": human_duration(time.time() - c.created) + " ago",
        "Service": c.service,
        "State": c.state,
        "Status": c.status,
    }
