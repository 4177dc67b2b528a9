"""Interpolation of Compose documents; expected values checked against Compose v2.40."""

from __future__ import annotations

import logging

import pytest

from compose_core.config.interpolation import (
    CAST_PATHS,
    VariableUse,
    find_variables,
    interpolate,
    interpolate_text,
)
from compose_core.config.yaml_loader import Override, Reset, load_yaml
from compose_core.errors import ConfigError

ENV = {"B": "bee", "E": "", "TAG": "1.2"}


def _one(text: str, env: dict[str, str] | None = None) -> object:
    return interpolate(text, ENV if env is None else env, source="f.yml")


def _service(doc_text: str, env: dict[str, str]) -> dict:
    doc = interpolate(load_yaml(doc_text, "f.yml"), env, source="f.yml")
    return doc["services"]["web"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("$B", "bee"),
        ("${B}", "bee"),
        ("pre${B}post", "prebeepost"),
        ("$B$B", "beebee"),
        ("$B.c", "bee.c"),
        ("${U:-dflt}", "dflt"),
        ("${E:-dflt}", "dflt"),
        ("${E-dflt}", ""),
        ("${U-dflt}", "dflt"),
        ("${B:-dflt}", "bee"),
        ("${U:-}", ""),
        ("${B:+alt}", "alt"),
        ("${E:+alt}", ""),
        ("${E+alt}", "alt"),
        ("${U+alt}", ""),
        ("${B?}", "bee"),
        ("${E?msg}", ""),
        ("${B:?x}y", "beey"),
        ("${a-b-c}", "b-c"),
        ("${U:-a:b}", "a:b"),
        ("${U:-x y}", "x y"),
    ],
)
def test_interpolate_operators_give_shell_like_values(text, expected):
    assert _one(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${U:-${V:-deep}}", "deep"),
        ("${U:-${B:-x}}", "bee"),
        ("${U:-$B}", "bee"),
        ("${B:+${B}x}", "beex"),
        ("${U:-${V:-${W:-deeper}}}", "deeper"),
        ("${U:-{x}y}", "{x}y"),
        ("${U:-{x}", "{x"),
        ("${U:-{{a}b}c", "{{a}bc"),
        ("${U:-${B}{x}", "bee{x"),
        ("${U:-a}b}", "ab}"),
        ("${B}{x}", "bee{x}"),
    ],
)
def test_interpolate_nested_and_braced_defaults_match_compose_v2(text, expected):
    assert _one(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$$B", "$B"),
        ("$$$B", "$bee"),
        ("$$$$", "$$"),
        ("${U:-$$}", "$"),
        ("$", "$"),
        ("a$", "a$"),
        ("$ {B}", "$ {B}"),
        ("$1A", "$1A"),
        ("$-x $@", "$-x $@"),
        ("$\u00c4B", "$\u00c4B"),
        ("x}{y", "x}{y"),
    ],
)
def test_interpolate_dollars_not_starting_a_name_stay_literal(text, expected):
    assert _one(text) == expected


def test_interpolate_unset_plain_variable_warns_once_and_gives_blank(caplog):
    with caplog.at_level(logging.WARNING, logger="compose_core.config.interpolation"):
        result = interpolate({"a": "$NOPE", "b": ["${NOPE}", "${NOPE2}"]}, {}, source="f.yml")

    assert result == {"a": "", "b": ["", ""]}
    messages = [record.getMessage() for record in caplog.records]
    assert messages == [
        'The "NOPE" variable is not set. Defaulting to a blank string.',
        'The "NOPE2" variable is not set. Defaulting to a blank string.',
    ]


def test_interpolate_shared_warned_set_warns_once_across_files(caplog):
    warned: set[str] = set()
    with caplog.at_level(logging.WARNING, logger="compose_core.config.interpolation"):
        interpolate("$NOPE", {}, source="a.yml", warned=warned)
        interpolate("$NOPE", {}, source="b.yml", warned=warned)

    assert len(caplog.records) == 1
    assert warned == {"NOPE"}


