"""Each stock move keeps the part's moving-average cost after it, so a past day's stock is valued at that day's
cost (the KPI stock value and turnover); the existing moves get theirs by a replay."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    """Replay each part's moves in order to give the existing ones their cost after: the rule of
    ``parts.services.stock`` (a costed incoming move — receipt, return, opening — with a unit cost averages it in over
    the stock of every warehouse; any other move keeps the cost). A part's first cost is its first costed move's."""
    from decimal import ROUND_HALF_UP, Decimal

    StockMove = apps.get_model("parts", "StockMove")
    costed_in = {"receipt", "return", "opening"}
    part_id, cost, on_hand, batch = None, None, {}, []
    moves = StockMove.objects.order_by("part_id", "at", "id").values_list(
        "pk", "part_id", "warehouse_id", "kind", "quantity", "unit_cost", "balance_after"
    )
    for pk, part, warehouse, kind, quantity, unit_cost, after in moves.iterator(chunk_size=5000):
        if part != part_id:
            part_id, cost, on_hand = part, None, {}
        before = sum(on_hand.values(), Decimal(0))
        if quantity > 0 and kind in costed_in:
            total = before + quantity
            if cost is None or total <= 0:
                cost = Decimal(unit_cost)
            else:
                cost = ((before * cost + quantity * unit_cost) / total).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        elif cost is None:
            cost = Decimal(unit_cost)
        on_hand[warehouse] = after
        batch.append(StockMove(pk=pk, cost_after=cost))
        if len(batch) >= 2000:
            StockMove.objects.bulk_update(batch, ["cost_after"])
            batch = []
    if batch:
        StockMove.objects.bulk_update(batch, ["cost_after"])


class Migration(migrations.Migration):

    dependencies = [
        ('parts', '0005_parts_events'),
    ]

    operations = [
        migrations.AddField(
            model_name='stockmove',
            name='cost_after',
            field=models.DecimalField(blank=True, decimal_places=4, help_text="The part's moving-average cost right after this move: what its stock was worth that day.", max_digits=12, null=True, verbose_name='cost after (moving average)'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
