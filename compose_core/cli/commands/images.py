"""`build`, `pull`, `push`: the project's images."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from compose_core.cli.commands import common
from compose_core.cli.console import Console
from compose_core.cli.settings import GlobalOptions
from compose_core.errors import UsageError


def build(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Build or rebuild the images of services that have a `build:` section.

    Usage: build [options] [--build-arg KEY=VAL...] [SERVICE...]

    Options:
      --build-arg KEY=VAL   Set a build-time variable (KEY alone takes it from the environment)
      --no-cache            Do not use the cache when building the image
      --pull                Always try to pull a newer version of the base image
      -q, --quiet           Print nothing but errors
      --with-dependencies   Also build the services the named ones depend on
      -m, --memory MEM      Memory limit of the build's containers, such as 512m
      --compress            Compress the build context with gzip
      --force-rm            Always remove intermediate containers
      --no-rm               Keep intermediate containers after a successful build
      --parallel            Build in parallel (compatibility mode builds one at a time)
    """
    from compose_core.ops import build as build_op

    project = common.load(options, args["SERVICE"])
    common.check_services(project, args["SERVICE"])
    services = _selected(project, args["SERVICE"], bool(args["--with-dependencies"]))
    build_options = build_options_from(options, args)
    session, renderer = image_session(options, console, "Building", quiet=args["--quiet"])
    try:
        if options.compatibility:
            for name in services:
                if project.services[name].build is None:
                    console.err(f"{name} uses an image, skipping")
        build_op.build_services(session, project, services, build_options)
    finally:
        renderer.close()
    return 0


def build_options_from(options: GlobalOptions, args: dict[str, Any]) -> Any:
    from compose_core.ops.build import BuildOptions, parse_build_args

    return BuildOptions(
        no_cache=bool(args.get("--no-cache")),
        pull=args.get("--pull") is True,
        quiet=bool(args.get("--quiet")),
        build_args=parse_build_args(args.get("--build-arg") or ()),
        environ=dict(options.environ),
        memory=_memory(args.get("--memory")),
        compress=bool(args.get("--compress")),
        force_rm=bool(args.get("--force-rm")),
        keep_intermediate=bool(args.get("--no-rm")),
        parallel=bool(args.get("--parallel")),
    )


def _memory(value: str | None) -> int | None:
    from compose_core.config.units import parse_bytes

    if value is None:
        return None
    try:
        return parse_bytes(value)
    except ValueError:
        raise UsageError(f"invalid --memory {value!r}; expected bytes such as 512m or 1g") from None


def pull(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Pull the images of services.

    Usage: pull [options] [SERVICE...]

    Options:
      --ignore-pull-failures  Pull what can be pulled; failures are only warnings
      --include-deps          Also pull the services the named ones depend on
      --ignore-buildable      Skip the images of services that can be built
      --policy POLICY         missing (only images not present) or always [default: always]
      -q, --quiet             Pull without printing progress
    """
    from compose_core.ops import pull as pull_op

    policy = args["--policy"]
    if policy not in ("missing", "always"):
        raise UsageError(f"invalid --policy {policy!r}; expected missing or always")
    project = common.load(options, args["SERVICE"])
    common.check_services(project, args["SERVICE"])
    services = _selected(project, args["SERVICE"], bool(args["--include-deps"]))
    pull_options = pull_op.PullOptions(
        quiet=bool(args["--quiet"]),
        ignore_failures=bool(args["--ignore-pull-failures"]),
        policy=policy,
        ignore_buildable=bool(args["--ignore-buildable"]),
    )
    session, renderer = image_session(options, console, "Pulling", quiet=args["--quiet"])
    try:
        if hasattr(renderer, "expect"):
            renderer.expect("Pulling", services)  # 1.29.2 lists every service it pulls
        targets = pull_op.pull_targets(session, project, services, pull_options)
        pull_op.pull_services(session, project, targets, pull_options)
    finally:
        renderer.close()
    return 0


def push(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Push the images of services that build them.

    Usage: push [options] [SERVICE...]

    Options:
      --ignore-push-failures  Push what can be pushed; failures are only warnings
      --include-deps          Also push the services the named ones depend on
      -q, --quiet             Push without printing progress
    """
    from compose_core.ops import push as push_op

    project = common.load(options, args["SERVICE"])
    common.check_services(project, args["SERVICE"])
    services = _selected(project, args["SERVICE"], bool(args["--include-deps"]))
    session, renderer = image_session(options, console, "Pushing", quiet=args["--quiet"])
    try:
        targets = push_op.push_targets(session, project, services)
        push_op.push_services(
            session, targets, ignore_failures=bool(args["--ignore-push-failures"])
        )
    finally:
        renderer.close()
    return 0


def image_session(
    options: GlobalOptions,
    console: Console,
    title: str,
    *,
    quiet: bool = False,
    up_form: bool = False,
) -> tuple[Any, Any]:
    """A Session whose events go to an image progress renderer."""
    from compose_core.cli.render.images import make_image_renderer
    from compose_core.engine.client import open_gateway
    from compose_core.ops.session import Session, parallel_limit

    renderer = make_image_renderer(
        options.progress,
        console.stdout,
        console.stderr,
        compatibility=options.compatibility,
        is_tty=console.stderr_is_tty,
        title=title,
        quiet=bool(quiet),
        up_form=up_form,
    )
    session = Session(
        gateway=open_gateway(options),
        sink=renderer,
        parallel=parallel_limit(options.parallel, options.environ),
        compatibility=options.compatibility,
    )
    return session, renderer


def _selected(project: Any, names: Sequence[str], with_deps: bool) -> list[str]:
    from compose_core.converge.reconcile import selected_services

    if not names:
        return list(project.services)
    return list(selected_services(project, tuple(names), not with_deps))
