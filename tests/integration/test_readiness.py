"""Readiness on the real engine: health checks, depends_on conditions, restart: true,
`up --wait` and restart policies."""

from __future__ import annotations

import io
import re
import signal
import subprocess
import time
from datetime import datetime

import pytest

IMAGE = "compose-core-test/busybox:latest"


def service(name: str, body: str = "") -> str:
    """A sleeping service, indented for a `services:` mapping; `body` adds option lines."""
    lines = [f"  {name}:", f"    image: {IMAGE}", "    stop_signal: KILL"]
    if "command:" not in body:
        lines.append("    command: sleep 600")
    lines += [f"    {line}" for line in body.strip("\n").splitlines()]
    return "\n".join(lines) + "\n"


def project(*services: str) -> str:
    return "services:\n" + "".join(services)


HEALTHY_FAST = "healthcheck: {test: 'true', interval: 1s, start_period: 0s}"
UNHEALTHY_FAST = "healthcheck: {test: 'false', interval: 1s, retries: 1}"


def inspect(compose, service_name: str, number: int = 1) -> dict:
    container = compose.client.containers.get(f"{compose.name}-{service_name}-{number}")
    return container.attrs


def moment(text: str) -> datetime:
    """An engine timestamp (RFC 3339, up to nanoseconds) to the microsecond."""
    seconds, _, rest = text.partition(".")
    fraction = re.match(r"\d*", rest).group()
    return datetime.fromisoformat(seconds).replace(microsecond=int((fraction + "000000")[:6]))


def started_at(compose, service_name: str) -> datetime:
    return moment(inspect(compose, service_name)["State"]["StartedAt"])


def first_pass_since_start(attrs: dict) -> datetime:
    """When the first health check that passed after the container's last start ended."""
    since = moment(attrs["State"]["StartedAt"])
    passes = [e for e in attrs["State"]["Health"]["Log"] if e["ExitCode"] == 0]
    return min(moment(e["End"]) for e in passes if moment(e["Start"]) >= since)


def line_index(text: str, line: str) -> int:
    lines = text.splitlines()
    assert line in lines, f"{line!r} not in:\n{text}"
    return lines.index(line)


# Health checks: every form reaches the engine


HEALTH_FORMS = project(
    service("string", "healthcheck: {test: 'test -d /', interval: 1s, timeout: 3s, retries: 4}"),
    service(
        "cmd",
        "healthcheck: {test: [CMD, test, -d, /], interval: 1s, start_period: 2s, "
        "start_interval: 1s}",
    ),
    service("shell", "healthcheck: {test: [CMD-SHELL, 'test -d / && true'], interval: 1s}"),
    service("none", "healthcheck: {test: [NONE]}"),
    service("disabled", "healthcheck: {disable: true}"),
)


def test_healthcheck_forms_reach_the_engine_and_pass(compose):
    compose.write(HEALTH_FORMS)

    result = compose.run("up", "-d", "--wait", "--wait-timeout", "60")

    checks = {name: inspect(compose, name)["Config"]["Healthcheck"] for name in ("string", "cmd")}
    assert checks["string"] == {
        "Test": ["CMD-SHELL", "test -d /"],
        "Interval": 1_000_000_000,
        "Timeout": 3_000_000_000,
        "Retries": 4,
    }
    assert checks["cmd"]["Test"] == ["CMD", "test", "-d", "/"]
    assert checks["cmd"]["StartPeriod"] == 2_000_000_000
    api = tuple(int(n) for n in compose.client.version()["ApiVersion"].split("."))
    if api >= (1, 44):
        assert checks["cmd"]["StartInterval"] == 1_000_000_000
    else:  # an older engine drops it: said, not hidden
        assert "healthcheck.start_interval of cmd needs Docker Engine 25" in result.stderr
    shell = inspect(compose, "shell")
    assert shell["Config"]["Healthcheck"]["Test"] == ["CMD-SHELL", "test -d / && true"]
    for name in ("string", "cmd", "shell"):
        assert inspect(compose, name)["State"]["Health"]["Status"] == "healthy"
    for name in ("none", "disabled"):
        attrs = inspect(compose, name)
        assert attrs["Config"]["Healthcheck"]["Test"] == ["NONE"]
        assert "Health" not in attrs["State"]


