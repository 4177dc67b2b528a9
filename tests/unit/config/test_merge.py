"""merge_documents / merge_service against what Compose v2.40 prints.

Every expected value was written by hand from the output of
`compose-v2 -f a.yml -f b.yml config`, translated to the per-file canonical
form (no defaults). Cases where compose_core deliberately differs say so.
"""

from __future__ import annotations

import copy

import pytest

from compose_core.config.merge import merge_documents, merge_service, strip_markers
from compose_core.config.yaml_loader import Override, Reset
from compose_core.errors import ConfigError

SOURCE = "/p/compose.override.yaml"


def merge_web(base: dict, override: dict) -> dict:
    """Merge two definitions of the service `web` through whole documents."""
    merged = merge_documents(
        {"services": {"web": base}}, {"services": {"web": override}}, source=SOURCE
    )
    return merged["services"]["web"]


def port(target: int, published: str | None, protocol: str = "tcp", **extra: object) -> dict:
    entry: dict = {"mode": "ingress", "target": target, "protocol": protocol, **extra}
    if published is not None:
        entry["published"] = published
    return entry


def bind(source: str, target: str, **extra: object) -> dict:
    return {"type": "bind", "source": source, "target": target, **extra}


def volume(source: str, target: str) -> dict:
    return {"type": "volume", "source": source, "target": target, "volume": {}}


# (key, base value, override value, merged value)
SERVICE_CASES = [
    ("image", "busybox", "alpine", "alpine"),
    ("environment", {"A": "1", "B": "2"}, {"B": "X", "C": "3"}, {"A": "1", "B": "X", "C": "3"}),
    ("environment", {"A": "1", "B": "2"}, {"A": None, "C": None}, {"A": None, "B": "2", "C": None}),
    ("labels", {"l1": "a", "l2": "b"}, {"l2": "B", "l3": "c"}, {"l1": "a", "l2": "B", "l3": "c"}),
    ("sysctls", {"a": "1"}, {"b": "2"}, {"a": "1", "b": "2"}),
    ("storage_opt", {"size": "1G"}, {"other": "x"}, {"size": "1G", "other": "x"}),
    ("command", ["echo", "a", "b"], ["echo", "z"], ["echo", "z"]),
    ("command", "echo hi", ["echo", "z"], ["echo", "z"]),
    ("command", ["a", "b"], None, None),
    ("entrypoint", "/bin/sh", ["/bin/bash", "-c"], ["/bin/bash", "-c"]),
    ("entrypoint", ["x"], [], []),
    (
        "healthcheck",
        {"test": ["CMD", "a"], "interval": "10s", "retries": 3},
        {"test": ["CMD", "b"], "timeout": "5s"},
        {"test": ["CMD", "b"], "interval": "10s", "retries": 3, "timeout": "5s"},
    ),
    (
        "healthcheck",
        {"test": ["CMD", "x"], "interval": "5s"},
        {"disable": True},
        {"test": ["CMD", "x"], "interval": "5s", "disable": True},
    ),
    ("dns", ["1.1.1.1", "1.1.1.1"], ["1.1.1.1", "2.2.2.2"], ["1.1.1.1", "2.2.2.2"]),
    ("dns_search", ["a.com", "b.com"], ["b.com", "c.com"], ["a.com", "b.com", "c.com"]),
    ("dns_opt", ["a", "b"], ["b", "c"], ["a", "b", "c"]),
    (
        "cap_add",
        ["NET_ADMIN", "SYS_ADMIN"],
        ["SYS_ADMIN", "CHOWN"],
        ["NET_ADMIN", "SYS_ADMIN", "CHOWN"],
    ),
    ("cap_drop", ["ALL"], ["ALL", "X"], ["ALL", "X"]),
    ("expose", ["80", "81"], ["81", "82"], ["80", "81", "82"]),
    ("tmpfs", ["/t1", "/t2"], ["/t2", "/t3"], ["/t1", "/t2", "/t3"]),
    ("profiles", ["p1"], ["p1", "p2"], ["p1", "p2"]),
    ("links", ["db"], ["db", "x:xx"], ["db", "x:xx"]),
    ("external_links", ["e1"], ["e2"], ["e1", "e2"]),
    ("security_opt", ["a", "b"], ["c"], ["a", "b", "c"]),
    ("group_add", ["g1", "g2"], ["g3"], ["g1", "g2", "g3"]),
    ("volumes_from", ["other", "x:ro"], ["y"], ["other", "x:ro", "y"]),
    # v2 appends the repeat and then rejects it ("items at 0 and 2 are equal").
    ("volumes_from", ["other"], ["other", "y"], ["other", "y"]),
    (
        "extra_hosts",
        ["a=1.1.1.1", "b=2.2.2.2"],
        ["b=3.3.3.3", "c=4.4.4.4"],
        ["a=1.1.1.1", "b=2.2.2.2", "b=3.3.3.3", "c=4.4.4.4"],
    ),
    ("extra_hosts", ["a=1.1.1.1"], ["a=1.1.1.1", "a=5.5.5.5"], ["a=1.1.1.1", "a=5.5.5.5"]),
    (
        "post_start",
        [{"command": ["a"]}],
        [{"command": ["b"]}],
        [{"command": ["a"]}, {"command": ["b"]}],
    ),
    (
        "gpus",
        [{"driver": "nvidia", "count": 1}],
        [{"driver": "nvidia", "count": 1}],
        [{"driver": "nvidia", "count": 1}, {"driver": "nvidia", "count": 1}],
    ),
    (
        "ulimits",
        {"nproc": 5, "nofile": {"soft": 10, "hard": 20}, "core": 7},
        {"nproc": {"soft": 1, "hard": 2}, "nofile": 30},
        {"nproc": {"soft": 1, "hard": 2}, "nofile": 30, "core": 7},
    ),
    (
        "networks",
        {"front": {"aliases": ["x", "z"], "ipv4_address": "10.0.0.5", "priority": 1}},
        {"front": {"aliases": ["y", "z"], "ipv4_address": "10.0.0.6"}},
        {"front": {"aliases": ["x", "z", "y"], "ipv4_address": "10.0.0.6", "priority": 1}},
    ),
    (
        "networks",
        {"front": None, "back": {"aliases": ["b"]}},
        {"front": {"aliases": ["f"]}, "back": None},
        {"front": {"aliases": ["f"]}, "back": {"aliases": ["b"]}},
    ),
]


