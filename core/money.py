"""Money as the house writes it: Decimal yuan rounded to the cent half-up, shown as ¥1,234.50, and spelt in
Chinese capitals (大写金额) on receipts. Pure functions, no models: the order's line and payer rules live with the
order (``reception.services.pricing``), which builds on these.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext_lazy as _


class Payer(models.TextChoices):
    """Who pays a line: the split of every order's money, priced by parts, invoiced by settlement."""

    CUSTOMER = "customer", _("customer pay")
    WARRANTY = "warranty", _("warranty")
    INSURANCE = "insurance", _("insurance")
    INTERNAL = "internal", _("internal")


CENT = Decimal("0.01")
HUNDRED = Decimal("100")
ZERO = Decimal("0.00")


def to_cents(value) -> Decimal:
    """Round to 0.01 CNY, half-up (the rounding on every Chinese invoice)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def half_up(value, places: int) -> Decimal:
    """Round to ``places`` decimals the way figures are read in China (四舍五入: 81.25 → 81.3), never half-to-even.

    Python's format (``f"{x:.1f}"``) and ``round()`` round a Decimal half-to-even; every figure shown or exported
    goes through here first."""
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def total(amounts: Iterable) -> Decimal:
    """The sum of amounts already rounded to the cent: a total is never re-rounded from unrounded parts."""
    return sum((to_cents(a) for a in amounts), ZERO)


def money_text(value) -> str:
    """¥1,234.50: two decimals, grouped, the same in either language; empty for None or ""; what cannot be read as
    a number comes back as it was."""
    if value is None or value == "":
        return ""
    try:
        amount = to_cents(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


def percent_text(value, digits: int = 1) -> str:
    """A ratio as a percentage (0.125 → 12.5%); None (a zero denominator) shows as an em dash."""
    if value is None:
        return "—"
    return f"{half_up(Decimal(value) * 100, int(digits)):f}%"


DIGITS = "零壹贰叁肆伍陆柒捌玖"
GROUP_UNITS = ("", "万", "亿", "万亿")


def _four_digits(n: int) -> str:
    out, zero = "", False
    for power, unit in ((3, "仟"), (2, "佰"), (1, "拾"), (0, "")):
        digit = n // 10**power % 10
        if digit == 0:
            zero = bool(out)
        else:
            out += ("零" if zero else "") + DIGITS[digit] + unit
            zero = False
    return out


def amount_in_capitals(amount) -> str:
    """An amount in Chinese capital numerals as written on receipts (大写金额): 1005.50 → 壹仟零伍元伍角."""
    cents = int(to_cents(abs(Decimal(amount))) * 100)
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    words, groups, need_zero = "", [], False
    while yuan:
        yuan, group = divmod(yuan, 10000)
        groups.append(group)
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            need_zero = bool(words)
            continue
        if words and (need_zero or group < 1000):
            words += "零"
        words += _four_digits(group) + GROUP_UNITS[index]
        need_zero = False
    text = f"{words}元" if words else ""
    if jiao == 0 and fen == 0:
        text = (text or "零元") + "整"
    else:
        if jiao:
            text += DIGITS[jiao] + "角"
        if fen:
            text += ("零" if words and not jiao else "") + DIGITS[fen] + "分"
    return ("负" if Decimal(amount) < 0 else "") + text
