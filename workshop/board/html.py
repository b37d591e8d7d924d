"""The board's cards as HTML, built with plain string formatting.

300 cards through the template engine or ``format_html`` cost more than the whole page's budget
(bench/workshop_board.py), so the cards are f-strings — and therefore every text printed here goes through
``html.escape`` (quotes included: the order number also sits in an attribute). Nothing else in the project builds
HTML this way; workshop/tests/test_board_html.py feeds every printed text a hostile value.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from workshop.board.data import BoardOrder

_RISK_CLASS = {"": "risk-ok", "at_risk": "risk-at_risk", "late": "risk-late"}


def badges(item: BoardOrder) -> str:
    """The card's flags: late / at risk, waiting for parts or approval, rework, jobs not dispatched."""
    parts = []
    if item.risk == "late":
        parts.append(("text-bg-danger", "", pgettext("workshop", "late")))
    elif item.risk == "at_risk":
        parts.append(("text-bg-warning", "", pgettext("workshop", "at risk")))
    if item.waiting_parts:
        parts.append(("text-bg-info", "bi-box-seam", pgettext("workshop", "waiting for parts")))
    if item.waiting_approval:
        parts.append(("text-bg-warning", "bi-hourglass-split", pgettext("workshop", "waiting for approval")))
    if item.rework:
        parts.append(("text-bg-danger", "bi-arrow-counterclockwise", f"{_('rework')} ×{item.rework}"))
    if item.unassigned:
        text = ngettext("%(n)s job not dispatched", "%(n)s jobs not dispatched", item.unassigned) % {
            "n": item.unassigned
        }
        parts.append(("text-bg-light border", "", text))
    return " ".join(f'<span class="badge {c}"><i class="bi {i}"></i> {escape(t)}</span>' for c, i, t in parts)


def card(item: BoardOrder, dispatch_url: str = "") -> str:
    """One order's card: plate, number, model, advisor, promised time, the customer's concern, flags, who works on it
    in which bay and — for the dispatcher (``dispatch_url``, with ``{}`` for the order id) — a link to dispatch its
    jobs."""
    o = item.order
    promised = f'<i class="bi bi-clock"></i> {escape(o.promised_label)} ' if o.promised_label else ""
    people = (
        f'<div class="small mt-1"><i class="bi bi-person-gear"></i> {escape(item.people)}</div>'
        if item.technicians
        else ""
    )
    concern = "; ".join(o.concerns)
    concern_html = (
        f'<div class="small board-concern" title="{escape(concern)}"><i class="bi bi-chat-quote"></i> '
        f'{escape(concern[:60] + ("…" if len(concern) > 60 else ""))}</div>'
        if concern
        else ""
    )
    action = ""
    if dispatch_url and o.status in ("open", "in_progress"):
        action = (
            f'<a class="btn btn-sm {"btn-primary" if item.unassigned else "btn-outline-primary"} mt-1" '
            f'href="{escape(dispatch_url.format(int(o.pk)))}"><i class="bi bi-people"></i> {escape(_("Dispatch"))}</a>'
        )
    return (
        f'<div class="card board-card {_RISK_CLASS.get(item.risk, "risk-ok")} mb-2" data-order="{escape(o.number)}">'
        f'<div class="card-body p-2"><div class="d-flex justify-content-between"><strong>{escape(o.plate)}</strong>'
        f'<span class="small">{escape(o.number)}</span></div>'
        f'<div class="small text-muted">{escape(o.model)} · {escape(o.advisor)}</div>{concern_html}'
        f'<div class="small">{promised}{badges(item)}</div>{people}{action}</div></div>'
    )


def cards(items: Iterable[BoardOrder], dispatch_url: str = "") -> SafeString:
    """A column's cards, one string (one template variable per column instead of one per card)."""
    return mark_safe("\n".join(card(item, dispatch_url) for item in items))  # noqa: S308 - card() escapes every text it prints
