"""Checks across the merged model: references resolve, nothing contradicts itself."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from compose_core.errors import ConfigError
from compose_core.model.graph import find_cycle
from compose_core.model.project import Project, ServiceConfig


def select_profiles(
    services: Mapping[str, ServiceConfig],
    profiles: Iterable[str],
    targets: Sequence[str],
    source: str,
) -> tuple[dict[str, ServiceConfig], dict[str, ServiceConfig]]:
    """Split services into (active, disabled) by the active profiles.

    A service named on the command line makes its own profiles active.
    """
    active_profiles = set(profiles)
    for target in targets:
        if target in services:
            active_profiles.update(services[target].profiles)
    active: dict[str, ServiceConfig] = {}
    disabled: dict[str, ServiceConfig] = {}
    for name, service in services.items():
        enabled = (
            not service.profiles
            or "*" in active_profiles
            or bool(active_profiles.intersection(service.profiles))
        )
        (active if enabled else disabled)[name] = service
    return active, disabled


def check(project: Project, source: str) -> None:
    """Raise ConfigError for the first inconsistency of the model."""
    for service in project.services.values():
        _check_source(service, source)
        _check_references(project, service, source)
        _check_resources(project, service, source)
    edges = {name: s.dependencies() for name, s in project.services.items()}
    cycle = find_cycle(edges)
    if cycle:
        raise ConfigError(
            f"dependency cycle between services: {' -> '.join(cycle)}; "
            "depends_on, links, volumes_from and service: network modes must not loop",
            source=source,
            path=f"services.{cycle[0]}",
        )


def _check_source(service: ServiceConfig, source: str) -> None:
    if not service.image and not service.build:
        raise ConfigError(
            "the service has neither an image nor a build context; give it 'image:' or 'build:'",
            source=source,
            path=f"services.{service.name}",
        )


def _check_references(project: Project, service: ServiceConfig, source: str) -> None:
    where = f"services.{service.name}"
    for name, condition in service.depends_on.items():
        if name in project.services or condition.get("required") is False:
            continue
        _missing_service(project, name, f"{where}.depends_on", "depends on", source)
    for name, _ in service.links():
        if name not in project.services:
            _missing_service(project, name, f"{where}.links", "links to", source)
    for name in service.volumes_from_services():
        if name not in project.services:
            _missing_service(project, name, f"{where}.volumes_from", "mounts volumes from", source)
    for name in service.shared_namespace_services():
        if name not in project.services:
            _missing_service(project, name, f"{where}.network_mode", "joins", source)
    if service.network_mode and service.options.get("networks"):
        raise ConfigError(
            "'network_mode' and 'networks' cannot be used together; a container either "
            "joins networks or takes its network mode, keep one of the two",
            source=source,
            path=where,
        )


def _missing_service(project: Project, name: str, path: str, verb: str, source: str) -> None:
    if name in project.disabled:
        profiles = ", ".join(project.disabled[name].profiles)
        raise ConfigError(
            f"the service {verb} {name!r}, which no active profile enables",
            source=source,
            path=path,
            hint=f"Enable one of its profiles ({profiles}) with --profile or COMPOSE_PROFILES.",
        )
    raise ConfigError(
        f"the service {verb} {name!r}, which is not defined", source=source, path=path
    )


def _check_resources(project: Project, service: ServiceConfig, source: str) -> None:
    where = f"services.{service.name}"
    for network in service.networks:
        if network not in project.networks:
            raise ConfigError(
                f"the service uses the network {network!r}, which is not defined under "
                "the top-level 'networks'",
                source=source,
                path=f"{where}.networks",
            )
    for index, volume in enumerate(service.options.get("volumes") or ()):
        name = volume.get("source")
        if volume.get("type") == "volume" and name and name not in project.volumes:
            raise ConfigError(
                f"the service mounts the volume {name!r}, which is not defined under the "
                "top-level 'volumes'; define it there, or write a path (./dir) for a bind mount",
                source=source,
                path=f"{where}.volumes[{index}]",
            )
    for kind in ("secrets", "configs"):
        defined = getattr(project, kind)
        for index, entry in enumerate(service.options.get(kind) or ()):
            name = entry.get("source")
            if name not in defined:
                raise ConfigError(
                    f"the service uses the {kind[:-1]} {name!r}, which is not defined under "
                    f"the top-level '{kind}'",
                    source=source,
                    path=f"{where}.{kind}[{index}]",
                )
