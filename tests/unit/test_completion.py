"""The completion generator: flags read from docopt texts, scripts for three shells."""

from __future__ import annotations

import subprocess

import pytest
from docopt import parse_options

from compose_core.cli import completion
from compose_core.cli.completion import CliSpec, CommandSpec, Flag, cli_spec, parse_flags
from compose_core.cli.main import usage_text
from compose_core.cli.registry import COMMANDS

SAMPLE = """Do a thing.

Usage: thing [options] [SERVICE...]

Options:
  -f, --file FILE        Read this file's "text" [default: x]
  --scale SERVICE=NUM    Scale it: a [bracket] and `code`
  -q                     Quiet, even about the
                         --scale) asked for
"""


def test_parse_flags_reads_names_arguments_and_first_summary_line() -> None:
    flags = parse_flags(SAMPLE)

    assert flags == [
        Flag("-f", "--file", "FILE", 'Read this file\'s "text" [default: x]'),
        Flag(None, "--scale", "SERVICE=NUM", "Scale it: a [bracket] and `code`"),
        Flag("-q", None, None, "Quiet, even about the"),
    ]
    assert [flag.takes_path for flag in flags] == [True, False, False]


def test_cli_spec_has_every_command_and_every_flag_docopt_parses() -> None:
    spec = cli_spec()

    assert [command.name for command in spec.commands] == list(COMMANDS)
    docopt_names = {o.longer or o.short for o in parse_options(usage_text().split("Options:")[1])}
    assert {flag.long or flag.short for flag in spec.global_flags} == docopt_names


def sample_spec() -> CliSpec:
    return CliSpec(
        [Flag("-f", "--file", "FILE", "Compose file"), Flag(None, "--verbose", None, "More")],
        [CommandSpec("up", "Start [all] the 'things'", parse_flags(SAMPLE), "service")],
    )


@pytest.mark.parametrize("shell", completion.SHELLS)
def test_render_names_every_flag_and_command(shell: str) -> None:
    script = completion.render(shell, sample_spec())

    for word in ("up", "file", "verbose", "scale"):
        assert word in script


def test_render_bash_is_valid_bash() -> None:
    script = completion.render("bash", sample_spec())

    result = subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True)

    assert result.returncode == 0, result.stderr


def test_render_zsh_strips_spec_syntax_from_summaries() -> None:
    script = completion.render("zsh", sample_spec())

    assert "[Scale it a bracket and code]" in script
    assert "'up:Start all the things'" in script


def test_render_fish_escapes_quotes() -> None:
    script = completion.render("fish", sample_spec())

    assert "-d 'Read this file\\'s \"text\" [default: x]'" in script
