"""The daily voucher file (记账凭证) for the accounting package (用友 / 金蝶 style), per station.

One day gives up to three vouchers, each balanced (debits = credits):

1. sales — per statement, credit note and supplement issued that day: Dr receivable of its payer (gross); Cr labour,
   parts and sublet revenue (after discounts), Cr output VAT. A payer adjustment (the insurance deductible moved to
   the customer) is Dr the payer's receivable / Cr the adjustment clearing account; the statements of one order
   cancel out there.
   Per counter sale confirmed that day: Dr the customer's receivable (gross); Cr parts revenue, extended warranty
   revenue, Cr prepaid packages (预收账款: a package's money is owed to the customer until used), Cr output VAT. Per
   package service used that day: Dr prepaid packages, Cr package revenue (the use's value). That is the only entry
   for a work order line paid by a package: such a line is on no statement (``packages.prepaid_line_ids``), so it
   brings no second revenue, no second VAT and no internal receivable.
2. receipts — per payment that day: Dr cash / card / bank / WeChat / Alipay, Cr the payer's receivable; a payment
   put on a fleet's account moves the amount from the customer's receivable to the fleet's. Per remittance part
   that clears a fleet's account: Dr the remittance's method, Cr the fleet receivable. Per counter sale payment:
   Dr its method, Cr the customer's receivable.
3. cost of parts — Dr cost of parts sold, Cr parts inventory, for the parts issued (less returned) at cost, to work
   orders and over the counter alike (both issue through the stock service).

A day is generated once (``VoucherDay``): a re-export returns the stored lines and numbers. Numbers run per station
and month (凭证号 restarts each month, as the packages expect).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.money import to_cents
from org.models import Staff, Station
from parts.models import StockMove
from reception.models import Customer, Payer
from settlement.models import (
    AccountMapping,
    Allocation,
    CounterPayment,
    CounterSale,
    CounterSaleLine,
    PackageUse,
    Payment,
    Statement,
    VoucherDay,
)

ZERO = Decimal("0.00")
VOUCHER_WORD = "记"  # 凭证字

# key → (default code, default name, what it is) — a small-business chart (小企业会计准则) as the starting point.
DEFAULT_ACCOUNTS: dict[str, tuple[str, str, object]] = {
    "revenue_labour": ("6001.01", "主营业务收入-工时", gettext_lazy("labour revenue")),
    "revenue_parts": ("6001.02", "主营业务收入-配件", gettext_lazy("parts revenue")),
    "revenue_sublet": ("6001.03", "主营业务收入-外协", gettext_lazy("sublet revenue")),
    "vat_output": ("2221.01.02", "应交税费-应交增值税(销项税额)", gettext_lazy("output VAT")),
    "cost_parts": ("6401.02", "主营业务成本-配件", gettext_lazy("cost of parts issued")),
    "inventory_parts": ("1405", "库存商品-配件", gettext_lazy("parts inventory")),
    "receivable_customer": ("1122.01", "应收账款-客户", gettext_lazy("receivable: customers")),
    "receivable_fleet": ("1122.02", "应收账款-车队客户", gettext_lazy("receivable: fleets")),
    "receivable_warranty": ("1122.03", "应收账款-厂家索赔", gettext_lazy("receivable: carmaker (warranty)")),
    "receivable_insurance": ("1122.04", "应收账款-保险公司", gettext_lazy("receivable: insurers")),
    "receivable_internal": ("1221.01", "其他应收款-内部", gettext_lazy("receivable: internal")),
    "adjustment": ("1122.09", "应收账款-付款方调整", gettext_lazy("payer adjustment clearing")),
    "revenue_warranty": ("6051.01", "其他业务收入-延保", gettext_lazy("extended warranty revenue")),
    "revenue_packages": ("6001.04", "主营业务收入-保养套餐", gettext_lazy("service package revenue (used)")),
    "deferred_packages": ("2203.01", "预收账款-保养套餐", gettext_lazy("prepaid service packages (deferred revenue)")),
    "cash": ("1001", "库存现金", gettext_lazy("cash")),
    "card": ("1002.01", "银行存款-刷卡", gettext_lazy("bank card")),
    "transfer": ("1002.02", "银行存款-转账", gettext_lazy("bank transfer")),
    "wechat": ("1012.01", "其他货币资金-微信", gettext_lazy("WeChat Pay")),
    "alipay": ("1012.02", "其他货币资金-支付宝", gettext_lazy("Alipay")),
}
COLUMNS = ("日期", "凭证字", "凭证号", "摘要", "科目代码", "科目名称", "借方", "贷方")


def chart(station: Station) -> dict[str, tuple[str, str]]:
    """The station's account code and name per key: its own rows over the defaults."""
    result = {key: (code, name) for key, (code, name, _label) in DEFAULT_ACCOUNTS.items()}
    for row in AccountMapping.objects.filter(station=station):
        result[row.key] = (row.code, row.name)
    return result


