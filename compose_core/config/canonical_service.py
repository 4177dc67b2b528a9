"""Long forms of a service's keys: one small converter per key with a short syntax.

Keys without an entry in SERVICE_CONVERTERS pass through unchanged. No
defaults are added here (see canonical.finalize); only the shapes change.
"""

from __future__ import annotations

from typing import Any

from compose_core.config import canonical_mounts as mounts
from compose_core.config.canonical_common import (
    Context,
    Converter,
    byte_text,
    child,
    convert_keys,
    convert_wrapped,
    describe,
    duration_text,
    file_mode,
    is_remote_reference,
    item,
    require_list,
    require_mapping,
    scalar_text,
    string_list,
    string_mapping,
    to_float,
    to_int,
)
from compose_core.config.yaml_loader import Override, Reset


def canonicalize_service(service: Any, ctx: Context, path: str) -> dict:
    if service is None:
        return {}
    mapping = require_mapping(service, ctx, path, "a service")
    return convert_keys(mapping, SERVICE_CONVERTERS, ctx, path)


def environment(value: Any, ctx: Context, path: str) -> dict:
    """`environment` (and `build.args`): keys without a value become None."""
    mapping = string_mapping(value, ctx, path, unset=None)
    for key in mapping:
        if key != key.strip():
            raise ctx.error(
                child(path, key),
                f"the variable name {key!r} has spaces around it; write NAME=VALUE without spaces",
            )
    return mapping


def labels(value: Any, ctx: Context, path: str) -> dict:
    """`labels`-like keys: keys without a value become the empty string."""
    return string_mapping(value, ctx, path, unset="")


def _each_item(convert: Converter) -> Converter:
    """A converter for a list whose every item is converted by `convert`."""

    def convert_list(value: Any, ctx: Context, path: str) -> list:
        entries = require_list(value, ctx, path, "this key")
        return [
            convert_wrapped(entry, convert, ctx, item(path, i)) for i, entry in enumerate(entries)
        ]

    return convert_list


def _names_to_mapping(value: Any, ctx: Context, path: str) -> dict:
    """A list of names, or a mapping: a mapping (`[a, b]` -> `{a: None, b: None}`)."""
    if isinstance(value, list):
        return {str(name): None for name in value}
    return dict(require_mapping(value, ctx, path, "this key"))


def depends_on(value: Any, ctx: Context, path: str) -> dict:
    """`depends_on: [db]` -> `{db: {}}`; conditions are defaulted in finalize."""
    if isinstance(value, list):
        return {str(name): {} for name in value}
    mapping = require_mapping(value, ctx, path, "depends_on")
    return {
        name: convert_wrapped(entry, _dependency, ctx, child(path, name))
        for name, entry in mapping.items()
    }


def _dependency(value: Any, ctx: Context, path: str) -> dict:
    return {} if value is None else dict(require_mapping(value, ctx, path, "a dependency"))


def service_networks(value: Any, ctx: Context, path: str) -> dict:
    """`networks: [back]` -> `{back: None}`; long entries keep their settings."""
    mapping = _names_to_mapping(value, ctx, path)
    return {
        name: convert_wrapped(entry, _service_network, ctx, child(path, name))
        for name, entry in mapping.items()
    }


def _service_network(value: Any, ctx: Context, path: str) -> dict | None:
    if value is None:
        return None
    network = dict(require_mapping(value, ctx, path, "a service network"))
    return convert_keys(network, {"driver_opts": labels, "aliases": string_list}, ctx, path)


def file_references(value: Any, ctx: Context, path: str) -> list:
    """Service `secrets`/`configs`: a name becomes `{source: NAME}`."""
    result = []
    for index, entry in enumerate(require_list(value, ctx, path, "this key")):
        entry_path = item(path, index)
        if isinstance(entry, (Reset, Override)):
            result.append(entry)
        elif isinstance(entry, str):
            result.append({"source": entry})
        else:
            reference = dict(require_mapping(entry, ctx, entry_path, "a reference"))
            for key in ("uid", "gid"):
                if reference.get(key) is not None:
                    reference[key] = scalar_text(reference[key])
            if reference.get("mode") is not None:
                reference["mode"] = file_mode(reference["mode"], ctx, f"{entry_path}.mode")
            result.append(reference)
    return result