@pytest.mark.parametrize("text", ["${U:-x}", "${U-x}", "${U:+x}", "${U+x}", "${B:-$U}"])
def test_interpolate_variable_with_modifier_or_unused_branch_does_not_warn(text, caplog):
    with caplog.at_level(logging.WARNING, logger="compose_core.config.interpolation"):
        _one(text)
    assert caplog.records == []


@pytest.mark.parametrize(
    ("text", "env", "reason"),
    [
        ("${X:?must set X}", {}, "required variable X is missing a value: must set X"),
        ("${X:?must set X}", {"X": ""}, "required variable X is missing a value: must set X"),
        ("${X?}", {}, "required variable X is missing a value"),
        ("${X:?}", {}, "required variable X is missing a value"),
        ("${X:?a:b}", {}, "required variable X is missing a value: a:b"),
        ("${X:?${B} gone}", {"B": "bee"}, "required variable X is missing a value: bee gone"),
        ("${U:-${X:?inner}}", {}, "required variable X is missing a value: inner"),
    ],
)
def test_interpolate_missing_required_variable_raises_with_path(text, env, reason):
    doc = {"services": {"web": {"image": text}}}
    with pytest.raises(ConfigError) as raised:
        interpolate(doc, env, source="/p/compose.yaml")

    error = raised.value
    assert error.reason == reason
    assert error.source == "/p/compose.yaml"
    assert error.path == "services.web.image"
    assert "X" in error.hint


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("${X", "${X"),
        ("${A B}", "${A B}"),
        ("a${}b", "${}"),
        ("${A:=x}", "${A:=x}"),
        ("${A/foo/bar}", "${A/foo/bar}"),
        ("${1A}", "${1A}"),
        ("${A.B}", "${A.B}"),
        ("${A:}", "${A:}"),
        ("${A:x}", "${A:x}"),
        ("${:-x}", "${:-x}"),
        ("${U:-a${B}", "${B"),
        ("${B:-${C}", "${C"),
    ],
)
def test_interpolate_invalid_expression_raises_naming_the_string(text, fragment):
    doc = {"services": {"web": {"environment": {"K": text}}}}
    with pytest.raises(ConfigError) as raised:
        interpolate(doc, ENV, source="f.yml")

    error = raised.value
    assert error.reason.startswith("invalid interpolation format")
    assert repr(text) in error.reason
    assert repr(fragment) in error.reason or fragment == text
    assert "$$" in error.reason
    assert error.path == "services.web.environment.K"


@pytest.mark.parametrize(
    ("doc", "path"),
    [
        ({"services": {"web": {"ports": ["80", "${"]}}}, "services.web.ports[1]"),
        ({"x": [[1, {"y": "${"}]]}, "x[0][1].y"),
        ({"a": Reset(["${"])}, "a[0]"),
        ({1: {"b": "${"}}, "1.b"),
    ],
)
def test_interpolate_error_path_names_keys_and_list_indexes(doc, path):
    with pytest.raises(ConfigError) as raised:
        interpolate(doc, {}, source="f.yml")
    assert raised.value.path == path


def test_interpolate_mapping_keys_are_not_interpolated():
    result = interpolate({"labels": {"$B": "$B"}}, ENV, source="f.yml")
    assert result == {"labels": {"$B": "bee"}}


@pytest.mark.parametrize("wrapper", [Reset, Override])
def test_interpolate_reset_and_override_wrappers_are_rewrapped(wrapper):
    doc = {"services": {"web": {"ports": wrapper(["${B}"]), "scale": wrapper("${N}")}}}
    result = interpolate(doc, {"B": "bee", "N": "2"}, source="f.yml")

    ports = result["services"]["web"]["ports"]
    assert type(ports) is wrapper and ports.value == ["bee"]
    assert result["services"]["web"]["scale"] == wrapper(2)


