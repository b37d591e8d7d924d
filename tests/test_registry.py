"""What the apps register in their ready(): the menu, the page panels, the providers, the state machines."""

from __future__ import annotations

from django.urls import reverse

from core.registry import MenuEntry, registry


def test_the_menu_keeps_its_order_and_each_app_brings_its_entry():
    assert [(m.url_name, m.action) for m in registry.menu_entries()] == [
        ("reception:index", "reception.view"),
        ("workshop:index", "workshop.view"),
        ("parts:index", "parts.view"),
        ("settlement:counter_sales", "parts.counter"),  # counter sales without a work order (issue 19, item 12)
        ("complaints:index", "complaints.view"),
        ("complaints:messages", "complaints.messages"),
        ("kpi:index", "kpi.view"),
        ("kpi:pay", "kpi.pay_manage"),
        ("kpi:pay_mine", "kpi.pay_own"),
        ("org:chart", "org.view"),
        ("org:staff_survey", "org.staff_survey"),
        ("setup:index", "org.setup"),
    ]


def test_the_navigation_bar_shows_the_registered_entries_the_user_may_open(client_as, carol, bob):
    page = client_as(carol).get(reverse("reception:index"))
    assert [m["url"] for m in page.context["nav_menu"]] == [
        reverse(n) for n in ("reception:index", "workshop:index", "parts:index", "complaints:index",
                             "complaints:messages", "kpi:index", "kpi:pay", "org:chart", "org:staff_survey",
                             "setup:index")
    ]
    assert page.context["nav_menu"][0]["active"]
    technician = [m["url"] for m in client_as(bob).get(reverse("workshop:index")).context["nav_menu"]]
    assert reverse("workshop:index") in technician and reverse("reception:index") not in technician
    assert reverse("setup:index") not in technician
    assert reverse("kpi:pay_mine") in technician and reverse("kpi:pay") not in technician


def test_a_menu_entry_registered_by_an_app_appears_in_its_place(client_as, carol, monkeypatch):
    monkeypatch.setattr(registry, "menu", [*registry.menu, MenuEntry("Extra", "org:chart", "org.view", "bi-x", 15)])
    labels = [str(m["label"]) for m in client_as(carol).get(reverse("org:chart")).context["nav_menu"]]
    assert labels[:3] == ["Front desk", "Extra", "Workshop"]


def test_the_page_panels_come_from_the_owning_apps_in_order():
    assert registry.panels_for("order") == [
        "workshop/_order_panel.html", "parts/_order_panel.html", "settlement/_order_panel.html",
        "complaints/_order_panel.html", "portal/link/_order_panel.html",
    ]
    assert registry.panels_for("customer") == [
        "complaints/_customer_panel.html", "complaints/_consent_panel.html", "workshop/_customer_panel.html",
        "settlement/_customer_panel.html"]
    assert registry.panels_for("desk") == [
        "workshop/_desk_panel.html", "settlement/_desk_panel.html", "complaints/_desk_panel.html",
    ]
    assert {p.app for p in registry.panels} == {"workshop", "parts", "settlement", "complaints", "portal"}


def test_the_desk_and_the_customer_file_include_their_panels(client_as, alice, station):
    from reception.factories import CustomerFactory

    customer = CustomerFactory(station=station)
    assert client_as(alice).get(reverse("reception:index")).context["panels"] == registry.panels_for("desk")
    page = client_as(alice).get(reverse("reception:customer_detail", args=[customer.pk]))
    assert page.context["panels"] == registry.panels_for("customer")


def test_the_three_state_machines_are_registered_and_the_providers_wanted_are_given():
    assert set(registry.machines) == {"work_order", "warranty_claim", "complaint"}
    assert set(registry.wanted) <= set(registry.providers)
    assert registry.providers["workshop.capacity"].app == "workshop"