@transaction.atomic
def account_mapping_set(*, station: Station, by: Staff, key: str, code: str, name: str) -> AccountMapping:
    if key not in DEFAULT_ACCOUNTS:
        raise DomainError(_("Unknown amount."), field="key")
    code, name = code.strip(), name.strip()
    if not code or not all(c.isdigit() or c == "." for c in code):
        raise DomainError(_("An account code is digits, with dots between levels."), field="code")
    if not name:
        raise DomainError(_("Enter the account name."), field="name")
    row, _created = AccountMapping.objects.update_or_create(
        station=station, key=key, defaults={"code": code, "name": name, "updated_by": by})
    return row


def payer_kind(payer: str, customer_kind: str) -> str:
    """The receivable a statement goes to: its payer, a fleet customer's own payment being the fleet's."""
    if payer == Payer.CUSTOMER and customer_kind == Customer.Kind.FLEET:
        return "fleet"
    return payer


def _bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(day, time.min), tz),
            timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz))


class _Voucher:
    def __init__(self, accounts: dict[str, tuple[str, str]]):
        self.accounts = accounts
        self.lines: list[dict] = []

    def add(self, key: str, summary: str, debit: Decimal = ZERO, credit: Decimal = ZERO) -> None:
        if not debit and not credit:
            return
        if debit < 0 or credit < 0:  # a credit note: the same accounts, the other side
            debit, credit = -credit, -debit
        code, name = self.accounts[key]
        self.lines.append({"summary": summary[:80], "code": code, "name": name, "debit": str(debit),
                           "credit": str(credit)})

    def balanced(self) -> bool:
        return sum(Decimal(x["debit"]) for x in self.lines) == sum(Decimal(x["credit"]) for x in self.lines)


def _sales(v: _Voucher, station: Station, lo: datetime, hi: datetime) -> None:
    rows = (Statement.objects.filter(station=station, issued_at__gte=lo, issued_at__lt=hi)
            .select_related("order__customer").order_by("issued_at", "id"))
    for s in rows:
        kind = payer_kind(s.payer, s.order.customer.kind)
        text = f"{s.number} {s.order.number} {s.get_payer_display()}"
        if s.kind == Statement.Kind.STATEMENT:
            v.add(f"receivable_{kind}", text, debit=s.gross)
            v.add("revenue_labour", text, credit=s.labour)
            v.add("revenue_parts", text, credit=s.parts)
            v.add("revenue_sublet", text, credit=s.sublet)
            v.add("vat_output", text, credit=s.vat)
            v.add(f"receivable_{kind}", text + " " + _("adjustment"), debit=s.adjustment)
            v.add("adjustment", text + " " + _("adjustment"), credit=s.adjustment)
        else:  # credit notes (negative) and supplements carry an amount; revenue split as the KPIs split it
            net = s.due - s.vat
            v.add(f"receivable_{kind}", text, debit=s.due)
            v.add("vat_output", text, credit=s.vat)
            labour, parts = s.labour, s.parts
            if labour + parts + s.sublet != net:
                labour, parts = ZERO, ZERO
            v.add("revenue_labour", text, credit=labour)
            v.add("revenue_parts", text, credit=parts)
            v.add("revenue_sublet", text, credit=net - labour - parts)


COUNTER_REVENUE = {CounterSaleLine.Kind.PART: "revenue_parts", CounterSaleLine.Kind.WARRANTY: "revenue_warranty",
                   CounterSaleLine.Kind.PACKAGE: "deferred_packages"}


def _counter_kind(sale: CounterSale) -> str:
    return payer_kind(Payer.CUSTOMER, sale.customer.kind if sale.customer_id else "")


def _counter_sales(v: _Voucher, station: Station, lo: datetime, hi: datetime) -> None:
    sales = (CounterSale.objects.filter(station=station, status=CounterSale.Status.CONFIRMED, confirmed_at__gte=lo,
                                        confirmed_at__lt=hi)
             .select_related("customer").prefetch_related("lines").order_by("confirmed_at", "id"))
    for sale in sales:
        text = f"{sale.number} {_('Counter sale')}"
        v.add(f"receivable_{_counter_kind(sale)}", text, debit=sale.gross)
        for kind, key in COUNTER_REVENUE.items():
            v.add(key, text, credit=sum((x.amount for x in sale.lines.all() if x.kind == kind), ZERO))
        v.add("vat_output", text, credit=sale.vat)
    uses = (PackageUse.objects.filter(sale__station=station, used_at__gte=lo, used_at__lt=hi)
            .select_related("sale", "line__order").order_by("used_at", "id"))
    for use in uses:
        text = f"{use.line.order.number} {use.sale.name}"
        v.add("deferred_packages", text, debit=use.value)
        v.add("revenue_packages", text, credit=use.value)


