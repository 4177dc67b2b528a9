"""`version` and `help`."""

from __future__ import annotations

from typing import Any

from compose_core import __version__
from compose_core.cli.console import Console
from compose_core.cli.settings import GlobalOptions
from compose_core.errors import UsageError

FORMATS = ("pretty", "json")


def version(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Show version information.

    Usage: version [options]

    Options:
      -f, --format FORMAT  Output format: pretty or json [default: pretty]
      --short              Print only the version number
    """
    if args["--format"] not in FORMATS:
        raise UsageError(f"invalid --format {args['--format']!r}; expected pretty or json")
    if args["--short"]:
        console.out(__version__)
    elif args["--format"] == "json":
        import json

        console.out(json.dumps({"version": f"v{__version__}"}))
    elif options.compatibility:
        console.out(_classic_lines())
    else:
        console.out(f"compose_core version v{__version__}")
    return 0


def _classic_lines() -> str:
    # 1.29.2 listed its libraries; the SDK's version is read without importing it.
    from importlib import metadata

    try:
        sdk = metadata.version("docker")
    except metadata.PackageNotFoundError:
        sdk = "unknown"
    import platform
    import ssl

    return "\n".join(
        (
            f"docker-compose version {__version__}, build compose_core",
            f"docker-py version: {sdk}",
            f"{platform.python_implementation()} version: {platform.python_version()}",
            f"OpenSSL version: {ssl.OPENSSL_VERSION}",
        )
    )


def help_command(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Get help on a command.

    Usage: help [COMMAND]
    """
    # main.py answers `help` itself, before any command module is imported.
    raise AssertionError("help is handled by compose_core.cli.main")
