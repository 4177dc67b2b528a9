"""`pull` and the pull policies: which service images to fetch, and fetching them."""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from compose_core.converge.events import DONE, ERROR, WARNING
from compose_core.engine.gateway import NotFound
from compose_core.errors import ComposeError, EngineError, UserError
from compose_core.model.project import Project
from compose_core.ops.resources import service_image
from compose_core.ops.session import Session

log = logging.getLogger(__name__)

# What to do about a service's image.
PULL = "pull"
BUILD = "build"
KEEP = "keep"  # use the local image as it is
MISSING = "missing"  # no local image, and the policy forbids getting one

POLICIES = ("always", "never", "missing", "if_not_present", "build", "daily", "weekly", "refresh")
_EVERY = re.compile(r"every_((?:[0-9]+[wdhms])+)")
_UNIT_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}


def refresh_seconds(policy: str, refresh_after: str | None = None) -> float | None:
    """How old a pull may be under a time-based policy; None for the other policies."""
    if policy == "daily":
        return 86400
    if policy == "weekly":
        return 604800
    if policy == "refresh":
        return _every_seconds(refresh_after or "") if refresh_after else 86400
    match = _EVERY.fullmatch(policy)
    if match:
        return _every_seconds(match.group(1))
    return None


def _every_seconds(text: str) -> float:
    parts = re.findall(r"([0-9]+)([wdhms])", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise UserError(f"invalid pull refresh duration {text!r}; expected e.g. 12h or 1d6h")
    return sum(int(number) * _UNIT_SECONDS[unit] for number, unit in parts)


def check_policy(service: str, policy: str) -> None:
    if policy not in POLICIES and not _EVERY.fullmatch(policy):
        raise UserError(
            f"service {service}: unknown pull_policy {policy!r}",
            hint="Use always, never, missing, build, daily, weekly or every_<duration>.",
        )


@dataclass(frozen=True)
class ImageFacts:
    """What the engine knows of a service's image."""

    exists: bool
    last_pulled: datetime | None = None


def decide(
    policy: str | None,
    facts: ImageFacts,
    *,
    buildable: bool,
    has_image_key: bool,
    now: datetime,
    refresh_after: str | None = None,
) -> str:
    """PULL, BUILD, KEEP or MISSING for one service about to be created (pure)."""
    policy = policy or ("build_if_missing" if buildable and not has_image_key else "missing")
    if policy == "build":
        return BUILD
    if policy == "always":
        return PULL
    if facts.exists:
        age_limit = refresh_seconds(policy, refresh_after)
        if age_limit is None or facts.last_pulled is None:
            return KEEP
        age = (now - facts.last_pulled).total_seconds()
        return PULL if age > age_limit else KEEP
    if buildable and (policy in ("never", "build_if_missing") or not has_image_key):
        return BUILD
    return MISSING if policy == "never" else PULL


def image_facts(session: Session, image: str) -> ImageFacts:
    """Whether the image is present, and when it was last pulled: the later of the engine's
    last tag time (moved only when a pull changes the tag) and our own record of pulls."""
    try:
        inspected = session.gateway.inspect_image(image)
    except NotFound:
        return ImageFacts(False)
    stamps = [_parse_time((inspected.get("Metadata") or {}).get("LastTagTime"))]
    stamps.append(PullRecord().last(image))
    known = [stamp for stamp in stamps if stamp is not None]
    return ImageFacts(True, max(known) if known else None)


class PullRecord:
    """When each image was last pulled, kept in the user's cache directory (the engine
    keeps no such time: a pull that finds the image up to date leaves no trace)."""

    _lock = threading.Lock()

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        environ = os.environ if environ is None else environ
        cache = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        self.path = os.path.join(cache, "compose-core", "pulls.json")

    def last(self, image: str) -> datetime | None:
        return _parse_time(self._read().get(image))

    def note(self, image: str, when: datetime) -> None:
        with self._lock:
            entries = self._read()
            entries[image] = when.isoformat()
            try:
                os.makedirs(os.path.dirname(self.path), exist_ok=True)
                with open(self.path + ".tmp", "w", encoding="utf-8") as handle:
                    json.dump(entries, handle)
                os.replace(self.path + ".tmp", self.path)
            except OSError as err:
                log.debug("cannot record the pull of %s in %s: %s", image, self.path, err)

    def _read(self) -> dict[str, str]:
        try:
            with open(self.path, encoding="utf-8") as handle:
                entries = json.load(handle)
        except (OSError, ValueError):
            return {}
        return entries if isinstance(entries, dict) else {}


def _parse_time(stamp: str | None) -> datetime | None:
    if not isinstance(stamp, str) or not stamp or stamp.startswith("0001-"):
        return None
    trimmed = re.sub(r"(\.\d{6})\d*", r"\1", stamp.replace("Z", "+00:00"))
    try:
        parsed = datetime.fromisoformat(trimmed)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


# Pulling


@dataclass(frozen=True)
class PullOptions:
    quiet: bool = False
    ignore_failures: bool = False
    policy: str | None = None  # --policy: missing or always
    ignore_buildable: bool = False


class PullFailed(UserError):
    """A pull the command needed did not succeed."""


def pull_targets(
    session: Session, project: Project, services: Iterable[str], options: PullOptions
) -> dict[str, str]:
    """Service -> image for the services `pull` fetches; the others are reported skipped."""
    targets = {}
    for name in services:
        service = project.services[name]
        if not service.image:
            session.emit("Image", name, "Skipped", WARNING, "No image to be pulled")
            continue
        policy = service.options.get("pull_policy")
        if policy == "build" or (options.ignore_buildable and service.build):
            session.emit("Image", name, "Skipped", WARNING, "Image is built")
            continue
        image = service_image(project, name, session.compatibility)
        if options.policy == "missing" and session.gateway.image_exists(image):
            session.emit("Image", name, "Skipped", WARNING, "Image is already present locally")
            continue
        targets[name] = image
    return targets


def pull_services(
    session: Session,
    project: Project,
    targets: Mapping[str, str],
    options: PullOptions,
) -> None:
    """Pull each target image in parallel (one pull per distinct image); raises PullFailed
    naming the first failure unless failures are to be ignored."""
    by_image: dict[str, list[str]] = {}
    for service, image in targets.items():
        by_image.setdefault(image, []).append(service)
    with ThreadPoolExecutor(max_workers=max(1, session.parallel)) as pool:
        futures = {
            image: pool.submit(_pull_one, session, project, names[0], image)
            for image, names in by_image.items()
        }
    failures = [future.exception() for future in futures.values() if future.exception()]
    for failure in failures:
        if not isinstance(failure, ComposeError):
            raise failure
    if failures and not options.ignore_failures:
        raise PullFailed(str(failures[0]).splitlines()[0], hint=failures[0].hint)


def _pull_one(session: Session, project: Project, service: str, image: str) -> None:
    """Pull one image, reporting layer progress; a service that can be built only warns."""
    buildable = project.services[service].build is not None
    session.emit("Image", service, "Pulling", text=image)
    platform = project.services[service].options.get("platform")
    try:
        for line in session.gateway.pull_image(image, platform=platform):
            _report_progress(session, service, line)
    except (EngineError, PullFailed) as err:
        message = _pull_error(image, service, err)
        session.emit("Image", service, "Error", WARNING if buildable else ERROR, message)
        if buildable:
            return
        raise PullFailed(message, hint=_pull_hint(message)) from None
    PullRecord().note(image, datetime.now(timezone.utc))
    session.emit("Image", service, "Pulled", DONE)


def _report_progress(session: Session, service: str, line: Mapping[str, Any]) -> None:
    if line.get("error"):
        raise PullFailed(str(line["error"]))
    status = str(line.get("status") or "")
    layer = line.get("id")
    if layer and status and not status.startswith(("Pulling from", "Digest", "Status")):
        detail = line.get("progressDetail") or {}
        text = line.get("progress") or ""
        state = DONE if status in ("Pull complete", "Already exists", "Pushed") else "working"
        session.emit("Layer", f"{service}/{layer}", status, state, _progress_text(text, detail))
    elif status:
        # `1: Pulling from x` keeps its tag, as `docker pull` prints it.
        text = f"{layer}: {status}" if layer else status
        session.emit("Image", service, "Status", text=text)


def _progress_text(bar: str, detail: Mapping[str, Any]) -> str:
    current, total = detail.get("current"), detail.get("total")
    if current is not None and total:
        return f"{bar}\x00{current}/{total}"
    return bar


def _pull_error(image: str, service: str, err: Exception) -> str:
    reason = str(err).splitlines()[0]
    reason = reason.split(": ", 1)[1] if reason.startswith("pulling image") else reason
    return f"service {service}: cannot pull image {image}: {reason}"


def _pull_hint(message: str) -> str | None:
    lowered = message.lower()
    if any(word in lowered for word in ("unauthorized", "authentication", "credentials", "denied")):
        return "Log in to the registry first: docker login REGISTRY"
    if "connection refused" in lowered or "no such host" in lowered or "timeout" in lowered:
        return "Check that the registry is reachable from the Docker engine."
    if "not found" in lowered or "manifest unknown" in lowered:
        return "Check the image name and tag."
    return None
