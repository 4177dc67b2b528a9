import pytest

from compose_core.converge.reconcile import UpOptions, plan_up, selected_services
from compose_core.errors import UserError
from support.planning import container, desired, observed, project


def options_of(proj, name):
    return dict(proj.services[name].options)


def test_reconcile_empty_engine_creates_network_then_containers_in_order():
    proj = project({"web": {"depends_on": {"db": {}}}, "db": {}})

    plan = plan_up(desired(proj), observed(networks=()), UpOptions())

    assert plan.text() == (
        "create   network p_default\ncreate   container p-db-1\ncreate   container p-web-1\n"
    )
    web = plan.operations[2]
    assert web.after == ("container:db:1", "network:default")


def test_reconcile_unchanged_project_keeps_every_container():
    proj = project({"web": {}, "db": {}})
    state = observed(
        container("web", options=options_of(proj, "web")),
        container("db", options=options_of(proj, "db")),
    )

    plan = plan_up(desired(proj), state, UpOptions())

    assert not plan.changes_anything
    assert [op.action for op in plan.operations] == ["keep", "keep"]


def test_reconcile_changed_command_recreates_and_names_the_field():
    proj = project({"web": {"command": ["sleep", "2"]}})
    old = dict(options_of(proj, "web"), command=["sleep", "1"])

    plan = plan_up(desired(proj), observed(container("web", options=old)), UpOptions())

    assert plan.text() == (
        'recreate container p-web-1\n           command: ["sleep", "1"] -> ["sleep", "2"]\n'
    )


def test_reconcile_nested_change_reports_the_nested_path():
    proj = project({"web": {"environment": {"A": "2", "B": "x"}}})
    old = dict(options_of(proj, "web"), environment={"A": "1", "B": "x"})

    plan = plan_up(desired(proj), observed(container("web", options=old)), UpOptions())

    (op,) = plan.operations
    assert [(c.path, c.old, c.new) for c in op.reasons] == [("environment.A", "1", "2")]


def test_reconcile_foreign_container_reports_hash_change_only():
    proj = project({"web": {}})
    foreign = container("web")  # no stored config, as made by another Compose

    plan = plan_up(desired(proj), observed(foreign), UpOptions())

    (op,) = plan.operations
    assert op.action == "recreate"
    assert op.reasons[0].path == "config-hash"


def test_reconcile_new_image_id_recreates():
    proj = project({"web": {}})
    state = observed(container("web", options=options_of(proj, "web"), image_id="sha256:old"))

    plan = plan_up(desired(proj, {"web": "sha256:new"}), state, UpOptions())

    (op,) = plan.operations
    assert op.action == "recreate"
    assert op.reasons[0].text() == 'image (id): "sha256:old" -> "sha256:new"'


def test_reconcile_no_recreate_keeps_changed_container():
    proj = project({"web": {"command": ["b"]}})
    old = dict(options_of(proj, "web"), command=["a"])

    plan = plan_up(
        desired(proj), observed(container("web", options=old)), UpOptions(no_recreate=True)
    )

    assert [op.action for op in plan.operations] == ["keep"]


def test_reconcile_force_recreate_recreates_unchanged():
    proj = project({"web": {}})
    state = observed(container("web", options=options_of(proj, "web")))

    plan = plan_up(desired(proj), state, UpOptions(force_recreate=True))

    assert [op.action for op in plan.operations] == ["recreate"]


def test_reconcile_stopped_container_is_started():
    proj = project({"web": {}})
    state = observed(container("web", options=options_of(proj, "web"), state="exited"))

    plan = plan_up(desired(proj), state, UpOptions())

    assert plan.text() == "start    container p-web-1 (is exited)\n"


def test_reconcile_scale_up_fills_free_numbers():
    proj = project({"web": {}})
    state = observed(container("web", 2, options=options_of(proj, "web")))

    plan = plan_up(desired(proj), state, UpOptions(scale={"web": 3}))

    created = [op.number for op in plan.operations if op.action == "create"]
    assert created == [1, 3]


def test_reconcile_scale_down_removes_highest_numbers_first():
    proj = project({"web": {}})
    opts = options_of(proj, "web")
    state = observed(*(container("web", n, options=opts) for n in (1, 2, 3)))

    plan = plan_up(desired(proj), state, UpOptions(scale={"web": 1}))

    removed = [(op.action, op.number) for op in plan.operations if op.action != "keep"]
    assert removed == [("stop", 3), ("remove", 3), ("stop", 2), ("remove", 2)]


def test_reconcile_orphans_warn_without_flag_and_go_with_it():
    proj = project({"web": {}})
    state = observed(container("web", options=options_of(proj, "web")), container("old"))

    warned = plan_up(desired(proj), state, UpOptions())
    removed = plan_up(desired(proj), state, UpOptions(remove_orphans=True))

    assert "p-old-1" in warned.warnings[0] and "--remove-orphans" in warned.warnings[0]
    assert [op.action for op in removed.operations if op.name == "p-old-1"] == ["stop", "remove"]


