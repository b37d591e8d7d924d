from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.numbers import hours_field, quantity_field
from core.pickers import PickerField, picker_params
from core.uploads import PhotoField, VideoField
from org.models import Position, Staff
from parts.services.orders import parts_for_sale
from reception.models import LabourOperation, WorkOrder, WorkOrderLine
from workshop.models import CHECKLIST, Bay, Channel, Comeback
from workshop.selectors import technicians


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(PhotoField):
    """Several photos at once, each checked and re-encoded by core.uploads."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/*", "capture": "environment", "multiple": True})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        return str(obj)


class TechnicianLoadField(StaffMultipleChoiceField):
    """The technicians to choose from, each labelled with his open dispatched hours and today's attendance
    (``loads``: workshop.selectors.technician_loads) so the dispatcher sees who is here and who is busy."""

    loads: dict = {}

    def label_from_instance(self, obj: Staff) -> str:
        load = self.loads.get(obj.pk)
        if load is None:
            return str(obj)
        parts = [str(obj), _("%(hours)s h open") % {"hours": f"{load.hours:.2f}"}, str(load.attendance_label)]
        if load.working:
            parts.append(str(_("working now")))
        return " · ".join(parts)


class DispatchForm(forms.Form):
    technicians = TechnicianLoadField(
        label=_("Technicians"), queryset=Staff.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    bay = forms.ModelChoiceField(label=_("Bay"), queryset=Bay.objects.none(), required=False, widget=forms.RadioSelect)

    def __init__(self, *args, station, loads=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technicians"].queryset = technicians(station)
        self.fields["technicians"].loads = loads or {}
        self.fields["bay"].queryset = Bay.objects.filter(station=station, is_active=True)


class LineChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.description


class OrderDispatchForm(DispatchForm):
    """Several labour lines of one order to the same technician(s) in one form (from the board)."""

    lines = LineChoiceField(label=_("Jobs"), queryset=WorkOrderLine.objects.none(), widget=forms.CheckboxSelectMultiple)

    field_order = ["lines", "technicians", "bay"]

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, station=order.station, **kwargs)
        self.fields["lines"].queryset = order.lines.filter(
            kind=WorkOrderLine.Kind.LABOUR, approval=WorkOrderLine.Approval.APPROVED
        ).order_by("position", "id")


class NotNeededForm(forms.Form):
    reason = forms.CharField(label=_("Why is the part not needed?"), max_length=200)


class FindingForm(forms.Form):
    description = forms.CharField(label=_("What did you find?"), widget=forms.Textarea(attrs={"rows": 3}))
    labour_operation = PickerField(
        label=_("Proposed labour operation"), url="workshop:finding_pick_operations",
        queryset=LabourOperation.objects.none(), required=False,
    )
    hours = hours_field(_("Hours (leave empty for the standard hours)"), required=False, min_value=Decimal("0.1"))
    part = PickerField(label=_("Proposed part"), url="workshop:finding_pick_parts", queryset=None, required=False,
                       help_text=_("Parts of this vehicle's model come first."))
    part_quantity = quantity_field(_("Quantity"), required=False, initial=1)
    photos = MultipleImageField(label=_("Photos"), required=False)
    video = VideoField(label=_("Short video"), required=False,
                       help_text=_("MP4, MOV or WebM, at most 20 MB and 30 seconds."))

    def __init__(self, *args, station, line=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["labour_operation"].queryset = LabourOperation.objects.filter(station=station, is_active=True)
        self.fields["part"].queryset = parts_for_sale(station=station)
        if line is not None:  # the suggestions come from the job's order (its vehicle's model first)
            for name in ("labour_operation", "part"):
                self.fields[name].widget.url_kwargs = {"pk": line.pk}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Customer's decision"),
        choices=[("approve", _("Approved")), ("decline", _("Declined"))],
        widget=forms.RadioSelect,
    )
    channel = forms.ChoiceField(label=_("How did the customer answer?"), choices=[c for c in Channel.choices if c[0] != Channel.LINK], widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class QualityCheckForm(forms.Form):
    road_test = forms.BooleanField(label=_("Road test done"), required=False)
    washed = forms.BooleanField(label=_("Car washed"), required=False)
    reason = forms.CharField(label=_("What must be reworked"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in CHECKLIST:
            self.fields[f"check_{code}"] = forms.BooleanField(label=label, required=False)

    def checklist(self) -> dict[str, bool]:
        return {code: self.cleaned_data.get(f"check_{code}", False) for code, _label in CHECKLIST}

    def checklist_fields(self):
        return [self[f"check_{code}"] for code, _label in CHECKLIST]


class OrderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: WorkOrder) -> str:
        finished = getattr(obj, "finished_at", None)
        return f"{obj.number} · {finished:%Y-%m-%d}" if finished else obj.number


class ComebackForm(forms.Form):
    earlier_order = OrderChoiceField(label=_("Earlier order"), queryset=WorkOrder.objects.none(), widget=forms.RadioSelect)
    cause = forms.ChoiceField(label=_("Cause"), choices=Comeback.Cause.choices, widget=forms.RadioSelect)
    technician = PickerField(label=_("Technician responsible"), url="org:pick_staff", queryset=Staff.objects.none(),
                             required=False, params={"position": Position.TECHNICIAN})
    advisor = PickerField(label=_("Advisor responsible"), url="org:pick_staff", queryset=Staff.objects.none(),
                          required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, candidates, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["earlier_order"].queryset = candidates
        self.fields["technician"].queryset = technicians(station)
        self.fields["advisor"].queryset = Staff.objects.filter(station=station, is_active=True)
        picker_params(self, station=getattr(station, "pk", None))


class RosterCellForm(forms.Form):
    """One cell of the roster. Only parsing here; the range (0–24 h) and the other rules are in services.roster."""

    planned_hours = forms.DecimalField(label=_("Planned hours"), required=False, max_digits=4, decimal_places=2)
    absent = forms.BooleanField(label=_("Absent"), required=False)


class BayForm(forms.Form):
    code = forms.CharField(label=_("code"), max_length=12, help_text=_("Short, e.g. L01; unique in the station."))
    name = forms.CharField(label=pgettext_lazy("bay", "name"), max_length=60)
    kind = forms.ChoiceField(label=_("type"), choices=Bay.Kind.choices, initial=Bay.Kind.LIFT)
    is_active = forms.BooleanField(label=pgettext_lazy("in use", "active"), required=False, initial=True,
                                   help_text=_("A bay switched off is no longer offered at dispatch; its history stays."))

    def __init__(self, *args, editing: Bay | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if editing is None:
            del self.fields["is_active"]


# --- the final-inspection pass-rate report (issue 19, item 14) ---------------------------------------------------

class QcPeriodForm(forms.Form):
    """The period of the pass-rate report (GET); both days are included, a bad or empty one means this month."""

    date_from = forms.DateField(label=pgettext_lazy("period", "from"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=pgettext_lazy("period", "to"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def period(self, today):
        data = self.cleaned_data if self.is_valid() else {}
        date_from = data.get("date_from") or today.replace(day=1)
        date_to = data.get("date_to") or today
        return (date_from, date_to) if date_from <= date_to else (date_to, date_from)
