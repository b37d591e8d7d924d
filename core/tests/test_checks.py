"""The registry's start-up check: the installed apps' entries all resolve, and a bad entry stops the start."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from core.checks import check_registry
from core.registry import Registry, registry
from core.statemachine import Machine, Rule


def _noop(**kwargs) -> None:
    return None


def _machine() -> Machine:
    return Machine(name="door", model=None, status_field="status", rules={("shut", "open"): Rule()}, record=_noop)


def _ids(reg: Registry) -> list[str]:
    return [e.id for e in check_registry(reg)]


def test_the_installed_apps_registry_resolves():
    assert check_registry(registry) == []


def test_a_clean_registry_passes():
    reg = Registry()
    reg.machine_add(_machine())
    reg.guard_add("door", "shut", "open", _noop, app="a")
    reg.panel_add("order", "reception/_board_state.html", app="a")
    reg.provide("x.y", _noop, app="a")
    reg.want("x.y", app="b")
    assert check_registry(reg) == []


def test_a_hook_on_an_unknown_machine_fails():
    reg = Registry()
    reg.after_add("window", "shut", "open", _noop, app="a")
    assert _ids(reg) == ["core.E001"]


@pytest.mark.parametrize("what", ["guard_add", "after_add", "commit_add"])
def test_a_hook_on_a_pair_the_machine_does_not_have_fails(what):
    reg = Registry()
    reg.machine_add(_machine())
    getattr(reg, what)("door", "open", "shut", _noop, app="a")
    errors = check_registry(reg)
    assert [e.id for e in errors] == ["core.E002"] and "open → shut" in errors[0].msg


def test_a_panel_whose_template_does_not_exist_fails():
    reg = Registry()
    reg.panel_add("order", "nope/_order_panel.html", app="a")
    assert _ids(reg) == ["core.E003"]


def test_a_wanted_provider_nobody_provides_fails():
    reg = Registry()
    reg.want("workshop.capacity", app="reception")
    assert _ids(reg) == ["core.E004"]


def test_a_listener_on_a_label_that_is_no_model_fails():
    reg = Registry()
    reg.listen("reception.nothing", _noop, app="kpi")
    assert _ids(reg) == ["core.E005"]


def test_a_listener_on_a_model_that_is_not_observed_fails():
    reg = Registry()
    reg.listen("auth.group", _noop, app="kpi")
    assert _ids(reg) == ["core.E006"]


def test_a_menu_entry_with_an_unknown_url_fails():
    reg = Registry()
    reg.menu_add("x", "nope:index", "x.view", "bi-x")
    assert _ids(reg) == ["core.E007"]


def test_a_setup_section_with_an_unknown_url_or_action_fails():
    reg = Registry()
    reg.provide("org.all_actions", lambda: frozenset({"x.setup"}), app="org")
    reg.setup_add("bays", "x", "nope:bays", action="x.setup", count=lambda station: 0, app="a")
    reg.setup_add("rooms", "y", "home", action="x.unknown", count=lambda station: 0, app="a")
    assert _ids(reg) == ["core.E013", "core.E014"]


def test_a_setup_section_belongs_to_one_app():
    reg = Registry()
    reg.setup_add("bays", "x", "home", action="x", count=lambda station: 0, app="workshop")
    with pytest.raises(ValueError):
        reg.setup_add("bays", "x", "home", action="x", count=lambda station: 0, app="parts")


def test_the_installed_apps_offer_their_setup_sections_in_order():
    assert [s.key for s in registry.setup_steps()] == ["bays", "warehouses", "suppliers"]


def test_the_check_command_refuses_to_start_with_a_bad_entry(monkeypatch):
    call_command("check")  # the real registry passes
    monkeypatch.setattr(registry, "panels", [*registry.panels])
    registry.panel_add("order", "nope/_order_panel.html", app="test")
    with pytest.raises(SystemCheckError, match="nope/_order_panel.html"):
        call_command("check")


def test_every_uploaded_file_field_of_the_project_is_registered_as_private():
    from core.checks import check_every_file_is_private

    assert check_every_file_is_private(registry) == []
    errors = check_every_file_is_private(Registry())
    assert {e.id for e in errors} == {"core.E012"}
    assert any("reception.EstimateVersion.scan" in e.msg for e in errors)


@pytest.mark.parametrize("model, field, path, expected", [
    ("reception.EstimateVersion", "nothing", "order__station", "core.E008"),
    ("reception.EstimateVersion", "note", "order__station", "core.E009"),  # not a file field
    ("reception.EstimateVersion", "scan", "order__nowhere", "core.E010"),
])
def test_a_private_file_that_does_not_resolve_fails(db, model, field, path, expected):
    reg = Registry()
    reg.private_file_add("x", model, field, action="reception.view", station_path=path, app="a")
    assert _ids(reg) == [expected]


def test_a_private_file_with_an_unknown_action_fails(db):
    reg = Registry()
    reg.provide("org.all_actions", lambda: frozenset({"reception.view"}), app="org")
    reg.private_file_add("x", "reception.EstimateVersion", "scan", action="reception.peek",
                         station_path="order__station", app="a")
    assert _ids(reg) == ["core.E011"]


def test_an_importer_with_an_unknown_action_a_missing_page_or_an_ambiguous_header_fails():
    from core.imports import Column, Importer

    reg = Registry()
    reg.provide("org.all_actions", lambda: frozenset({"parts.manage"}), app="org")
    reg.importer_add(Importer(
        kind="x", label="x", app="parts", action="parts.nope", clean=lambda row, ctx: {}, apply=lambda **kw: {},
        columns=(Column("a", "a", "名称"), Column("b", "b", "代码", aliases=("名称",))), upload_url="nowhere:at_all",
    ))
    ids = sorted(e.id for e in check_registry(reg))
    assert ids == ["core.E013", "core.E014", "core.E015"]
