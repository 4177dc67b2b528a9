"""`ls`: every Compose project on the engine, found by its containers' labels."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from compose_core import const
from compose_core.cli.console import Console
from compose_core.cli.render.table import Table
from compose_core.cli.settings import GlobalOptions
from compose_core.errors import UsageError


def ls(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """List the Compose projects that have running (with -a: any) containers.

    Usage: ls [options] [--filter KEY=VALUE...]

    Options:
      -a, --all           Show every project, stopped ones too
      --filter KEY=VALUE  Only projects whose name contains VALUE: name=VALUE
      --format FORMAT     table or json [default: table]
      -q, --quiet         Only print the project names
    """
    from compose_core.engine.client import open_gateway

    fmt = args["--format"]
    if fmt not in ("table", "json"):
        raise UsageError(f"invalid --format {fmt!r}; expected table or json")
    names = _name_filters(args["--filter"])
    summaries = open_gateway(options).containers([const.LABEL_PROJECT], all=bool(args["--all"]))
    found = [p for p in projects(summaries) if not names or any(n in p.name for n in names)]
    if args["--quiet"]:
        console.stdout.write("".join(f"{p.name}\n" for p in found))
    elif fmt == "json":
        records = [
            {"Name": p.name, "Status": p.status, "ConfigFiles": p.config_files} for p in found
        ]
        console.out(json.dumps(records, separators=(",", ":")))
    else:
        table = Table(["NAME", "STATUS", "CONFIG FILES"], gap=3, min_width=20)
        for p in found:
            table.add([p.name, p.status, p.config_files])
        console.stdout.write(table.render())
    return 0


@dataclass(frozen=True)
class ProjectSummary:
    name: str
    status: str  # "exited(1), running(2)"
    config_files: str


def projects(summaries: Iterable[Mapping[str, Any]]) -> list[ProjectSummary]:
    """Projects by name, from container summaries carrying the project label."""
    states: dict[str, Counter] = {}
    files: dict[str, dict[str, None]] = {}
    for summary in summaries:
        labels = summary.get("Labels") or {}
        name = labels.get(const.LABEL_PROJECT)
        if not name:
            continue
        states.setdefault(name, Counter())[summary.get("State", "")] += 1
        known = files.setdefault(name, {})
        for path in filter(None, labels.get(const.LABEL_CONFIG_FILES, "").split(",")):
            known[path] = None  # each file once, though containers name them apart
    return [
        ProjectSummary(name, status_text(states[name]), ",".join(files.get(name, {})))
        for name in sorted(states)
    ]


def status_text(counts: Mapping[str, int]) -> str:
    """`exited(1), running(2)`: each state with its number of containers, by state name."""
    return ", ".join(f"{state}({counts[state]})" for state in sorted(counts))


def _name_filters(filters: list[str]) -> list[str]:
    names = []
    for item in filters:
        key, sep, value = item.partition("=")
        if key != "name" or not sep:
            raise UsageError(f"invalid --filter {item!r}; expected name=VALUE")
        names.append(value)
    return names
