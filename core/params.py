"""Ids typed into addresses: ``?vehicle=12``. ``str.isdigit()`` accepts "²" and "١٢", ``int()`` then fails or the
database refuses a number beyond bigint; :func:`id_or_none` accepts only what can be a primary key."""

from __future__ import annotations

import re

_ASCII_DIGITS = re.compile(r"[0-9]{1,18}")


def id_or_none(value) -> int | None:
    """``value`` as a positive id, or None when it is not one."""
    text = str(value if value is not None else "").strip()
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if number > 0 else None


def ids(values) -> list[int]:
    """The ids among ``values`` (a ``QueryDict.getlist``), the rest dropped."""
    return [n for n in (id_or_none(v) for v in values) if n is not None]
