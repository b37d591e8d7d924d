"""A settled order cannot change: its lines are frozen once a settlement statement exists.

Reception's own services already refuse edits by status; this is the last line of defence for any code path
(admin, shell, another app) that saves a line directly. Connected in SettlementConfig.ready().
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import DomainError


def order_is_settled(order_id: int | None) -> bool:
    from settlement.models import Statement  # noqa: PLC0415 - called from signal handlers

    return bool(order_id) and Statement.objects.filter(order_id=order_id, kind=Statement.Kind.STATEMENT).exists()


def assert_order_editable(*, order) -> None:
    if order_is_settled(order.pk):
        raise DomainError(
            _("Order %(number)s is settled and cannot change; correct it with a credit note.") % {"number": order.number}
        )


def refuse_line_change(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # fixtures
    if order_is_settled(instance.order_id):
        raise DomainError(
            _("Order %(number)s is settled and cannot change; correct it with a credit note.")
            % {"number": instance.order.number}
        )
