"""Running services: attached up, logs, run, exec and attach on the real engine."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import time

import pytest

IMAGE = "compose-core-test/busybox:latest"
CHATTY_LINES = 2000
CHATTY_SERVICES = 20


def chatty_project(services: int, lines: int) -> str:
    body = "".join(
        f"  s{i}:\n    image: {IMAGE}\n"
        f'    command: [sh, -c, \'i=0; while [ $$i -lt {lines} ]; do echo "s{i} line $$i"; '
        f"i=$$((i+1)); done']\n"
        for i in range(services)
    )
    return f"services:\n{body}"


def assert_every_line_once(output: str, project: str, services: int, lines: int) -> None:
    found = re.findall(r"^(s\d+)-1 +\| (s\d+) line (\d+)$", output, re.M)
    assert len(found) == services * lines
    assert all(prefix == origin for prefix, origin, _ in found)
    assert len({(origin, number) for _, origin, number in found}) == services * lines


def run_in_pty(command: list[str], cwd, timeout: float = 60) -> tuple[int, str]:
    """Run `command` with a pseudo-terminal as its stdin, stdout and stderr."""
    master, slave = pty.openpty()
    child = subprocess.Popen(command, cwd=cwd, stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif child.poll() is not None:
            break
    os.close(master)
    return child.wait(timeout=10), b"".join(chunks).decode(errors="replace")


def test_attached_up_prints_every_line_once_with_its_prefix_then_logs_does_too(compose):
    compose.write(chatty_project(CHATTY_SERVICES, CHATTY_LINES))

    up = compose.run("up", timeout=180)
    logs = compose.run("logs", "-f", "--no-color", timeout=180)

    assert up.stdout.startswith("Attaching to s0-1, s1-1,")
    assert_every_line_once(up.stdout, compose.name, CHATTY_SERVICES, CHATTY_LINES)
    assert_every_line_once(logs.stdout, compose.name, CHATTY_SERVICES, CHATTY_LINES)
    assert "s7-1 exited with code 0" in up.stdout


def test_logs_tail_timestamps_no_prefix_and_service_choice(compose):
    compose.write(chatty_project(2, 5))
    compose.run("up", "-d")
    compose.client.containers.get(f"{compose.name}-s1-1").wait(timeout=30)
    compose.client.containers.get(f"{compose.name}-s0-1").wait(timeout=30)

    tail = compose.run("logs", "--tail", "2", "s1").stdout
    bare = compose.run("logs", "--no-log-prefix", "s0").stdout
    stamped = compose.run("logs", "-t", "--tail", "1", "s0").stdout

    assert tail == "s1-1  | s1 line 3\ns1-1  | s1 line 4\n"
    assert bare == "".join(f"s0 line {i}\n" for i in range(5))
    assert re.fullmatch(r"s0-1  \| \d{4}-\d\d-\d\dT[\d:.]+Z s0 line 4\n", stamped)


def test_up_abort_on_container_exit_and_exit_code_from(compose):
    compose.write(
        f"""
services:
  quick:
    image: {IMAGE}
    command: sh -c 'echo done; exit 3'
  slow:
    image: {IMAGE}
    command: sleep 600
    stop_signal: SIGKILL
"""
    )

    result = compose.run("up", "--exit-code-from", "quick", check=False)

    assert result.returncode == 3
    assert "quick-1  | done" in result.stdout
    assert "Aborting on container exit..." in result.stdout
    slow = compose.client.containers.get(f"{compose.name}-slow-1")
    assert slow.status == "exited"


def test_ctrl_c_stops_an_attached_up_gracefully(compose):
    compose.write(f"services:\n  app:\n    image: {IMAGE}\n    command: sleep 600\n")
    up = subprocess.Popen(
        [str(compose.cli), "-p", compose.name, "up"],
        cwd=compose.dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = compose.client.containers.list(filters={"name": f"{compose.name}-app-1"})
        if found:
            break
        time.sleep(0.2)
    time.sleep(1)

    up.send_signal(signal.SIGINT)
    stdout, stderr = up.communicate(timeout=60)

    assert up.returncode == 130, stderr
    assert "Gracefully stopping... (press Ctrl+C again to force)" in stderr
    assert "Traceback" not in stderr
    app = compose.client.containers.get(f"{compose.name}-app-1")
    assert app.status == "exited"


def test_run_passes_exit_status_streams_and_overrides(compose):
    compose.write(
        f"""
services:
  db:
    image: {IMAGE}
    command: sleep 600
    stop_signal: SIGKILL
  web:
    image: {IMAGE}
    depends_on: [db]
    environment: {{GREETING: hi}}
