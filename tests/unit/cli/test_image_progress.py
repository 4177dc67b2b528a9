"""Image progress rendering: today's Compose lines, the TTY rows, 1.29.2's lines."""

from __future__ import annotations

import io

from compose_core.cli.render.images import (
    ClassicImages,
    PlainImages,
    QuietImages,
    TTYImages,
    make_image_renderer,
)
from compose_core.converge.events import DONE, ERROR, WARNING, Event

PULL = [
    Event("Image", "db", "Pulling", text="127.0.0.1:5000/db:1"),
    Event("Image", "db", "Status", text="Pulling from db"),
    Event("Layer", "db/aaa111", "Downloading", text="[==>   ]  1MB/4MB\x001000/4000"),
    Event("Layer", "db/aaa111", "Pull complete", DONE),
    Event("Image", "db", "Status", text="Digest: sha256:0123456789abcdef0123456789abcdef"),
    Event("Image", "db", "Pulled", DONE),
]


def test_plain_lines_follow_todays_compose() -> None:
    err = io.StringIO()
    renderer = PlainImages(err)
    for event in [Event("Image", "web", "Skipped", WARNING, "No image to be pulled"), *PULL]:
        renderer.emit(event)
    assert err.getvalue().splitlines() == [
        " web Skipped - No image to be pulled",
        " db Pulling ",
        " aaa111 Downloading [==>   ]  1MB/4MB",
        " aaa111 Pull complete",
        " db Pulled ",
    ]


def test_classic_pull_lines_as_1_29_2() -> None:
    err = io.StringIO()
    renderer = ClassicImages(io.StringIO(), err, is_tty=False)
    renderer.expect("Pulling", ["db", "cache"])
    for event in PULL:
        renderer.emit(event)
    assert err.getvalue().split("\r\n") == [
        "Pulling db    ... ",
        "Pulling cache ... ",
        "Pulling db    ... pulling from db",
        "Pulling db    ... downloading (25.0%)",
        "Pulling db    ... pull complete",
        "Pulling db    ... digest: sha256:0123456789abcdef01...",
        "Pulling db    ... done",
        "",
    ]


def test_classic_build_writes_the_engine_output_to_stdout() -> None:
    out, err = io.StringIO(), io.StringIO()
    renderer = ClassicImages(out, err, is_tty=False)
    renderer.emit(Event("Image", "web", "Building"))
    renderer.emit(Event("Build", "web", "Log", text="Step 1/2 : FROM scratch"))
    renderer.emit(Event("Build", "web", "Log", text="\n"))
    renderer.emit(Event("Build", "web", "Log", ERROR, "The command returned a non-zero code: 3"))
    assert out.getvalue() == "Step 1/2 : FROM scratch\n"
    assert err.getvalue() == "Building web\nThe command returned a non-zero code: 3\n"


def test_tty_redraws_rows_in_place_with_layers_under_their_image() -> None:
    err = io.StringIO()
    renderer = TTYImages(err, "Pulling")
    for event in PULL:
        renderer.emit(event)
    screen = err.getvalue()
    last = screen.rsplit("\x1b[3F", 1)[1]  # the final drawing: a header and two rows
    rows = [row.removeprefix("\x1b[2K") for row in last.splitlines()]
    assert rows[0] == "[+] Pulling 1/1"
    assert rows[1].startswith(" ✔ db Pulled ")
    assert rows[2] == "   ✔ aaa111 Pull complete"


def test_quiet_shows_only_build_errors() -> None:
    err = io.StringIO()
    renderer = make_image_renderer(
        "auto", io.StringIO(), err, compatibility=False, is_tty=True, title="x", quiet=True
    )
    assert isinstance(renderer, QuietImages)
    for event in PULL:
        renderer.emit(event)
    renderer.emit(Event("Build", "web", "Log", ERROR, "boom"))
    assert err.getvalue() == "boom\n"
