from __future__ import annotations

from parts.models import Part, StockBalance, StockMove


def test_the_demo_seed_is_consistent_and_a_second_run_changes_nothing(db):
    from django.db.models import Sum

    from aftersales.demo import seed_organisation
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