def extra_hosts(value: Any, ctx: Context, path: str) -> list:
    """Host entries as v2 prints them: sorted `HOST=IP` strings, IPv6 without brackets."""
    pairs: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        for host, addresses in value.items():
            listed = addresses if isinstance(addresses, list) else [addresses]
            pairs.extend((str(host), address) for address in listed)
    else:
        for index, entry in enumerate(require_list(value, ctx, path, "extra_hosts")):
            pairs.append(_host_entry(entry, ctx, item(path, index)))

    entries = []
    for host, address in pairs:
        text = scalar_text(address) if address is not None else ""
        if text.startswith("[") and text.endswith("]"):
            text = text[1:-1]
        entries.append(f"{host}={text}")
    return sorted(entries)


def _host_entry(entry: Any, ctx: Context, path: str) -> tuple[str, str]:
    text = entry if isinstance(entry, str) else ""
    separator = "=" if "=" in text else ":"
    host, found, address = text.partition(separator)
    if not found or not host or not address:
        raise ctx.error(
            path, f"{describe(entry)} is not a host entry; expected 'HOSTNAME=IP' or 'HOSTNAME:IP'"
        )
    return host, address


def env_files(value: Any, ctx: Context, path: str) -> list:
    """`env_file` as a list of `{path: ABSOLUTE, required: BOOL}`."""
    entries = [value] if isinstance(value, str) else require_list(value, ctx, path, "env_file")
    result = []
    for index, entry in enumerate(entries):
        if isinstance(entry, str):
            result.append({"path": ctx.host_path(entry), "required": True})
            continue
        env_file = dict(require_mapping(entry, ctx, item(path, index), "an env_file entry"))
        if not isinstance(env_file.get("path"), str):
            raise ctx.error(item(path, index), "an env_file entry needs a 'path'")
        env_file["path"] = ctx.host_path(env_file["path"])
        env_file.setdefault("required", True)
        result.append(env_file)
    return result


def host_paths(value: Any, ctx: Context, path: str) -> list:
    """A path or a list of paths, made absolute (`label_file`)."""
    return [ctx.host_path(entry) for entry in string_list(value, ctx, path)]


def healthcheck(value: Any, ctx: Context, path: str) -> dict:
    check = dict(require_mapping(value, ctx, path, "healthcheck"))
    return convert_keys(check, HEALTHCHECK_CONVERTERS, ctx, path)


def _health_test(value: Any, ctx: Context, path: str) -> list:
    if isinstance(value, str):
        return ["CMD-SHELL", value]
    return string_list(value, ctx, path)


def _retries(value: Any, ctx: Context, path: str) -> int:
    return to_int(value, ctx, path, "a number of retries")


def build(value: Any, ctx: Context, path: str) -> dict:
    """`build: ./dir` -> `{context: /abs/dir}`; a mapping's short keys become long."""
    if isinstance(value, str):
        return {"context": ctx.host_path_unless_remote(value)}
    mapping = dict(require_mapping(value, ctx, path, "build"))
    return convert_keys(mapping, BUILD_CONVERTERS, ctx, path)


def _build_context(value: Any, ctx: Context, path: str) -> str:
    if not isinstance(value, str):
        raise ctx.error(path, f"a build context must be a path or a URL, not {describe(value)}")
    return ctx.host_path_unless_remote(value)


def _additional_contexts(value: Any, ctx: Context, path: str) -> dict:
    mapping = string_mapping(value, ctx, path, unset="")
    return {
        name: location if _is_named_context(location) else ctx.host_path(location)
        for name, location in mapping.items()
    }


def _is_named_context(location: Any) -> bool:
    if not isinstance(location, str):
        return True
    return is_remote_reference(location) or location.startswith(("service:", "target:"))


def _ssh(value: Any, ctx: Context, path: str) -> list:
    if isinstance(value, dict):
        return [key if entry is None else f"{key}={entry}" for key, entry in value.items()]
    return string_list(value, ctx, path)


def gpus(value: Any, ctx: Context, path: str) -> list:
    """`gpus: all` -> `[{count: -1}]`; a list of device requests keeps its entries."""
    if value == "all":
        return [{"count": -1}]
    return _each_item(_device_request)(value, ctx, path)


def _device_request(value: Any, ctx: Context, path: str) -> dict:
    request = dict(require_mapping(value, ctx, path, "a device request"))
    if "count" in request:
        count = request["count"]
        all_devices = isinstance(count, str) and count.lower() == "all"
        request["count"] = (
            -1 if all_devices else to_int(count, ctx, f"{path}.count", "'all' or a number")
        )
    return convert_keys(
        request,
        {"device_ids": string_list, "capabilities": string_list, "options": labels},
        ctx,
        path,
    )


