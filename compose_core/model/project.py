"""The resolved application model: a Project of ServiceConfigs.

The loader builds it from Compose files; everything after the loader reads
it and never changes it. Service options stay in the canonical mapping
form that `config` prints, with typed accessors for what the orchestrator
needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class ServiceConfig:
    """One service of the project, its options in canonical form."""

    name: str
    options: Mapping[str, Any]

    @property
    def image(self) -> str | None:
        return self.options.get("image")

    @property
    def build(self) -> Mapping[str, Any] | None:
        return self.options.get("build")

    @property
    def profiles(self) -> tuple[str, ...]:
        return tuple(self.options.get("profiles") or ())

    @property
    def scale(self) -> int:
        """How many containers `up` runs: `scale`, else `deploy.replicas`, else 1."""
        if self.options.get("scale") is not None:
            return int(self.options["scale"])
        replicas = (self.options.get("deploy") or {}).get("replicas")
        return 1 if replicas is None else int(replicas)

    @property
    def depends_on(self) -> Mapping[str, Mapping[str, Any]]:
        return self.options.get("depends_on") or _EMPTY

    @property
    def network_mode(self) -> str | None:
        return self.options.get("network_mode")

    @property
    def networks(self) -> Mapping[str, Any]:
        return self.options.get("networks") or _EMPTY

    def links(self) -> list[tuple[str, str]]:
        """`links` as (service, alias) pairs."""
        pairs = []
        for link in self.options.get("links") or ():
            service, _, alias = str(link).partition(":")
            pairs.append((service, alias or service))
        return pairs

    def volumes_from_services(self) -> list[str]:
        """The services named in `volumes_from` (not `container:` entries)."""
        names = []
        for entry in self.options.get("volumes_from") or ():
            source = str(entry).split(":")[0]
            if source != "container":
                names.append(source)
        return names

    def shared_namespace_services(self) -> list[str]:
        """Services whose network, ipc or pid namespace this one joins."""
        names = []
        for key in ("network_mode", "ipc", "pid"):
            value = self.options.get(key)
            if isinstance(value, str) and value.startswith("service:"):
                names.append(value[len("service:") :])
        return names

    def dependencies(self) -> set[str]:
        """Every service that must exist before this one can be created."""
        needed = set(self.depends_on)
        needed.update(service for service, _ in self.links())
        needed.update(self.volumes_from_services())
        needed.update(self.shared_namespace_services())
        needed.discard(self.name)
        return needed


@dataclass(frozen=True)
class Project:
    """A named set of services with the networks, volumes, secrets and configs they use."""

    name: str
    working_dir: str
    config_files: tuple[str, ...]
    services: Mapping[str, ServiceConfig]
    networks: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    volumes: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    secrets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    configs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    extensions: Mapping[str, Any] = field(default_factory=dict)
    # Services defined in the files but left out by the active profiles.
    disabled: Mapping[str, ServiceConfig] = field(default_factory=dict)
    environment: Mapping[str, str] = field(default_factory=dict, compare=False)
    legacy: bool = False

    def service(self, name: str) -> ServiceConfig:
        return self.services[name]

    def all_profiles(self) -> list[str]:
        found = set()
        for service in (*self.services.values(), *self.disabled.values()):
            found.update(service.profiles)
        return sorted(found)

    def images(self) -> dict[str, str]:
        """The image of every service; a service built without `image:` gets the default name."""
        return {name: image_name(self, service) for name, service in self.services.items()}

    def to_dict(self) -> dict[str, Any]:
        """The model as a plain document, in the canonical form `config` prints."""
        doc: dict[str, Any] = {"name": self.name}
        doc["services"] = {name: _plain(s.options) for name, s in self.services.items()}
        for key in ("networks", "volumes", "secrets", "configs"):
            section = getattr(self, key)
            if section:
                doc[key] = _plain(section)
        doc.update(_plain(self.extensions))
        return doc


def image_name(project: Project, service: ServiceConfig, separator: str = "-") -> str:
    """The image a service runs: its `image:`, else `<project><sep><service>` when built."""
    if service.image:
        return service.image
    return f"{project.name}{separator}{service.name}"


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