def test_reconcile_service_namespace_dependents_follow_a_recreate():
    proj = project({"vpn": {"command": ["b"]}, "app": {"network_mode": "service:vpn"}})
    proj.services["app"].options.pop("networks")
    old_vpn = dict(options_of(proj, "vpn"), command=["a"])
    state = observed(
        container("vpn", options=old_vpn), container("app", options=options_of(proj, "app"))
    )

    plan = plan_up(desired(proj), state, UpOptions())

    assert [op.action for op in plan.operations] == ["recreate", "recreate"]
    assert plan.operations[1].reasons[0].path == "(depends on vpn)"


def test_reconcile_external_network_missing_is_an_error():
    proj = project({"web": {}}, networks={"default": {"name": "shared", "external": True}})

    with pytest.raises(UserError, match="shared declared as external"):
        plan_up(desired(proj), observed(networks=()), UpOptions())


def test_reconcile_no_deps_plans_only_the_named_service():
    proj = project({"web": {"depends_on": {"db": {}}}, "db": {}})

    plan = plan_up(desired(proj), observed(), UpOptions(services=("web",), no_deps=True))

    assert [op.name for op in plan.operations] == ["p-web-1"]


def test_reconcile_compatibility_names_use_underscores():
    proj = project({"web": {}})

    plan = plan_up(desired(proj), observed(), UpOptions(compatibility=True))

    assert [op.name for op in plan.operations] == ["p_web_1"]


def test_reconcile_plan_json_lists_changes():
    import json

    proj = project({"web": {"command": ["b"]}})
    old = dict(options_of(proj, "web"), command=["a"])

    data = json.loads(
        plan_up(desired(proj), observed(container("web", options=old)), UpOptions()).to_json()
    )

    assert data["operations"][0]["changes"] == [{"field": "command", "old": ["a"], "new": ["b"]}]


def test_selected_services_unknown_name_is_an_error():
    with pytest.raises(UserError, match="no such service: nope"):
        selected_services(project({"web": {}}), ("nope",), False)


def test_selected_services_pulls_in_dependencies_in_order():
    proj = project({"web": {"depends_on": {"db": {}}, "links": ["cache"]}, "db": {}, "cache": {}})

    assert selected_services(proj, ("web",), False) == ["cache", "db", "web"]


def unchanged_web_and_db():
    proj = project({"web": {"depends_on": {"db": {}}}, "db": {}})
    state = observed(
        container("web", options=options_of(proj, "web")),
        container("db", options=options_of(proj, "db")),
    )
    return proj, state


def test_reconcile_always_recreate_deps_forces_the_pulled_in_dependencies():
    proj, state = unchanged_web_and_db()

    plan = plan_up(desired(proj), state, UpOptions(services=("web",), always_recreate_deps=True))

    assert [(op.name, op.action) for op in plan.operations] == [
        ("p-db-1", "recreate"),
        ("p-web-1", "keep"),
    ]
    assert plan.operations[0].reasons[0].new == "--always-recreate-deps"


def test_reconcile_always_recreate_deps_in_compatibility_renews_dependents_of_a_new_container():
    proj, state = unchanged_web_and_db()
    state = observed(*[c for c in state.containers if c.service == "web"])
    plain = UpOptions(compatibility=True)

    without = plan_up(desired(proj), state, plain)
    with_flag = plan_up(
        desired(proj), state, UpOptions(compatibility=True, always_recreate_deps=True)
    )

    assert [op.action for op in without.operations] == ["create", "keep"]
    assert [op.action for op in with_flag.operations] == ["create", "recreate"]
    assert with_flag.operations[1].reasons[0].path == "(depends on db)"


def test_reconcile_interrupted_recreate_keeps_the_temporary_container_and_renames_it():
    proj = project({"web": {}})
    current = options_of(proj, "web")
    old = container("web", options=dict(current, command=["old"]), state="exited")
    temporary = container("web", options=current, name="0123456789ab_p-web-1", ident="f" * 64)

    plan = plan_up(desired(proj), observed(old, temporary), UpOptions())

    removal, rename = plan.operations
    assert (removal.action, removal.container_id) == ("remove", old.id)
    assert (rename.action, rename.container_id, rename.name) == (
        "recreate",
        temporary.id,
        "p-web-1",
    )
    assert [(c.path, c.old, c.new) for c in rename.reasons] == [
        ("name", "0123456789ab_p-web-1", "p-web-1")
    ]


def test_reconcile_hex_looking_project_name_is_not_taken_for_a_temporary_name():
    proj = project({"web": {}})
    current = options_of(proj, "web")
    lookalike = container("web", options=current, name="0123456789ab_p-web-2")

    plan = plan_up(desired(proj), observed(lookalike), UpOptions())

    assert [op.action for op in plan.operations] == ["keep"]
