"""Resolve `extends`: a service built on another service, of this file or another one.

The extended service is resolved first (it may extend a third one, in any
file), then the local definition is merged onto it with the rules of
`merge.merge_service`: local values win, sequences are appended. As Compose v2
does, every attribute is copied, including `depends_on`, `links`,
`volumes_from` and `network_mode: service:...`. The `!reset`/`!override`
markers of the local definition stay in the result, so that they still apply
when the files are merged afterwards; those of the extended service are applied
before it is used as a base.
"""

from __future__ import annotations

import copy
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from compose_core.config.merge import merge_service, strip_markers
from compose_core.config.yaml_loader import Override, Reset
from compose_core.errors import ConfigError

log = logging.getLogger(__name__)

LoadFile = Callable[[str], dict]


@dataclass(frozen=True)
class _File:
    """One Compose file's services, and where its relative `extends.file` paths start."""

    key: str
    source: str
    base_dir: str
    services: dict


@dataclass(frozen=True)
class _Link:
    """One step of an `extends` chain."""

    file: _File
    name: str


def resolve_extends(doc: dict, *, source: str, base_dir: str, load_file: LoadFile) -> dict:
    """A new `doc` where every service with `extends` is merged onto the service it extends;
    `doc` itself when no service extends another.

    `extends.file` is relative to `base_dir`; `load_file(absolute_path)` returns
    that file's canonical document. Unknown services and cycles are ConfigErrors.
    """
    services = doc.get("services")
    if not isinstance(services, dict) or not any(
        _extends_of(definition) is not None for definition in services.values()
    ):
        return doc
    result = copy.deepcopy(doc)
    services = result["services"]

    main = _File(_file_key(source), source, base_dir, services)
    resolver = _Resolver(main, load_file)
    for name, definition in services.items():
        if _extends_of(definition) is not None:
            services[name] = resolver.resolve(_Link(main, name), chain=())
    return result


def _file_key(path: str) -> str:
    return os.path.normpath(os.path.abspath(path))


def _extends_of(definition: Any) -> Any:
    """The `extends` value of a service definition, or None."""
    if isinstance(definition, Override):
        definition = definition.value
    if isinstance(definition, dict):
        return strip_markers(definition.get("extends"))
    return None


class _Resolver:
    """Resolves services for one `resolve_extends` call, caching files and results."""

    def __init__(self, main: _File, load_file: LoadFile) -> None:
        self._main = main
        self._load_file = load_file
        self._files: dict[str, _File] = {main.key: main}
        self._resolved: dict[tuple[str, str], Any] = {}

    def resolve(self, link: _Link, chain: tuple[_Link, ...]) -> Any:
        """The definition of `link` with its `extends` applied (markers kept)."""
        cache_key = (link.file.key, link.name)
        if cache_key in self._resolved:
            return self._resolved[cache_key]
        if any(step.file.key == link.file.key and step.name == link.name for step in chain):
            raise self._cycle_error((*chain, link))

        definition = link.file.services[link.name]
        extends = _extends_of(definition)
        if extends is None:
            resolved = copy.deepcopy(definition)
        else:
            target = self._target(link, extends)
            base = self.resolve(target, (*chain, link))
            resolved = self._merge_onto(base, definition, link)
        self._resolved[cache_key] = resolved
        return resolved

    def _merge_onto(self, base: Any, definition: Any, link: _Link) -> Any:
        wrapped = isinstance(definition, Override)
        local = definition.value if wrapped else definition
        local = {key: value for key, value in local.items() if key != "extends"}
        merged = merge_service(
            strip_markers(base),
            local,
            path=f"services.{link.name}",
            source=link.file.source,
            keep_markers=True,
        )
        log.debug("service %r of %s: extends resolved", link.name, link.file.source)
        return Override(merged) if wrapped else merged

    def _target(self, link: _Link, extends: Any) -> _Link:
        """The service that `link` extends, checked to exist."""
        name, file_path = _parse_extends(extends, link)
        target_file = link.file if file_path is None else self._file(file_path, link.file)
        definition = target_file.services.get(name)
        if name not in target_file.services or isinstance(definition, Reset):
            raise _unknown_service_error(name, target_file, link)
        return _Link(target_file, name)

    def _file(self, file_path: str, referrer: _File) -> _File:
        path = os.path.join(referrer.base_dir, os.path.expanduser(file_path))
        key = _file_key(path)
        if key not in self._files:
            self._files[key] = self._load(key)
        return self._files[key]

    def _load(self, path: str) -> _File:
        document = self._load_file(path)
        services = document.get("services") if isinstance(document, dict) else None
        if services is None:
            services = {}
        if not isinstance(services, dict):
            raise ConfigError(
                "'services' must be a mapping of service names to their definitions",
                source=path,
                path="services",
            )
        return _File(path, path, os.path.dirname(path), services)

    def _cycle_error(self, chain: tuple[_Link, ...]) -> ConfigError:
        first = chain[0]
        steps = [
            step.name if step.file.key == first.file.key else f"{step.name} ({step.file.source})"
            for step in chain
        ]
        return ConfigError(
            f"extends cycle: {' -> '.join(steps)}; a service cannot extend itself, "
            "directly or through others",
            source=first.file.source,
            path=f"services.{first.name}.extends",
        )


def _parse_extends(extends: Any, link: _Link) -> tuple[str, str | None]:
    """(service name, file or None) from `extends: name` or `{service: name, file: path}`."""
    if isinstance(extends, str) and extends:
        return extends, None
    if isinstance(extends, dict):
        name, file_path = extends.get("service"), extends.get("file")
        if isinstance(name, str) and name and (file_path is None or isinstance(file_path, str)):
            return name, file_path or None
    raise ConfigError(
        "'extends' is a service name, or a mapping with 'service' (a name) and "
        "optionally 'file' (a path)",
        source=link.file.source,
        path=f"services.{link.name}.extends",
    )


def _unknown_service_error(name: str, target_file: _File, link: _Link) -> ConfigError:
    known = sorted(str(service) for service in target_file.services)
    hint = f"services defined there: {', '.join(known)}" if known else None
    return ConfigError(
        f"cannot extend service {name!r} of {target_file.source}: no such service",
        source=link.file.source,
        path=f"services.{link.name}.extends",
        hint=hint,
    )
