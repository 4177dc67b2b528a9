#!/usr/bin/env python3
"""The limit for `up -d` and `down`: the same engine calls, in the best order, by the
docker SDK alone, with no Compose around it.

Usage: limit.py up PROJECT SERVICES IMAGE | limit.py down PROJECT

`up` creates the project network, then creates and starts every container on a pool
as wide as compose_core's default parallelism; `down` stops every container, then
removes them and the network. Labels are those Compose puts, so `down` finds them.
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

from docker.api.client import APIClient

PARALLEL = 64


def up(api: APIClient, project: str, services: int, image: str) -> None:
    network = f"{project}_default"
    labels = {"com.docker.compose.project": project, "com.docker.compose.network": "default"}
    api.create_network(network, driver="bridge", labels=labels)

    def one(index: int) -> None:
        name = f"{project}-svc{index}-1"
        body = {
            "Image": image,
            "Cmd": ["sleep", "3600"],
            "Labels": {
                "com.docker.compose.project": project,
                "com.docker.compose.service": f"svc{index}",
                "com.docker.compose.container-number": "1",
                "com.docker.compose.oneoff": "False",
            },
            "HostConfig": {"NetworkMode": network},
            "NetworkingConfig": {"EndpointsConfig": {network: {"Aliases": [f"svc{index}"]}}},
        }
        response = api._post_json(api._url("/containers/create"), data=body, params={"name": name})
        api.start(api._result(response, True)["Id"])

    with ThreadPoolExecutor(PARALLEL) as pool:
        list(pool.map(one, range(services)))


def down(api: APIClient, project: str) -> None:
    label = {"label": [f"com.docker.compose.project={project}"]}
    containers = [c["Id"] for c in api.containers(all=True, filters=label)]
    with ThreadPoolExecutor(PARALLEL) as pool:
        list(pool.map(lambda ident: api.stop(ident, timeout=0), containers))
        list(pool.map(lambda ident: api.remove_container(ident, force=True), containers))
    for network in api.networks(filters=label):
        api.remove_network(network["Id"])


def main(argv: list[str]) -> int:
    api = APIClient(version="1.41", max_pool_size=PARALLEL)
    if argv[0] == "up":
        up(api, argv[1], int(argv[2]), argv[3])
    else:
        down(api, argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
