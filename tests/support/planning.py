"""Builders of projects and observed states for the planner's tests."""

from __future__ import annotations

import json
from typing import Any

from compose_core.converge.reconcile import LABEL_CONFIG, Desired
from compose_core.engine.observe import ObservedContainer, ObservedState
from compose_core.model.hashing import canonical_json, config_hash
from compose_core.model.project import Project, ServiceConfig


def project(services: dict[str, dict[str, Any]], **sections: Any) -> Project:
    sections.setdefault("networks", {"default": {"name": "p_default"}})
    for options in services.values():
        options.setdefault("image", "busybox")
        options.setdefault("networks", {"default": None})
    return Project(
        name="p",
        working_dir="/tmp/p",
        config_files=("/tmp/p/compose.yaml",),
        services={n: ServiceConfig(n, o) for n, o in services.items()},
        **sections,
    )


def desired(proj: Project, image_ids: dict[str, str] | None = None) -> Desired:
    return Desired(
        project=proj,
        hashes={n: config_hash(s.options) for n, s in proj.services.items()},
        image_ids=image_ids or {},
        network_names={k: v.get("name", f"p_{k}") for k, v in proj.networks.items()},
        volume_names={k: (v or {}).get("name", f"p_{k}") for k, v in proj.volumes.items()},
    )


def container(
    service: str,
    number: int = 1,
    *,
    options: dict[str, Any] | None = None,
    state: str = "running",
    oneoff: bool = False,
    image_id: str = "sha256:img",
    name: str | None = None,
    ident: str | None = None,
) -> ObservedContainer:
    labels = {
        "com.docker.compose.project": "p",
        "com.docker.compose.service": service,
        "com.docker.compose.container-number": str(number),
        "com.docker.compose.oneoff": "True" if oneoff else "False",
    }
    if options is not None:
        labels["com.docker.compose.config-hash"] = config_hash(options)
        labels[LABEL_CONFIG] = canonical_json(options)
    return ObservedContainer.from_summary(
        {
            "Id": ident or f"{service}{number:02d}".ljust(64, "0"),
            "Names": [f"/{name or f'p-{service}-{number}'}"],
            "Labels": labels,
            "State": state,
            "Status": "Up 1 second" if state == "running" else "Exited (0) 1 second ago",
            "Image": "busybox",
            "ImageID": image_id,
            "Created": 1000 + number,
        }
    )


def observed(*containers: ObservedContainer, networks=("p_default",), volumes=()) -> ObservedState:
    return ObservedState(
        "p",
        tuple(containers),
        {n: {"Name": n} for n in networks},
        {v: {"Name": v} for v in volumes},
    )


def as_json(value: Any) -> Any:
    return json.loads(json.dumps(value))
