"""`push`: the images of built services, to their registries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from compose_core.converge.events import DONE, ERROR, WARNING
from compose_core.errors import ComposeError, EngineError, UserError
from compose_core.model.project import Project
from compose_core.ops.session import Session


class PushFailed(UserError):
    """An image could not be pushed."""


def push_targets(session: Session, project: Project, services: Iterable[str]) -> dict[str, list]:
    """Service -> images to push: its `image:` and `build.tags`, for services that build."""
    targets: dict[str, list] = {}
    for name in services:
        service = project.services[name]
        if service.build is None or not service.image:
            session.emit("Image", name, "Skipped", WARNING, "No image to be pushed")
            continue
        images = [service.image, *((service.build or {}).get("tags") or ())]
        targets[name] = list(dict.fromkeys(images))
    return targets


def push_services(
    session: Session, targets: Mapping[str, list], *, ignore_failures: bool = False
) -> None:
    """Push every image in parallel; raises PushFailed for the first failure unless told
    to ignore failures (then each failure is a warning)."""
    jobs = [(name, image) for name, images in targets.items() for image in images]
    with ThreadPoolExecutor(max_workers=max(1, session.parallel)) as pool:
        futures = [
            pool.submit(_push_one, session, name, image, ignore_failures) for name, image in jobs
        ]
    failures = [future.exception() for future in futures if future.exception()]
    for failure in failures:
        if not isinstance(failure, ComposeError):
            raise failure
    if failures and not ignore_failures:
        raise failures[0]


def _push_one(session: Session, service: str, image: str, ignore_failures: bool) -> None:
    session.emit("Image", service, "Pushing", text=image)
    try:
        for line in session.gateway.push_image(image):
            _report(session, service, line)
    except (EngineError, PushFailed) as err:
        reason = str(err).splitlines()[0]
        reason = reason.split(": ", 1)[1] if reason.startswith("pushing image") else reason
        message = f"service {service}: cannot push image {image}: {reason}"
        session.emit("Image", service, "Error", WARNING if ignore_failures else ERROR, message)
        raise PushFailed(message, hint=_hint(reason)) from None
    session.emit("Image", service, "Pushed", DONE, image)


def _report(session: Session, service: str, line: Mapping[str, Any]) -> None:
    if line.get("error"):
        raise PushFailed(str(line["error"]).strip())
    status = str(line.get("status") or "")
    layer = line.get("id")
    if layer and status and not status.startswith("The push refers"):
        state = DONE if status in ("Pushed", "Layer already exists", "Mounted from") else "working"
        session.emit("Layer", f"{service}/{layer}", status, state, str(line.get("progress") or ""))
    elif status:
        session.emit("Image", service, "Status", text=status)


def _hint(reason: str) -> str | None:
    lowered = reason.lower()
    if any(word in lowered for word in ("unauthorized", "authentication", "credentials", "denied")):
        return "Log in to the registry first: docker login REGISTRY"
    if "does not exist" in lowered or "no such image" in lowered:
        return "Build the image first: docker-compose build"
    if "connection refused" in lowered or "no such host" in lowered:
        return "Check that the registry is reachable from the Docker engine."
    return None
