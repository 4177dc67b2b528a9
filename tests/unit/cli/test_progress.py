"""Progress renderers: the lines each mode writes for a stream of events."""

from __future__ import annotations

import io

from compose_core.cli.render.progress import ClassicRenderer, PlainRenderer
from compose_core.converge.events import DONE, Event


def render(renderer_type, events, batches=(), **expect):
    stream = io.StringIO()
    renderer = renderer_type(stream)
    for verb, names in batches:
        renderer.expect(verb, names, **expect)
    for event in events:
        renderer.emit(event)
    return stream.getvalue()


def test_classic_batch_writes_every_line_when_it_starts_then_done_as_each_ends():
    events = [
        Event("Container", "p_web_1", "Stopping"),
        Event("Container", "p_db_1", "Stopping"),
        Event("Container", "p_db_1", "Stopped", DONE),
        Event("Container", "p_web_1", "Stopped", DONE),
    ]

    text = render(ClassicRenderer, events, [("Stopping", ["p_web_1", "p_db_1"])])

    assert text == (
        "Stopping p_web_1 ... \r\n"
        "Stopping p_db_1  ... \r\n"
        "Stopping p_db_1  ... done\r\n"
        "Stopping p_web_1 ... done\r\n"
    )


def test_classic_start_shows_services_once_done_when_their_last_container_is():
    events = [
        Event("Container", "p_web_1", "Starting"),
        Event("Container", "p_web_2", "Starting"),
        Event("Container", "p_web_1", "Started", DONE),
        Event("Container", "p_web_2", "Started", DONE),
    ]
    shown_as = {"p_web_1": "web", "p_web_2": "web"}

    text = render(
        ClassicRenderer, events, [("Starting", ["p_web_1", "p_web_2"])], shown_as=shown_as
    )

    assert text == "Starting web ... \r\nStarting web ... done\r\n"


def test_classic_new_container_start_is_folded_into_creating_and_networks_have_own_lines():
    events = [
        Event("Network", "p_default", "Creating"),
        Event("Network", "p_default", "Created", DONE),
        Event("Container", "p_web_1", "Creating"),
        Event("Container", "p_web_1", "Created", DONE),
        Event("Container", "p_web_1", "Starting"),
        Event("Container", "p_web_1", "Started", DONE),
        Event("Container", "p_db_1", "Running", DONE),
    ]

    text = render(ClassicRenderer, events, [("Creating", ["p_web_1"])])

    assert text == (
        'Creating network "p_default" with the default driver\n'
        "Creating p_web_1 ... \r\n"
        "Creating p_web_1 ... done\r\n"
        "p_db_1 is up-to-date\n"
    )


def test_plain_renderer_writes_one_line_per_event_as_compose_v2_does():
    events = [
        Event("Container", "p-web-1", "Starting"),
        Event("Container", "p-web-1", "Started", DONE),
    ]

    assert render(PlainRenderer, events) == (
        " Container p-web-1  Starting\n Container p-web-1  Started\n"
    )
