"""Attached `up`: after converging, follow the services' output until they stop.

Every line of every attached container is printed whole with its prefix; containers
that start later (restarts, scale-ups) are followed too. The first Ctrl-C stops the
project gracefully, a second one kills it. `--abort-on-container-exit` stops the
project when any container exits; `--exit-code-from` returns that service's status.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from typing import Any

from compose_core.cli.console import Console
from compose_core.cli.settings import GlobalOptions
from compose_core.errors import EngineError, UsageError

GRACEFUL = "Gracefully stopping... (press Ctrl+C again to force)"


@dataclass(frozen=True)
class AttachOptions:
    services: tuple[str, ...]  # the services whose output is shown
    abort_on_exit: bool = False
    exit_code_from: str | None = None
    no_color: bool = False
    no_log_prefix: bool = False
    timestamps: bool = False
    timeout: int | None = None


def attach_options(args: dict[str, Any], project: Any) -> AttachOptions:
    """The attach flags of `up`, checked against the project."""
    named = list(args["SERVICE"])
    chosen = list(args.get("--attach") or []) or named or list(project.services)
    if args.get("--attach-dependencies") and named:
        from compose_core.converge.reconcile import selected_services

        chosen = selected_services(project, tuple(named), no_deps=False)
    unwanted = set(args.get("--no-attach") or [])
    for name in [*chosen, *unwanted]:
        if name not in project.services:
            raise UsageError(f"no such service: {name}")
    exit_from = args.get("--exit-code-from")
    if exit_from is not None and exit_from not in project.services:
        raise UsageError(f"no such service: {exit_from}")
    return AttachOptions(
        services=tuple(s for s in chosen if s not in unwanted),
        abort_on_exit=bool(args.get("--abort-on-container-exit")) or exit_from is not None,
        exit_code_from=exit_from,
        no_color=bool(args.get("--no-color")),
        no_log_prefix=bool(args.get("--no-log-prefix")),
        timestamps=bool(args.get("--timestamps")),
    )


def check_flags(args: dict[str, Any]) -> None:
    """Attach flags that make no sense with -d are refused, as Compose does."""
    if args["--detach"]:
        for flag in ("--abort-on-container-exit", "--exit-code-from", "--attach"):
            if args.get(flag):
                raise UsageError(f"{flag} and -d cannot be combined")


class AttachedRun:
    """Follows the project's output and stops it when the user or a container says so."""

    def __init__(
        self,
        options: GlobalOptions,
        console: Console,
        session: Any,
        project: Any,
        attach: AttachOptions,
        started: float,
    ) -> None:
        from compose_core.cli.commands.logs import make_printer

        self.options = options
        self.console = console
        self.session = session
        self.project = project
        self.attach = attach
        self.started = started
        self.printer = make_printer(options, console, project.name, no_color=attach.no_color)
        self.printer.prefix = not attach.no_log_prefix
        self.ended: queue.Queue = queue.Queue()
        self.exit_codes: dict[str, int | None] = {}  # service -> exit code of its first exit

    def run(self) -> int:
        from compose_core.engine.observe import observe
        from compose_core.ops.logs import LogFollower, LogOptions

        observed = observe(self.session.gateway, self.project.name, include_resources=False)
        # Every container of the attached services ran in this `up` (a stopped one was
        # started), so all are followed, from the time the `up` began.
        wanted = (c for c in observed.containers if self._wanted(c))
        containers = sorted(wanted, key=lambda c: c.name)
        self.printer.add(c.name for c in containers)
        shown = [
            c.name if self.options.compatibility else self.printer.short(c.name) for c in containers
        ]
        self.console.out("Attaching to " + ", ".join(shown))

        follower = LogFollower(
            self.session.gateway,
            LogOptions(follow=True, timestamps=self.attach.timestamps),
            lambda c, texts: self.printer.lines(c.name, texts),
            self.ended.put,
        )
        for container in containers:
            follower.follow(container, since=self.started)
        follower.watch(self.project.name, self._wanted, since=time.time())
        try:
            return self._until_done(follower)
        except KeyboardInterrupt:
            return self._interrupted(follower)
        finally:
            follower.close()

    def _wanted(self, container: Any) -> bool:
        return not container.oneoff and container.service in self.attach.services

    def _until_done(self, follower: Any) -> int:
        while True:
            try:
                container = self.ended.get(timeout=1.0)
            except queue.Empty:
                if self._all_done(follower):
                    return self._final_code()
                continue
            code, restarting = self._exit_of(container)
            if code is None and not restarting:
                continue  # still running: its log stream ended for another reason
            self.printer.exited(container.name, code)
            self.exit_codes.setdefault(container.service, code)
            if self.attach.abort_on_exit:
                self.console.out("Aborting on container exit...")
                self._stop_all()
                self._drain(follower)
                return self._final_code(first=code)
            if self._all_done(follower):
                return self._final_code()

    def _all_done(self, follower: Any) -> bool:
        """No log is being read, every ended one is reported, and nothing runs."""
        return follower.reading() == 0 and self.ended.empty() and not self._any_running()

    def _drain(self, follower: Any) -> None:
        """After stopping: let the logs end and say how each container exited."""
        follower.join()
        while not self.ended.empty():
            container = self.ended.get()
            code, _ = self._exit_of(container)
            if code is not None:
                self.printer.exited(container.name, code)
                self.exit_codes.setdefault(container.service, code)

    def _exit_of(self, container: Any) -> tuple[int | None, bool]:
        from compose_core.engine.gateway import NotFound

        try:
            state = self.session.gateway.inspect_container(container.id)["State"]
        except NotFound:
            return None, False
        if state.get("Running") and not state.get("Restarting"):
            return None, False
        return int(state.get("ExitCode") or 0), bool(state.get("Restarting"))

    def _any_running(self) -> bool:
        from compose_core.engine.observe import observe

        observed = observe(self.session.gateway, self.project.name, include_resources=False)
        return any(self._wanted(c) and c.running for c in observed.containers)

    def _final_code(self, first: int | None = None) -> int:
        if self.attach.exit_code_from:
            return self.exit_codes.get(self.attach.exit_code_from) or 0
        if self.options.compatibility:
            return 0  # 1.29.2 reports exits only through --exit-code-from
        return first or 0

    def _interrupted(self, follower: Any) -> int:
        self.console.err(GRACEFUL)
        try:
            self._stop_all()
            self._drain(follower)
        except KeyboardInterrupt:
            self._kill_all()
            return 2 if self.options.compatibility else 130
        return 0 if self.options.compatibility else 130

    def _stop_all(self) -> None:
        """Stop the project's running containers, dependents first, on a worker thread so
        that a second Ctrl-C reaches this one at once."""
        from compose_core.converge.executor import Executor
        from compose_core.converge.plan import Plan
        from compose_core.converge.teardown import plan_stop
        from compose_core.engine.observe import observe
        from compose_core.ops.actions import Actions

        observed = observe(self.session.gateway, self.project.name, include_resources=False)
        plan = Plan()
        plan_stop(self.project, [c for c in observed.containers if not c.oneoff], plan)
        actions = Actions(self.session, self.project, self.attach.timeout)
        failures: list[BaseException] = []

        def stop() -> None:
            try:
                Executor(actions.actions(), self.session.parallel).run(plan)
            except BaseException as err:  # noqa: BLE001 - handed to the waiting thread
                failures.append(err)

        worker = threading.Thread(target=stop, name="stop project", daemon=True)
        worker.start()
        while worker.is_alive():
            worker.join(0.2)
        if failures:
            raise failures[0]

    def _kill_all(self) -> None:
        from compose_core.engine.observe import observe

        observed = observe(self.session.gateway, self.project.name, include_resources=False)
        for container in observed.containers:
            if container.running and not container.oneoff:
                try:
                    self.session.gateway.kill(container.id, name=container.name)
                except EngineError:
                    pass  # stopped meanwhile: what we wanted
