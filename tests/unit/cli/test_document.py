import pytest
import yaml

from compose_core.cli.render.document import scalar, to_yaml


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("plain", "plain"),
        ("1", '"1"'),
        ("yes", '"yes"'),
        ("null", '"null"'),
        ("", '""'),
        ("a: b", '"a: b"'),
        ("-c", "-c"),
        ("-", '"-"'),
        ("*", '"*"'),
        ("two\nlines", '"two\\nlines"'),
        (" padded", '" padded"'),
        (None, "null"),
        (True, "true"),
        (80, "80"),
        (1.5, "1.5"),
        ({}, "{}"),
        ([], "[]"),
    ],
)
def test_scalar_quotes_only_what_yaml_would_misread(value, text):
    assert scalar(value) == text


def test_to_yaml_indents_lists_under_keys_and_round_trips():
    doc = {
        "services": {
            "web": {
                "ports": [{"target": 80, "published": "8080"}],
                "command": ["sh", "-c", "echo #hi"],
                "nested": [[1, 2], []],
                "volume": {},
            }
        }
    }
    text = to_yaml(doc)

    assert '    ports:\n      - target: 80\n        published: "8080"\n' in text
    assert yaml.safe_load(text) == doc
