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
