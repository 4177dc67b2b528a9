"""canonicalize / finalize / ordering against what Compose v2.40's `config` prints.

Expected values were written from `compose-v2 -f compose.yaml config` on small
files, translated to the per-file form (canonicalize adds no defaults).
Where compose_core deliberately differs, the test says so.
"""

from __future__ import annotations

import os

import pytest

from compose_core.config import canonical
from compose_core.config.canonical_finalize import drop_unused_resources
from compose_core.config.ordering import natural_key, order_document, order_service
from compose_core.config.yaml_loader import Override, Reset
from compose_core.errors import ConfigError

BASE = "/p"
SOURCE = "/p/compose.yaml"
HOME = os.path.expanduser("~")


def canonical_web(**keys: object) -> dict:
    """The service `web` with `keys`, canonicalized."""
    doc = canonical.canonicalize({"services": {"web": keys}}, base_dir=BASE, source=SOURCE)
    return doc["services"]["web"]


def web_error(**keys: object) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        canonical_web(**keys)
    assert caught.value.source == SOURCE
    return caught.value


def port(target: int, published: str | None = None, **extra: object) -> dict:
    entry: dict = {"mode": "ingress", **extra, "target": target}
    if published is not None:
        entry["published"] = published
    entry.setdefault("protocol", "tcp")
    return entry


def finalize(doc: dict, env: dict | None = None) -> dict:
    return canonical.finalize(doc, project_name="demo", project_dir=BASE, env=env or {})


# --- ports ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("80", [port(80)]),
        (80, [port(80)]),
        ("8080:80", [port(80, "8080")]),
        ("127.0.0.1:8080:80", [port(80, "8080", host_ip="127.0.0.1")]),
        ("127.0.0.1::80", [port(80, host_ip="127.0.0.1")]),
        ("127.0.0.1:8080:80/udp", [port(80, "8080", host_ip="127.0.0.1", protocol="udp")]),
        ("[::1]:80:80", [port(80, "80", host_ip="::1")]),
        ("[::1]::80", [port(80, host_ip="::1")]),
        ("::1:80:80", [port(80, "80", host_ip="::1")]),
        ("80/UDP", [port(80, protocol="udp")]),
        ("0.0.0.0:80:80/sctp", [port(80, "80", host_ip="0.0.0.0", protocol="sctp")]),
        (
            "9000-9001:9000-9001/udp",
            [port(9000, "9000", protocol="udp"), port(9001, "9001", protocol="udp")],
        ),
        ("90-91", [port(90), port(91)]),
        ("9100-9101:90", [port(90, "9100-9101")]),
        ("8000-8002:80-80", [port(80, "8000-8002")]),
        (":80", [port(80)]),
    ],
)
def test_canonicalize_port_short_syntax_becomes_long(spec: object, expected: list) -> None:
    assert canonical_web(ports=[spec])["ports"] == expected


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"target": 80}, port(80)),
        ({"target": "80", "published": 8080}, port(80, "8080")),
        (
            {"target": 85, "published": 8085, "name": "web", "app_protocol": "http",
             "mode": "host"},
            {"mode": "host", "target": 85, "published": "8085", "name": "web",
             "app_protocol": "http", "protocol": "tcp"},
        ),
        (
            {"target": 81, "published": "8000-8001", "host_ip": "1.1.1.1", "protocol": "udp"},
            port(81, "8000-8001", host_ip="1.1.1.1", protocol="udp"),
        ),
    ],
)  # fmt: skip
def test_canonicalize_port_long_syntax_gets_mode_and_protocol(entry: dict, expected: dict) -> None:
    assert canonical_web(ports=[entry])["ports"] == [expected]


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ("abc", "invalid container port 'abc'"),
        ("65536", "invalid container port"),
        ("8080-8081:80-82", "ranges of different lengths"),
        ("8080:80-81", "ranges of different lengths"),
        ("80/xyz", "unknown protocol 'xyz'"),
        ("1.2.3.4:80", "invalid host port '1.2.3.4'"),
        ("localhost:80:80", "invalid IP address 'localhost'"),
        ("1:2:3:4", "invalid IP address '1:2'"),
        ("[::1]:80", "not a valid port with an IPv6 address"),
        ("0", "no container port"),
        ("80-79", "invalid container port"),
    ],
)
def test_canonicalize_port_that_does_not_parse_raises_with_path(spec: str, reason: str) -> None:
    error = web_error(ports=["80", spec])

    assert error.path == "services.web.ports[1]"
    assert reason in error.reason
    assert "expected '[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]'" in error.reason


def test_canonicalize_port_long_syntax_without_target_raises() -> None:
    error = web_error(ports=[{"published": 80}])

    assert error.path == "services.web.ports[0]"
    assert "needs a 'target'" in error.reason


# --- volumes -------------------------------------------------------------------------------

BIND = {"create_host_path": True}


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("./data:/data:ro",
         {"type": "bind", "source": "/p/data", "target": "/data", "read_only": True, "bind": BIND}),
        ("/var/log", {"type": "volume", "target": "/var/log", "volume": {}}),
        ("named:/x", {"type": "volume", "source": "named", "target": "/x", "volume": {}}),
        ("named:/x:ro,nocopy",
         {"type": "volume", "source": "named", "target": "/x", "read_only": True,
          "volume": {"nocopy": True}}),
        ("~/cache:/cache:z",
         {"type": "bind", "source": f"{HOME}/cache", "target": "/cache",
          "bind": {"selinux": "z", "create_host_path": True}}),
        ("~:/home", {"type": "bind", "source": HOME, "target": "/home", "bind": BIND}),
        ("../up:/up:rw,Z",
         {"type": "bind", "source": "/up", "target": "/up",
          "bind": {"selinux": "Z", "create_host_path": True}}),
        (".:/dot", {"type": "bind", "source": "/p", "target": "/dot", "bind": BIND}),
        ("./a:/a:cached", {"type": "bind", "source": "/p/a", "target": "/a", "bind": BIND}),
        ("/abs:/abs:rw,shared",
         {"type": "bind", "source": "/abs", "target": "/abs",
          "bind": {"propagation": "shared", "create_host_path": True}}),
        ("vol:/b:cached,z",
         {"type": "volume", "source": "vol", "target": "/b", "bind": {"selinux": "z"},
          "volume": {}}),
        ("/a:/b:nocopy",
         {"type": "bind", "source": "/a", "target": "/b", "bind": BIND,
          "volume": {"nocopy": True}}),
        ("vol:/b/", {"type": "volume", "source": "vol", "target": "/b", "volume": {}}),
        ("C:\\data:/data", {"type": "bind", "source": "C:\\data", "target": "/data", "bind": BIND}),
        ("\\\\.\\pipe\\docker:\\\\.\\pipe\\docker",
         {"type": "npipe", "source": "\\\\.\\pipe\\docker", "target": "\\\\.\\pipe\\docker"}),
    ],
)  # fmt: skip
def test_canonicalize_volume_short_syntax_becomes_long(spec: str, expected: dict) -> None:
    assert canonical_web(volumes=[spec])["volumes"] == [expected]


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ("", "empty part between colons"),
        ("/a::ro", "empty part between colons"),
        (":/b", "empty part between colons"),
        ("vol:/b:ro:z", "too many colons"),
        ("./x:/y:u", "unknown mode 'u'"),
    ],
)
def test_canonicalize_volume_that_does_not_parse_raises_with_path(spec: str, reason: str) -> None:
    error = web_error(volumes=["/ok", spec])

    assert error.path == "services.web.volumes[1]"
    assert reason in error.reason


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"type": "bind", "source": "rel", "target": "/rel/"},
         {"type": "bind", "source": "/p/rel", "target": "/rel"}),
        ({"type": "bind", "source": "./b", "target": "/b", "bind": {"propagation": "rshared"}},
         {"type": "bind", "source": "/p/b", "target": "/b", "bind": {"propagation": "rshared"}}),
        ({"type": "volume", "source": "named", "target": "/v", "volume": {"nocopy": True}},
         {"type": "volume", "source": "named", "target": "/v", "volume": {"nocopy": True}}),
        ({"type": "tmpfs", "target": "/tmp", "tmpfs": {"size": "1g", "mode": "0o1777"}},
         {"type": "tmpfs", "target": "/tmp", "tmpfs": {"size": "1073741824", "mode": 0o1777}}),
        ({"type": "volume", "target": "/anon"}, {"type": "volume", "target": "/anon"}),
    ],
)  # fmt: skip
def test_canonicalize_volume_long_syntax_resolves_paths_and_sizes(
    entry: dict, expected: dict
) -> None:
    assert canonical_web(volumes=[entry])["volumes"] == [expected]


