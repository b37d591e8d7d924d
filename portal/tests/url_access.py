from org.tests.access import EVERYONE, Row
from portal.tests.booking_url_access import ROWS as BOOKING_ROWS
from portal.tests.booking_url_access import setup as booking_setup

# who may revoke or re-issue an order's customer link (reception.edit)
EDIT = frozenset({"station_manager", "front_desk_lead", "service_advisor", "receptionist"})
UNSCOPED = "the customer's link: the token and the verified session scope it, not a staff member's station"


def _token(w):
    return {"token": w.link_token}


ROWS = {
    # The customer's link (public; anyone without the gate passed sees the gate, or is sent back to it).
    "portal:link": Row(allowed=EVERYONE, public=True, kwargs=_token),
    "portal:link_decide": Row(allowed=EVERYONE, public=True, status=302, method="post", kwargs=_token),
    "portal:link_optout": Row(allowed=EVERYONE, public=True, status=302, method="post", kwargs=_token),
    "portal:link_sign": Row(allowed=EVERYONE, public=True, status=302, method="post", kwargs=_token),
    "portal:link_survey": Row(allowed=EVERYONE, public=True, status=302, method="post", kwargs=_token),
    "portal:link_complaint": Row(allowed=EVERYONE, public=True, status=302, method="post", kwargs=_token),
    "portal:link_photo": Row(allowed=EVERYONE, public=True, status=404, unscoped=UNSCOPED,
                             kwargs=lambda w: {"token": w.link_token, "pk": 1}),
    "portal:link_video": Row(allowed=EVERYONE, public=True, status=404, unscoped=UNSCOPED,
                             kwargs=lambda w: {"token": w.link_token, "pk": 1}),
    "portal:link_document": Row(allowed=EVERYONE, public=True, status=404,
                                kwargs=lambda w: {"token": w.link_token, "kind": "work-order"}),
    "portal:link_receipt": Row(allowed=EVERYONE, public=True, status=404, unscoped=UNSCOPED,
                               kwargs=lambda w: {"token": w.link_token, "pk": 1}),
    # The customer's WeChat binding (only with the gate passed: 404 before it).
    "portal:link_wechat": Row(allowed=EVERYONE, public=True, status=404, kwargs=_token),
    "portal:link_wechat_back": Row(allowed=EVERYONE, public=True, status=404, kwargs=_token),
    # The advisor's buttons on the order page.
    **BOOKING_ROWS,
    "portal:link_revoke": Row(other_station=404, allowed=EDIT, status=302, method="post",
                              kwargs=lambda w: {"pk": w.link_order.pk}),
    "portal:link_reissue": Row(other_station=404, allowed=EDIT, status=302, method="post",
                               kwargs=lambda w: {"pk": w.link_order.pk}),
}


def setup(world):
    from django.core.cache import cache

    cache.clear()  # the link's rate limits count per token and address in the cache: each URL's check starts afresh
    booking_setup(world)
    from portal.services.link import link_issue, link_token
    from reception.factories import WorkOrderFactory

    world.link_order = WorkOrderFactory(signed=True, station=world.station)
    world.link_token = link_token(link_issue(order=world.link_order))
