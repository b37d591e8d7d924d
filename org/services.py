"""Organisation services: authority limits, the approval chain, and changes to staff.

"May this person do this, for this amount?" and "who is the next person up that may?" are answered here and only
here; discounts, goodwill and complaint closing all route through these two questions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from org.models import (
    GROUP_POSITIONS,
    AuthorityLimit,
    AuthorityLimitChange,
    DealerGroup,
    Position,
    Region,
    Staff,
    StaffEvent,
    Station,
)


class Authority(StrEnum):
    DISCOUNT = "discount"  # amount: discount in percent
    GOODWILL = "goodwill"  # amount: CNY
    COMPLAINT = "complaint"  # amount: severity 1–4


@dataclass(frozen=True)
class Limits:
    max_discount_pct: Decimal
    max_goodwill: Decimal
    max_complaint_severity: int


# Defaults when a station has not set its own row. Group roles have no station row: they are the top of the chain.
DEFAULT_LIMITS: dict[str, Limits] = {
    Position.STATION_MANAGER: Limits(Decimal("30"), Decimal("20000"), 3),
    Position.FRONT_DESK_LEAD: Limits(Decimal("15"), Decimal("5000"), 2),
    Position.SERVICE_ADVISOR: Limits(Decimal("5"), Decimal("500"), 1),
    Position.CUSTOMER_RELATIONS: Limits(Decimal("0"), Decimal("200"), 1),
    Position.INFORMATION_SPECIALIST: Limits(Decimal("0"), Decimal("0"), 1),
    Position.WORKSHOP_LEAD: Limits(Decimal("0"), Decimal("1000"), 1),
    Position.TECHNICAL_LEAD: Limits(Decimal("0"), Decimal("1000"), 1),
    Position.PARTS_LEAD: Limits(Decimal("10"), Decimal("1000"), 0),
    Position.REGIONAL_MANAGER: Limits(Decimal("50"), Decimal("100000"), 4),
    Position.GROUP_DIRECTOR: Limits(Decimal("100"), Decimal("1000000"), 4),
}
NO_AUTHORITY = Limits(Decimal("0"), Decimal("0"), 0)


def limits_for(*, staff: Staff) -> Limits:
    """The limits in force for this person: their station's row for their position, else the default."""
    if staff.station_id and staff.position not in (Position.GROUP_DIRECTOR, Position.REGIONAL_MANAGER):
        row = AuthorityLimit.objects.filter(station_id=staff.station_id, position=staff.position).first()
        if row is not None:
            return Limits(row.max_discount_pct, row.max_goodwill, row.max_complaint_severity)
    return DEFAULT_LIMITS.get(staff.position, NO_AUTHORITY)


def may_decide(*, staff: Staff, kind: Authority, amount: Decimal | int) -> bool:
    """May this person decide alone, for this amount?"""
    if not staff.is_active:
        return False
    limits = limits_for(staff=staff)
    if kind == Authority.DISCOUNT:
        return Decimal(amount) <= limits.max_discount_pct
    if kind == Authority.GOODWILL:
        return Decimal(amount) <= limits.max_goodwill
    if kind == Authority.COMPLAINT:
        return int(amount) <= limits.max_complaint_severity
    raise ValueError(kind)


def supervisor_chain(*, staff: Staff) -> Iterator[Staff]:
    """Walk reports-to upwards, then to the group's director if the chain ends below them. Stops on a loop."""
    seen = {staff.pk}
    current = staff.reports_to
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        yield current
        current = current.reports_to
    group_id = staff.group_id or (staff.station.group_id if staff.station_id else None)
    if group_id:
        yield from Staff.objects.filter(
            group_id=group_id, position=Position.GROUP_DIRECTOR, is_active=True
        ).exclude(pk__in=seen)


def next_approver(*, staff: Staff, kind: Authority, amount: Decimal | int) -> Staff | None:
    """The nearest active person up the chain who may decide this amount; None means head office must."""
    for person in supervisor_chain(staff=staff):
        if person.is_active and may_decide(staff=person, kind=kind, amount=amount):
            return person
    return None


def next_up(*, staff: Staff) -> Staff | None:
    """The next active person up the chain, whatever their limits (for escalation by deadline)."""
    for person in supervisor_chain(staff=staff):
        if person.is_active:
            return person
    return None


# --- changes to staff ------------------------------------------------------------------------------------------


def _check_reports_to(*, staff: Staff | None, station: Station | None, reports_to: Staff | None) -> None:
    if reports_to is None:
        return
    if staff is not None and reports_to.pk == staff.pk:
        raise DomainError(_("A person cannot report to themselves."), field="reports_to")
    if station is not None and reports_to.station_id not in (station.pk, None):
        raise DomainError(_("The supervisor must work in the same station."), field="reports_to")
    if staff is not None and staff.pk:
        for above in supervisor_chain(staff=reports_to):
            if above.pk == staff.pk:
                raise DomainError(
                    _("%(name)s already reports (directly or not) to this person: that would make a loop.")
                    % {"name": reports_to},
                    field="reports_to",
                )


