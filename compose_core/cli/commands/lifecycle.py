"""`up`, `create`, `down`: converge the engine on the project, or take it away."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from compose_core.cli.commands import attached, common
from compose_core.cli.console import Console
from compose_core.cli.settings import GlobalOptions
from compose_core.errors import UsageError


def up(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Create and start containers.

    Usage: up [options] [--scale SERVICE=NUM...] [--attach SERVICE...] [--no-attach SERVICE...]
              [SERVICE...]

    Options:
      -d, --detach               Run containers in the background
      --abort-on-container-exit  Stop every container if any container stops
      --exit-code-from SERVICE   Exit with the status of SERVICE's container (implies
                                 --abort-on-container-exit)
      --attach SERVICE           Show the output of these services only (repeatable)
      --no-attach SERVICE        Don't show the output of these services (repeatable)
      --attach-dependencies      Show the output of the dependencies too
      --no-color                 Produce monochrome output
      --no-log-prefix            Don't print the container name before each line
      --timestamps               Show timestamps
      --no-deps                  Don't start linked services
      --force-recreate           Recreate containers even if nothing changed
      --always-recreate-deps     Recreate dependent containers (not with --no-recreate)
      --no-recreate              Don't recreate containers that exist
      --no-start                 Create containers but don't start them
      --no-build                 Don't build an image, even if it is missing
      --build                    Build images before starting containers
      --pull POLICY              Pull images first: always, missing, never or build
      --remove-orphans           Remove containers of services not in the Compose file
      -V, --renew-anon-volumes   Recreate anonymous volumes instead of reusing them
      --scale SERVICE=NUM        Run NUM containers of SERVICE (overrides `scale`)
      -t, --timeout TIMEOUT      Seconds to wait for a container to stop when recreating
      --wait                     Wait for services to be running|healthy (implies -d)
      --wait-timeout SECONDS     Most seconds to wait for the project to be ready
      --dry-run                  Print what would be done, and why; change nothing
      --format FORMAT            With --dry-run: text or json [default: text]
    """
    _wait_timeout(args.get("--wait-timeout"))  # bad input fails before anything is done
    if args.get("--wait"):
        args["--detach"] = True  # --wait implies detached
    return _converge(options, args, console, start=True)


