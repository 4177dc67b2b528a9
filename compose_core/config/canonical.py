"""The canonical (long) form of a Compose document, as Compose v2's `config` prints it.

`canonicalize` runs per file, before merging: every short syntax becomes its
long form and relative host paths become absolute, with no defaults added.
`finalize` runs once on the merged document and adds the defaults and
derived values (resource names, the default network, dependency conditions,
env files read into `environment`, ...).

The converters live in canonical_service (service keys), canonical_mounts
(ports, volumes, devices) and canonical_finalize (defaults).
"""

from __future__ import annotations

import logging
from typing import Any

from compose_core.config.canonical_common import (
    Context,
    Converter,
    child,
    convert_keys,
    convert_wrapped,
    describe,
    require_mapping,
    string_mapping,
)
from compose_core.config.canonical_finalize import drop_unused_resources, finalize
from compose_core.config.canonical_service import canonicalize_service, labels

__all__ = ["canonicalize", "drop_unused_resources", "finalize"]

log = logging.getLogger(__name__)

RESOURCE_SECTIONS = ("networks", "volumes", "secrets", "configs")


def canonicalize(doc: dict, *, base_dir: str, source: str) -> dict:
    """A copy of one file's document with every short syntax in its long form."""
    if doc is None:
        return {}
    ctx = Context(source=source, base_dir=base_dir)
    document = dict(require_mapping(doc, ctx, "", "a Compose file"))

    if document.get("services") is not None:
        document["services"] = convert_wrapped(document["services"], _services, ctx, "services")
    for section in RESOURCE_SECTIONS:
        if document.get(section) is not None:
            document[section] = convert_wrapped(document[section], _resources, ctx, section)
    return document


def _services(value: Any, ctx: Context, path: str) -> dict:
    services = require_mapping(value, ctx, path, "services")
    return {
        name: convert_wrapped(service, canonicalize_service, ctx, child(path, name))
        for name, service in services.items()
    }


def _resources(value: Any, ctx: Context, path: str) -> dict:
    resources = require_mapping(value, ctx, path, path)
    return {
        name: convert_wrapped(resource, _resource, ctx, child(path, name))
        for name, resource in resources.items()
    }


def _resource(value: Any, ctx: Context, path: str) -> dict:
    """One top-level network, volume, secret or config."""
    if value is None:
        return {}
    resource = dict(require_mapping(value, ctx, path, "a resource definition"))
    resource = convert_keys(resource, _RESOURCE_CONVERTERS, ctx, path)
    if isinstance(resource.get("external"), dict):
        _convert_legacy_external(resource, ctx, path)
    return resource


def _convert_legacy_external(resource: dict, ctx: Context, path: str) -> None:
    """`external: {name: x}` (deprecated) -> `external: true, name: x`."""
    legacy_name = resource["external"].get("name")
    resource["external"] = True
    if legacy_name is None:
        return
    log.warning(
        "%s: %s: external.name is deprecated; set name and external: true", ctx.source, path
    )
    if resource.get("name") not in (None, legacy_name):
        raise ctx.error(
            f"{path}.external.name",
            f"the name {legacy_name!r} here conflicts with name {resource['name']!r}; "
            "keep only 'name' beside 'external: true'",
        )
    resource["name"] = legacy_name


def _file(value: Any, ctx: Context, path: str) -> str:
    if not isinstance(value, str):
        raise ctx.error(path, f"a file must be a path, not {describe(value)}")
    return ctx.host_path(value)


def _ipam(value: Any, ctx: Context, path: str) -> dict:
    ipam = dict(require_mapping(value, ctx, path, "ipam"))
    pools = ipam.get("config")
    if isinstance(pools, list):
        ipam["config"] = [
            _ipam_pool(pool, ctx, f"{path}.config[{i}]") for i, pool in enumerate(pools)
        ]
    return convert_keys(ipam, {"options": labels}, ctx, path)


def _ipam_pool(pool: Any, ctx: Context, path: str) -> Any:
    if not isinstance(pool, dict) or pool.get("aux_addresses") is None:
        return pool
    aux = string_mapping(pool["aux_addresses"], ctx, f"{path}.aux_addresses", unset="")
    return {**pool, "aux_addresses": aux}


_RESOURCE_CONVERTERS: dict[str, Converter] = {
    "labels": labels,
    "driver_opts": labels,
    "ipam": _ipam,
    "file": _file,
}