@pytest.mark.parametrize(("key", "base", "override", "expected"), SERVICE_CASES)
def test_merge_service_key_two_files_matches_compose_v2(
    key: str, base: object, override: object, expected: object
) -> None:
    merged = merge_web({"image": "busybox", key: base}, {key: override})

    assert merged[key] == expected


LOGGING_CASES = [
    pytest.param(
        {"driver": "json-file", "options": {"max-size": "1m", "max-file": "3"}},
        {"options": {"max-size": "2m"}},
        {"driver": "json-file", "options": {"max-size": "2m", "max-file": "3"}},
        id="no-driver-merges-options",
    ),
    pytest.param(
        {"driver": "json-file", "options": {"max-size": "1m"}},
        {"driver": "json-file", "options": {"max-file": "2"}},
        {"driver": "json-file", "options": {"max-size": "1m", "max-file": "2"}},
        id="same-driver-merges-options",
    ),
    pytest.param(
        {"driver": "json-file", "options": {"max-size": "1m"}},
        {"driver": "syslog", "options": {"syslog-address": "udp://1.2.3.4:514"}},
        {"driver": "syslog", "options": {"syslog-address": "udp://1.2.3.4:514"}},
        id="other-driver-replaces-options",
    ),
    pytest.param(
        {"driver": "json-file", "options": {"max-size": "1m"}},
        {"driver": "syslog"},
        {"driver": "syslog"},
        id="other-driver-without-options-drops-them",
    ),
    pytest.param(
        {"options": {"max-size": "1m"}},
        {"driver": "syslog"},
        {"driver": "syslog", "options": {"max-size": "1m"}},
        id="first-driver-keeps-options",
    ),
]


@pytest.mark.parametrize(("base", "override", "expected"), LOGGING_CASES)
def test_merge_logging_driver_change_resets_options(
    base: dict, override: dict, expected: dict
) -> None:
    assert merge_web({"logging": base}, {"logging": override})["logging"] == expected


DEPENDS_ON_CASES = [
    pytest.param(
        {"db": {}},
        {"x": {"condition": "service_healthy"}},
        {"db": {}, "x": {"condition": "service_healthy"}},
        id="new-entry-added",
    ),
    pytest.param(
        {"db": {"condition": "service_healthy", "required": False}},
        {"db": {"condition": "service_completed_successfully"}},
        {"db": {"condition": "service_completed_successfully", "required": False}},
        id="long-form-merges",
    ),
    pytest.param(
        {"db": {"condition": "service_healthy", "required": False, "restart": True}},
        {"db": {}},
        {"db": {"condition": "service_started", "required": True, "restart": True}},
        id="short-form-resets-condition",
    ),
]


