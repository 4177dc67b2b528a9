"""The options of up, down, rm and ps, and the network and volume keys, on the real engine."""

from __future__ import annotations

import json

import docker.errors
import pytest

PAIR = """
services:
  web:
    image: compose-core-test/busybox:latest
    command: sleep 600
    stop_signal: SIGKILL
    depends_on: [db]
  db:
    image: compose-core-test/busybox:latest
    command: sleep 600
    stop_signal: SIGKILL
    volumes: [data:/data, /anon]
volumes:
  data: {}
"""


def containers(compose):
    label = f"com.docker.compose.project={compose.name}"
    found = compose.client.containers.list(all=True, filters={"label": label})
    return {c.name: c for c in found}


def ids(compose):
    return {name: c.id for name, c in containers(compose).items()}


def volume_names(compose):
    label = f"com.docker.compose.project={compose.name}"
    return sorted(v.name for v in compose.client.volumes.list(filters={"label": label}))


@pytest.fixture
def pair(compose):
    compose.write(PAIR)
    compose.run("up", "-d")
    return compose


def test_force_recreate_replaces_unchanged_containers(pair):
    before = ids(pair)

    pair.run("up", "-d", "--force-recreate", "-t", "0")

    after = ids(pair)
    assert set(after) == set(before)
    assert all(after[name] != before[name] for name in before)


def test_no_recreate_keeps_a_changed_container(pair):
    before = ids(pair)
    pair.write(
        PAIR.replace(
            "    command: sleep 600\n    stop_signal: SIGKILL\n    depends_on",
            "    command: sleep 601\n    stop_signal: SIGKILL\n    depends_on",
        )
    )

    pair.run("up", "-d", "--no-recreate")

    assert ids(pair) == before


def test_no_start_creates_without_starting(compose):
    compose.write(PAIR)

    compose.run("up", "-d", "--no-start")

    assert {c.status for c in containers(compose).values()} == {"created"}


def test_always_recreate_deps_renews_the_dependency_of_the_named_service(pair):
    before = ids(pair)

    pair.run("up", "-d", "--always-recreate-deps", "-t", "0", "web")

    after = ids(pair)
    assert after[f"{pair.name}-web-1"] == before[f"{pair.name}-web-1"]
    assert after[f"{pair.name}-db-1"] != before[f"{pair.name}-db-1"]


def test_down_keeps_volumes_and_down_v_removes_named_and_anonymous(pair):
    def anonymous_volume():
        db = containers(pair)[f"{pair.name}-db-1"]
        (name,) = [m["Name"] for m in db.attrs["Mounts"] if m["Destination"] == "/anon"]
        return name

    first = anonymous_volume()
    pair.run("down", "-t", "0")
    kept = volume_names(pair)
    pair.run("up", "-d")
    second = anonymous_volume()
    pair.run("down", "-v", "-t", "0")

    assert kept == [f"{pair.name}_data"]
    assert pair.client.volumes.get(first)  # plain `down` leaves anonymous volumes be
    assert volume_names(pair) == []
    with pytest.raises(docker.errors.NotFound):
        pair.client.volumes.get(second)
    pair.client.volumes.get(first).remove()


def test_down_remove_orphans_takes_the_containers_of_removed_services(pair):
    pair.write(PAIR.replace("    depends_on: [db]\n", "").split("  db:")[0])

    plain = pair.run("down", "-t", "0")
    left = sorted(containers(pair))
    pair.run("down", "--remove-orphans", "-t", "0")

    assert left == [f"{pair.name}-db-1"]
    assert "orphan" in plain.stderr
    assert f"Network {pair.name}_default  Resource is still in use" in plain.stderr
    assert containers(pair) == {}


def test_down_dry_run_json_lists_the_plan_and_changes_nothing(pair):
    before = ids(pair)

    result = pair.run("down", "--dry-run", "--format", "json")

    plan = json.loads(result.stdout)
    removed = {(op["kind"], op["name"]) for op in plan["operations"] if op["action"] == "remove"}
    assert ("container", f"{pair.name}-web-1") in removed
    assert ("network", f"{pair.name}_default") in removed
    assert ids(pair) == before