def _resource(value: Any, ctx: Context, path: str) -> dict:
    resource = dict(require_mapping(value, ctx, path, "a resource"))
    return convert_keys(
        resource,
        {"cpus": to_float, "memory": byte_text, "devices": _each_item(_device_request)},
        ctx,
        path,
    )


def _each_key(converters: dict[str, Converter]) -> Converter:
    """A converter for a mapping whose named keys have converters of their own."""

    def convert_mapping(value: Any, ctx: Context, path: str) -> dict:
        return convert_keys(
            dict(require_mapping(value, ctx, path, "this key")), converters, ctx, path
        )

    return convert_mapping


def _throttle_devices(rate: Converter) -> Converter:
    def convert_device(value: Any, ctx: Context, path: str) -> dict:
        device = dict(require_mapping(value, ctx, path, "a device"))
        return convert_keys(device, {"rate": rate}, ctx, path)

    return _each_item(convert_device)


def _watch_trigger(value: Any, ctx: Context, path: str) -> dict:
    trigger = dict(require_mapping(value, ctx, path, "a watch rule"))
    if isinstance(trigger.get("path"), str):
        trigger["path"] = ctx.host_path(trigger["path"])
    return convert_keys(trigger, {"exec": _each_key({"environment": environment})}, ctx, path)


def _service_models(value: Any, ctx: Context, path: str) -> dict:
    return _names_to_mapping(value, ctx, path)


def _optional_text_list(value: Any, ctx: Context, path: str) -> Any:
    return value if value is None else string_list(value, ctx, path)


HEALTHCHECK_CONVERTERS: dict[str, Converter] = {
    "test": _health_test,
    "interval": duration_text,
    "timeout": duration_text,
    "start_period": duration_text,
    "start_interval": duration_text,
    "retries": _retries,
}

BUILD_CONVERTERS: dict[str, Converter] = {
    "context": _build_context,
    "args": environment,
    "labels": labels,
    "additional_contexts": _additional_contexts,
    "secrets": file_references,
    "shm_size": byte_text,
    "extra_hosts": extra_hosts,
    "ssh": _ssh,
    "cache_from": string_list,
    "cache_to": string_list,
    "no_cache_filter": string_list,
    "tags": string_list,
    "platforms": string_list,
}

_UPDATE_CONFIG = _each_key({"delay": duration_text, "monitor": duration_text})

DEPLOY_CONVERTERS: dict[str, Converter] = {
    "labels": labels,
    "resources": _each_key({"limits": _resource, "reservations": _resource}),
    "restart_policy": _each_key({"delay": duration_text, "window": duration_text}),
    "update_config": _UPDATE_CONFIG,
    "rollback_config": _UPDATE_CONFIG,
}

BLKIO_CONVERTERS: dict[str, Converter] = {
    "device_read_bps": _throttle_devices(byte_text),
    "device_write_bps": _throttle_devices(byte_text),
    "device_read_iops": _throttle_devices(lambda value, ctx, path: scalar_text(value)),
    "device_write_iops": _throttle_devices(lambda value, ctx, path: scalar_text(value)),
}

_HOOKS = _each_item(_each_key({"environment": environment}))

SERVICE_CONVERTERS: dict[str, Converter] = {
    "annotations": labels,
    "blkio_config": _each_key(BLKIO_CONVERTERS),
    "build": build,
    "configs": file_references,
    "cpus": to_float,
    "depends_on": depends_on,
    "deploy": _each_key(DEPLOY_CONVERTERS),
    "develop": _each_key({"watch": _each_item(_watch_trigger)}),
    "devices": mounts.devices,
    "dns": _optional_text_list,
    "dns_search": _optional_text_list,
    "env_file": env_files,
    "environment": environment,
    "expose": string_list,
    "extra_hosts": extra_hosts,
    "gpus": gpus,
    "group_add": string_list,
    "healthcheck": healthcheck,
    "label_file": host_paths,
    "labels": labels,
    "logging": _each_key({"options": labels}),
    "mem_limit": byte_text,
    "mem_reservation": byte_text,
    "memswap_limit": byte_text,
    "mem_swappiness": byte_text,
    "models": _service_models,
    "networks": service_networks,
    "ports": mounts.ports,
    "post_start": _HOOKS,
    "pre_stop": _HOOKS,
    "secrets": file_references,
    "shm_size": byte_text,
    "stop_grace_period": duration_text,
    "storage_opt": labels,
    "sysctls": labels,
    "tmpfs": _optional_text_list,
    "volumes": mounts.volumes,
}
