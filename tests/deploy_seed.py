"""Rows the two-node deploy test needs, in the fresh database it made: ``python -m tests.deploy_seed`` prints them
as JSON. A station with its bay, an advisor (alice), a dispatcher (dave) and a technician (bob), all with the
password below (hashed with the real hashers: the nodes run production settings), a draft order with a labour
line, for alice to sign on node A, and a labour operation customers may book online (the public host's check)."""

from __future__ import annotations

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from org.factories import StaffFactory, StationFactory  # noqa: E402  (after django.setup)
from reception.factories import LabourOperationFactory, WorkOrderFactory, labour_line  # noqa: E402
from workshop.factories import BayFactory  # noqa: E402

PASSWORD = "deploy-test-pass-2026"


def main() -> dict:
    station = StationFactory(code="deploy-a", name="部署测试站")

    def _staff(username: str, position: str, **kw):
        person = StaffFactory(username=username, position=position, station=station, group=station.group, **kw)
        person.set_password(PASSWORD)
        person.save(update_fields=["password"])
        return person

    carol = _staff("carol", "station_manager")
    alice = _staff("alice", "service_advisor", reports_to=carol)
    dave = _staff("dave", "workshop_lead", reports_to=carol)
    bob = _staff("bob", "technician", reports_to=dave)
    bay = BayFactory(station=station, code="A1", name="一号举升机")
    order = WorkOrderFactory(station=station, advisor=alice)
    line = labour_line(order, hours="2.00", price="300.00")
    bookable = LabourOperationFactory(station=station, code="BK1", name_zh="常规保养", bookable=True)
    return {"order": order.pk, "order_number": order.number, "line": line.pk, "bay": bay.pk, "bob": bob.pk,
            "password": PASSWORD, "station_code": station.code, "bookable": bookable.pk}


if __name__ == "__main__":
    print(json.dumps(main()))
