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
    """`0.0.0.0:8080->80/tcp, :::8080->80/tcp, 9000/udp`, consecutive ports as ranges."""
    entries = []
    for port in sorted(
        ports, key=lambda p: (p.get("PrivatePort", 0), p.get("Type", ""), p.get("IP", ""))
    ):
        private = f"{port.get('PrivatePort')}/{port.get('Type', 'tcp')}"
        if port.get("PublicPort"):
            ip = port.get("IP") or "0.0.0.0"
            host = f"{ip}:" if ip != "::" else ":::"
            entries.append(f"{host}{port['PublicPort']}->{private}")
        else:
            entries.append(private)
    return ", ".join(dict.fromkeys(entries))
