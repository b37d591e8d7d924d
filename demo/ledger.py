"""Issue 18 ledger demo, through the services: each station's fleet customers get a contract (prices, a credit limit
above what they already have on account, two approved drivers), a fleet and the carmaker remit money applied to
several statements, one credit above a limit waits for the manager, and the last week's voucher days are generated.
Runs after the play (a contract's limit then never refuses the play's fleet payments); a second run changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from demo import data as D
from demo.base import DemoContext, rng_for
from reception.models import Customer
from settlement.models import FleetContract, Statement, VoucherDay
from settlement.services.fleet import credit_limit_request, fleet_contract_save, fleet_driver_add
from settlement.services.receivables import fleet_exposure, open_statements
from settlement.services.remittances import remittance_apply
from settlement.services.vouchers import voucher_day_generate

WEEK = 7


def _remit(station, cashier, kind: str, *, count: int, reference: str) -> None:
    """One remittance over the ``count`` oldest open documents of a payer kind (the last one part-paid)."""
    docs = list(open_statements(Statement.objects.filter(station=station)).filter(payer_kind=kind)
                .order_by("issued_at", "pk")[:count])
    if not docs:
        return
    allocations = [(s, s.open_amount) for s in docs[:-1]] + [(docs[-1], (docs[-1].open_amount / 2).quantize(
        Decimal("0.01")))]
    remittance_apply(station=station, by=cashier, payer_kind=kind, method="transfer", reference=reference,
                     amount=sum((a for _s, a in allocations), Decimal("0")), allocations=allocations)


@transaction.atomic
def seed_ledger(ctx: DemoContext) -> None:
    for station in ctx.stations:
        if (FleetContract.objects.filter(station=station).exists()
                or VoucherDay.objects.filter(station=station).exists()):
            continue
        rng = rng_for("ledger", station.code)
        manager = ctx.first(station, "station_manager")
        cashier = ctx.first(station, "cashier")
        fleets = Customer.objects.filter(station=station, kind=Customer.Kind.FLEET).order_by("pk")
        for i, customer in enumerate(fleets):
            limit = max(Decimal("50000"), (fleet_exposure(customer.pk) * Decimal("1.2")).quantize(Decimal("1000")))
            contract = fleet_contract_save(
                station=station, by=manager, customer=customer, number=f"DKH-{station.code[:2].upper()}-{i + 1:03d}",
                credit_limit=limit, labour_rate=Decimal(rng.choice(["240", "260", "280"])),
                parts_discount_pct=Decimal(rng.choice(["5", "8", "10"])),
                valid_until=timezone.localdate() + timedelta(days=365))
            for _n in range(2):
                fleet_driver_add(contract=contract, by=manager, name=rng.choice(D.SURNAMES) + rng.choice(D.GIVEN),
                                 mobile=f"138{rng.randrange(10**8):08d}")
        _remit(station, cashier, "fleet", count=4, reference=f"HD{rng.randrange(10**8):08d}")
        _remit(station, cashier, "warranty", count=5, reference=f"FTMS{rng.randrange(10**6):06d}")
        # one fleet statement waiting for the manager's approval above its fleet's limit
        open_doc = (open_statements(Statement.objects.filter(station=station)).filter(payer_kind="fleet")
                    .select_related("order__customer").order_by("-issued_at", "-pk").first())
        tight = FleetContract.objects.filter(customer=open_doc.order.customer).first() if open_doc else None
        if tight is not None:
            fleet_contract_save(station=station, by=manager, customer=tight.customer, number=tight.number,
                                credit_limit=fleet_exposure(tight.customer_id), contract=tight,
                                labour_rate=tight.labour_rate, parts_discount_pct=tight.parts_discount_pct,
                                valid_until=tight.valid_until)
            credit_limit_request(statement=open_doc, by=cashier, amount=open_doc.due)
        today = timezone.localdate()
        for back in range(WEEK, 0, -1):
            voucher_day_generate(station=station, day=today - timedelta(days=back), by=manager)
