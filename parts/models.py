"""Parts catalogue and stock. (The catalogue core is defined first so work-order lines can point at it.)"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from aftersales.models import Station, TimeStampedModel


class Part(TimeStampedModel):
    """A catalogue entry of one station's parts department. Part numbers are unique per brand within a station."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="parts", verbose_name=_("station"))
    part_number = models.CharField(_("part number"), max_length=40)
    brand = models.CharField(_("brand"), max_length=40, default="TOYOTA")
    name_zh = models.CharField(_("Chinese name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    is_genuine = models.BooleanField(_("genuine part"), default=True)
    unit = models.CharField(_("unit"), max_length=10, default="个")
    cost = models.DecimalField(_("cost (moving average)"), max_digits=12, decimal_places=4, default=Decimal("0"))
    list_price = models.DecimalField(_("list price"), max_digits=12, decimal_places=2, default=Decimal("0"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("part")
        verbose_name_plural = _("parts")
        ordering = ["part_number"]
        constraints = [
            models.UniqueConstraint(fields=["station", "brand", "part_number"], name="part_number_unique_per_brand"),
            models.CheckConstraint(condition=models.Q(cost__gte=0) & models.Q(list_price__gte=0), name="part_prices_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.part_number} {self.name_zh}"

    def display_name(self, language: str | None = None) -> str:
        return self.name_en if language and language.startswith("en") and self.name_en else self.name_zh
