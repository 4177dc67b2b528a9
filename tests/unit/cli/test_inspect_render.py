"""Pure parts of the inspection commands: stats arithmetic, sizes, ls status, tables."""

from __future__ import annotations

import pytest

from compose_core.cli.commands.inspect import classic_size
from compose_core.cli.commands.projects import projects, status_text
from compose_core.cli.commands.watch import ContainerEvent, _event_text
from compose_core.cli.render.classic_table import render_classic_table
from compose_core.cli.render.stats import binary_size, cpu_percent, decimal_size, stats_row
from compose_core.cli.render.table import Table

SAMPLE = {
    "cpu_stats": {
        "cpu_usage": {"total_usage": 3_000_000_000},
        "system_cpu_usage": 120_000_000_000,
        "online_cpus": 2,
    },
    "precpu_stats": {
        "cpu_usage": {"total_usage": 2_000_000_000},
        "system_cpu_usage": 100_000_000_000,
    },
    "memory_stats": {
        "usage": 10 * 1024 * 1024,
        "limit": 2 * 1024**3,
        "stats": {"total_inactive_file": 2 * 1024 * 1024},
    },
    "networks": {"eth0": {"rx_bytes": 1500, "tx_bytes": 700}, "eth1": {"rx_bytes": 500}},
    "blkio_stats": {
        "io_service_bytes_recursive": [
            {"op": "Read", "value": 4096},
            {"op": "Write", "value": 2_500_000},
            {"op": "Total", "value": 2_504_096},
        ]
    },
    "pids_stats": {"current": 3},
}


def test_cpu_percent_is_the_share_of_host_time_between_samples_times_cpus():
    # 1 s of the container's CPU time over 20 s of the host's, on 2 CPUs: 10 %.
    assert cpu_percent(SAMPLE) == pytest.approx(10.0)


def test_cpu_percent_without_a_previous_sample_is_zero():
    assert cpu_percent({"cpu_stats": SAMPLE["cpu_stats"], "precpu_stats": {}}) == pytest.approx(
        1.0 * 3 / 120 * 2 * 100
    )
    assert cpu_percent({}) == 0.0


def test_stats_row_prints_as_docker_stats_does():
    row = stats_row("0123456789abcdef", "shop-web-1", SAMPLE)

    assert row.cells() == [
        "0123456789ab",
        "shop-web-1",
        "10.00%",
        "8MiB / 2GiB",
        "0.39%",
        "2kB / 700B",
        "4.1kB / 2.5MB",
        "3",
    ]


def test_stats_row_of_a_stopped_container_is_all_zero():
    row = stats_row("0123456789abcdef", "shop-web-2", {"memory_stats": {}})

    assert row.cells()[2:] == ["0.00%", "0B / 0B", "0.00%", "0B / 0B", "0B / 0B", "0"]


@pytest.mark.parametrize(
    ("size", "decimal", "binary", "classic"),
    [
        (0, "0B", "0B", "0 B"),
        (746, "746B", "746B", "746 B"),
        (1_984_256, "1.98MB", "1.892MiB", "1.984 MB"),
        (602_112, "602kB", "588KiB", "602.1 kB"),
        (25_275_985_920, "25.3GB", "23.54GiB", "25.28 GB"),
    ],
)
def test_sizes_in_decimal_binary_and_classic_units(size, decimal, binary, classic):
    assert decimal_size(size) == decimal
    assert binary_size(size) == binary
    assert classic_size(size) == classic


def test_ls_status_counts_states_in_name_order():
    assert status_text({"running": 2, "exited": 1}) == "exited(1), running(2)"


def test_ls_projects_grouped_by_label_with_their_config_files():
    def summary(project, state, files):
        labels = {"com.docker.compose.project": project}
        if files:
            labels["com.docker.compose.project.config_files"] = files
        return {"Labels": labels, "State": state}

    found = projects(
        [
            summary("web", "running", "/a/compose.yaml"),
            summary("api", "exited", "docker-compose.yml"),
            summary("web", "exited", "/a/compose.yaml"),
            summary("web", "running", "/a/compose.yaml,/a/extra.yaml"),
            {"Labels": {}, "State": "running"},
        ]
    )

    assert [(p.name, p.status, p.config_files) for p in found] == [
        ("api", "exited(1)", "docker-compose.yml"),
        ("web", "exited(1), running(2)", "/a/compose.yaml,/a/extra.yaml"),
    ]


def test_table_pads_columns_to_a_least_width_as_the_docker_cli():
    table = Table(["NAME", "STATUS", "CONFIG FILES"], gap=3, min_width=20)
    table.add(["shop", "running(2)", "/a/compose.yaml"])

    assert table.render() == (
        "NAME                STATUS              CONFIG FILES\n"
        "shop                running(2)          /a/compose.yaml\n"
    )


def test_classic_table_centres_headers_over_a_rule():
    text = render_classic_table(["UID", "PID", "CMD"], [["root", "7", "sleep 600"]])

    assert text == ("UID    PID      CMD   \n----------------------\nroot   7     sleep 600\n")


def test_classic_table_wraps_cells_to_the_width():
    text = render_classic_table(["A", "B"], [["x", "one two three"]], max_width=12)

    assert text.splitlines() == ["A      B    ", "------------", "x   one two ", "    three   "]


EVENT = {
    "Type": "container",
    "Action": "start",
    "Actor": {
        "ID": "abc123",
        "Attributes": {
            "name": "shop-web-1",
            "image": "busybox:latest",
            "com.docker.compose.service": "web",
            "com.docker.compose.project": "shop",
        },
    },
    "timeNano": 1_764_830_720_301_562_993,
}


def test_event_line_drops_compose_labels_and_sorts_attributes():
    event = ContainerEvent.of(EVENT)
    stamp = event.local_time().strftime("%Y-%m-%d %H:%M:%S")

    line = f"{stamp}.301562 container start abc123 (image=busybox:latest, name=shop-web-1)\n"
    assert _event_text(event, as_json=False, compatibility=True) == line
    assert _event_text(event, as_json=False, compatibility=False) == line + "\n"


def test_event_json_time_is_rfc3339_with_nanoseconds():
    event = ContainerEvent.of(EVENT)

    text = _event_text(event, as_json=True, compatibility=False)

    assert text == (
        '{"action":"start","attributes":{"image":"busybox:latest","name":"shop-web-1"},'
        '"id":"abc123","service":"web","time":"2025-12-04T06:45:20.301562993Z",'
        '"type":"container"}\n'
    )
