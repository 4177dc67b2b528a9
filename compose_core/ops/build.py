"""`build`: service images built by the engine's classic builder, from the `build:` key."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from compose_core.converge.events import DONE, ERROR
from compose_core.engine import dockerignore
from compose_core.errors import ComposeError, EngineError, UserError
from compose_core.model.project import Project, ServiceConfig
from compose_core.ops.resources import service_image
from compose_core.ops.session import Session

# `build:` keys the classic builder cannot honour: they need BuildKit.
_BUILDKIT_ONLY = ("ssh", "secrets", "cache_to", "additional_contexts", "privileged", "entitlements")


@dataclass(frozen=True)
class BuildOptions:
    no_cache: bool = False
    pull: bool = False
    quiet: bool = False
    build_args: Mapping[str, str | None] = field(default_factory=dict)  # --build-arg
    environ: Mapping[str, str] = field(default_factory=dict)
    memory: int | None = None  # -m/--memory, in bytes, for the build's containers
    compress: bool = False  # gzip the context
    force_rm: bool = False  # remove intermediate containers even after a failure
    keep_intermediate: bool = False  # --no-rm
    parallel: bool = False  # 1.29.2's --parallel (today's Compose always builds in parallel)


class BuildFailed(UserError):
    """The engine could not build a service's image; its own lines were shown."""


def buildable(project: Project, services: Iterable[str]) -> list[str]:
    return [name for name in services if project.services[name].build is not None]


def build_params(
    service: ServiceConfig, image: str, options: BuildOptions, dockerfile: str
) -> dict[str, Any]:
    """The SDK's build keywords for a service (pure)."""
    spec = service.build or {}
    _check_supported(service)
    params: dict[str, Any] = {
        "tag": image,
        "dockerfile": dockerfile,
        "nocache": options.no_cache or bool(spec.get("no_cache")),
        "pull": options.pull or bool(spec.get("pull")),
        "buildargs": _build_args(spec.get("args") or {}, options),
        "rm": not options.keep_intermediate,
        "forcerm": options.force_rm,
    }
    optional = {
        "target": spec.get("target"),
        "labels": dict(spec.get("labels") or {}) or None,
        "cache_from": list(spec.get("cache_from") or ()) or None,
        "network_mode": spec.get("network"),
        "shmsize": int(spec["shm_size"]) if spec.get("shm_size") is not None else None,
        "extra_hosts": _extra_hosts(spec.get("extra_hosts")),
        "isolation": spec.get("isolation"),
        "platform": service.options.get("platform") or _single_platform(service),
        "container_limits": {"memory": options.memory} if options.memory else None,
        "gzip": options.compress or None,
    }
    params.update({key: value for key, value in optional.items() if value is not None})
    return params


def _check_supported(service: ServiceConfig) -> None:
    spec = service.build or {}
    for key in _BUILDKIT_ONLY:
        if spec.get(key):
            raise UserError(
                f"service {service.name}: build.{key} needs BuildKit, and compose_core builds "
                "with the engine's classic builder",
                hint=f"Remove build.{key}, or build this image with `docker buildx build`.",
            )
    context = str(spec.get("context") or "")
    if "://" in context or context.startswith("git@"):
        # TODO: remote contexts (git and tarball URLs) need the engine's `remote` parameter.
        raise UserError(
            f"service {service.name}: a remote build context ({context}) is not supported yet",
            hint="Clone the repository and point build.context at the local directory.",
        )


def _single_platform(service: ServiceConfig) -> str | None:
    platforms = list((service.build or {}).get("platforms") or ())
    if len(platforms) > 1:
        raise UserError(
            f"service {service.name}: build.platforms lists {len(platforms)} platforms; the "
            "classic builder builds one",
            hint="Keep one platform, or build multi-platform images with `docker buildx`.",
        )
    return platforms[0] if platforms else None


def _build_args(args: Mapping[str, Any], options: BuildOptions) -> dict[str, str]:
    merged = {key: value for key, value in args.items() if value is not None}
    for key, value in options.build_args.items():
        if value is None:
            value = options.environ.get(key)
        if value is not None:
            merged[key] = value
    return {key: str(value) for key, value in merged.items()}