def test_canonicalize_tmpfs_size_that_does_not_parse_raises_with_path() -> None:
    error = web_error(volumes=[{"type": "tmpfs", "target": "/t", "tmpfs": {"size": "1x"}}])

    assert error.path == "services.web.volumes[0].tmpfs.size"
    assert "'1x' is not a size" in error.reason


# --- mappings: environment, labels, args ---------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("environment", ["A=1", "B", "C=", "D==x"], {"A": "1", "B": None, "C": "", "D": "=x"}),
        ("environment", {"A": True, "B": None, "C": 1.5, "D": 10},
         {"A": "true", "B": None, "C": "1.5", "D": "10"}),
        ("environment", ["A=1", "A=2"], {"A": "2"}),
        ("labels", ["a=b", "c"], {"a": "b", "c": ""}),
        ("labels", {"d": 1, "e": True, "c": None}, {"d": "1", "e": "true", "c": ""}),
        ("annotations", ["a=1", "b"], {"a": "1", "b": ""}),
        ("sysctls", ["net.core.somaxconn=1024", "a"], {"net.core.somaxconn": "1024", "a": ""}),
        ("sysctls", {"net.core.somaxconn": 1024}, {"net.core.somaxconn": "1024"}),
        ("storage_opt", {"size": 10}, {"size": "10"}),
    ],
)  # fmt: skip
def test_canonicalize_list_or_mapping_becomes_string_mapping(
    key: str, value: object, expected: dict
) -> None:
    assert canonical_web(**{key: value})[key] == expected


def test_canonicalize_environment_name_with_spaces_raises() -> None:
    error = web_error(environment=[" D = 1"])

    assert error.path == "services.web.environment. D "
    assert "spaces around it" in error.reason


# --- build ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        ("./web", {"context": "/p/web"}),
        (".", {"context": "/p"}),
        ("https://github.com/docker/x.git#main", {"context": "https://github.com/docker/x.git#main"}),
        ("git@github.com:docker/x.git", {"context": "git@github.com:docker/x.git"}),
        ("github.com/docker/x", {"context": "github.com/docker/x"}),
        ({"context": "../w", "dockerfile": "../D"}, {"context": "/w", "dockerfile": "../D"}),
        ({"args": ["X=1", "Y"], "labels": ["l=1", "m"]},
         {"args": {"X": "1", "Y": None}, "labels": {"l": "1", "m": ""}}),
        ({"args": {"X": 1, "Z": False}}, {"args": {"X": "1", "Z": "false"}}),
        ({"additional_contexts": ["foo=./ctx", "bar=docker-image://alpine", "s=service:a"]},
         {"additional_contexts": {"foo": "/p/ctx", "bar": "docker-image://alpine",
                                  "s": "service:a"}}),
        ({"secrets": ["bs"], "shm_size": "1g", "extra_hosts": ["h:1.1.1.1"]},
         {"secrets": [{"source": "bs"}], "shm_size": "1073741824", "extra_hosts": ["h=1.1.1.1"]}),
        ({"ssh": {"default": None, "key": "/x"}}, {"ssh": ["default", "key=/x"]}),
    ],
)  # fmt: skip
def test_canonicalize_build_becomes_long_form(build: object, expected: dict) -> None:
    assert canonical_web(build=build)["build"] == expected


