from portal.tests.booking_url_access import ROWS as BOOKING_ROWS
from portal.tests.booking_url_access import setup as booking_setup

ROWS = {**BOOKING_ROWS}


def setup(world):
    booking_setup(world)
