"""Read-only looks into the project's containers: port, top, images, stats."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from compose_core.cli.commands import common
from compose_core.cli.console import Console
from compose_core.cli.render.classic_table import classic_table
from compose_core.cli.render.humanize import human_duration
from compose_core.cli.render.table import Table
from compose_core.cli.settings import GlobalOptions
from compose_core.errors import UsageError, UserError

log = logging.getLogger(__name__)

PROTOCOLS = ("tcp", "udp", "sctp")


def port(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Print the public address a container's private port is published on.

    Usage: port [options] SERVICE PRIVATE_PORT

    Options:
      --protocol PROTO  tcp, udp or sctp [default: tcp]
      --index N         Which container of the service, when it has several [default: 1]
    """
    protocol = args["--protocol"]
    if protocol not in PROTOCOLS:
        raise UsageError(f"invalid --protocol {protocol!r}; expected one of {', '.join(PROTOCOLS)}")
    private = args["PRIVATE_PORT"]
    if not private.isdigit() or not 0 < int(private) < 65536:
        raise UsageError(f"invalid port {private!r}; expected a number from 1 to 65535")
    index = common.index_flag(args["--index"])
    view = ProjectView(options, [args["SERVICE"]])
    container = view.numbered(args["SERVICE"], index)
    details = view.gateway.inspect_container(container.id)
    key = f"{int(private)}/{protocol}"
    bindings = ((details.get("NetworkSettings") or {}).get("Ports") or {}).get(key)
    if not bindings:
        raise UserError(
            f"no port {key} is published by container {container.name}",
            hint=f"It publishes: {_published(details) or 'nothing'}.",
        )
    console.out(f"{bindings[0].get('HostIp') or '0.0.0.0'}:{bindings[0]['HostPort']}")
    return 0


