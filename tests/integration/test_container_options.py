"""Service options reach the engine: what `docker inspect` shows, and what the container sees."""

from __future__ import annotations

import pytest

RICH = """
services:
  app:
    image: compose-core-test/busybox:latest
    command: sleep 600
    environment: {GREETING: hello world}
    platform: linux/amd64
    user: "1000:1000"
    working_dir: /tmp
    hostname: apphost
    domainname: example.test
    extra_hosts: ["db.local:10.1.2.3"]
    dns: [10.0.0.53]
    dns_search: [example.test]
    cap_add: [NET_ADMIN]
    cap_drop: [MKNOD]
    security_opt: [no-new-privileges:true]
    sysctls: {net.ipv4.ip_forward: 1}
    ulimits: {nofile: {soft: 1000, hard: 2000}}
    shm_size: 32m
    mem_limit: 64m
    cpus: 0.5
    pids_limit: 50
    init: true
    tty: true
    stdin_open: true
    labels: {team: core}
    logging: {driver: json-file, options: {max-size: 1m}}
    restart: unless-stopped
    stop_signal: SIGUSR1
    stop_grace_period: 3s
    ports: ["127.0.0.1::8080", "127.0.0.1:18499:9000/udp"]
    expose: [7000]
    group_add: ["2000"]
    tmpfs: [/scratch]
    volumes:
      - ./host:/host:ro
      - data:/data
      - {type: tmpfs, target: /fast, tmpfs: {size: 1m}}
    secrets: [token]
    configs: [{source: motd, target: /etc/motd}]
    healthcheck:
      test: [CMD, "true"]
      interval: 5s
      retries: 2
volumes:
  data: {}
secrets:
  token: {file: ./token.txt}
configs:
  motd: {content: "welcome $${USER_NAME}"}
"""


@pytest.fixture
def rich(compose):
    compose.write(RICH)
    (compose.dir / "host").mkdir()
    (compose.dir / "host" / "file").write_text("from host\n")
    (compose.dir / "token.txt").write_text("t0ken\n")
    compose.run("up", "-d")
    return compose.client.containers.get(f"{compose.name}-app-1")


def test_process_options_reach_the_container(rich):
    config = rich.attrs["Config"]

    assert "GREETING=hello world" in config["Env"]
    assert (config["User"], config["WorkingDir"]) == ("1000:1000", "/tmp")
    assert (config["Hostname"], config["Domainname"]) == ("apphost", "example.test")
    assert config["Tty"] is True and config["OpenStdin"] is True
    assert (config["StopSignal"], config["StopTimeout"]) == ("SIGUSR1", 3)
    assert config["Labels"]["team"] == "core"
    assert config["Healthcheck"] == {"Test": ["CMD", "true"], "Interval": 5 * 10**9, "Retries": 2}
    assert "7000/tcp" in config["ExposedPorts"]
    assert rich.attrs["Platform"] == "linux"


def test_host_options_reach_the_engine(rich):
    host = rich.attrs["HostConfig"]

    assert host["ExtraHosts"] == ["db.local:10.1.2.3"]
    assert (host["Dns"], host["DnsSearch"]) == (["10.0.0.53"], ["example.test"])
    assert (host["CapAdd"], host["CapDrop"]) == (["NET_ADMIN"], ["MKNOD"])
    assert host["SecurityOpt"] == ["no-new-privileges:true"]
    assert host["Sysctls"] == {"net.ipv4.ip_forward": "1"}
    assert host["Ulimits"] == [{"Name": "nofile", "Soft": 1000, "Hard": 2000}]
    assert (host["ShmSize"], host["Memory"]) == (32 << 20, 64 << 20)
    assert (host["NanoCpus"], host["PidsLimit"]) == (500_000_000, 50)
    assert host["Init"] is True
    assert host["LogConfig"] == {"Type": "json-file", "Config": {"max-size": "1m"}}
    assert host["RestartPolicy"]["Name"] == "unless-stopped"
    assert host["GroupAdd"] == ["2000"]
    assert host["Tmpfs"] == {"/scratch": ""}


def test_ports_are_published_as_written(rich):
    ports = rich.attrs["NetworkSettings"]["Ports"]

    assert ports["9000/udp"] == [{"HostIp": "127.0.0.1", "HostPort": "18499"}]
    (ephemeral,) = ports["8080/tcp"]
    assert ephemeral["HostIp"] == "127.0.0.1" and int(ephemeral["HostPort"]) > 0


def test_mounts_secrets_and_configs_are_seen_inside(rich):
    def read(path):
        result = rich.exec_run(["cat", path])
        assert result.exit_code == 0, result.output
        return result.output.decode()

    assert read("/host/file") == "from host\n"
    assert read("/run/secrets/token") == "t0ken\n"
    assert read("/etc/motd") == "welcome ${USER_NAME}"
    mounts = {m["Destination"]: m for m in rich.attrs["Mounts"]}
    assert mounts["/host"]["RW"] is False
    assert mounts["/data"]["Type"] == "volume" and mounts["/data"]["Name"].endswith("_data")
    assert "/fast" in rich.exec_run(["mount"]).output.decode()


def test_service_namespaces_and_volumes_from_join_the_other_container(compose):
    compose.write(
        """
services:
  base:
    image: compose-core-test/busybox:latest
    command: sleep 600
    ipc: shareable
    volumes: [/shared]
  side:
    image: compose-core-test/busybox:latest
    command: sleep 600
    network_mode: service:base
    read_only: true
    ipc: service:base
    volumes_from: [base]
"""
    )

    compose.run("up", "-d")

    base = compose.client.containers.get(f"{compose.name}-base-1")
    side = compose.client.containers.get(f"{compose.name}-side-1")
    assert side.attrs["HostConfig"]["NetworkMode"] == f"container:{base.id}"
    assert side.attrs["HostConfig"]["IpcMode"] == f"container:{base.id}"
    assert side.attrs["HostConfig"]["ReadonlyRootfs"] is True
    base.exec_run(["sh", "-c", "echo shared > /shared/x"])
    assert side.exec_run(["cat", "/shared/x"]).output == b"shared\n"
    assert base.exec_run(["hostname"]).output == side.exec_run(["hostname"]).output