@transaction.atomic
def staff_create(
    *,
    by: Staff,
    station: Station,
    username: str,
    password: str,
    display_name: str,
    position: str,
    reports_to: Staff | None = None,
    phone: str = "",
    email: str = "",
    employee_no: str = "",
) -> Staff:
    if Staff.objects.filter(username__iexact=username).exists():
        raise DomainError(_("This login name is already taken."), field="username")
    _check_reports_to(staff=None, station=station, reports_to=reports_to)
    staff = Staff(
        username=username,
        display_name=display_name,
        station=station,
        group_id=station.group_id,
        position=position,
        reports_to=reports_to,
        phone=phone,
        email=email,
        employee_no=employee_no,
    )
    staff.set_password(password)
    staff.save()
    StaffEvent.objects.create(staff=staff, station=station, kind=StaffEvent.Kind.CREATED, by=by)
    return staff


@transaction.atomic
def staff_update(
    *,
    by: Staff,
    staff: Staff,
    station: Station,
    display_name: str,
    position: str,
    reports_to: Staff | None,
    phone: str = "",
    email: str = "",
    employee_no: str = "",
) -> Staff:
    _check_reports_to(staff=staff, station=station, reports_to=reports_to)
    moved = staff.station_id != station.pk or staff.position != position or staff.reports_to_id != (
        reports_to.pk if reports_to else None
    )
    before = f"{staff.station} / {staff.get_position_display()} / {staff.reports_to or '-'}"
    staff.station = station
    staff.group_id = station.group_id
    staff.display_name = display_name
    staff.position = position
    staff.reports_to = reports_to
    staff.phone = phone
    staff.email = email
    staff.employee_no = employee_no
    staff.save()
    StaffEvent.objects.create(
        staff=staff,
        station=station,
        kind=StaffEvent.Kind.MOVED if moved else StaffEvent.Kind.UPDATED,
        by=by,
        note=before if moved else "",
    )
    return staff


@transaction.atomic
def staff_set_active(*, by: Staff, staff: Staff, active: bool) -> Staff:
    """Deactivate (cannot log in, history stays) or reactivate a person. Their reports move up one level."""
    if staff.pk == by.pk and not active:
        raise DomainError(_("You cannot deactivate yourself."))
    if staff.is_active == active:
        return staff
    staff.is_active = active
    staff.save(update_fields=["is_active"])
    if not active:
        Staff.objects.filter(reports_to=staff).update(reports_to=staff.reports_to)
    StaffEvent.objects.create(
        staff=staff,
        station=staff.station,
        kind=StaffEvent.Kind.REACTIVATED if active else StaffEvent.Kind.DEACTIVATED,
        by=by,
    )
    return staff


# How high a position stands in a station, for "who may set whose limits". The leads stand between the station
# manager and the people they lead; the group's roles stand above every station.
_RANK = {
    Position.GROUP_DIRECTOR: 5,
    Position.REGIONAL_MANAGER: 4,
    Position.STATION_MANAGER: 3,
    Position.FRONT_DESK_LEAD: 2,
    Position.WORKSHOP_LEAD: 2,
    Position.TECHNICAL_LEAD: 2,
    Position.PARTS_LEAD: 2,
}


def may_set_limits(*, by: Staff, station: Station, position: str) -> bool:
    """Nobody sets the limits of their own position or of one above it: the next person up does. The group's
    director may set every station's limits of the group; anyone else only in their own station, below them."""
    if not by.is_active:
        return False
    if by.position == Position.GROUP_DIRECTOR:
        return by.group_id is not None and by.group_id == station.group_id
    if by.position in GROUP_POSITIONS or by.station_id != station.pk:
        return False
    return _RANK.get(by.position, 1) > _RANK.get(position, 1)


@transaction.atomic
def staff_unlock(*, by: Staff, staff: Staff) -> int:
    """Lift every login lockout of this person (at every address) and record who did it; the count of cleared
    failure rows. Failures of other names from the same addresses stay: an address refused for spraying stays
    refused."""
    addresses = sorted(
        set(AccessAttempt.objects.filter(username=staff.username).values_list("ip_address", flat=True)) - {None}
    )
    count = axes_reset(username=staff.username)
    StaffEvent.objects.create(
        staff=staff, station=staff.station, kind=StaffEvent.Kind.UNLOCKED, by=by, note=", ".join(addresses)
    )
    return count


