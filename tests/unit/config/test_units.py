"""Durations and byte sizes, checked against what Compose v2.40 prints for them."""

from __future__ import annotations

import pytest

from compose_core.config.units import (
    format_duration,
    format_nanoseconds,
    parse_bytes,
    parse_duration,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1h2m3.5s", 3723.5),
        ("500ms", 0.5),
        ("10us", 0.00001),
        ("10µs", 0.00001),
        ("1.5h", 5400.0),
        ("90s", 90.0),
        ("100ns", 1e-7),
        ("-1s", -1.0),
        (".5s", 0.5),
        ("1d", 86400.0),
        ("1w", 604800.0),
        ("0", 0.0),
        ("10", 10.0),
        (10, 10.0),
        (2.5, 2.5),
    ],
)
def test_parse_duration_valid_text_gives_seconds(text: str | float, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", " 10s", "10S", "s", "1.2.3s", "-", "1m-1s", "10x", "1h 2m"])
def test_parse_duration_malformed_text_raises_with_expected_form(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration; expected a number with units"):
        parse_duration(text)


@pytest.mark.parametrize("value", [None, True, [1]])
def test_parse_duration_non_scalar_raises(value: object) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (90, "1m30s"),
        (60, "1m0s"),
        (0.5, "500ms"),
        (1.5, "1.5s"),
        (0.0015, "1.5ms"),
        (0.00001, "10µs"),
        (1e-7, "100ns"),
        (3723.5, "1h2m3.5s"),
        (7200, "2h0m0s"),
        (86400, "24h0m0s"),
        (61.5, "1m1.5s"),
        (-1, "-1s"),
    ],
)
def test_format_duration_prints_as_go_does(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize("text", ["1h2m3.5s", "1m30s", "500ms", "1.000000001s", "1.25µs"])
def test_format_nanoseconds_round_trips_go_durations(text: str) -> None:
    from compose_core.config.units import duration_nanoseconds

    assert format_nanoseconds(duration_nanoseconds(text)) == text


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("512m", 512 * 1024**2),
        ("512M", 512 * 1024**2),
        ("1g", 1024**3),
        ("1gb", 1024**3),
        ("1GiB", 1024**3),
        ("1 g", 1024**3),
        ("1.5g", 1610612736),
        ("100k", 102400),
        ("1kb", 1024),
        ("1024b", 1024),
        ("1B", 1),
        ("1t", 1024**4),
        ("1p", 1024**5),
        ("100", 100),
        ("1.5", 1),
        ("-1", -1),
        (512, 512),
        (-1, -1),
    ],
)
def test_parse_bytes_valid_size_gives_bytes(text: str | int, size: int) -> None:
    assert parse_bytes(text) == size


@pytest.mark.parametrize("text", ["", "k", "1x", "10iB", " 1k", "1.5.5g", "1kk", "one"])
def test_parse_bytes_malformed_size_raises_with_expected_form(text: str) -> None:
    with pytest.raises(ValueError, match="is not a size; expected a number of bytes"):
        parse_bytes(text)


@pytest.mark.parametrize("value", [None, True, ["1g"]])
def test_parse_bytes_non_scalar_raises(value: object) -> None:
    with pytest.raises(ValueError, match="is not a size"):
        parse_bytes(value)  # type: ignore[arg-type]
