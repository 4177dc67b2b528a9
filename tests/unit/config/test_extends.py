"""resolve_extends against what Compose v2.40 prints for `extends`.

Expected values are hand-written from `compose-v2 -f FILE config` output,
in the per-file canonical form (no defaults).
"""

from __future__ import annotations

import copy

import pytest

from compose_core.config.extends import resolve_extends
from compose_core.config.merge import merge_documents
from compose_core.config.yaml_loader import Override, Reset
from compose_core.errors import ConfigError

MAIN = "/p/compose.yaml"


class FakeFiles:
    """`load_file` over an in-memory set of documents, counting the calls."""

    def __init__(self, documents: dict[str, dict]) -> None:
        self.documents = documents
        self.calls: list[str] = []

    def __call__(self, path: str) -> dict:
        self.calls.append(path)
        if path not in self.documents:
            raise ConfigError("the file does not exist", source=path)
        return self.documents[path]


def resolve(services: dict, files: FakeFiles | None = None) -> dict:
    loader = files if files is not None else FakeFiles({})
    doc = {"services": services}
    return resolve_extends(doc, source=MAIN, base_dir="/p", load_file=loader)["services"]


def port(target: int) -> dict:
    return {"mode": "ingress", "target": target, "published": str(target), "protocol": "tcp"}


def test_extends_same_file_merges_like_an_override() -> None:
    services = {
        "base": {
            "image": "busybox",
            "environment": {"A": "1", "B": "2"},
            "ports": [port(80), port(81)],
            "volumes": [
                {"type": "bind", "source": "/p/d", "target": "/data"},
                {"type": "volume", "target": "/x"},
            ],
            "dns": ["1.1.1.1"],
            "command": ["a", "b"],
            "cap_add": ["A"],
        },
        "web": {
            "extends": "base",
            "environment": {"B": "X"},
            "ports": [port(81), port(82)],
            "volumes": [{"type": "bind", "source": "/p/e", "target": "/data"}],
            "dns": ["1.1.1.1", "2.2.2.2"],
            "command": ["c"],
            "cap_add": ["A", "B"],
        },
    }

    web = resolve(services)["web"]

    assert web == {
        "image": "busybox",
        "environment": {"A": "1", "B": "X"},
        "ports": [port(80), port(81), port(82)],
        "volumes": [
            {"type": "bind", "source": "/p/e", "target": "/data"},
            {"type": "volume", "target": "/x"},
        ],
        "dns": ["1.1.1.1", "2.2.2.2"],
        "command": ["c"],
        "cap_add": ["A", "B"],
    }


@pytest.mark.parametrize(
    "extends", ["base", {"service": "base"}, {"service": "base", "file": None}]
)
def test_extends_forms_without_file_use_same_file(extends: object) -> None:
    services = {"base": {"image": "busybox"}, "web": {"extends": extends, "user": "root"}}

    assert resolve(services)["web"] == {"image": "busybox", "user": "root"}


def test_extends_chain_resolves_recursively() -> None:
    services = {
        "cli": {"extends": {"service": "common"}},
        "common": {"image": "busybox", "extends": {"service": "base"}},
        "base": {"image": "busybox", "user": "root"},
    }

    resolved = resolve(services)

    assert resolved["cli"] == {"image": "busybox", "user": "root"}
    assert resolved["common"] == {"image": "busybox", "user": "root"}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("depends_on", {"db": {}}),
        ("links", ["db"]),
        ("volumes_from", ["db"]),
        ("network_mode", "service:db"),
        ("profiles", ["p1"]),
        ("container_name", "cn"),
    ],
)
def test_extends_copies_every_attribute_as_v2(key: str, value: object) -> None:
    services = {"base": {"image": "busybox", key: value}, "web": {"extends": "base"}, "db": {}}

    assert resolve(services)["web"] == {"image": "busybox", key: value}


def test_extends_removes_extends_key_and_keeps_other_services() -> None:
    services = {
        "base": {"image": "busybox"},
        "web": {"extends": "base"},
        "plain": {"image": "x", "ports": Reset([])},
    }

    resolved = resolve(services)

    assert "extends" not in resolved["web"]
    assert resolved["plain"] == {"image": "x", "ports": Reset([])}