@transaction.atomic
def authority_limit_set(
    *,
    by: Staff,
    station: Station,
    position: str,
    max_discount_pct: Decimal,
    max_goodwill: Decimal,
    max_complaint_severity: int,
) -> AuthorityLimit:
    if not may_set_limits(by=by, station=station, position=position):
        raise DomainError(
            _("You cannot change the limits of your own position or of one above you: the next person up does."),
            field="max_discount_pct",
        )
    if not Decimal("0") <= Decimal(max_discount_pct) <= Decimal("100"):
        raise DomainError(_("A discount limit is between 0 and 100 %."), field="max_discount_pct")
    before = limits_for(staff=Staff(station=station, station_id=station.pk, position=position))
    row, _created = AuthorityLimit.objects.update_or_create(
        station=station,
        position=position,
        defaults={
            "max_discount_pct": max_discount_pct,
            "max_goodwill": max_goodwill,
            "max_complaint_severity": max_complaint_severity,
        },
    )
    StaffEvent.objects.create(
        station=station,
        kind=StaffEvent.Kind.AUTHORITY,
        by=by,
        note=f"{position}: {max_discount_pct}% / {max_goodwill} / {max_complaint_severity}",
    )
    AuthorityLimitChange.objects.create(
        station=station, position=position, by=by,
        before_discount_pct=before.max_discount_pct, before_goodwill=before.max_goodwill,
        before_complaint_severity=before.max_complaint_severity,
        after_discount_pct=max_discount_pct, after_goodwill=max_goodwill,
        after_complaint_severity=max_complaint_severity,
    )
    return row


# --- set-up of the dealer group and its stations (the /setup/ checklist) -------------------------------------------


def _setup_note(before: dict, after: dict) -> str:
    """What changed, for the audit row: ``field: old → new`` for each changed field."""
    return "; ".join(f"{k}: {before.get(k, '')} → {v}" for k, v in after.items() if str(before.get(k, "")) != str(v))[:2000]


def _clean_code(code: str) -> str:
    code = (code or "").strip()
    if not code:
        raise DomainError(_("Enter a code."), field="code")
    return code


@transaction.atomic
def dealer_group_create(*, by: Staff, code: str, name: str, name_en: str = "") -> DealerGroup:
    """A new dealer group. Only the superuser who installs the system creates one; everyone else works in theirs."""
    if not by.is_superuser:
        raise DomainError(_("Only the system administrator can create a dealer group."), field="code")
    code = _clean_code(code)
    if DealerGroup.objects.filter(code__iexact=code).exists():
        raise DomainError(_("A dealer group with this code already exists."), field="code")
    group = DealerGroup.objects.create(code=code, name=name.strip(), name_en=name_en.strip())
    StaffEvent.objects.create(kind=StaffEvent.Kind.GROUP, by=by, note=_setup_note({}, {"code": code, "name": name}))
    return group


@transaction.atomic
def dealer_group_update(*, by: Staff, group: DealerGroup, name: str, name_en: str = "") -> DealerGroup:
    """The group's names. Its code stays: it is the group's key in exports and the demo."""
    before = {"name": group.name, "name_en": group.name_en}
    group.name, group.name_en = name.strip(), name_en.strip()
    group.save(update_fields=["name", "name_en", "updated_at"])
    StaffEvent.objects.create(kind=StaffEvent.Kind.GROUP, by=by,
                              note=_setup_note(before, {"name": group.name, "name_en": group.name_en}) or group.code)
    return group


STATION_FIELDS = ("name", "name_en", "address", "address_en", "phone", "email", "tax_id", "vat_rate",
                  "comeback_window_days", "is_active")


def _check_region(*, group: DealerGroup, region: Region | None) -> None:
    if region is not None and region.group_id != group.pk:
        raise DomainError(_("The region must belong to the station's dealer group."), field="region")


@transaction.atomic
def station_create(*, by: Staff, group: DealerGroup, code: str, name: str, region: Region | None = None,
                   **details) -> Station:
    """A new station of the group. Station codes are unique across the system (they name the station in numbers,
    exports and the station switcher)."""
    if not by.is_superuser and by.group_id != group.pk:
        raise DomainError(_("You can add stations only to your own dealer group."), field="code")
    code = _clean_code(code)
    if Station.objects.filter(code__iexact=code).exists():
        raise DomainError(_("A station with this code already exists."), field="code")
    _check_region(group=group, region=region)
    unknown = set(details) - set(STATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown station fields: {sorted(unknown)}")
    station = Station.objects.create(group=group, region=region, code=code, name=name.strip(), **details)
    StaffEvent.objects.create(station=station, kind=StaffEvent.Kind.STATION, by=by,
                              note=_setup_note({}, {"code": code, "name": station.name}))
    return station


@transaction.atomic
def station_update(*, by: Staff, station: Station, region: Region | None = None, **details) -> Station:
    """The station's names, address, contact, tax details and whether it is active. The code stays: work-order and
    invoice numbers printed with it must keep meaning the same station."""
    unknown = set(details) - set(STATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown station fields: {sorted(unknown)}")
    _check_region(group=station.group, region=region)
    before = {f: getattr(station, f) for f in STATION_FIELDS} | {"region": station.region}
    for name, value in details.items():
        setattr(station, name, value.strip() if isinstance(value, str) else value)
    station.region = region
    station.save()
    after = {f: getattr(station, f) for f in STATION_FIELDS} | {"region": station.region}
    StaffEvent.objects.create(station=station, kind=StaffEvent.Kind.STATION, by=by,
                              note=_setup_note(before, after) or station.code)
    return station
