"""Shell completion scripts for bash, zsh and fish, generated from the docopt usage.

The flags and commands come from the same texts docopt parses (the top-level usage
and each handler's docstring), so a script made by the running version never
lists a flag it does not have. Service names are asked of `config --services`
when the user presses TAB.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

from compose_core.cli.registry import COMMANDS, load_command

SHELLS = ("bash", "zsh", "fish")
PROGRAM = "docker-compose"
# Option arguments named like these complete as paths.
PATH_ARGUMENTS = re.compile(r"(FILE|PATH|DIR)$")
FLAG_NAME = re.compile(r"^--?[A-Za-z0-9][A-Za-z0-9-]*$")
OPTION_START = re.compile(r"^[ \t]*(?=-\S)", re.M)


@dataclass(frozen=True)
class Flag:
    """One option as the usage describes it: its names, its argument, one line of help."""

    short: str | None
    long: str | None
    argument: str | None
    summary: str

    @property
    def names(self) -> list[str]:
        return [name for name in (self.short, self.long) if name]

    @property
    def takes_path(self) -> bool:
        return bool(self.argument and PATH_ARGUMENTS.search(self.argument))


@dataclass(frozen=True)
class CommandSpec:
    name: str
    summary: str
    flags: list[Flag]
    positional: str | None  # "service", "command", "shell" or None


@dataclass(frozen=True)
class CliSpec:
    global_flags: list[Flag]
    commands: list[CommandSpec]


def cli_spec() -> CliSpec:
    """What the completion scripts offer, read from the usage texts."""
    from compose_core.cli.main import usage_text

    commands = []
    for name, entry in COMMANDS.items():
        doc = inspect.cleandoc(load_command(entry).__doc__ or "")
        commands.append(CommandSpec(name, entry.summary, parse_flags(doc), _positional(doc)))
    return CliSpec(parse_flags(usage_text()), commands)


def parse_flags(doc: str) -> list[Flag]:
    """The flags of a docopt text's "Options:" section, with docopt's own parser."""
    from docopt import Option

    section = _options_section(doc)
    flags = []
    for chunk in OPTION_START.split(section)[1:]:
        option = Option.parse(chunk.strip())
        names = [name for name in (option.short, option.longer) if name]
        if not all(FLAG_NAME.match(name) for name in names):
            continue  # a wrapped description line that happens to start with a dash
        described = re.split(r"\s{2,}", chunk.strip(), maxsplit=1)
        argument = _argument_name(described[0]) if option.argcount else None
        summary = described[1].splitlines()[0].strip() if len(described) > 1 else ""
        flags.append(Flag(option.short, option.longer, argument, summary))
    return flags


def _options_section(doc: str) -> str:
    match = re.search(r"^\s*options:", doc, re.M | re.I)
    if not match:
        return ""
    rest = doc[match.end() :]
    end = re.search(r"^\S", rest, re.M)  # the next unindented heading ends it
    return rest[: end.start()] if end else rest


def _argument_name(flags_text: str) -> str:
    words = re.split(r"[ ,]+", flags_text.strip())
    values = [word.partition("=")[2] if word.startswith("-") else word for word in words]
    values = [value for value in values if value]
    return values[-1] if values else "VALUE"


def _positional(doc: str) -> str | None:
    usage = doc[doc.lower().find("usage:") :].split("\n\n")[0]
    if re.search(r"\bSERVICE\b(?!=)", usage):
        return "service"
    if re.search(r"\bCOMMAND\b", usage):
        return "command"
    if re.search(r"\bSHELL\b", usage):
        return "shell"
    return None


def render(shell: str, spec: CliSpec | None = None) -> str:
    """The completion script for `shell` (one of SHELLS)."""
    spec = spec or cli_spec()
    renderers = {"bash": render_bash, "zsh": render_zsh, "fish": render_fish}
    return renderers[shell](spec)


# ---------------------------------------------------------------- bash


def render_bash(spec: CliSpec) -> str:
    names = " ".join(command.name for command in spec.commands)
    branches = "\n".join(_bash_branch(command) for command in spec.commands)
    return f"""\
# bash completion for {PROGRAM}, generated from its usage ({PROGRAM} completion bash).
_docker_compose_services() {{
    "${{COMP_WORDS[0]}}" "$@" config --services 2>/dev/null
}}

_docker_compose_has() {{
    local word="$1" candidate
    shift
    for candidate in "$@"; do
        [[ "$candidate" == "$word" ]] && return 0
    done
    return 1
}}

_docker_compose() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    local i command="" command_at=0
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${{COMP_WORDS[i]}}" in
            {_bash_alternatives(_valued(spec.global_flags))}) ((i++)) ;;
            -*) ;;
            *) command="${{COMP_WORDS[i]}}"; command_at=$i; break ;;
        esac
    done

    local flags valued paths positional
    if [[ -z "$command" ]]; then
        flags="{_bash_words(spec.global_flags)}"
        valued="{" ".join(_valued(spec.global_flags))}"
        paths="{" ".join(_paths(spec.global_flags))}"
        positional="{names}"
    else
        case "$command" in
{branches}
            *) return 0 ;;
        esac
    fi

    if _docker_compose_has "$prev" $paths; then
        COMPREPLY=($(compgen -f -- "$cur"))
    elif _docker_compose_has "$prev" $valued; then
        return 0
    elif [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$flags" -- "$cur"))
    elif [[ "$positional" == "@service" ]]; then
        local words
        words="$(_docker_compose_services "${{COMP_WORDS[@]:1:command_at-1}}")"
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
    else
        COMPREPLY=($(compgen -W "$positional" -- "$cur"))
    fi
}}

