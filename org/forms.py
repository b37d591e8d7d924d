from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from core.pickers import PickerField
from org.models import AuthorityLimit, Position, Staff, Station

STATION_POSITIONS = [(value, label) for value, label in Position.choices if value not in ("group_director", "regional_manager")]


class StaffForm(forms.Form):
    display_name = forms.CharField(label=_("name"), max_length=80)
    username = forms.CharField(label=_("login name"), max_length=150)
    position = forms.ChoiceField(label=_("position"), choices=STATION_POSITIONS)
    station = forms.ModelChoiceField(label=_("station"), queryset=Station.objects.none())
    reports_to = PickerField(label=_("reports to"), url="org:pick_staff", queryset=Staff.objects.none(), required=False)
    phone = forms.RegexField(
        label=_("mobile"),
        regex=r"^1[3-9]\d{9}$",
        required=False,
        error_messages={"invalid": _("Enter a mainland China mobile number: 11 digits starting with 1.")},
    )
    email = forms.EmailField(label=_("email"), required=False)
    employee_no = forms.CharField(label=_("employee number"), max_length=20, required=False)
    password = forms.CharField(
        label=_("initial password"), widget=forms.PasswordInput, required=False, strip=False
    )

    def __init__(self, *args, stations, editing: Staff | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["station"].queryset = stations
        self.fields["reports_to"].queryset = (
            Staff.objects.filter(station__in=stations, is_active=True).exclude(pk=getattr(editing, "pk", None))
        )
        self.fields["reports_to"].widget.context_fields = ["station"]  # suggestions from the station chosen above
        if editing is None:
            self.fields["password"].required = True
        else:
            self.fields["username"].disabled = True
            del self.fields["password"]

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            validate_password(password)
        return password


class AuthorityLimitForm(forms.ModelForm):
    class Meta:
        model = AuthorityLimit
        fields = ["max_discount_pct", "max_goodwill", "max_complaint_severity"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-sm"


class StaffSearchForm(forms.Form):
    q = forms.CharField(label=_("search"), required=False)
    station = forms.ModelChoiceField(label=_("station"), queryset=Station.objects.none(), required=False)

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations
