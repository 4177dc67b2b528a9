import pytest

from compose_core.config.yaml_loader import Override, Reset, line_of, load_yaml
from compose_core.errors import ConfigError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: !reset []\n", {"a": Reset([])}),
        ("a: !reset\n", {"a": Reset(None)}),
        ("a: !reset 0\n", {"a": Reset(0)}),
        ("a: !override {x: 1}\n", {"a": Override({"x": 1})}),
        ("a: !override [1, 2]\n", {"a": Override([1, 2])}),
        (
            "x: &base {p: 1, q: 2}\ny:\n  <<: *base\n  p: 3\n",
            {"x": {"p": 1, "q": 2}, "y": {"p": 3, "q": 2}},
        ),
        ("a: yes\nb: '08'\n", {"a": True, "b": "08"}),
    ],
)
def test_load_yaml_tags_and_anchors_give_expected_values(text, expected):
    assert load_yaml(text, "f.yaml") == expected


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, "defined twice"),
        ("a:\n  b: 1\n  b: 2\n", 3, "defined twice"),
        ("a:\n\tb: 1\n", 2, "tab character"),
        ("a: [1, 2\n", 2, "invalid YAML"),
        ("a: 'unclosed\n", 2, "invalid YAML"),
    ],
)
def test_load_yaml_bad_text_raises_error_with_line(text, line, fragment):
    with pytest.raises(ConfigError) as caught:
        load_yaml(text, "f.yaml")

    assert caught.value.line == line
    assert fragment in str(caught.value)
    assert str(caught.value).startswith(f"f.yaml, line {line}")


def test_load_yaml_nul_bytes_are_not_text():
    with pytest.raises(ConfigError, match="not a text file"):
        load_yaml("a: 1\0", "f.yaml")


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (("services",), 1),
        (("services", "web"), 2),
        (("services", "web", "ports"), 4),
        (("services", "web", "ports", 1), 6),
        (("services", "web", "nothere"), 2),
    ],
)
def test_line_of_finds_key_lines(path, line):
    text = "services:\n  web:\n    image: x\n    ports:\n      - 80\n      - 90\n"
    assert line_of(text, path) == line


def test_yaml_1_1_boolean_words_as_keys_stay_names():
    from compose_core.config.yaml_loader import load_yaml

    doc = load_yaml("services:\n  off:\n    tty: yes\n  'on': {}\n  no: {}\n", "compose.yaml")

    assert list(doc["services"]) == ["off", "on", "no"]
    assert doc["services"]["off"]["tty"] is True
