import pytest

from compose_core.model.graph import CycleError, dependents, find_cycle, levels, with_dependencies

CHAIN = {"web": {"app"}, "app": {"db", "cache"}, "db": set(), "cache": set(), "admin": {"db"}}


def test_levels_orders_dependencies_first():
    assert levels(CHAIN) == [["cache", "db"], ["admin", "app"], ["web"]]


def test_levels_ignores_dependencies_outside_the_graph():
    assert levels({"a": {"elsewhere"}}) == [["a"]]


@pytest.mark.parametrize(
    ("edges", "cycle"),
    [
        ({"a": {"b"}, "b": {"a"}}, ["a", "b", "a"]),
        ({"a": {"a"}}, ["a", "a"]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}, ["a", "b", "c", "a"]),
        (CHAIN, None),
    ],
)
def test_find_cycle_names_the_whole_loop(edges, cycle):
    assert find_cycle(edges) == cycle


def test_levels_with_cycle_raises():
    with pytest.raises(CycleError) as caught:
        levels({"a": {"b"}, "b": {"a"}})
    assert str(caught.value) == "a -> b -> a"


def test_with_dependencies_is_transitive():
    assert with_dependencies(CHAIN, ["web"]) == {"web", "app", "db", "cache"}


def test_dependents_is_transitive_and_excludes_the_start():
    assert dependents(CHAIN, ["db"]) == {"app", "admin", "web"}
