"""The `config` command and the global options that choose the files and the project."""

from __future__ import annotations

import json

import pytest
import yaml

from support.cli import run_cli, write_files

TWO = """\
services:
  web:
    image: web:${TAG:-1}
    depends_on: [db]
    volumes: [data:/data]
    profiles: [front]
  db:
    build: ./db
volumes:
  data: {}
"""


@pytest.fixture
def project(tmp_path):
    write_files(tmp_path, {"compose.yaml": TWO, "db/Dockerfile": "FROM scratch\n"})
    return tmp_path


def test_config_services_lists_active_services(project):
    status, out, _ = run_cli(["config", "--services"], str(project))
    assert status == 0
    assert out == "db\n"


def test_config_profile_flag_activates_service(project):
    _, out, _ = run_cli(["--profile", "front", "config", "--services"], str(project))
    assert sorted(out.split()) == ["db", "web"]


def test_config_compose_profiles_env_activates_service(project):
    _, out, _ = run_cli(["config", "--services"], str(project), env={"COMPOSE_PROFILES": "front"})
    assert sorted(out.split()) == ["db", "web"]


def test_config_profiles_lists_every_profile(project):
    _, out, _ = run_cli(["config", "--profiles"], str(project))
    assert out == "front\n"


def test_config_images_names_built_images_after_project(project):
    _, out, _ = run_cli(["--profile", "front", "config", "--images"], str(project))
    assert sorted(out.split()) == [f"{project.name.lower()}-db", "web:1"]


def test_config_volumes_lists_used_volumes(project):
    _, out, _ = run_cli(["--profile", "front", "config", "--volumes"], str(project))
    assert out == "data\n"


def test_config_hash_is_stable_and_changes_with_the_service(project):
    _, first, _ = run_cli(["config", "--hash", "db"], str(project))
    _, again, _ = run_cli(["config", "--hash", "*"], str(project))
    name, digest = first.split()
    assert name == "db" and len(digest) == 64
    assert again == first
    (project / "compose.yaml").write_text(TWO.replace("build: ./db", "build: ./db\n    user: x"))
    _, changed, _ = run_cli(["config", "--hash", "db"], str(project))
    assert changed != first


def test_config_quiet_prints_nothing_and_succeeds(project):
    status, out, err = run_cli(["config", "-q"], str(project))
    assert (status, out, err) == (0, "", "")


def test_config_json_is_the_same_model(project):
    _, text, _ = run_cli(["--profile", "front", "config"], str(project))
    _, data, _ = run_cli(["--profile", "front", "config", "--format", "json"], str(project))
    assert json.loads(data) == yaml.safe_load(text)


def test_config_no_interpolate_keeps_variables(project):
    _, out, _ = run_cli(["--profile", "front", "config", "--no-interpolate"], str(project))
    assert "image: web:${TAG:-1}" in out


def test_config_output_writes_file(project):
    status, out, _ = run_cli(["config", "-o", "resolved.yaml"], str(project))
    assert status == 0 and out == ""
    assert yaml.safe_load((project / "resolved.yaml").read_text())["services"]["db"]


def test_config_env_file_flag_replaces_dotenv(project):
    write_files(project, {".env": "TAG=from-dotenv\n", "other.env": "TAG=from-flag\n"})
    _, dotenv, _ = run_cli(["--profile", "front", "config", "--images"], str(project))
    _, flag, _ = run_cli(
        ["--env-file", "other.env", "--profile", "front", "config", "--images"], str(project)
    )
    assert "web:from-dotenv" in dotenv
    assert "web:from-flag" in flag


def test_config_process_environment_wins_over_dotenv(project):
    write_files(project, {".env": "TAG=from-dotenv\n"})
    _, out, _ = run_cli(
        ["--profile", "front", "config", "--images"], str(project), env={"TAG": "from-shell"}
    )
    assert "web:from-shell" in out


def test_config_reads_stdin_with_dash(project, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("services:\n  s:\n    image: from-stdin\n"))
    _, out, err = run_cli(["-f", "-", "config", "--images"], str(project))
    assert out == "from-stdin\n", err


def test_config_finds_file_in_a_parent_directory(project):
    deep = project / "a" / "b"
    deep.mkdir(parents=True)
    _, out, _ = run_cli(["config", "--services"], str(deep))
    assert out == "db\n"


def test_config_override_file_is_merged(project):
    write_files(project, {"compose.override.yaml": "services:\n  db:\n    user: nobody\n"})
    _, out, _ = run_cli(["config"], str(project))
    assert yaml.safe_load(out)["services"]["db"]["user"] == "nobody"


def test_config_compose_file_env_with_separator(project):
    write_files(project, {"extra.yaml": "services:\n  db:\n    user: extra\n"})
    _, out, _ = run_cli(
        ["config"],
        str(project),
        env={"COMPOSE_FILE": "compose.yaml;extra.yaml", "COMPOSE_PATH_SEPARATOR": ";"},
    )
    assert yaml.safe_load(out)["services"]["db"]["user"] == "extra"


@pytest.mark.parametrize(
    ("args", "env", "name"),
    [
        (["-p", "chosen"], {}, "chosen"),
        ([], {"COMPOSE_PROJECT_NAME": "fromenv"}, "fromenv"),
        (["-p", "flag"], {"COMPOSE_PROJECT_NAME": "fromenv"}, "flag"),
    ],
)
def test_config_project_name_precedence(project, args, env, name):
    _, out, _ = run_cli([*args, "config"], str(project), env=env)
    assert yaml.safe_load(out)["name"] == name


def test_config_top_level_name_beats_directory(project):
    (project / "compose.yaml").write_text("name: fromfile\n" + TWO)
    _, out, _ = run_cli(["config"], str(project))
    assert yaml.safe_load(out)["name"] == "fromfile"


def test_config_directory_name_is_normalized(tmp_path):
    directory = tmp_path / "My Project.v2"
    write_files(directory, {"compose.yaml": "services:\n  a:\n    image: x\n"})
    _, today, _ = run_cli(["config"], str(directory))
    _, classic, _ = run_cli(["--compatibility", "config"], str(directory))
    assert yaml.safe_load(today)["name"] == "myprojectv2"
    assert yaml.safe_load(classic)["name"] == "myprojectv2"


def test_config_project_directory_flag_moves_relative_paths(project):
    other = project / "elsewhere"
    other.mkdir()
    _, out, _ = run_cli(
        ["-f", "compose.yaml", "--project-directory", "elsewhere", "config"], str(project)
    )
    assert yaml.safe_load(out)["services"]["db"]["build"]["context"] == str(other / "db")


def test_version_forms():
    status, out, _ = run_cli(["version", "--short"], "/")
    _, pretty, _ = run_cli(["version"], "/")
    _, as_json, _ = run_cli(["version", "--format", "json"], "/")
    _, classic, _ = run_cli(["--compatibility", "version"], "/")
    assert status == 0
    assert pretty == f"compose_core version v{out.strip()}\n"
    assert json.loads(as_json) == {"version": f"v{out.strip()}"}
    assert classic.startswith(f"docker-compose version {out.strip()}, build")


def test_help_lists_commands_and_command_help_shows_usage():
    _, top, _ = run_cli(["help"], "/")
    status, sub, _ = run_cli(["config", "--help"], "/")
    assert "config " in top and "version " in top
    assert status == 0 and sub.splitlines()[2].startswith("Usage: config")