def _receipts(v: _Voucher, station: Station, lo: datetime, hi: datetime) -> None:
    M = Payment.Method
    payments = (Payment.objects.filter(station=station, received_at__gte=lo, received_at__lt=hi)
                .select_related("statement__order__customer").order_by("received_at", "id"))
    for p in payments:
        s = p.statement
        kind = payer_kind(s.payer, s.order.customer.kind)
        text = f"{p.receipt_number} {s.number} {p.get_method_display()}"
        if p.method == M.FLEET_CREDIT:
            v.add("receivable_fleet", text, debit=p.amount)
            v.add("receivable_customer", text, credit=p.amount)
            continue
        v.add(p.method, text, debit=p.amount)
        v.add(f"receivable_{kind}", text, credit=p.amount)
    counter = (CounterPayment.objects.filter(station=station, received_at__gte=lo, received_at__lt=hi)
               .select_related("sale__customer").order_by("received_at", "id"))
    for p in counter:
        text = f"{p.receipt_number} {p.sale.number} {p.get_method_display()}"
        v.add(p.method, text, debit=p.amount)
        v.add(f"receivable_{_counter_kind(p.sale)}", text, credit=p.amount)
    clearing = (Allocation.objects.filter(remittance__station=station, payment__isnull=True, at__gte=lo, at__lt=hi)
                .select_related("remittance", "statement").order_by("at", "id"))
    for a in clearing:
        text = f"{a.statement.number} {a.remittance.get_method_display()} {a.remittance.reference}".strip()
        v.add(a.remittance.method, text, debit=a.amount)
        v.add("receivable_fleet", text, credit=a.amount)


def parts_cost(station: Station, lo: datetime, hi: datetime) -> Decimal:
    """Parts issued (to work orders and over the counter) less those returned, at the cost they moved at."""
    total = (StockMove.objects.filter(station=station, kind__in=[StockMove.Kind.ISSUE, StockMove.Kind.RETURN],
                                      at__gte=lo, at__lt=hi)
             .aggregate(v=Sum(F("quantity") * F("unit_cost")))["v"])
    return to_cents(-(total or 0))


def _cost(v: _Voucher, station: Station, lo: datetime, hi: datetime) -> None:
    cost = parts_cost(station, lo, hi)
    text = _("Parts issued to work orders and over the counter")
    v.add("cost_parts", text, debit=cost)
    v.add("inventory_parts", text, credit=cost)


def vouchers_compute(*, station: Station, day: date) -> list[list[dict]]:
    """The day's vouchers (without numbers), each a list of lines; empty vouchers left out."""
    lo, hi = _bounds(day)
    accounts = chart(station)
    result = []
    for builds in ((_sales, _counter_sales), (_receipts,), (_cost,)):
        v = _Voucher(accounts)
        for build in builds:
            build(v, station, lo, hi)
        if not v.balanced():  # cannot happen with the rules above; never export an unbalanced voucher
            raise DomainError(_("A voucher does not balance; nothing was exported."))
        if v.lines:
            result.append(v.lines)
    return result


@transaction.atomic
def voucher_day_generate(*, station: Station, day: date, by: Staff) -> VoucherDay:
    """The day's vouchers, generated once: asked again, the stored ones (same numbers, same lines)."""
    Station.objects.select_for_update().get(pk=station.pk)  # one generation at a time per station (numbering)
    existing = VoucherDay.objects.filter(station=station, day=day).first()
    if existing:
        return existing
    if day >= timezone.localdate():
        raise DomainError(_("Only a day that is over can be exported."), field="day")
    vouchers = vouchers_compute(station=station, day=day)
    last = (VoucherDay.objects.filter(station=station, day__year=day.year, day__month=day.month)
            .aggregate(n=Max("last_number"))["n"] or 0)
    lines, debit, credit = [], ZERO, ZERO
    for i, voucher in enumerate(vouchers, start=last + 1):
        for line in voucher:
            lines.append({"number": i, **line})
            debit += Decimal(line["debit"])
            credit += Decimal(line["credit"])
    return VoucherDay.objects.create(
        station=station, day=day, first_number=last + 1, last_number=last + max(len(vouchers), 0),
        lines=lines, debit=debit, credit=credit, generated_by=by)


def voucher_rows(vd: VoucherDay) -> list[list]:
    """The file's rows under ``COLUMNS``; amounts as Decimal, an empty side blank."""
    rows = []
    for line in vd.lines:
        debit, credit = Decimal(line["debit"]), Decimal(line["credit"])
        rows.append([vd.day.isoformat(), VOUCHER_WORD, line["number"], line["summary"], line["code"], line["name"],
                     debit if debit else "", credit if credit else ""])
    return rows
