#!/usr/bin/env python3
"""The engine's floor for the health-gated diamond: the docker SDK alone, with no Compose
around it, starting each level the moment the engine reports the level above healthy.

Usage: health_floor.py up PROJECT WIDTH LEVELS INTERVAL IMAGE | health_floor.py down PROJECT

`up` creates every container at once (while the root's check runs), then starts the root,
and each level once every container of the level above has sent its `health_status:
healthy` event. Its time is the health checks' own time plus what the engine needs to
start each level: the best any Compose can do on this engine.
"""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from docker.api.client import APIClient

PARALLEL = 64
PROJECT_LABEL = "com.docker.compose.project"


def diamond(width: int, levels: int) -> list[list[str]]:
    return [["root"]] + [[f"l{level}s{i}" for i in range(width)] for level in range(1, levels + 1)]


def up(api: APIClient, project: str, width: int, levels: int, interval: int, image: str) -> None:
    events = api.events(filters={"label": [f"{PROJECT_LABEL}={project}"]}, decode=True)
    healthy: set[str] = set()
    changed = threading.Condition()

    def watch() -> None:
        for event in events:
            if event.get("Action") == "health_status: healthy":
                with changed:
                    healthy.add(event["Actor"]["ID"])
                    changed.notify_all()

    threading.Thread(target=watch, daemon=True).start()
    body = {
        "Image": image,
        "Cmd": ["sleep", "3600"],
        "StopSignal": "SIGKILL",
        "Healthcheck": {"Test": ["CMD", "true"], "Interval": interval * 1_000_000_000},
        "HostConfig": {"NetworkMode": "none"},
    }
    with ThreadPoolExecutor(PARALLEL) as pool:
        ids = [
            list(pool.map(lambda name: create(api, project, name, body), names))
            for names in diamond(width, levels)
        ]
        for level in ids:
            list(pool.map(api.start, level))
            with changed:
                changed.wait_for(lambda level=level: healthy.issuperset(level))
    events.close()


def create(api: APIClient, project: str, service: str, body: dict) -> str:
    labels = {PROJECT_LABEL: project, "com.docker.compose.service": service}
    url = api._url("/containers/create")
    response = api._post_json(
        url, data={**body, "Labels": labels}, params={"name": f"{project}-{service}-1"}
    )
    return api._result(response, True)["Id"]


def down(api: APIClient, project: str) -> None:
    found = api.containers(all=True, filters={"label": f"{PROJECT_LABEL}={project}"})
    with ThreadPoolExecutor(PARALLEL) as pool:
        list(pool.map(lambda c: api.remove_container(c["Id"], force=True), found))


def main(argv: list[str]) -> int:
    api = APIClient(version="auto")
    if argv[:1] == ["up"] and len(argv) == 6:
        up(api, argv[1], int(argv[2]), int(argv[3]), int(argv[4]), argv[5])
        return 0
    if argv[:1] == ["down"] and len(argv) == 2:
        down(api, argv[1])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
