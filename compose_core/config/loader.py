"""Compose files to one validated Project: the loader runs every config step in order."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from compose_core import const
from compose_core.config import files as config_files
from compose_core.config.yaml_loader import load_yaml
from compose_core.errors import ConfigError
from compose_core.model.naming import check_project_name, normalize_project_name
from compose_core.model.project import Project, ServiceConfig

log = logging.getLogger(__name__)

KNOWN_VERSIONS = re.compile(r"^(2(\.[0-4])?|3(\.[0-9])?)$")
RESOURCE_SECTIONS = ("networks", "volumes", "secrets", "configs")


@dataclass(frozen=True)
class LoadOptions:
    """What the command line and the environment say about which project to load."""

    files: Sequence[str] = ()
    project_name: str | None = None
    project_dir: str | None = None
    env_files: Sequence[str] | None = None
    profiles: Sequence[str] = ()
    interpolate: bool = True
    compatibility: bool = False
    cwd: str = field(default_factory=os.getcwd)
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    stdin_text: str | None = None
    # Services named on the command line: their profiles become active.
    targets: Sequence[str] = ()


@dataclass
class _Document:
    """One file after the per-file steps."""

    path: str
    data: dict
    legacy: bool


def load_project(options: LoadOptions) -> Project:
    """Read, interpolate, validate, merge and normalise the Compose files into a Project."""
    from compose_core.config import canonical, merge
    from compose_core.config.environment import load_project_environment

    first_guess = _env_dir(options)
    env = load_project_environment(first_guess, _env_files(options), options.environ)
    found = config_files.find_config_files(
        options.files,
        cwd=options.cwd,
        environ=env,
        project_dir=options.project_dir,
        compatibility=options.compatibility,
    )
    if found.project_dir != first_guess and options.env_files is None:
        env = load_project_environment(found.project_dir, None, options.environ)

    reader = _Reader(options, env, found.project_dir)
    documents = [reader.read(path, base_dir=found.project_dir) for path in found.paths]
    merged = merge.strip_markers(documents[0].data)
    for document in documents[1:]:
        merged = merge.merge_documents(merged, document.data, source=document.path)
    merged = reader.include(merged, found.paths[0], found.project_dir)

    name = _project_name(options, env, merged, found.project_dir)
    try:
        merged = canonical.finalize(
            merged, project_name=name, project_dir=found.project_dir, env=env
        )
    except ConfigError as err:
        if err.source:
            raise
        # Finalizing works on the merged files: name them all, a key may come from any.
        raise ConfigError(
            err.reason, source=", ".join(found.paths), path=err.path, hint=err.hint
        ) from None
    merged = canonical.drop_unused_resources(merged)
    return _build_project(
        merged,
        name=name,
        project_dir=found.project_dir,
        config_files=found.paths,
        env=env,
        legacy=any(d.legacy for d in documents),
        profiles=_active_profiles(options, env),
        targets=options.targets,
        source=found.paths[0],
    )


def _env_dir(options: LoadOptions) -> str:
    if options.project_dir:
        return os.path.abspath(os.path.join(options.cwd, options.project_dir))
    explicit = [f for f in options.files if f != config_files.STDIN]
    if explicit:
        return os.path.dirname(os.path.abspath(os.path.join(options.cwd, explicit[0])))
    return options.cwd


def _env_files(options: LoadOptions) -> list[str] | None:
    if options.env_files is None:
        return None
    return [os.path.abspath(os.path.join(options.cwd, p)) for p in options.env_files]


class _Reader:
    """Runs the per-file steps; remembers files read for `extends` and `include`."""

    def __init__(self, options: LoadOptions, env: Mapping[str, str], project_dir: str) -> None:
        self.options = options
        self.env = env
        self.project_dir = project_dir
        self.cache: dict[tuple[str, int], _Document] = {}
        self.including: list[str] = []
        self.warned: set[str] = set()

    def read(self, path: str, *, base_dir: str, env: Mapping[str, str] | None = None) -> _Document:
        """Steps 1 to 6 of the pipeline for one file."""
        from compose_core.config import extends

        env = self.env if env is None else env
        document = self.prepare(path, base_dir=base_dir, env=env)
        own_dir = base_dir if path == config_files.STDIN else os.path.dirname(path)
        document.data = extends.resolve_extends(
            document.data,
            source=document.path,
            base_dir=own_dir,
            load_file=lambda other: (
                self.prepare(other, base_dir=os.path.dirname(other), env=env).data
            ),
        )
        return document

    def prepare(self, path: str, *, base_dir: str, env: Mapping[str, str]) -> _Document:
        """Parse, interpolate, validate and canonicalise one file (steps 1 to 5)."""
        from compose_core.config import canonical, interpolation, legacy, validation

        source = "<stdin>" if path == config_files.STDIN else path
        text = config_files.read_text(path, self.options.stdin_text)
        raw = _check_top_level(load_yaml(text, source), source)
        is_legacy = legacy.is_legacy_v1(raw)
        if is_legacy:
            validation.validate(raw, source=source, text=text, legacy=True)
            raw = legacy.convert_v1(raw, source)
        else:
            _check_version(raw, source, self.options.compatibility)
        if self.options.interpolate:
            raw = interpolation.interpolate(raw, env, source=source, warned=self.warned)
        if not is_legacy:
            validation.validate(raw, source=source, text=text)
        raw.pop("version", None)
        data = canonical.canonicalize(raw, base_dir=base_dir, source=source)
        return _Document(source, data, is_legacy)

    def include(self, doc: dict, source: str, project_dir: str) -> dict:
        """Copy in the resources of every `include` entry, each loaded as its own project."""
        entries = doc.pop("include", None) or []
        for index, entry in enumerate(entries):
            spec = _include_spec(entry, source, index, project_dir)
            included = self._load_included(spec, source, index)
            _copy_included(doc, included, source, spec["path"][0])
        return doc

    def _load_included(self, spec: dict, source: str, index: int) -> dict:
        from compose_core.config import merge
        from compose_core.config.environment import load_project_environment

        first = spec["path"][0]
        if first in self.including:
            chain = " -> ".join([*self.including, first])
            raise ConfigError(f"include cycle: {chain}", source=source, path=f"include[{index}]")
        project_dir = spec["project_directory"]
        env_files = spec["env_file"]
        env = load_project_environment(project_dir, env_files, self.options.environ)
        # The including project's own environment wins over the included .env.
        env = _Overlay(env, self.env)
        self.including.append(first)
        try:
            docs = [self.read(p, base_dir=project_dir, env=env).data for p in spec["path"]]
            merged = merge.strip_markers(docs[0])
            for other, path in zip(docs[1:], spec["path"][1:]):
                merged = merge.merge_documents(merged, other, source=path)
            return self.include(merged, first, project_dir)
        finally:
            self.including.pop()


class _Overlay(Mapping[str, str]):
    """`top` wins over `base`."""

    def __init__(self, base: Mapping[str, str], top: Mapping[str, str]) -> None:
        self._base = base
        self._top = top

    def __getitem__(self, key: str) -> str:
        if key in self._top:
            return self._top[key]
        return self._base[key]

    def __iter__(self):  # type: ignore[no-untyped-def]
        yield from self._top
        yield from (k for k in self._base if k not in self._top)

    def __len__(self) -> int:
        return len(set(self._top) | set(self._base))


def _include_spec(entry: Any, source: str, index: int, project_dir: str) -> dict:
    where = f"include[{index}]"
    if isinstance(entry, str):
        entry = {"path": entry}
    if not isinstance(entry, dict) or not entry.get("path"):
        raise ConfigError(
            "an include entry is a path, or a mapping with a 'path'", source=source, path=where
        )
    paths = entry["path"] if isinstance(entry["path"], list) else [entry["path"]]
    paths = [os.path.abspath(os.path.join(project_dir, os.path.expanduser(p))) for p in paths]
    for path in paths:
        if not os.path.isfile(path):
            raise ConfigError(
                f"the included file {path} does not exist", source=source, path=f"{where}.path"
            )
    directory = entry.get("project_directory")
    directory = (
        os.path.abspath(os.path.join(project_dir, directory))
        if directory
        else os.path.dirname(paths[0])
    )
    env_file = entry.get("env_file")
    if isinstance(env_file, str):
        env_file = [env_file]
    if env_file is not None:
        env_file = [os.path.abspath(os.path.join(project_dir, p)) for p in env_file]
    return {"path": paths, "project_directory": directory, "env_file": env_file}


def _copy_included(doc: dict, included: dict, source: str, included_path: str) -> None:
    for section in ("services", *RESOURCE_SECTIONS):
        for name, value in (included.get(section) or {}).items():
            existing = doc.setdefault(section, {})
            if name in existing and existing[name] != value:
                raise ConfigError(
                    f"{section[:-1]} {name!r} is defined both here and in the included "
                    f"file {included_path}; rename one of them",
                    source=source,
                    path=f"{section}.{name}",
                )
            existing[name] = value


def _check_top_level(raw: Any, source: str) -> dict:
    if raw is None:
        raise ConfigError(
            "the file is empty; a Compose file needs at least a 'services' mapping",
            source=source,
        )
    if not isinstance(raw, dict):
        kind = "a list" if isinstance(raw, list) else f"a {type(raw).__name__}"
        raise ConfigError(
            f"the top level of a Compose file must be a mapping (like 'services:'), not {kind}",
            source=source,
        )
    for key in raw:
        if not isinstance(key, str):
            raise ConfigError(f"top-level keys must be strings, found {key!r}", source=source)
    return raw


def _check_version(raw: dict, source: str, compatibility: bool) -> None:
    if "version" not in raw:
        return
    version = raw["version"]
    if not isinstance(version, str):
        raise ConfigError(
            f'version {version!r} must be a string; quote it: version: "{version}"',
            source=source,
            path="version",
        )
    if version == "1":
        raise ConfigError(
            "version \"1\" is not written in a file: a version 1 file has no 'version' key "
            "and its services at the top level; a versioned file puts them under 'services'",
            source=source,
            path="version",
        )
    if not KNOWN_VERSIONS.match(version):
        raise ConfigError(
            f"unknown file format version {version!r}; expected 2.0 to 2.4 or 3.0 to 3.9, "
            "or no 'version' key at all (the Compose Specification)",
            source=source,
            path="version",
        )
    if not compatibility:
        log.warning(
            "%s: the attribute `version` is obsolete, it will be ignored, "
            "please remove it to avoid potential confusion",
            source,
        )


def _project_name(options: LoadOptions, env: Mapping[str, str], doc: dict, project_dir: str) -> str:
    compat = options.compatibility
    if options.project_name:
        return check_project_name(options.project_name, source="-p", compatibility=compat)
    if env.get(const.ENV_PROJECT_NAME):
        return check_project_name(
            env[const.ENV_PROJECT_NAME], source=const.ENV_PROJECT_NAME, compatibility=compat
        )
    if doc.get("name"):
        return check_project_name(str(doc["name"]), source="name", compatibility=compat)
    name = normalize_project_name(os.path.basename(project_dir.rstrip("/")), compatibility=compat)
    if not name:
        raise ConfigError(
            f"cannot derive a project name from the directory {project_dir}",
            hint="Name the project with -p, COMPOSE_PROJECT_NAME or a top-level 'name:'.",
        )
    return name


def _active_profiles(options: LoadOptions, env: Mapping[str, str]) -> set[str]:
    if options.profiles:
        return {p for p in options.profiles if p}
    return {p.strip() for p in env.get(const.ENV_PROFILES, "").split(",") if p.strip()}


def _build_project(
    doc: dict,
    *,
    name: str,
    project_dir: str,
    config_files: Sequence[str],
    env: Mapping[str, str],
    legacy: bool,
    profiles: set[str],
    targets: Sequence[str],
    source: str,
) -> Project:
    from compose_core.config import consistency

    all_services = {
        service_name: ServiceConfig(service_name, MappingProxyType(options))
        for service_name, options in (doc.get("services") or {}).items()
    }
    active, disabled = consistency.select_profiles(all_services, profiles, targets, source)
    project = Project(
        name=name,
        working_dir=project_dir,
        config_files=tuple(config_files),
        services=MappingProxyType(active),
        networks=MappingProxyType(doc.get("networks") or {}),
        volumes=MappingProxyType(doc.get("volumes") or {}),
        secrets=MappingProxyType(doc.get("secrets") or {}),
        configs=MappingProxyType(doc.get("configs") or {}),
        extensions=MappingProxyType({k: v for k, v in doc.items() if k.startswith("x-")}),
        disabled=MappingProxyType(disabled),
        environment=env,
        legacy=legacy,
    )
    consistency.check(project, source)
    return project


def find_variables(options: LoadOptions) -> dict[str, Any]:
    """Every variable the project's files use, with its default and whether it is required."""
    from compose_core.config import interpolation
    from compose_core.config.environment import load_project_environment

    env = load_project_environment(_env_dir(options), _env_files(options), options.environ)
    found = config_files.find_config_files(
        options.files,
        cwd=options.cwd,
        environ=env,
        project_dir=options.project_dir,
        compatibility=options.compatibility,
    )
    variables: dict[str, Any] = {}
    for path in found.paths:
        source = "<stdin>" if path == config_files.STDIN else path
        raw = load_yaml(config_files.read_text(path, options.stdin_text), source)
        variables.update(interpolation.find_variables(_check_top_level(raw, source)))
    return variables