@pytest.mark.parametrize(
    ("restart", "expected"),
    [
        ("restart: always", {"Name": "always", "MaximumRetryCount": 0}),
        ("restart: unless-stopped", {"Name": "unless-stopped", "MaximumRetryCount": 0}),
        ('restart: "on-failure:3"', {"Name": "on-failure", "MaximumRetryCount": 3}),
        ('restart: "no"', {"Name": "no", "MaximumRetryCount": 0}),
        (
            "deploy: {restart_policy: {condition: on-failure, max_attempts: 2}}",
            {"Name": "on-failure", "MaximumRetryCount": 2},
        ),
        ("deploy: {restart_policy: {condition: any}}", {"Name": "always", "MaximumRetryCount": 0}),
    ],
)
def test_restart_policy_reaches_the_engine(compose, restart, expected):
    compose.write(project(service("app", restart)))

    compose.run("up", "-d")

    assert inspect(compose, "app")["HostConfig"]["RestartPolicy"] == expected


def test_restart_policy_on_failure_is_applied_by_the_engine(compose):
    compose.write(
        project(service("app", 'command: sh -c "exit 1"\nrestart: "on-failure:2"')),
    )

    compose.run("up", "-d")

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the engine's own back-off: nothing to subscribe to
        attrs = inspect(compose, "app")
        if attrs["RestartCount"] == 2 and not attrs["State"]["Running"]:
            break
        time.sleep(0.2)
    assert attrs["RestartCount"] == 2
    assert attrs["State"]["ExitCode"] == 1


# depends_on conditions


def test_service_healthy_starts_the_dependent_once_the_dependency_is_healthy(compose):
    compose.write(
        project(
            service("db", HEALTHY_FAST),
            service("web", "depends_on: {db: {condition: service_healthy}}"),
        )
    )

    result = compose.run("up", "-d")

    assert started_at(compose, "web") >= first_pass_since_start(inspect(compose, "db"))
    healthy = line_index(result.stderr, f" Container {compose.name}-db-1  Healthy")
    starting = line_index(result.stderr, f" Container {compose.name}-web-1  Starting")
    assert healthy < starting


def test_service_healthy_chain_starts_each_link_once_the_previous_is_healthy(compose):
    compose.write(
        project(
            service("a", HEALTHY_FAST),
            service("b", HEALTHY_FAST + "\ndepends_on: {a: {condition: service_healthy}}"),
            service("c", "depends_on: {b: {condition: service_healthy}}"),
        )
    )

    compose.run("up", "-d")

    a, b = inspect(compose, "a"), inspect(compose, "b")
    assert moment(b["State"]["StartedAt"]) >= first_pass_since_start(a)
    assert started_at(compose, "c") >= first_pass_since_start(b)


@pytest.fixture
def image_with_healthcheck(compose):
    """A local image whose own HEALTHCHECK passes at once (built here: no registry)."""
    tag = f"compose-core-test/healthy:{compose.name}"
    dockerfile = f"FROM {IMAGE}\nHEALTHCHECK --interval=1s CMD true\n"
    compose.client.images.build(fileobj=io.BytesIO(dockerfile.encode()), tag=tag, rm=True)
    yield tag
    compose.remove_resources()
    compose.client.images.remove(tag, force=True)


def test_service_healthy_uses_the_health_check_of_the_image(compose, image_with_healthcheck):
    compose.write(
        project(
            service("db", f"image: {image_with_healthcheck}").replace(f"    image: {IMAGE}\n", ""),
            service("web", "depends_on: {db: {condition: service_healthy}}"),
        )
    )

    result = compose.run("up", "-d")

    assert started_at(compose, "web") >= first_pass_since_start(inspect(compose, "db"))
    assert f" Container {compose.name}-db-1  Healthy" in result.stderr


