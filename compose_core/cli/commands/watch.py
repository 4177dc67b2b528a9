"""Commands that follow the project's containers over time: events, wait."""

from __future__ import annotations

import inspect as pyinspect
import json
import queue
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from compose_core import const
from compose_core.cli.commands.inspect import ProjectView
from compose_core.cli.console import Console
from compose_core.cli.settings import GlobalOptions
from compose_core.errors import UserError


def events(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Stream the events of the project's containers as they happen (Ctrl-C ends it).

    Usage: events [options] [SERVICE...]

    Options:
      --json  Print one JSON object per event
    """
    view = ProjectView(options, args["SERVICE"])
    wanted = set(args["SERVICE"])
    label = f"{const.LABEL_PROJECT}={view.name}"
    stream = view.gateway.events({"type": ["container"], "label": [label]})
    try:
        for raw in stream:
            event = ContainerEvent.of(raw)
            if wanted and event.service not in wanted:
                continue
            console.stdout.write(_event_text(event, bool(args["--json"]), options.compatibility))
            console.stdout.flush()
    except KeyboardInterrupt:
        # 1.29.2 says so and fails; Compose v2 ends the line and exits 130.
        console.err("Aborting." if options.compatibility else "")
        return 1 if options.compatibility else 130
    finally:
        stream.close()
    return 0


@dataclass(frozen=True)
class ContainerEvent:
    """One engine event about a container of the project."""

    nanoseconds: int
    action: str
    id: str
    service: str
    attributes: Mapping[str, str]  # the container's labels less Compose's, name, image...

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> ContainerEvent:
        actor = raw.get("Actor") or {}
        labels = actor.get("Attributes") or {}
        shown = {k: v for k, v in labels.items() if not k.startswith(const.LABEL_PREFIX + ".")}
        nanoseconds = int(raw.get("timeNano") or int(raw.get("time", 0)) * 10**9)
        return cls(
            nanoseconds,
            raw.get("Action") or raw.get("status", ""),
            actor.get("ID") or raw.get("id", ""),
            labels.get(const.LABEL_SERVICE, ""),
            dict(sorted(shown.items())),
        )

    def local_time(self) -> datetime:
        """Local time, cut (not rounded) to the microsecond."""
        seconds, rest = divmod(self.nanoseconds, 10**9)
        return datetime.fromtimestamp(seconds).replace(microsecond=rest // 1000)

    def rfc3339(self) -> str:
        """UTC with as many fraction digits as needed, as Go's RFC3339Nano."""
        seconds, rest = divmod(self.nanoseconds, 10**9)
        stamp = datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        fraction = f"{rest:09d}".rstrip("0")
        return f"{stamp}.{fraction}Z" if fraction else f"{stamp}Z"


def _event_text(event: ContainerEvent, as_json: bool, compatibility: bool) -> str:
    if as_json and compatibility:
        record = {
            "time": event.local_time().isoformat(),
            "type": "container",
            "action": event.action,
            "id": event.id,
            "service": event.service,
            "attributes": event.attributes,
        }
        return json.dumps(record) + "\n"
    if as_json:
        record = {
            "action": event.action,
            "attributes": event.attributes,
            "id": event.id,
            "service": event.service,
            "time": event.rfc3339(),
            "type": "container",
        }
        return json.dumps(record, separators=(",", ":")) + "\n"
    attributes = ", ".join(f"{k}={v}" for k, v in event.attributes.items())
    stamp = event.local_time().strftime("%Y-%m-%d %H:%M:%S.%f")
    line = f"{stamp} container {event.action} {event.id} ({attributes})\n"
    return line if compatibility else line + "\n"  # Compose v2 follows each with an empty line


def wait(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Block until the service containers stop; print each exit code.

    Usage: wait [options] SERVICE...

    Options:
      --down-project  Take the project down once the first container stops
    """
    view = ProjectView(options, args["SERVICE"])
    running = [c for c in view.containers(running_only=True) if c.state == "running"]
    if not running:
        raise UserError(
            f"no running container of {', '.join(args['SERVICE'])} in project {view.name}",
            hint="`docker-compose ps -a` shows their state.",
        )
    stopped: queue.Queue[tuple[str, int | None, BaseException | None]] = queue.Queue()
    for container in running:
        # Daemon threads: Ctrl-C must not wait for the engine's answers.
        threading.Thread(
            target=_exit_code, args=(view.gateway, container.id, stopped), daemon=True
        ).start()
    status = 0
    for position in range(len(running)):
        ident, code, error = stopped.get()
        if error is not None:
            raise error
        if code is not None:  # None: removed before it could be seen to stop
            console.out(f'container "{ident}" exited with status code {code}')
            console.stdout.flush()
            status = code
        if position == 0 and args["--down-project"]:
            _down(options, console)
    return status


def _exit_code(gateway: Any, ident: str, stopped: queue.Queue) -> None:
    from compose_core.engine.gateway import NotFound

    try:
        stopped.put((ident, gateway.wait(ident), None))
    except NotFound:
        stopped.put((ident, None, None))
    except Exception as error:  # noqa: BLE001 - handed to the main thread, raised there
        stopped.put((ident, None, error))


def _down(options: GlobalOptions, console: Console) -> None:
    """`down` with its defaults, as if typed."""
    from docopt import docopt

    from compose_core.cli.registry import COMMANDS, load_command

    handler = load_command(COMMANDS["down"])
    handler(options, docopt(pyinspect.cleandoc(handler.__doc__ or ""), []), console)