def test_interpolate_returns_new_document_and_keeps_other_scalars():
    doc = {"a": ["$B", 1, 2.5, None, True], "b": {"c": "x"}}
    result = interpolate(doc, ENV, source="f.yml")

    assert result == {"a": ["bee", 1, 2.5, None, True], "b": {"c": "x"}}
    assert doc["a"][0] == "$B"
    assert result["b"] is not doc["b"]


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("privileged", "${V}", True),
        ("privileged", "TRUE", True),
        ("read_only", "off", False),
        ("tty", "Yes", True),
        ("init", "no", False),
        ("stdin_open", "On", True),
        ("scale", "${V}", 3),
        ("cpus", "${V}", 1.5),
        ("cpus", "2", 2),
        ("cpu_shares", "-5", -5),
        ("oom_score_adj", "-500", -500),
        ("mem_swappiness", "10", 10),
        ("pids_limit", "100", 100),
    ],
)
def test_interpolate_service_typed_keys_are_cast(key, value, expected):
    env = {"V": {"privileged": "true", "scale": "3", "cpus": "1.5"}.get(key, "")}
    result = interpolate({"services": {"web": {key: value}}}, env, source="f.yml")

    cast = result["services"]["web"][key]
    assert cast == expected and type(cast) is type(expected)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("privileged", "1"),
        ("privileged", "maybe"),
        ("scale", "three"),
        ("scale", "1.5"),
        ("cpus", "lots"),
        ("cpu_shares", "0x10"),
        ("cpu_rt_runtime", "1000us"),
    ],
)
def test_interpolate_uncastable_typed_value_stays_string(key, value):
    result = interpolate({"services": {"web": {key: value}}}, {}, source="f.yml")
    assert result["services"]["web"][key] == value


def test_interpolate_casts_nested_list_and_top_level_paths():
    text = """
services:
  web:
    ports: [{target: "${P}", published: "${P}"}, "${P}:80"]
    ulimits: {nproc: "${P}", nofile: {soft: "10", hard: "20"}}
    healthcheck: {retries: "3", disable: "false", interval: "10s"}
    deploy:
      replicas: "${P}"
      resources: {limits: {cpus: "0.5", memory: "512m"}}
    volumes:
      - {type: bind, source: /a, target: /b, read_only: "yes", bind: {create_host_path: "no"}}
    depends_on: {db: {condition: service_started, required: "false", restart: "true"}}
    labels: {num: "${P}", flag: "true"}
    environment: {FLAG: "true"}
networks:
  back: {external: "true", internal: "false"}
volumes:
  data: {external: "yes"}
"""
    doc = interpolate(load_yaml(text, "f.yml"), {"P": "80"}, source="f.yml")
    web = doc["services"]["web"]

    assert web["ports"] == [{"target": 80, "published": "80"}, "80:80"]
    assert web["ulimits"] == {"nproc": 80, "nofile": {"soft": 10, "hard": 20}}
    assert web["healthcheck"] == {"retries": 3, "disable": False, "interval": "10s"}
    assert web["deploy"] == {
        "replicas": 80,
        "resources": {"limits": {"cpus": 0.5, "memory": "512m"}},
    }
    assert web["volumes"][0]["read_only"] is True
    assert web["volumes"][0]["bind"] == {"create_host_path": False}
    assert web["depends_on"]["db"] == {
        "condition": "service_started",
        "required": False,
        "restart": True,
    }
    assert web["labels"] == {"num": "80", "flag": "true"}
    assert web["environment"] == {"FLAG": "true"}
    assert doc["networks"]["back"] == {"external": True, "internal": False}
    assert doc["volumes"]["data"] == {"external": True}


@pytest.mark.parametrize(
    ("key", "value"),
    [("mem_limit", "1024"), ("shm_size", "64"), ("expose", ["80"]), ("group_add", ["100"])],
)
def test_interpolate_byte_sizes_and_string_lists_are_not_cast(key, value):
    result = interpolate({"services": {"web": {key: value}}}, {}, source="f.yml")
    assert result["services"]["web"][key] == value