def test_unhealthy_dependency_fails_naming_the_container(compose):
    compose.write(
        project(
            service("db", UNHEALTHY_FAST),
            service("web", "depends_on: {db: {condition: service_healthy}}"),
        )
    )

    result = compose.run("up", "-d", check=False)

    assert result.returncode == 1
    assert result.stderr.endswith(
        f"dependency failed to start: container {compose.name}-db-1 is unhealthy\n"
    )
    assert f" Container {compose.name}-db-1  Error" in result.stderr
    assert "Traceback" not in result.stderr
    assert inspect(compose, "web")["State"]["Status"] == "created"


def test_unhealthy_dependency_in_compatibility_mode_fails_as_1_29_2_words_it(compose):
    compose.write(
        project(
            service("db", UNHEALTHY_FAST),
            service("web", "depends_on: {db: {condition: service_healthy}}"),
        )
    )

    result = compose.run("--compatibility", "up", "-d", check=False)

    db_id = compose.client.containers.get(f"{compose.name}_db_1").id[:12]
    assert result.returncode == 1
    assert result.stderr.endswith(
        f'ERROR: for web  Container "{db_id}" is unhealthy.\n'
        "Encountered errors while bringing up the project.\n"
    )


def test_service_healthy_on_a_dependency_without_healthcheck_fails(compose):
    compose.write(
        project(
            service("db", "healthcheck: {disable: true}"),
            service("web", "depends_on: {db: {condition: service_healthy}}"),
        )
    )

    result = compose.run("up", "-d", check=False)

    assert result.returncode == 1
    assert (
        f"dependency failed to start: container {compose.name}-db-1 has no healthcheck configured"
        in result.stderr
    )


def test_service_completed_successfully_starts_the_dependent_after_the_exit(compose):
    compose.write(
        project(
            service("init", 'command: sh -c "sleep 1; exit 0"'),
            service("web", "depends_on: {init: {condition: service_completed_successfully}}"),
        )
    )

    result = compose.run("up", "-d")

    init = inspect(compose, "init")["State"]
    assert init["Status"] == "exited" and init["ExitCode"] == 0
    assert started_at(compose, "web") >= moment(init["FinishedAt"])
    assert f" Container {compose.name}-init-1  Exited" in result.stderr


def test_one_shot_dependency_exiting_non_zero_fails_with_its_exit_code(compose):
    compose.write(
        project(
            service("init", 'command: sh -c "exit 3"'),
            service("web", "depends_on: {init: {condition: service_completed_successfully}}"),
        )
    )

    result = compose.run("up", "-d", check=False)

    assert result.returncode == 1
    assert result.stderr.endswith('service "init" didn\'t complete successfully: exit 3\n')
    assert inspect(compose, "web")["State"]["Status"] == "created"


def test_one_shot_dependency_in_compatibility_mode_fails_as_1_29_2_words_it(compose):
    compose.write(
        project(
            service("init", 'command: sh -c "exit 3"'),
            service("web", "depends_on: {init: {condition: service_completed_successfully}}"),
        )
    )

    result = compose.run("--compatibility", "up", "-d", check=False)

    init_id = compose.client.containers.get(f"{compose.name}_init_1").id[:12]
    assert result.returncode == 1
    assert result.stderr.endswith(
        f'ERROR: for web  Container "{init_id}" exited with code 3.\n'
        "Encountered errors while bringing up the project.\n"
    )


def test_optional_dependencies_that_fail_only_warn(compose):
    compose.write(
        project(
            service("db", UNHEALTHY_FAST),
            service("init", 'command: sh -c "exit 2"'),
            service(
                "web",
                "depends_on:\n"
                "  db: {condition: service_healthy, required: false}\n"
                "  init: {condition: service_completed_successfully, required: false}",
            ),
        )
    )

    result = compose.run("up", "-d")

    assert inspect(compose, "web")["State"]["Running"]
    warnings = [line for line in result.stderr.splitlines() if "level=warning" in line]
    assert len(warnings) == 2
    text = "\n".join(warnings)
    assert (
        f'dependency \\"db\\" failed to start: container {compose.name}-db-1 is unhealthy' in text
    )
    assert 'dependency \\"init\\" didn\'t complete successfully: exit 2' in text


def test_optional_dependency_left_out_by_its_profile_is_skipped(compose):
    compose.write(
        project(
            service("db", "profiles: [extra]\n" + HEALTHY_FAST),
            service("web", "depends_on: {db: {condition: service_healthy, required: false}}"),
        )
    )

    compose.run("up", "-d")

    assert inspect(compose, "web")["State"]["Running"]
    assert not compose.client.containers.list(all=True, filters={"name": f"{compose.name}-db-1"})


def test_dependencies_are_waited_on_together_so_the_first_failure_ends_the_wait(compose):
    compose.write(
        project(
            service("stuck", "healthcheck: {test: 'sleep 100', interval: 1s, timeout: 200s}"),
            service("db", UNHEALTHY_FAST),
            service(
                "web",
                "depends_on:\n"
                "  stuck: {condition: service_healthy}\n"
                "  db: {condition: service_healthy}",
            ),
        )
    )

    started = time.monotonic()
    result = compose.run("up", "-d", check=False, timeout=60)

    assert time.monotonic() - started < 30
    assert result.returncode == 1
    assert f"dependency failed to start: container {compose.name}-db-1 is unhealthy" in (
        result.stderr
    )


def test_ctrl_c_while_waiting_for_a_dependency_ends_the_wait(compose):
    compose.write(
        project(
            service("stuck", "healthcheck: {test: 'sleep 100', interval: 1s, timeout: 200s}"),
            service("web", "depends_on: {stuck: {condition: service_healthy}}"),
        )
    )
    waiting = subprocess.Popen(
        [str(compose.cli), "-p", compose.name, "up", "-d"],
        cwd=compose.dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not compose.client.containers.list(
        filters={"name": f"{compose.name}-web-1"}, all=True
    ):
        time.sleep(0.1)  # until `up` is past creating web, waiting for stuck
    time.sleep(0.5)

    waiting.send_signal(signal.SIGINT)
    _, stderr = waiting.communicate(timeout=30)

    assert waiting.returncode == 130, stderr
    assert stderr.endswith("canceled\n")
    assert "Traceback" not in stderr
    assert inspect(compose, "web")["State"]["Status"] == "created"


# restart: true


RESTARTING = project(
    service("db", HEALTHY_FAST),
    service("web", "depends_on: {db: {condition: service_healthy, restart: true}}"),
    service("other", "depends_on: {db: {condition: service_started}}"),
)


def test_recreated_dependency_restarts_dependents_with_restart_true(compose):
    compose.write(RESTARTING)
    compose.run("up", "-d")
    before = {name: inspect(compose, name) for name in ("web", "other")}

    compose.write(RESTARTING.replace("sleep 600", "sleep 601", 1))
    result = compose.run("up", "-d")

    web, other = inspect(compose, "web"), inspect(compose, "other")
    assert web["Id"] == before["web"]["Id"]
    assert moment(web["State"]["StartedAt"]) > moment(before["web"]["State"]["StartedAt"])
    assert moment(web["State"]["StartedAt"]) >= first_pass_since_start(inspect(compose, "db"))
    assert other["State"]["StartedAt"] == before["other"]["State"]["StartedAt"]
    stopped = line_index(result.stderr, f" Container {compose.name}-web-1  Stopped")
    recreate = line_index(result.stderr, f" Container {compose.name}-db-1  Recreate")
    assert stopped < recreate


def test_restart_command_restarts_dependents_with_restart_true(compose):
    compose.write(RESTARTING)
    compose.run("up", "-d")
    before = {name: started_at(compose, name) for name in ("db", "web", "other")}

    result = compose.run("restart", "db")

    assert started_at(compose, "db") > before["db"]
    assert started_at(compose, "web") > before["web"]
    assert started_at(compose, "other") == before["other"]
    healthy = line_index(result.stderr, f" Container {compose.name}-db-1  Healthy")
    restarting = line_index(result.stderr, f" Container {compose.name}-web-1  Restarting")
    assert healthy < restarting


def test_start_waits_for_the_dependency_conditions(compose):
    compose.write(RESTARTING)
    compose.run("up", "-d")
    compose.run("stop")

    result = compose.run("start")

    healthy = line_index(result.stderr, f" Container {compose.name}-db-1  Healthy")
    starting = line_index(result.stderr, f" Container {compose.name}-web-1  Starting")
    assert healthy < starting
    assert started_at(compose, "web") >= first_pass_since_start(inspect(compose, "db"))


def test_start_of_a_service_starts_its_dependencies_and_waits_for_them(compose):
    compose.write(RESTARTING)
    compose.run("up", "-d")
    compose.run("stop")

    result = compose.run("start", "web")

    assert inspect(compose, "db")["State"]["Running"]
    assert started_at(compose, "web") >= first_pass_since_start(inspect(compose, "db"))
    assert not inspect(compose, "other")["State"]["Running"]
    assert f" Container {compose.name}-db-1  Healthy" in result.stderr


def test_restart_waits_only_for_dependencies_restarted_along(compose):
    compose.write(RESTARTING)
    compose.run("up", "-d")
    compose.run("stop", "db")

    result = compose.run("restart", "web")

    assert inspect(compose, "web")["State"]["Running"]
    assert not inspect(compose, "db")["State"]["Running"]
    assert "Waiting" not in result.stderr


# up --wait


def test_up_wait_returns_once_everything_is_running_or_healthy(compose):
    compose.write(
        project(
            service("db", "healthcheck: {test: 'sleep 1', interval: 1s, start_period: 0s}"),
            service("plain"),
            service("init", 'command: "true"'),
            service("web", "depends_on: {init: {condition: service_completed_successfully}}"),
        )
    )

    result = compose.run("up", "--wait")

    assert inspect(compose, "db")["State"]["Health"]["Status"] == "healthy"
    assert inspect(compose, "plain")["State"]["Running"]
    assert inspect(compose, "web")["State"]["Running"]
    for name in ("db", "plain", "web"):
        assert f" Container {compose.name}-{name}-1  Healthy" in result.stderr
    assert f" Container {compose.name}-init-1  Exited" in result.stderr


def test_up_wait_fails_when_a_container_exits(compose):
    compose.write(
        project(
            service("once", 'command: "true"'),
            service("db", "healthcheck: {test: 'sleep 1', interval: 1s, start_period: 0s}"),
        )
    )

    result = compose.run("up", "--wait", check=False)

    assert result.returncode == 1
    assert result.stderr.endswith(f"container {compose.name}-once-1 exited (0)\n")


def test_up_wait_fails_when_a_container_is_unhealthy(compose):
    compose.write(project(service("db", UNHEALTHY_FAST)))

    result = compose.run("up", "-d", "--wait", check=False)

    assert result.returncode == 1
    assert result.stderr.endswith(f"container {compose.name}-db-1 is unhealthy\n")


def test_up_wait_timeout_names_what_it_waited_for(compose):
    compose.write(
        project(service("slow", "healthcheck: {test: 'sleep 30', interval: 1s, timeout: 60s}"))
    )

    started = time.monotonic()
    result = compose.run("up", "--wait", "--wait-timeout", "2", check=False)

    assert time.monotonic() - started < 15
    assert result.returncode == 1
    assert (
        f"application not healthy after 2s: container {compose.name}-slow-1 is starting"
        in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_up_wait_timeout_rejects_a_bad_value_before_doing_anything(compose):
    compose.write(project(service("web")))

    result = compose.run("up", "--wait", "--wait-timeout", "soon", check=False)

    assert result.returncode == 1
    assert "invalid --wait-timeout 'soon'" in result.stderr
    assert not compose.client.containers.list(
        all=True, filters={"label": f"com.docker.compose.project={compose.name}"}
    )
