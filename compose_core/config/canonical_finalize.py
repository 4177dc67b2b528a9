"""Defaults and derived values, added once to the merged canonical document.

See canonical.finalize. Everything here works on the long form produced by
canonical.canonicalize and merged by merge.merge_documents.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from compose_core.config.yaml_loader import Override, Reset
from compose_core.errors import ConfigError

log = logging.getLogger(__name__)

RESOURCE_SECTIONS = ("networks", "volumes", "secrets", "configs")
DEFAULT_NETWORK = "default"


def finalize(doc: dict, *, project_name: str, project_dir: str, env: Mapping[str, str]) -> dict:
    """A copy of the merged document with every default and derived value filled in.

    Remaining `!reset` values are removed and `!override` markers unwrapped;
    env files are read into `environment` (keys in `environment` win) and label
    files into `labels`; resources get their engine names.
    """
    document = strip_markers(doc)
    document["name"] = project_name

    services = document.get("services") or {}
    document["services"] = {
        name: _finalize_service(service or {}, name, project_dir, env)
        for name, service in services.items()
    }

    if any(DEFAULT_NETWORK in (s.get("networks") or {}) for s in document["services"].values()):
        networks = document.get("networks") or {}
        document["networks"] = {**networks, DEFAULT_NETWORK: networks.get(DEFAULT_NETWORK) or {}}
    for section in RESOURCE_SECTIONS:
        if document.get(section) is not None:
            document[section] = _named_resources(document[section], project_name)
    return document


def strip_markers(value: Any) -> Any:
    """`value` without markers: `!reset` keys and items dropped, `!override` unwrapped."""
    if isinstance(value, Override):
        return strip_markers(value.value)
    if isinstance(value, dict):
        return {
            key: strip_markers(entry)
            for key, entry in value.items()
            if not isinstance(entry, Reset)
        }
    if isinstance(value, list):
        return [strip_markers(entry) for entry in value if not isinstance(entry, Reset)]
    return value


def _finalize_service(service: dict, name: str, project_dir: str, env: Mapping[str, str]) -> dict:
    service = dict(service)
    path = f"services.{name}"
    _read_env_files(service, path, env)
    _read_label_files(service, path)

    for key in ("command", "entrypoint"):
        if isinstance(service.get(key), str):
            service[key] = split_command(service[key], f"{path}.{key}")
    if isinstance(service.get("build"), dict):
        service["build"] = _finalize_build(service["build"], project_dir, env)
    if isinstance(service.get("depends_on"), dict):
        service["depends_on"] = {
            dependency: _finalize_dependency(condition)
            for dependency, condition in service["depends_on"].items()
        }
    if not service.get("networks") and not service.get("network_mode"):
        service["networks"] = {DEFAULT_NETWORK: None}
    if isinstance(service.get("secrets"), list):
        service["secrets"] = [_secret_target(secret) for secret in service["secrets"]]
    if isinstance(service.get("extra_hosts"), list):
        service["extra_hosts"] = sorted(service["extra_hosts"])
    if isinstance(service.get("volumes"), list):
        service["volumes"] = [_without_create_host_path_false(m) for m in service["volumes"]]
    _drop_repeated_entries(service)
    return service


def split_command(text: str, path: str) -> list[str]:
    """A command line as the shell splits it into words, as Compose v2 does."""
    import shlex

    try:
        return shlex.split(text)
    except ValueError as err:
        raise ConfigError(
            f"cannot split {text!r} into words: {err}; check its quotes", path=path
        ) from None


def _without_create_host_path_false(mount: Any) -> Any:
    """`bind.create_host_path: false` is the long syntax's default; v2 leaves it out."""
    bind = mount.get("bind") if isinstance(mount, dict) else None
    if not isinstance(bind, dict) or bind.get("create_host_path") is not False:
        return mount
    return {**mount, "bind": {k: v for k, v in bind.items() if k != "create_host_path"}}


def _drop_repeated_entries(service: dict) -> None:
    """Entries that repeat an earlier one's key replace it in place, as v2 does in one file."""
    for key, identity in _UNIQUE_ENTRY_KEYS.items():
        entries = service.get(key)
        if isinstance(entries, list):
            service[key] = _unique_by(entries, identity)


def _unique_by(entries: list, identity: Any) -> list:
    positions: dict[Any, int] = {}
    unique: list = []
    for entry in entries:
        marker = identity(entry)
        if marker in positions:
            unique[positions[marker]] = entry
        else:
            positions[marker] = len(unique)
            unique.append(entry)
    return unique


def _entry_key(field: str, fallback: str | None = None) -> Any:
    def identity(entry: Any) -> Any:
        if not isinstance(entry, dict):
            return repr(entry)
        value = entry.get(field)
        if value is None and fallback is not None:
            return f"/{entry.get(fallback)}"
        return repr(value)

    return identity


