from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints.models import Complaint
from complaints.selectors import overdue_q
from org.models import GROUP_POSITIONS, Staff, Station


class ComplaintFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    state = django_filters.MultipleChoiceFilter(label=_("State"), choices=Complaint.State.choices)
    severity = django_filters.MultipleChoiceFilter(label=_("Severity"), choices=Complaint.Severity.choices)
    overdue = django_filters.ChoiceFilter(
        label=_("Overdue"), method="filter_overdue", empty_label=_("all"),
        choices=[("yes", _("overdue only")), ("no", _("not overdue"))],
    )
    owner = django_filters.ModelChoiceFilter(label=pgettext_lazy("complaint", "Owner"), queryset=Staff.objects.none())
    source = django_filters.ChoiceFilter(label=_("Source"), choices=Complaint.Source.choices)

    class Meta:
        model = Complaint
        fields = ["q", "state", "severity", "overdue", "owner", "source"]

    def __init__(self, *args, station_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        groups = Station.objects.filter(pk__in=station_ids).values("group_id")
        # Owners are the stations' staff, or the group's people a complaint was escalated to.
        self.filters["owner"].queryset = Staff.objects.filter(
            Q(station_id__in=station_ids) | Q(station__isnull=True, group_id__in=groups, position__in=GROUP_POSITIONS)
        ).order_by("display_name")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value) | Q(subject__icontains=value) | Q(customer__name__icontains=value)
            | Q(customer__mobile__icontains=value) | Q(vehicle__plate__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(overdue_q())
        if value == "no":
            return queryset.exclude(overdue_q())
        return queryset
