"""What the engine holds for a project, read in as few calls as possible."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from compose_core import const
from compose_core.engine.gateway import Gateway


@dataclass(frozen=True)
class ObservedContainer:
    """One container of the project, from the engine's list call."""

    id: str
    name: str
    service: str
    number: int
    oneoff: bool
    state: str  # created, running, paused, restarting, removing, exited, dead
    status: str  # the engine's words: "Up 3 seconds", "Exited (0) 2 minutes ago"
    config_hash: str
    image: str
    image_id: str
    labels: Mapping[str, str]
    created: int
    ports: tuple[Mapping[str, Any], ...] = ()
    command: str = ""

    @property
    def running(self) -> bool:
        return self.state in ("running", "restarting", "paused")

    @classmethod
    def from_summary(cls, summary: Mapping[str, Any]) -> ObservedContainer:
        labels = summary.get("Labels") or {}
        names = summary.get("Names") or ["/" + summary["Id"][:12]]
        number = labels.get(const.LABEL_NUMBER, "")
        return cls(
            id=summary["Id"],
            name=names[0].lstrip("/"),
            service=labels.get(const.LABEL_SERVICE, ""),
            number=int(number) if number.isdigit() else 0,
            oneoff=labels.get(const.LABEL_ONEOFF, "False").lower() == "true",
            state=summary.get("State", ""),
            status=summary.get("Status", ""),
            config_hash=labels.get(const.LABEL_CONFIG_HASH, ""),
            image=summary.get("Image", ""),
            image_id=summary.get("ImageID", ""),
            labels=labels,
            created=int(summary.get("Created", 0)),
            ports=tuple(summary.get("Ports") or ()),
            command=summary.get("Command", ""),
        )


@dataclass(frozen=True)
class ObservedState:
    """The project's containers, networks and volumes as the engine reports them."""

    project: str
    containers: tuple[ObservedContainer, ...] = ()
    networks: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # by engine name
    volumes: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # by engine name

    def service_containers(self, service: str) -> list[ObservedContainer]:
        """The service's (non one-off) containers, by number."""
        found = [c for c in self.containers if c.service == service and not c.oneoff]
        return sorted(found, key=lambda c: (c.number, c.created))

    def oneoffs(self) -> list[ObservedContainer]:
        return [c for c in self.containers if c.oneoff]


def observe(
    gateway: Gateway,
    project: str,
    *,
    network_names: tuple[str, ...] = (),
    volume_names: tuple[str, ...] = (),
    include_resources: bool = True,
) -> ObservedState:
    """Read the project's state; `network_names` and `volume_names` are also looked up by name
    (for external and explicitly named resources that carry no project label)."""
    label = f"{const.LABEL_PROJECT}={project}"
    containers = tuple(
        ObservedContainer.from_summary(s) for s in gateway.containers([label], all=True)
    )
    if not include_resources:
        return ObservedState(project, containers)
    networks = {n["Name"]: n for n in gateway.networks(labels=[label])}
    wanted = [n for n in network_names if n not in networks]
    if wanted:
        for network in gateway.networks(names=wanted):
            if network["Name"] in wanted:
                networks[network["Name"]] = network
    volumes = {v["Name"]: v for v in gateway.volumes(labels=[label])}
    for name in volume_names:
        if name not in volumes:
            volumes.update(_volume_by_name(gateway, name))
    return ObservedState(project, containers, networks, volumes)


def _volume_by_name(gateway: Gateway, name: str) -> dict[str, Mapping[str, Any]]:
    from compose_core.engine.gateway import NotFound

    try:
        return {name: gateway.inspect_volume(name)}
    except NotFound:
        return {}
