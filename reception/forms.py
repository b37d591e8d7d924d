from __future__ import annotations

from datetime import timedelta

from django import forms
from django.db.models import QuerySet
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from core.numbers import hours_field, money_field, quantity_field
from core.pickers import PickerField, PickerMultipleField, picker_params
from core.uploads import PhotoField, ScanField, signature_from_data_url
from parts.services.orders import parts_for_sale
from reception.models import (
    Appointment,
    ChecklistItem,
    Customer,
    GradingRules,
    LabourOperation,
    Payer,
    Vehicle,
    WorkOrder,
)
from reception.selectors import advisors

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        fields = ["kind", "name", "mobile", "other_phone", "email", "address", "company_tax_id",
                  "preferred_language", "contact_consent", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2}), "mobile": forms.TextInput(attrs={"inputmode": "tel"})}

    def validate_unique(self):
        """Uniqueness of the mobile number is the service's job (it links to the existing customer)."""


class ContactForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=80, required=False)
    role = forms.CharField(label=_("role"), max_length=80, required=False)
    mobile = forms.CharField(label=_("mobile"), max_length=20, required=False)


ContactFormSet = formset_factory(ContactForm, extra=2, max_num=20)


class VehicleForm(forms.ModelForm):
    mileage = forms.IntegerField(label=_("mileage (km)"), min_value=0, required=False)

    class Meta:
        model = Vehicle
        fields = ["vin", "plate", "make", "model", "year", "colour", "warranty_start", "insurance_expiry", "insurer"]
        widgets = {"warranty_start": DATE_WIDGET, "insurance_expiry": DATE_WIDGET,
                   "vin": forms.TextInput(attrs={"autocapitalize": "characters", "maxlength": 17})}

    def validate_unique(self):
        """The service checks VIN uniqueness (per station) with a clearer message."""


class MileageForm(forms.Form):
    mileage = forms.IntegerField(label=_("mileage (km)"), min_value=0)
    supervisor_username = forms.CharField(
        label=_("supervisor login"), required=False,
        help_text=_("Only for a reading lower than the last one (odometer changed): a front-desk lead or the station "
                    "manager confirms with their login and password."),
    )
    supervisor_password = forms.CharField(label=_("supervisor password"), required=False, widget=forms.PasswordInput)


