"""`run`, `exec` and `attach`: a user's terminal inside a service's container."""

from __future__ import annotations

import os
import sys
from typing import Any

from compose_core.cli.commands import common
from compose_core.cli.console import Console
from compose_core.cli.settings import GlobalOptions
from compose_core.errors import UsageError, UserError


def run(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Run a one-off command in a new container of a service.

    Usage: run [options] [-v VOLUME...] [-p PUBLISH...] [-e KEY=VAL...] [-l KEY=VALUE...]
               SERVICE [COMMAND] [ARGS...]

    Options:
      -d, --detach              Run the container in the background, print its name
      --name NAME               Name the container
      --entrypoint CMD          Override the image's entrypoint
      -e KEY=VAL                Set an environment variable (repeatable)
      -l, --label KEY=VALUE     Add a label (repeatable)
      -u, --user USER           Run as this user name or uid
      -w, --workdir DIR         Working directory inside the container
      -p, --publish PUBLISH     Publish a container port on the host (repeatable)
      --service-ports           Publish the service's ports as well
      --use-aliases             Join networks with the service's aliases
      -v, --volume VOLUME       Mount a volume (repeatable)
      --rm                      Remove the container when it exits
      --no-deps                 Don't start the services it depends on
      -T, --no-TTY              Don't allocate a pseudo-terminal
      -i, --interactive         Keep standard input open (the default)
    """
    from compose_core.ops import run as run_op

    service = args["SERVICE"]
    if args["--detach"] and args["--rm"]:
        raise UsageError("--rm and -d cannot be combined")
    project = common.load(options, [service])
    common.check_services(project, [service])
    command = [args["COMMAND"], *args["ARGS"]] if args["COMMAND"] is not None else []
    tty = not args["--no-TTY"] and not args["--detach"] and _stdin_is_terminal(console)
    run_options = run_op.RunOptions(
        service=service,
        command=command,
        entrypoint=args["--entrypoint"],
        environment=_pairs(args["-e"], "-e", allow_bare=True),
        labels=_pairs(args["--label"], "--label"),
        user=args["--user"],
        workdir=args["--workdir"],
        name=args["--name"],
        publish=args["--publish"],
        service_ports=bool(args["--service-ports"]),
        use_aliases=bool(args["--use-aliases"]),
        volumes=args["--volume"],
        no_deps=bool(args["--no-deps"]),
        tty=tty,
        interactive=not args["--detach"],
        cwd=os.getcwd(),
    )
    run_op.one_off_service(project.services[service], run_options)  # bad -p/-v: fail first
    session, renderer = common.session(options, console, "Running")
    try:
        run_op.start_dependencies(session, project, run_options)
    finally:
        renderer.close()
    ident, name = run_op.create(session, project, run_options)
    gateway = session.gateway
    if args["--detach"]:
        gateway.start(ident, name=name)
        console.out(name)
        return 0
    try:
        return _attached_run(gateway, ident, name, tty, console)
    finally:
        if args["--rm"]:
            gateway.remove_container(ident, force=True, volumes=True, name=name)


run.options_first = True  # type: ignore[attr-defined]


def _attached_run(gateway: Any, ident: str, name: str, tty: bool, console: Console) -> int:
    from compose_core.cli.terminal import run_session

    sock = gateway.attach_socket(ident, stdin=True, name=name)
    gateway.start(ident, name=name)

    def resize(height: int, width: int) -> None:
        gateway.resize(ident, height, width)

    run_session(sock, tty=tty, interactive=True, resize=resize, console=console)
    return gateway.wait(ident)


def exec_command(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Run a command in a running container of a service.

    Usage: exec [options] [-e KEY=VAL...] SERVICE COMMAND [ARGS...]

    Options:
      -d, --detach          Run the command in the background
      --privileged          Give extended privileges to the command
      -u, --user USER       Run the command as this user
      -T, --no-TTY          Don't allocate a pseudo-terminal
      --index N             The container of the service, when it has several [default: 1]
      -e, --env KEY=VAL     Set an environment variable (repeatable)
      -w, --workdir DIR     Working directory of the command
      -i, --interactive     Keep standard input open (the default)
    """
    from compose_core.cli.terminal import run_session

    container, gateway = _running_container(options, args, "exec")
    detach = bool(args["--detach"])
    tty = not args["--no-TTY"] and not detach and _stdin_is_terminal(console)
    environment = _pairs(args["--env"], "--env", allow_bare=True)
    body = {
        "AttachStdin": not detach,
        "AttachStdout": not detach,
        "AttachStderr": not detach,
        "Tty": tty,
        "Cmd": [args["COMMAND"], *args["ARGS"]],
        "Env": [f"{k}={v}" if v is not None else k for k, v in environment.items()],
        "Privileged": bool(args["--privileged"]),
    }
    for flag, field in (("--user", "User"), ("--workdir", "WorkingDir")):
        if args[flag] is not None:
            body[field] = args[flag]
    exec_id = gateway.exec_create(container.id, body, name=container.name)
    if detach:
        gateway.exec_socket(exec_id, tty=False, detach=True)
        return 0
    sock = gateway.exec_socket(exec_id, tty=tty)

    def resize(height: int, width: int) -> None:
        gateway.exec_resize(exec_id, height, width)

    run_session(sock, tty=tty, interactive=True, resize=resize, console=console)
    code = gateway.exec_exit_code(exec_id)
    return 0 if code is None else int(code)


exec_command.options_first = True  # type: ignore[attr-defined]


def attach(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Attach the terminal to a running container of a service.

    Usage: attach [options] SERVICE

    Options:
      --index N     The container of the service, when it has several [default: 1]
      --no-stdin    Don't send standard input to the container
    """
    from compose_core.cli.terminal import run_session

    container, gateway = _running_container(options, args, "attach")
    tty = bool((gateway.inspect_container(container.id).get("Config") or {}).get("Tty"))
    interactive = not args["--no-stdin"]
    sock = gateway.attach_socket(container.id, stdin=interactive, name=container.name)

    def resize(height: int, width: int) -> None:
        gateway.resize(container.id, height, width)

    run_session(sock, tty=tty, interactive=interactive, resize=resize, console=console)
    return gateway.wait(container.id)


def _running_container(options: GlobalOptions, args: dict[str, Any], verb: str) -> Any:
    """The running container `SERVICE --index N` names, and a gateway; clear errors."""
    from compose_core.engine.client import open_gateway
    from compose_core.engine.observe import observe

    service = args["SERVICE"]
    project, name = common.names_or_name(options)
    common.check_services(project, [service])
    index = common.index_flag(args["--index"]) or 1
    gateway = open_gateway(options)
    containers = observe(gateway, name, include_resources=False).service_containers(service)
    if not containers:
        raise UserError(f"service {service!r} has no container to {verb}; start it with `up`")
    chosen = [c for c in containers if c.number == index]
    if not chosen:
        numbers = ", ".join(str(c.number) for c in containers)
        raise UserError(f"service {service!r} has no container number {index} (it has {numbers})")
    if not chosen[0].running or chosen[0].state == "paused":
        raise UserError(f"container {chosen[0].name} is not running ({chosen[0].state})")
    return chosen[0], gateway


def _pairs(values: list[str], flag: str, *, allow_bare: bool = False) -> dict[str, str | None]:
    """KEY=VALUE flags as a mapping; a bare KEY takes its value from our environment."""
    pairs: dict[str, str | None] = {}
    for value in values:
        key, sign, text = value.partition("=")
        if not key or (not sign and not allow_bare):
            raise UsageError(f"invalid {flag} {value!r}; expected KEY=VALUE")
        pairs[key] = text if sign else os.environ.get(key)
    return pairs


def _stdin_is_terminal(console: Console) -> bool:
    from compose_core.cli.terminal import is_terminal

    stdin = console.stdin if console.stdin is not None else sys.stdin
    try:
        return is_terminal(stdin.fileno())
    except (AttributeError, OSError, ValueError):
        return False
