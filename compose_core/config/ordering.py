"""Key order of Compose v2's `config` output.

Structures print their fields in the order of the Go model (mostly, not
entirely, alphabetical); user-keyed mappings (services, environment,
labels, ...) print sorted in the "natural" order of the Go YAML encoder,
where runs of digits compare as numbers (`a9` before `a10`). Keys the model
does not know come after the known ones, `x-` extensions last.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

SERVICE_FIELDS = (
    "name", "profiles", "annotations", "attach", "build", "develop", "blkio_config",
    "cap_add", "cap_drop", "cgroup_parent", "cgroup", "cpu_count", "cpu_percent",
    "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpus", "cpuset",
    "cpu_shares", "command", "configs", "container_name", "credential_spec", "depends_on",
    "deploy", "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "dockerfile",
    "domainname", "entrypoint", "provider", "environment", "env_file", "expose", "extends",
    "external_links", "extra_hosts", "group_add", "gpus", "hostname", "healthcheck", "image",
    "init", "ipc", "isolation", "labels", "label_file", "links", "logging", "log_driver",
    "log_opt", "mem_limit", "mem_reservation", "memswap_limit", "mem_swappiness",
    "mac_address", "models", "net", "network_mode", "networks", "oom_kill_disable",
    "oom_score_adj", "pid", "pids_limit", "platform", "ports", "privileged", "pull_policy",
    "read_only", "restart", "runtime", "scale", "secrets", "security_opt", "shm_size",
    "stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "sysctls", "tmpfs", "tty",
    "ulimits", "use_api_socket", "user", "userns_mode", "uts", "volume_driver", "volumes",
    "volumes_from", "working_dir", "post_start", "pre_stop",
)  # fmt: skip
TOP_LEVEL_FIELDS = ("name", "services", "networks", "volumes", "secrets", "configs", "models")
BUILD_FIELDS = (
    "context", "dockerfile", "dockerfile_inline", "entitlements", "args", "provenance", "sbom",
    "ssh", "labels", "cache_from", "cache_to", "no_cache", "no_cache_filter",
    "additional_contexts", "pull", "extra_hosts", "isolation", "network", "target", "secrets",
    "shm_size", "tags", "ulimits", "platforms", "privileged",
)  # fmt: skip
PORT_FIELDS = ("name", "mode", "host_ip", "target", "published", "protocol", "app_protocol")
VOLUME_FIELDS = (
    "type", "source", "target", "read_only", "consistency", "bind", "volume", "tmpfs", "image",
)  # fmt: skip
HEALTHCHECK_FIELDS = (
    "test", "timeout", "interval", "retries", "start_period", "start_interval", "disable",
)  # fmt: skip
DEPLOY_FIELDS = (
    "mode", "replicas", "labels", "update_config", "rollback_config", "resources",
    "restart_policy", "placement", "endpoint_mode",
)  # fmt: skip
UPDATE_FIELDS = (
    "parallelism", "delay", "failure_action", "monitor", "max_failure_ratio", "order",
)  # fmt: skip
RESOURCE_FIELDS = ("cpus", "memory", "pids", "devices", "generic_resources")
DEVICE_REQUEST_FIELDS = ("capabilities", "driver", "count", "device_ids", "options")
NETWORK_FIELDS = (
    "name", "driver", "driver_opts", "ipam", "external", "internal", "attachable", "labels",
    "enable_ipv4", "enable_ipv6",
)  # fmt: skip
VOLUME_RESOURCE_FIELDS = ("name", "driver", "driver_opts", "external", "labels")
FILE_OBJECT_FIELDS = (
    "name", "file", "environment", "content", "external", "labels", "driver", "driver_opts",
    "template_driver",
)  # fmt: skip
SERVICE_NETWORK_FIELDS = (
    "aliases", "driver_opts", "gw_priority", "interface_name", "ipv4_address", "ipv6_address",
    "link_local_ips", "mac_address", "priority",
)  # fmt: skip
TRIGGER_FIELDS = ("path", "action", "target", "exec", "include", "ignore", "initial_sync")
HOOK_FIELDS = ("command", "user", "privileged", "working_dir", "environment")
BLKIO_FIELDS = (
    "weight", "weight_device", "device_read_bps", "device_read_iops", "device_write_bps",
    "device_write_iops",
)  # fmt: skip

Shape = Callable[[Any], Any]


def natural_less(left: str, right: str) -> bool:
    """The key order of the Go YAML encoder: digit runs compare as numbers."""
    digits = False
    for index, (a, b) in enumerate(zip(left, right)):
        if a == b:
            digits = a.isdecimal()
            continue
        a_letter, b_letter = a.isalpha(), b.isalpha()
        if a_letter and b_letter:
            return a < b
        if a_letter or b_letter:
            return a_letter if digits else b_letter
        return _number_less(left, right, index)
    return len(left) < len(right)


def _number_less(left: str, right: str, index: int) -> bool:
    """At `index` neither side has a letter: compare the digit runs starting there."""
    seed = 0
    if left[index] == "0" or right[index] == "0":
        # After a non-zero digit of the common prefix, leading zeros are significant.
        earlier = left[:index]
        while earlier and earlier[-1].isdecimal():
            if earlier[-1] != "0":
                seed = 1
                break
            earlier = earlier[:-1]
    left_end, left_number = _digit_run(left, index, seed)
    right_end, right_number = _digit_run(right, index, seed)
    if left_number != right_number:
        return left_number < right_number
    if left_end != right_end:
        return left_end < right_end
    return left[index] < right[index]


def _digit_run(text: str, start: int, number: int) -> tuple[int, int]:
    end = start
    while end < len(text) and text[end].isdecimal():
        number = number * 10 + int(text[end])
        end += 1
    return end, number


def _natural_compare(left: Any, right: Any) -> int:
    left_text, right_text = str(left), str(right)
    if natural_less(left_text, right_text):
        return -1
    return 1 if natural_less(right_text, left_text) else 0


natural_key = functools.cmp_to_key(_natural_compare)


def sorted_mapping(mapping: dict, shape_value: Shape | None = None) -> dict:
    """`mapping` with its keys in natural order, each value shaped by `shape_value`."""
    shape_value = shape_value or _unchanged
    return {key: shape_value(mapping[key]) for key in sorted(mapping, key=natural_key)}


def ordered_fields(
    mapping: dict, fields: tuple[str, ...], shapes: dict[str, Shape] | None = None
) -> dict:
    """`mapping` with its keys in the order of `fields`, then others, then `x-` keys."""
    shapes = shapes or {}
    known = [key for key in fields if key in mapping]
    others = sorted((k for k in mapping if k not in fields and not _is_extension(k)), key=str)
    extensions = sorted((k for k in mapping if k not in fields and _is_extension(k)), key=str)
    shaped = {key: shapes.get(key, _unchanged)(mapping[key]) for key in [*known, *others]}
    shaped.update((key, _sorted_deep(mapping[key])) for key in extensions)
    return shaped


def _sorted_deep(value: Any) -> Any:
    """Extension values are free-form; v2 prints their mappings with sorted keys."""
    if isinstance(value, dict):
        return {key: _sorted_deep(value[key]) for key in sorted(value, key=natural_key)}
    if isinstance(value, list):
        return [_sorted_deep(item) for item in value]
    return value


def _is_extension(key: Any) -> bool:
    return isinstance(key, str) and key.startswith("x-")


def _unchanged(value: Any) -> Any:
    return value


def _fields(fields: tuple[str, ...], shapes: dict[str, Shape] | None = None) -> Shape:
    def shape(value: Any) -> Any:
        return ordered_fields(value, fields, shapes) if isinstance(value, dict) else value

    return shape


def _each(shape: Shape) -> Shape:
    def shape_list(value: Any) -> Any:
        return [shape(entry) for entry in value] if isinstance(value, list) else value

    return shape_list


def _sorted(shape_value: Shape | None = None) -> Shape:
    def shape(value: Any) -> Any:
        return sorted_mapping(value, shape_value) if isinstance(value, dict) else value

    return shape


def _octal_mode(value: Any) -> Any:
    """File modes print as v2 prints them: `"0440"`, not 288."""
    return f"0{value:o}" if isinstance(value, int) and not isinstance(value, bool) else value


_MAP = _sorted()
_FILE_REFERENCE = _fields(("source", "target", "uid", "gid", "mode"), {"mode": _octal_mode})
_DEVICE_REQUEST = _fields(DEVICE_REQUEST_FIELDS, {"options": _MAP})
_RESOURCE = _fields(RESOURCE_FIELDS, {"devices": _each(_DEVICE_REQUEST)})
_UPDATE = _fields(UPDATE_FIELDS)
_HOOK = _fields(HOOK_FIELDS, {"environment": _MAP})
_ULIMIT = _fields(("soft", "hard"))

_SERVICE_SHAPES: dict[str, Shape] = {
    "annotations": _MAP,
    "blkio_config": _fields(
        BLKIO_FIELDS,
        {
            "weight_device": _each(_fields(("path", "weight"))),
            **{key: _each(_fields(("path", "rate"))) for key in BLKIO_FIELDS[2:]},
        },
    ),
    "build": _fields(
        BUILD_FIELDS,
        {
            "args": _MAP,
            "labels": _MAP,
            "additional_contexts": _MAP,
            "secrets": _each(_FILE_REFERENCE),
            "ulimits": _sorted(_ULIMIT),
        },
    ),
    "configs": _each(_FILE_REFERENCE),
    "credential_spec": _fields(("config", "file", "registry")),
    "depends_on": _sorted(_fields(("condition", "restart", "required"))),
    "deploy": _fields(
        DEPLOY_FIELDS,
        {
            "labels": _MAP,
            "update_config": _UPDATE,
            "rollback_config": _UPDATE,
            "resources": _fields(
                ("limits", "reservations"), {"limits": _RESOURCE, "reservations": _RESOURCE}
            ),
            "restart_policy": _fields(("condition", "delay", "max_attempts", "window")),
            "placement": _fields(("constraints", "preferences", "max_replicas_per_node")),
        },
    ),
    "develop": _fields(("watch",), {"watch": _each(_fields(TRIGGER_FIELDS, {"exec": _HOOK}))}),
    "devices": _each(_fields(("source", "target", "permissions"))),
    "environment": _MAP,
    "env_file": _each(_fields(("path", "required", "format"))),
    "extends": _fields(("file", "service")),
    "gpus": _each(_DEVICE_REQUEST),
    "healthcheck": _fields(HEALTHCHECK_FIELDS),
    "labels": _MAP,
    "logging": _fields(("driver", "options"), {"options": _MAP}),
    "log_opt": _MAP,
    "models": _MAP,
    "networks": _sorted(_fields(SERVICE_NETWORK_FIELDS, {"driver_opts": _MAP})),
    "ports": _each(_fields(PORT_FIELDS)),
    "post_start": _each(_HOOK),
    "pre_stop": _each(_HOOK),
    "secrets": _each(_FILE_REFERENCE),
    "storage_opt": _MAP,
    "sysctls": _MAP,
    "ulimits": _sorted(_ULIMIT),
    "volumes": _each(
        _fields(
            VOLUME_FIELDS,
            {
                "bind": _fields(("selinux", "propagation", "create_host_path", "recursive")),
                "volume": _fields(("labels", "nocopy", "subpath"), {"labels": _MAP}),
                "tmpfs": _fields(("size", "mode"), {"mode": _octal_mode}),
            },
        )
    ),
}

_IPAM_POOL = _fields(("subnet", "gateway", "ip_range", "aux_addresses"), {"aux_addresses": _MAP})
_TOP_LEVEL_SHAPES: dict[str, Shape] = {
    "networks": _sorted(
        _fields(
            NETWORK_FIELDS,
            {
                "driver_opts": _MAP,
                "labels": _MAP,
                "ipam": _fields(
                    ("driver", "config", "options"), {"config": _each(_IPAM_POOL), "options": _MAP}
                ),
            },
        )
    ),
    "volumes": _sorted(_fields(VOLUME_RESOURCE_FIELDS, {"driver_opts": _MAP, "labels": _MAP})),
    "secrets": _sorted(_fields(FILE_OBJECT_FIELDS, {"driver_opts": _MAP, "labels": _MAP})),
    "configs": _sorted(_fields(FILE_OBJECT_FIELDS, {"driver_opts": _MAP, "labels": _MAP})),
    "models": _MAP,
}


def order_service(service: dict) -> dict:
    """A new service mapping, keys and nested keys in v2's `config` order."""
    return ordered_fields(service, SERVICE_FIELDS, _SERVICE_SHAPES)


def order_document(doc: dict) -> dict:
    """A new document in v2's `config` order: services by name, then resources by name."""
    shapes = {**_TOP_LEVEL_SHAPES, "services": _sorted(_order_service_value)}
    return ordered_fields(doc, TOP_LEVEL_FIELDS, shapes)


def _order_service_value(service: Any) -> Any:
    return order_service(service) if isinstance(service, dict) else service