"""
    )

    result = compose.run(
        "run", "--rm", "-T", "-e", "EXTRA=x", "-w", "/tmp", "web",
        "sh", "-c", "echo $GREETING $EXTRA $(pwd); echo oops >&2; exit 5",
        check=False,
    )  # fmt: skip
    piped = compose.run("run", "--rm", "-T", "web", "cat", input="from stdin\n")

    assert result.returncode == 5
    assert result.stdout == "hi x /tmp\n"
    assert "oops" in result.stderr
    assert piped.stdout == "from stdin\n"
    assert compose.client.containers.get(f"{compose.name}-db-1").status == "running"
    leftovers = compose.client.containers.list(
        all=True, filters={"label": "com.docker.compose.oneoff=True", "name": compose.name}
    )
    assert leftovers == []


def test_run_detached_is_a_labelled_one_off_and_down_removes_it(compose):
    compose.write(f"services:\n  web:\n    image: {IMAGE}\n    command: sleep 600\n")

    name = compose.run("run", "-d", "--no-deps", "web").stdout.strip()
    container = compose.client.containers.get(name)
    compose.run("down", "-t", "0")

    assert name.startswith(f"{compose.name}-web-run-")
    assert container.labels["com.docker.compose.oneoff"] == "True"
    assert container.labels["com.docker.compose.service"] == "web"
    assert compose.client.containers.list(all=True, filters={"name": name}) == []


def test_run_and_exec_get_a_real_terminal_when_ours_is_one(compose):
    compose.write(
        f"services:\n  web:\n    image: {IMAGE}\n    command: sleep 600\n    stop_signal: SIGKILL\n"
    )
    compose.run("up", "-d")

    run_code, run_output = run_in_pty(
        [str(compose.cli), "-p", compose.name, "run", "--rm", "web", "sh", "-c", "tty; exit 7"],
        compose.dir,
    )
    exec_code, exec_output = run_in_pty(
        [str(compose.cli), "-p", compose.name, "exec", "web", "sh", "-c", "tty; exit 6"],
        compose.dir,
    )
    plain = compose.run("exec", "-T", "web", "sh", "-c", "tty || echo no tty", check=False)

    assert (run_code, exec_code) == (7, 6)
    assert "/dev/pts/" in run_output and "/dev/pts/" in exec_output
    assert "no tty" in plain.stdout


def test_exec_options_and_exit_status(compose):
    compose.write(
        f"services:\n  web:\n    image: {IMAGE}\n    command: sleep 600\n"
        "    stop_signal: SIGKILL\n    scale: 2\n"
    )
    compose.run("up", "-d")

    result = compose.run(
        "exec", "-T", "--index", "2", "-u", "1000", "-w", "/tmp", "-e", "X=1", "web",
        "sh", "-c", "echo $X $(id -u) $(pwd) $(hostname); exit 4",
        check=False,
    )  # fmt: skip
    second = compose.client.containers.get(f"{compose.name}-web-2")

    assert result.returncode == 4
    assert result.stdout == f"1 1000 /tmp {second.id[:12]}\n"


@pytest.mark.parametrize(
    "args, message",
    [
        (["exec", "nope", "true"], "no such service: nope"),
        (["exec", "--index", "5", "web", "true"], "has no container number 5"),
        (["exec", "--index", "x", "web", "true"], "invalid --index 'x'"),
        (["logs", "--since", "whenever"], "invalid --since value 'whenever'"),
        (["run", "nope"], "no such service: nope"),
    ],
)
def test_bad_input_is_one_clear_line(compose, args, message):
    compose.write(
        f"services:\n  web:\n    image: {IMAGE}\n    command: sleep 600\n    stop_signal: SIGKILL\n"
    )
    compose.run("up", "-d")

    result = compose.run(*args, check=False)

    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_exec_in_a_stopped_container_is_refused(compose):
    compose.write(f"services:\n  web:\n    image: {IMAGE}\n    command: sleep 600\n")
    compose.run("create")

    result = compose.run("exec", "web", "true", check=False)

    assert result.returncode == 1
    assert f"container {compose.name}-web-1 is not running (created)" in result.stderr


def test_logs_follow_picks_up_containers_that_start_later(compose):
    compose.write(
        f"""
services:
  ticker:
    image: {IMAGE}
    command: sh -c 'echo "hello from $$(hostname)"; sleep 600'
    stop_signal: SIGKILL
"""
    )
    compose.run("up", "-d")
    follow = subprocess.Popen(
        [str(compose.cli), "-p", compose.name, "logs", "-f", "--no-color"],
        cwd=compose.dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)

    compose.run("up", "-d", "--scale", "ticker=2")
    second = compose.client.containers.get(f"{compose.name}-ticker-2")
    time.sleep(1.5)
    compose.run("stop", "-t", "0")
    stdout, stderr = follow.communicate(timeout=30)

    assert follow.returncode == 0, stderr
    assert f"ticker-2  | hello from {second.id[:12]}" in stdout
    assert stdout.count("ticker-1  | hello from") == 1