class OwnerForm(forms.Form):
    owner = PickerField(label=_("new owner"), url="reception:pick_customers", queryset=Customer.objects.none())

    def __init__(self, *args, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Customer.objects.filter(station=station)
        picker_params(self, station=getattr(station, "pk", None))


class LabourOperationForm(forms.ModelForm):
    class Meta:
        model = LabourOperation
        fields = ["code", "name_zh", "name_en", "category", "standard_hours", "rate_customer", "rate_warranty",
                  "rate_insurance", "rate_internal", "is_active", "bookable"]

    def validate_unique(self):
        """The service checks the code per station."""


def owned_vehicles(station) -> QuerySet[Vehicle]:
    """The vehicles of a station a booking or an order may name: those with an owner."""
    return Vehicle.objects.filter(station=station, owner__isnull=False).select_related("owner")


def vehicle_picker() -> PickerField:
    return PickerField(label=_("vehicle"), url="reception:pick_vehicles", params={"owned": 1},
                       queryset=Vehicle.objects.none(), help_text=_("Plate, VIN, the owner's name or phone (or its "
                                                                    "last four digits)."))


class ReceptionForm(forms.Form):
    vehicle = vehicle_picker()
    mileage_in = forms.IntegerField(label=_("mileage in (km)"), min_value=0)
    fuel_level = forms.ChoiceField(label=_("fuel level"), choices=WorkOrder.Fuel.choices)
    concerns = forms.CharField(
        label=_("concerns in the customer's own words"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One concern per line."),
    )
    promised_at = forms.DateTimeField(label=_("promised completion"), required=False, widget=DATETIME_WIDGET)
    keep_old_parts = forms.BooleanField(label=_("customer keeps the old parts"), required=False)
    wash = forms.BooleanField(label=_("wash the car"), required=False)
    customer_waiting = forms.BooleanField(label=_("customer waits in the lounge"), required=False)
    supervisor_username = forms.CharField(label=_("supervisor login"), required=False)
    supervisor_password = forms.CharField(label=_("supervisor password"), required=False, widget=forms.PasswordInput)

    def __init__(self, *args, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vehicle"].queryset = owned_vehicles(station)
        picker_params(self, station=getattr(station, "pk", None))


class OrderEditForm(forms.ModelForm):
    class Meta:
        model = WorkOrder
        fields = ["promised_at", "fuel_level", "keep_old_parts", "wash", "customer_waiting", "notes"]
        widgets = {"promised_at": DATETIME_WIDGET, "notes": forms.Textarea(attrs={"rows": 2})}


class LabourLineForm(forms.Form):
    operation = PickerField(label=_("labour operation"), url="reception:pick_operations",
                            queryset=LabourOperation.objects.none())
    payer = forms.ChoiceField(label=_("payer"), choices=Payer.choices, initial=Payer.CUSTOMER)

    def __init__(self, *args, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operation"].queryset = LabourOperation.objects.filter(station=station, is_active=True)


class PartLineForm(forms.Form):
    part = PickerField(label=_("part"), url="reception:pick_parts", queryset=None)
    quantity = quantity_field(_("quantity"), initial=1)
    payer = forms.ChoiceField(label=_("payer"), choices=Payer.choices, initial=Payer.CUSTOMER)

    def __init__(self, *args, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].queryset = parts_for_sale(station=station)


class SubletLineForm(forms.Form):
    description = forms.CharField(label=_("description"), max_length=200)
    unit_price = money_field(_("price"))
    unit_cost = money_field(_("cost"), required=False)
    payer = forms.ChoiceField(label=_("payer"), choices=Payer.choices, initial=Payer.CUSTOMER)


class LineEditForm(forms.Form):
    payer = forms.ChoiceField(label=_("payer"), choices=Payer.choices)
    quantity = quantity_field(_("quantity"))
    hours = hours_field(_("sold hours"))
    discount_pct = forms.DecimalField(label=_("discount %"), min_value=0, max_value=100, max_digits=5,
                                      decimal_places=2)
    reason = forms.CharField(label=_("reason for the discount"), required=False, max_length=255)


class SignForm(forms.Form):
    method = forms.ChoiceField(label=_("how"), choices=[("signature", _("signature on the tablet")),
                                                        ("scan", _("signed paper, scanned"))], initial="signature")
    signature = forms.CharField(required=False, widget=forms.HiddenInput)
    scan = ScanField(label=_("scan of the signed estimate"), required=False)

    def clean_signature(self) -> bytes | None:
        """The pad sends a data URL; its picture is checked and re-encoded like any upload (core.uploads)."""
        return signature_from_data_url(self.cleaned_data.get("signature", ""))


class ApprovalForm(forms.Form):
    approval_channel = forms.ChoiceField(label=_("the customer approved"), choices=[
        ("phone", _("by phone")), ("in_person", _("in person")), ("message", _("by message"))])
    note = forms.CharField(label=_("note"), required=False, max_length=255)


class AppointmentForm(forms.Form):
    vehicle = vehicle_picker()
    advisor = forms.ModelChoiceField(label=_("advisor"), queryset=None)
    start = forms.DateTimeField(label=_("start"), widget=DATETIME_WIDGET)
    duration_minutes = forms.IntegerField(label=_("duration (minutes)"), min_value=15, max_value=600, initial=60)
    channel = forms.ChoiceField(label=_("booked"), choices=Appointment.Channel.choices)
    concern = forms.CharField(label=_("customer's description"), widget=forms.Textarea(attrs={"rows": 2}),
                              required=False)
    operations = PickerMultipleField(label=_("requested labour operations"), url="reception:pick_operations",
                                     queryset=LabourOperation.objects.none(), required=False)
    parts = PickerMultipleField(label=_("parts needed"), url="reception:pick_parts", queryset=None, required=False,
                                help_text=_("Checked against stock on the right; the vehicle's model comes first."))
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 1}))

    def __init__(self, *args, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parts"].queryset = parts_for_sale(station=station)
        self.fields["vehicle"].queryset = owned_vehicles(station)
        self.fields["advisor"].queryset = advisors(station)
        self.fields["operations"].queryset = LabourOperation.objects.filter(station=station, is_active=True)
        # The parts and operations of the vehicle being booked come first: the picker sends the chosen vehicle.
        self.fields["parts"].widget.context_fields = ["vehicle"]
        self.fields["operations"].widget.context_fields = ["vehicle"]
        picker_params(self, station=getattr(station, "pk", None))

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.cleaned_data["duration_minutes"])


class CancelForm(forms.Form):
    note = forms.CharField(label=_("reason for cancelling"), required=False, max_length=255)


class DiscountDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("decision"), choices=[("1", _("approve")), ("0", _("decline"))],
                                     coerce=lambda v: v == "1", error_messages={"required": _("Approve or decline?")})
    note = forms.CharField(label=_("note"), required=False, max_length=255)


class PhotoForm(forms.Form):
    # Part of the walk-around form: the browser must not refuse "Save the pre-inspection" for want of a photo.
    use_required_attribute = False

    image = PhotoField(label=_("photo"))
    caption = forms.CharField(label=_("caption"), max_length=200, required=False)


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["area", "label", "position"]


class GradingRulesForm(forms.ModelForm):
    class Meta:
        model = GradingRules
        fields = ["window_months", "vip_visits", "vip_spend", "at_risk_months", "lost_months"]
