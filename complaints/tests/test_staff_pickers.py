"""The complaint pages pick people by searching (core.pickers): the page does not list the station's staff."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def test_complaint_pages_do_not_list_the_staff(client_as, alice, make_staff, new_complaint):
    complaint = new_complaint()
    client = client_as(alice)
    for url in (reverse("complaints:detail", args=[complaint.pk]), reverse("complaints:intake")):
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            small = client.get(url).content.decode()
        more = [make_staff("service_advisor", username=f"adv{url[-8:]}{i}", display_name=f"顾问{i:03d}")
                for i in range(40)]
        with CaptureQueriesContext(connection) as many:
            large = client.get(url).content.decode()
        assert len(many.captured_queries) == len(few.captured_queries), url
        assert abs(len(large) - len(small)) < 100, url
        assert all(p.display_name not in large for p in more), url
        assert 'role="combobox"' in large
