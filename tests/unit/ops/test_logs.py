"""Log lines: splitting the engine's byte stream, times for --since, the printed prefix."""

from __future__ import annotations

import io

import pytest

from compose_core.cli.render.logprinter import LogPrinter
from compose_core.errors import UsageError
from compose_core.ops.logs import LineSplitter, engine_time


def test_line_splitter_keeps_unfinished_lines_until_their_end_arrives():
    splitter = LineSplitter()

    first = splitter.feed(b"one\ntw")
    second = splitter.feed(b"o\nthree")
    rest = splitter.flush()

    assert (first, second, rest) == (["one"], ["two"], ["three"])


def test_line_splitter_decodes_bad_utf8_without_failing():
    assert LineSplitter().feed(b"caf\xc3\xa9 \xff\n") == ["café \ufffd"]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("10m", 1_000_000 - 600),
        ("1h30m", 1_000_000 - 5400),
        ("999", 999),
        ("1970-01-02T00:00:00Z", 86400),
        ("1970-01-02", 86400),
    ],
)
def test_engine_time_reads_durations_unix_times_and_dates(value, expected):
    assert engine_time(value, now=1_000_000, flag="--since") == expected


def test_engine_time_rejects_nonsense_naming_the_flag():
    with pytest.raises(UsageError, match="--until"):
        engine_time("yesterday-ish", flag="--until")


def test_log_printer_pads_prefixes_and_strips_the_project_name():
    out = io.StringIO()
    printer = LogPrinter(out, "shop", color=False)
    printer.add(["shop-db-1", "shop-web-1"])

    printer.line("shop-db-1", "ready")
    printer.line("shop-web-1", "listening")
    printer.exited("shop-web-1", 0)

    assert out.getvalue() == ("db-1   | ready\nweb-1  | listening\nweb-1 exited with code 0\n")


def test_log_printer_compatibility_colours_the_bar_as_1_29_2_does():
    out = io.StringIO()
    printer = LogPrinter(out, "shop", color=True, compatibility=True)
    printer.add(["shop_db_1", "shop_web_1"])

    printer.line("shop_web_1", "hello")
    printer.exited("shop_db_1", 3)

    assert out.getvalue() == (
        "\x1b[33mweb_1  |\x1b[0m hello\n\x1b[36mshop_db_1 exited with code 3\n\x1b[0m"
    )


def test_engine_finish_times_become_unix_times_with_their_fraction():
    from compose_core.ops.logs import _unix_time

    assert _unix_time("1970-01-02T00:00:01.5Z") == 86401.5
    assert _unix_time("0001-01-01T00:00:00Z") is None
