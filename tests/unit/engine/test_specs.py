"""Service options to Engine API bodies, from files through the real loader."""

from __future__ import annotations

import io
import tarfile

import pytest

from compose_core.config.loader import LoadOptions, load_project
from compose_core.engine import specs
from compose_core.model.project import Project


def load(text: str, **environ: str) -> Project:
    options = LoadOptions(
        files=("-",), project_name="p", cwd="/srv/p", environ=environ, stdin_text=text
    )
    return load_project(options)


def context(project: Project, service: str, **overrides) -> specs.ContainerContext:
    containers = {name: [f"p-{name}-1"] for name in project.services}
    fields = {
        "project": project,
        "service": project.services[service],
        "number": 1,
        "name": f"p-{service}-1",
        "labels": {"com.docker.compose.project": "p"},
        "image": "busybox",
        "network_names": {k: v["name"] for k, v in project.networks.items()},
        "volume_names": {k: v["name"] for k, v in project.volumes.items()},
        "service_containers": lambda name: containers.get(name, []),
        "container_id": lambda name: f"id-of-{name}",
    }
    fields.update(overrides)
    return specs.ContainerContext(**fields)


def body_of(text: str, service: str = "web", **environ: str) -> dict:
    project = load(text, **environ)
    return specs.container_body(context(project, service))


def test_container_body_process_options_map_to_config_fields():
    body = body_of(
        """
services:
  web:
    image: busybox
    command: sleep 600
    entrypoint: [/bin/sh, -c]
    environment: [A=1, UNSET_HERE]
    user: "1000:1000"
    working_dir: /w
    hostname: h
    tty: true
    stdin_open: true
    stop_signal: SIGINT
    stop_grace_period: 1m30s
"""
    )

    assert body["Cmd"] == ["sleep", "600"]
    assert body["Entrypoint"] == ["/bin/sh", "-c"]
    assert body["Env"] == ["A=1"]
    assert (body["User"], body["WorkingDir"], body["Hostname"]) == ("1000:1000", "/w", "h")
    assert body["Tty"] is True and body["OpenStdin"] is True
    assert (body["StopSignal"], body["StopTimeout"]) == ("SIGINT", 90)


def test_container_body_host_options_and_resource_limits():
    body = body_of(
        """
services:
  web:
    image: busybox
    extra_hosts: ["a:1.2.3.4", "b=::1"]
    dns: 8.8.8.8
    cap_add: [NET_ADMIN]
    privileged: true
    devices: ["/dev/null:/dev/xnull:r"]
    sysctls: {net.core.somaxconn: 1024}
    ulimits: {nofile: {soft: 100, hard: 200}, nproc: 50}
    shm_size: 64m
    mem_limit: 512m
    cpus: 0.5
    init: true
    read_only: true
    logging: {driver: json-file, options: {max-size: 1m}}
    restart: on-failure:3
    deploy:
      resources:
        limits: {pids: 10}
        reservations: {memory: 20M}
"""
    )

    host = body["HostConfig"]
    assert host["ExtraHosts"] == ["a:1.2.3.4", "b:::1"]
    assert host["Dns"] == ["8.8.8.8"]
    assert host["CapAdd"] == ["NET_ADMIN"] and host["Privileged"] is True
    assert host["Devices"] == [
        {"PathOnHost": "/dev/null", "PathInContainer": "/dev/xnull", "CgroupPermissions": "r"}
    ]
    assert host["Sysctls"] == {"net.core.somaxconn": "1024"}
    assert {"Name": "nofile", "Soft": 100, "Hard": 200} in host["Ulimits"]
    assert {"Name": "nproc", "Soft": 50, "Hard": 50} in host["Ulimits"]
    assert host["ShmSize"] == 64 << 20
    assert host["Memory"] == 512 << 20
    assert host["MemoryReservation"] == 20 << 20
    assert host["NanoCpus"] == 500_000_000
    assert host["PidsLimit"] == 10
    assert host["Init"] is True and host["ReadonlyRootfs"] is True
    assert host["LogConfig"] == {"Type": "json-file", "Config": {"max-size": "1m"}}
    assert host["RestartPolicy"] == {"Name": "on-failure", "MaximumRetryCount": 3}


@pytest.mark.parametrize(
    "check, expected",
    [
        (
            "test: [CMD, 'true']\n      interval: 2s",
            {"Test": ["CMD", "true"], "Interval": 2 * 10**9},
        ),
        ("test: curl -f x\n      retries: 3", {"Test": ["CMD-SHELL", "curl -f x"], "Retries": 3}),
        ("disable: true", {"Test": ["NONE"]}),
    ],
)
def test_healthcheck_forms_become_engine_healthchecks(check, expected):
    body = body_of(f"services:\n  web:\n    image: busybox\n    healthcheck:\n      {check}\n")

    assert body["Healthcheck"] == expected


