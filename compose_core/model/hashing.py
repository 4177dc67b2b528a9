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


def config_hash(options: Mapping[str, Any]) -> str:
    hashed = {k: v for k, v in options.items() if k not in _IGNORED}
    deploy = hashed.get("deploy")
    if isinstance(deploy, Mapping) and "replicas" in deploy:
        hashed["deploy"] = {k: v for k, v in deploy.items() if k != "replicas"}
    text = json.dumps(hashed, sort_keys=True, separators=(",", ":"), default=_plain)
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"cannot hash {type(value).__name__}")
