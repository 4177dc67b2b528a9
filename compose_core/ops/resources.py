"""What the ops share: engine names of project resources, images, and per-service facts."""

from __future__ import annotations

from collections.abc import Mapping

from compose_core.engine.gateway import Gateway, NotFound
from compose_core.errors import UserError
from compose_core.model.hashing import config_hash
from compose_core.model.naming import resource_name
from compose_core.model.project import Project, image_name


def network_names(project: Project) -> dict[str, str]:
    """Network key -> engine name (the loader fills `name`; the fallback is the default)."""
    return {
        key: (spec or {}).get("name") or resource_name(project.name, key)
        for key, spec in project.networks.items()
    }


def volume_names(project: Project) -> dict[str, str]:
    return {
        key: (spec or {}).get("name") or resource_name(project.name, key)
        for key, spec in project.volumes.items()
    }


def service_image(project: Project, service_name: str, compatibility: bool) -> str:
    separator = "_" if compatibility else "-"
    return image_name(project, project.services[service_name], separator)


def hashes(project: Project) -> dict[str, str]:
    return {name: config_hash(s.options) for name, s in project.services.items()}


def image_ids(
    gateway: Gateway, project: Project, services: list[str], compatibility: bool
) -> dict[str, str]:
    """The local image ID of each service's image; a missing image is a clear error."""
    found: dict[str, str] = {}
    by_image: dict[str, str] = {}
    for name in services:
        image = service_image(project, name, compatibility)
        if image not in by_image:
            by_image[image] = _image_id(gateway, image, name, project)
        found[name] = by_image[image]
    return found


def _image_id(gateway: Gateway, image: str, service: str, project: Project) -> str:
    try:
        return gateway.inspect_image(image)["Id"]
    except NotFound:
        # `up` pulls or builds missing images before it plans (ops/images.py); a dry run
        # plans without them, so it needs them made first.
        how = "build" if project.services[service].build else "pull"
        raise UserError(
            f"image {image} for service {service} is not present on the engine",
            hint=f"Make it first: docker-compose {how} {service}",
        ) from None


def mapping_of(value: Mapping | None) -> Mapping:
    return value or {}
