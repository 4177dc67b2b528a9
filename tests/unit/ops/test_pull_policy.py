"""Pull policies: what `up` does about each service's image (pure decisions)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from compose_core.errors import UserError
from compose_core.ops.pull import (
    BUILD,
    KEEP,
    MISSING,
    PULL,
    ImageFacts,
    check_policy,
    decide,
    refresh_seconds,
)

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=timezone.utc)
PRESENT = ImageFacts(True, NOW - timedelta(hours=30))
ABSENT = ImageFacts(False)


@pytest.mark.parametrize(
    ("policy", "facts", "buildable", "has_image", "expected"),
    [
        (None, ABSENT, False, True, PULL),  # missing is the default
        (None, PRESENT, False, True, KEEP),
        ("missing", ABSENT, False, True, PULL),
        ("if_not_present", PRESENT, False, True, KEEP),
        ("always", PRESENT, False, True, PULL),
        ("never", PRESENT, False, True, KEEP),
        ("never", ABSENT, False, True, MISSING),
        ("never", ABSENT, True, True, BUILD),
        ("build", PRESENT, True, True, BUILD),  # rebuilt even when present
        (None, ABSENT, True, False, BUILD),  # a built service without `image:`
        (None, PRESENT, True, False, KEEP),
        (None, ABSENT, True, True, PULL),  # with `image:` a pull is tried first
        ("daily", PRESENT, False, True, PULL),  # pulled 30h ago
        ("weekly", PRESENT, False, True, KEEP),
        ("every_1d6h", PRESENT, False, True, KEEP),
        ("every_12h", PRESENT, False, True, PULL),
        ("every_2w", ABSENT, False, True, PULL),
    ],
)
def test_decide(policy, facts, buildable, has_image, expected) -> None:
    decision = decide(policy, facts, buildable=buildable, has_image_key=has_image, now=NOW)
    assert decision == expected


def test_refresh_policy_uses_pull_refresh_after() -> None:
    facts = ImageFacts(True, NOW - timedelta(minutes=90))
    common = {"buildable": False, "has_image_key": True, "now": NOW}
    assert decide("refresh", facts, refresh_after="1h", **common) == PULL
    assert decide("refresh", facts, refresh_after="2h", **common) == KEEP


def test_time_policy_without_a_pull_time_keeps_the_image() -> None:
    facts = ImageFacts(True, None)
    assert decide("daily", facts, buildable=False, has_image_key=True, now=NOW) == KEEP


@pytest.mark.parametrize(
    ("policy", "seconds"),
    [("daily", 86400), ("weekly", 604800), ("every_1w2d3h4m5s", 788645), ("always", None)],
)
def test_refresh_seconds(policy: str, seconds: int | None) -> None:
    assert refresh_seconds(policy) == seconds


@pytest.mark.parametrize("policy", ["sometimes", "every_", "every_5x"])
def test_unknown_policy_names_the_service(policy: str) -> None:
    with pytest.raises(UserError, match=f"service web: unknown pull_policy '{policy}'"):
        check_policy("web", policy)


def test_pull_record_keeps_the_last_pull_time(tmp_path) -> None:
    from compose_core.ops.pull import PullRecord

    record = PullRecord({"XDG_CACHE_HOME": str(tmp_path)})
    assert record.last("db:1") is None
    record.note("db:1", NOW)
    assert PullRecord({"XDG_CACHE_HOME": str(tmp_path)}).last("db:1") == NOW
