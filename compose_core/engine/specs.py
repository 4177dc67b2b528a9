"""Service options to Engine API bodies: containers, networks and volumes.

Each option of a service maps to a field of the create-container body through a
small converter in a table, so adding an option is one function and one row.
The model is already canonical (the loader normalised every short syntax), so
the converters only translate, they never validate.
"""

from __future__ import annotations

import io
import tarfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from compose_core.config.units import duration_nanoseconds, parse_bytes
from compose_core.model.project import Project, ServiceConfig

SECRETS_DIR = "/run/secrets"


@dataclass(frozen=True)
class ContainerContext:
    """What a container body needs beyond the service's own options."""

    project: Project
    service: ServiceConfig
    number: int
    name: str
    labels: Mapping[str, str]
    image: str
    network_names: Mapping[str, str]  # network key -> engine name
    volume_names: Mapping[str, str]  # volume key -> engine name
    # The names of a service's containers, lowest number first (links, volumes_from).
    service_containers: Callable[[str], list[str]]
    # The ID of a service's first container (`service:` namespaces); KeyError if none.
    container_id: Callable[[str], str]
    # Anonymous volumes of the container being replaced: target -> volume name.
    previous_anonymous: Mapping[str, str] = field(default_factory=dict)
    # Top-level body fields laid over the result (a one-off's attach settings).
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def options(self) -> Mapping[str, Any]:
        return self.service.options


# Networks and volumes


def network_body(project: Project, key: str, labels: Mapping[str, str]) -> dict[str, Any]:
    """The create-network body of the project network `key`."""
    spec = project.networks.get(key) or {}
    body: dict[str, Any] = {
        "Name": spec.get("name") or f"{project.name}_{key}",
        "CheckDuplicate": True,
        "Driver": spec.get("driver") or "bridge",
        "Options": dict(spec.get("driver_opts") or {}),
        "Internal": bool(spec.get("internal")),
        "Attachable": bool(spec.get("attachable")),
        "EnableIPv6": bool(spec.get("enable_ipv6")),
        "Labels": {**_string_map(spec.get("labels")), **labels},
    }
    ipam = spec.get("ipam")
    if ipam:
        body["IPAM"] = {
            "Driver": ipam.get("driver") or "default",
            "Config": [_ipam_pool(pool) for pool in ipam.get("config") or ()],
            "Options": _string_map(ipam.get("options")),
        }
    return body


def _ipam_pool(pool: Mapping[str, Any]) -> dict[str, Any]:
    fields = {
        "Subnet": pool.get("subnet"),
        "IPRange": pool.get("ip_range"),
        "Gateway": pool.get("gateway"),
        "AuxiliaryAddresses": pool.get("aux_addresses"),
    }
    return {k: v for k, v in fields.items() if v}


def volume_request(project: Project, key: str, labels: Mapping[str, str]) -> dict[str, Any]:
    """The create-volume request of the project volume `key`."""
    spec = project.volumes.get(key) or {}
    return {
        "Name": spec.get("name") or f"{project.name}_{key}",
        "Driver": spec.get("driver"),
        "DriverOpts": _string_map(spec.get("driver_opts")),
        "Labels": {**_string_map(spec.get("labels")), **labels},
    }


# Networks a container joins


def network_order(service: ServiceConfig) -> list[str]:
    """The service's network keys, highest `priority` first; the first is joined at create."""
    if service.network_mode:
        return []
    networks = service.networks

    def priority(key: str) -> tuple[int, str]:
        return (-int((networks.get(key) or {}).get("priority") or 0), key)

    return sorted(networks, key=priority)


def endpoint_config(context: ContainerContext, key: str) -> dict[str, Any]:
    """How the container joins network `key`: aliases, fixed addresses, driver options."""
    spec = context.service.networks.get(key) or {}
    aliases = [context.service.name, *(spec.get("aliases") or ())]
    endpoint: dict[str, Any] = {"Aliases": list(dict.fromkeys(aliases))}
    addresses = {
        "IPv4Address": spec.get("ipv4_address"),
        "IPv6Address": spec.get("ipv6_address"),
        "LinkLocalIPs": list(spec.get("link_local_ips") or ()) or None,
    }
    addresses = {k: v for k, v in addresses.items() if v}
    if addresses:
        endpoint["IPAMConfig"] = addresses
    if spec.get("driver_opts"):
        endpoint["DriverOpts"] = _string_map(spec["driver_opts"])
    return endpoint


