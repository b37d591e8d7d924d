"""The one place tests and benches build the organisation's rows: dealer groups, regions, stations, staff."""

from __future__ import annotations

import factory

from org.models import DealerGroup, Region, Staff, Station


class DealerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DealerGroup
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"集团{n}")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    group = factory.SubFactory(DealerGroupFactory)
    name = factory.Sequence(lambda n: f"区域{n}")


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station
        django_get_or_create = ("code",)

    group = factory.SubFactory(DealerGroupFactory, code="test-group")
    code = factory.Sequence(lambda n: f"station-{n}")
    name = factory.Sequence(lambda n: f"维修站{n}")
    address = "上海市浦东新区测试路1号"
    phone = "021-12345678"


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"员工{n}")
    station = factory.SubFactory(StationFactory)
    group = factory.SelfAttribute("station.group")
    position = "service_advisor"
    password = factory.PostGenerationMethodCall("set_password", "test-pass-2026")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
