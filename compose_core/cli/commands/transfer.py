"""`cp`: files between a service container and the local filesystem."""

from __future__ import annotations

import os
from typing import Any

from compose_core.cli.commands import common
from compose_core.cli.commands.inspect import ProjectView
from compose_core.cli.console import Console
from compose_core.cli.settings import GlobalOptions
from compose_core.errors import UsageError, UserError

_DIRECTORY_MODE = 1 << 31  # Go's os.ModeDir, as the engine reports a path's mode


def cp(options: GlobalOptions, args: dict[str, Any], console: Console) -> int:
    """Copy files or folders between a service container and the local filesystem.

    Usage:
      cp [options] SERVICE:SRC_PATH DEST_PATH
      cp [options] SRC_PATH SERVICE:DEST_PATH

    Options:
      --index N          Which container of the service, when it has several [default: 1]
      -a, --archive      Keep the owners (UID:GID) of the copied files
      -L, --follow-link  Follow a symbolic link given as SRC_PATH
    """
    source, dest = args["SERVICE:SRC_PATH"] or args["SRC_PATH"], args["DEST_PATH"]
    dest = dest or args["SERVICE:DEST_PATH"]
    from_service, source_path = _split(source)
    to_service, dest_path = _split(dest)
    if bool(from_service) == bool(to_service):
        raise UsageError(
            "cp copies between one service and the local filesystem: "
            "name the service on exactly one side, as SERVICE:PATH"
        )
    index = common.index_flag(args["--index"])
    view = ProjectView(options, [from_service or to_service])
    container = view.numbered(from_service or to_service, index)
    copy = _FromContainer if from_service else _IntoContainer
    shown_source = f"{container.name}:{source_path}" if from_service else source_path
    shown_dest = dest_path if from_service else f"{container.name}:{dest_path}"
    console.err(f" {container.name} copy {shown_source} to {shown_dest} Copying")
    copy(view.gateway, container, args).run(source_path, dest_path)
    console.err(f" {container.name} copy {shown_source} to {shown_dest} Copied")
    return 0


def _split(argument: str) -> tuple[str, str]:
    """`web:/etc` -> ("web", "/etc"); a local path (even with a colon after a slash,
    or starting with one) has no service."""
    service, sep, path = argument.partition(":")
    if not sep or not service or "/" in service or service in (".", ".."):
        return "", argument
    if not path:
        raise UsageError(f"invalid {argument!r}: give a path after {service}:")
    return service, path


class _FromContainer:
    def __init__(self, gateway: Any, container: Any, args: dict[str, Any]) -> None:
        self.gateway = gateway
        self.container = container
        self.archive = bool(args["--archive"])
        self.follow_link = bool(args["--follow-link"])

    def run(self, source: str, dest: str) -> None:
        from compose_core.ops.archive import extract, landing

        stat = self._stat(source)
        if self.follow_link and stat.get("linkTarget"):
            source_stat = self._stat(stat["linkTarget"])
            fetched = stat["linkTarget"]
        else:
            source_stat, fetched = stat, source
        is_dir = bool(int(source_stat.get("mode") or 0) & _DIRECTORY_MODE)
        kind = "dir" if os.path.isdir(dest) else "file" if os.path.lexists(dest) else None
        if kind is None and not os.path.isdir(os.path.dirname(os.path.abspath(dest))):
            raise UserError(f"no such directory: {os.path.dirname(os.path.abspath(dest))}")
        target = landing(source, is_dir, dest, kind, where="here")
        chunks, _ = self.gateway.get_archive(self.container.id, fetched, name=self.container.name)
        extract(chunks, target, archive=self.archive)

    def _stat(self, path: str) -> dict[str, Any]:
        stat = self.gateway.path_stat(self.container.id, path, name=self.container.name)
        if stat is None:
            raise UserError(f"no such file or directory in container {self.container.name}: {path}")
        return stat


class _IntoContainer:
    def __init__(self, gateway: Any, container: Any, args: dict[str, Any]) -> None:
        self.gateway = gateway
        self.container = container
        self.archive = bool(args["--archive"])
        self.follow_link = bool(args["--follow-link"])

    def run(self, source: str, dest: str) -> None:
        from compose_core.ops.archive import landing, local_archive

        if not os.path.lexists(source):
            raise UserError(f"no such file or directory: {source}")
        followed = os.path.realpath(source) if self.follow_link else source
        is_dir = os.path.isdir(followed) and (self.follow_link or not os.path.islink(source))
        where = f"in container {self.container.name}"
        target = landing(source, is_dir, dest, self._kind(dest), where=where)
        if self._kind(target.directory) != "dir":
            raise UserError(f"no such directory {target.directory} {where}")
        with local_archive(
            source, target.name, follow_link=self.follow_link, archive=self.archive
        ) as data:
            self.gateway.put_archive(
                self.container.id, target.directory, data, name=self.container.name
            )

    def _kind(self, path: str) -> str | None:
        stat = self.gateway.path_stat(self.container.id, path, name=self.container.name)
        if stat is None:
            return None
        return "dir" if int(stat.get("mode") or 0) & _DIRECTORY_MODE else "file"
