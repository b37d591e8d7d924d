"""Keyset pagination for lists over big tables (a station's customers, a group's work orders).

``Paginator`` counts every row of the list on each view (``COUNT(*)``) and reaches page N by skipping N × 50 rows
(``OFFSET``): both grow with the table. Here a page starts after (or ends before) the last row seen — the cursor is
that row's sort key and id — so the database walks its index from there and stops after one page, however deep; and
the total is counted only up to ``cap`` (``COUNT`` over a ``LIMIT cap + 1`` subquery), shown as "1,000+" beyond it.

    page = keyset_page(qs, request.GET, key="opened_at", descending=True)
    the template shows page.previous_query / page.next_query links (they keep the other query parameters) and page.total_label

The sort key must not be NULL; ties are broken by the id, so no row is skipped or shown twice.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q, QuerySet

COUNT_CAP = 1000


@dataclass
class KeysetPage:
    object_list: list
    total: int  # at most cap + 1
    cap: int
    next_query: str | None = None  # the query string of the next page, None on the last one
    previous_query: str | None = None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __bool__(self) -> bool:
        return bool(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_query or self.previous_query)

    @property
    def total_label(self) -> str:
        """The number of rows, or "1,000+" when there are more than the cap (no exact count is made)."""
        return f"{self.cap:,}+" if self.total > self.cap else f"{self.total:,}"


def _encode(value, pk: int) -> str:
    raw = json.dumps([value.isoformat() if hasattr(value, "isoformat") else value, pk], ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, model_field):
    """The (value, id) in a cursor, or None when it is not one of ours (a bad cursor shows the first page)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk = json.loads(raw)
        return model_field.to_python(value), int(pk)
    except Exception:  # noqa: BLE001 - any garbage (bad base64, JSON, date) means "no cursor"
        return None


def _beyond(key: str, value, pk: int, *, forward: bool) -> Q:
    """Rows after (value, pk) in the direction of travel. ``key <= value`` on its own lets the index scan start at the
    cursor; the OR then drops the rows of equal key already shown."""
    if forward:
        return Q(**{f"{key}__gte": value}) & (Q(**{f"{key}__gt": value}) | Q(**{key: value, "pk__gt": pk}))
    return Q(**{f"{key}__lte": value}) & (Q(**{f"{key}__lt": value}) | Q(**{key: value, "pk__lt": pk}))


def keyset_page(qs: QuerySet, params, *, key: str, descending: bool = False, per_page: int = 50,
                cap: int = COUNT_CAP) -> KeysetPage:
    """One page of ``qs`` sorted by (``key``, id), from the ``after``/``before`` cursor in ``params`` (request.GET)."""
    model_field = qs.model._meta.get_field(key)
    after = _decode(params.get("after", ""), model_field) if params.get("after") else None
    before = _decode(params.get("before", ""), model_field) if params.get("before") and not after else None
    # The list's own order, and the reverse one a "previous" page is read in (then turned round).
    list_order = (f"-{key}", "-pk") if descending else (key, "pk")
    reverse_order = (key, "pk") if descending else (f"-{key}", "-pk")
    rows_qs = qs
    if before is not None:
        rows_qs = rows_qs.filter(_beyond(key, *before, forward=descending)).order_by(*reverse_order)
    else:
        if after is not None:
            rows_qs = rows_qs.filter(_beyond(key, *after, forward=not descending))
        rows_qs = rows_qs.order_by(*list_order)
    rows = list(rows_qs[:per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    if before is not None:
        rows.reverse()
    base = {k: v for k, v in params.items() if k not in ("after", "before", "page")}

    def query(**cursor) -> str:
        return urlencode({**base, **cursor})

    has_next = more if before is None else True
    has_previous = (after is not None) if before is None else more
    page = KeysetPage(object_list=rows, total=qs.order_by().values("pk")[:cap + 1].count(), cap=cap)
    if rows and has_next:
        page.next_query = query(after=_encode(getattr(rows[-1], key), rows[-1].pk))
    if rows and has_previous:
        page.previous_query = query(before=_encode(getattr(rows[0], key), rows[0].pk))
    return page
