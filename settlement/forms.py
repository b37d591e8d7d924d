from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.uploads import PhotoField, signature_from_data_url
from settlement.models import Delivery, InvoiceType, PartReconciliation, Payment, WarrantyClaim
from settlement.services.invoices import invoice_file_clean

MONEY = {"max_digits": 12, "decimal_places": 2}


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(label=_("resolution"), choices=PartReconciliation.Resolution.choices)
    note = forms.CharField(label=_("reason"), max_length=255, required=False)


class SettleForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=255, required=False)


class PaymentForm(forms.Form):
    method = forms.ChoiceField(label=_("method"), choices=Payment.Method.choices)
    amount = forms.DecimalField(label=_("amount"), min_value=Decimal("0.01"), **MONEY)
    tendered = forms.DecimalField(label=_("cash tendered"), required=False, min_value=Decimal("0"), **MONEY,
                                  help_text=_("Cash only: the change is worked out for you."))
    reference = forms.CharField(label=_("reference"), max_length=64, required=False,
                                help_text=_("Card slip, WeChat / Alipay or transfer number."))


class CreditNoteForm(forms.Form):
    reason = forms.CharField(label=_("reason for the correction"), max_length=255)
    amount = forms.DecimalField(label=_("amount to credit (incl. VAT)"), required=False, min_value=Decimal("0.01"),
                                **MONEY, help_text=_("Leave empty to credit the whole statement."))


class CreditDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("decision"), choices=[("1", _("approve")), ("0", _("decline"))],
                                     coerce=lambda v: v == "1", error_messages={"required": _("Approve or decline?")})
    note = forms.CharField(label=_("note"), required=False, max_length=255)


class InsuranceForm(forms.Form):
    insurer = forms.CharField(label=_("insurer"), max_length=80)
    policy_number = forms.CharField(label=_("policy number"), max_length=40)
    claim_number = forms.CharField(label=_("insurer's claim number"), max_length=40)
    assessor = forms.CharField(label=_("loss assessor"), max_length=60, required=False)
    assessed_amount = forms.DecimalField(label=_("loss assessment amount (定损)"), required=False,
                                         min_value=Decimal("0"), **MONEY)
    deductible = forms.DecimalField(label=_("deductible (customer pays)"), min_value=Decimal("0"), initial=0, **MONEY)
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class InsurancePaidForm(forms.Form):
    amount = forms.DecimalField(label=_("amount paid by the insurer"), min_value=Decimal("0.01"), **MONEY)


class DeliveryForm(forms.ModelForm):
    # The customer's signature at hand-over, drawn on the pad (a data URL; checked and re-encoded like any upload).
    signature = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_signature(self) -> bytes | None:
        return signature_from_data_url(self.cleaned_data.get("signature", ""))

    class Meta:
        model = Delivery
        fields = ["work_explained", "invoice_explained", "old_parts", "next_service_date", "next_service_km", "notes"]
        widgets = {
            "next_service_date": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class ClaimEditForm(forms.ModelForm):
    class Meta:
        model = WarrantyClaim
        fields = ["symptom_code", "cause_code", "fault_description", "repair_description"]
        widgets = {"fault_description": forms.Textarea(attrs={"rows": 3}),
                   "repair_description": forms.Textarea(attrs={"rows": 3})}


class AppraisalForm(forms.Form):
    verdict = forms.ChoiceField(label=_("technical appraisal"), choices=WarrantyClaim.Verdict.choices)
    note = forms.CharField(label=_("appraisal findings"), widget=forms.Textarea(attrs={"rows": 3}))


class ClaimTransitionForm(forms.Form):
    to = forms.ChoiceField(choices=WarrantyClaim.Status.choices, widget=forms.HiddenInput)
    amount = forms.DecimalField(label=_("amount"), required=False, min_value=Decimal("0"), **MONEY)
    reference = forms.CharField(label=_("manufacturer reference"), max_length=40, required=False)
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class BillCustomerForm(forms.Form):
    customer_channel = forms.CharField(
        label=_("how the customer agreed"), max_length=20,
        help_text=_("E.g. by phone, in person, signed form — the customer must have agreed."),
    )


class PhotoForm(forms.Form):
    image = PhotoField(label=_("photo"))
    caption = forms.CharField(label=_("caption"), max_length=200, required=False)


# --- VAT invoices (发票) ------------------------------------------------------------------------------------------


class InvoiceFileField(forms.FileField):
    """The e-invoice file, checked by what it holds (PDF or OFD), stored under a random name."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": "application/pdf,.ofd"}))
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        upload = super().to_python(data)
        return None if upload is None else invoice_file_clean(upload)


class InvoicePartyForm(forms.Form):
    invoice_type = forms.ChoiceField(label=_("invoice type"), choices=InvoiceType.choices)
    electronic = forms.BooleanField(label=_("electronic invoice"), required=False)
    title = forms.CharField(label=_("invoice title (抬头)"), max_length=120)
    tax_id = forms.CharField(label=_("taxpayer number"), max_length=30, required=False,
                             help_text=_("Unified social credit code (统一社会信用代码), 18 characters."))
    address = forms.CharField(label=_("registered address"), max_length=200, required=False)
    phone = forms.CharField(label=_("phone"), max_length=40, required=False)
    bank = forms.CharField(label=_("bank"), max_length=80, required=False)
    account = forms.CharField(label=_("bank account"), max_length=40, required=False)
    email = forms.CharField(label=_("e-mail for the e-invoice"), max_length=254, required=False)


class InvoiceForm(InvoicePartyForm):
    number = forms.CharField(label=_("invoice number"), max_length=30)
    issued_on = forms.DateField(label=_("invoice date"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label=_("invoiced amount (incl. VAT)"), min_value=Decimal("0.01"), **MONEY)
    file = InvoiceFileField(label=_("e-invoice file (PDF or OFD)"), required=False)

    field_order = ["number", "issued_on", "amount", "invoice_type", "electronic", "title", "tax_id", "address",
                   "phone", "bank", "account", "email", "file"]
