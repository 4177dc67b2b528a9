"""Entry point of the `docker-compose` command: options, dispatch, errors, exit status.

Only this module exits the process. It imports nothing heavy up front, so
that `version` and `help` start as fast as Python itself.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from compose_core.cli import plugin
from compose_core.cli.console import Console
from compose_core.cli.registry import COMMANDS, load_command
from compose_core.cli.settings import GlobalOptions
from compose_core.errors import ComposeError, UsageError

TOP_LEVEL_USAGE = """Define and run multi-container applications with Docker.

Usage:
  docker-compose [-f <arg>...] [--profile <name>...] [--env-file <path>...] [options] [--] [COMMAND] [ARGS...]
  docker-compose -h|--help

Options:
  -f, --file FILE             Compose configuration file(s); `-` reads standard input
  -p, --project-name NAME     Project name (default: the top-level `name:` or the directory)
  --profile NAME              Activate a profile (repeatable)
  --project-directory PATH    Working directory of the project (default: the first file's)
  --env-file PATH             Environment file(s) to read instead of .env
  --compatibility             Behave as docker-compose 1.29.2 (names, output, exit statuses)
  --ansi WHEN                 When to print ANSI control characters: never, always, auto
                              [default: auto]
  --no-ansi                   Do not print ANSI control characters (same as --ansi never)
  --progress MODE             Progress output: auto, tty, plain, json, quiet [default: auto]
  --parallel N                Most engine operations at once (default: COMPOSE_PARALLEL_LIMIT)
  --dry-run                   Print the plan of a command that changes things; change nothing
  --log-level LEVEL           DEBUG, INFO, WARNING, ERROR or CRITICAL
  --verbose                   Show more output, and the traceback of internal errors
  -H, --host HOST             Docker daemon socket to connect to (default: DOCKER_HOST)
  --tls                       Use TLS; implied by --tlsverify
  --tlscacert CA_PATH         Trust certificates signed only by this CA
  --tlscert CLIENT_CERT_PATH  Path to the TLS certificate file
  --tlskey TLS_KEY_PATH       Path to the TLS key file
  --tlsverify                 Use TLS and verify the daemon's certificate
  --skip-hostname-check       Do not check the daemon's hostname against its certificate
  -v, --version               Print the version and exit

Commands:
{commands}

Run 'docker-compose COMMAND --help' for more information on a command.
"""


def usage_text() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [f"  {name.ljust(width)}  {entry.summary}" for name, entry in COMMANDS.items()]
    return TOP_LEVEL_USAGE.format(commands="\n".join(lines))


def main(argv: Sequence[str] | None = None, console: Console | None = None) -> int:
    """Run one command; returns the exit status (the console script exits with it)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    console = console or Console()
    verbose = "--verbose" in argv
    try:
        return _dispatch(argv, console)
    except UsageError as err:
        console.err(str(err))
        return err.exit_status
    except ComposeError as err:
        _print_error(console, err)
        return err.exit_status
    except KeyboardInterrupt:
        console.err("Aborted." if console.compatibility else "canceled")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # noqa: BLE001 - the one place that turns a bug into a report
        if verbose:
            import traceback

            traceback.print_exc(file=console.stderr)
        console.err(
            f"internal error: {type(err).__name__}: {err}\n"
            "This is a bug in compose_core; run with --verbose to see the traceback "
            "and report it."
        )
        return 1


def _print_error(console: Console, err: ComposeError) -> None:
    prefix = "ERROR: " if console.compatibility else ""
    console.err(f"{prefix}{err}")


def _dispatch(argv: list[str], console: Console) -> int:
    from docopt import DocoptExit, docopt

    if argv[:1] == [plugin.METADATA_COMMAND]:
        console.out(plugin.metadata())
        return 0
    argv = plugin.without_plugin_name(argv)
    usage = usage_text()
    try:
        raw = docopt(usage, argv, default_help=False, options_first=True)
    except DocoptExit as exit_:
        raise UsageError(_usage_error(exit_, usage)) from None
    options = GlobalOptions.from_docopt(raw)
    console.ansi = options.ansi
    console.compatibility = options.compatibility

    if raw["--help"] or raw["-h"]:
        console.out(usage.rstrip())
        return 0
    if raw["--version"]:
        return _run(console, options, "version", [])
    command = raw["COMMAND"]
    if command is None:
        console.err(usage.rstrip())
        return 1
    return _run(console, options, command, raw["ARGS"])


def _run(console: Console, options: GlobalOptions, name: str, args: list[str]) -> int:
    from docopt import DocoptExit, docopt

    if name == "help":
        return _help(console, args)
    entry = COMMANDS.get(name)
    if entry is None:
        raise UsageError(f"No such command: {name}\n\n{usage_text().rstrip()}")
    if name != "version":  # `version` logs nothing; it should start as fast as it can
        _configure_logging(console, options)
    handler = load_command(entry)
    doc = _usage_of(handler)
    # `run` and `exec` take a command of their own: their options end at the service.
    options_first = getattr(handler, "options_first", False)
    own = _own_arguments(doc, args) if options_first else args
    if "-h" in own or "--help" in own:
        console.out(doc)
        return 0
    try:
        parsed = docopt(doc, args, default_help=False, options_first=options_first)
    except DocoptExit as exit_:
        raise UsageError(_usage_error(exit_, doc)) from None
    status = handler(options, parsed, console)
    return 0 if status is None else int(status)


def _own_arguments(doc: str, args: list[str]) -> list[str]:
    """The arguments before the first positional one (skipping the values of options)."""
    takes_value: set[str] = set()
    for line in doc.splitlines():
        spec = line.strip().split("  ")[0]  # "-u, --user USER" before the description
        tokens = spec.replace(",", " ").replace("=", " ").split()
        if spec.startswith("-") and any(not token.startswith("-") for token in tokens):
            takes_value.update(token for token in tokens if token.startswith("-"))
    own: list[str] = []
    index = 0
    while index < len(args) and args[index].startswith("-"):
        own.append(args[index])
        if args[index] in takes_value and "=" not in args[index]:
            index += 1
        index += 1
    return own


def _help(console: Console, args: list[str]) -> int:
    if not args:
        console.out(usage_text().rstrip())
        return 0
    entry = COMMANDS.get(args[0])
    if entry is None:
        raise UsageError(f"No such command: {args[0]}\n\n{usage_text().rstrip()}")
    console.out(_usage_of(load_command(entry)))
    return 0


def _usage_of(handler: object) -> str:
    """A handler's docstring, dedented: its first line, then the docopt usage."""
    lines = (getattr(handler, "__doc__", None) or "").strip("\n").splitlines()
    if not lines:
        return ""
    rest = [line for line in lines[1:] if line.strip()]
    indent = min((len(line) - len(line.lstrip()) for line in rest), default=0)
    return "\n".join([lines[0].strip(), *(line[indent:] for line in lines[1:])])


def _usage_error(exit_: Exception, doc: str) -> str:
    """What docopt did not understand, in words, and the usage section of `doc`."""
    import re

    text = str(exit_)
    usage = doc[doc.find("Usage:") :].split("\n\n")[0].strip() if "Usage:" in doc else ""
    unknown = re.findall(r"Option\(\S+, '([^']+)'", text)
    extra = re.findall(r"Argument\(None, '([^']*)'\)", text)
    if unknown:
        detail = f"unknown flag: {unknown[0]}"
    elif extra:
        detail = f"unexpected argument: {extra[0]!r}"
    elif " requires argument" in text:
        detail = text.splitlines()[0].strip()
    else:
        detail = "the arguments do not match the usage"
    return f"{detail}\n{usage}"


def _configure_logging(console: Console, options: GlobalOptions) -> None:
    import logging

    from compose_core.cli.render.logs import StderrHandler

    root = logging.getLogger("compose_core")
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(StderrHandler(console))
    root.setLevel(options.log_level)
    root.propagate = False


def run() -> None:
    """The console-script entry point."""
    sys.exit(main())
