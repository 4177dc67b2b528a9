"""The planner's side of `depends_on: {x: {restart: true}}`."""

from compose_core.converge.reconcile import UpOptions, plan_up, restart_dependents
from support.planning import container, desired, observed, project


def restarting_project():
    return project(
        {
            "db": {"command": ["sleep", "2"]},
            "web": {"depends_on": {"db": {"condition": "service_healthy", "restart": True}}},
            "front": {"depends_on": {"web": {"condition": "service_started", "restart": True}}},
            "other": {"depends_on": {"db": {"condition": "service_started"}}},
        }
    )


def running(proj, *names, changed=()):
    found = []
    for name in names:
        options = dict(proj.services[name].options)
        if name in changed:
            options["command"] = ["sleep", "1"]
        found.append(container(name, options=options))
    return observed(*found)


def test_reconcile_recreated_dependency_restarts_dependents_with_restart_true():
    proj = restarting_project()
    state = running(proj, "db", "web", "front", "other", changed=("db",))

    plan = plan_up(desired(proj), state, UpOptions())

    assert plan.text() == (
        "stop     container p-front-1 (restart: web renewed)\n"
        "stop     container p-web-1 (restart: db renewed)\n"
        "recreate container p-db-1\n"
        '           command: ["sleep", "1"] -> ["sleep", "2"]\n'
        "keep     container p-other-1 (up to date)\n"
        "start    container p-web-1 (restart: db renewed)\n"
        "start    container p-front-1 (restart: web renewed)\n"
    )


def test_reconcile_restart_true_orders_stops_before_the_renewal_and_starts_after():
    proj = restarting_project()
    state = running(proj, "db", "web", "front", "other", changed=("db",))

    plan = plan_up(desired(proj), state, UpOptions())

    ops = {op.id: op for op in plan.operations}
    assert "container:web:1:stop" in ops["container:db:1"].after
    assert "container:front:1:stop" in ops["container:web:1:stop"].after
    assert "container:db:1" in ops["container:web:1"].after
    assert "container:web:1:stop" in ops["container:web:1"].after
    assert {"container:web:1", "container:front:1:stop"} <= set(ops["container:front:1"].after)
    position = {op.id: index for index, op in enumerate(plan.operations)}
    for op in plan.operations:
        assert all(position[dep] < position[op.id] for dep in op.after if dep in position)


def test_reconcile_unchanged_dependency_restarts_nothing():
    proj = restarting_project()
    state = running(proj, "db", "web", "front", "other")

    plan = plan_up(desired(proj), state, UpOptions())

    assert not plan.changes_anything


def test_reconcile_recreated_dependent_itself_is_not_stopped_twice():
    proj = restarting_project()
    state = running(proj, "db", "web", "front", "other", changed=("db", "web"))
    web_old = dict(proj.services["web"].options, command=["sleep", "1"])
    state = observed(
        *[c for c in state.containers if c.service != "web"], container("web", options=web_old)
    )

    plan = plan_up(desired(proj), state, UpOptions())

    actions = [(op.action, op.name) for op in plan.operations]
    assert ("recreate", "p-web-1") in actions
    assert ("stop", "p-web-1") not in actions
    assert ("stop", "p-front-1") in actions


def test_reconcile_no_start_restarts_nothing():
    proj = restarting_project()
    state = running(proj, "db", "web", "front", "other", changed=("db",))

    plan = plan_up(desired(proj), state, UpOptions(no_start=True))

    assert [op.action for op in plan.operations if op.service != "db"] == ["keep"] * 3


def test_restart_dependents_follow_restart_true_transitively():
    proj = restarting_project()

    assert restart_dependents(proj, ["db"]) == {"web", "front"}
    assert restart_dependents(proj, ["web"]) == {"front"}
    assert restart_dependents(proj, ["other"]) == set()
