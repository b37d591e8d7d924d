"""Template helpers for customer care: the front-desk panel's data (the unread badge is core's ``notifications``), and
the rows of the call queue and the complaints list built in Python."""

from __future__ import annotations

from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext

from complaints import selectors
from complaints.models import Complaint
from core.consent import consent_history
from core.delivery import OUTBOX_CHANNELS
from core.models import Notification
from core.rows import date_formatter, pk_link
from org import permissions as perm
from org.models import Staff
from reception.models import Vehicle

register = template.Library()


@register.simple_tag
def care_desk(user) -> dict:
    """My overdue complaints and my calls due, for the desk panel."""
    if not getattr(user, "is_authenticated", False) or not perm.has_action(user, perm.COMPLAINTS_VIEW):
        return {"complaints": [], "calls": [], "visible": False}
    return {
        "complaints": list(selectors.desk_overdue_complaints(user)[:10]),
        "calls": list(selectors.desk_calls_due(user)[:10]),
        "visible": True,
    }


@register.simple_tag
def order_complaints(order) -> list:
    """The order page's panel: the order's complaints, with only what the panel shows of them."""
    return list(order.complaints.only("order", "number", "subject", "state", "possible_comeback"))


@register.simple_tag
def care_customer(customer) -> dict:
    """The customer page's panel: the last complaints and follow-up calls, each call with its order and survey read in
    the same query (not one query per call)."""
    return {
        "complaints": list(customer.complaints.order_by("-received_at", "-id")[:10]),
        "calls": list(customer.follow_up_calls.select_related("order", "survey")[:10]),
    }


@register.simple_tag
def customer_consent(customer) -> dict:
    """The customer page's consent panel: the consent history (with who recorded it) and the last messages sent."""
    return {
        "history": consent_history(customer=customer, limit=10),
        "messages": list(Notification.objects.filter(recipient_customer=customer, channel__in=OUTBOX_CHANNELS)
                         .order_by("-created_at", "-id")[:5]),
    }


# --- list rows: what a row prints, worked out once per page in Python rather than per row by template tags ----------

# One row of the call queue's table, as the template wrote it (with its whitespace).
_CALL_ROW = (
    "\n    <tr>\n      <td>{}</td><td>{}</td><td>{}</td><td>{}</td>\n      <td>{}</td><td>{}</td><td>{}</td>\n      <td>{}</td>"
    '\n      <td><a class="btn btn-sm btn-primary" href="{}"><i class="bi bi-telephone"></i> {}</a></td>\n    </tr>\n  '
)


@register.simple_tag
def call_rows(rows) -> list[str]:
    """The call queue's table rows (``selectors.call_queue``'s dicts) as HTML, each value escaped: the customer and
    mobile, the vehicle (plate, else VIN), the order, the delivery day, the advisor as Staff prints (an empty cell when
    there is none: the row template printed "None"), the attempts, when to call, the link to the call. Built in Python: a section
    holds up to 50 rows and per-row template tags were most of the page's CPU."""
    url = pk_link("complaints:call")
    day, moment = date_formatter("SHORT_DATE_FORMAT"), date_formatter("SHORT_DATETIME_FORMAT")
    call = gettext("Call")
    return [
        format_html(
            _CALL_ROW, r["customer__name"], r["customer__mobile"], Vehicle.label_from(r["order__vehicle__plate"], r["order__vehicle__vin"]),
            r["order__number"], day(r["delivered_at"]),
            Staff.name_from(r["advisor__display_name"], r["advisor__first_name"], r["advisor__last_name"],
                       r["advisor__username"]) if r["advisor_id"] else "",
            formats.localize(r["attempts"]), moment(r["next_attempt_at"]), url(r["pk"]), call,
        )
        for r in rows
    ]


# One row of the complaints list, as the template wrote it (with its whitespace).
_COMPLAINT_ROW = (
    '\n        <tr>\n          <td><a href="{}">{}</a></td>\n          <td>{}</td>\n          <td>{}{}</td>'
    "\n          <td>{}</td>\n          <td>{}</td>"
    '\n          <td>{}\n</td>\n          <td>{}</td>\n          <td>{}</td>'
    "\n        </tr>\n      "
)


@register.simple_tag
def complaint_rows(complaints) -> list[str]:
    """The complaints list's rows (``selectors.complaints_listed``'s dicts) as HTML, each value escaped: the number
    and its link, when received, the customer and vehicle, the subject, the severity, the state's badges (as
    ``_state_badge.html`` shows them), the owner as Staff prints, the resolution due. Built in Python: per-row template
    tags were most of the list's CPU."""
    url = pk_link("complaints:detail")
    moment = date_formatter("SHORT_DATETIME_FORMAT")
    badges = _StateBadges()
    rows = []
    for c in complaints:
        vehicle = "" if c["vehicle_id"] is None else format_html(" · {}", Vehicle.label_from(c["vehicle__plate"], c["vehicle__vin"]))
        rows.append(format_html(
            _COMPLAINT_ROW, url(c["pk"]), c["number"], moment(c["received_at"]), c["customer__name"], vehicle,
            c["subject"], formats.localize(c["severity"]), badges(c["state"], c["overdue"], c["is_crisis"]),
            Staff.name_from(c["owner__display_name"], c["owner__first_name"], c["owner__last_name"], c["owner__username"]),
            moment(c["resolution_due"]),
        ))
    return rows


class _StateBadges:
    """A complaint's state as badges — the state (green closed, red overdue, yellow received, blue the rest), crisis,
    overdue — with the labels translated once for a whole list."""

    def __init__(self):
        self.labels = {value: str(label) for value, label in Complaint.State.choices}
        self.crisis = format_html(' <span class="badge text-bg-danger"><i class="bi bi-exclamation-octagon"></i> {}</span>',
                                  gettext("crisis"))
        self.late = format_html(' <span class="badge text-bg-danger">{}</span>', gettext("overdue"))

    def __call__(self, state: str, overdue: bool, is_crisis: bool) -> str:
        if state == Complaint.State.CLOSED:
            css = "text-bg-success"
        elif overdue:
            css = "text-bg-danger"
        elif state == Complaint.State.RECEIVED:
            css = "text-bg-warning"
        else:
            css = "text-bg-primary"
        return format_html('<span class="badge {}">{}</span>{}{}', css, self.labels.get(state, state),
                           self.crisis if is_crisis else "", self.late if overdue else "")


@register.simple_tag
def complaint_state_badges(complaint) -> str:
    """``{% complaint_state_badges complaint %}``: the complaint page's state badges, as the list shows them."""
    return _StateBadges()(complaint.state, complaint.is_overdue, complaint.is_crisis)