# --- dependencies, networks, references ----------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("depends_on", ["db", "cache"], {"db": {}, "cache": {}}),
        ("depends_on", {"db": {"condition": "service_healthy"}},
         {"db": {"condition": "service_healthy"}}),
        ("networks", ["back", "front"], {"back": None, "front": None}),
        ("networks", {"back": None, "front": {"aliases": ["x"], "driver_opts": {"a": 1}}},
         {"back": None, "front": {"aliases": ["x"], "driver_opts": {"a": "1"}}}),
        ("secrets", ["s1", {"source": "s2", "mode": "0440", "uid": 103}],
         [{"source": "s1"}, {"source": "s2", "mode": 0o440, "uid": "103"}]),
        ("configs", ["c1", {"source": "c2", "target": "/c"}],
         [{"source": "c1"}, {"source": "c2", "target": "/c"}]),
        ("models", ["m"], {"m": None}),
    ],
)  # fmt: skip
def test_canonicalize_short_references_become_long(
    key: str, value: object, expected: object
) -> None:
    assert canonical_web(**{key: value})[key] == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["h1:1.2.3.4", "h0=5.6.7.8"], ["h0=5.6.7.8", "h1=1.2.3.4"]),
        (["h1:::1", "h3:[::1]", "h4=[::2]"], ["h1=::1", "h3=::1", "h4=::2"]),
        (["gw:host-gateway"], ["gw=host-gateway"]),
        ({"h1": "1.2.3.4", "h2": ["1.1.1.1", "::1"]}, ["h1=1.2.3.4", "h2=1.1.1.1", "h2=::1"]),
    ],
)
def test_canonicalize_extra_hosts_become_sorted_host_equals_ip(
    value: object, expected: list
) -> None:
    assert canonical_web(extra_hosts=value)["extra_hosts"] == expected


def test_canonicalize_extra_host_without_address_raises() -> None:
    error = web_error(extra_hosts=["h5 1.2.3.4"])

    assert error.path == "services.web.extra_hosts[0]"
    assert "expected 'HOSTNAME=IP'" in error.reason


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (".env", [{"path": "/p/.env", "required": True}]),
        (["a.env", "../b.env"],
         [{"path": "/p/a.env", "required": True}, {"path": "/b.env", "required": True}]),
        ([{"path": "./e1", "required": False}, {"path": "e2", "format": "raw"}],
         [{"path": "/p/e1", "required": False},
          {"path": "/p/e2", "format": "raw", "required": True}]),
    ],
)  # fmt: skip
def test_canonicalize_env_file_becomes_list_of_absolute_paths(
    value: object, expected: list
) -> None:
    assert canonical_web(env_file=value)["env_file"] == expected


# --- other short syntaxes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("dns", "8.8.8.8", ["8.8.8.8"]),
        ("dns_search", "example.com", ["example.com"]),
        ("tmpfs", "/run", ["/run"]),
        ("expose", ["3000", 4000, "5000-5001"], ["3000", "4000", "5000-5001"]),
        ("group_add", [1, "wheel"], ["1", "wheel"]),
        ("devices", ["/dev/a:/dev/b:r", "/dev/c"],
         [{"source": "/dev/a", "target": "/dev/b", "permissions": "r"},
          {"source": "/dev/c", "target": "/dev/c", "permissions": "rwm"}]),
        ("mem_limit", "512m", "536870912"),
        ("memswap_limit", -1, "-1"),
        ("shm_size", "64M", "67108864"),
        ("mem_reservation", "100k", "102400"),
        ("cpus", "0.5", 0.5),
        ("stop_grace_period", "90s", "1m30s"),
        ("command", "echo hi", "echo hi"),
        ("entrypoint", ["sh", "-c"], ["sh", "-c"]),
        ("gpus", "all", [{"count": -1}]),
        ("label_file", "./labels", ["/p/labels"]),
        ("logging", {"driver": "syslog", "options": {"max-size": 10}},
         {"driver": "syslog", "options": {"max-size": "10"}}),
        ("ulimits", {"nproc": 5, "nofile": {"soft": 10, "hard": 20}},
         {"nproc": 5, "nofile": {"soft": 10, "hard": 20}}),
        ("blkio_config",
         {"weight": 300, "device_read_bps": [{"path": "/dev/sda", "rate": "1mb"}],
          "device_write_iops": [{"path": "/dev/sda", "rate": 30}]},
         {"weight": 300, "device_read_bps": [{"path": "/dev/sda", "rate": "1048576"}],
          "device_write_iops": [{"path": "/dev/sda", "rate": "30"}]}),
    ],
)  # fmt: skip
def test_canonicalize_service_key_takes_v2_form(key: str, value: object, expected: object) -> None:
    assert canonical_web(**{key: value})[key] == expected


