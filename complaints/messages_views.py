"""The station's outgoing messages (every SMS, WeChat and email with its state and receipt), resend of a failed one,
a customer's consent record, and the gateways' delivery-receipt callbacks (public, checked as each provider documents:
see ``core.receipts``)."""

from __future__ import annotations

import hmac
import json
from xml.etree import ElementTree

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from complaints import selectors
from core import receipts
from core.consent import consent_history, consent_record
from core.delivery import OUTBOX_CHANNELS
from core.formflow import submit
from core.models import ContactConsent, Notification
from core.notifications import notification_resend
from core.paging import keyset_page
from org import permissions as perm
from org.permissions import public, requires
from org.selectors import get_scoped, station_or_404
from reception.models import Customer

MAX_CALLBACK_BYTES = 256 * 1024


class MessageFilter(forms.Form):
    channel = forms.ChoiceField(label=gettext_lazy("channel"), required=False, choices=[
        ("", gettext_lazy("all channels")), *[(c.value, c.label) for c in Notification.Channel if c in OUTBOX_CHANNELS]])
    status = forms.ChoiceField(label=gettext_lazy("status"), required=False, choices=[
        ("", gettext_lazy("all states")), *[(s.value, s.label) for s in Notification.Status
                                            if s != Notification.Status.READ]])
    day_from = forms.DateField(label=gettext_lazy("from date"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    day_to = forms.DateField(label=gettext_lazy("to date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ConsentForm(forms.Form):
    granted = forms.TypedChoiceField(label=gettext_lazy("answer"), coerce=lambda v: v == "yes", choices=[
        ("no", gettext_lazy("opts out: no reminders or marketing")),
        ("yes", gettext_lazy("agrees to reminders and marketing"))])
    channel = forms.ChoiceField(label=gettext_lazy("channel"), required=False, choices=[
        ("", gettext_lazy("every channel")), *[(c.value, c.label) for c in Notification.Channel
                                               if c != Notification.Channel.IN_APP]])
    source = forms.ChoiceField(label=gettext_lazy("source"), choices=ContactConsent.Source.choices,
                               initial=ContactConsent.Source.DESK)
    note = forms.CharField(label=gettext_lazy("note"), required=False, max_length=200)


@requires(perm.MESSAGES_VIEW)
def message_list(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    form = MessageFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.station_messages(station.pk, channel=data.get("channel", ""), status=data.get("status", ""),
                                    day_from=data.get("day_from"), day_to=data.get("day_to"))
    page = keyset_page(qs, request.GET, key="created_at", descending=True)
    return render(request, "complaints/messages/list.html", {
        "form": form, "page": page, "station": station,
        "can_resend": perm.has_action(request.user, perm.MESSAGES_RESEND),
        "resendable": {Notification.Status.FAILED, Notification.Status.UNKNOWN},
    })


@require_POST
@requires(perm.MESSAGES_RESEND)
def message_resend(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_scoped(request, Notification.objects.filter(channel__in=OUTBOX_CHANNELS), pk=pk)
    if notification_resend(notification=note):
        messages.success(request, _("The message is queued to be sent again."))
    else:
        messages.error(request, _("Only a failed message, or one whose delivery is unknown, can be sent again."))
    query = request.POST.get("query", "")  # the list's filters, kept (a query string on our own path only)
    return redirect(reverse("complaints:messages") + (f"?{query}" if query and "\n" not in query else ""))


@requires(perm.MESSAGES_RESEND)
def customer_consent(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_scoped(request, Customer.objects.all(), pk=pk)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and submit(form, lambda data: consent_record(customer=customer, by=request.user,
                                                                             **data)):
        messages.success(request, _("Consent recorded."))
        return redirect("reception:customer_detail", pk=customer.pk)
    return render(request, "complaints/messages/consent.html",
                  {"form": form, "customer": customer, "history": consent_history(customer=customer)},
                  status=400 if form.is_bound else 200)


# --- delivery receipts pushed by the gateways (public: no session; see core.receipts for the checks) -----------------


def _token_ok(token: str) -> bool:
    expected = getattr(settings, "SMS_RECEIPT_TOKEN", "")
    return bool(expected) and hmac.compare_digest(expected.encode(), token.encode())


def _json_body(request: HttpRequest):
    if len(request.body) > MAX_CALLBACK_BYTES:
        return None
    try:
        return json.loads(request.body)
    except ValueError:
        return None


@csrf_exempt
@require_POST
@public
def receipt_aliyun(request: HttpRequest, token: str) -> HttpResponse:
    if not _token_ok(token):
        raise Http404
    items = _json_body(request)
    if not isinstance(items, list):
        return JsonResponse({"code": 1, "msg": "bad request"}, status=400)
    receipts.aliyun_receipts(items)
    return JsonResponse({"code": 0, "msg": "成功"}, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_POST
@public
def receipt_tencent(request: HttpRequest, token: str) -> HttpResponse:
    if not _token_ok(token):
        raise Http404
    items = _json_body(request)
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        return JsonResponse({"result": 1, "errmsg": "bad request"}, status=400)
    receipts.tencent_receipts(items)
    return JsonResponse({"result": 0, "errmsg": "OK"})


@csrf_exempt
@public
def receipt_wechat(request: HttpRequest) -> HttpResponse:
    """WeChat's server URL: GET answers the URL check with ``echostr``; POST takes the TEMPLATESENDJOBFINISH event."""
    if not receipts.wechat_signature_ok(token=getattr(settings, "WECHAT_SERVER_TOKEN", ""),
                                        signature=request.GET.get("signature", ""),
                                        timestamp=request.GET.get("timestamp", ""), nonce=request.GET.get("nonce", "")):
        return HttpResponse(status=403)
    if request.method == "GET":
        return HttpResponse(request.GET.get("echostr", ""), content_type="text/plain")
    if request.method != "POST" or len(request.body) > MAX_CALLBACK_BYTES or b"<!" in request.body.replace(
            b"<![CDATA[", b""):
        return HttpResponse(status=400)  # no DOCTYPE or entity declarations: the event never has one
    try:
        root = ElementTree.fromstring(request.body)
    except ElementTree.ParseError:
        return HttpResponse(status=400)
    if root.findtext("Event") == "TEMPLATESENDJOBFINISH":
        receipts.wechat_receipt(msg_id=(root.findtext("MsgID") or "").strip(),
                                status=(root.findtext("Status") or "").strip())
    return HttpResponse("success", content_type="text/plain")


# --- replies (上行短信): "TD" opts the sender out -------------------------------------------------------------------

OPT_OUT_WORDS = frozenset({"TD", "T", "N", "退订", "退", "QX", "取消"})


def _opt_out_by_reply(mobile: str, text: str) -> int:
    """A reply of an opt-out word opts out every customer with that mobile number (every station: the person
    asked not to be contacted). Returns how many were recorded."""
    digits = "".join(ch for ch in mobile if ch.isdigit())[-11:]
    if len(digits) != 11 or text.strip().upper() not in OPT_OUT_WORDS:
        return 0
    done = 0
    for customer in Customer.objects.filter(mobile__endswith=digits):
        consent_record(customer=customer, granted=False, source=ContactConsent.Source.REPLY,
                       note=_("replied %(text)s") % {"text": text.strip()[:20]})
        done += 1
    return done


@csrf_exempt
@require_POST
@public
def reply_aliyun(request: HttpRequest, token: str) -> HttpResponse:
    """Aliyun's push of replies (SmsUp): a JSON list of {"phone_number", "content", "send_time", "sign_name", ...}."""
    if not _token_ok(token):
        raise Http404
    items = _json_body(request)
    if not isinstance(items, list):
        return JsonResponse({"code": 1, "msg": "bad request"}, status=400)
    for item in items:
        if isinstance(item, dict):
            _opt_out_by_reply(str(item.get("phone_number", "")), str(item.get("content", "")))
    return JsonResponse({"code": 0, "msg": "成功"}, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_POST
@public
def reply_tencent(request: HttpRequest, token: str) -> HttpResponse:
    """Tencent's reply callback: {"mobile", "nationcode", "text", "sign", "time", "extend"} (one or a list)."""
    if not _token_ok(token):
        raise Http404
    items = _json_body(request)
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, dict):
            _opt_out_by_reply(str(item.get("mobile", "")), str(item.get("text", "")))
    return JsonResponse({"result": 0, "errmsg": "OK"})
