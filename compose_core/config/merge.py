"""Fold Compose documents into one, following the merge rules of Compose v2.

Both inputs are in the canonical per-file form (long syntax, absolute paths,
no defaults). The general rules: mappings merge key by key, scalars are
replaced, sequences are appended. The exceptions, as Compose v2.40 behaves:

- `command`, `entrypoint`, `healthcheck.test` and a network's `ipam.config`
  are replaced;
- `volumes`, `secrets`, `configs`, `devices`, `ports` and the `blkio_config`
  device lists are unique by a key: an override entry with the key of an
  earlier entry replaces it in place, other entries are appended;
- `env_file` is unique by path, but there the earlier entry is kept;
- lists such as `dns`, `cap_add`, `expose` or `profiles` drop repeated items;
- `logging` starts over when the override names another driver;
- each `ulimits` entry is replaced whole;
- a short-syntax `depends_on` entry (no `condition`) resets the condition to
  `service_started` and `required` to true, as v2 reads `depends_on: [db]`;
- `null` never erases a mapping or a sequence (`!reset` does).

Where v2 merges into a list that its own schema then rejects (repeated items
in `security_opt`, `volumes_from`, `group_add`, ...), the repeats are dropped.
Unlike v2, the `blkio_config` device lists are unique by `path` (as the
specification says for `extends`) and a port's `published` compares as text.

Markers: `!reset` (`Reset`) removes the key, `!override` (`Override`) replaces
the value without merging. The output of `merge_documents` holds no markers;
a marker in the base (a first file read as is) is applied the same way.
`merge_service(..., keep_markers=True)` keeps the override's markers in its
result so that a service resolved by `extends` still resets or overrides what
earlier files define when the files are merged afterwards.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from functools import partial
from types import MappingProxyType
from typing import Any

from compose_core.config.yaml_loader import Override, Reset
from compose_core.errors import ConfigError

log = logging.getLogger(__name__)

_SERVICE = ("services", "*")

# Mappings whose keys are names chosen by the user; rules match them as "*".
_NAMED_KEYS = frozenset(
    {
        ("services",),
        ("networks",),
        ("volumes",),
        ("secrets",),
        ("configs",),
        ("models",),
        (*_SERVICE, "networks"),
        (*_SERVICE, "depends_on"),
    }
)


@dataclass(frozen=True)
class _Where:
    """The position being merged: for error messages and to pick a rule."""

    source: str | None
    path: str
    pattern: tuple[str, ...]
    keep_markers: bool

    def key(self, key: Any) -> _Where:
        step = "*" if self.pattern in _NAMED_KEYS else str(key)
        path = f"{self.path}.{key}" if self.path else str(key)
        return replace(self, path=path, pattern=(*self.pattern, step))


def merge_documents(base: dict, override: dict, *, source: str) -> dict:
    """A new document: `override` (the file `source`) merged onto `base`."""
    where = _Where(source, "", (), keep_markers=False)
    for document, role in ((base, "merged"), (override, "overriding")):
        if not isinstance(document, dict):
            raise ConfigError(
                f"the {role} Compose document is {_kind(document)}; expected a mapping",
                source=source,
            )
    log.debug("merging %s onto the files before it", source)
    return _merge_mapping(strip_markers(base), override, where)


def merge_service(
    base: dict | None,
    override: dict | None,
    *,
    path: str,
    source: str | None = None,
    keep_markers: bool = False,
) -> dict:
    """A new service definition: `override` merged onto `base` (at key path `path`).

    With `keep_markers`, the `!reset`/`!override` markers of `override` stay in
    the result (see the module docstring); otherwise the result has none.
    """
    where = _Where(source, path, _SERVICE, keep_markers)
    base = {} if base is None else base
    override = {} if override is None else override
    for definition in (base, override):
        if not isinstance(definition, dict):
            raise ConfigError(
                f"a service definition is a mapping, not {_kind(definition)}",
                source=source,
                path=path,
            )
    return _merge_mapping(strip_markers(base), override, where)


def strip_markers(value: Any) -> Any:
    """A copy of `value` with `!reset` values removed and `!override` values unwrapped."""
    return _copy(value, keep_markers=False)


def _copy(value: Any, keep_markers: bool) -> Any:
    if isinstance(value, Reset):
        return Reset(strip_markers(value.value)) if keep_markers else None
    if isinstance(value, Override):
        inner = strip_markers(value.value)
        return Override(inner) if keep_markers else inner
    if isinstance(value, dict):
        return {
            key: _copy(item, keep_markers)
            for key, item in value.items()
            if keep_markers or not isinstance(item, Reset)
        }
    if isinstance(value, list):
        return [strip_markers(item) for item in value if not isinstance(item, Reset)]
    return value


def _merge_mapping(base: dict, override: dict, where: _Where) -> dict:
    """Merge `override` into `base`, a marker-free copy this merge owns."""
    for key, value in override.items():
        if isinstance(value, Reset):
            _reset(base, key, value, where)
        elif key in base:
            base[key] = _merge_value(base[key], value, where.key(key))
        else:
            base[key] = _copy(value, where.keep_markers)
    return base


def _reset(result: dict, key: Any, marker: Reset, where: _Where) -> None:
    if where.keep_markers:
        result[key] = _copy(marker, keep_markers=True)
    else:
        result.pop(key, None)


def _merge_value(base: Any, override: Any, where: _Where) -> Any:
    if isinstance(override, Override):
        return _copy(override, where.keep_markers)
    rule = _RULES.get(where.pattern)
    if rule is not None:
        return rule(base, override, where)
    return _merge_generic(base, override, where)


def _merge_generic(base: Any, override: Any, where: _Where) -> Any:
    if override is None and isinstance(base, (dict, list)):
        return base
    if isinstance(base, dict) and isinstance(override, dict):
        return _merge_mapping(base, override, where)
    if isinstance(base, list) and isinstance(override, list):
        return base + strip_markers(override)
    if isinstance(base, (dict, list)):
        raise ConfigError(
            f"cannot merge {_kind(override)} into the {_kind(base, article=False)} it "
            "overrides; write both the same way, or tag the value !override to replace it",
            source=where.source,
            path=where.path or None,
        )
    return _copy(override, where.keep_markers)


def _kind(value: Any, *, article: bool = True) -> str:
    if isinstance(value, dict):
        noun = "mapping"
    elif isinstance(value, list):
        noun = "sequence"
    else:
        noun = "single value"
    return f"a {noun}" if article else noun


def _replace(base: Any, override: Any, where: _Where) -> Any:
    return _copy(override, where.keep_markers)


def _merge_unique(base: Any, override: Any, where: _Where) -> Any:
    """Append, then drop every item equal to an earlier one."""
    if not (isinstance(base, list) and isinstance(override, list)):
        return _merge_generic(base, override, where)
    result: list = []
    for item in base + strip_markers(override):
        if item not in result:
            result.append(item)
    return result


def _merge_keyed(
    base: Any,
    override: Any,
    where: _Where,
    *,
    key: Callable[[Any], Hashable],
    keep_first: bool = False,
) -> Any:
    """Entries of `override` replace the entry of `base` with the same key, or are appended."""
    if not (isinstance(base, list) and isinstance(override, list)):
        return _merge_generic(base, override, where)

    positions: dict[Hashable, int] = {}
    for index, item in enumerate(base):
        positions.setdefault(key(item), index)

    for item in strip_markers(override):
        item_key = key(item)
        if item_key not in positions:
            positions[item_key] = len(base)
            base.append(item)
        elif not keep_first:
            base[positions[item_key]] = item
    return base


def _unique_key(item: Any) -> Hashable:
    """The key of an entry of unexpected shape: never equal to another's."""
    return ("unmatched", id(item))


