"""Typed calls to the engine. docker SDK errors become EngineErrors here, and only here."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Mapping
from typing import IO, Any

from compose_core.errors import EngineError, EngineUnreachable

log = logging.getLogger(__name__)


class NotFound(EngineError):
    """The engine has no such object."""


class Conflict(EngineError):
    """The object exists already, or is in a state that forbids the call."""


@contextlib.contextmanager
def engine_errors(action: str, base_url: str = "the configured address") -> Iterator[None]:
    """Translate what the SDK raises into our errors, saying what we were doing."""
    import requests.exceptions
    from docker import errors

    try:
        yield
    except errors.NotFound as err:
        raise NotFound(f"{action}: {_explanation(err)}") from None
    except errors.APIError as err:
        status = getattr(err, "status_code", None)
        kind = Conflict if status == 409 else EngineError
        raise kind(f"{action}: {_explanation(err)}") from None
    except (requests.exceptions.ConnectionError, FileNotFoundError, ConnectionError) as err:
        log.debug("%s: %s", action, err)
        raise EngineUnreachable(
            f"Cannot connect to the Docker daemon at {base_url}. Is the docker daemon running?",
            hint="If it listens elsewhere, set DOCKER_HOST or pass -H.",
        ) from None
    except requests.exceptions.ReadTimeout:
        raise EngineError(
            f"{action}: the Docker engine did not answer in time",
            hint="Raise COMPOSE_HTTP_TIMEOUT, or check the engine's load.",
        ) from None
    except errors.DockerException as err:
        raise EngineError(f"{action}: {err}") from None


def _log_frames(raw: Any, tty: bool) -> Iterator[tuple[int, bytes]]:
    """The log body as (stream, bytes): a TTY's output is one raw stream (stdout); other
    output comes in frames of an 8-byte header (stream, size) and the bytes. Reads take
    whatever has arrived (`read1`), so frames are parsed in bulk, yet nothing waits."""
    import struct

    buffer = b""
    for chunk in _body(raw):
        if tty:
            yield 1, chunk
            continue
        buffer += chunk
        offset, current, pieces = 0, 0, []
        while len(buffer) - offset >= 8:
            stream, size = struct.unpack_from(">BxxxL", buffer, offset)
            if len(buffer) - offset - 8 < size:
                break
            if stream != current and pieces:
                yield current, b"".join(pieces)  # consecutive frames of a stream go as one
                pieces = []
            current = stream
            pieces.append(buffer[offset + 8 : offset + 8 + size])
            offset += 8 + size
        if pieces:
            yield current, b"".join(pieces)
        buffer = buffer[offset:]


def _body(raw: Any) -> Iterator[bytes]:
    """The response body in the pieces that have arrived. The engine sends every log line
    as its own HTTP chunk; undoing the chunked encoding here, over whole reads, costs a
    fraction of reading it chunk by chunk through http.client."""
    response = getattr(raw, "_fp", None)
    stream = getattr(response, "fp", None)
    if not getattr(response, "chunked", False) or response.chunk_left is not None or not stream:
        while chunk := raw.read1(1 << 16):
            yield chunk
        return
    pending = b""
    while True:
        data = stream.read1(1 << 16)
        if not data:
            return
        pending += data
        pieces, offset = [], 0
        while True:
            end = pending.find(b"\r\n", offset)
            if end < 0:
                break
            size = int(pending[offset:end].split(b";", 1)[0], 16)
            if size == 0:
                if pieces:
                    yield b"".join(pieces)
                return
            if len(pending) < end + 2 + size + 2:
                break
            pieces.append(pending[end + 2 : end + 2 + size])
            offset = end + 2 + size + 2
        pending = pending[offset:]
        if pieces:
            yield b"".join(pieces)


def _explanation(err: Any) -> str:
    explanation = getattr(err, "explanation", None)
    if isinstance(explanation, bytes):
        explanation = explanation.decode(errors="replace")
    return str(explanation or err).strip()


class Gateway:
    """The engine calls compose_core makes, over one low-level SDK client."""

    def __init__(self, api: Any, base_url: str = "the configured address") -> None:
        self.api = api
        self.base_url = base_url

    def _errors(self, action: str) -> Any:
        return engine_errors(action, self.base_url)

    # Engine

    def version(self) -> Mapping[str, Any]:
        with self._errors("asking the engine for its version"):
            return self.api.version()

    def info(self) -> Mapping[str, Any]:
        with self._errors("asking the engine for its state"):
            return self.api.info()

    # Containers

    def containers(self, labels: list[str], *, all: bool = True) -> list[dict[str, Any]]:
        """Container summaries (the list call's form) carrying every label in `labels`."""
        with self._errors("listing containers"):
            return self.api.containers(all=all, filters={"label": labels})

    def inspect_container(self, ident: str) -> dict[str, Any]:
        with self._errors(f"inspecting container {ident}"):
            return self.api.inspect_container(ident)

    def create_container(
        self, name: str, body: Mapping[str, Any], platform: str | None = None
    ) -> str:
        """Create from an Engine API body; returns the new ID."""
        params = {"name": name, **({"platform": platform} if platform else {})}
        with self._errors(f"creating container {name}"):
            url = self.api._url("/containers/create")
            response = self.api._post_json(url, data=dict(body), params=params)
            return self.api._result(response, True)["Id"]

    def start(self, ident: str, *, name: str | None = None) -> None:
        with self._errors(f"starting container {name or ident}"):
            self.api.start(ident)

    def stop(self, ident: str, timeout: int | None = None, *, name: str | None = None) -> None:
        with self._errors(f"stopping container {name or ident}"):
            if timeout is None:
                self.api.stop(ident)
            else:
                self.api.stop(ident, timeout=timeout)

    def kill(self, ident: str, signal: str | int | None = None, *, name: str | None = None) -> None:
        with self._errors(f"killing container {name or ident}"):
            self.api.kill(ident, signal=signal)

    def restart(self, ident: str, timeout: int | None = None, *, name: str | None = None) -> None:
        with self._errors(f"restarting container {name or ident}"):
            self.api.restart(ident, timeout=10 if timeout is None else timeout)

    def pause(self, ident: str, *, name: str | None = None) -> None:
        with self._errors(f"pausing container {name or ident}"):
            self.api.pause(ident)

    def unpause(self, ident: str, *, name: str | None = None) -> None:
        with self._errors(f"unpausing container {name or ident}"):
            self.api.unpause(ident)

    def remove_container(
        self, ident: str, *, force: bool = False, volumes: bool = False, name: str | None = None
    ) -> None:
        with self._errors(f"removing container {name or ident}"):
            self.api.remove_container(ident, v=volumes, force=force)

    def rename(self, ident: str, name: str) -> None:
        with self._errors(f"renaming container {ident} to {name}"):
            self.api.rename(ident, name)

    def wait(self, ident: str, timeout: float | None = None) -> int:
        with self._errors(f"waiting for container {ident}"):
            return int(self.api.wait(ident, timeout=timeout)["StatusCode"])

    def put_archive(
        self, ident: str, directory: str, archive: bytes | IO[bytes], *, name: str | None = None
    ) -> None:
        """Extract a tar archive (bytes, or a file read to its end) into `directory` of a
        container (which must exist)."""
        with self._errors(f"copying files into container {name or ident} at {directory}"):
            self.api.put_archive(ident, directory, archive)

    def connect(self, network: str, ident: str, endpoint: Mapping[str, Any]) -> None:
        with self._errors(f"connecting container {ident} to network {network}"):
            url = self.api._url("/networks/{0}/connect", network)
            body = {"Container": ident, "EndpointConfig": dict(endpoint)}
            self.api._raise_for_status(self.api._post_json(url, data=body))

    def disconnect(self, network: str, ident: str, *, force: bool = False) -> None:
        with self._errors(f"disconnecting container {ident} from network {network}"):
            self.api.disconnect_container_from_network(ident, network, force=force)

    # Logs, attaching and exec

    def log_frames(
        self, ident: str, *, tty: bool, follow: bool, params: Mapping[str, Any], name: str
    ) -> Iterator[tuple[int, bytes]]:
        """(stream, bytes) frames of a container's log; stream is 1 (stdout) or 2 (stderr)."""
        query = {"stdout": 1, "stderr": 1, "follow": int(follow), **params}
        action = f"reading the logs of container {name}"
        with self._errors(action):
            url = self.api._url("/containers/{0}/logs", ident)
            response = self.api._get(url, params=query, stream=True, timeout=None)
            self.api._raise_for_status(response)
        return self._guarded(_log_frames(response.raw, tty), action)

    def _guarded(self, frames: Iterator, action: str) -> Iterator:
        with self._errors(action):
            yield from frames

    def attach_socket(self, ident: str, *, stdin: bool, logs: bool = False, name: str) -> Any:
        """The raw socket of an attach to the container's streams (before or after start)."""
        params = {"stdin": int(stdin), "stdout": 1, "stderr": 1, "stream": 1, "logs": int(logs)}
        with self._errors(f"attaching to container {name}"):
            return self.api.attach_socket(ident, params=params)

    def resize(self, ident: str, height: int, width: int) -> None:
        with self._errors(f"resizing the terminal of container {ident}"):
            self.api.resize(ident, height=height, width=width)

    def exec_create(self, ident: str, body: Mapping[str, Any], *, name: str) -> str:
        with self._errors(f"running a command in container {name}"):
            url = self.api._url("/containers/{0}/exec", ident)
            return self.api._result(self.api._post_json(url, data=dict(body)), True)["Id"]

    def exec_socket(self, exec_id: str, *, tty: bool, detach: bool = False) -> Any:
        with self._errors("starting a command in a container"):
            return self.api.exec_start(exec_id, detach=detach, tty=tty, socket=not detach)

    def exec_resize(self, exec_id: str, height: int, width: int) -> None:
        with self._errors("resizing the terminal of a command"):
            self.api.exec_resize(exec_id, height=height, width=width)

    def exec_exit_code(self, exec_id: str) -> int | None:
        with self._errors("reading the exit status of a command"):
            return self.api.exec_inspect(exec_id).get("ExitCode")

    def events(self, filters: Mapping[str, Any], since: float | None = None) -> Any:
        """Decoded engine events matching `filters`, as they happen: an iterator that
        blocks, with `close()` to end it from another thread."""
        with self._errors("reading the engine's events"):
            return self.api.events(since=since, filters=dict(filters), decode=True)

    # Networks

    def networks(self, *, names: list[str] | None = None, labels: list[str] | None = None):
        filters: dict[str, Any] = {}
        if names:
            filters["name"] = names
        if labels:
            filters["label"] = labels
        with self._errors("listing networks"):
            return self.api.networks(filters=filters)

    def inspect_network(self, ident: str) -> dict[str, Any]:
        with self._errors(f"inspecting network {ident}"):
            return self.api.inspect_network(ident)

    def create_network(self, body: Mapping[str, Any]) -> str:
        with self._errors(f"creating network {body['Name']}"):
            url = self.api._url("/networks/create")
            response = self.api._post_json(url, data=dict(body))
            return self.api._result(response, True)["Id"]

    def remove_network(self, ident: str) -> None:
        with self._errors(f"removing network {ident}"):
            self.api.remove_network(ident)

    # Volumes

    def volumes(self, labels: list[str] | None = None) -> list[dict[str, Any]]:
        filters = {"label": labels} if labels else None
        with self._errors("listing volumes"):
            return self.api.volumes(filters=filters).get("Volumes") or []

    def inspect_volume(self, name: str) -> dict[str, Any]:
        with self._errors(f"inspecting volume {name}"):
            return self.api.inspect_volume(name)

    def create_volume(self, name: str, driver: str | None, options: Mapping, labels: Mapping):
        with self._errors(f"creating volume {name}"):
            return self.api.create_volume(
                name, driver=driver, driver_opts=dict(options) or None, labels=dict(labels)
            )

    def remove_volume(self, name: str, *, force: bool = False) -> None:
        with self._errors(f"removing volume {name}"):
            self.api.remove_volume(name, force=force)

    # Images

    def inspect_image(self, name: str) -> dict[str, Any]:
        with self._errors(f"inspecting image {name}"):
            return self.api.inspect_image(name)

    def image_exists(self, name: str) -> bool:
        try:
            self.inspect_image(name)
        except NotFound:
            return False
        return True

    def build_image(self, context: Any, params: Mapping[str, Any], *, name: str) -> Iterator:
        """Decoded JSON lines of a classic build of a tar context; `params` are the SDK's
        build keywords. A failing step arrives as an `error` line, not an exception."""
        with self._errors(f"building image {name}"):
            lines = self.api.build(fileobj=context, custom_context=True, decode=True, **params)
        return self._image_stream(lines, f"building image {name}")

    def pull_image(self, image: str, *, platform: str | None = None) -> Iterator:
        """Decoded progress lines of a pull; credentials come from ~/.docker/config.json."""
        repository, tag = split_tag(image)
        with self._errors(f"pulling image {image}"):
            lines = self.api.pull(repository, tag=tag, stream=True, decode=True, platform=platform)
        return self._image_stream(lines, f"pulling image {image}")

    def push_image(self, image: str) -> Iterator:
        """Decoded progress lines of a push; credentials come from ~/.docker/config.json."""
        repository, tag = split_tag(image)
        with self._errors(f"pushing image {image}"):
            lines = self.api.push(repository, tag=tag, stream=True, decode=True)
        return self._image_stream(lines, f"pushing image {image}")

    def _image_stream(self, lines: Iterator, action: str) -> Iterator:
        with self._errors(action):
            yield from lines

    def tag_image(self, image: str, target: str) -> None:
        repository, tag = split_tag(target)
        with self._errors(f"tagging image {image} as {target}"):
            self.api.tag(image, repository, tag=tag)

    def remove_image(self, name: str, *, force: bool = False) -> None:
        with self._errors(f"removing image {name}"):
            self.api.remove_image(name, force=force)

    # Inspection

    def top(self, ident: str, *, name: str) -> dict[str, Any]:
        """The container's processes: {"Titles": [...], "Processes": [[...], ...]}."""
        with self._errors(f"listing the processes of container {name}"):
            return self.api.top(ident)

    def stats_sample(self, ident: str, *, name: str) -> dict[str, Any]:
        """One stats sample; the engine fills `precpu_stats` with the sample before it."""
        with self._errors(f"reading the resource usage of container {name}"):
            return self.api.stats(ident, stream=False)

    def path_stat(self, ident: str, path: str, *, name: str) -> dict[str, Any] | None:
        """What `path` is in the container (name, size, mode, linkTarget), None if absent."""
        import base64
        import json

        with self._errors(f"looking up {path} in container {name}"):
            url = self.api._url("/containers/{0}/archive", ident)
            response = self.api.head(url, params={"path": path})
            if response.status_code == 404:
                return None
            self.api._raise_for_status(response)
        header = response.headers.get("X-Docker-Container-Path-Stat") or "e30="
        return json.loads(base64.b64decode(header))

    def get_archive(self, ident: str, path: str, *, name: str) -> tuple[Iterator[bytes], dict]:
        """A tar stream of `path` in the container, and what `path` is."""
        with self._errors(f"copying {path} out of container {name}"):
            chunks, stat = self.api.get_archive(ident, path)
        return self._guarded(chunks, f"copying {path} out of container {name}"), stat


def split_tag(image: str) -> tuple[str, str | None]:
    """`repo[:tag][@digest]` -> (repository, tag or digest); a port is not a tag."""
    if "@" in image:
        repository, digest = image.split("@", 1)
        return repository, digest
    repository, _, tag = image.rpartition(":")
    if not repository or "/" in tag:
        return image, "latest"
    return repository, tag
