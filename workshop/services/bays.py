"""The station's bays (工位), set up on the first-run checklist and changed later by the station manager.

A bay in use is never deleted (jobs and the board refer to it): it is switched off, and dispatch no longer offers it.
Codes are unique in the station. The bay keeps when it was created and last changed (``created_at``,
``updated_at``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from org.models import Station
from workshop.board.cache import board_touch
from workshop.models import Bay


def _check_code(*, station: Station, code: str, bay: Bay | None = None) -> str:
    code = (code or "").strip()
    if not code:
        raise DomainError(_("Enter a code."), field="code")
    clash = Bay.objects.filter(station=station, code__iexact=code).exclude(pk=getattr(bay, "pk", None))
    if clash.exists():
        raise DomainError(_("This station already has a bay with code %(code)s.") % {"code": code}, field="code")
    return code


@transaction.atomic
def bay_create(*, station: Station, by, code: str, name: str, kind: str = Bay.Kind.LIFT) -> Bay:
    code = _check_code(station=station, code=code)
    bay = Bay.objects.create(station=station, code=code, name=name.strip(), kind=kind)
    board_touch(station.pk)  # the board has a row per bay
    return bay


@transaction.atomic
def bay_update(*, bay: Bay, by, code: str, name: str, kind: str, is_active: bool) -> Bay:
    bay = Bay.objects.select_for_update().get(pk=bay.pk)
    bay.code = _check_code(station=bay.station, code=code, bay=bay)
    bay.name, bay.kind, bay.is_active = name.strip(), kind, is_active
    bay.save()
    board_touch(bay.station_id)
    return bay
