"""Legacy version 1 Compose files: services at the top level, no `version` key.

`convert_v1` rewrites such a file in the spec layout (`{"services": {...}}`),
translating the keys only version 1 had as docker-compose 1.29.2 read them:

- `net: host|none|bridge` -> `network_mode`; `net: container:NAME` ->
  `network_mode: service:NAME` when NAME is a service of the file, else
  `container:NAME`;
- `log_driver` / `log_opt` -> `logging: {driver, options}`;
- `dockerfile` beside `build` -> `build: {context, dockerfile}`;
- `volumes_from: [NAME]` -> `container:NAME` unless NAME is a service;
- every service without `net` gets `network_mode: bridge`: 1.29.2 created no
  project network for version 1 files, containers ran on the default bridge
  and reached each other through `links`.

`links`, `external_links`, `volumes_from` and `volume_driver` are kept, and
the named volumes the services mount are declared under their own,
unprefixed names, as the engine created them for 1.29.2.
"""

from __future__ import annotations

from typing import Any

from compose_core.errors import ConfigError

# Top-level keys that only a Compose Specification (or 2.x/3.x) file has.
SPEC_TOP_LEVEL_KEYS = frozenset(
    {
        "version",
        "services",
        "networks",
        "volumes",
        "secrets",
        "configs",
        "include",
        "name",
        "models",
    }
)


def is_legacy_v1(doc: Any) -> bool:
    """True when `doc` is a version 1 file: a non-empty mapping of services.

    A mapping with `version`, `services` or any other top-level key of the
    specification (`networks`, `volumes`, `secrets`, `configs`, `include`,
    `name`, `models`, or an `x-` extension) is a spec file, even if it is
    invalid as one: validation then says what is wrong with it.
    """
    if not isinstance(doc, dict) or not doc:
        return False
    return not any(_is_spec_key(key) for key in doc)


def _is_spec_key(key: Any) -> bool:
    return not isinstance(key, str) or key in SPEC_TOP_LEVEL_KEYS or key.startswith("x-")


def convert_v1(doc: dict, source: str) -> dict:
    """`doc`, a version 1 file read from `source`, in the spec layout."""
    names = set(doc)
    services = {}
    for name, service in doc.items():
        if not isinstance(service, dict):
            raise ConfigError(
                f"service {name!r} must be a mapping of its options, not {_kind(service)}; "
                "a version 1 file has one mapping per service at the top level",
                source=source,
                path=str(name),
            )
        services[name] = _convert_service(service, names)

    converted: dict = {"services": services}
    volumes = _named_volumes(services)
    if volumes:
        converted["volumes"] = volumes
    return converted


def _named_volumes(services: dict) -> dict:
    """Declarations for the named volumes the services use, under their own names.

    Version 1 files declare no volumes: the engine created `NAME` when a
    container first mounted `NAME:/path`, without the project prefix.
    """
    names: dict = {}
    for service in services.values():
        for entry in service.get("volumes") or []:
            source = entry.split(":", 1)[0] if isinstance(entry, str) and ":" in entry else ""
            if source and not source.startswith((".", "/", "~", "\\")):
                names[source] = {"name": source}
    return names


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return f"a {type(value).__name__}"


def _convert_service(service: dict, service_names: set) -> dict:
    converted = dict(service)
    _convert_network(converted, service_names)
    _convert_logging(converted)
    _convert_dockerfile(converted)
    if isinstance(converted.get("volumes_from"), list):
        converted["volumes_from"] = [
            _volume_source(entry, service_names) for entry in converted["volumes_from"]
        ]
    return converted


def _convert_network(service: dict, service_names: set) -> None:
    net = service.pop("net", None)
    if net is None:
        service.setdefault("network_mode", "bridge")
        return
    if isinstance(net, str) and net.startswith("container:"):
        target = net.removeprefix("container:")
        net = f"service:{target}" if target in service_names else net
    service["network_mode"] = net


def _convert_logging(service: dict) -> None:
    driver = service.pop("log_driver", None)
    options = service.pop("log_opt", None)
    if driver is None and options is None:
        return
    logging = dict(service.get("logging") or {})
    if driver is not None:
        logging["driver"] = driver
    if options is not None:
        logging["options"] = options
    service["logging"] = logging


def _convert_dockerfile(service: dict) -> None:
    dockerfile = service.pop("dockerfile", None)
    if dockerfile is None:
        return
    build = service.get("build")
    if isinstance(build, dict):
        service["build"] = {**build, "dockerfile": dockerfile}
    elif build is None:
        service["build"] = {"dockerfile": dockerfile}
    else:
        service["build"] = {"context": build, "dockerfile": dockerfile}


def _volume_source(entry: Any, service_names: set) -> Any:
    """A version 1 `volumes_from` entry (`NAME[:MODE]`) in the spec's notation."""
    if not isinstance(entry, str) or entry.startswith(("container:", "service:")):
        return entry
    name = entry.split(":", 1)[0]
    return entry if name in service_names else f"container:{entry}"