def _field_key(item: Any, field: str) -> Hashable:
    if isinstance(item, dict) and item.get(field) is not None:
        return str(item[field])
    return _unique_key(item)


def _mount_key(item: Any, default_dir: str) -> Hashable:
    """Secrets and configs: the target, by default `<default_dir><source>`."""
    if not isinstance(item, dict):
        return _unique_key(item)
    if item.get("target") is not None:
        return str(item["target"])
    if item.get("source") is not None:
        return f"{default_dir}{item['source']}"
    return _unique_key(item)


def _port_key(item: Any) -> Hashable:
    if not isinstance(item, dict):
        return _unique_key(item)
    published = item.get("published")
    return (
        str(item.get("host_ip") or "0.0.0.0"),
        str(item.get("target")),
        None if published is None else str(published),
        str(item.get("protocol") or "tcp"),
    )


def _device_key(item: Any) -> Hashable:
    if isinstance(item, str):
        parts = item.split(":")
        return parts[1] if len(parts) > 1 else parts[0]
    if isinstance(item, dict):
        return str(item.get("target") or item.get("source"))
    return _unique_key(item)


def _env_file_key(item: Any) -> Hashable:
    if isinstance(item, str):
        return item
    return _field_key(item, "path")


def _merge_logging(base: Any, override: Any, where: _Where) -> Any:
    """A different driver discards the earlier options; the same or no driver merges."""
    if isinstance(base, dict) and isinstance(override, dict):
        old_driver = base.get("driver")
        new_driver = strip_markers(override.get("driver"))
        if old_driver is not None and new_driver is not None and new_driver != old_driver:
            return _copy(override, where.keep_markers)
    return _merge_generic(base, override, where)


