"""Global options of the command line, merged with the COMPOSE_* environment."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from compose_core import const
from compose_core.errors import UsageError

ANSI_CHOICES = ("never", "always", "auto")
PROGRESS_CHOICES = ("auto", "tty", "plain", "json", "quiet")
# The numbers of the logging module's levels; importing it here would slow `version`.
LOG_LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40, "CRITICAL": 50}


class TLSOptions(NamedTuple):
    tls: bool = False
    verify: bool = False
    ca_cert: str | None = None
    cert: str | None = None
    key: str | None = None
    skip_hostname_check: bool = False


class GlobalOptions(NamedTuple):
    """Everything before the command name, resolved against the environment."""

    files: tuple[str, ...] = ()
    project_name: str | None = None
    project_dir: str | None = None
    env_files: tuple[str, ...] | None = None
    profiles: tuple[str, ...] = ()
    compatibility: bool = False
    ansi: str = "auto"
    progress: str = "auto"
    parallel: int | None = None
    dry_run: bool = False
    log_level: int = LOG_LEVELS["WARNING"]
    verbose: bool = False
    host: str | None = None
    tls: TLSOptions = TLSOptions()
    environ: Mapping[str, str] = {}

    @classmethod
    def from_docopt(cls, raw: Mapping[str, Any], environ: Mapping[str, str] | None = None):
        environ = dict(os.environ) if environ is None else environ
        ansi = "never" if raw["--no-ansi"] else raw["--ansi"]
        _check_choice("--ansi", ansi, ANSI_CHOICES)
        _check_choice("--progress", raw["--progress"], PROGRESS_CHOICES)
        compatibility = bool(raw["--compatibility"]) or _truthy(
            environ.get(const.ENV_COMPATIBILITY, "")
        )
        return cls(
            files=tuple(raw["--file"]),
            project_name=raw["--project-name"],
            project_dir=raw["--project-directory"],
            env_files=tuple(raw["--env-file"]) or None,
            profiles=tuple(raw["--profile"]),
            compatibility=compatibility,
            ansi=ansi,
            progress=raw["--progress"],
            parallel=_positive_int("--parallel", raw["--parallel"]),
            dry_run=bool(raw["--dry-run"]),
            log_level=_log_level(raw["--log-level"], bool(raw["--verbose"])),
            verbose=bool(raw["--verbose"]),
            host=raw["--host"],
            tls=TLSOptions(
                tls=bool(raw["--tls"]),
                verify=bool(raw["--tlsverify"]),
                ca_cert=raw["--tlscacert"],
                cert=raw["--tlscert"],
                key=raw["--tlskey"],
                skip_hostname_check=bool(raw["--skip-hostname-check"]),
            ),
            environ=environ,
        )

    def load_options(self, *, targets: Sequence[str] = (), interpolate: bool = True, **extra):
        """The loader's options for a command of this invocation."""
        from compose_core.config.loader import LoadOptions

        return LoadOptions(
            files=self.files,
            project_name=self.project_name,
            project_dir=self.project_dir,
            env_files=self.env_files,
            profiles=self.profiles,
            interpolate=interpolate,
            compatibility=self.compatibility,
            cwd=os.getcwd(),
            environ=self.environ,
            targets=tuple(targets),
            **extra,
        )


def _truthy(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


def _check_choice(flag: str, value: str, choices: Sequence[str]) -> None:
    if value not in choices:
        raise UsageError(f"invalid {flag} value {value!r}; expected one of {', '.join(choices)}")


def _positive_int(flag: str, value: str | None) -> int | None:
    if value is None:
        return None
    if not value.isdigit() or int(value) < 1:
        raise UsageError(f"invalid {flag} value {value!r}; expected a whole number above 0")
    return int(value)


def _log_level(value: str | None, verbose: bool) -> int:
    if value is None:
        return LOG_LEVELS["DEBUG"] if verbose else LOG_LEVELS["WARNING"]
    name = value.upper()
    if name == "WARN":
        name = "WARNING"
    if name not in LOG_LEVELS:
        raise UsageError(f"invalid --log-level {value!r}; expected one of {', '.join(LOG_LEVELS)}")
    return LOG_LEVELS[name]