def test_canonicalize_healthcheck_test_and_durations_take_v2_form() -> None:
    check = canonical_web(
        healthcheck={
            "test": "curl x",
            "interval": "90s",
            "timeout": "1h2m3.5s",
            "start_period": "500ms",
            "start_interval": "10us",
            "retries": 3,
        }
    )["healthcheck"]

    assert check == {
        "test": ["CMD-SHELL", "curl x"],
        "interval": "1m30s",
        "timeout": "1h2m3.5s",
        "start_period": "500ms",
        "start_interval": "10µs",
        "retries": 3,
    }


def test_canonicalize_deploy_sizes_durations_and_counts_take_v2_form() -> None:
    deploy = canonical_web(
        deploy={
            "labels": ["d=1"],
            "resources": {
                "limits": {"cpus": "0.5", "memory": "50M"},
                "reservations": {"devices": [{"capabilities": ["gpu"], "count": "all"}]},
            },
            "restart_policy": {"delay": "5s", "window": "120s"},
            "update_config": {"monitor": "60s"},
            "rollback_config": {"delay": "1m"},
        }
    )["deploy"]

    assert deploy == {
        "labels": {"d": "1"},
        "resources": {
            "limits": {"cpus": 0.5, "memory": "52428800"},
            "reservations": {"devices": [{"capabilities": ["gpu"], "count": -1}]},
        },
        "restart_policy": {"delay": "5s", "window": "2m0s"},
        "update_config": {"monitor": "1m0s"},
        "rollback_config": {"delay": "1m0s"},
    }


@pytest.mark.parametrize(
    ("keys", "path", "reason"),
    [
        ({"healthcheck": {"interval": "1m30x"}}, "services.web.healthcheck.interval",
         "'1m30x' is not a duration; expected a number with units"),
        ({"mem_limit": "lots"}, "services.web.mem_limit", "'lots' is not a size"),
        ({"deploy": {"resources": {"limits": {"memory": "1x"}}}},
         "services.web.deploy.resources.limits.memory", "'1x' is not a size"),
        ({"cpus": "half"}, "services.web.cpus", "is not a number"),
        ({"secrets": [{"source": "s", "mode": "0999"}]}, "services.web.secrets[0].mode",
         "is not a file mode"),
        ({"devices": ["/a:/b:rw:x"]}, "services.web.devices[0]", "is not a device mapping"),
        ({"ports": "80:80"}, "services.web.ports", "ports must be a list"),
        ({"build": {"context": 3}}, "services.web.build.context", "must be a path or a URL"),
    ],
)  # fmt: skip
def test_canonicalize_invalid_value_raises_with_key_path(
    keys: dict, path: str, reason: str
) -> None:
    error = web_error(**keys)

    assert error.path == path
    assert reason in error.reason


