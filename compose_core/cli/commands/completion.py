"""`completion`: print a shell completion script."""

from __future__ import annotations

from typing import Any

from compose_core.cli.console import Console
from compose_core.cli.settings import GlobalOptions
from compose_core.errors import UsageError


def completion(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Print a shell completion script, made from this version's usage texts.

    Usage: completion SHELL

    SHELL is bash, zsh or fish. To install:
      bash: docker-compose completion bash > /etc/bash_completion.d/docker-compose
      zsh:  docker-compose completion zsh > "${fpath[1]}/_docker-compose"
      fish: docker-compose completion fish > ~/.config/fish/completions/docker-compose.fish
    """
    from compose_core.cli import completion as generator

    shell = args["SHELL"]
    if shell not in generator.SHELLS:
        raise UsageError(
            f"cannot make a completion script for {shell!r}: "
            f"the shells supported are {', '.join(generator.SHELLS)}"
        )
    console.out(generator.render(shell).rstrip("\n"))
    return 0
