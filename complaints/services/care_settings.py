"""The station's customer-care settings: deadlines per severity, follow-up and maintenance intervals."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from complaints.models import CareSettings
from core.errors import DomainError
from org.models import Staff, Station

FIELDS = [f.name for f in CareSettings._meta.fields if f.name not in {"id", "station", "created_at", "updated_at"}]


@transaction.atomic
def care_settings_update(*, station: Station, by: Staff, **values: int) -> CareSettings:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown settings: {sorted(unknown)}")
    row, _created = CareSettings.objects.select_for_update().get_or_create(station=station)
    for name, value in values.items():
        setattr(row, name, value)
    for severity in range(1, 5):
        if getattr(row, f"response_hours_{severity}") > getattr(row, f"resolution_hours_{severity}"):
            raise DomainError(_("The response time cannot be longer than the resolution time."),
                              field=f"response_hours_{severity}")
    if row.followup_due_days >= row.followup_expire_days:
        raise DomainError(_("A follow-up call must expire after it is due."), field="followup_expire_days")
    row.save()
    return row