complete -F _docker_compose {PROGRAM}
"""


def _bash_branch(command: CommandSpec) -> str:
    positional = {
        "service": "@service",
        "command": " ".join(COMMANDS),
        "shell": " ".join(SHELLS),
        None: "",
    }[command.positional]
    flags = " ".join([*(name for flag in command.flags for name in flag.names), "-h", "--help"])
    return (
        f"            {command.name})\n"
        f'                flags="{flags}"\n'
        f'                valued="{" ".join(_valued(command.flags))}"\n'
        f'                paths="{" ".join(_paths(command.flags))}"\n'
        f'                positional="{positional}" ;;'
    )


def _bash_words(flags: list[Flag]) -> str:
    return " ".join(name for flag in flags for name in flag.names)


def _bash_alternatives(names: list[str]) -> str:
    # A pattern that matches none of the words when there is nothing to match.
    return "|".join(names) or "@none"


def _valued(flags: list[Flag]) -> list[str]:
    return [name for flag in flags if flag.argument for name in flag.names]


def _paths(flags: list[Flag]) -> list[str]:
    return [name for flag in flags if flag.takes_path for name in flag.names]


# ---------------------------------------------------------------- zsh


def render_zsh(spec: CliSpec) -> str:
    commands = "\n".join(
        f"        '{command.name}:{_zsh_text(command.summary)}'" for command in spec.commands
    )
    branches = "\n".join(_zsh_branch(command) for command in spec.commands)
    return f"""\
#compdef {PROGRAM}
# zsh completion for {PROGRAM}, generated from its usage ({PROGRAM} completion zsh).

_docker_compose_services() {{
    local -a services
    services=(${{(f)"$({PROGRAM} config --services 2>/dev/null)"}})
    _describe -t services 'service' services
}}

_docker_compose_commands() {{
    local -a commands
    commands=(
{commands}
    )
    _describe -t commands 'command' commands
}}

_docker_compose_has() {{
    local word="$1" candidate
    shift
    for candidate in "$@"; do
        [[ "$candidate" == "$word" ]] && return 0
    done
    return 1
}}

_docker_compose() {{
    local curcontext="$curcontext" state line
    typeset -A opt_args
    _arguments -C \\
{_zsh_specs(spec.global_flags)}
        '1: :_docker_compose_commands' \\
        '*:: :->arguments'
    case $state in
        arguments)
            curcontext="${{curcontext%:*:*}}:{PROGRAM}-$words[1]:"
            case $words[1] in
{branches}
            esac
            ;;
    esac
}}

_docker_compose "$@"
"""


def _zsh_branch(command: CommandSpec) -> str:
    positional = {
        "service": "'*:service:_docker_compose_services'",
        "command": "'1:command:_docker_compose_commands'",
        "shell": f"'1:shell:({' '.join(SHELLS)})'",
        None: "",
    }[command.positional]
    specs = _zsh_specs([*command.flags, Flag("-h", "--help", None, "Show this help")])
    return f"                {command.name})\n                    _arguments \\\n{specs}\n" + (
        f"                        {positional} ;;" if positional else "                        ;;"
    )


def _zsh_specs(flags: list[Flag]) -> str:
    lines = []
    for flag in flags:
        names = flag.names
        head = f"{{{','.join(names)}}}" if len(names) > 1 else names[0]
        spec = f"'*'{head}'[{_zsh_text(flag.summary)}]"
        if flag.argument:
            action = "_files" if flag.takes_path else " "
            spec += f":{flag.argument.lower()}:{action}"
        lines.append(f"        {spec}' \\")
    return "\n".join(lines)


def _zsh_text(text: str) -> str:
    # Brackets, colons, quotes and backslashes are syntax in _arguments specs.
    return re.sub(r"[\[\]:'`\\]", "", text)


# ---------------------------------------------------------------- fish


def render_fish(spec: CliSpec) -> str:
    lines = [
        f"# fish completion for {PROGRAM}, generated from its usage ({PROGRAM} completion fish).",
        "function __docker_compose_services",
        f"    {PROGRAM} config --services 2>/dev/null",
        "end",
        f"complete -c {PROGRAM} -f",
    ]
    top = "__fish_use_subcommand"
    lines += [_fish_flag(flag, top) for flag in spec.global_flags]
    for command in spec.commands:
        summary = _fish_text(command.summary)
        lines.append(f"complete -c {PROGRAM} -n {top} -a {command.name} -d {summary}")
    for command in spec.commands:
        lines += _fish_command(command)
    return "\n".join(lines) + "\n"


def _fish_command(command: CommandSpec) -> list[str]:
    condition = f"'__fish_seen_subcommand_from {command.name}'"
    lines = [_fish_flag(flag, condition) for flag in command.flags]
    if command.positional == "service":
        lines.append(f"complete -c {PROGRAM} -n {condition} -a '(__docker_compose_services)'")
    elif command.positional in ("command", "shell"):
        names = " ".join(COMMANDS if command.positional == "command" else SHELLS)
        lines.append(f"complete -c {PROGRAM} -n {condition} -a '{names}'")
    return lines


def _fish_flag(flag: Flag, condition: str) -> str:
    parts = [f"complete -c {PROGRAM} -n {condition}"]
    if flag.short:
        parts.append(f"-s {flag.short[1:]}")
    if flag.long:
        parts.append(f"-l {flag.long[2:]}")
    if flag.argument:
        parts.append("-r -F" if flag.takes_path else "-x")
    parts.append(f"-d {_fish_text(flag.summary)}")
    return " ".join(parts)


def _fish_text(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"
