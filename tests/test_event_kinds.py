"""Every event kind shown anywhere has a translated label.

Two walks: every kind registered with ``core.registry`` has a label in English and in Simplified Chinese (the Chinese
one differs from the code and is written in Chinese); and every kind the code base writes to a history — found by
reading the source of every call to an event writer — is registered for that history. A kind built at run time
(an f-string, a variable that cannot be traced to literals) fails the second walk: make it a fixed code and put the
variable part in the note.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from core.registry import registry

ROOT = Path(settings.BASE_DIR)
APPS = ["reception", "parts", "workshop", "settlement", "complaints", "kpi", "org", "core", "demo"]
CJK = re.compile(r"[\u4e00-\u9fff]")

# Calls that write an event row, by function name, and the history (registry ``log``) they write to. A private
# writer counts only in the module that defines it.
WRITERS = {
    "record_event": "",
    "WorkOrderEvent": "",
    "_log": "warranty_claim",
    "WarrantyClaimEvent": "warranty_claim",
    "_record": None,  # the state machines' writers: "transition", checked below
    "_event": "complaint",
    "ComplaintEvent": "complaint",
    "event_record": "parts",
    "PartsEvent": "parts",
}
PRIVATE = {"_log": "settlement/services/claims.py", "_event": "complaints/services/complaints.py"}
DEFAULT_KIND = {"warranty_claim": "transition", "": "transition"}  # the writers' default when no kind is given


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if "/tests/" in rel or "/migrations/" in rel:
                continue
            yield rel, ast.parse(path.read_text(encoding="utf-8"))


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        if func.attr in ("create", "get_or_create") and isinstance(func.value, ast.Attribute):
            return _name(func.value.value)  # WorkOrderEvent.objects.create(...)
        return func.attr
    return ""


def _choice_value(node: ast.Attribute) -> str | None:
    """``ComplaintEvent.Kind.CONTACT`` → "contact" (the model's choices say so)."""
    from complaints.models import ComplaintEvent

    if isinstance(node.value, ast.Attribute) and node.value.attr == "Kind":
        return ComplaintEvent.Kind[node.attr].value
    return None


def _literals(node: ast.expr, tree: ast.Module, func: ast.FunctionDef | None) -> list[str] | None:
    """The codes an expression can take, or None when it cannot be traced to literals."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        a, b = _literals(node.body, tree, func), _literals(node.orelse, tree, func)
        return None if a is None or b is None else a + b
    if isinstance(node, ast.Attribute):
        value = _choice_value(node)
        return [value] if value else None
    if isinstance(node, ast.Name) and func is not None:
        # A parameter of the enclosing function: the literals its callers in this module pass.
        found = []
        for call in ast.walk(tree):
            if isinstance(call, ast.Call) and _name(call.func) == func.name:
                for kw in call.keywords:
                    if kw.arg == node.id:
                        values = _literals(kw.value, tree, None)
                        if values is None:
                            return None
                        found += values
        return found or None
    return None


def _written_kinds() -> tuple[set[tuple[str, str]], list[str]]:
    kinds: set[tuple[str, str]] = set()
    untraced: list[str] = []
    for rel, tree in _sources():
        parents = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                parents[child] = node
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            if name not in WRITERS or (name in PRIVATE and rel != PRIVATE[name]):
                continue
            log = WRITERS[name]
            if log is None:
                continue
            func = node
            while func is not None and not isinstance(func, ast.FunctionDef):
                func = parents.get(func)
            if func is not None and func.name in ("_log", "_event", "record_event", "_record", "event_record"):
                continue  # the writer's own body
            kind = next((kw.value for kw in node.keywords if kw.arg == "kind"), None)
            if kind is None:
                if log in DEFAULT_KIND:
                    kinds.add((log, DEFAULT_KIND[log]))
                    continue
                untraced.append(f"{rel}:{node.lineno} writes a {log} event without a kind")
                continue
            values = _literals(kind, tree, func)
            if values is None:
                untraced.append(f"{rel}:{node.lineno}: {ast.unparse(kind)}")
            else:
                kinds.update((log, v) for v in values)
    # Every state machine writes "transition" to its own history.
    kinds.update((("", "transition"), ("warranty_claim", "transition"), ("complaint", "transition")))
    return kinds, untraced


def test_the_source_walk_finds_the_kinds_of_every_app():
    kinds, _ = _written_kinds()
    for expected in [("", "received"), ("", "clock_on"), ("", "clock_resume"), ("", "dispatch"), ("", "reassign"),
                     ("", "additional_work_decision"), ("", "payment"), ("", "settlement"),
                     ("warranty_claim", "appraisal"), ("complaint", "escalated"), ("parts", "scrap.rejected"),
                     ("parts", "lost_sale.emergency")]:
        assert expected in kinds


def test_every_kind_written_anywhere_is_registered():
    kinds, untraced = _written_kinds()
    assert untraced == [], "kinds built at run time: make them fixed codes and put the variable part in the note"
    missing = sorted(f"{log}:{code}" if log else code for log, code in kinds
                     if (f"{log}:{code}" if log else code) not in registry.event_kinds)
    assert missing == []


@pytest.mark.parametrize("key", sorted(registry.event_kinds))
def test_every_registered_kind_has_a_label_in_both_languages(key):
    kind = registry.event_kinds[key]
    with translation.override("en"):
        english = str(registry.event_label(kind.code, kind.log))
    with translation.override("zh-hans"):
        chinese = str(registry.event_label(kind.code, kind.log))
    assert english.strip() and "_" not in english
    assert chinese != kind.code and chinese != english and CJK.search(chinese), (key, chinese)


def test_the_order_history_shows_labels_not_codes(client, station, alice):
    from reception.factories import WorkOrderFactory
    from reception.models import WorkOrderEvent
    from reception.services.workflow import record_event

    order = WorkOrderFactory(station=station, advisor=alice)
    for kind in ("clock_on", "clock_off", "dispatch", "additional_work_decision", "payment"):
        record_event(order=order, by=alice, kind=kind, note="")
    client.force_login(alice)
    client.post("/i18n/setlang/", {"language": "zh-hans"})
    body = client.get(f"/reception/orders/{order.pk}/").content.decode()
    with translation.override("zh-hans"):
        for event in WorkOrderEvent.objects.filter(order=order).exclude(kind="received"):
            assert str(registry.event_label(event.kind)) in body
    for code in ("clock_on", "clock_off", "additional_work_decision"):
        assert code not in body


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_order_history_shows_no_raw_code_of_any_kind_in_either_language(client, station, alice, language):
    """#16 item 3: every kind of change any app writes to a work order's history, and every status a transition
    names, reads as words on the order page — in English and in Chinese — never as its code."""
    from html import unescape

    from reception.factories import WorkOrderFactory
    from reception.models import WorkOrder, WorkOrderEvent

    codes = sorted(registry.event_kinds_of(""))
    statuses = [s.value for s in WorkOrder.Status]
    client.force_login(alice)
    client.post("/i18n/setlang/", {"language": language})
    raw_words = set(codes) | set(statuses)
    shown = 0
    for start in range(0, len(codes), 20):  # the page shows the latest 30 events
        order = WorkOrderFactory(station=station, advisor=alice)
        for code in codes[start:start + 20]:
            if code == "transition":
                for old, new in zip(statuses, statuses[1:], strict=False):
                    WorkOrderEvent.objects.create(order=order, by=alice, kind=code, old_status=old, new_status=new)
            else:
                WorkOrderEvent.objects.create(order=order, by=alice, kind=code)
        body = client.get(f"/reception/orders/{order.pk}/").content.decode()
        history = body[body.index('id="order-history"'):body.index("</ul>", body.index('id="order-history"'))]
        items = [unescape(re.sub(r"<[^>]+>", " ", li)) for li in history.split("<li>")[1:]]
        assert items
        shown += len(items)
        for text in items:
            words = set(re.findall(r"[a-z_]+", text))
            if language == "zh-hans":
                assert not words & raw_words, text  # not one code, not one English word
                assert CJK.search(text), text
            else:
                assert not {w for w in words & raw_words if "_" in w}, text
        with translation.override(language):
            for code in codes[start:start + 20]:
                if code != "transition":
                    assert str(registry.event_label(code)) in unescape(history), code
    assert shown >= len(codes)