def _whole_entry(entry: Any) -> str:
    if isinstance(entry, dict):
        return repr(sorted(entry.items(), key=lambda pair: str(pair[0])))
    return repr(entry)


_UNIQUE_ENTRY_KEYS = {
    "ports": _whole_entry,
    "volumes": _entry_key("target"),
    "devices": _entry_key("target"),
    "secrets": _entry_key("target"),
    "configs": _entry_key("target", fallback="source"),
    "expose": _whole_entry,
    "dns": _whole_entry,
}


def _read_env_files(service: dict, path: str, env: Mapping[str, str]) -> None:
    """Merge `env_file` entries, then `environment` (which wins), into `environment`."""
    from compose_core.config.environment import parse_env_file

    env_files = service.pop("env_file", None) or []
    if not env_files and "environment" not in service:
        return

    merged: dict[str, str | None] = {}
    for index, entry in enumerate(env_files):
        file_path = entry["path"]
        if not os.path.exists(file_path):
            if entry.get("required", True):
                raise ConfigError(
                    f"the env file {file_path} does not exist; create it, or mark the entry "
                    "'required: false' to skip it when missing",
                    path=f"{path}.env_file[{index}]",
                )
            log.debug("%s: skipping the missing optional env file %s", path, file_path)
            continue
        # TODO: `format: raw` env files are read as dotenv files; v2 reads them verbatim.
        values = parse_env_file(file_path, lookup=env)
        merged.update({key: value for key, value in values.items() if value is not None})

    for key, value in (service.get("environment") or {}).items():
        merged[key] = env.get(key) if value is None else value
    if merged or "environment" in service:
        service["environment"] = merged


def _read_label_files(service: dict, path: str) -> None:
    """Merge `label_file` entries, then `labels` (which wins), into `labels`."""
    from compose_core.config.environment import parse_env_file

    label_files = service.pop("label_file", None) or []
    if not label_files:
        return
    merged: dict[str, str] = {}
    for index, file_path in enumerate(label_files):
        if not os.path.exists(file_path):
            raise ConfigError(
                f"the label file {file_path} does not exist", path=f"{path}.label_file[{index}]"
            )
        values = parse_env_file(file_path)
        merged.update({key: value or "" for key, value in values.items()})
    merged.update(service.get("labels") or {})
    service["labels"] = merged


def _finalize_build(build: dict, project_dir: str, env: Mapping[str, str]) -> dict:
    build = dict(build)
    build.setdefault("context", project_dir)
    if "dockerfile_inline" not in build:
        build.setdefault("dockerfile", "Dockerfile")
    if isinstance(build.get("args"), dict):
        build["args"] = {
            key: env[key] if value is None else value
            for key, value in build["args"].items()
            if value is not None or key in env
        }
    return build


def _finalize_dependency(dependency: Any) -> dict:
    dependency = dict(dependency or {})
    dependency.setdefault("condition", "service_started")
    dependency.setdefault("required", True)
    return dependency


def _secret_target(secret: Any) -> Any:
    if isinstance(secret, dict) and secret.get("source") and not secret.get("target"):
        return {**secret, "target": f"/run/secrets/{secret['source']}"}
    return secret


def _named_resources(resources: dict, project_name: str) -> dict:
    named = {}
    for key, resource in resources.items():
        resource = dict(resource or {})
        if not resource.get("name"):
            resource["name"] = key if resource.get("external") else f"{project_name}_{key}"
        named[key] = resource
    return named


def drop_unused_resources(doc: dict) -> dict:
    """A copy of `doc` without the networks, volumes, secrets and configs no service uses.

    Compose v2's `config` (and `up`) leave unused resources out of the model.
    """
    used = _used_resources(doc.get("services") or {})
    document = dict(doc)
    for section in RESOURCE_SECTIONS:
        if not isinstance(document.get(section), dict):
            continue
        kept = {name: value for name, value in document[section].items() if name in used[section]}
        if kept:
            document[section] = kept
        else:
            del document[section]
    return document


def _used_resources(services: dict) -> dict[str, set[str]]:
    used: dict[str, set[str]] = {section: set() for section in RESOURCE_SECTIONS}
    for service in services.values():
        service = service or {}
        used["networks"].update(service.get("networks") or {})
        used["volumes"].update(
            mount.get("source")
            for mount in service.get("volumes") or []
            if isinstance(mount, dict) and mount.get("type") == "volume" and mount.get("source")
        )
        build = service.get("build") if isinstance(service.get("build"), dict) else {}
        for section, references in (
            ("secrets", [*(service.get("secrets") or []), *(build.get("secrets") or [])]),
            ("configs", service.get("configs") or []),
        ):
            used[section].update(ref.get("source") for ref in references if isinstance(ref, dict))
    return used
