"""Warranty claims (索赔申请) and insurance claims (事故车定损)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.formflow import submit
from org import permissions as perm
from org.permissions import requires
from org.selectors import current_station
from settlement.forms import (
    AppraisalForm,
    BillCustomerForm,
    ClaimEditForm,
    ClaimTransitionForm,
    InsuranceForm,
    InsurancePaidForm,
    PhotoForm,
)
from settlement.models import InsuranceClaim, WarrantyClaim
from settlement.selectors import claim_ageing, claim_for, claims_for, insurance_claims_for, order_for
from settlement.services.claims import (
    CLAIM_TRANSITIONS,
    claim_add_photo,
    claim_allowed_targets,
    claim_appraise,
    claim_bill_rejected_to_customer,
    claim_create_from_order,
    claim_transition,
    claim_update,
)
from settlement.services.insurance import insurance_claim_save, insurance_payment_record
from settlement.views.settle import order_page


@requires(perm.WARRANTY_MANAGE)
def claim_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in WarrantyClaim.Status.values:
        status = ""
    station = current_station(request)
    all_claims = list(claims_for(request.user, station))
    claims = [c for c in all_claims if not status or c.status == status]
    counts = {s: sum(1 for c in all_claims if c.status == s) for s in WarrantyClaim.Status.values}
    return render(request, "settlement/claims.html", {
        "claims": claims, "ageing": claim_ageing(all_claims), "status": status,
        "statuses": [(value, label, counts[value]) for value, label in WarrantyClaim.Status.choices],
        "insurance": insurance_claims_for(request.user, station, open_only=True),
    })


@requires(perm.WARRANTY_APPRAISE)
def appraisal_queue(request: HttpRequest) -> HttpResponse:
    claims = claims_for(request.user, current_station(request), status=WarrantyClaim.Status.DRAFT)
    return render(request, "settlement/appraisal_queue.html", {"claims": claims})


@requires(perm.SETTLEMENT_VIEW)
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, claim_for(request, pk))


def _detail(request: HttpRequest, claim: WarrantyClaim, **bound) -> HttpResponse:
    """The claim page; a form posted with an error comes back bound (``bound``), its error next to the field."""
    targets = claim_allowed_targets(claim=claim, by=request.user)
    forms = {
        "edit_form": ClaimEditForm(instance=claim),
        "appraisal_form": AppraisalForm(initial={"verdict": claim.appraisal_verdict, "note": claim.appraisal_note}),
        "transition_form": ClaimTransitionForm(), "bill_form": BillCustomerForm(), "photo_form": PhotoForm(),
        **bound,
    }
    return render(request, "settlement/claim_detail.html", {
        "claim": claim, "order": claim.order, "lines": claim.lines.all(), "photos": claim.photos.all(),
        "events": claim.events.select_related("by"), "targets": [(t, WarrantyClaim.Status(t).label) for t in targets],
        "needs_amount": {t for (f, t) in CLAIM_TRANSITIONS if t in ("partly_approved", "paid")}, **forms,
        "failed_target": forms["transition_form"].data.get("to") if "transition_form" in bound else None,
    }, status=400 if bound else 200)


@requires(perm.WARRANTY_MANAGE)
def claim_create(request: HttpRequest, pk: int) -> HttpResponse:
    order = order_for(request, pk)
    if request.method != "POST":
        return redirect("settlement:order", pk=order.pk)
    try:
        claim = claim_create_from_order(order=order, by=request.user)
        messages.success(request, _("Warranty claim %(number)s created.") % {"number": claim.number})
        return redirect("settlement:claim_detail", pk=claim.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("settlement:order", pk=order.pk)


@requires(perm.WARRANTY_MANAGE)
def claim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    claim = claim_for(request, pk)
    if request.method != "POST":
        return redirect("settlement:claim_detail", pk=claim.pk)
    form = ClaimEditForm(request.POST, instance=claim)
    if not submit(form, lambda data: claim_update(claim=claim, by=request.user, **data)):
        return _detail(request, claim_for(request, pk), edit_form=form)
    messages.success(request, _("Claim saved."))
    return redirect("settlement:claim_detail", pk=claim.pk)


@requires(perm.WARRANTY_MANAGE)
def claim_photo(request: HttpRequest, pk: int) -> HttpResponse:
    claim = claim_for(request, pk)
    if request.method != "POST":
        return redirect("settlement:claim_detail", pk=claim.pk)
    form = PhotoForm(request.POST, request.FILES)
    if not submit(form, lambda data: claim_add_photo(claim=claim, by=request.user, **data)):
        return _detail(request, claim, photo_form=form)
    messages.success(request, _("Photo added."))
    return redirect("settlement:claim_detail", pk=claim.pk)


@requires(perm.WARRANTY_APPRAISE)
def claim_appraisal(request: HttpRequest, pk: int) -> HttpResponse:
    claim = claim_for(request, pk)
    if request.method != "POST":
        return redirect("settlement:claim_detail", pk=claim.pk)
    form = AppraisalForm(request.POST)
    if not submit(form, lambda data: claim_appraise(claim=claim, by=request.user, **data)):
        return _detail(request, claim, appraisal_form=form)
    messages.success(request, _("Technical appraisal recorded."))
    return redirect("settlement:claim_detail", pk=claim.pk)


@requires(perm.WARRANTY_MANAGE)
def claim_move(request: HttpRequest, pk: int) -> HttpResponse:
    claim = claim_for(request, pk)
    if request.method != "POST":
        return redirect("settlement:claim_detail", pk=claim.pk)
    form = ClaimTransitionForm(request.POST)
    if not submit(form, lambda data: claim_transition(claim=claim, by=request.user, **data)):
        return _detail(request, claim_for(request, pk), transition_form=form)
    claim.refresh_from_db()
    messages.success(request, _("Claim %(number)s: %(status)s.") % {
        "number": claim.number, "status": claim.get_status_display()})
    return redirect("settlement:claim_detail", pk=claim.pk)


@requires(perm.WARRANTY_MANAGE)
def claim_bill_customer(request: HttpRequest, pk: int) -> HttpResponse:
    claim = claim_for(request, pk)
    if request.method != "POST":
        return redirect("settlement:claim_detail", pk=claim.pk)
    form = BillCustomerForm(request.POST)
    if not submit(form, lambda data: claim_bill_rejected_to_customer(claim=claim, by=request.user, **data)):
        return _detail(request, claim_for(request, pk), bill_form=form)
    claim.refresh_from_db()
    messages.success(request, _("Statement %(number)s issued to the customer.") % {
        "number": claim.customer_statement.number})
    return redirect("settlement:claim_detail", pk=claim.pk)


@requires(perm.WARRANTY_MANAGE)
def insurance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    order = order_for(request, pk)
    form = InsuranceForm(request.POST or None)
    if form.is_bound and submit(form, lambda data: insurance_claim_save(order=order, by=request.user, **data)):
        messages.success(request, _("Insurance claim saved."))
        return redirect("settlement:order", pk=order.pk)
    claim = InsuranceClaim.objects.filter(order=order).first()
    if request.method != "POST" and claim is not None:
        form = InsuranceForm(initial={f: getattr(claim, f) for f in form.fields})
    return render(request, "settlement/insurance_form.html", {"order": order, "form": form, "claim": claim},
                  status=400 if form.is_bound else 200)


@requires(perm.WARRANTY_MANAGE)
def insurance_paid(request: HttpRequest, pk: int) -> HttpResponse:
    order = order_for(request, pk)
    claim = InsuranceClaim.objects.filter(order=order).first()
    if request.method != "POST" or claim is None:
        return redirect("settlement:order", pk=order.pk)
    form = InsurancePaidForm(request.POST)
    if not submit(form, lambda data: insurance_payment_record(claim=claim, by=request.user, **data)):
        return order_page(request, order, paid_form=form)
    messages.success(request, _("Insurer's payment recorded."))
    return redirect("settlement:order", pk=order.pk)