# --- top level, markers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "value", "expected"),
    [
        ("networks", {"n": None}, {"n": {}}),
        ("networks", {"n": {"external": {"name": "real"}}},
         {"n": {"external": True, "name": "real"}}),
        ("networks", {"n": {"labels": ["a=b"], "driver_opts": {"x": 1}}},
         {"n": {"labels": {"a": "b"}, "driver_opts": {"x": "1"}}}),
        ("volumes", {"v": {"external": True}}, {"v": {"external": True}}),
        ("volumes", {"v": {"external": {"name": "realv"}}},
         {"v": {"external": True, "name": "realv"}}),
        ("secrets", {"s": {"file": "./s.txt"}}, {"s": {"file": "/p/s.txt"}}),
        ("configs", {"c": {"file": "~/c.txt"}}, {"c": {"file": f"{HOME}/c.txt"}}),
        ("configs", {"c": {"content": "x"}}, {"c": {"content": "x"}}),
    ],
)  # fmt: skip
def test_canonicalize_top_level_resource_takes_long_form(
    section: str, value: dict, expected: dict
) -> None:
    doc = canonical.canonicalize({section: value}, base_dir=BASE, source=SOURCE)

    assert doc[section] == expected


def test_canonicalize_external_name_conflicting_with_name_raises() -> None:
    doc = {"networks": {"n": {"name": "a", "external": {"name": "b"}}}}

    with pytest.raises(ConfigError, match="conflicts with name 'a'") as caught:
        canonical.canonicalize(doc, base_dir=BASE, source=SOURCE)

    assert caught.value.path == "networks.n.external.name"


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ({"ports": Override(["80:80"])}, {"ports": Override([port(80, "80")])}),
        ({"environment": Reset(None)}, {"environment": Reset(None)}),
        ({"labels": {"a": Reset(None), "b": Override(1)}},
         {"labels": {"a": Reset(None), "b": Override("1")}}),
        ({"build": {"args": Override(["A=1"])}}, {"build": {"args": Override({"A": "1"})}}),
        ({"depends_on": {"db": Override({"condition": "service_healthy"})}},
         {"depends_on": {"db": Override({"condition": "service_healthy"})}}),
    ],
)  # fmt: skip
def test_canonicalize_markers_are_kept_around_converted_values(keys: dict, expected: dict) -> None:
    assert canonical_web(**keys) == expected


def test_canonicalize_does_not_change_its_input() -> None:
    doc = {"services": {"web": {"ports": ["80"], "build": "."}}, "networks": {"n": None}}

    canonical.canonicalize(doc, base_dir=BASE, source=SOURCE)

    assert doc == {"services": {"web": {"ports": ["80"], "build": "."}}, "networks": {"n": None}}


# --- finalize ------------------------------------------------------------------------------


def test_finalize_adds_default_network_only_when_a_service_uses_it() -> None:
    doc = {"services": {"web": {"image": "x"}, "host": {"image": "x", "network_mode": "host"}}}

    final = finalize(doc)

    assert final["services"]["web"]["networks"] == {"default": None}
    assert "networks" not in final["services"]["host"]
    assert final["networks"] == {"default": {"name": "demo_default"}}
    assert "networks" not in finalize({"services": {"h": {"network_mode": "host"}}})


@pytest.mark.parametrize(
    ("section", "resources", "names"),
    [
        ("networks", {"back": {}, "ext": {"external": True}, "own": {"name": "mine"}},
         {"back": "demo_back", "ext": "ext", "own": "mine"}),
        ("volumes", {"data": {}, "ext": {"external": True, "name": "real"}},
         {"data": "demo_data", "ext": "real"}),
        ("secrets", {"s": {"file": "/p/s"}}, {"s": "demo_s"}),
        ("configs", {"c": {"external": True}}, {"c": "c"}),
    ],
)  # fmt: skip
def test_finalize_names_resources_after_the_project(
    section: str, resources: dict, names: dict
) -> None:
    final = finalize({"services": {}, section: resources})

    assert {key: value["name"] for key, value in final[section].items()} == names