@pytest.mark.parametrize(("base", "override", "expected"), DEPENDS_ON_CASES)
def test_merge_depends_on_entries_merge_by_service(
    base: dict, override: dict, expected: dict
) -> None:
    assert merge_web({"depends_on": base}, {"depends_on": override})["depends_on"] == expected


KEYED_CASES = [
    pytest.param(
        "ports",
        [port(80, "8080"), port(90, "9090", "udp", host_ip="127.0.0.1")],
        [port(80, "8080"), port(90, "9090", host_ip="127.0.0.1"), port(70, "7070")],
        [
            port(80, "8080"),
            port(90, "9090", "udp", host_ip="127.0.0.1"),
            port(90, "9090", host_ip="127.0.0.1"),
            port(70, "7070"),
        ],
        id="ports-protocol-in-key",
    ),
    pytest.param(
        "ports",
        [port(80, "8080", name="web", app_protocol="http"), port(81, "8081", mode="host")],
        [port(80, "8080", app_protocol="https"), port(81, "8081")],
        [port(80, "8080", app_protocol="https"), port(81, "8081")],
        id="ports-entry-replaced-whole",
    ),
    pytest.param(
        "ports",
        [port(80, "8080"), port(81, "8081", host_ip="127.0.0.1")],
        [port(80, "8080", host_ip="0.0.0.0"), port(81, "8081", host_ip="127.0.0.2")],
        [
            port(80, "8080", host_ip="0.0.0.0"),
            port(81, "8081", host_ip="127.0.0.1"),
            port(81, "8081", host_ip="127.0.0.2"),
        ],
        id="ports-host-ip-default-any",
    ),
    pytest.param(
        "ports",
        [{"target": 91}],
        [{"target": 91, "protocol": "tcp", "mode": "host"}],
        [{"target": 91, "protocol": "tcp", "mode": "host"}],
        id="ports-protocol-default-tcp",
    ),
    pytest.param(
        "volumes",
        [bind("/p/d", "/data"), volume("named", "/x")],
        [bind("/p/e", "/data", read_only=True), volume("named", "/y")],
        [bind("/p/e", "/data", read_only=True), volume("named", "/x"), volume("named", "/y")],
        id="volumes-by-target-in-place",
    ),
    pytest.param(
        "volumes",
        [bind("/p/d", "/data", read_only=True, bind={"propagation": "rshared"})],
        [bind("/p/e", "/data")],
        [bind("/p/e", "/data")],
        id="volumes-entry-replaced-whole",
    ),
    pytest.param(
        "secrets",
        [{"source": "s1"}, {"source": "s2", "target": "/custom"}],
        [{"source": "s2"}, {"source": "s1", "target": "/custom"}],
        [{"source": "s1"}, {"source": "s1", "target": "/custom"}, {"source": "s2"}],
        id="secrets-by-target",
    ),
    pytest.param(
        "secrets",
        [{"source": "s1", "mode": 0o400, "uid": "1"}],
        [{"source": "s1", "target": "/run/secrets/s1", "gid": "2"}],
        [{"source": "s1", "target": "/run/secrets/s1", "gid": "2"}],
        id="secrets-default-target",
    ),
    pytest.param(
        "configs",
        [{"source": "c1"}, {"source": "c2", "target": "/c2"}],
        [{"source": "c1", "target": "/c1", "mode": 0o444}, {"source": "c2"}],
        [{"source": "c1", "target": "/c1", "mode": 0o444}, {"source": "c2"}],
        id="configs-default-target",
    ),
    pytest.param(
        "devices",
        [
            {"source": "/dev/a", "target": "/dev/a", "permissions": "rwm"},
            {"source": "/dev/b", "target": "/dev/b", "permissions": "rwm"},
        ],
        [{"source": "/dev/c", "target": "/dev/a"}, {"source": "/dev/d", "target": "/dev/d"}],
        [
            {"source": "/dev/c", "target": "/dev/a"},
            {"source": "/dev/b", "target": "/dev/b", "permissions": "rwm"},
            {"source": "/dev/d", "target": "/dev/d"},
        ],
        id="devices-by-target",
    ),
    pytest.param(
        "env_file",
        [{"path": "/p/b.env", "required": False}],
        [{"path": "/p/b.env", "required": True}, {"path": "/p/c.env"}],
        [{"path": "/p/b.env", "required": False}, {"path": "/p/c.env"}],
        id="env-file-first-entry-kept",
    ),
    pytest.param(
        "env_file",
        ["/p/a.env"],
        ["/p/b.env", "/p/a.env"],
        ["/p/a.env", "/p/b.env"],
        id="env-file-strings",
    ),
]


