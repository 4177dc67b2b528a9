"""Commands on the project's existing containers: stop, start, restart, kill, pause,
unpause, rm, and the 1.x `scale`."""

from __future__ import annotations

import logging
from typing import Any

from compose_core.cli.commands import common
from compose_core.cli.console import Console
from compose_core.cli.settings import GlobalOptions
from compose_core.errors import UserError

log = logging.getLogger(__name__)


def stop(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Stop running containers without removing them.

    Usage: stop [options] [SERVICE...]

    Options:
      -t, --timeout TIMEOUT  Seconds to wait for a container to stop before killing it
    """
    from compose_core.converge.plan import Plan
    from compose_core.converge.teardown import plan_stop

    target = _Target(options, args, console)
    plan = Plan()
    plan_stop(target.project, target.containers(), plan)
    return target.run(plan, "Stopping", timeout=common.timeout(args["--timeout"]))


def start(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Start existing containers.

    Usage: start [SERVICE...]
    """
    target = _Target(options, args, console)
    stopped = [c for c in target.containers() if not c.running]
    if target.project is not None:
        for name in args["SERVICE"] or []:
            if not target.observed.service_containers(name):
                raise UserError(f"service {name!r} has no container to start")
    if target.project is not None and target.services and not options.compatibility:
        # Today's Compose starts what the named services depend on too (1.29.2 did not).
        from compose_core.converge.reconcile import selected_services

        wanted = set(selected_services(target.project, tuple(target.services), no_deps=False))
        stopped = [
            c
            for c in target.observed.containers
            if not c.oneoff and not c.running and c.service in wanted
        ]
    plan = target.ordered_plan(stopped, "start", dependencies_first=True)
    # 1.29.2 reports `start` per service: "Starting db ... done".
    services = {c.name: c.service for c in stopped} if options.compatibility else None
    return target.run(plan, "Starting", shown_as=services, gated="start")


def restart(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Restart service containers.

    Usage: restart [options] [SERVICE...]

    Options:
      -t, --timeout TIMEOUT  Seconds to wait for a container to stop before killing it
    """
    from compose_core.converge.reconcile import restart_dependents

    target = _Target(options, args, console)
    containers = target.containers()
    if target.project is not None and target.services:
        # Services that depend on a restarted one with `restart: true` restart too.
        also = restart_dependents(target.project, target.services)
        containers += [c for c in target.observed.containers if not c.oneoff and c.service in also]
    plan = target.ordered_plan(containers, "restart", dependencies_first=True)
    return target.run(
        plan, "Restarting", timeout=common.timeout(args["--timeout"]), gated="restart"
    )


def kill(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Force running containers to stop, with SIGKILL or the signal given.

    Usage: kill [options] [SERVICE...]

    Options:
      -s, --signal SIGNAL  Signal to send [default: SIGKILL]
      --remove-orphans     Also kill containers of services not in the Compose file
    """
    target = _Target(options, args, console)
    running = [c for c in target.containers() if c.running]
    plan = target.ordered_plan(running, "kill", note=args["--signal"])
    if not running:
        log.warning("no container to kill")
    return target.run(plan, "Killing")


def pause(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Pause the processes of running containers.

    Usage: pause [SERVICE...]
    """
    target = _Target(options, args, console)
    running = [c for c in target.containers() if c.state == "running"]
    return target.run(target.ordered_plan(running, "pause"), "Pausing")


def unpause(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Resume the processes of paused containers.

    Usage: unpause [SERVICE...]
    """
    target = _Target(options, args, console)
    paused = [c for c in target.containers() if c.state == "paused"]
    return target.run(target.ordered_plan(paused, "unpause"), "Unpausing")


def rm(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Remove stopped service containers.

    Usage: rm [options] [SERVICE...]

    Options:
      -f, --force    Don't ask to confirm the removal
      -s, --stop     Stop the containers first, if need be
      -v, --volumes  Remove the anonymous volumes attached to the containers
    """
    from compose_core.converge.plan import WITH_ANONYMOUS_VOLUMES, Plan
    from compose_core.converge.teardown import plan_remove, plan_stop

    target = _Target(options, args, console)
    candidates = target.containers()
    if not args["--stop"]:
        candidates = [c for c in candidates if not c.running]
    if not candidates:
        console.err("No stopped containers")
        return 0
    names = ", ".join(sorted(c.name for c in candidates))
    if args["--force"]:
        if options.compatibility:
            console.err(f"Going to remove {names}")  # 1.29.2 says so even with -f
    elif not _confirm(console, f"Going to remove {names}"):
        return 0
    plan = Plan()
    stops = plan_stop(target.project, candidates, plan) if args["--stop"] else ()
    note = WITH_ANONYMOUS_VOLUMES if args["--volumes"] else ""
    plan_remove(candidates, plan, stops, note=note)
    return target.run(plan, "Removing")


def scale(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Set the number of containers of services (deprecated: use `up --scale`).

    Usage: scale [options] SERVICE=NUM...

    Options:
      -t, --timeout TIMEOUT  Seconds to wait for a container to stop when scaling down
    """
    from compose_core.converge.reconcile import UpOptions
    from compose_core.ops import up as up_op

    log.warning(
        "The scale command is deprecated. Use the up command with the --scale flag instead."
    )
    project = common.load(options)
    wanted = common.scale_flags(args["SERVICE=NUM"], project)
    active, renderer = common.session(options, console, "Running")
    up_options = UpOptions(
        services=tuple(wanted),
        no_deps=True,
        no_recreate=True,
        scale=wanted,
        compatibility=options.compatibility,
    )
    try:
        up_op.up(active, project, up_options, timeout=common.timeout(args["--timeout"]))
    finally:
        renderer.close()
    return 0


# How progress lines name each action of these commands.
_PROGRESS_VERBS = {
    "start": "Starting",
    "stop": "Stopping",
    "remove": "Removing",
    "restart": "Restarting",
    "kill": "Killing",
    "pause": "Pausing",
    "unpause": "Unpausing",
}


def _confirm(console: Console, question: str) -> bool:
    console.stderr.write(f"{question}\nAre you sure? [yN] ")
    console.stderr.flush()
    answer = console.stdin.readline().strip().lower()
    return answer in ("y", "yes")


class _Target:
    """The project (or just its name) and the observed containers a command works on."""

    def __init__(self, options: GlobalOptions, args: dict[str, Any], console: Console) -> None:
        from compose_core.engine.observe import observe

        self.options = options
        self.console = console
        self.services = args.get("SERVICE") or []
        self.project, self.name = common.load_or_name(options)
        common.check_services(self.project, self.services)
        self.session, self.renderer = common.session(options, console, "Running")
        self.observed = observe(self.session.gateway, self.name, include_resources=False)

    def containers(self) -> list[Any]:
        wanted = set(self.services)
        return [
            c
            for c in self.observed.containers
            if not c.oneoff and (not wanted or c.service in wanted)
        ]

    def ordered_plan(
        self,
        containers: list[Any],
        action: str,
        *,
        dependencies_first: bool = False,
        note: str = "",
    ) -> Any:
        from compose_core.converge.plan import CONTAINER, Plan
        from compose_core.converge.teardown import container_op, stop_order

        plan = Plan()
        groups = stop_order(self.project, containers)
        if dependencies_first:
            groups = list(reversed(groups))
        previous: tuple[str, ...] = ()
        for group in groups:
            ids = []
            for container in group:
                op_id = f"{CONTAINER}:{container.id}:{action}"
                op = plan.add(container_op(container, op_id, action, after=previous, note=note))
                ids.append(op.id)
            previous = tuple(ids)
        return plan

    def run(
        self,
        plan: Any,
        verb: str,
        timeout: int | None = None,
        shown_as: dict | None = None,
        *,
        gated: str | None = None,
    ) -> int:
        """Carry out `plan`; `gated` ("start" or "restart") waits for depends_on conditions."""
        from compose_core.converge.executor import Executor
        from compose_core.ops.actions import Actions
        from compose_core.ops.gate import gated_actions

        if self.options.dry_run:
            common.print_plan(self.console, plan, "text")
            return 0
        by_verb: dict[str, list[str]] = {}
        for op in plan.operations:
            by_verb.setdefault(_PROGRESS_VERBS.get(op.action, verb), []).append(op.name)
        for progress_verb, names in by_verb.items():
            self.renderer.expect(progress_verb, names, shown_as)
        services = {op.service for op in plan.operations if op.service}
        try:
            if gated is None:
                actions = Actions(self.session, self.project, timeout)
                Executor(actions.actions(), self.session.parallel).run(plan)
            else:
                restarting = gated == "restart"
                with gated_actions(
                    self.session,
                    self.project,
                    self.observed,
                    timeout,
                    services,
                    restarting=restarting,
                ) as (actions, on_cancel):
                    Executor(actions.actions(), self.session.parallel, on_cancel).run(plan)
        finally:
            self.renderer.close()
        return 0
