"""Rows already read with an object: a panel handed an object whose page has read a relation uses those rows instead of
reading them again."""

from __future__ import annotations

from django.db.models import Model


def prefetched(instance: Model, relation: str) -> list | None:
    """The rows of ``relation`` read with ``instance`` through ``prefetch_related`` (in their prefetch order), or
    None when they were not: ``lines = prefetched(order, "lines")`` then ``order.lines…`` only when that is None."""
    cache = getattr(instance, "_prefetched_objects_cache", None) or {}
    return list(cache[relation]) if relation in cache else None
