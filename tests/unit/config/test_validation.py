import pytest

from compose_core.config.validation import format_path, plain, validate
from compose_core.config.yaml_loader import Override, Reset
from compose_core.errors import ConfigError


@pytest.mark.parametrize(
    ("doc", "path", "fragment"),
    [
        ({"services": {"web": {"image": 1}}}, "services.web.image", "expected a string"),
        ({"services": {"web": {"imagex": "a"}}}, "services.web", "did you mean 'image'"),
        ({"services": {"we b": {}}}, "services", "invalid service name 'we b'"),
        ({"foo": 1}, None, "unknown top-level key 'foo'"),
        ({"services": []}, "services", "expected a mapping"),
        (
            {"services": {"a": {"ports": [{"x": 1}]}}},
            "services.a.ports[0]",
            "unknown key 'x'",
        ),
        (
            {"services": {"a": {"depends_on": {"b": {"condition": "bad"}}}}},
            "services.a.depends_on.b.condition",
            "'service_healthy'",
        ),
    ],
)
def test_validate_bad_document_names_key_path(doc, path, fragment):
    with pytest.raises(ConfigError) as caught:
        validate(doc, source="c.yaml")

    assert caught.value.path == path
    assert fragment in caught.value.reason


def test_validate_reports_line_when_text_given():
    text = "services:\n  web:\n    image: x\n    bogus: 1\n"
    with pytest.raises(ConfigError) as caught:
        validate({"services": {"web": {"image": "x", "bogus": 1}}}, source="c.yaml", text=text)

    assert caught.value.line == 2


def test_validate_legacy_layout_uses_v1_schema():
    validate(
        {"web": {"image": "x", "links": ["db"]}, "db": {"image": "y"}}, source="v1.yml", legacy=True
    )
    with pytest.raises(ConfigError, match="web.image"):
        validate({"web": {"image": 3}}, source="v1.yml", legacy=True)


def test_validate_accepts_a_full_spec_document():
    validate(
        {
            "name": "demo",
            "services": {
                "web": {
                    "image": "x",
                    "ports": ["80:80", {"target": 81}],
                    "depends_on": {"db": {"condition": "service_healthy"}},
                    "x-custom": {"anything": True},
                },
                "db": {"image": "y", "healthcheck": {"test": ["CMD", "true"]}},
            },
            "x-shared": [1, 2],
        },
        source="c.yaml",
    )


def test_plain_drops_reset_and_unwraps_override():
    doc = {"a": Reset(None), "b": Override({"c": [Reset(1), 2]})}
    assert plain(doc) == {"b": {"c": [2]}}


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ([], ""),
        (["services"], "services"),
        (["services", "web", "ports", 0], "services.web.ports[0]"),
    ],
)
def test_format_path_joins_keys_and_indexes(path, text):
    assert format_path(path) == text
