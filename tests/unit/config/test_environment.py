"""Env file parsing and the project environment; expected values checked against Compose v2.40."""

from __future__ import annotations

import os

import pytest

from compose_core.config.environment import (
    Environment,
    load_project_environment,
    parse_env_file,
    parse_env_text,
)
from compose_core.errors import ConfigError

LOOKUP = {"PROC": "pp", "G": "from-os"}


def _parse(text: str, lookup: dict[str, str] | None = None) -> dict[str, str | None]:
    return parse_env_text(text, "/p/.env", LOOKUP if lookup is None else lookup)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A=1\n", {"A": "1"}),
        ("export B=2\n", {"B": "2"}),
        ("  export   A=1\n", {"A": "1"}),
        ("export=1\n", {"export": "1"}),
        ("  C = 3 \n", {"C": "3"}),
        ("P: yaml\n", {"P": "yaml"}),
        ("F=\n", {"F": ""}),
        ("A=a=b\n", {"A": "a=b"}),
        ("A=1 2\n", {"A": "1 2"}),
        ("A=  spaced  \n", {"A": "spaced"}),
        ("A=x\nA=y\n", {"A": "y"}),
        ("A.B=1\nA-B=2\n_x=3\n", {"A.B": "1", "A-B": "2", "_x": "3"}),
        ("A=x\r\nB=y\r\n", {"A": "x", "B": "y"}),
        ("\ufeffA=1\n", {"A": "1"}),
        ("A=1", {"A": "1"}),
    ],
)
def test_parse_env_text_assignments_give_values(text, expected):
    assert _parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# only a comment\n", {}),
        ("\n   \n\t\n", {}),
        ("  # indented comment\nA=1\n", {"A": "1"}),
        ("D=val # comment\n", {"D": "val"}),
        ("E=val#not-a-comment\n", {"E": "val#not-a-comment"}),
        ("A=#x\n", {"A": "#x"}),
        ("A=1 #\n", {"A": "1"}),
        ("A=x # c 'q'\n", {"A": "x"}),
        ('A=" # not"\n', {"A": " # not"}),
        ('A="x" # c\n', {"A": "x"}),
        ("A='x' # c\n", {"A": "x"}),
        ("export\n", {}),
    ],
)
def test_parse_env_text_comments_and_blank_lines_are_skipped(text, expected):
    assert _parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('H=" x "\n', " x "),
        ("I='lit $PROC \\n'\n", "lit $PROC \\n"),
        ("I='${PROC}'\n", "${PROC}"),
        ('J="a\\nb\\tc\\"d\\\\e"\n', 'a\nb\tc"d\\e'),
        ('J="x\\ry"\n', "x\ry"),
        ('J="\\$PROC \\q"\n', "$PROC \\q"),
        ('J="\\\\$PROC"\n', "\\pp"),
        ('K="multi\nline"\n', "multi\nline"),
        ('K="x\n\n  y"\n', "x\n\n  y"),
        ("K='multi\nline' # c\n", "multi\nline"),
        ('K="es\\"c" # c\n', 'es"c'),
        ("A='a\"b'\n", 'a"b'),
        ('A="a\'b"\n', "a'b"),
        ("A=''\n", ""),
        ('A=""\n', ""),
        ('A= "q"\n', "q"),
        ("A=x\\ny\n", "x\\ny"),
    ],
)
def test_parse_env_text_quotes_and_escapes_match_compose_v2(text, expected):
    key = text.partition("=")[0]
    assert _parse(text) == {key: expected}


@pytest.mark.parametrize(
    ("text", "lookup", "expected"),
    [
        ("L=${A}-$B-${ZZ:-def}\nA=1\n", {"A": "a", "B": "b"}, {"L": "a-b-def", "A": "1"}),
        ("A=1\nB=${A}x\n", {}, {"A": "1", "B": "1x"}),
        ("A=file\nB=${A}\n", {"A": "env"}, {"A": "file", "B": "env"}),
        ("B=${A}\nA=late\n", {}, {"B": "", "A": "late"}),
        ('A="${PROC:+set}"\n', {"PROC": "pp"}, {"A": "set"}),
        ("A=$PROC\n", {"PROC": "pp"}, {"A": "pp"}),
        ("A=a$$b\n", {}, {"A": "a$b"}),
        ("A=$\n", {}, {"A": "$"}),
        ("A=${B:-${C:-nest}}\n", {}, {"A": "nest"}),
    ],
)
def test_parse_env_text_interpolates_from_lookup_then_earlier_keys(text, lookup, expected):
    assert _parse(text, lookup) == expected


@pytest.mark.parametrize(
    ("text", "lookup", "expected"),
    [
        ("G\n", {"G": "from-os"}, {"G": "from-os"}),
        ("G\n", {}, {"G": None}),
        ("export G\n", {"G": "from-os"}, {"G": "from-os"}),
        ("G # comment\n", {}, {"G": None}),
    ],
)
def test_parse_env_text_lone_key_takes_lookup_value_or_none(text, lookup, expected):
    assert _parse(text, lookup) == expected


