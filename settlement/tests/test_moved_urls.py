"""Settlement moved from /reception/ to /settlement/: every old address redirects to the new one, query kept."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from settlement import urls as settlement_urls

SAMPLE_KWARGS = {"pk": 7, "statement_pk": 8, "line_pk": 9, "doc": "work-order"}


def _new_urls() -> list[str]:
    urls = []
    moved = {str(p.pattern) for p in settlement_urls.moved_urlpatterns}  # pages added later never lived there
    for pattern in settlement_urls.urlpatterns:
        if str(pattern.pattern) not in moved:
            continue
        kwargs = {name: SAMPLE_KWARGS[name] for name in pattern.pattern.converters}
        urls.append(reverse(f"settlement:{pattern.name}", kwargs=kwargs))
    return urls


def test_pages_added_after_the_move_have_no_old_address():
    assert reverse("settlement:receivables") == "/settlement/ledger/receivables/"
    assert not any("ledger/" in str(p.pattern) for p in settlement_urls.moved_urlpatterns)
    assert len(_new_urls()) == len(settlement_urls.moved_urlpatterns)


def test_settlement_lives_under_settlement():
    assert reverse("settlement:desk") == "/settlement/payments/"
    assert reverse("settlement:work_order_pdf", kwargs={"pk": 7}) == "/settlement/orders/7/work-order.pdf"
    assert reverse("settlement:claim_detail", kwargs={"pk": 7}) == "/settlement/claims/7/"


@pytest.mark.parametrize("new", _new_urls())
def test_every_old_reception_address_redirects_permanently_with_its_query(client_as, alice, new):
    old = new.replace("/settlement/", "/reception/", 1)
    response = client_as(alice).get(old + "?lang=en&download=1")
    assert response.status_code == 301
    assert response["Location"] == new + "?lang=en&download=1"
    assert resolve(new).namespace == "settlement"


def test_a_form_posted_to_an_old_address_is_posted_again_to_the_new_one(client_as, alice):
    response = client_as(alice).post("/reception/orders/7/settlement/settle/", {"note": "x"})
    assert response.status_code == 308
    assert response["Location"] == "/settlement/orders/7/settlement/settle/"


def test_the_front_desk_keeps_its_own_addresses(client_as, alice):
    assert client_as(alice).get(reverse("reception:index")).status_code == 200
    assert reverse("reception:index").startswith("/reception/")


def test_an_anonymous_visitor_of_an_old_address_is_asked_to_log_in(client, db):
    response = client.get("/reception/payments/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_redirect_lands_on_the_page(client_as, alice, make_staff):
    cashier = make_staff("cashier", username="cashier-moved")
    response = client_as(cashier).get("/reception/payments/", follow=True)
    assert response.redirect_chain == [("/settlement/payments/", 301)]
    assert response.status_code == 200
