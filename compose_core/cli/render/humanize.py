"""Durations and ports in the words the Docker CLI uses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def human_duration(seconds: float) -> str:
    """Like the Docker CLI's `RunningFor`: "Less than a second", "5 seconds", "2 hours"."""
    s = int(seconds)
    if s < 1:
        return "Less than a second"
    if s == 1:
        return "1 second"
    if s < 60:
        return f"{s} seconds"
    minutes = s // 60
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours = round(s / 3600)
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if hours < 24 * 7 * 2:
        return f"{hours // 24} days"
    if hours < 24 * 30 * 2:
        return f"{hours // 24 // 7} weeks"
    if hours < 24 * 365 * 2:
        return f"{hours // 24 // 30} months"
    return f"{hours // 24 // 365} years"


def format_ports(ports: Iterable[Mapping[str, Any]]) -> str:
    """Ports as the Docker CLI lists them: unpublished and same-number ports merged into
    ranges (`8000-8001/tcp`, `0.0.0.0:80-81->80-81/tcp`), other mappings one by one
    (`[::]:32768->9999/udp`)."""
    ranges: dict[tuple[str, str], list[list[int]]] = {}  # (ip, protocol) -> [first, last]
    mappings = []
    for port in sorted(ports, key=_port_order):
        private, ip = int(port.get("PrivatePort") or 0), port.get("IP") or ""
        protocol, public = port.get("Type") or "tcp", port.get("PublicPort")
        if ip and public != private:
            mappings.append(f"{_host(ip)}:{public}->{private}/{protocol}")
            continue
        runs = ranges.setdefault((ip, protocol), [])
        if runs and runs[-1][1] + 1 == private:
            runs[-1][1] = private
        else:
            runs.append([private, private])
    grouped = [
        _port_range(ip, protocol, first, last)
        for (ip, protocol), runs in ranges.items()
        for first, last in runs
    ]
    return ", ".join(grouped + mappings)


def format_ports_classic(ports: Iterable[Mapping[str, Any]]) -> str:
    """Ports as 1.29.2's `ps` shows them: by `port/protocol`, a port's bindings joined by
    commas (`0.0.0.0:8080->80/tcp,:::8080->80/tcp`), ports by `, `."""
    by_port: dict[str, list[str]] = {}
    for port in ports:
        private = f"{port.get('PrivatePort')}/{port.get('Type') or 'tcp'}"
        bindings = by_port.setdefault(private, [])
        if port.get("PublicPort"):
            bindings.append(f"{port.get('IP') or '0.0.0.0'}:{port['PublicPort']}->{private}")
    return ", ".join(",".join(by_port[key]) or key for key in sorted(by_port))


def _port_order(port: Mapping[str, Any]) -> tuple:
    return (
        int(port.get("PrivatePort") or 0),
        port.get("IP") or "",
        int(port.get("PublicPort") or 0),
        port.get("Type") or "",
    )


def _host(ip: str) -> str:
    return f"[{ip}]" if ":" in ip else ip


def _port_range(ip: str, protocol: str, first: int, last: int) -> str:
    numbers = str(first) if first == last else f"{first}-{last}"
    if ip:
        return f"{_host(ip)}:{numbers}->{numbers}/{protocol}"
    return f"{numbers}/{protocol}"
