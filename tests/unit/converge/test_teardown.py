from compose_core.converge.teardown import DownOptions, plan_down
from support.planning import container, observed, project


def test_down_stops_everything_before_removing_anything():
    proj = project({"web": {"depends_on": {"db": {}}}, "db": {}})
    state = observed(container("web"), container("db"))

    plan = plan_down(proj, state, DownOptions(), network_names={"default": "p_default"})

    actions = [(op.action, op.name) for op in plan.operations]
    assert actions == [
        ("stop", "p-web-1"),
        ("stop", "p-db-1"),
        ("remove", "p-db-1"),
        ("remove", "p-web-1"),
        ("remove", "p_default"),
    ]
    stops = {op.id for op in plan.operations if op.action == "stop"}
    removes = [op for op in plan.operations if op.action == "remove" and op.kind == "container"]
    assert all(set(op.after) == stops for op in removes)
    db_stop = plan.operations[1]
    assert db_stop.after == (plan.operations[0].id,)


def test_down_without_project_removes_everything_labelled():
    state = observed(container("a"), container("b", state="exited"), networks=("p_default",))

    plan = plan_down(None, state, DownOptions())

    assert [(op.action, op.name) for op in plan.operations] == [
        ("stop", "p-a-1"),
        ("remove", "p-a-1"),
        ("remove", "p-b-1"),
        ("remove", "p_default"),
    ]


def test_down_keeps_external_network_and_volumes_without_flag():
    proj = project(
        {"web": {}},
        networks={"default": {"name": "shared", "external": True}},
        volumes={"data": {"name": "p_data"}},
    )
    state = observed(container("web"), networks=("shared",), volumes=("p_data",))

    plain = plan_down(
        proj,
        state,
        DownOptions(),
        network_names={"default": "shared"},
        volume_names={"data": "p_data"},
    )
    with_volumes = plan_down(
        proj,
        state,
        DownOptions(volumes=True),
        network_names={"default": "shared"},
        volume_names={"data": "p_data"},
    )

    assert [op.name for op in plain.operations if op.kind != "container"] == []
    assert [op.name for op in with_volumes.operations if op.kind == "volume"] == ["p_data"]
    removals = [op for op in with_volumes.operations if op.kind == "container"]
    assert {op.note for op in removals if op.action == "remove"} == {"with anonymous volumes"}
    assert {op.note for op in plain.operations if op.action == "remove"} == {""}


def test_down_orphans_need_the_flag():
    proj = project({"web": {}})
    state = observed(container("web"), container("gone"))

    kept = plan_down(proj, state, DownOptions(), network_names={})
    removed = plan_down(proj, state, DownOptions(remove_orphans=True), network_names={})

    assert "p-gone-1" not in [op.name for op in kept.operations]
    assert kept.warnings
    assert "p-gone-1" in [op.name for op in removed.operations]