def test_parse_env_text_without_lookup_leaves_lone_key_unset():
    assert parse_env_text("G\nA=$G\n", "/p/.env") == {"G": None, "A": ""}


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("A=1\nA B\n", 2, "variable name cannot contain spaces"),
        ("A B=1\n", 1, "expected KEY=VALUE"),
        ("=1\n", 1, "has no variable name"),
        ("A$=1\n", 1, "'A$' is not a valid variable name"),
        ("'A'=1\n", 1, "is not a valid variable name"),
        ('A=1\nB="unterminated\nC=3\n', 2, "never closed"),
        ("A='unterm\n", 1, "never closed"),
        ('A="x" trailing\n', 1, "unexpected text 'trailing'"),
        ("A='it''s'\n", 1, "after the closing quote"),
        ("A=1\n\nB=${C\n", 3, "invalid interpolation format"),
        ("A=${B:?need B}\n", 1, "required variable B is missing a value: need B"),
    ],
)
def test_parse_env_text_bad_line_raises_with_source_and_line(text, line, fragment):
    with pytest.raises(ConfigError) as raised:
        parse_env_text(text, "/p/.env", {})

    error = raised.value
    assert fragment in error.reason
    assert (error.source, error.line) == ("/p/.env", line)


def test_parse_env_file_reads_utf8_file_with_bom(tmp_path):
    path = tmp_path / "app.env"
    path.write_bytes("\ufeffNAME=caf\u00e9\nREF=${NAME}!\n".encode())
    assert parse_env_file(str(path)) == {"NAME": "caf\u00e9", "REF": "caf\u00e9!"}


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda p: None, "does not exist"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b"A=\xff\xfe\n"), "not UTF-8"),
    ],
)
def test_parse_env_file_unreadable_file_raises_naming_path(tmp_path, make, fragment):
    path = tmp_path / "bad.env"
    make(path)

    with pytest.raises(ConfigError) as raised:
        parse_env_file(str(path))
    assert fragment in raised.value.reason
    assert raised.value.source == str(path)


def test_environment_process_values_win_over_file_values():
    env = Environment({"A": "file", "B": "file"}, {"A": "os", "C": "os"})

    assert dict(env) == {"A": "os", "B": "file", "C": "os"}
    assert env["A"] == "os" and env.get("B") == "file" and env.get("Z") is None
    assert "C" in env and "Z" not in env and len(env) == 3
    assert dict(env.file_values) == {"A": "file", "B": "file"}
    assert dict(env.os_values) == {"A": "os", "C": "os"}


def test_environment_is_read_only_and_copies_its_inputs():
    files = {"A": "1"}
    env = Environment(files, {})
    files["A"] = "changed"

    assert env["A"] == "1"
    with pytest.raises(TypeError):
        env.file_values["A"] = "x"  # type: ignore[index]
    with pytest.raises(TypeError):
        env["A"] = "x"  # type: ignore[index]
    with pytest.raises(KeyError):
        env["missing"]


def test_environment_from_files_later_file_wins_and_sees_earlier(tmp_path):
    first = tmp_path / "one.env"
    second = tmp_path / "two.env"
    first.write_text("A=one\nKEEP=1\n")
    second.write_text("A=two\nB=${KEEP}-2\nG\n")

    env = Environment.from_files([str(first), str(second)], {"G": "os"})

    assert dict(env.file_values) == {"A": "two", "KEEP": "1", "B": "1-2", "G": "os"}
    assert env["G"] == "os"


def test_environment_from_files_skips_lone_keys_not_in_os(tmp_path):
    path = tmp_path / ".env"
    path.write_text("ONLY_NAME\nA=1\n")
    env = Environment.from_files([str(path)], {})
    assert dict(env) == {"A": "1"}


def test_load_project_environment_reads_dotenv_of_project(tmp_path):
    (tmp_path / ".env").write_text("TAG=1.0\nHOME=from-file\n")
    env = load_project_environment(str(tmp_path), None, {"HOME": "/root"})
    assert env["TAG"] == "1.0" and env["HOME"] == "/root"


@pytest.mark.parametrize("make_dotenv", [False, True])
def test_load_project_environment_without_dotenv_file_uses_os_only(tmp_path, make_dotenv):
    if make_dotenv:
        (tmp_path / ".env").mkdir()  # a directory is not an env file; Compose ignores it
    env = load_project_environment(str(tmp_path), None, {"X": "1"})
    assert dict(env) == {"X": "1"} and dict(env.file_values) == {}


def test_load_project_environment_env_files_replace_dotenv(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("A=dotenv\n")
    (tmp_path / "e1").write_text("A=one\nB=b1\n")
    (tmp_path / "e2").write_text("A=two\n")
    monkeypatch.chdir(tmp_path)

    env = load_project_environment(str(tmp_path / "elsewhere"), ["e1", "e2"], {})

    assert dict(env) == {"A": "two", "B": "b1"}


def test_load_project_environment_empty_env_file_list_reads_nothing(tmp_path):
    (tmp_path / ".env").write_text("A=dotenv\n")
    assert dict(load_project_environment(str(tmp_path), [], {})) == {}


def test_load_project_environment_missing_env_file_names_flag(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as raised:
        load_project_environment(str(tmp_path), ["nope.env"], {})

    message = raised.value.reason
    assert f"env file {os.path.join(str(tmp_path), 'nope.env')} not found" in message
    assert "--env-file" in message
