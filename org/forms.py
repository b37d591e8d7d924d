from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.pickers import PickerField
from org.models import AuthorityLimit, Position, Region, Staff, Station

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


class DealerGroupForm(forms.Form):
    code = forms.SlugField(label=_("code"), max_length=32,
                           help_text=_("Short, in Latin letters, digits and hyphens, e.g. dongfang. It cannot be changed later."))
    name = forms.CharField(label=_("name (Chinese)"), max_length=120)
    name_en = forms.CharField(label=_("English name"), max_length=120, required=False)

    def __init__(self, *args, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        if editing is not None:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = ""


STATION_FORM_FIELDS = ["group", "code", "name", "name_en", "region", "address", "address_en", "phone", "email",
                       "tax_id", "vat_rate", "comeback_window_days", "is_active"]


class StationForm(forms.Form):
    """The station's details, its fields taken from the model. The group is fixed by who is asking (the group
    director's own) unless the superuser has several groups to choose from; the code is set once. A plain form, not
    a model form: the service changes the station, and checks the code's uniqueness with a translated message."""

    def __init__(self, *args, groups, editing: Station | None = None, **kwargs):
        if editing is not None:
            kwargs["initial"] = {**model_to_dict(editing, fields=STATION_FORM_FIELDS), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(
            Station, fields=STATION_FORM_FIELDS,
            labels={"name": _("name (Chinese)"), "is_active": pgettext_lazy("in use", "active")},
            help_texts={
                "code": _("Short, in Latin letters, digits and hyphens, e.g. sh-pudong. It cannot be changed later."),
                "vat_rate": _("As a fraction: 0.13 for 13 %."),
                "is_active": _("An inactive station keeps its history but is no longer set up or worked in."),
            },
        ))
        self.fields["group"].queryset = groups
        self.fields["group"].empty_label = None
        group = editing.group if editing is not None else (groups.first() if groups.count() == 1 else None)
        if group is not None:
            self.fields["group"].disabled = True
            self.fields["group"].initial = group
        self.fields["region"].queryset = Region.objects.filter(group__in=groups).order_by("name")
        if editing is not None:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = ""
        else:
            del self.fields["is_active"]
