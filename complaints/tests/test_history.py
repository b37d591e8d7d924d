"""The complaint's timeline (issue 16, item 25): the first event reads as the complaint being registered, not as a move
from "received" to "received"; a state change reads old → new."""

import pytest
from django.urls import reverse

from complaints.services import complaints as svc

pytestmark = pytest.mark.django_db


def _timeline(body: str) -> str:
    start = body.index('id="timeline"')
    return body[start:body.index("</ul>", start)]


def test_the_first_event_reads_as_registered_and_changes_read_old_to_new(client_as, alice, new_complaint):
    c = new_complaint()
    svc.complaint_acknowledge(complaint=c, by=alice)
    client = client_as(alice)
    client.cookies["django_language"] = "zh-hans"
    timeline = _timeline(client.get(reverse("complaints:detail", args=[c.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
                         .content.decode())
    assert "已接收 → 已接收" not in timeline and "→ 已接收" not in timeline
    assert "投诉登记" in timeline
    assert "已接收 → 分析中" in timeline
