"""Service packages and coupons (issue 19 item 8): the packages sold and what is still owed on them (deferred
revenue, for finance), selling one, and using a package or redeeming a coupon on a work order."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.formflow import submit
from core.money import money_text
from core.paging import keyset_page
from org import permissions as perm
from org.permissions import requires
from org.selectors import station_or_404
from settlement.models import Coupon, PackageSale
from settlement.package_forms import CouponIssueForm, CouponRedeemForm, PackageSellForm, PackageUseForm
from settlement.selectors import order_for
from settlement.services.counter_sales import package_sell
from settlement.services.packages import (
    coupon_issue,
    coupon_redeem,
    package_liability,
    package_use,
)


@requires(perm.SETTLEMENT_VIEW)
def package_list(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    qs = (PackageSale.objects.filter(station=station).select_related("customer", "vehicle")
          .annotate(used_n=Count("uses"), used_value=Sum("uses__value")))
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(customer__name__icontains=q))
    page = keyset_page(qs, request.GET, key="sold_at", descending=True)
    for sale in page:
        sale.left_n = sale.uses_total - sale.used_n
        sale.owed = sale.price - (sale.used_value or 0)
    return render(request, "settlement/packages/list.html",
                  {"page": page, "q": q, "liability": package_liability(station=station)})


@requires(perm.SETTLEMENT_SETTLE)
def package_new(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    form = PackageSellForm(request.POST or None, station=station)
    if form.is_bound and submit(form, lambda data: package_sell(station=station, by=request.user, **data)):
        sale = form.result.counter_line.sale
        messages.success(request, _("Package %(name)s sold on counter sale %(number)s: %(total)s to pay at the "
                                    "cashier.") % {"name": form.result.name, "number": sale.number,
                                                   "total": money_text(sale.gross)})
        if perm.has_action(request.user, perm.SETTLEMENT_PAY):
            return redirect("settlement:counter_payment", pk=sale.pk)
        return redirect("settlement:packages")
    return render(request, "settlement/packages/form.html", {"form": form}, status=400 if form.is_bound else 200)


@requires(perm.SETTLEMENT_SETTLE)
def order_packages(request: HttpRequest, pk: int) -> HttpResponse:
    """Pay a line with one of the customer's packages, or redeem a coupon (a discount within the user's authority)."""
    order = order_for(request, pk)
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("action") if posted else None
    use_form = PackageUseForm(posted if which == "use" else None, order=order)
    coupon_form = CouponRedeemForm(posted if which == "coupon" else None)
    if which == "use" and submit(use_form, lambda d: package_use(sale=d["sale"], line=d["line"], by=request.user)):
        messages.success(request, _("The line is paid by the package."))
        return redirect("settlement:order_packages", pk=pk)
    if which == "coupon" and submit(coupon_form, lambda d: coupon_redeem(code=d["code"], order=order,
                                                                           by=request.user)):
        messages.success(request, _("Coupon %(code)s redeemed.") % {"code": coupon_form.result.code})
        return redirect("settlement:order_packages", pk=pk)
    return render(request, "settlement/packages/order.html",
                  {"order": order, "use_form": use_form, "coupon_form": coupon_form},
                  status=400 if posted else 200)


@requires(perm.SETTLEMENT_VIEW)
def coupon_list(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    qs = Coupon.objects.filter(station=station).select_related("used_order")
    q = request.GET.get("q", "").strip().upper()
    if q:
        qs = qs.filter(code__icontains=q)
    page = keyset_page(qs, request.GET, key="valid_until", descending=True)
    return render(request, "settlement/packages/coupons.html", {"page": page, "q": q})


@requires(perm.SETTLEMENT_APPROVE)
def coupon_new(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    form = CouponIssueForm(request.POST or None)
    if form.is_bound and submit(form, lambda data: coupon_issue(station=station, by=request.user, **data)):
        messages.success(request, _("Coupon %(code)s issued.") % {"code": form.result.code})
        return redirect("settlement:coupons")
    return render(request, "settlement/packages/form.html", {"form": form, "heading": _("Issue a coupon")},
                  status=400 if form.is_bound else 200)
