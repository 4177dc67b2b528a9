"""A low-level docker SDK client for the engine the options and environment name."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from compose_core.errors import EngineUnreachable

API_VERSION = "1.41"
DEFAULT_TIMEOUT = 120


def open_gateway(options: Any) -> Any:
    """The Gateway for the CLI's global options (host, TLS, environment)."""
    from compose_core.engine.gateway import Gateway

    environ = options.environ or os.environ
    base_url = options.host or environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"
    timeout = int(environ.get("COMPOSE_HTTP_TIMEOUT") or DEFAULT_TIMEOUT)
    api = connect(options.host, environ=environ, tls=options.tls, timeout=timeout)
    return Gateway(api, base_url)


def connect(
    host: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    tls: Any = None,
    timeout: int = DEFAULT_TIMEOUT,
) -> Any:
    """An APIClient for `host` (else DOCKER_HOST, else the local socket).

    TLS follows DOCKER_TLS_VERIFY / DOCKER_CERT_PATH unless the TLS flags say otherwise.
    """
    from docker.api.client import APIClient
    from docker.errors import DockerException
    from docker.tls import TLSConfig

    environ = os.environ if environ is None else environ
    base_url = host or environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"
    tls_config: Any = False
    try:
        tls_config = _tls_config(tls, environ, TLSConfig)
        if tls_config and base_url.startswith("tcp://"):
            base_url = "https://" + base_url[len("tcp://") :]
        return APIClient(
            base_url=base_url,
            version=environ.get("DOCKER_API_VERSION") or API_VERSION,
            timeout=timeout,
            tls=tls_config,
            max_pool_size=64,
        )
    except DockerException as err:
        raise EngineUnreachable(
            f"cannot set up a connection to the Docker engine at {base_url}: {err}",
            hint="Check DOCKER_HOST, -H and the TLS options.",
        ) from None


def _tls_config(tls: Any, environ: Mapping[str, str], tls_class: Any) -> Any:
    verify = bool(getattr(tls, "verify", False)) or environ.get("DOCKER_TLS_VERIFY", "") not in (
        "",
        "0",
    )
    enabled = verify or bool(getattr(tls, "tls", False))
    cert_path = environ.get("DOCKER_CERT_PATH") or os.path.join(os.path.expanduser("~"), ".docker")
    ca = getattr(tls, "ca_cert", None) or _existing(cert_path, "ca.pem")
    cert = getattr(tls, "cert", None) or _existing(cert_path, "cert.pem")
    key = getattr(tls, "key", None) or _existing(cert_path, "key.pem")
    if not enabled and not getattr(tls, "cert", None):
        return False
    return tls_class(
        client_cert=(cert, key) if cert and key else None,
        ca_cert=ca if verify else None,
        verify=ca if verify and ca else verify,
        assert_hostname=False if getattr(tls, "skip_hostname_check", False) else None,
    )


def _existing(directory: str, name: str) -> str | None:
    path = os.path.join(directory, name)
    return path if os.path.exists(path) else None
