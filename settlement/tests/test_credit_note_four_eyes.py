"""Issue 13 item 7: a credit note (红冲) needs four eyes. The cashier asks, someone else with authority over the amount
approves, and only then is it issued; both are recorded."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from org.models import AuthorityLimit
from reception.models import WorkOrderEvent
from settlement.models import CreditNoteRequest, Payment, Statement
from settlement.services.payments import statement_balance

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(client_as, cashier, ready_order):
    """The order settled and its statement paid in full (¥1,227.18)."""
    client = client_as(cashier)
    client.post(reverse("settlement:settle", kwargs={"pk": ready_order.pk}))
    statement = Statement.objects.get(order=ready_order)
    client.post(reverse("settlement:payment_new", kwargs={"pk": statement.pk}),
                {"method": "wechat", "amount": str(statement.due), "reference": "WX001"})
    assert Payment.objects.filter(statement=statement).exists() and statement_balance(statement) == 0
    return statement


def _ask(client, statement, **data):
    url = reverse("settlement:credit_note", kwargs={"pk": statement.order_id, "statement_pk": statement.pk})
    return client.post(url, {"reason": "开票信息有误", **data})


def _decide(client, request, approve="1"):
    return client.post(reverse("settlement:credit_request_decide", args=[request.pk]), {"approve": approve})


def test_the_cashier_alone_only_asks_for_a_full_credit_note(client_as, cashier, carol, paid):
    response = _ask(client_as(cashier), paid)
    assert response.status_code == 302
    request = CreditNoteRequest.objects.get()
    assert (request.status, request.amount, request.requested_by, request.approver) == (
        CreditNoteRequest.Status.PENDING, paid.due, cashier, carol)
    assert not Statement.objects.filter(kind=Statement.Kind.CREDIT_NOTE).exists()
    paid.refresh_from_db()
    assert paid.due == D("1227.18") and statement_balance(paid) == 0
    page = client_as(cashier).get(reverse("settlement:order", kwargs={"pk": paid.order_id})).content.decode()
    assert "pending-credit" in page


def test_the_cashier_cannot_approve_her_own_request(client_as, cashier, paid):
    client = client_as(cashier)
    _ask(client, paid)
    request = CreditNoteRequest.objects.get()
    assert _decide(client, request).status_code == 403  # a cashier has no approval rights at all
    # and even someone with approval rights cannot approve what they asked for themselves
    assert not Statement.objects.filter(kind=Statement.Kind.CREDIT_NOTE).exists()


def test_a_manager_cannot_approve_a_credit_note_he_asked_for(client_as, carol, make_staff, paid):
    client = client_as(carol)
    carol_asks = _ask(client, paid, amount="100.00")
    assert carol_asks.status_code == 403  # asking is the cashier's: a manager has no cashier rights
    request = CreditNoteRequest.objects.create(statement=paid, amount=D("100.00"), reason="x", requested_by=carol)
    response = _decide(client, request)
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.status == CreditNoteRequest.Status.PENDING
    assert not Statement.objects.filter(kind=Statement.Kind.CREDIT_NOTE).exists()


def test_the_manager_approves_and_the_credit_note_is_issued(client_as, cashier, carol, paid):
    _ask(client_as(cashier), paid)
    request = CreditNoteRequest.objects.get()
    manager = client_as(carol)
    page = manager.get(reverse("settlement:credit_requests")).content.decode()
    waiting = page[page.index('id="credit-requests"'):]
    assert paid.number in waiting[:waiting.index("</table>")] and "开票信息有误" in page
    response = _decide(manager, request)
    assert response.status_code == 302
    request.refresh_from_db()
    credit = Statement.objects.get(kind=Statement.Kind.CREDIT_NOTE)
    assert credit.due == -D("1227.18") and credit.original == paid and credit.issued_by == cashier
    assert (request.status, request.decided_by, request.credit_note) == (
        CreditNoteRequest.Status.APPROVED, carol, credit)
    assert WorkOrderEvent.objects.filter(order=paid.order, kind="credit_note_requested", by=cashier).exists()
    assert WorkOrderEvent.objects.filter(order=paid.order, kind="credit_note_decided", by=carol).exists()
    paid.refresh_from_db()
    assert paid.due == D("1227.18")  # the original never changes


def test_a_manager_without_authority_over_the_amount_cannot_approve(client_as, cashier, carol, station, paid):
    AuthorityLimit.objects.create(station=station, position="station_manager", max_discount_pct=D("30"),
                                  max_goodwill=D("1000"), max_complaint_severity=3)
    _ask(client_as(cashier), paid)
    request = CreditNoteRequest.objects.get()
    assert request.approver != carol  # the chain goes past her to someone who may
    manager = client_as(carol)
    page = manager.get(reverse("settlement:credit_requests")).content.decode()
    waiting = page[page.index('id="credit-requests"'):]
    assert paid.number not in waiting[:waiting.index("</table>")]
    response = _decide(manager, request)
    assert response.status_code == 400
    assert "beyond your authority" in response.content.decode()
    request.refresh_from_db()
    assert request.status == CreditNoteRequest.Status.PENDING
    assert not Statement.objects.filter(kind=Statement.Kind.CREDIT_NOTE).exists()


def test_a_declined_request_issues_nothing_and_is_recorded(client_as, cashier, carol, paid):
    _ask(client_as(cashier), paid)
    request = CreditNoteRequest.objects.get()
    assert _decide(client_as(carol), request, approve="0").status_code == 302
    request.refresh_from_db()
    assert request.status == CreditNoteRequest.Status.DECLINED and request.decided_by == carol
    assert not Statement.objects.filter(kind=Statement.Kind.CREDIT_NOTE).exists()


def test_another_stations_manager_cannot_see_or_decide_the_request(client_as, cashier, make_staff, other_station,
                                                                  paid):
    _ask(client_as(cashier), paid)
    request = CreditNoteRequest.objects.get()
    stranger = make_staff("station_manager", username="hz-mgr", station=other_station)
    assert _decide(client_as(stranger), request).status_code == 404
