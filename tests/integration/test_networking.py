"""Networks and addresses: the handbook's manual networking, declared in a Compose file."""

from __future__ import annotations

import pytest

HANDBOOK = """
services:
  pinned:
    image: compose-core-test/busybox:latest
    command: sleep 600
    networks:
      handbook:
        ipv4_address: 172.17.42.99
  peer:
    image: compose-core-test/busybox:latest
    command: sleep 600
    networks: [handbook]
  isolated:
    image: compose-core-test/busybox:latest
    command: sleep 600
    network_mode: none
networks:
  handbook:
    ipam:
      config:
        - subnet: 172.17.0.0/16
"""


def bridge_holds_172_17(client) -> bool:
    config = client.networks.get("bridge").attrs["IPAM"]["Config"] or []
    return any(str(entry.get("Subnet", "")).startswith("172.17.") for entry in config)


def test_fixed_address_and_no_network_as_in_the_handbook(compose):
    if bridge_holds_172_17(compose.client):
        pytest.fail(
            "the default bridge owns 172.17.0.0/16, so no network can hold 172.17.42.99/16; "
            "start dockerd with --bip elsewhere (scripts/ensure-engine.sh does)"
        )
    compose.write(HANDBOOK)

    compose.run("up", "-d")

    pinned = compose.client.containers.get(f"{compose.name}-pinned-1")
    network = pinned.attrs["NetworkSettings"]["Networks"][f"{compose.name}_handbook"]
    assert network["IPAddress"] == "172.17.42.99"
    assert network["IPPrefixLen"] == 16
    peer = compose.client.containers.get(f"{compose.name}-peer-1")
    reached = peer.exec_run(["ping", "-c", "1", "-W", "2", "172.17.42.99"])
    assert reached.exit_code == 0, reached.output
    by_name = peer.exec_run(["ping", "-c", "1", "-W", "2", "pinned"])
    assert by_name.exit_code == 0, by_name.output
    isolated = compose.client.containers.get(f"{compose.name}-isolated-1")
    links = isolated.exec_run(["ls", "/sys/class/net"]).output.decode().split()
    assert links == ["lo"]
    assert isolated.attrs["HostConfig"]["NetworkMode"] == "none"


def test_aliases_internal_and_named_network(compose):
    compose.write(
        """
services:
  api:
    image: compose-core-test/busybox:latest
    command: sleep 600
    networks:
      inner:
        aliases: [backend]
  client:
    image: compose-core-test/busybox:latest
    command: sleep 600
    networks: [inner]
networks:
  inner:
    name: cc-named-${SUFFIX}
    internal: true
    labels:
      purpose: test
""",
    )

    compose.run("up", "-d", env={"SUFFIX": compose.name})

    network = compose.client.networks.get(f"cc-named-{compose.name}")
    assert network.attrs["Internal"] is True
    assert network.attrs["Labels"]["purpose"] == "test"
    client = compose.client.containers.get(f"{compose.name}-client-1")
    assert client.exec_run(["ping", "-c", "1", "-W", "2", "backend"]).exit_code == 0


def test_external_network_missing_is_a_clear_error(compose):
    compose.write(
        "services:\n  a:\n    image: compose-core-test/busybox:latest\n"
        "networks:\n  default:\n    name: cc-does-not-exist\n    external: true\n"
    )

    result = compose.run("up", "-d", check=False)

    assert result.returncode == 1
    assert "cc-does-not-exist declared as external, but could not be found" in result.stderr


def test_links_resolve_to_the_linked_containers(compose):
    compose.write(
        """
services:
  dbb:
    image: compose-core-test/busybox:latest
    command: sleep 600
    network_mode: bridge
  app2:
    image: compose-core-test/busybox:latest
    command: sleep 600
    network_mode: bridge
    links: ["dbb:database"]
""",
    )

    compose.run("up", "-d")

    app2 = compose.client.containers.get(f"{compose.name}-app2-1")
    hosts = app2.exec_run(["cat", "/etc/hosts"]).output.decode()
    assert "database" in hosts
