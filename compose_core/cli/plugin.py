"""Running as a Docker CLI plugin, so that `docker compose ...` works.

The Docker CLI finds an executable `docker-compose` in a `cli-plugins` directory
(`~/.docker/cli-plugins/`), asks it `docker-cli-plugin-metadata` for a JSON
description, and then runs `docker-compose compose ARGS...`: the plugin's name
comes first.
"""

from __future__ import annotations

from compose_core import __version__

METADATA_COMMAND = "docker-cli-plugin-metadata"
PLUGIN_NAME = "compose"


def metadata() -> str:
    """What the Docker CLI lists for this plugin in `docker info` and `docker --help`."""
    import json

    return json.dumps(
        {
            "SchemaVersion": "0.1.0",
            "Vendor": "compose_core",
            "Version": f"v{__version__}",
            "ShortDescription": "Docker Compose (compose_core)",
        }
    )


def without_plugin_name(argv: list[str]) -> list[str]:
    """The arguments as the Docker CLI passes them, less the leading plugin name.

    No command is named `compose`, so a first argument `compose` can only be it.
    """
    return argv[1:] if argv[:1] == [PLUGIN_NAME] else argv
