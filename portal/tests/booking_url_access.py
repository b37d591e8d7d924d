"""Access rows of the online booking pages (public: the code, the request token or the signed link is checked by the
view itself). Merged into portal/tests/url_access.py."""

from org.tests.access import EVERYONE, Row

ROWS = {
    "portal:book": Row(allowed=EVERYONE, public=True, kwargs=lambda w: {"code": w.station.code}),
    # an unknown request token: the "link not valid" page
    "portal:book_confirm": Row(allowed=EVERYONE, public=True, status=404,
                               kwargs=lambda w: {"code": w.station.code, "token": "x" * 32}),
    "portal:book_manage": Row(allowed=EVERYONE, public=True, kwargs=lambda w: {"token": w.booking_token}),
}


def setup(world):
    from portal.booking import manage_token
    from reception.factories import AppointmentFactory

    world.booking_token = manage_token(AppointmentFactory(station=world.station, channel="online"))