def test_extends_other_file_relative_to_base_dir_and_nested_files() -> None:
    files = FakeFiles(
        {
            "/p/other/o.yml": {
                "services": {
                    "remote": {
                        "extends": {"service": "deep", "file": "deeper/d.yml"},
                        "build": {"context": "/p/other/ctx"},
                        "environment": {"R": "1"},
                    }
                }
            },
            "/p/other/deeper/d.yml": {
                "services": {
                    "deep": {
                        "extends": "mid",
                        "volumes": [
                            {"type": "bind", "source": "/p/other/deeper/dd", "target": "/dd"}
                        ],
                    },
                    "mid": {"image": "deepimg", "environment": {"D": "1"}},
                }
            },
        }
    )
    services = {
        "web2": {"extends": {"service": "remote", "file": "other/o.yml"}, "environment": {"L": "1"}}
    }

    web2 = resolve(services, files)["web2"]

    assert web2 == {
        "image": "deepimg",
        "build": {"context": "/p/other/ctx"},
        "environment": {"D": "1", "R": "1", "L": "1"},
        "volumes": [{"type": "bind", "source": "/p/other/deeper/dd", "target": "/dd"}],
    }
    assert files.calls == ["/p/other/o.yml", "/p/other/deeper/d.yml"]


def test_extends_loads_each_file_once_per_call() -> None:
    files = FakeFiles({"/p/common.yml": {"services": {"a": {"image": "a"}, "b": {"image": "b"}}}})
    services = {
        "one": {"extends": {"service": "a", "file": "common.yml"}},
        "two": {"extends": {"service": "b", "file": "./common.yml"}},
        "three": {"extends": {"service": "a", "file": "/p/common.yml"}},
    }

    resolved = resolve(services, files)

    assert [resolved[n]["image"] for n in ("one", "two", "three")] == ["a", "b", "a"]
    assert files.calls == ["/p/common.yml"]


def test_extends_file_naming_the_same_file_uses_the_document() -> None:
    files = FakeFiles({})
    services = {
        "base": {"image": "busybox"},
        "web": {"extends": {"service": "base", "file": "compose.yaml"}},
    }

    assert resolve(services, files)["web"] == {"image": "busybox"}
    assert files.calls == []


@pytest.mark.parametrize(
    ("services", "message", "path"),
    [
        pytest.param(
            {"web": {"extends": "db", "image": "a"}},
            f"cannot extend service 'db' of {MAIN}: no such service",
            "services.web.extends",
            id="unknown-same-file",
        ),
        pytest.param(
            {"web": {"extends": "base"}, "base": {"extends": "web", "image": "b"}},
            "extends cycle: web -> base -> web",
            "services.web.extends",
            id="cycle",
        ),
        pytest.param(
            {"web": {"extends": "web", "image": "a"}},
            "extends cycle: web -> web",
            "services.web.extends",
            id="self",
        ),
        pytest.param(
            {"a": {"extends": "b"}, "b": {"extends": "c"}, "c": {"extends": "b"}},
            "extends cycle: a -> b -> c -> b",
            "services.a.extends",
            id="cycle-after-chain",
        ),
        pytest.param(
            {"web": {"extends": {"file": "x.yml"}}},
            "'extends' is a service name",
            "services.web.extends",
            id="no-service",
        ),
        pytest.param(
            {"web": {"extends": 3}},
            "'extends' is a service name",
            "services.web.extends",
            id="not-a-name",
        ),
        pytest.param(
            {"web": {"extends": "gone"}, "gone": Reset(None)},
            "no such service",
            "services.web.extends",
            id="reset-service",
        ),
    ],
)
def test_extends_bad_reference_raises_config_error(services: dict, message: str, path: str) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve(services)

    assert message in caught.value.reason
    assert caught.value.path == path
    assert caught.value.source == MAIN


def test_extends_unknown_service_in_other_file_names_that_file() -> None:
    files = FakeFiles({"/p/unk.yml": {"services": {"db": {"image": "x"}}}})
    services = {"web": {"extends": {"service": "x", "file": "unk.yml"}}}

    with pytest.raises(ConfigError) as caught:
        resolve(services, files)

    assert caught.value.reason == "cannot extend service 'x' of /p/unk.yml: no such service"
    assert caught.value.source == MAIN
    assert caught.value.path == "services.web.extends"
    assert caught.value.hint == "services defined there: db"


