"""Abstract bases the departments' models share."""

from __future__ import annotations

from django.db import models

from core.registry import registry


class Observed(models.Model):
    """A row whose saves and deletes higher apps may follow through ``registry.listen`` (instead of signals)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        registry.changed(self)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        registry.changed(self, deleted=True)
        return result


class DocumentCounter(models.Model):
    """The last number given per station, document kind and year (see ``core.numbering``).

    Born in reception; the table keeps its name so no data moves.
    """

    station = models.ForeignKey("aftersales.Station", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "reception_documentcounter"
        constraints = [models.UniqueConstraint(fields=["station", "kind", "year"], name="one_counter_per_kind_year")]

    def __str__(self) -> str:
        return f"{self.station_id}/{self.kind}/{self.year}: {self.last}"
