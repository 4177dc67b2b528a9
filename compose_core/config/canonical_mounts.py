"""Long forms of a service's ports, volumes and devices.

Short syntaxes are parsed the way Compose v2 reads them; strings that do not
parse raise a ConfigError that names the key path and the expected form.
"""

from __future__ import annotations

import ipaddress
import posixpath
import re
from typing import Any

from compose_core.config.canonical_common import (
    Context,
    byte_text,
    describe,
    file_mode,
    is_windows_path,
    item,
    require_list,
    scalar_text,
    string_mapping,
    to_int,
)
from compose_core.config.yaml_loader import Override, Reset

PORT_EXPECTED = (
    "expected '[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]' such as '8080:80', "
    "'127.0.0.1:8080:80/udp' or '9000-9001:9000-9001'"
)
VOLUME_EXPECTED = "expected 'SOURCE:TARGET[:MODE]' or a container path such as '/data'"
_PROTOCOLS = ("tcp", "udp", "sctp")
_PROPAGATIONS = ("shared", "rshared", "slave", "rslave", "private", "rprivate")
_CONSISTENCIES = ("cached", "delegated", "consistent")
_VOLUME_OPTIONS = ("ro", "rw", "z", "Z", "nocopy", *_PROPAGATIONS, *_CONSISTENCIES)


def ports(value: Any, ctx: Context, path: str) -> list:
    """Every port as a long-form mapping; short ranges expand to one entry per port."""
    result: list = []
    for index, entry in enumerate(require_list(value, ctx, path, "ports")):
        entry_path = item(path, index)
        if isinstance(entry, (Reset, Override)):
            result.append(entry)
        elif isinstance(entry, dict):
            result.append(_long_port(entry, ctx, entry_path))
        elif isinstance(entry, (str, int)) and not isinstance(entry, bool):
            try:
                result.extend(parse_port_spec(str(entry)))
            except ValueError as err:
                raise ctx.error(entry_path, f"{err}; {PORT_EXPECTED}") from None
        else:
            raise ctx.error(entry_path, f"a port cannot be {describe(entry)}; {PORT_EXPECTED}")
    return result


def _long_port(entry: dict, ctx: Context, path: str) -> dict:
    port = dict(entry)
    if "target" not in port:
        raise ctx.error(path, "a port in long syntax needs a 'target' (the container port)")
    port["target"] = to_int(port["target"], ctx, f"{path}.target", "a container port number")
    if port.get("published") is not None:
        port["published"] = scalar_text(port["published"])
    port["protocol"] = str(port.get("protocol") or "tcp").lower()
    port.setdefault("mode", "ingress")
    return port


def parse_port_spec(spec: str) -> list[dict]:
    """The long-form entries of one short port string; ValueError when it does not parse."""
    text, protocol = _split_protocol(spec)
    host_ip, published, target = _split_port_parts(text, spec)
    if host_ip:
        _check_ip(host_ip, spec)
    first, last = _port_range(target, spec, "container port")
    if first == 0:
        raise ValueError(f"{spec!r} has no container port")
    host_first, host_last = _port_range(published, spec, "host port") if published else (0, 0)

    entry = {"mode": "ingress", **({"host_ip": host_ip} if host_ip else {})}
    if not published or last == first:
        # One container port may be published on any port of a host range.
        return [
            {**entry, "target": port, **_published(published), "protocol": protocol}
            for port in range(first, last + 1)
        ]

    if host_last - host_first != last - first:
        raise ValueError(
            f"{spec!r} maps host ports {published} to container ports {target}, "
            "ranges of different lengths"
        )
    return [
        {**entry, "target": port, "published": str(host_first + port - first), "protocol": protocol}
        for port in range(first, last + 1)
    ]


def _split_protocol(spec: str) -> tuple[str, str]:
    if "/" not in spec:
        return spec, "tcp"
    text, _, protocol = spec.rpartition("/")
    protocol = protocol.lower()
    if protocol not in _PROTOCOLS:
        raise ValueError(f"{spec!r} has an unknown protocol {protocol!r} (use tcp, udp or sctp)")
    return text, protocol


def _published(published: str) -> dict:
    return {"published": published} if published else {}


def _split_port_parts(text: str, spec: str) -> tuple[str, str, str]:
    if text.startswith("["):
        closing = text.find("]")
        rest = text[closing + 1 :] if closing > 0 else ""
        parts = rest.split(":")
        if closing < 0 or len(parts) != 3 or parts[0]:
            raise ValueError(f"{spec!r} is not a valid port with an IPv6 address")
        return text[1:closing], parts[1], parts[2]

    parts = text.split(":")
    if len(parts) == 1:
        return "", "", parts[0]
    if len(parts) == 2:
        return "", parts[0], parts[1]
    return ":".join(parts[:-2]), parts[-2], parts[-1]


def _check_ip(host_ip: str, spec: str) -> None:
    try:
        ipaddress.ip_address(host_ip)
    except ValueError:
        raise ValueError(f"{spec!r} has an invalid IP address {host_ip!r}") from None


def _port_range(text: str, spec: str, what: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)(?:-(\d+))?", text)
    if match is None:
        raise ValueError(f"{spec!r} has an invalid {what} {text!r}")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last > 65535 or first > last:
        raise ValueError(f"{spec!r} has an invalid {what} {text!r} (ports are 1 to 65535)")
    return first, last


