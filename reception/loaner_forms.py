"""Forms of the loaner pages (代步车) and of pick-up and delivery (取送车)."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from core.pickers import PickerField
from core.uploads import PhotoField, signature_from_data_url
from org.models import Staff
from reception.models import Loaner

LOCAL_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class LoanerForm(forms.ModelForm):
    class Meta:
        model = Loaner
        fields = ["plate", "model_name", "daily_rate", "active"]


class LoanerBookForm(forms.Form):
    # the period first: the car picker sends it with the typed plate and says of each car whether it is free then
    starts_at = forms.DateTimeField(label=_("from"), widget=LOCAL_INPUT)
    ends_at = forms.DateTimeField(label=_("until"), widget=LOCAL_INPUT)
    loaner = PickerField(label=_("loaner car"), url="reception:pick_loaners", queryset=Loaner.objects.none(),
                         help_text=_("Type a plate or model; each car says whether it is free for the period above."))
    note = forms.CharField(label=_("note"), required=False, max_length=200)

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaner"].queryset = Loaner.objects.filter(station=station, active=True)
        self.fields["loaner"].widget.params = {"station": station.pk}
        self.fields["loaner"].widget.context_fields = ["starts_at", "ends_at"]


class LoanerHandForm(forms.Form):
    mileage = forms.IntegerField(label=_("mileage (km)"), min_value=0)
    fuel = forms.IntegerField(label=_("fuel (%)"), min_value=0, validators=[MaxValueValidator(100)])
    damage = forms.CharField(label=_("damage noted"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class LoanerFreeForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200)


# --- pick-up and delivery (取送车) ---


class PickupForm(forms.Form):
    driver = PickerField(label=_("driver"), url="org:pick_staff", queryset=Staff.objects.none())
    window_start = forms.DateTimeField(label=_("window from"), widget=LOCAL_INPUT)
    window_end = forms.DateTimeField(label=_("window until"), widget=LOCAL_INPUT)
    pickup_address = forms.CharField(label=_("pick-up address"), max_length=200)
    delivery_address = forms.CharField(label=_("delivery address"), max_length=200)

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["driver"].queryset = Staff.objects.filter(station=station, is_active=True)


class HandOverForm(forms.Form):
    """The hand-over at one end: the check written down, a photo of the car, the customer's signature (the desk's
    signature pad, reception/sign.js)."""

    method = forms.CharField(widget=forms.HiddenInput, initial="signature", required=False)
    signature = forms.CharField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(label=_("hand-over check"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photo = PhotoField(label=_("photo"), required=False)

    def clean_signature(self) -> bytes | None:
        return signature_from_data_url(self.cleaned_data.get("signature", ""))