@pytest.mark.parametrize(("key", "base", "override", "expected"), KEYED_CASES)
def test_merge_unique_resources_same_key_replaced_in_place(
    key: str, base: list, override: list, expected: list
) -> None:
    assert merge_web({key: base}, {key: override})[key] == expected


def test_merge_blkio_device_lists_by_path_unlike_v2() -> None:
    # v2 appends both /dev/sda entries; the specification keys them by path.
    base = {"weight": 300, "device_read_bps": [{"path": "/dev/sda", "rate": "1048576"}]}
    override = {
        "device_read_bps": [
            {"path": "/dev/sda", "rate": "3145728"},
            {"path": "/dev/sdc", "rate": "4194304"},
        ]
    }

    merged = merge_web({"blkio_config": base}, {"blkio_config": override})

    assert merged["blkio_config"] == {
        "weight": 300,
        "device_read_bps": [
            {"path": "/dev/sda", "rate": "3145728"},
            {"path": "/dev/sdc", "rate": "4194304"},
        ],
    }


def test_merge_build_nested_keys_follow_v2() -> None:
    base = {
        "context": "/p",
        "args": {"A": "1", "B": "2"},
        "labels": {"l": "1"},
        "cache_from": ["c1"],
        "tags": ["t1", "t2"],
        "platforms": ["linux/amd64"],
        "extra_hosts": ["h=1.1.1.1"],
        "target": "t1",
    }
    override = {
        "context": "/p/sub",
        "dockerfile": "Other",
        "args": {"B": "X", "C": "3"},
        "cache_from": ["c1", "c2"],
        "tags": ["t2", "t3"],
        "platforms": ["linux/amd64"],
        "extra_hosts": ["h=2.2.2.2"],
    }

    merged = merge_web({"build": base}, {"build": override})

    assert merged["build"] == {
        "context": "/p/sub",
        "dockerfile": "Other",
        "args": {"A": "1", "B": "X", "C": "3"},
        "labels": {"l": "1"},
        "cache_from": ["c1", "c1", "c2"],
        "tags": ["t1", "t2", "t3"],
        "platforms": ["linux/amd64", "linux/amd64"],
        "extra_hosts": ["h=1.1.1.1", "h=2.2.2.2"],
        "target": "t1",
    }


def test_merge_deploy_merges_recursively_and_appends_constraints() -> None:
    base = {
        "replicas": 2,
        "labels": {"d": "1"},
        "resources": {"limits": {"cpus": "0.5", "memory": "52428800"}},
        "placement": {"constraints": ["a==1"]},
        "restart_policy": {"condition": "on-failure", "max_attempts": 3},
    }
    override = {
        "labels": {"e": "2"},
        "resources": {"limits": {"memory": "62914560"}},
        "placement": {"constraints": ["b==2"]},
        "restart_policy": {"max_attempts": 5},
    }

    merged = merge_web({"deploy": base}, {"deploy": override})

    assert merged["deploy"] == {
        "replicas": 2,
        "labels": {"d": "1", "e": "2"},
        "resources": {"limits": {"cpus": "0.5", "memory": "62914560"}},
        "placement": {"constraints": ["a==1", "b==2"]},
        "restart_policy": {"condition": "on-failure", "max_attempts": 5},
    }


