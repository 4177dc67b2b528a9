"""Legacy version 1 files, against what docker-compose 1.29.2's `config` resolves them to."""

from __future__ import annotations

import pytest

from compose_core.config.legacy import convert_v1, is_legacy_v1
from compose_core.errors import ConfigError

SOURCE = "/p/docker-compose.yml"

# The handbook example: three web services behind haproxy, linked on the default bridge.
HAPROXY_EXAMPLE = {
    "weba": {"build": "./web", "expose": [80]},
    "webb": {"build": "./web", "expose": [80]},
    "webc": {"build": "./web", "expose": [80]},
    "haproxy": {
        "image": "haproxy",
        "volumes": ["./haproxy:/haproxy-override"],
        "links": ["weba", "webb", "webc"],
        "ports": ["80:80", "70:70"],
        "expose": [80, 70],
    },
}


@pytest.mark.parametrize(
    ("doc", "legacy"),
    [
        (HAPROXY_EXAMPLE, True),
        ({"web": {"image": "nginx"}}, True),
        ({"version": "2", "services": {"web": {"image": "nginx"}}}, False),
        ({"services": {"web": {"image": "nginx"}}}, False),
        ({"web": {"image": "nginx"}, "networks": {"n": {}}}, False),
        ({"web": {"image": "nginx"}, "volumes": {"v": {}}}, False),
        ({"web": {"image": "nginx"}, "secrets": {}}, False),
        ({"web": {"image": "nginx"}, "configs": {}}, False),
        ({"web": {"image": "nginx"}, "include": ["x.yml"]}, False),
        ({"web": {"image": "nginx"}, "name": "demo"}, False),
        ({"web": {"image": "nginx"}, "x-common": {"a": 1}}, False),
        ({}, False),
        (None, False),
        (["web"], False),
    ],
)
def test_is_legacy_v1_top_level_keys_decide(doc: object, legacy: bool) -> None:
    assert is_legacy_v1(doc) is legacy


def test_convert_v1_handbook_example_runs_on_bridge_with_links() -> None:
    converted = convert_v1(HAPROXY_EXAMPLE, SOURCE)

    assert list(converted) == ["services"]
    haproxy = converted["services"]["haproxy"]
    assert haproxy["network_mode"] == "bridge"
    assert haproxy["links"] == ["weba", "webb", "webc"]
    assert converted["services"]["weba"] == {
        "build": "./web",
        "expose": [80],
        "network_mode": "bridge",
    }


@pytest.mark.parametrize(
    ("net", "network_mode"),
    [
        ("host", "host"),
        ("none", "none"),
        ("bridge", "bridge"),
        ("container:db", "service:db"),
        ("container:outsider", "container:outsider"),
    ],
)
def test_convert_v1_net_becomes_network_mode(net: str, network_mode: str) -> None:
    converted = convert_v1({"web": {"image": "x", "net": net}, "db": {"image": "pg"}}, SOURCE)

    web = converted["services"]["web"]
    assert web["network_mode"] == network_mode
    assert "net" not in web


@pytest.mark.parametrize(
    ("service", "logging"),
    [
        (
            {"log_driver": "syslog", "log_opt": {"syslog-address": "tcp://1.2.3.4:123"}},
            {"driver": "syslog", "options": {"syslog-address": "tcp://1.2.3.4:123"}},
        ),
        ({"log_driver": "none"}, {"driver": "none"}),
        ({"log_opt": {"max-size": "1m"}}, {"options": {"max-size": "1m"}}),
    ],
)
def test_convert_v1_log_keys_become_logging(service: dict, logging: dict) -> None:
    converted = convert_v1({"web": {"image": "x", **service}}, SOURCE)

    web = converted["services"]["web"]
    assert web["logging"] == logging
    assert "log_driver" not in web and "log_opt" not in web


@pytest.mark.parametrize(
    ("service", "build"),
    [
        ({"build": "./web", "dockerfile": "Dockerfile.alt"},
         {"context": "./web", "dockerfile": "Dockerfile.alt"}),
        ({"dockerfile": "D"}, {"dockerfile": "D"}),
        ({"build": "./web"}, "./web"),
    ],
)  # fmt: skip
def test_convert_v1_dockerfile_moves_into_build(service: dict, build: object) -> None:
    web = convert_v1({"web": service}, SOURCE)["services"]["web"]

    assert web["build"] == build
    assert "dockerfile" not in web


def test_convert_v1_volumes_from_names_a_container_unless_it_is_a_service() -> None:
    doc = {
        "web": {"image": "x", "volumes_from": ["data", "outsider:ro", "container:other"]},
        "data": {"image": "y"},
    }

    web = convert_v1(doc, SOURCE)["services"]["web"]

    assert web["volumes_from"] == ["data", "container:outsider:ro", "container:other"]


def test_convert_v1_keeps_v1_only_keys_that_the_engine_understands() -> None:
    service = {"image": "x", "volume_driver": "flocker", "external_links": ["redis_1"]}

    web = convert_v1({"web": service}, SOURCE)["services"]["web"]

    assert web["volume_driver"] == "flocker"
    assert web["external_links"] == ["redis_1"]


def test_convert_v1_named_volumes_are_declared_under_their_own_name() -> None:
    doc = {"web": {"image": "x", "volumes": ["data:/data", "./here:/here", "/anon"]}}

    converted = convert_v1(doc, SOURCE)

    assert converted["volumes"] == {"data": {"name": "data"}}


def test_convert_v1_does_not_change_its_input() -> None:
    doc = {"web": {"image": "x", "net": "host", "log_driver": "none"}}

    convert_v1(doc, SOURCE)

    assert doc == {"web": {"image": "x", "net": "host", "log_driver": "none"}}


@pytest.mark.parametrize("service", ["nginx", None, ["image"], 3])
def test_convert_v1_service_not_a_mapping_raises(service: object) -> None:
    with pytest.raises(ConfigError, match="service 'web' must be a mapping") as caught:
        convert_v1({"web": service}, SOURCE)

    assert caught.value.source == SOURCE
    assert caught.value.path == "web"
