"""The engine and the local base images are fit for the integration suites."""

from __future__ import annotations

import ipaddress
import secrets

import docker
import docker.errors
import docker.types
import pytest

MINIMUM_API_VERSION = (1, 41)
# Applets the suites' compose files rely on.
REQUIRED_APPLETS = (
    "sh",
    "sleep",
    "httpd",
    "nc",
    "wget",
    "cat",
    "echo",
    "env",
    "hostname",
    "ip",
    "ifconfig",
)
# Candidate fixed subnets, away from the engine's address pools (10.200/16, 10.201/16).
CANDIDATE_SUBNETS = tuple(f"10.{second}.0.0/16" for second in range(240, 250))


def api_version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def subnets_in_use(client: docker.DockerClient) -> list[ipaddress.IPv4Network]:
    in_use = []
    for network in client.networks.list(greedy=True):
        for pool in (network.attrs.get("IPAM") or {}).get("Config") or []:
            subnet = ipaddress.ip_network(pool.get("Subnet", ""), strict=False)
            if isinstance(subnet, ipaddress.IPv4Network):
                in_use.append(subnet)
    return in_use


def free_subnet(client: docker.DockerClient) -> str:
    in_use = subnets_in_use(client)
    for candidate in CANDIDATE_SUBNETS:
        if not any(ipaddress.ip_network(candidate).overlaps(used) for used in in_use):
            return candidate
    pytest.fail(f"every candidate subnet {CANDIDATE_SUBNETS} is already taken by a network")


def test_engine_api_version_meets_minimum(docker_client: docker.DockerClient) -> None:
    version = docker_client.version()

    assert api_version_tuple(version["ApiVersion"]) >= MINIMUM_API_VERSION


def test_busybox_image_echo_prints_message(
    docker_client: docker.DockerClient, test_image: str
) -> None:
    output = docker_client.containers.run(test_image, ["echo", "engine ready"], remove=True)

    assert output == b"engine ready\n"


def test_busybox_image_has_required_applets(
    docker_client: docker.DockerClient, test_image: str
) -> None:
    script = 'for a in "$@"; do command -v "$a" >/dev/null || echo "$a"; done'
    command = ["sh", "-c", script, "sh", *REQUIRED_APPLETS]

    missing = docker_client.containers.run(test_image, command, remove=True)

    assert missing.decode().split() == []


def test_busybox_alias_is_tagged(docker_client: docker.DockerClient) -> None:
    image = docker_client.images.get("busybox:latest")

    assert image.id
    assert "busybox:latest" in image.tags


def test_network_with_fixed_subnet_is_created_and_removed(
    docker_client: docker.DockerClient, test_image: str
) -> None:
    subnet = free_subnet(docker_client)
    gateway = str(next(ipaddress.ip_network(subnet).hosts()))
    pool = docker.types.IPAMPool(subnet=subnet, gateway=gateway)
    name = f"cc-test-net-{secrets.token_hex(4)}"

    network = docker_client.networks.create(name, ipam=docker.types.IPAMConfig(pool_configs=[pool]))
    try:
        network.reload()
        config = network.attrs["IPAM"]["Config"][0]
        address = docker_client.containers.run(
            test_image, ["hostname", "-i"], network=name, remove=True
        )
    finally:
        network.remove()

    assert (config["Subnet"], config["Gateway"]) == (subnet, gateway)
    assert ipaddress.ip_address(address.decode().strip()) in ipaddress.ip_network(subnet)
    with pytest.raises(docker.errors.NotFound):
        docker_client.networks.get(name)
