"""The one rule for lowering what a payer owes on a line.

A discount, fewer sold hours, a lower quantity, another payer (customer → internal or warranty) or removing the line
all lower what someone owes. Each is measured the same way, as the discount it amounts to for the payer who would pay
less, and needs the same authority (``org.services.may_decide`` with ``Authority.DISCOUNT``):

    equivalent % = 100 × (1 − what the payer owes after / list price the payer was shown)

"What the payer was shown" is the line in the last estimate version that holds it (the customer has seen, printed or
signed it); a line that no version holds yet (a draft nobody has been shown) is measured against its own current
state. The measure is cumulative against what was shown: two small cuts in a row count as one larger one. Raising
what anyone owes is never limited. The internal payer is the station itself: moving money away from it lowers nobody's
bill, so it is not counted.

Discounts ask for approval up the chain (``discounts.discount_request``); the other changes are refused at their field
with the name of the person who may make them (``reduction_enforce``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import Payer, to_cents
from org.models import Staff
from org.services import Authority, may_decide, next_approver
from reception.models import EstimateVersion, WorkOrderLine

HUNDRED = Decimal("100")


@dataclass(frozen=True)
class LineState:
    kind: str
    payer: str
    quantity: Decimal
    hours: Decimal
    unit_price: Decimal
    discount_pct: Decimal
    counts: bool = True  # a removed (or declined) line owes nothing

    @classmethod
    def of(cls, line: WorkOrderLine) -> LineState:
        return cls(kind=line.kind, payer=line.payer, quantity=Decimal(line.quantity), hours=Decimal(line.hours),
                   unit_price=Decimal(line.unit_price), discount_pct=Decimal(line.discount_pct),
                   counts=line.approval != WorkOrderLine.Approval.DECLINED)

    @classmethod
    def from_row(cls, row: dict) -> LineState:
        return cls(kind=row["kind"], payer=row["payer"], quantity=Decimal(row["quantity"]),
                   hours=Decimal(row["hours"]), unit_price=Decimal(row["unit_price"]),
                   discount_pct=Decimal(row["discount_pct"]),
                   counts=row.get("approval") != WorkOrderLine.Approval.DECLINED)

    def list_price(self) -> Decimal:
        """Before any discount, unrounded."""
        if not self.counts:
            return Decimal("0")
        return (self.hours if self.kind == WorkOrderLine.Kind.LABOUR else self.quantity) * self.unit_price

    def owed(self, payer: str) -> Decimal:
        """What ``payer`` owes for this line, unrounded (so a 5 % discount measures exactly 5 %)."""
        if self.payer != payer:
            return Decimal("0")
        return self.list_price() * (HUNDRED - self.discount_pct) / HUNDRED


@dataclass(frozen=True)
class Reduction:
    payer: str
    cents: int  # how much less the payer owes after the change than before it
    pct: Decimal  # the discount it amounts to, against what the payer was shown


def shown_state(line: WorkOrderLine) -> LineState | None:
    """The line as the customer last saw it (the newest estimate version holding it), or None for a draft line."""
    if line.pk is None:
        return None
    for version in EstimateVersion.objects.filter(order_id=line.order_id).order_by("-number").only("lines"):
        for row in version.lines:
            if row.get("id") == line.pk:
                return LineState.from_row(row)
    return None


def reduction_of(*, line: WorkOrderLine, before: LineState, after: LineState, shown_only: bool) -> Reduction | None:
    """The largest reduction a change makes for any payer (other than internal), or None when nobody pays less.

    With ``shown_only`` a line no estimate version holds yet is free to change (None)."""
    shown = shown_state(line)
    if shown is None and shown_only:
        return None
    baseline = shown or before
    worst: Reduction | None = None
    for payer in Payer.values:
        if payer == Payer.INTERNAL:
            continue
        now, then = after.owed(payer), before.owed(payer)
        if now >= then:
            continue
        listed = baseline.list_price() if baseline.payer == payer else Decimal("0")
        if listed <= 0:  # the customer was shown another payer: measure against the line as it stands
            listed = before.list_price() if before.payer == payer else Decimal("0")
        if listed <= 0:
            continue
        pct = max(Decimal("0"), HUNDRED * (1 - now / listed))
        cents = int((to_cents(then) - to_cents(now)) * 100)
        if worst is None or pct > worst.pct:
            worst = Reduction(payer=payer, cents=cents, pct=pct.quantize(Decimal("0.01")))
    return worst


def reduction_beyond_authority(*, line: WorkOrderLine, by: Staff, before: LineState, after: LineState,
                               shown_only: bool = True) -> Reduction | None:
    """The reduction this change makes when ``by`` may not decide it alone; None when allowed."""
    reduction = reduction_of(line=line, before=before, after=after, shown_only=shown_only)
    if reduction is None or may_decide(staff=by, kind=Authority.DISCOUNT, amount=reduction.pct):
        return None
    return reduction


def reduction_enforce(*, line: WorkOrderLine, by: Staff, before: LineState, after: LineState, field: str) -> None:
    """Refuse (at ``field``) a change that lowers what a payer owes beyond ``by``'s discount authority."""
    reduction = reduction_beyond_authority(line=line, by=by, before=before, after=after)
    if reduction is None:
        return
    who = next_approver(staff=by, kind=Authority.DISCOUNT, amount=reduction.pct)
    raise DomainError(
        _("This lowers what %(payer)s pays for %(line)s by ¥%(amount)s (%(pct)s%% off what was shown), above your "
          "discount authority. %(who)s may make this change.")
        % {"payer": Payer(reduction.payer).label, "line": line.description,
           "amount": f"{Decimal(reduction.cents) / 100:.2f}", "pct": reduction.pct,
           "who": who or _("Head office")},
        field=field,
    )