def test_extends_cycle_across_files_names_the_files() -> None:
    files = FakeFiles(
        {
            "/p/two.yml": {
                "services": {"web": {"extends": {"service": "web", "file": "compose.yaml"}}}
            }
        }
    )
    services = {"web": {"extends": {"service": "web", "file": "two.yml"}, "image": "a"}}

    with pytest.raises(ConfigError, match=r"extends cycle: web -> web \(/p/two.yml\) -> web"):
        resolve(services, files)


def test_extends_missing_file_error_from_loader_passes_through() -> None:
    services = {"web": {"extends": {"service": "x", "file": "missing.yml"}}}

    with pytest.raises(ConfigError, match="the file does not exist") as caught:
        resolve(services, FakeFiles({}))

    assert caught.value.source == "/p/missing.yml"


def test_extends_local_markers_stay_for_the_file_merge() -> None:
    earlier = {
        "services": {
            "web": {
                "image": "busybox",
                "ports": [port(70)],
                "labels": {"a": "1"},
                "environment": {"A": "1"},
            }
        }
    }
    later = {
        "base": {
            "image": "busybox",
            "ports": [port(80)],
            "labels": {"b": "1"},
            "environment": {"B": "1"},
        },
        "web": {
            "extends": "base",
            "ports": Reset([]),
            "labels": Override({"c": "1"}),
            "environment": {"C": "1"},
        },
    }

    resolved = resolve(later)
    merged = merge_documents(earlier, {"services": resolved}, source=MAIN)

    assert resolved["web"]["ports"] == Reset([])
    assert resolved["web"]["labels"] == Override({"c": "1"})
    assert merged["services"]["web"] == {
        "image": "busybox",
        "labels": {"c": "1"},
        "environment": {"A": "1", "B": "1", "C": "1"},
    }


def test_extends_markers_of_extended_service_applied_first() -> None:
    services = {
        "base": {"image": "busybox", "ports": Reset([]), "labels": Override({"a": "1"})},
        "web": {"extends": "base", "labels": {"b": "2"}},
    }

    assert resolve(services)["web"] == {"image": "busybox", "labels": {"a": "1", "b": "2"}}


def test_extends_local_override_and_reset_apply_to_extended_values() -> None:
    services = {
        "base": {
            "image": "busybox",
            "ports": [port(80)],
            "environment": {"A": "1", "B": "2"},
            "healthcheck": {"test": ["CMD", "x"], "interval": "5s"},
        },
        "web": {
            "extends": "base",
            "ports": Override([port(90)]),
            "environment": {"A": Reset(None)},
            "healthcheck": {"disable": True},
        },
    }

    web = resolve(services)["web"]

    assert merge_documents({}, {"services": {"web": web}}, source=MAIN)["services"]["web"] == {
        "image": "busybox",
        "ports": [port(90)],
        "environment": {"B": "2"},
        "healthcheck": {"test": ["CMD", "x"], "interval": "5s", "disable": True},
    }


def test_extends_service_wrapped_in_override_is_resolved_and_rewrapped() -> None:
    services = {"base": {"image": "busybox"}, "web": Override({"extends": "base", "user": "root"})}

    assert resolve(services)["web"] == Override({"image": "busybox", "user": "root"})


def test_extends_leaves_input_document_unchanged() -> None:
    doc = {
        "services": {
            "base": {"image": "busybox", "environment": {"A": "1"}},
            "web": {"extends": "base", "environment": {"B": "2"}},
        },
        "networks": {"front": {}},
    }
    before = copy.deepcopy(doc)

    result = resolve_extends(doc, source=MAIN, base_dir="/p", load_file=FakeFiles({}))
    result["services"]["base"]["environment"]["C"] = "3"

    assert doc == before
    assert result["networks"] == {"front": {}}
    assert result["services"]["web"] == {"image": "busybox", "environment": {"A": "1", "B": "2"}}


def test_extends_document_without_extends_is_returned_unchanged_and_uncopied() -> None:
    # Copying a 500-service file that extends nothing cost a fifth of `config`'s time.
    doc = {"networks": {"front": {}}, "services": {"web": {"image": "x"}}}

    result = resolve_extends(doc, source=MAIN, base_dir="/p", load_file=FakeFiles({}))

    assert result is doc
    assert result == {"networks": {"front": {}}, "services": {"web": {"image": "x"}}}
