"""Images around the life cycle: made ready before `up`/`create` (pulled or built, per
pull_policy, --build, --no-build and --pull), removed by `down --rmi`."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone

from compose_core.converge.events import DONE, WARNING
from compose_core.engine.gateway import Conflict, NotFound
from compose_core.errors import UserError
from compose_core.model.project import Project
from compose_core.ops import build as build_op
from compose_core.ops import pull as pull_op
from compose_core.ops.resources import service_image
from compose_core.ops.session import Session

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImageFlags:
    build: bool = False  # --build
    no_build: bool = False  # --no-build
    pull: str | None = None  # --pull POLICY
    build_options: build_op.BuildOptions = field(default_factory=build_op.BuildOptions)


UP_PULL_POLICIES = ("always", "missing", "never", "build")


def decisions(
    session: Session, project: Project, services: Sequence[str], flags: ImageFlags
) -> dict[str, str]:
    """Service -> PULL, BUILD, KEEP or MISSING, reading only image facts from the engine."""
    now = datetime.now(timezone.utc)
    chosen: dict[str, str] = {}
    known: dict[str, pull_op.ImageFacts] = {}  # services often share an image: ask once
    for name in services:
        service = project.services[name]
        policy = flags.pull or service.options.get("pull_policy")
        if policy:
            pull_op.check_policy(name, policy)
        buildable = service.build is not None
        image = service_image(project, name, session.compatibility)
        if image not in known:
            known[image] = pull_op.image_facts(session, image)
        facts = known[image]
        if flags.build and buildable and not flags.no_build:
            chosen[name] = pull_op.BUILD
            continue
        decision = pull_op.decide(
            policy,
            facts,
            buildable=buildable,
            has_image_key=bool(service.image),
            now=now,
            refresh_after=service.options.get("pull_refresh_after"),
        )
        if decision == pull_op.BUILD and flags.no_build:
            decision = pull_op.KEEP if facts.exists else pull_op.MISSING
        chosen[name] = decision
    return chosen


def ensure_images(
    session: Session, project: Project, services: Sequence[str], flags: ImageFlags
) -> None:
    """Pull, then build, what `up` needs; a missing image that may not be fetched is an
    error before anything is created."""
    chosen = decisions(session, project, services, flags)
    for name, decision in chosen.items():
        if decision == pull_op.MISSING:
            raise _missing(project, name, session.compatibility, flags)
    pulls = {
        name: service_image(project, name, session.compatibility)
        for name, decision in chosen.items()
        if decision == pull_op.PULL
    }
    if pulls:
        pull_op.pull_services(session, project, pulls, pull_op.PullOptions())
    builds = [name for name, decision in chosen.items() if decision == pull_op.BUILD]
    for name in pulls:
        image = pulls[name]
        if project.services[name].build is not None and not session.gateway.image_exists(image):
            builds.append(name)  # the pull failed, but the image can be built
    if builds:
        build_op.build_services(session, project, builds, flags.build_options)
    if session.compatibility and not flags.build:
        # 1.29.2 warns when `up` builds an image only because it was missing.
        for name in builds:
            if (flags.pull or project.services[name].options.get("pull_policy")) != "build":
                log.warning(
                    "Image for service %s was built because it did not already exist. To "
                    "rebuild this image you must use `docker-compose build` or "
                    "`docker-compose up --build`.",
                    name,
                )


def _missing(project: Project, name: str, compatibility: bool, flags: ImageFlags) -> UserError:
    image = service_image(project, name, compatibility)
    if flags.no_build and project.services[name].build is not None:
        return UserError(
            f"service {name}: image {image} is missing and --no-build forbids building it",
            hint="Build it first (docker-compose build), or drop --no-build.",
        )
    return UserError(
        f"service {name}: image {image} is not present on the engine, and pull_policy never "
        "forbids pulling it",
        hint="Pull it first (docker-compose pull --policy always), or change the pull policy.",
    )


# down --rmi


def rmi_images(project: Project, mode: str, compatibility: bool) -> list[str]:
    """The images `down --rmi local|all` removes: built ones without an `image:` name
    (local), or every service's image (all)."""
    if mode not in ("local", "all"):
        raise UserError(f"invalid --rmi {mode!r}; expected local or all")
    images = []
    for name, service in project.services.items():
        if mode == "local" and service.image:
            continue
        images.append(service_image(project, name, compatibility))
        if mode == "all" and service.build:
            images.extend((service.build or {}).get("tags") or ())
    return list(dict.fromkeys(images))


def remove_images(session: Session, images: Sequence[str]) -> None:
    """Remove each image; one that is absent is skipped, one still in use is a warning."""
    for image in images:
        if not session.gateway.image_exists(image):
            continue
        session.emit("Image", image, "Removing")
        try:
            session.gateway.remove_image(image)
        except NotFound:
            continue
        except Conflict as err:
            session.emit("Image", image, "Error", WARNING, str(err).splitlines()[0])
            continue
        session.emit("Image", image, "Removed", DONE)