# The container


def container_body(context: ContainerContext) -> dict[str, Any]:
    """The create-container body for one container of a service."""
    body: dict[str, Any] = {"Image": context.image, "HostConfig": {}}
    for key, convert in _CONVERTERS:
        if context.options.get(key) is not None:
            convert(context, context.options[key], body)
    _labels(context, body)
    _mounts(context, body)
    _ports(context, body)
    _networking(context, body)
    _resources(context, body)
    _restart_policy(context, body)
    body.update(context.extra)
    return body


def injected_files(context: ContainerContext) -> list[tuple[str, bytes, int]]:
    """Secrets and configs that have no file on the host: (path, content, mode) to copy in.

    The engine can only bind-mount files, so environment- and content-based ones are
    written into the created container through the archive API before it starts.
    """
    files = []
    for kind, defaults in (("secrets", SECRETS_DIR), ("configs", "")):
        top = getattr(context.project, kind)
        for reference in context.options.get(kind) or ():
            spec = top.get(reference["source"]) or {}
            if "environment" in spec:
                content = context.project.environment.get(spec["environment"], "")
            elif "content" in spec:
                content = spec["content"]
            else:
                continue
            path = _mount_target(reference, defaults)
            mode = reference.get("mode")  # the loader gives an int (0o440, not "0440")
            files.append((path, str(content).encode(), 0o444 if mode is None else int(mode)))
    return files


def archive_of(path: str, content: bytes, mode: int) -> tuple[str, bytes]:
    """A tar archive holding one file, and the directory to extract it into."""
    directory, _, name = path.rpartition("/")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo(name)
        info.size = len(content)
        info.mode = mode
        archive.addfile(info, io.BytesIO(content))
    return directory or "/", buffer.getvalue()


def _config(field_name: str) -> Callable[[ContainerContext, Any, dict], None]:
    def convert(_context: ContainerContext, value: Any, body: dict) -> None:
        body[field_name] = value

    return convert


def _host(field_name: str, transform: Callable[[Any], Any] = lambda v: v) -> Callable:
    def convert(_context: ContainerContext, value: Any, body: dict) -> None:
        body["HostConfig"][field_name] = transform(value)

    return convert


def _environment(_context: ContainerContext, value: Mapping[str, Any], body: dict) -> None:
    # A variable left without a value (`- NAME` with NAME unset) is not passed at all.
    body["Env"] = [f"{k}={v}" for k, v in value.items() if v is not None]


def _healthcheck(_context: ContainerContext, value: Mapping[str, Any], body: dict) -> None:
    if value.get("disable"):
        body["Healthcheck"] = {"Test": ["NONE"]}
        return
    check: dict[str, Any] = {}
    test = value.get("test")
    if test is not None:
        check["Test"] = ["CMD-SHELL", test] if isinstance(test, str) else list(test)
    for key, name in (
        ("interval", "Interval"),
        ("timeout", "Timeout"),
        ("start_period", "StartPeriod"),
        ("start_interval", "StartInterval"),
    ):
        if value.get(key) is not None:
            check[name] = duration_nanoseconds(value[key])
    if value.get("retries") is not None:
        check["Retries"] = int(value["retries"])
    body["Healthcheck"] = check