def test_interpolate_service_named_like_a_key_is_matched_by_wildcard():
    doc = {"services": {"scale": {"scale": "2"}, "services": {"tty": "true"}}}
    result = interpolate(doc, {}, source="f.yml")
    assert result == {"services": {"scale": {"scale": 2}, "services": {"tty": True}}}


def test_cast_paths_are_well_formed_and_unique():
    patterns = [pattern for pattern, _ in CAST_PATHS]
    assert len(patterns) == len(set(patterns))
    assert {type_name for _, type_name in CAST_PATHS} == {"boolean", "integer", "number"}
    top_level = {"services", "networks", "volumes", "secrets", "configs", "models"}
    assert all(pattern.split(".")[0] in top_level for pattern in patterns)


def test_interpolate_top_level_scalar_document():
    assert interpolate("${B}", ENV, source="f.yml") == "bee"
    assert interpolate(None, ENV, source="f.yml") is None


def test_interpolate_text_reports_line_and_key():
    with pytest.raises(ConfigError) as raised:
        interpolate_text("${X:?need it}", {}, source="/p/.env", path="A", line=3)

    error = raised.value
    assert (error.source, error.line, error.path) == ("/p/.env", 3, "A")
    assert str(error).startswith("/p/.env, line 3: A: required variable X")


@pytest.mark.parametrize(
    ("text", "expected"), [("$B-${U:-d}", "bee-d"), ("no dollar", "no dollar")]
)
def test_interpolate_text_expands_one_string(text, expected):
    assert interpolate_text(text, ENV) == expected


def test_interpolate_lazy_branch_does_not_require_untaken_variable():
    # Compose v2 evaluates both branches and fails here; a shell does not.
    assert _one("${B:-${X:?unused}}") == "bee"


def test_interpolate_many_services_is_fast():
    import time

    service = {
        "image": "app:${TAG}",
        "environment": {f"K{i}": f"v{i}" for i in range(20)},
        "ports": [{"target": "80"}],
        "deploy": {"replicas": "2"},
    }
    doc = {"services": {f"s{i}": dict(service) for i in range(500)}}

    started = time.perf_counter()
    result = interpolate(doc, ENV, source="f.yml")
    elapsed = time.perf_counter() - started

    assert result["services"]["s499"]["image"] == "app:1.2"
    assert result["services"]["s0"]["deploy"]["replicas"] == 2
    assert elapsed < 0.5


def test_find_variables_lists_every_variable_with_its_modifiers():
    doc = load_yaml(
        """
services:
  web:
    image: "${TAG:-latest}"
    command: "$A ${A:-x} ${B:?need b} ${C:+alt} ${D-dd} ${E?} ${F:-${G:-gg}} $$H"
    labels: {"$NOT_A_VALUE": "${TAG:-other}"}
""",
        "f.yml",
    )
    found = find_variables(doc)

    assert list(found) == ["TAG", "A", "B", "C", "D", "E", "F", "G"]
    assert found["TAG"] == VariableUse("TAG", default="latest")
    assert found["A"] == VariableUse("A", default="x")
    assert found["B"] == VariableUse("B", required=True)
    assert found["C"] == VariableUse("C", alternate="alt")
    assert found["D"] == VariableUse("D", default="dd")
    assert found["E"] == VariableUse("E", required=True)
    assert found["F"] == VariableUse("F", default="${G:-gg}")
    assert found["G"] == VariableUse("G", default="gg")


def test_find_variables_searches_wrappers_and_required_messages():
    doc = {"a": Override({"b": ["${X?$Y}"]}), "c": Reset("$Z")}
    assert set(find_variables(doc)) == {"X", "Y", "Z"}


def test_find_variables_invalid_expression_raises_with_path():
    with pytest.raises(ConfigError) as raised:
        find_variables({"services": {"web": {"image": "${"}}}, source="f.yml")
    assert raised.value.path == "services.web.image"
    assert raised.value.source == "f.yml"


def test_variable_use_is_frozen():
    use = VariableUse("A")
    with pytest.raises(AttributeError):
        use.name = "B"  # type: ignore[misc]
