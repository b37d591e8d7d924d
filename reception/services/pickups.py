"""Pick-up and delivery (取送车): a driver fetches the customer's car and brings it back.

planned → picked up → delivered (or planned → cancelled). At each end the hand-over check is written down, the
customer signs on the tablet (the signature is checked and re-encoded like every upload, core.uploads) and photos of
the car may be kept. Every change writes a ``PickupEvent`` with who and when.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.uploads import signature_clean
from org.models import Staff
from reception.models import Appointment, PickupEvent, PickupJob, PickupPhoto, WorkOrder

NEXT = {PickupJob.Status.PLANNED: PickupJob.Status.PICKED_UP, PickupJob.Status.PICKED_UP: PickupJob.Status.DELIVERED}


def _event(job: PickupJob, kind: str, by: Staff | None, note: str = "") -> None:
    PickupEvent.objects.create(job=job, kind=kind, by=by, note=note)


@transaction.atomic
def pickup_plan(*, by: Staff, driver: Staff, window_start: datetime, window_end: datetime, pickup_address: str,
                delivery_address: str, order: WorkOrder | None = None,
                appointment: Appointment | None = None) -> PickupJob:
    if (order is None) == (appointment is None):
        raise ValueError("a pick-up belongs to exactly one order or appointment")
    station_id = (order or appointment).station_id
    if driver.station_id != station_id or not driver.is_active:
        raise DomainError(_("Pick an active driver of this station."), field="driver")
    if window_end <= window_start:
        raise DomainError(_("The end must come after the start."), field="window_end")
    if not pickup_address.strip() or not delivery_address.strip():
        raise DomainError(_("Give both addresses."), field="pickup_address")
    job = PickupJob.objects.create(
        station_id=station_id, order=order, appointment=appointment, driver=driver, window_start=window_start,
        window_end=window_end, pickup_address=pickup_address.strip(), delivery_address=delivery_address.strip())
    _event(job, "planned", by)
    return job


@transaction.atomic
def pickup_hand_over(*, job: PickupJob, by: Staff, signature_png: bytes | None, note: str = "", photo=None,
                     at: datetime | None = None) -> PickupJob:
    """The next hand-over: the car picked up from the customer, or delivered back. The customer's signature is
    required at both ends."""
    job = PickupJob.objects.select_for_update().get(pk=job.pk)
    stage = NEXT.get(job.status)
    if stage is None:
        raise DomainError(_("This job has no hand-over left."))
    if not signature_png:
        raise DomainError(_("The customer has not signed on the screen yet."), field="signature")
    try:
        clean = signature_clean(signature_png)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="signature") from exc
    moment = at or timezone.now()
    if stage == PickupJob.Status.PICKED_UP:
        job.picked_up_at, job.pickup_note = moment, note.strip()
        job.pickup_signature.save(clean.name, clean, save=False)
    else:
        job.delivered_at, job.delivery_note = moment, note.strip()
        job.delivery_signature.save(clean.name, clean, save=False)
    job.status = stage
    job.save()
    if photo is not None:
        PickupPhoto.objects.create(job=job, stage=stage, image=photo, uploaded_by=by)
    _event(job, stage, by, note.strip())
    return job


@transaction.atomic
def pickup_cancel(*, job: PickupJob, by: Staff) -> PickupJob:
    job = PickupJob.objects.select_for_update().get(pk=job.pk)
    if job.status != PickupJob.Status.PLANNED:
        raise DomainError(_("Only a planned job can be cancelled."))
    job.status = PickupJob.Status.CANCELLED
    job.save()
    _event(job, "cancelled", by)
    return job