def _stop_grace_period(_context: ContainerContext, value: Any, body: dict) -> None:
    body["StopTimeout"] = int(duration_nanoseconds(value) // 1_000_000_000)


def _extra_hosts(_context: ContainerContext, value: Any, body: dict) -> None:
    # The canonical form is `host=address`; the engine wants `host:address`.
    body["HostConfig"]["ExtraHosts"] = [str(entry).replace("=", ":", 1) for entry in value]


def _devices(_context: ContainerContext, value: Any, body: dict) -> None:
    body["HostConfig"]["Devices"] = [
        {
            "PathOnHost": device["source"],
            "PathInContainer": device.get("target") or device["source"],
            "CgroupPermissions": device.get("permissions") or "rwm",
        }
        for device in value
    ]


def _ulimits(_context: ContainerContext, value: Mapping[str, Any], body: dict) -> None:
    limits = []
    for name, limit in value.items():
        if isinstance(limit, Mapping):
            limits.append({"Name": name, "Soft": int(limit["soft"]), "Hard": int(limit["hard"])})
        else:
            limits.append({"Name": name, "Soft": int(limit), "Hard": int(limit)})
    body["HostConfig"]["Ulimits"] = limits


def _logging(_context: ContainerContext, value: Mapping[str, Any], body: dict) -> None:
    body["HostConfig"]["LogConfig"] = {
        "Type": value.get("driver") or "",
        "Config": _string_map(value.get("options")),
    }


def _tmpfs(_context: ContainerContext, value: Any, body: dict) -> None:
    entries = [value] if isinstance(value, str) else value
    tmpfs = {}
    for entry in entries:
        path, _, options = str(entry).partition(":")
        tmpfs[path] = options
    body["HostConfig"]["Tmpfs"] = tmpfs


def _external_links(_context: ContainerContext, value: Any, body: dict) -> None:
    links = body["HostConfig"].setdefault("Links", [])
    for entry in value:
        name, _, alias = str(entry).partition(":")
        links.append(f"{name}:{alias or name}")


def _links(context: ContainerContext, value: Any, body: dict) -> None:
    links = body["HostConfig"].setdefault("Links", [])
    for service, alias in context.service.links():
        for name in context.service_containers(service):
            links.extend(dict.fromkeys((f"{name}:{alias}", f"{name}:{name}")))


def _volumes_from(context: ContainerContext, value: Any, body: dict) -> None:
    sources = []
    for entry in value:
        parts = str(entry).split(":")
        if parts[0] == "container":
            sources.append(":".join(parts[1:]))
            continue
        names = context.service_containers(parts[0])
        if names:
            mode = f":{parts[1]}" if len(parts) > 1 else ""
            sources.append(f"{names[0]}{mode}")
    body["HostConfig"]["VolumesFrom"] = sources


def _namespace(field_name: str) -> Callable[[ContainerContext, Any, dict], None]:
    """ipc / pid / network_mode: `service:NAME` becomes the container that service runs."""

    def convert(context: ContainerContext, value: Any, body: dict) -> None:
        body["HostConfig"][field_name] = _namespace_target(context, str(value))

    return convert


def _namespace_target(context: ContainerContext, value: str) -> str:
    if value.startswith("service:"):
        return f"container:{context.container_id(value[len('service:') :])}"
    return value


def _blkio(_context: ContainerContext, value: Mapping[str, Any], body: dict) -> None:
    host = body["HostConfig"]
    if value.get("weight") is not None:
        host["BlkioWeight"] = int(value["weight"])
    if value.get("weight_device"):
        host["BlkioWeightDevice"] = [
            {"Path": d["path"], "Weight": int(d["weight"])} for d in value["weight_device"]
        ]
    for key, name in (
        ("device_read_bps", "BlkioDeviceReadBps"),
        ("device_write_bps", "BlkioDeviceWriteBps"),
        ("device_read_iops", "BlkioDeviceReadIOps"),
        ("device_write_iops", "BlkioDeviceWriteIOps"),
    ):
        if value.get(key):
            host[name] = [{"Path": d["path"], "Rate": parse_bytes(d["rate"])} for d in value[key]]


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _string_map(value: Any) -> dict[str, str]:
    if not value:
        return {}
    return {str(k): "" if v is None else str(v) for k, v in dict(value).items()}


# Options -> body fields, in the order the body is built.
_CONVERTERS: tuple[tuple[str, Callable[[ContainerContext, Any, dict], None]], ...] = (
    ("command", _config("Cmd")),
    ("entrypoint", _config("Entrypoint")),
    ("environment", _environment),
    ("user", _config("User")),
    ("working_dir", _config("WorkingDir")),
    ("hostname", _config("Hostname")),
    ("domainname", _config("Domainname")),
    ("tty", _config("Tty")),
    ("stdin_open", _config("OpenStdin")),
    ("stop_signal", _config("StopSignal")),
    ("stop_grace_period", _stop_grace_period),
    ("mac_address", _config("MacAddress")),
    ("healthcheck", _healthcheck),
    ("extra_hosts", _extra_hosts),
    ("dns", _host("Dns", _listed)),
    ("dns_search", _host("DnsSearch", _listed)),
    ("dns_opt", _host("DnsOptions", _listed)),
    ("cap_add", _host("CapAdd", list)),
    ("cap_drop", _host("CapDrop", list)),
    ("privileged", _host("Privileged", bool)),
    ("devices", _devices),
    ("device_cgroup_rules", _host("DeviceCgroupRules", list)),
    ("security_opt", _host("SecurityOpt", list)),
    ("sysctls", _host("Sysctls", _string_map)),
    ("ulimits", _ulimits),
    ("shm_size", _host("ShmSize", parse_bytes)),
    ("init", _host("Init", bool)),
    ("logging", _logging),
    ("read_only", _host("ReadonlyRootfs", bool)),
    ("group_add", _host("GroupAdd", _listed)),
    ("userns_mode", _host("UsernsMode", str)),
    ("oom_score_adj", _host("OomScoreAdj", int)),
    ("oom_kill_disable", _host("OomKillDisable", bool)),
    ("isolation", _host("Isolation", str)),
    ("cgroup_parent", _host("CgroupParent", str)),
    ("cgroup", _host("CgroupnsMode", str)),
    ("blkio_config", _blkio),
    ("runtime", _host("Runtime", str)),
    ("storage_opt", _host("StorageOpt", _string_map)),
    ("volume_driver", _host("VolumeDriver", str)),
    ("tmpfs", _tmpfs),
    ("external_links", _external_links),
    ("links", _links),
    ("volumes_from", _volumes_from),
    ("ipc", _namespace("IpcMode")),
    ("pid", _namespace("PidMode")),
    ("uts", _host("UTSMode", str)),
    ("cpu_shares", _host("CpuShares", int)),
    ("cpuset", _host("CpusetCpus", str)),
    ("cpu_quota", _host("CpuQuota", int)),
    ("cpu_period", _host("CpuPeriod", int)),
    ("cpu_rt_runtime", _host("CpuRealtimeRuntime", lambda v: duration_nanoseconds(v) // 1000)),
    ("cpu_rt_period", _host("CpuRealtimePeriod", lambda v: duration_nanoseconds(v) // 1000)),
    ("mem_swappiness", _host("MemorySwappiness", int)),
    ("memswap_limit", _host("MemorySwap", parse_bytes)),
)


def _labels(context: ContainerContext, body: dict) -> None:
    body["Labels"] = {**_string_map(context.options.get("labels")), **context.labels}


def _resources(context: ContainerContext, body: dict) -> None:
    """Memory, CPU and pids: the service keys win over `deploy.resources`, as in Compose."""
    options = context.options
    resources = (options.get("deploy") or {}).get("resources") or {}
    limits = resources.get("limits") or {}
    reservations = resources.get("reservations") or {}
    host = body["HostConfig"]

    memory = options.get("mem_limit") or limits.get("memory")
    if memory:
        host["Memory"] = parse_bytes(memory)
    reservation = options.get("mem_reservation") or reservations.get("memory")
    if reservation:
        host["MemoryReservation"] = parse_bytes(reservation)
    cpus = options.get("cpus") or limits.get("cpus")
    if cpus:
        host["NanoCpus"] = round(float(cpus) * 1e9)
    pids = options.get("pids_limit") or limits.get("pids")
    if pids:
        host["PidsLimit"] = int(pids)


_RESTART_CONDITIONS = {"none": "no", "on-failure": "on-failure", "any": "always"}


def _restart_policy(context: ContainerContext, body: dict) -> None:
    restart = context.options.get("restart")
    if restart:
        name, _, retries = str(restart).partition(":")
        policy = {"Name": name, "MaximumRetryCount": int(retries or 0)}
        body["HostConfig"]["RestartPolicy"] = policy
        return
    deploy_policy = (context.options.get("deploy") or {}).get("restart_policy")
    if deploy_policy:
        condition = deploy_policy.get("condition") or "any"
        body["HostConfig"]["RestartPolicy"] = {
            "Name": _RESTART_CONDITIONS.get(condition, condition),
            "MaximumRetryCount": int(deploy_policy.get("max_attempts") or 0),
        }


# Mounts


def _mounts(context: ContainerContext, body: dict) -> None:
    """Volumes, binds and tmpfs of the service, then file-based secrets and configs."""
    binds: list[str] = []
    mounts: list[dict[str, Any]] = []
    targets = set()
    for spec in context.options.get("volumes") or ():
        targets.add(spec["target"])
        if spec["type"] == "bind" and (spec.get("bind") or {}).get("create_host_path", True):
            binds.append(_bind_string(spec))
        else:
            mounts.append(_mount(context, spec))
    # Anonymous volumes the image declares carry over too, though the file names none.
    for target, name in sorted(context.previous_anonymous.items()):
        if target not in targets:
            mounts.append({"Type": "volume", "Source": name, "Target": target})
            targets.add(target)
    for kind, defaults in (("secrets", SECRETS_DIR), ("configs", "")):
        top = getattr(context.project, kind)
        for reference in context.options.get(kind) or ():
            spec = top.get(reference["source"]) or {}
            if spec.get("file"):
                target = _mount_target(reference, defaults)
                binds.append(f"{spec['file']}:{target}:ro")
    if binds:
        body["HostConfig"]["Binds"] = binds
    if mounts:
        body["HostConfig"]["Mounts"] = mounts


def _mount_target(reference: Mapping[str, Any], directory: str) -> str:
    target = str(reference.get("target") or reference["source"])
    if target.startswith("/"):
        return target
    return f"{directory}/{target}"


def _bind_string(spec: Mapping[str, Any]) -> str:
    modes = ["ro" if spec.get("read_only") else "rw"]
    bind = spec.get("bind") or {}
    if bind.get("propagation"):
        modes.append(bind["propagation"])
    if bind.get("selinux"):
        modes.append(bind["selinux"])
    return f"{spec['source']}:{spec['target']}:{','.join(modes)}"


def _mount(context: ContainerContext, spec: Mapping[str, Any]) -> dict[str, Any]:
    kind = spec["type"]
    mount: dict[str, Any] = {"Type": kind, "Target": spec["target"]}
    if spec.get("read_only"):
        mount["ReadOnly"] = True
    if kind == "volume":
        source = spec.get("source")
        if source:
            mount["Source"] = context.volume_names.get(source, source)
        else:
            mount["Source"] = context.previous_anonymous.get(spec["target"], "")
        volume = spec.get("volume") or {}
        if volume.get("nocopy"):
            mount["VolumeOptions"] = {"NoCopy": True}
    elif kind == "bind":
        mount["Source"] = spec["source"]
        propagation = (spec.get("bind") or {}).get("propagation")
        if propagation:
            mount["BindOptions"] = {"Propagation": propagation}
    elif kind == "tmpfs":
        tmpfs = spec.get("tmpfs") or {}
        options: dict[str, Any] = {}
        if tmpfs.get("size") is not None:
            options["SizeBytes"] = parse_bytes(tmpfs["size"])
        if tmpfs.get("mode") is not None:
            options["Mode"] = int(tmpfs["mode"])  # already an int, as for file modes
        if options:
            mount["TmpfsOptions"] = options
    else:
        mount["Source"] = spec.get("source")
    return mount


# Ports and networks


def _ports(context: ContainerContext, body: dict) -> None:
    exposed: dict[str, dict] = {}
    bindings: dict[str, list[dict[str, str]]] = {}
    for port in context.options.get("ports") or ():
        key = f"{port['target']}/{port.get('protocol') or 'tcp'}"
        exposed[key] = {}
        binding = {
            "HostIp": port.get("host_ip") or "",
            "HostPort": str(port.get("published") or ""),
        }
        bindings.setdefault(key, []).append(binding)
    for entry in context.options.get("expose") or ():
        number, _, protocol = str(entry).partition("/")
        start, _, end = number.partition("-")
        for value in range(int(start), int(end or start) + 1):
            exposed.setdefault(f"{value}/{protocol or 'tcp'}", {})
    if exposed:
        body["ExposedPorts"] = exposed
    if bindings:
        body["HostConfig"]["PortBindings"] = bindings


def _networking(context: ContainerContext, body: dict) -> None:
    mode = context.options.get("network_mode")
    if mode:
        body["HostConfig"]["NetworkMode"] = _namespace_target(context, str(mode))
        return
    order = network_order(context.service)
    if not order:
        return
    primary = order[0]
    engine_name = context.network_names[primary]
    body["HostConfig"]["NetworkMode"] = engine_name
    body["NetworkingConfig"] = {"EndpointsConfig": {engine_name: endpoint_config(context, primary)}}