def top(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Display the processes running in the service containers.

    Usage: top [SERVICE...]
    """
    view = ProjectView(options, args["SERVICE"])
    live = [c for c in view.containers(running_only=True) if c.state in ("running", "paused")]
    containers = sorted(live, key=lambda c: c.name)  # both tools: web-10 before web-2
    listings = [view.gateway.top(c.id, name=c.name) for c in containers]
    if options.compatibility:
        blocks = [
            f"{c.name}\n" + classic_table(listing["Titles"], listing["Processes"] or [])
            for c, listing in zip(containers, listings)
        ]
        console.stdout.write("\n".join(blocks))
        return 0
    if not containers:
        return 0
    table = Table(["SERVICE", "#", *listings[0]["Titles"]], gap=2, min_width=4)
    for container, listing in zip(containers, listings):
        for process in listing["Processes"] or []:
            table.add([container.service, str(container.number), *process])
    console.stdout.write(table.render())
    return 0


def images(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """List the images the project's containers use.

    Usage: images [options] [SERVICE...]

    Options:
      -q, --quiet      Only print the image IDs
      --format FORMAT  table or json [default: table]
    """
    fmt = args["--format"]
    if fmt not in ("table", "json"):
        raise UsageError(f"invalid --format {fmt!r}; expected table or json")
    view = ProjectView(options, args["SERVICE"])
    containers = sorted(view.containers(running_only=False), key=lambda c: c.name)
    found = _images(view.gateway, dict.fromkeys(c.image_id for c in containers))
    rows = [ImageRow.of(c, found[c.image_id]) for c in containers if c.image_id in found]
    if args["--quiet"]:
        ids = dict.fromkeys(row.id.removeprefix("sha256:") for row in rows)
        console.stdout.write("".join(f"{i}\n" for i in ids))
    elif fmt == "json":
        records = json.dumps([row.record() for row in rows], separators=(",", ":"))
        console.stdout.write(records + "\n\n")  # Compose v2 ends it with an empty line
    elif options.compatibility:
        headers = ["Container", "Repository", "Tag", "Image Id", "Size"]
        console.stdout.write(classic_table(headers, [row.classic_cells() for row in rows]))
    else:
        headers = ["CONTAINER", "REPOSITORY", "TAG", "PLATFORM", "IMAGE ID", "SIZE", "CREATED"]
        table = Table(headers, gap=3, min_width=20)
        for row in rows:
            table.add(row.cells())
        console.stdout.write(table.render())
    return 0


def stats(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Display the resource usage of the service containers.

    Usage: stats [options] [SERVICE...]

    Options:
      -a, --all        Show every container (the default shows running ones)
      --no-stream      Print one sample and exit
      --no-trunc       Do not truncate the output
      --format FORMAT  table or json [default: table]
    """
    from concurrent.futures import ThreadPoolExecutor

    from compose_core.cli.render.stats import stats_row

    if not args["--no-stream"]:
        # TODO: the streaming form (a table redrawn every second) comes with the
        # live-display work; until then only one sample is offered.
        raise UsageError("stats streams only with --no-stream for now; pass --no-stream")
    fmt = args["--format"]
    if fmt not in ("table", "json"):
        raise UsageError(f"invalid --format {fmt!r}; expected table or json")
    view = ProjectView(options, args["SERVICE"])
    containers = view.containers(running_only=not args["--all"])
    with ThreadPoolExecutor(max_workers=min(16, len(containers) or 1)) as pool:
        samples = list(pool.map(lambda c: view.gateway.stats_sample(c.id, name=c.name), containers))
    rows = [stats_row(c.id, c.name, sample) for c, sample in zip(containers, samples)]
    if fmt == "json":
        lines = (json.dumps(row.record(), separators=(",", ":")) for row in rows)
        console.stdout.write("".join(line + "\n" for line in lines))
        return 0
    headers = ["CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O"]
    table = Table([*headers, "BLOCK I/O", "PIDS"], gap=3, min_width=10)
    for row in rows:
        cells = row.cells()
        table.add([row.id if args["--no-trunc"] else cells[0], *cells[1:]])
    console.stdout.write(table.render())
    return 0


class ProjectView:
    """The project (or its name) and its containers, for commands that only read."""

    def __init__(self, options: GlobalOptions, services: Sequence[str]) -> None:
        from compose_core.engine.client import open_gateway
        from compose_core.engine.observe import observe

        self.project, self.name = common.names_or_name(options)
        self.services = list(services)
        common.check_services(self.project, self.services)
        self.gateway = open_gateway(options)
        self.observed = observe(self.gateway, self.name, include_resources=False)

    def containers(self, *, running_only: bool) -> list[Any]:
        """The services' containers (not one-offs), in the engine's order: newest first."""
        wanted = set(self.services)
        return [
            c
            for c in self.observed.containers
            if not c.oneoff
            and (not wanted or c.service in wanted)
            and (c.running or not running_only)
        ]

    def numbered(self, service: str, index: int | None) -> Any:
        """Container number `index` (default 1) of `service`, which must be running."""
        number = index or 1
        for container in self.observed.service_containers(service):
            if container.number == number:
                if container.state != "running":
                    raise UserError(
                        f"container {container.name} of service {service} is not running",
                        hint=f"Start it with `docker-compose start {service}`.",
                    )
                return container
        raise UserError(
            f"service {service} has no container #{number}",
            hint="`docker-compose ps` lists the containers and their numbers.",
        )


def _images(gateway: Any, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The images by ID; one removed since its container was made is left out."""
    from compose_core.engine.gateway import NotFound

    found = {}
    for ident in ids:
        try:
            found[ident] = gateway.inspect_image(ident)
        except NotFound:
            log.warning("image %s of a container is gone; not listed", ident[:19])
    return found


def _published(details: dict[str, Any]) -> str:
    ports = (details.get("NetworkSettings") or {}).get("Ports") or {}
    return ", ".join(key for key, bindings in sorted(ports.items()) if bindings)


class ImageRow:
    """One container's image, as `images` lists it."""

    def __init__(self, container: str, image: dict[str, Any], repository: str, tag: str):
        self.container = container
        self.image = image
        self.repository = repository
        self.tag = tag
        self.id = image.get("Id", "")

    @classmethod
    def of(cls, container: Any, image: dict[str, Any]) -> ImageRow:
        """The tag the container was created from, if the image still carries it."""
        tags = image.get("RepoTags") or []
        name = container.image if container.image in tags else (tags[0] if tags else "")
        repository, tag = _split_reference(name)
        return cls(container.name, image, repository, tag)

    def platform(self) -> str:
        parts = [self.image.get("Os"), self.image.get("Architecture"), self.image.get("Variant")]
        return "/".join(p for p in parts if p)

    def cells(self) -> list[str]:
        from compose_core.cli.render.stats import decimal_size

        return [
            self.container,
            self.repository,
            self.tag,
            self.platform(),
            self.id.removeprefix("sha256:")[:12],
            decimal_size(self.image.get("Size") or 0),
            human_duration(time.time() - _timestamp(self.tagged_at())) + " ago",
        ]

    def tagged_at(self) -> str:
        """When the image was last tagged (what Compose v2 shows as CREATED), else built."""
        tagged = (self.image.get("Metadata") or {}).get("LastTagTime") or ""
        return self.image.get("Created", "") if tagged.startswith("0001-") else tagged

    def classic_cells(self) -> list[str]:
        return [
            self.container,
            self.repository,
            self.tag,
            self.id.removeprefix("sha256:")[:12],
            classic_size(self.image.get("Size") or 0),
        ]

    def record(self) -> dict[str, Any]:
        return {
            "ID": self.id,
            "ContainerName": self.container,
            "Repository": self.repository,
            "Tag": self.tag,
            "Platform": self.platform(),
            "Size": self.image.get("Size") or 0,
            "LastTagTime": (self.image.get("Metadata") or {}).get("LastTagTime", ""),
        }


def _split_reference(name: str) -> tuple[str, str]:
    """`repo[:tag][@digest]` -> (repository, tag); `<none>` for what is missing."""
    if not name:
        return "<none>", "<none>"
    if "@" in name:
        return name.split("@", 1)[0], "<none>"
    repository, _, tag = name.rpartition(":")
    if not repository or "/" in tag:
        return name, "latest"
    return repository, tag


def _timestamp(created: str) -> float:
    """Seconds since the epoch of the engine's RFC 3339 time (nanoseconds cut to micro)."""
    if not created:
        return time.time()
    head, _, fraction = created.replace(" +0000 UTC", "").rstrip("Z").partition(".")
    stamp = datetime.fromisoformat(head + "+00:00").timestamp()
    return stamp + float(f"0.{fraction[:6] or 0}")


def classic_size(size: float) -> str:
    """1.29.2's sizes: powers of 1000, four significant digits, a space before the unit."""
    units = ("B", "kB", "MB", "GB", "TB")
    order = 0
    while size >= 1000 ** (order + 1) and order < len(units) - 1:
        order += 1
    return f"{size / 1000**order:.4g} {units[order]}"