def volumes(value: Any, ctx: Context, path: str) -> list:
    """Every service volume as a long-form mapping, host paths absolute."""
    result: list = []
    for index, entry in enumerate(require_list(value, ctx, path, "volumes")):
        entry_path = item(path, index)
        if isinstance(entry, (Reset, Override)):
            result.append(entry)
        elif isinstance(entry, dict):
            result.append(_long_volume(entry, ctx, entry_path))
        elif isinstance(entry, str):
            result.append(parse_volume_spec(entry, ctx, entry_path))
        else:
            raise ctx.error(entry_path, f"a volume cannot be {describe(entry)}; {VOLUME_EXPECTED}")
    return result


def parse_volume_spec(spec: str, ctx: Context, path: str) -> dict:
    """The long form of one short volume string."""
    parts = _split_volume(spec)
    if not spec or (len(parts) > 1 and "" in parts):
        raise ctx.error(path, f"{spec!r} has an empty part between colons; {VOLUME_EXPECTED}")
    if len(parts) > 3:
        raise ctx.error(path, f"{spec!r} has too many colons; {VOLUME_EXPECTED}")
    if len(parts) == 1:
        return {"type": "volume", "target": clean_target(spec), "volume": {}}

    source, target = parts[0], clean_target(parts[1])
    options = parts[2].split(",") if len(parts) == 3 else []
    unknown = [option for option in options if option not in _VOLUME_OPTIONS]
    if unknown:
        raise ctx.error(
            path,
            f"{spec!r} has an unknown mode {unknown[0]!r}; expected a comma-separated list of "
            "ro, rw, z, Z, nocopy or a propagation such as rshared",
        )
    if source.startswith("\\\\.\\pipe\\") or source.startswith("//./pipe/"):
        return {"type": "npipe", "source": source, "target": target}
    if _is_host_path(source):
        return _short_mount("bind", ctx.host_path(source), target, options)
    return _short_mount("volume", source, target, options)


def _split_volume(spec: str) -> list[str]:
    parts = spec.split(":")
    # A Windows drive letter ('C:\\data') is part of the path, not a separator.
    if len(parts) > 1 and re.fullmatch(r"[A-Za-z]", parts[0]) and parts[1].startswith("\\"):
        parts[0:2] = [f"{parts[0]}:{parts[1]}"]
    return parts


def _is_host_path(source: str) -> bool:
    return source.startswith((".", "/", "~")) or is_windows_path(source)


def _short_mount(kind: str, source: str, target: str, options: list[str]) -> dict:
    mount: dict = {"type": kind, "source": source, "target": target}
    if "ro" in options:
        mount["read_only"] = True

    bind: dict = {}
    selinux = [option for option in options if option in ("z", "Z")]
    propagation = [option for option in options if option in _PROPAGATIONS]
    if selinux:
        bind["selinux"] = selinux[-1]
    if propagation:
        bind["propagation"] = propagation[-1]
    if kind == "bind":
        bind["create_host_path"] = True
    if bind:
        mount["bind"] = bind

    if kind == "volume" or "nocopy" in options:
        mount["volume"] = {"nocopy": True} if "nocopy" in options else {}
    return mount


def clean_target(target: str) -> str:
    """A container path cleaned as v2 does ('/data/' -> '/data')."""
    if not target.startswith("/"):
        return target
    cleaned = posixpath.normpath(target)
    return "/" + cleaned.lstrip("/")


def _long_volume(entry: dict, ctx: Context, path: str) -> dict:
    mount = dict(entry)
    if isinstance(mount.get("target"), str):
        mount["target"] = clean_target(mount["target"])
    if mount.get("type") == "bind" and isinstance(mount.get("source"), str):
        mount["source"] = ctx.host_path(mount["source"])

    tmpfs = mount.get("tmpfs")
    if isinstance(tmpfs, dict):
        tmpfs = dict(tmpfs)
        if tmpfs.get("size") is not None:
            tmpfs["size"] = byte_text(tmpfs["size"], ctx, f"{path}.tmpfs.size")
        if tmpfs.get("mode") is not None:
            tmpfs["mode"] = file_mode(tmpfs["mode"], ctx, f"{path}.tmpfs.mode")
        mount["tmpfs"] = tmpfs

    volume = mount.get("volume")
    if isinstance(volume, dict) and volume.get("labels") is not None:
        labels = string_mapping(volume["labels"], ctx, f"{path}.volume.labels", unset="")
        mount["volume"] = {**volume, "labels": labels}
    return mount


def devices(value: Any, ctx: Context, path: str) -> list:
    """Every device mapping as `{source, target, permissions}`."""
    result: list = []
    for index, entry in enumerate(require_list(value, ctx, path, "devices")):
        if isinstance(entry, str):
            result.append(_short_device(entry, ctx, item(path, index)))
        else:
            result.append(entry)
    return result


def _short_device(spec: str, ctx: Context, path: str) -> dict:
    parts = spec.split(":")
    if len(parts) > 3 or "" in parts:
        raise ctx.error(
            path,
            f"{spec!r} is not a device mapping; "
            "expected 'HOST_PATH[:CONTAINER_PATH[:PERMISSIONS]]'",
        )
    source = parts[0]
    target = parts[1] if len(parts) > 1 else source
    permissions = parts[2] if len(parts) > 2 else "rwm"
    return {"source": source, "target": target, "permissions": permissions}
