"""The config hash: a digest of what a container was created from.

Fields that do not change the container itself (how many run, how its image
is built or pulled, the order of start-up) are left out, so that changing
them recreates nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

_IGNORED = ("build", "pull_policy", "scale", "depends_on", "profiles", "develop", "extends")


def hashed_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """The options that make up the hash."""
    hashed = {k: v for k, v in options.items() if k not in _IGNORED}
    deploy = hashed.get("deploy")
    if isinstance(deploy, Mapping) and "replicas" in deploy:
        hashed["deploy"] = {k: v for k, v in deploy.items() if k != "replicas"}
    return hashed


def canonical_json(options: Mapping[str, Any]) -> str:
    """The hashed options as compact, key-sorted JSON."""
    return json.dumps(
        hashed_options(options), sort_keys=True, separators=(",", ":"), default=_plain
    )


def config_hash(options: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(options).encode()).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"cannot hash {type(value).__name__}")