def create(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Create containers for services, without starting them.

    Usage: create [options] [--scale SERVICE=NUM...] [SERVICE...]

    Options:
      --force-recreate           Recreate containers even if nothing changed
      --no-recreate              Don't recreate containers that exist
      --no-build                 Don't build an image, even if it is missing
      --build                    Build images before creating containers
      --pull POLICY              Pull images first: always, missing, never or build
      --remove-orphans           Remove containers of services not in the Compose file
      --scale SERVICE=NUM        Create NUM containers of SERVICE
      --dry-run                  Print what would be done, and why; change nothing
      --format FORMAT            With --dry-run: text or json [default: text]
    """
    return _converge(options, args, console, start=False)


def _converge(options: GlobalOptions, args: dict[str, Any], console: Console, start: bool) -> int:
    from compose_core.converge.reconcile import UpOptions
    from compose_core.ops import up as up_op

    if args.get("--force-recreate") and args.get("--no-recreate"):
        raise UsageError("--force-recreate and --no-recreate cannot be combined")
    if args.get("--build") and args.get("--no-build"):
        raise UsageError("--build and --no-build cannot be combined")
    if args.get("--pull") not in (None, "always", "missing", "never", "build"):
        raise UsageError(
            f"invalid --pull {args['--pull']!r}; expected always, missing, never or build"
        )
    if start:
        attached.check_flags(args)
    fmt = args["--format"]
    if fmt not in ("text", "json"):
        raise UsageError(f"invalid --format {fmt!r}; expected text or json")
    services = args["SERVICE"]
    project = common.load(options, services)
    common.check_services(project, services)
    attach = attached.attach_options(args, project) if start and not args["--detach"] else None
    up_options = UpOptions(
        services=tuple(services),
        no_deps=bool(args.get("--no-deps")),
        force_recreate=bool(args.get("--force-recreate")),
        no_recreate=bool(args.get("--no-recreate")),
        no_start=not start or bool(args.get("--no-start")),
        scale=common.scale_flags(args["--scale"], project),
        remove_orphans=bool(args.get("--remove-orphans")),
        always_recreate_deps=bool(args.get("--always-recreate-deps")),
        renew_anon_volumes=bool(args.get("--renew-anon-volumes")),
        compatibility=options.compatibility,
    )
    active, renderer = common.session(options, console, "Running")
    if args["--dry-run"] or options.dry_run:
        plan, _ = up_op.plan(active, project, up_options)
        common.print_plan(console, plan, fmt)
        return 0
    _prepare_images(options, args, console, project, up_options)
    began = time.time()
    try:
        up_op.up(
            active,
            project,
            up_options,
            timeout=common.timeout(args.get("--timeout")),
            before=_announce(renderer),
            wait=bool(args.get("--wait")),
            wait_timeout=_wait_timeout(args.get("--wait-timeout")),
        )
    finally:
        renderer.close()
    if attach is None or up_options.no_start:
        return 0
    attach = dataclasses.replace(attach, timeout=common.timeout(args.get("--timeout")))
    return attached.AttachedRun(options, console, active, project, attach, began).run()


def _wait_timeout(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1
    if seconds <= 0:
        raise UsageError(f"invalid --wait-timeout {value!r}; expected a number of seconds above 0")
    return seconds


def _prepare_images(
    options: GlobalOptions, args: dict[str, Any], console: Console, project: Any, up: Any
) -> None:
    """Pull or build the images the services need (per pull_policy, --build, --no-build
    and --pull) before anything is created; a failure leaves the engine untouched."""
    from compose_core.cli.commands.images import image_session
    from compose_core.converge.reconcile import selected_services
    from compose_core.ops import images
    from compose_core.ops.build import BuildOptions

    flags = images.ImageFlags(
        build=bool(args.get("--build")),
        no_build=bool(args.get("--no-build")),
        pull=args.get("--pull"),
        build_options=BuildOptions(environ=dict(options.environ)),
    )
    services = selected_services(project, up.services, up.no_deps)
    session, renderer = image_session(options, console, "Pulling", up_form=True)
    try:
        images.ensure_images(session, project, services, flags)
    finally:
        renderer.close()


def _announce(renderer: Any, *, by_service: bool = True) -> Any:
    """Tell the renderer, before the work starts, which containers are up to date, and
    which are worked on together (1.29.2 works service by service in `up`, on the whole
    project at once in `down`)."""
    from compose_core.converge.events import DONE, Event
    from compose_core.converge.plan import CONTAINER, KEEP

    def before(plan: Any) -> None:
        for action in ("Creating", "Recreating", "Starting", "Stopping", "Removing"):
            verb = action.lower().removesuffix("ing")
            batches: dict[str, list[str]] = {}
            for op in plan.operations:
                if op.kind == CONTAINER and op.action.startswith(verb[:4]):
                    batch = (op.service or "") if by_service else ""
                    batches.setdefault(batch, []).append(op.name)
            for names in batches.values():
                renderer.expect(action, names)
        for op in plan.operations:
            if op.kind == CONTAINER and op.action == KEEP:
                renderer.emit(Event("Container", op.name, "Running", DONE))

    return before


def down(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Stop and remove containers, networks and, with -v, volumes.

    Usage: down [options] [SERVICE...]

    Options:
      -v, --volumes          Remove named volumes of the project and anonymous ones
      --remove-orphans       Remove containers of services not in the Compose file
      -t, --timeout TIMEOUT  Seconds to wait for containers to stop
      --rmi TYPE             Remove images: local or all
      --dry-run              Print what would be done; change nothing
      --format FORMAT        With --dry-run: text or json [default: text]
    """
    from compose_core.converge.teardown import DownOptions
    from compose_core.ops import down as down_op

    if args["--rmi"] not in (None, "local", "all"):
        raise UsageError(f"invalid --rmi {args['--rmi']!r}; expected local or all")
    fmt = args["--format"]
    if fmt not in ("text", "json"):
        raise UsageError(f"invalid --format {fmt!r}; expected text or json")
    project, name = common.load_or_name(options)
    common.check_services(project, args["SERVICE"])
    down_options = DownOptions(
        volumes=bool(args["--volumes"]), remove_orphans=bool(args["--remove-orphans"])
    )
    active, renderer = common.session(options, console, "Running")
    plan, context = down_op.plan(active, project, name, down_options, args["SERVICE"])
    if args["--dry-run"] or options.dry_run:
        common.print_plan(console, plan, fmt)
        return 0
    try:
        down_op.execute(
            context,
            plan,
            timeout=common.timeout(args["--timeout"]),
            before=_announce(renderer, by_service=False),
        )
    finally:
        renderer.close()
    if args["--rmi"] and project is not None:
        _remove_images(options, console, project, args["--rmi"])
    return 0


def _remove_images(options: GlobalOptions, console: Console, project: Any, mode: str) -> None:
    from compose_core.cli.commands.images import image_session
    from compose_core.ops import images

    session, renderer = image_session(options, console, "Removing")
    try:
        images.remove_images(session, images.rmi_images(project, mode, options.compatibility))
    finally:
        renderer.close()
