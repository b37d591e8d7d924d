"""Query counts that must not grow with the rows a page shows.

``assert_flat(client, url, grow)`` opens the page once with ``grow(1)`` rows added and once after ``grow(9)`` more
(1× and 10×), and fails when the second view makes more queries than the first, printing the SQL that repeats. Used by
``tests/test_page_query_counts.py`` (one row builder per page of the role table)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def _shape(sql: str) -> str:
    """The query with its literals taken out, so the same query for another row counts as a repeat."""
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


def queries_of(client, url: str, params: dict | None = None) -> list[str]:
    """The SQL of one GET of ``url`` (it must answer 200)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return [q["sql"] for q in ctx.captured_queries]


def assert_flat(client, url: str | Callable[[], str], grow: Callable[[int], None], *, params: dict | None = None,
                few: int = 1, many: int = 10) -> tuple[int, int]:
    """Same number of queries with ``few`` rows as with ``many``; returns both counts."""
    target = url if callable(url) else (lambda: url)
    client.get(target(), params or {})  # the first view after login stamps the session; not counted
    grow(few)
    first = queries_of(client, target(), params)
    grow(many - few)
    second = queries_of(client, target(), params)
    if len(second) != len(first):
        shapes = Counter(map(_shape, second))
        shapes.subtract(Counter(map(_shape, first)))
        repeated = "\n".join(f"  +{n}× {sql[:400]}" for sql, n in shapes.most_common(5) if n > 0)
        raise AssertionError(f"{target()}: {len(first)} queries at {few}× rows, {len(second)} at {many}×; "
                             f"new or repeated:\n{repeated}")
    return len(first), len(second)