def _extra_hosts(entries: Any) -> dict[str, str] | None:
    if not entries:
        return None
    if isinstance(entries, Mapping):
        return {str(k): str(v) for k, v in entries.items()}
    hosts = {}
    for entry in entries:
        separator = "=" if "=" in entry else ":"
        host, _, address = str(entry).partition(separator)
        hosts[host] = address
    return hosts


def parse_build_args(values: Iterable[str]) -> dict[str, str | None]:
    """`--build-arg KEY=VALUE` flags; a bare KEY takes its value from the environment."""
    parsed: dict[str, str | None] = {}
    for value in values:
        key, equals, rest = value.partition("=")
        if not key:
            raise UserError(f"invalid --build-arg {value!r}; expected KEY=VALUE or KEY")
        parsed[key] = rest if equals else None
    return parsed


# Running builds


def build_services(
    session: Session, project: Project, services: Iterable[str], options: BuildOptions
) -> dict[str, str]:
    """Build the services' images (in parallel, one at a time in compatibility mode, as
    1.29.2 does); returns service -> image ID. Raises BuildFailed after every build ended."""
    names = buildable(project, services)
    for name in names:
        _check_supported(project.services[name])
        _single_platform(project.services[name])
    serial = session.compatibility and not options.parallel
    workers = 1 if serial else max(1, session.parallel)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {name: pool.submit(build_one, session, project, name, options) for name in names}
    built, failures = {}, []
    for name, future in futures.items():
        error = future.exception()
        if error is None:
            built[name] = future.result()
        elif isinstance(error, ComposeError):
            failures.append(error)
        else:
            raise error
    if failures:
        raise failures[0]
    return built


def build_one(session: Session, project: Project, name: str, options: BuildOptions) -> str:
    """Build one service's image, emitting the engine's lines; returns the image ID."""
    service = project.services[name]
    spec = service.build or {}
    image = service_image(project, name, session.compatibility)
    context_dir = str(spec.get("context") or project.working_dir)
    if not os.path.isdir(context_dir):
        raise UserError(
            f"service {name}: build context {context_dir} is not a directory",
            hint="Fix build.context in the Compose file.",
        )
    session.emit("Image", name, "Building", text=image)
    context = dockerignore.make_context(
        context_dir, spec.get("dockerfile"), spec.get("dockerfile_inline")
    )
    params = build_params(service, image, options, context.dockerfile)
    try:
        image_id = _stream_build(session, name, image, context, params)
    except EngineError as err:
        session.emit("Image", name, "Error", ERROR)
        reason = str(err).split(": ", 1)[-1]
        raise BuildFailed(f"service {name} failed to build: {reason}", hint=err.hint) from None
    for extra in spec.get("tags") or ():
        session.gateway.tag_image(image_id, extra)
    session.emit("Image", name, "Built", DONE, image)
    return image_id


def _stream_build(session: Session, name: str, image: str, context: Any, params: dict) -> str:
    image_id = ""
    with context.archive:
        for line in session.gateway.build_image(context.archive, params, name=image):
            if line.get("error"):
                text = str(line["error"]).rstrip("\n")
                session.emit("Build", name, "Log", ERROR, text)
                session.emit("Image", name, "Error", ERROR)
                raise BuildFailed(f"service {name} failed to build: {text}")
            if line.get("aux", {}).get("ID"):
                image_id = line["aux"]["ID"]
            if line.get("stream"):
                session.emit("Build", name, "Log", text=str(line["stream"]))
            elif line.get("status"):
                session.emit("Build", name, "Log", text=_status_line(line))
    return image_id or session.gateway.inspect_image(image)["Id"]


def _status_line(line: Mapping[str, Any]) -> str:
    parts = [str(line.get("id") or ""), str(line["status"]), str(line.get("progress") or "")]
    return " ".join(part for part in parts if part) + "\n"