def test_merge_top_level_sections_and_extensions() -> None:
    base = {
        "name": "proj-a",
        "x-common": {"a": 1, "b": [1]},
        "networks": {
            "front": {
                "driver": "bridge",
                "labels": {"a": "1"},
                "driver_opts": {"o1": "a"},
                "ipam": {
                    "driver": "default",
                    "config": [{"subnet": "10.0.0.0/24", "gateway": "10.0.0.1"}],
                },
            }
        },
        "volumes": {"v1": {"driver": "local", "driver_opts": {"type": "tmpfs"}}},
        "secrets": {"s1": {"file": "/p/s1", "labels": {"a": "1"}}},
    }
    override = {
        "name": "proj-b",
        "x-common": {"b": [2], "c": 3},
        "networks": {
            "front": {"labels": {"b": "2"}, "ipam": {"config": [{"subnet": "10.0.0.0/24"}]}}
        },
        "volumes": {"v1": {"driver_opts": {"device": "tmpfs"}}},
        "secrets": {"s1": {"labels": {"b": "2"}}},
    }

    merged = merge_documents(base, override, source=SOURCE)

    assert merged == {
        "name": "proj-b",
        "x-common": {"a": 1, "b": [1, 2], "c": 3},
        "networks": {
            "front": {
                "driver": "bridge",
                "labels": {"a": "1", "b": "2"},
                "driver_opts": {"o1": "a"},
                "ipam": {"driver": "default", "config": [{"subnet": "10.0.0.0/24"}]},
            }
        },
        "volumes": {"v1": {"driver": "local", "driver_opts": {"type": "tmpfs", "device": "tmpfs"}}},
        "secrets": {"s1": {"file": "/p/s1", "labels": {"a": "1", "b": "2"}}},
    }


def test_merge_null_keeps_mappings_of_earlier_file() -> None:
    base = {"networks": {"n": {"driver": "bridge"}}, "x-list": [1], "services": {"web": {}}}
    override = {"networks": {"n": None}, "x-list": None, "services": {"web": None}}

    assert merge_documents(base, override, source=SOURCE) == base


def test_merge_scalar_replaced_by_container() -> None:
    merged = merge_documents(
        {"x-baz": 1, "x-q": None}, {"x-baz": [2], "x-q": {"a": 1}}, source=SOURCE
    )

    assert merged == {"x-baz": [2], "x-q": {"a": 1}}


@pytest.mark.parametrize(
    ("base", "override", "path"),
    [
        ({"x-foo": [1]}, {"x-foo": {"a": 1}}, "x-foo"),
        ({"x-foo": {"a": 1}}, {"x-foo": [1]}, "x-foo"),
        ({"x-foo": [1]}, {"x-foo": 3}, "x-foo"),
        (
            {"services": {"web": {"gpus": [{"driver": "nvidia"}]}}},
            {"services": {"web": {"gpus": "all"}}},
            "services.web.gpus",
        ),
    ],
)
def test_merge_container_with_other_shape_raises_config_error(
    base: dict, override: dict, path: str
) -> None:
    with pytest.raises(ConfigError, match="cannot merge") as caught:
        merge_documents(base, override, source=SOURCE)

    assert caught.value.path == path
    assert caught.value.source == SOURCE


RESET_CASES = [
    pytest.param({"ports": [port(80, "80")]}, {"ports": Reset([])}, {}, id="sequence"),
    pytest.param({"user": "root"}, {"user": Reset("")}, {}, id="scalar"),
    pytest.param(
        {"environment": {"A": "1", "B": "2"}},
        {"environment": {"A": Reset(None), "C": "3"}},
        {"environment": {"B": "2", "C": "3"}},
        id="mapping-entry",
    ),
    pytest.param(
        {"healthcheck": {"test": ["CMD", "a"], "interval": "10s"}},
        {"healthcheck": {"test": Reset([])}},
        {"healthcheck": {"interval": "10s"}},
        id="healthcheck-test",
    ),
    pytest.param({"depends_on": {"db": {}}}, {"depends_on": Reset([])}, {}, id="depends-on"),
    pytest.param(
        {"ulimits": {"nproc": 5}}, {"ulimits": {"nproc": Reset(0)}}, {"ulimits": {}}, id="ulimit"
    ),
    pytest.param({}, {"ports": Reset([])}, {}, id="nothing-to-reset"),
]


@pytest.mark.parametrize(("base", "override", "expected"), RESET_CASES)
def test_merge_reset_removes_key(base: dict, override: dict, expected: dict) -> None:
    assert merge_web(base, override) == expected


OVERRIDE_CASES = [
    pytest.param({"labels": {"a": "1"}}, {"labels": Override({"b": "2"})}, {"labels": {"b": "2"}}),
    pytest.param({"dns": ["1.1.1.1"]}, {"dns": Override(["8.8.8.8"])}, {"dns": ["8.8.8.8"]}),
    pytest.param(
        {"ports": [port(80, "8080")]},
        {"ports": Override([port(443, "8443")])},
        {"ports": [port(443, "8443")]},
    ),
    pytest.param(
        {"build": {"context": "/p", "args": {"A": "1"}}},
        {"build": Override({"context": "/p/sub"})},
        {"build": {"context": "/p/sub"}},
    ),
    pytest.param(
        {"logging": {"driver": "json-file", "options": {"max-size": "1m"}}},
        {"logging": Override({"options": {"max-file": "2"}})},
        {"logging": {"options": {"max-file": "2"}}},
    ),
]


