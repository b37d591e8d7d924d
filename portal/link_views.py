"""The customer's link pages (/c/<token>/…): public at the middleware, each view checks the token itself.

Nothing personal is shown before the gate: an unknown, revoked or expired token gets the same gate as a live one, and
the same refusal after any four digits. Once the digits match, the browser's session remembers the link for a while.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.http import require_POST

from complaints.models import SurveyAnswer
from core import documents
from core.consent import consent_record
from core.errors import DomainError
from core.files import file_response
from core.models import ContactConsent
from core.net import client_ip
from core.notifications import wechat_openid
from core.uploads import signature_from_data_url
from org.permissions import public
from portal.services import link as links
from portal.services import link_page, link_wechat
from portal.services.link_actions import link_complaint, link_decide, link_sign_estimate, link_survey
from settlement import pdf
from settlement.models import IssuedDocument, Payment, Statement
from settlement.services.issued import merged, stored_copy
from workshop.models import Finding, FindingPhoto, FindingVideo


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "portal/link/limited.html", status=429)
    response["Retry-After"] = str(int(links.HIT_WINDOW.total_seconds()))
    return response


def _verified(request: HttpRequest, token: str):
    """The link when the token is live and this browser has passed its gate; else None."""
    link = links.link_for_token(token)
    if link is not None and links.session_verified(request.session, link):
        return link
    return None


def _page(request: HttpRequest, link, *, status: int = 200, errors: dict | None = None) -> HttpResponse:
    order = link.order
    props = link_page.proposals(order)
    pending = [p for p in props if p.finding.decision == Finding.Decision.PENDING]
    estimate, estimate_total = link_page.estimate_items(order)
    context = {
        "token": links.link_token(link), "order": order, "advisor": order.advisor,
        "steps": link_page.steps(link_page.step_of(order, pending_decision=bool(pending))),
        "estimate": estimate, "estimate_total": estimate_total, "pending": pending,
        "to_sign": None if pending else link_page.estimate_to_sign(order),
        "decided": [p for p in props if p.finding.decision != Finding.Decision.PENDING],
        "documents": link_page.documents(order), "survey_open": link_page.survey_call(order) is not None,
        "dimensions": SurveyAnswer.Dimension.choices, "scores": range(1, 6), "errors": errors or {},
        "delivered": order.status == order.Status.DELIVERED,
        "contact_consent": order.customer.contact_consent,
        "wechat_offer": link_wechat.wechat_offer(customer=order.customer,
                                                 user_agent=request.META.get("HTTP_USER_AGENT", "")),
        "wechat_bound": link_wechat.wechat_enabled() and bool(wechat_openid(order.customer)),
    }
    links.link_opened(link)
    return render(request, "portal/link/page.html", context, status=status)


@public
def link(request: HttpRequest, token: str) -> HttpResponse:
    if links.rate_limited(token=token, address=client_ip(request)):
        return _too_many(request)
    if request.method == "POST":
        found = links.gate_check(token=token, digits=request.POST.get("digits", ""))
        if found is not None:
            request.session.cycle_key()
            links.session_remember(request.session, found)
            return redirect("portal:link", token=token)
        return render(request, "portal/link/gate.html",
                      {"failed": True, "locked": links.gate_locked(token)}, status=200)
    verified = _verified(request, token)
    if verified is None:
        return render(request, "portal/link/gate.html", {"locked": links.gate_locked(token)})
    return _page(request, verified)


def _guarded(view):
    """A POST or file view of a verified link: rate-limited, and the gate again without a verified session."""
    def wrapper(request: HttpRequest, token: str, **kwargs) -> HttpResponse:
        if links.rate_limited(token=token, address=client_ip(request)):
            return _too_many(request)
        found = _verified(request, token)
        if found is None:
            if request.method == "POST":
                return redirect("portal:link", token=token)
            raise Http404
        return view(request, found, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return public(wrapper)


@require_POST
@_guarded
def decide(request: HttpRequest, link) -> HttpResponse:
    decisions = {}
    for key, value in request.POST.items():
        if key.startswith("finding_") and key[8:].isdigit() and value in ("approve", "decline"):
            decisions[int(key[8:])] = value == "approve"
    try:
        signature = signature_from_data_url(request.POST.get("signature", ""))
        link_decide(order=link.order, decisions=decisions, signature_png=signature,
                    user_agent=request.META.get("HTTP_USER_AGENT", ""))
    except ValidationError as exc:
        return _page(request, link, status=400, errors={"signature": exc.messages[0]})
    except DomainError as exc:
        return _page(request, link, status=400, errors={exc.field or "decisions": str(exc)})
    return redirect(f"{request.path.rsplit('decide/', 1)[0]}#approvals")


@require_POST
@_guarded
def sign(request: HttpRequest, link) -> HttpResponse:
    """The estimate signed on the phone, some proposed lines declined first (the ticked-off ones)."""
    declined = {int(key[5:]) for key, value in request.POST.items()
                if key.startswith("line_") and key[5:].isdigit() and value == "decline"}
    try:
        signature = signature_from_data_url(request.POST.get("signature", ""))
        link_sign_estimate(order=link.order, declined=declined, signature_png=signature,
                           user_agent=request.META.get("HTTP_USER_AGENT", ""))
    except ValidationError as exc:
        return _page(request, link, status=400, errors={"signature": exc.messages[0]})
    except DomainError as exc:
        return _page(request, link, status=400, errors={exc.field or "estimate": str(exc)})
    return redirect(f"{request.path.rsplit('sign/', 1)[0]}?signed=1#status")


@require_POST
@_guarded
def optout(request: HttpRequest, link) -> HttpResponse:
    """The customer stops service reminders and offers from the page (个人信息保护法): recorded like a TD reply;
    messages about this visit (the car is ready, this link) still come."""
    consent_record(customer=link.order.customer, granted=False, source=ContactConsent.Source.CUSTOMER_PAGE,
                   note=link.order.number)
    return redirect(f"{request.path.rsplit('optout/', 1)[0]}?optout=1#contact")


def _score(value) -> int | None:
    return int(value) if value in {"1", "2", "3", "4", "5"} else None


@require_POST
@_guarded
def survey(request: HttpRequest, link) -> HttpResponse:
    post = request.POST
    perceptions = {d: _score(post.get(d)) for d, _label in SurveyAnswer.Dimension.choices}
    overall = _score(post.get("overall"))
    if overall is None or None in perceptions.values():
        return _page(request, link, status=400, errors={"survey": _answer_all()})
    fixed = {"yes": True, "no": False}.get(post.get("problem_fixed", ""))
    try:
        link_survey(order=link.order, overall=overall, perceptions=perceptions, problem_fixed=fixed,
                    comments=post.get("comments", ""))
    except DomainError as exc:
        return _page(request, link, status=400, errors={"survey": str(exc)})
    return redirect(f"{request.path.rsplit('survey/', 1)[0]}?thanks=1#survey")


def _answer_all() -> str:
    return str(translation.gettext("Please answer every question."))


@require_POST
@_guarded
def complaint(request: HttpRequest, link) -> HttpResponse:
    try:
        link_complaint(order=link.order, text=request.POST.get("text", ""))
    except DomainError as exc:
        return _page(request, link, status=400, errors={"complaint": str(exc)})
    return redirect(f"{request.path.rsplit('complaint/', 1)[0]}?sent=1#complaint")


@_guarded
def photo(request: HttpRequest, link, pk: int) -> HttpResponse:
    """A technician's photo of this order's finding — nothing else, whatever the id."""
    found = get_object_or_404(FindingPhoto, pk=pk, finding__order=link.order)
    return file_response(found.image)


@_guarded
def video(request: HttpRequest, link, pk: int) -> HttpResponse:
    """A technician's short video of this order's finding — nothing else, whatever the id."""
    found = get_object_or_404(FindingVideo, pk=pk, finding__order=link.order)
    return file_response(found.video)


_DOCUMENTS = {
    "work-order": ("settlement/pdf/work_order.html", pdf.work_order_context),
    "settlement": ("settlement/pdf/statement.html", pdf.statements_context),
    "delivery-note": ("settlement/pdf/delivery_note.html", pdf.delivery_context),
}


def _as_issued(order, kind: str, language: str) -> bytes | None:
    """The work order or the settlement statements as kept when issued, if they were."""
    K = IssuedDocument.Kind
    if kind == "work-order":
        return stored_copy(kind=K.WORK_ORDER, object_id=order.pk, language=language)
    if kind == "settlement":
        copies = [stored_copy(kind=K.CREDIT_NOTE if st.kind == Statement.Kind.CREDIT_NOTE else K.STATEMENT,
                              object_id=st.pk, language=language)
                  for st in order.statements.order_by("issued_at", "id")]
        return merged(copies) if copies and None not in copies else None
    return None


@_guarded
def document(request: HttpRequest, link, kind: str) -> HttpResponse:
    order = link.order
    available = {d["kind"] for d in link_page.documents(order)}
    if kind not in _DOCUMENTS or kind not in available:
        raise Http404
    template, builder = _DOCUMENTS[kind]
    language = translation.get_language()
    data = _as_issued(order, kind, language)
    if data is not None:  # the copy kept as issued (settlement.services.issued), never a fresh render of it
        return documents.pdf_response(request, pdf=data, filename=f"{order.number}-{kind}.pdf")
    data = documents.render_pdf(template=template, context=builder(order, language), language=language,
                                station=order.station)
    return documents.pdf_response(request, pdf=data, filename=f"{order.number}-{kind}.pdf")


@_guarded
def receipt(request: HttpRequest, link, pk: int) -> HttpResponse:
    payment = get_object_or_404(Payment.objects.select_related("statement__order__customer", "received_by"),
                                pk=pk, statement__order=link.order)
    language = translation.get_language()
    data = stored_copy(kind=IssuedDocument.Kind.RECEIPT, object_id=payment.pk, language=language)
    if data is not None:
        return documents.pdf_response(request, pdf=data, filename=f"{payment.receipt_number}.pdf")
    data = documents.render_pdf(template="settlement/pdf/receipt.html", context=pdf.receipt_context(payment, language),
                                language=language, station=payment.station)
    return documents.pdf_response(request, pdf=data, filename=f"{payment.receipt_number}.pdf")
