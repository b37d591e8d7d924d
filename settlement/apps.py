from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SettlementConfig(AppConfig):
    name = "settlement"
    verbose_name = _("Settlement")

    def ready(self) -> None:
        from django.db.models.signals import pre_delete, pre_save

        from reception.models import WorkOrderLine
        from settlement.services.immutability import refuse_line_change

        # A settled order's lines never change, whichever code path tries (see services.immutability).
        pre_save.connect(refuse_line_change, sender=WorkOrderLine, dispatch_uid="settlement_frozen_line_save")
        pre_delete.connect(refuse_line_change, sender=WorkOrderLine, dispatch_uid="settlement_frozen_line_delete")
