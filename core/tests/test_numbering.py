"""Document numbers from core: per station, kind and year, consecutive, and a rolled-back number is given back."""

from __future__ import annotations

import pytest
from django.db import transaction

from core.models import DocumentCounter
from core.numbering import next_number


def number(station, kind="statement", prefix="JS", year=2026):
    with transaction.atomic():
        return next_number(station=station, kind=kind, prefix=prefix, year=year)


def test_numbers_are_consecutive_per_station_kind_and_year(station, other_station):
    code = station.code[:2].upper()
    assert number(station) == f"JS{code}2026000001"
    assert number(station) == f"JS{code}2026000002"
    assert number(station, kind="claim", prefix="SP") == f"SP{code}2026000001"
    assert number(station, year=2027) == f"JS{code}2027000001"
    assert number(other_station).endswith("2026000001")


def test_a_rolled_back_document_gives_its_number_back(station):
    first = number(station)
    with pytest.raises(RuntimeError), transaction.atomic():
        next_number(station=station, kind="statement", prefix="JS", year=2026)
        raise RuntimeError("the document failed to save")
    assert number(station) == first[:-1] + "2"  # no gap
    assert DocumentCounter.objects.get(station=station, kind="statement", year=2026).last == 2


@pytest.mark.django_db(transaction=True)
def test_numbering_outside_a_transaction_is_refused(station):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        next_number(station=station, kind="statement", prefix="JS", year=2026)


def test_the_counter_keeps_reception_table():
    assert DocumentCounter._meta.db_table == "reception_documentcounter"