def test_ports_and_expose_become_bindings_and_exposed_ports():
    body = body_of(
        """
services:
  web:
    image: busybox
    ports: ["8080:80", "127.0.0.1:9000-9001:9000-9001/udp", 5000]
    expose: ["3000-3001/udp"]
"""
    )

    assert body["HostConfig"]["PortBindings"] == {
        "80/tcp": [{"HostIp": "", "HostPort": "8080"}],
        "9000/udp": [{"HostIp": "127.0.0.1", "HostPort": "9000"}],
        "9001/udp": [{"HostIp": "127.0.0.1", "HostPort": "9001"}],
        "5000/tcp": [{"HostIp": "", "HostPort": ""}],
    }
    assert set(body["ExposedPorts"]) == {
        "80/tcp",
        "9000/udp",
        "9001/udp",
        "5000/tcp",
        "3000/udp",
        "3001/udp",
    }


def test_volumes_binds_tmpfs_and_carried_over_anonymous_volumes():
    project = load(
        """
services:
  web:
    image: busybox
    volumes: ["./data:/data:ro", "named:/n", "/anon", {type: tmpfs, target: /t, tmpfs: {size: 1k}}]
volumes:
  named: {}
"""
    )
    previous = {"/anon": "a" * 64, "/from-image": "b" * 64}

    body = specs.container_body(context(project, "web", previous_anonymous=previous))

    assert body["HostConfig"]["Binds"] == ["/srv/p/data:/data:ro"]
    assert body["HostConfig"]["Mounts"] == [
        {"Type": "volume", "Target": "/n", "Source": "p_named"},
        {"Type": "volume", "Target": "/anon", "Source": "a" * 64},
        {"Type": "tmpfs", "Target": "/t", "TmpfsOptions": {"SizeBytes": 1024}},
        {"Type": "volume", "Source": "b" * 64, "Target": "/from-image"},
    ]


def test_file_secrets_are_bound_and_others_copied_in():
    project = load(
        """
services:
  web:
    image: busybox
    secrets: [token, {source: key, target: custom}]
    configs: [{source: motd, target: /etc/motd, mode: 0400}]
secrets:
  token: {file: ./token.txt}
  key: {environment: KEY}
configs:
  motd: {content: hello}
""",
        KEY="s3cret",
    )
    made = context(project, "web")

    body = specs.container_body(made)
    files = specs.injected_files(made)

    assert body["HostConfig"]["Binds"] == ["/srv/p/token.txt:/run/secrets/token:ro"]
    assert files == [("/run/secrets/custom", b"s3cret", 0o444), ("/etc/motd", b"hello", 0o400)]
    directory, archive = specs.archive_of(*files[1])
    member = tarfile.open(fileobj=io.BytesIO(archive)).getmember("motd")
    assert (directory, member.mode, member.size) == ("/etc", 0o400, 5)


def test_networks_primary_first_by_priority_then_connected_with_aliases_and_addresses():
    project = load(
        """
services:
  web:
    image: busybox
    networks:
      back: {priority: 1}
      front:
        priority: 10
        aliases: [www]
        ipv4_address: 10.9.0.9
networks:
  back: {}
  front:
    ipam: {config: [{subnet: 10.9.0.0/16}]}
"""
    )
    made = context(project, "web")

    body = specs.container_body(made)

    assert specs.network_order(project.services["web"]) == ["front", "back"]
    assert body["HostConfig"]["NetworkMode"] == "p_front"
    assert body["NetworkingConfig"]["EndpointsConfig"] == {
        "p_front": {"Aliases": ["web", "www"], "IPAMConfig": {"IPv4Address": "10.9.0.9"}}
    }
    assert specs.endpoint_config(made, "back") == {"Aliases": ["web"]}


def test_shared_namespaces_links_and_volumes_from_name_the_other_services_containers():
    body = body_of(
        """
services:
  db:
    image: busybox
  web:
    image: busybox
    network_mode: service:db
    ipc: service:db
    links: ["db:database"]
    external_links: [legacy]
    volumes_from: ["db:ro", "container:other"]
"""
    )

    host = body["HostConfig"]
    assert host["NetworkMode"] == "container:id-of-db"
    assert host["IpcMode"] == "container:id-of-db"
    assert host["Links"] == ["legacy:legacy", "p-db-1:database", "p-db-1:p-db-1"]
    assert host["VolumesFrom"] == ["p-db-1:ro", "other"]
    assert "NetworkingConfig" not in body


def test_network_and_volume_bodies_carry_options_and_labels():
    project = load(
        """
services:
  web:
    image: busybox
    networks: [net]
    volumes: ["data:/d"]
networks:
  net:
    driver_opts: {com.docker.network.bridge.name: br-test}
    internal: true
    labels: [team=a]
    ipam: {config: [{subnet: 10.8.0.0/24, gateway: 10.8.0.1}]}
volumes:
  data:
    driver: local
    labels: {team: b}
"""
    )
    ours = {"com.docker.compose.project": "p"}

    network = specs.network_body(project, "net", ours)
    volume = specs.volume_request(project, "data", ours)

    assert network["Name"] == "p_net" and network["Internal"] is True
    assert network["Options"] == {"com.docker.network.bridge.name": "br-test"}
    assert network["Labels"] == {"team": "a", "com.docker.compose.project": "p"}
    assert network["IPAM"]["Config"] == [{"Subnet": "10.8.0.0/24", "Gateway": "10.8.0.1"}]
    assert volume == {
        "Name": "p_data",
        "Driver": "local",
        "DriverOpts": {},
        "Labels": {"team": "b", "com.docker.compose.project": "p"},
    }
