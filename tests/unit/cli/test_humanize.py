"""Ports and durations in the Docker CLI's words, and in 1.29.2's."""

from __future__ import annotations

import pytest

from compose_core.cli.render.humanize import format_ports, format_ports_classic, human_duration


def port(private, protocol="tcp", ip=None, public=None):
    entry = {"PrivatePort": private, "Type": protocol}
    if ip is not None:
        entry.update(IP=ip, PublicPort=public)
    return entry


PUBLISHED = [
    port(9999, "udp", "::", 32768),
    port(80, "tcp", "127.0.0.1", 18555),
    port(9999, "udp", "0.0.0.0", 32768),
    port(7000),
    port(7001),
    port(7003),
    port(8080, "tcp", "0.0.0.0", 8080),
    port(8081, "tcp", "0.0.0.0", 8081),
]


def test_format_ports_merges_ranges_and_brackets_ipv6_as_the_docker_cli_does():
    assert format_ports(PUBLISHED) == (
        "7000-7001/tcp, 7003/tcp, 0.0.0.0:8080-8081->8080-8081/tcp, "
        "127.0.0.1:18555->80/tcp, 0.0.0.0:32768->9999/udp, [::]:32768->9999/udp"
    )


def test_format_ports_classic_lists_each_port_with_its_bindings_as_1_29_2_does():
    assert format_ports_classic(PUBLISHED) == (
        "7000/tcp, 7001/tcp, 7003/tcp, 127.0.0.1:18555->80/tcp, "
        "0.0.0.0:8080->8080/tcp, 0.0.0.0:8081->8081/tcp, "
        ":::32768->9999/udp,0.0.0.0:32768->9999/udp"
    )


@pytest.mark.parametrize(
    "seconds, words",
    [(0.5, "Less than a second"), (1, "1 second"), (59, "59 seconds"), (90, "About a minute")],
)
def test_human_duration_words(seconds, words):
    assert human_duration(seconds) == words