def test_finalize_fills_dependency_build_and_secret_defaults() -> None:
    web = {
        "depends_on": {"db": {}, "cache": {"condition": "service_healthy", "required": False}},
        "build": {"args": {"SET": None, "UNSET": None, "FIXED": "1"}},
        "secrets": [{"source": "s"}, {"source": "t", "target": "/t"}],
    }

    final = finalize({"services": {"web": web}}, env={"SET": "from-env"})["services"]["web"]

    assert final["depends_on"] == {
        "db": {"condition": "service_started", "required": True},
        "cache": {"condition": "service_healthy", "required": False},
    }
    assert final["build"] == {
        "args": {"SET": "from-env", "FIXED": "1"},
        "context": BASE,
        "dockerfile": "Dockerfile",
    }
    assert final["secrets"] == [
        {"source": "s", "target": "/run/secrets/s"},
        {"source": "t", "target": "/t"},
    ]


def test_finalize_inline_dockerfile_gets_no_dockerfile_default() -> None:
    web = {"build": {"context": "/w", "dockerfile_inline": "FROM x"}}

    assert finalize({"services": {"web": web}})["services"]["web"]["build"] == web["build"]


def test_finalize_env_files_merge_under_environment(tmp_path: os.PathLike) -> None:
    first = os.path.join(tmp_path, "e1")
    second = os.path.join(tmp_path, "e2")
    with open(first, "w") as handle:
        handle.write("B=fromfile\nC=fromfile\nD\nLONE\nE=${C}x\n")
    with open(second, "w") as handle:
        handle.write("F=1\n")
    web = {
        "env_file": [
            {"path": first, "required": True},
            {"path": os.path.join(tmp_path, "missing"), "required": False},
            {"path": second, "required": True},
        ],
        "environment": {"B": None, "C": None, "Z": None},
    }

    final = finalize({"services": {"web": web}}, env={"C": "shell", "D": "shelld"})

    assert final["services"]["web"]["environment"] == {
        "B": None,
        "C": "shell",
        "D": "shelld",
        "E": "shellx",
        "F": "1",
        "Z": None,
    }
    assert "env_file" not in final["services"]["web"]


def test_finalize_missing_required_env_file_raises_with_path() -> None:
    web = {"env_file": [{"path": "/nowhere/.env", "required": True}]}

    with pytest.raises(ConfigError, match="the env file /nowhere/.env does not exist") as caught:
        finalize({"services": {"web": web}})

    assert caught.value.path == "services.web.env_file[0]"


def test_finalize_label_files_merge_under_labels(tmp_path: os.PathLike) -> None:
    label_file = os.path.join(tmp_path, "labels")
    with open(label_file, "w") as handle:
        handle.write("x=2\ny=3\n")
    web = {"label_file": [label_file], "labels": {"x": "1"}}

    final = finalize({"services": {"web": web}})["services"]["web"]

    assert final["labels"] == {"x": "1", "y": "3"}
    assert "label_file" not in final


def test_finalize_removes_reset_values_and_unwraps_overrides() -> None:
    web = {"environment": Reset(None), "ports": Override([port(80)]), "labels": {"a": Reset("")}}

    final = finalize({"services": {"web": web}})["services"]["web"]

    assert "environment" not in final
    assert final["ports"] == [port(80)]
    assert final["labels"] == {}


@pytest.mark.parametrize(
    ("key", "entries", "expected"),
    [
        ("ports", [port(80, "80"), port(80, "8080"), port(80, "80")],
         [port(80, "80"), port(80, "8080")]),
        ("volumes",
         [{"type": "volume", "target": "/a"}, {"type": "bind", "source": "/c", "target": "/a"}],
         [{"type": "bind", "source": "/c", "target": "/a"}]),
        ("configs", [{"source": "s"}, {"source": "s", "target": "/x"}, {"source": "s"}],
         [{"source": "s"}, {"source": "s", "target": "/x"}]),
        ("expose", ["80", "80"], ["80"]),
    ],
)  # fmt: skip
def test_finalize_repeated_entries_keep_one(key: str, entries: list, expected: list) -> None:
    assert finalize({"services": {"web": {key: entries}}})["services"]["web"][key] == expected


