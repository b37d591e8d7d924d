from __future__ import annotations

from parts.models import Part, StockBalance, StockMove


def test_the_demo_seed_is_consistent_and_a_second_run_changes_nothing(db):
    from django.db.models import Sum

    from org.demo import seed_organisation
    from parts import demo

    ctx = seed_organisation()
    demo.seed(ctx)
    counts = (Part.objects.count(), StockMove.objects.count(), StockBalance.objects.count())
    assert counts[0] >= 500
    balance = StockBalance.objects.first()
    assert balance.on_hand == StockMove.objects.filter(part=balance.part).aggregate(s=Sum("quantity"))["s"]
    assert Part.objects.filter(part_number="04152-YZZA1").exists() or Part.objects.filter(
        part_number__startswith="04152-").exists()
    demo.seed(seed_organisation())
    assert (Part.objects.count(), StockMove.objects.count(), StockBalance.objects.count()) == counts


def test_the_demo_stores_a_quick_service_store_lost_sales_and_an_open_count_sheet_once(db):
    from datetime import timedelta

    from django.db.models import F, Sum
    from django.utils import timezone

    from org.demo import seed_organisation
    from parts import demo, demo_stores
    from parts.models import LostSale, PartsEvent, Stocktake, Warehouse

    ctx = seed_organisation()
    demo.seed(ctx)
    demo_stores.seed(ctx)
    for station in ctx.stations:
        quick = Warehouse.objects.get(station=station, code="QUICK")
        assert quick.name == "快修二级库" and not quick.is_main
        moves_in = StockMove.objects.filter(warehouse=quick, kind=StockMove.Kind.TRANSFER_IN)
        assert moves_in.count() >= 3 and {m.by.position for m in moves_in} == {"parts_lead"}
        lost = LostSale.objects.filter(station=station)
        assert lost.count() == 30
        assert {row.outcome for row in lost} == {"lost", "emergency"}
        assert len({row.by_id for row in lost}) == 2 and len({row.part_id for row in lost}) >= 5
        assert all(timezone.now() - timedelta(days=61) < row.at <= timezone.now() for row in lost)
        assert PartsEvent.objects.filter(station=station, kind__startswith="lost_sale.").count() == 30
        take = Stocktake.objects.get(station=station, status=Stocktake.Status.COUNTING)
        assert take.lines.exists()
    # Stock never negative nor below its reservations, and every balance is the sum of its warehouse's moves.
    assert not StockBalance.objects.filter(on_hand__lt=F("reserved")).exists()
    for balance in StockBalance.objects.filter(warehouse__code="QUICK"):
        moved = StockMove.objects.filter(part=balance.part, warehouse=balance.warehouse).aggregate(s=Sum("quantity"))
        assert balance.on_hand == moved["s"] > 0
    counts = (Warehouse.objects.count(), StockMove.objects.count(), LostSale.objects.count(),
              Stocktake.objects.count(), PartsEvent.objects.count())
    demo_stores.seed(seed_organisation())
    assert (Warehouse.objects.count(), StockMove.objects.count(), LostSale.objects.count(),
            Stocktake.objects.count(), PartsEvent.objects.count()) == counts