def _merge_ulimits(base: Any, override: Any, where: _Where) -> Any:
    """Each limit is replaced whole: `nofile: 30` replaces `nofile: {soft: .., hard: ..}`."""
    if not (isinstance(base, dict) and isinstance(override, dict)):
        return _merge_generic(base, override, where)
    for name, value in override.items():
        if isinstance(value, Reset):
            _reset(base, name, value, where)
        else:
            base[name] = _copy(value, where.keep_markers)
    return base


def _merge_depends_on(base: Any, override: Any, where: _Where) -> Any:
    """Merge by service name; a short-syntax entry means `service_started`, required."""
    if not (isinstance(base, dict) and isinstance(override, dict)):
        return _merge_generic(base, override, where)
    adjusted = {}
    for name, entry in override.items():
        if name in base and (entry is None or isinstance(entry, dict)):
            entry = entry or {}
            if "condition" not in entry:
                entry = {"condition": "service_started", "required": True, **entry}
        adjusted[name] = entry
    return _merge_mapping(base, adjusted, where)


_Rule = Callable[[Any, Any, _Where], Any]

_DEDUPLICATED = (
    "cap_add",
    "cap_drop",
    "device_cgroup_rules",
    "dns",
    "dns_opt",
    "dns_search",
    "expose",
    "external_links",
    "extra_hosts",
    "group_add",
    "label_file",
    "links",
    "profiles",
    "security_opt",
    "tmpfs",
    "volumes_from",
)

_BLKIO_DEVICE_LISTS = (
    "device_read_bps",
    "device_read_iops",
    "device_write_bps",
    "device_write_iops",
)

_RULES: MappingProxyType[tuple[str, ...], _Rule] = MappingProxyType(
    {
        (*_SERVICE, "command"): _replace,
        (*_SERVICE, "entrypoint"): _replace,
        (*_SERVICE, "healthcheck", "test"): _replace,
        ("networks", "*", "ipam", "config"): _replace,
        (*_SERVICE, "logging"): _merge_logging,
        (*_SERVICE, "ulimits"): _merge_ulimits,
        (*_SERVICE, "depends_on"): _merge_depends_on,
        (*_SERVICE, "volumes"): partial(_merge_keyed, key=partial(_field_key, field="target")),
        (*_SERVICE, "secrets"): partial(
            _merge_keyed, key=partial(_mount_key, default_dir="/run/secrets/")
        ),
        (*_SERVICE, "configs"): partial(_merge_keyed, key=partial(_mount_key, default_dir="/")),
        (*_SERVICE, "ports"): partial(_merge_keyed, key=_port_key),
        (*_SERVICE, "devices"): partial(_merge_keyed, key=_device_key),
        (*_SERVICE, "env_file"): partial(_merge_keyed, key=_env_file_key, keep_first=True),
        **{
            (*_SERVICE, "blkio_config", name): partial(
                _merge_keyed, key=partial(_field_key, field="path")
            )
            for name in _BLKIO_DEVICE_LISTS
        },
        **{(*_SERVICE, name): _merge_unique for name in _DEDUPLICATED},
        (*_SERVICE, "networks", "*", "aliases"): _merge_unique,
        (*_SERVICE, "build", "tags"): _merge_unique,
        (*_SERVICE, "build", "extra_hosts"): _merge_unique,
        (*_SERVICE, "build", "ssh"): _merge_unique,
    }
)