def test_drop_unused_resources_keeps_only_what_services_use() -> None:
    doc = {
        "services": {
            "web": {
                "networks": {"front": None},
                "volumes": [{"type": "volume", "source": "data", "target": "/d"}],
                "secrets": [{"source": "s"}],
            }
        },
        "networks": {"front": {}, "unused": {}},
        "volumes": {"data": {}, "other": {}},
        "secrets": {"s": {}},
        "configs": {"c": {}},
    }

    kept = drop_unused_resources(doc)

    assert kept["networks"] == {"front": {}}
    assert kept["volumes"] == {"data": {}}
    assert kept["secrets"] == {"s": {}}
    assert "configs" not in kept


# --- ordering ------------------------------------------------------------------------------


def test_order_document_puts_sections_and_names_in_v2_order() -> None:
    doc = {
        "x-top": 1,
        "configs": {},
        "volumes": {},
        "services": {"web": {}, "db": {}, "app10": {}, "app9": {}},
        "networks": {},
        "secrets": {},
        "name": "demo",
        "models": {},
    }

    ordered = order_document(doc)

    assert list(ordered) == [
        "name", "services", "networks", "volumes", "secrets", "configs", "models", "x-top",
    ]  # fmt: skip
    assert list(ordered["services"]) == ["app9", "app10", "db", "web"]


def test_order_service_uses_v2_field_order_and_nested_orders() -> None:
    service = {
        "x-ext": 1,
        "volumes": [{"bind": {}, "target": "/a", "type": "bind", "read_only": True,
                     "source": "/s"}],
        "ports": [{"protocol": "tcp", "published": "80", "target": 80, "host_ip": "::1",
                   "mode": "ingress"}],
        "healthcheck": {"disable": False, "interval": "1s", "test": ["NONE"], "retries": 1,
                        "timeout": "2s"},
        "command": ["x"],
        "cpus": 1.0,
        "cap_add": ["A"],
        "environment": {"b": "1", "B": "2", "a10": "3", "a9": "4"},
        "build": {"args": {}, "dockerfile": "D", "context": "/c"},
        "profiles": ["p"],
        "volume_driver": "v",
        "unknown_key": 1,
    }  # fmt: skip

    ordered = order_service(service)

    assert list(ordered) == [
        "profiles", "build", "cap_add", "cpus", "command", "environment", "healthcheck",
        "ports", "volume_driver", "volumes", "unknown_key", "x-ext",
    ]  # fmt: skip
    assert list(ordered["ports"][0]) == ["mode", "host_ip", "target", "published", "protocol"]
    assert list(ordered["volumes"][0]) == ["type", "source", "target", "read_only", "bind"]
    assert list(ordered["healthcheck"]) == ["test", "timeout", "interval", "retries", "disable"]
    assert list(ordered["environment"]) == ["B", "a9", "a10", "b"]
    assert list(ordered["build"]) == ["context", "dockerfile", "args"]


def test_natural_key_matches_the_go_yaml_encoder() -> None:
    keys = ["b", "B", "a10", "a9", "a_1", "a-1", "a.1", "A", "_x", "1", "10", "9", "ab", "aB",
            "a", "Ab", "x2y10", "x2y9", "x10y", "z", "~", "a01", "a1"]  # fmt: skip

    assert sorted(keys, key=natural_key) == [
        "_x", "~", "1", "9", "10", "A", "Ab", "B", "a", "a-1", "a.1", "a_1", "a1", "a01", "a9",
        "a10", "aB", "ab", "b", "x2y9", "x2y10", "x10y", "z",
    ]  # fmt: skip


def test_finalize_create_host_path_false_is_left_out_as_v2_does() -> None:
    mount = {"type": "bind", "source": "/z", "target": "/z", "bind": {"create_host_path": False}}

    final = finalize({"services": {"web": {"volumes": [mount]}}})["services"]["web"]

    assert final["volumes"] == [{"type": "bind", "source": "/z", "target": "/z", "bind": {}}]
