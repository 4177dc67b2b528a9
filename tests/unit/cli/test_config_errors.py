"""Bad input to the loader: one clear paragraph naming file and key, exit 1, no traceback.

Each case writes a small project, runs the CLI in-process on `config` and
checks the message. The CLI never reaches the engine here.
"""

from __future__ import annotations

import pytest

from support.cli import run_cli, write_files

BASE = "services:\n  web:\n    image: busybox\n"


CASES = {
    # YAML itself
    "yaml_syntax": ({"compose.yaml": "services:\n  web: [1\n"}, ["compose.yaml", "line", "YAML"]),
    "yaml_tab": (
        {"compose.yaml": "services:\n  web:\n\timage: x\n"},
        ["compose.yaml", "line 3", "tab"],
    ),
    "duplicate_key": (
        {"compose.yaml": "services:\n  web:\n    image: a\n    image: b\n"},
        ["compose.yaml", "line 4", "'image'", "twice"],
    ),
    "duplicate_service": (
        {"compose.yaml": "services:\n  web:\n    image: a\n  web:\n    image: b\n"},
        ["compose.yaml", "line 4", "'web'", "twice"],
    ),
    "empty_file": ({"compose.yaml": ""}, ["compose.yaml", "empty"]),
    "comments_only": ({"compose.yaml": "# nothing here\n"}, ["compose.yaml", "empty"]),
    "top_level_list": ({"compose.yaml": "- web\n- db\n"}, ["compose.yaml", "mapping", "list"]),
    "top_level_scalar": ({"compose.yaml": "hello\n"}, ["compose.yaml", "mapping"]),
    "binary_file": ({"compose.yaml": b"\x7fELF\x00\x01\x02"}, ["compose.yaml", "not a text file"]),
    "not_utf8": ({"compose.yaml": b"services: \xff\xfe\n"}, ["compose.yaml", "not a text file"]),
    # Schema
    "unknown_top_level_key": (
        {"compose.yaml": "servics:\n  web:\n    image: x\nservices: {}\n"},
        ["compose.yaml", "'servics'", "did you mean 'services'"],
    ),
    "unknown_service_key": (
        {"compose.yaml": "services:\n  web:\n    imag: x\n"},
        ["compose.yaml", "line 2", "services.web", "'imag'", "'image'"],
    ),
    "services_is_list": (
        {"compose.yaml": "services:\n  - web\n"},
        ["compose.yaml", "services", "a mapping"],
    ),
    "image_wrong_type": (
        {"compose.yaml": "services:\n  web:\n    image: [a, b]\n"},
        ["compose.yaml", "services.web.image", "a string"],
    ),
    "ports_not_a_list": (
        {"compose.yaml": "services:\n  web:\n    image: x\n    ports: {a: 1}\n"},
        ["compose.yaml", "services.web.ports", "a list"],
    ),
    "environment_value_list": (
        {"compose.yaml": "services:\n  web:\n    image: x\n    environment:\n      A: [1]\n"},
        ["compose.yaml", "services.web.environment.A"],
    ),
    "depends_on_bad_condition": (
        {
            "compose.yaml": BASE
            + "    depends_on:\n      db: {condition: ready}\n  db:\n    image: x\n"
        },
        ["compose.yaml", "services.web.depends_on.db.condition", "service_healthy"],
    ),
    "invalid_service_name": (
        {"compose.yaml": "services:\n  'my web':\n    image: x\n"},
        ["compose.yaml", "'my web'", "letters, digits"],
    ),
    "restart_wrong_type": (
        {"compose.yaml": BASE + "    privileged: [yes]\n"},
        ["compose.yaml", "services.web.privileged", "boolean"],
    ),
    # Versions
    "unknown_version": (
        {"compose.yaml": 'version: "5"\n' + BASE},
        ["compose.yaml", "version", "'5'", "2.0 to 2.4"],
    ),
    "version_one": (
        {"compose.yaml": 'version: "1"\n' + BASE},
        ["compose.yaml", "version", "top level"],
    ),
    "version_not_string": (
        {"compose.yaml": "version: 3.8\n" + BASE},
        ["compose.yaml", "version", "string", '"3.8"'],
    ),
    # Values
    "bad_port": (
        {"compose.yaml": BASE + "    ports: ['80:80:80:80']\n"},
        ["compose.yaml", "services.web.ports[0]", "80:80:80:80"],
    ),
    "bad_port_word": (
        {"compose.yaml": BASE + "    ports: ['http']\n"},
        ["compose.yaml", "services.web.ports[0]", "http"],
    ),
    "bad_port_protocol": (
        {"compose.yaml": BASE + "    ports: ['80:80/xyz']\n"},
        ["compose.yaml", "services.web.ports[0]", "xyz"],
    ),
    "bad_duration": (
        {
            "compose.yaml": BASE
            + "    healthcheck:\n      test: [CMD, 'true']\n      interval: 10x\n"
        },
        ["compose.yaml", "services.web.healthcheck.interval", "10x"],
    ),
    "bad_stop_grace_period": (
        {"compose.yaml": BASE + "    stop_grace_period: soon\n"},
        ["compose.yaml", "services.web.stop_grace_period", "soon"],
    ),
    "bad_byte_size": (
        {"compose.yaml": BASE + "    mem_limit: 12zz\n"},
        ["compose.yaml", "services.web.mem_limit", "12zz"],
    ),
    "bad_shm_size": (
        {"compose.yaml": BASE + "    shm_size: lots\n"},
        ["compose.yaml", "services.web.shm_size", "lots"],
    ),
    # Interpolation and environment
    "required_variable_unset": (
        {"compose.yaml": "services:\n  web:\n    image: ${IMAGE:?}\n"},
        ["compose.yaml", "services.web.image", "IMAGE"],
    ),
    "required_variable_message": (
        {"compose.yaml": "services:\n  web:\n    image: ${IMAGE?set IMAGE to the tag}\n"},
        ["compose.yaml", "services.web.image", "IMAGE", "set IMAGE to the tag"],
    ),
    "bad_interpolation": (
        {"compose.yaml": "services:\n  web:\n    image: ${IMAGE\n"},
        ["compose.yaml", "services.web.image", "${IMAGE"],
    ),
    "missing_env_file": (
        {"compose.yaml": BASE + "    env_file: web.env\n"},
        ["compose.yaml: services.web.env_file[0]", "web.env", "does not exist"],
    ),
    "bad_dotenv_line": (
        {"compose.yaml": BASE, ".env": "GOOD=1\nthis is not a pair\n"},
        [".env", "line 2"],
    ),
    # extends and include
    "extends_cycle": (
        {
            "compose.yaml": "services:\n  a:\n    image: x\n    extends: b\n"
            "  b:\n    image: x\n    extends: a\n"
        },
        ["compose.yaml", "cycle", "a", "b"],
    ),
    "extends_unknown_service": (
        {"compose.yaml": "services:\n  a:\n    extends: nothere\n"},
        ["compose.yaml", "services.a.extends", "nothere"],
    ),
    "extends_missing_file": (
        {"compose.yaml": "services:\n  a:\n    extends: {file: base.yaml, service: b}\n"},
        ["base.yaml"],
    ),
    "include_cycle": (
        {
            "compose.yaml": "include: [other.yaml]\n" + BASE,
            "other.yaml": "include: [compose.yaml]\nservices:\n  o:\n    image: x\n",
        },
        ["include", "cycle"],
    ),
    "include_missing_file": (
        {"compose.yaml": "include: [nothere.yaml]\n" + BASE},
        ["compose.yaml", "include[0]", "nothere.yaml"],
    ),
    # References
    "depends_on_unknown": (
        {"compose.yaml": BASE + "    depends_on: [db]\n"},
        ["compose.yaml", "services.web.depends_on", "'db'", "not defined"],
    ),
    "depends_on_cycle": (
        {
            "compose.yaml": "services:\n  a:\n    image: x\n    depends_on: [b]\n"
            "  b:\n    image: x\n    depends_on: [a]\n"
        },
        ["compose.yaml", "cycle", "a -> b -> a"],
    ),
    "links_unknown": (
        {"compose.yaml": BASE + "    links: [db]\n"},
        ["compose.yaml", "services.web.links", "'db'"],
    ),
    "volumes_from_unknown": (
        {"compose.yaml": BASE + "    volumes_from: [data]\n"},
        ["compose.yaml", "services.web.volumes_from", "'data'"],
    ),
    "network_mode_unknown_service": (
        {"compose.yaml": BASE + "    network_mode: service:vpn\n"},
        ["compose.yaml", "services.web.network_mode", "'vpn'"],
    ),
    "undefined_network": (
        {"compose.yaml": BASE + "    networks: [back]\n"},
        ["compose.yaml", "services.web.networks", "'back'", "top-level 'networks'"],
    ),
    "undefined_volume": (
        {"compose.yaml": BASE + "    volumes: ['data:/data']\n"},
        ["compose.yaml", "services.web.volumes[0]", "'data'", "top-level 'volumes'"],
    ),
    "undefined_secret": (
        {"compose.yaml": BASE + "    secrets: [token]\n"},
        ["compose.yaml", "services.web.secrets[0]", "'token'"],
    ),
    "undefined_config": (
        {"compose.yaml": BASE + "    configs: [conf]\n"},
        ["compose.yaml", "services.web.configs[0]", "'conf'"],
    ),
    "no_image_no_build": (
        {"compose.yaml": "services:\n  web:\n    command: sleep 1\n"},
        ["compose.yaml", "services.web", "neither an image nor a build"],
    ),
    "network_mode_and_networks": (
        {
            "compose.yaml": BASE
            + "    network_mode: host\n    networks: [back]\nnetworks:\n  back: {}\n"
        },
        ["compose.yaml", "services.web", "network_mode", "networks"],
    ),
    "disabled_dependency": (
        {
            "compose.yaml": BASE
            + "    depends_on: [db]\n  db:\n    image: x\n    profiles: [debug]\n"
        },
        ["compose.yaml", "services.web.depends_on", "'db'", "debug", "--profile"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_config_bad_input_reports_one_clear_error(tmp_path, case):
    files, expected = CASES[case]
    write_files(tmp_path, files)

    status, out, err = run_cli(["config"], str(tmp_path))

    assert status == 1, err
    assert out == ""
    assert "Traceback" not in err
    for fragment in expected:
        assert fragment in err, f"{fragment!r} missing from: {err}"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-f", "missing.yaml", "config"], ["missing.yaml", "does not exist"]),
        (["-f", "compose.yaml/inner", "config"], ["compose.yaml/inner", "cannot read"]),
        (["-f", "adir", "config"], ["adir", "directory"]),
        (["--env-file", "nothere.env", "config"], ["nothere.env", "--env-file"]),
        (["-p", "Bad Name!", "config"], ["invalid project name", "Bad Name!"]),
        (["config", "--format", "toml"], ["--format", "yaml or json"]),
        (["config", "nosuchservice"], ["no such service", "nosuchservice"]),
        (["--ansi", "sometimes", "config"], ["--ansi", "never"]),
        (["nosuchcommand"], ["No such command: nosuchcommand"]),
        (["config", "--bogus"], ["unknown flag: --bogus", "Usage: config"]),
    ],
)
def test_cli_bad_arguments_exit_1_with_a_clear_line(tmp_path, args, expected):
    write_files(tmp_path, {"compose.yaml": BASE})
    (tmp_path / "adir").mkdir()

    status, out, err = run_cli(args, str(tmp_path))

    assert status == 1, err
    assert "Traceback" not in err
    for fragment in expected:
        assert fragment in err, f"{fragment!r} missing from: {err}"


def test_config_without_any_file_says_where_it_looked(tmp_path):
    status, _, err = run_cli(["config"], str(tmp_path))

    assert status == 1
    assert "no configuration file provided" in err
    assert "compose.yaml" in err and str(tmp_path) in err


def test_config_optional_env_file_missing_is_not_an_error(tmp_path):
    write_files(
        tmp_path,
        {
            "compose.yaml": BASE
            + "    env_file:\n      - path: maybe.env\n        required: false\n"
        },
    )

    status, out, err = run_cli(["config"], str(tmp_path))

    assert status == 0, err
    assert "image: busybox" in out