@pytest.mark.parametrize(("base", "override", "expected"), OVERRIDE_CASES)
def test_merge_override_marker_replaces_without_merging(
    base: dict, override: dict, expected: dict
) -> None:
    assert merge_web(base, override) == expected


def test_merge_reset_service_removes_it() -> None:
    base = {"services": {"web": {"image": "a"}, "db": {"image": "b"}}}

    merged = merge_documents(base, {"services": {"db": Reset(None)}}, source=SOURCE)

    assert merged == {"services": {"web": {"image": "a"}}}


def test_merge_markers_in_first_file_are_applied() -> None:
    base = {
        "services": {
            "web": {
                "image": "busybox",
                "labels": Override({"a": "1"}),
                "ports": Reset([port(80, "80")]),
                "environment": {"A": Reset("1"), "B": Override("2")},
            },
            "other": Reset({"image": "x"}),
        }
    }

    merged = merge_documents(base, {"services": {"web": {"labels": {"b": "2"}}}}, source=SOURCE)

    assert merged == {
        "services": {
            "web": {"image": "busybox", "labels": {"a": "1", "b": "2"}, "environment": {"B": "2"}}
        }
    }


def test_merge_service_only_in_override_loses_markers() -> None:
    override = {
        "services": {
            "new": {
                "image": "busybox",
                "ports": Reset([]),
                "labels": Override({"a": "1"}),
                "networks": {"front": {"aliases": Override(["x"])}},
            }
        }
    }

    merged = merge_documents({"services": {}}, override, source=SOURCE)

    assert merged == {
        "services": {
            "new": {
                "image": "busybox",
                "labels": {"a": "1"},
                "networks": {"front": {"aliases": ["x"]}},
            }
        }
    }


def test_merge_documents_leaves_inputs_unchanged_and_unshared() -> None:
    base = {"services": {"web": {"image": "a", "ports": [port(80, "80")], "labels": {"a": "1"}}}}
    override = {"services": {"web": {"ports": [port(81, "81")], "dns": ["1.1.1.1"]}}}
    base_before, override_before = copy.deepcopy(base), copy.deepcopy(override)

    merged = merge_documents(base, override, source=SOURCE)
    merged["services"]["web"]["labels"]["b"] = "2"
    merged["services"]["web"]["dns"].append("8.8.8.8")
    merged["services"]["web"]["ports"][1]["target"] = 99

    assert base == base_before
    assert override == override_before


@pytest.mark.parametrize(("base", "override"), [([], {}), ({}, "text"), (None, {})])
def test_merge_documents_not_mappings_raise_config_error(base: object, override: object) -> None:
    with pytest.raises(ConfigError, match="expected a mapping"):
        merge_documents(base, override, source=SOURCE)  # type: ignore[arg-type]


def test_merge_service_keep_markers_keeps_override_markers() -> None:
    base = {"image": "busybox", "ports": [port(80, "80")], "environment": {"A": "1"}}
    override = {
        "ports": Override([port(90, "90")]),
        "environment": {"A": Reset(None), "C": "3"},
        "labels": Reset({}),
    }

    merged = merge_service(base, override, path="services.web", keep_markers=True)

    assert merged == {
        "image": "busybox",
        "ports": Override([port(90, "90")]),
        "environment": {"A": Reset(None), "C": "3"},
        "labels": Reset({}),
    }


def test_merge_service_without_keep_markers_has_none() -> None:
    merged = merge_service(
        {"image": "busybox", "user": "root"},
        {"user": Reset(None), "labels": Override({"a": "1"})},
        path="services.web",
    )

    assert merged == {"image": "busybox", "labels": {"a": "1"}}


def test_merge_service_not_a_mapping_raises_config_error() -> None:
    with pytest.raises(ConfigError, match="a service definition is a mapping") as caught:
        merge_service({"image": "a"}, ["image"], path="services.web")  # type: ignore[arg-type]

    assert caught.value.path == "services.web"


def test_strip_markers_removes_resets_and_unwraps_overrides() -> None:
    value = {"a": Reset(1), "b": [Override(2), Reset(3), 4], "c": Override({"d": Reset(5)})}

    assert strip_markers(value) == {"b": [2, 4], "c": {}}
