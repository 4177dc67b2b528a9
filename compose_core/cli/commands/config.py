"""`config`: the resolved model, or parts of it."""

from __future__ import annotations

from typing import Any

from compose_core.cli.console import Console
from compose_core.cli.settings import GlobalOptions
from compose_core.errors import UsageError

FORMATS = ("yaml", "json")


def config(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Parse, resolve and render the Compose files in canonical form.

    Usage: config [options] [SERVICE...]

    Options:
      --format FORMAT      Output format: yaml or json [default: yaml]
      -o, --output PATH    Write the model to this file instead of standard output
      -q, --quiet          Only validate the files; print nothing
      --services           Print the service names, one per line
      --volumes            Print the volume names, one per line
      --networks           Print the network names, one per line
      --profiles           Print the profile names, one per line
      --images             Print the image of each service, one per line
      --hash SERVICES      Print the config hash of these services ("*" for all)
      --variables          Print the variables the files use, with their defaults
      --no-interpolate     Do not replace variables
    """
    from compose_core.config.loader import load_project

    fmt = args["--format"]
    if fmt not in FORMATS:
        raise UsageError(f"invalid --format {fmt!r}; expected yaml or json")
    if args["--variables"]:
        return _print_variables(options, console, fmt)
    targets = args["SERVICE"]
    project = load_project(
        options.load_options(targets=targets, interpolate=not args["--no-interpolate"])
    )
    _check_services(project, targets)
    if args["--quiet"]:
        return 0
    text = _listing(project, args)
    if text is None:
        text = _document(project, targets, fmt)
    if args["--output"]:
        _write(args["--output"], text)
    else:
        console.stdout.write(text)
    return 0


def _check_services(project: Any, targets: list[str]) -> None:
    unknown = [t for t in targets if t not in project.services]
    if unknown:
        raise UsageError(f"no such service: {unknown[0]}")


def _listing(project: Any, args: dict[str, Any]) -> str | None:
    """The text of a one-name-per-line option, or None when none was asked for."""
    from compose_core.model.hashing import config_hash

    if args["--services"]:
        names = list(project.services)
    elif args["--volumes"]:
        names = list(project.volumes)
    elif args["--networks"]:
        names = list(project.networks)
    elif args["--profiles"]:
        names = project.all_profiles()
    elif args["--images"]:
        names = list(project.images().values())
    elif args["--hash"] is not None:
        wanted = args["--hash"].split(",")
        selected = list(project.services) if "*" in wanted else wanted
        for name in selected:
            if name not in project.services:
                raise UsageError(f"no such service: {name}")
        names = [f"{n} {config_hash(project.services[n].options)}" for n in selected]
    else:
        return None
    return "".join(f"{name}\n" for name in names)


def _document(project: Any, targets: list[str], fmt: str) -> str:
    from compose_core.cli.render.document import to_json, to_yaml
    from compose_core.config.ordering import order_document
    from compose_core.model.graph import with_dependencies

    doc = project.to_dict()
    if targets:
        edges = {name: s.dependencies() for name, s in project.services.items()}
        keep = with_dependencies(edges, targets)
        doc["services"] = {k: v for k, v in doc["services"].items() if k in keep}
    doc = order_document(doc)
    return to_json(doc) + "\n" if fmt == "json" else to_yaml(doc)


def _print_variables(options: GlobalOptions, console: Console, fmt: str) -> int:
    from compose_core.cli.render.document import to_json
    from compose_core.cli.render.table import Table
    from compose_core.config.loader import find_variables

    variables = find_variables(options.load_options())
    if fmt == "json":
        rows = {
            name: {"name": name, "defaultValue": use.default or "", "required": use.required}
            for name, use in sorted(variables.items())
        }
        console.out(to_json(rows))
        return 0
    table = Table(["NAME", "REQUIRED", "DEFAULT VALUE", "ALTERNATE VALUE"])
    for name, use in sorted(variables.items()):
        table.add([name, str(use.required).lower(), use.default or "", use.alternate or ""])
    console.stdout.write(table.render())
    return 0


def _write(path: str, text: str) -> None:
    from compose_core.errors import UserError

    try:
        with open(path, "w") as handle:
            handle.write(text)
    except OSError as err:
        raise UserError(f"cannot write {path}: {err.strerror}") from None
