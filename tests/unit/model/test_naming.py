import pytest

from compose_core.errors import ConfigError
from compose_core.model.naming import check_project_name, container_name, normalize_project_name


@pytest.mark.parametrize(
    ("raw", "today", "classic"),
    [
        ("MyApp", "myapp", "myapp"),
        ("my app.v2", "myappv2", "myappv2"),
        ("_hidden", "hidden", "_hidden"),
        ("--x", "x", "--x"),
        ("日本", "", "default"),
        ("web-1_a", "web-1_a", "web-1_a"),
    ],
)
def test_normalize_project_name_matches_each_compose(raw, today, classic):
    assert normalize_project_name(raw) == today
    assert normalize_project_name(raw, compatibility=True) == classic


def test_check_project_name_rejects_invalid_explicit_name():
    with pytest.raises(ConfigError, match="invalid project name 'My App'"):
        check_project_name("My App", source="-p")


def test_check_project_name_normalizes_in_compatibility_mode():
    assert check_project_name("My App", source="-p", compatibility=True) == "myapp"


@pytest.mark.parametrize(("compat", "name"), [(False, "proj-web-2"), (True, "proj_web_2")])
def test_container_name_separator_follows_mode(compat, name):
    assert container_name("proj", "web", 2, compatibility=compat) == name