def test_rm_v_removes_the_anonymous_volume(pair):
    db = containers(pair)[f"{pair.name}-db-1"]
    (anonymous,) = [m["Name"] for m in db.attrs["Mounts"] if m["Destination"] == "/anon"]

    pair.run("rm", "-f", "-s", "-v", "db")

    assert f"{pair.name}-db-1" not in containers(pair)
    with pytest.raises(docker.errors.NotFound):
        pair.client.volumes.get(anonymous)
    assert pair.client.volumes.get(f"{pair.name}_data")


def test_ps_filter_by_status_and_by_service(pair):
    pair.run("stop", "db")

    running = pair.run("ps", "--filter", "status=running", "--services").stdout.split()
    exited = pair.run("ps", "-a", "--filter", "status=exited", "-q").stdout.split()

    assert running == ["web"]
    assert exited == [containers(pair)[f"{pair.name}-db-1"].id]


def test_network_keys_reach_the_engine(compose):
    compose.write(
        """
services:
  pinned:
    image: compose-core-test/busybox:latest
    command: sleep 600
    networks:
      dual:
        ipv4_address: 10.230.0.10
        ipv6_address: fd00:cc:1::10
networks:
  dual:
    driver: bridge
    driver_opts: {com.docker.network.bridge.enable_icc: "true"}
    attachable: true
    enable_ipv6: true
    ipam:
      config:
        - subnet: 10.230.0.0/24
          gateway: 10.230.0.1
        - subnet: fd00:cc:1::/64
"""
    )

    compose.run("up", "-d")

    network = compose.client.networks.get(f"{compose.name}_dual").attrs
    assert network["Attachable"] is True and network["EnableIPv6"] is True
    assert network["Options"]["com.docker.network.bridge.enable_icc"] == "true"
    subnets = {entry["Subnet"] for entry in network["IPAM"]["Config"]}
    assert subnets == {"10.230.0.0/24", "fd00:cc:1::/64"}
    pinned = compose.client.containers.get(f"{compose.name}-pinned-1")
    settings = pinned.attrs["NetworkSettings"]["Networks"][f"{compose.name}_dual"]
    assert settings["IPAddress"] == "10.230.0.10"
    assert settings["GlobalIPv6Address"] == "fd00:cc:1::10"


def test_external_network_and_volume_are_used_and_left_in_place(compose):
    network = compose.client.networks.create(f"{compose.name}-outside")
    volume = compose.client.volumes.create(f"{compose.name}-kept")
    try:
        compose.write(
            f"""
services:
  app:
    image: compose-core-test/busybox:latest
    command: sleep 600
    stop_signal: SIGKILL
    volumes: [kept:/kept]
networks:
  default:
    name: {compose.name}-outside
    external: true
volumes:
  kept:
    name: {compose.name}-kept
    external: true
"""
        )

        compose.run("up", "-d")
        app = compose.client.containers.get(f"{compose.name}-app-1")
        joined = list(app.attrs["NetworkSettings"]["Networks"])
        compose.run("down", "-v", "-t", "0")

        assert joined == [f"{compose.name}-outside"]
        assert compose.client.networks.get(network.id)
        assert compose.client.volumes.get(volume.name)
    finally:
        compose.remove_resources()
        network.remove()
        volume.remove(force=True)


def test_volume_driver_options_reach_the_engine(compose):
    compose.write(
        """
services:
  app:
    image: compose-core-test/busybox:latest
    command: sleep 600
    stop_signal: SIGKILL
    volumes: [scratch:/scratch]
volumes:
  scratch:
    driver: local
    driver_opts: {type: tmpfs, device: tmpfs, o: size=1m}
    labels: {purpose: test}
"""
    )

    compose.run("up", "-d")

    volume = compose.client.volumes.get(f"{compose.name}_scratch").attrs
    assert volume["Options"] == {"type": "tmpfs", "device": "tmpfs", "o": "size=1m"}
    assert volume["Labels"]["purpose"] == "test"
    app = compose.client.containers.get(f"{compose.name}-app-1")
    assert "tmpfs on /scratch" in app.exec_run(["mount"]).output.decode()