@dataclass(frozen=True)
class ProjectNames:
    """What the read-only commands need of the files: the project's and services' names."""

    name: str
    services: frozenset[str]
    working_dir: str


def load_names(options: LoadOptions) -> ProjectNames:
    """The project name and every service name, without validating or normalising.

    Read-only commands (`ps`, ...) use this so that their cost stays flat in the size
    of the project; the files are only parsed, and only `name:` is interpolated.
    """
    from compose_core.config import interpolation, legacy
    from compose_core.config.environment import load_project_environment

    env = load_project_environment(_env_dir(options), _env_files(options), options.environ)
    found = config_files.find_config_files(
        options.files,
        cwd=options.cwd,
        environ=env,
        project_dir=options.project_dir,
        compatibility=options.compatibility,
    )
    if found.project_dir != _env_dir(options) and options.env_files is None:
        env = load_project_environment(found.project_dir, None, options.environ)
    services: set[str] = set()
    top: dict[str, Any] = {}
    pending = [(path, found.project_dir) for path in found.paths]
    seen: set[str] = set()
    while pending:
        path, base = pending.pop(0)
        if path in seen:
            continue
        seen.add(path)
        source = "<stdin>" if path == config_files.STDIN else path
        raw = _check_top_level(
            load_yaml(config_files.read_text(path, options.stdin_text), source), source
        )
        if legacy.is_legacy_v1(raw):
            services.update(raw)
            continue
        services.update(raw.get("services") or {})
        if raw.get("name") and path in found.paths:
            top["name"] = interpolation.interpolate(raw["name"], env, source=source)
        for entry in raw.get("include") or ():
            for included in _include_paths(entry, base):
                pending.append((included, os.path.dirname(included)))
    name = _project_name(options, env, top, found.project_dir)
    return ProjectNames(name, frozenset(services), found.project_dir)


def _include_paths(entry: Any, base: str) -> list[str]:
    paths = entry.get("path") if isinstance(entry, dict) else entry
    if isinstance(paths, str):
        paths = [paths]
    return [os.path.abspath(os.path.join(base, os.path.expanduser(str(p)))) for p in paths or ()]
