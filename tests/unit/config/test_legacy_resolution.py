"""A legacy v1 file resolves to what docker-compose 1.29.2 made of it.

`expected-1.29.2.yaml` is 1.29.2's own `config` output for the fixture (its form
differs from today's, so the two are compared field by field, not as text).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from compose_core.config.loader import LoadOptions, load_project

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "config" / "legacy"


def classic_services() -> dict:
    text = (FIXTURE / "expected-1.29.2.yaml").read_text().replace("$PROJECT_DIR", str(FIXTURE))
    return yaml.safe_load(text)["services"]


def ports_of(entries) -> list[tuple[int, str, str]]:
    found = []
    for entry in entries:
        if isinstance(entry, str):  # 1.29.2: "80:80/tcp"
            mapping, _, protocol = entry.partition("/")
            published, _, target = mapping.rpartition(":")
            found.append((int(target), published, protocol or "tcp"))
        else:
            found.append((entry["target"], entry["published"], entry["protocol"]))
    return sorted(found)


def volumes_of(entries) -> list[tuple[str, str, bool]]:
    found = []
    for entry in entries:
        if isinstance(entry, str):  # 1.29.2: "/abs:/target:ro"
            source, target, mode = entry.split(":")
            found.append((source, target, mode == "ro"))
        else:
            found.append((entry["source"], entry["target"], bool(entry.get("read_only"))))
    return sorted(found)


def test_legacy_file_resolves_like_classic_compose():
    project = load_project(LoadOptions(cwd=str(FIXTURE), environ={}))
    classic = classic_services()

    assert project.legacy
    assert sorted(project.services) == sorted(classic)
    assert project.networks == {}  # v1 projects ran on the default bridge
    for name, expected in classic.items():
        ours = project.services[name].options
        assert ours.get("network_mode") == expected.get("network_mode") == "bridge"
        assert list(ours.get("links", [])) == expected.get("links", [])
        assert [str(e) for e in ours.get("expose", [])] == [str(e) for e in expected["expose"]]
        assert ports_of(ours.get("ports", [])) == ports_of(expected.get("ports", []))
        assert volumes_of(ours.get("volumes", [])) == volumes_of(expected.get("volumes", []))
        assert ours.get("logging") == expected.get("logging")
        if "build" in expected:
            assert ours["build"]["context"] == expected["build"]["context"]


def test_legacy_links_order_services_before_the_one_that_links():
    project = load_project(LoadOptions(cwd=str(FIXTURE), environ={}))

    assert project.services["haproxy"].dependencies() == {"weba", "webb", "webc"}
    assert project.services["haproxy"].links() == [
        ("weba", "weba"),
        ("webb", "webb"),
        ("webc", "web3"),
    ]
