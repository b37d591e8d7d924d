from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.registry import registry
from parts.models import (
    OperationPart,
    Part,
    PartsEvent,
    PricePolicy,
    PurchaseOrder,
    PurchaseOrderLine,
    StockBalance,
    StockMove,
    Stocktake,
    Supplier,
    Warehouse,
)


@admin.register(Part)
class PartAdmin(admin.ModelAdmin):
    list_display = ["part_number", "brand", "name_zh", "station", "cost", "list_price", "is_genuine", "is_active"]
    list_filter = ["station", "brand", "is_genuine", "is_active"]
    search_fields = ["part_number", "name_zh", "name_en"]
    raw_id_fields = ["superseded_by"]


@admin.register(StockMove)
class StockMoveAdmin(admin.ModelAdmin):
    """Read-only: moves are append-only and posted by the services."""

    list_display = ["at", "kind", "part", "quantity", "balance_after", "reference", "by"]
    list_filter = ["kind", "station"]
    raw_id_fields = ["part", "line", "by", "warehouse"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StockBalance)
class StockBalanceAdmin(admin.ModelAdmin):
    list_display = ["part", "warehouse", "on_hand", "reserved", "bin_location", "min_qty", "max_qty"]
    raw_id_fields = ["part"]
    readonly_fields = ["on_hand", "reserved"]


class PurchaseOrderLineInline(admin.TabularInline):
    model = PurchaseOrderLine
    raw_id_fields = ["part", "for_line"]
    extra = 0


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(admin.ModelAdmin):
    list_display = ["number", "supplier", "status", "is_emergency", "created_at"]
    list_filter = ["station", "status"]
    inlines = [PurchaseOrderLineInline]


admin.site.register([Warehouse, Supplier, PricePolicy, Stocktake, OperationPart])


@admin.register(PartsEvent)
class PartsEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind_label", "part", "reference", "note", "by"]
    list_filter = ["kind", "station"]

    @admin.display(description=_("change"), ordering="kind")
    def kind_label(self, obj):
        return registry.event_label(obj.kind, "parts")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
