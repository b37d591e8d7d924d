"""The client's address: X-Forwarded-For is believed only from a trusted proxy, and then only its right-most
address that is not a trusted proxy."""

from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.urls import reverse

from core.models import AccessDenial
from core.net import client_ip


def request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return SimpleNamespace(META=meta)


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "client"),
    [
        ([], "127.0.0.1", "203.0.113.5", "127.0.0.1"),  # nobody trusted: the header is ignored
        (["127.0.0.1"], "198.51.100.1", "203.0.113.5", "198.51.100.1"),  # not from the proxy: ignored
        (["127.0.0.1"], "127.0.0.1", "203.0.113.5", "203.0.113.5"),
        (["127.0.0.1"], "127.0.0.1", "1.1.1.1, 203.0.113.5", "203.0.113.5"),  # the left part is the client's word
        (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "1.1.1.1, 203.0.113.5, 10.1.2.3", "203.0.113.5"),  # two proxies
        (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "10.1.2.3", "10.1.2.3"),  # only proxies: the farthest one
        (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", "1.1.1.1, not-an-address", "127.0.0.1"),  # garbage ends the walk
        (["127.0.0.1"], "127.0.0.1", "::ffff:203.0.113.5", "203.0.113.5"),
        (["::1"], "::1", "[2001:db8::7]", "2001:db8::7"),
        (["127.0.0.1"], "garbage", "203.0.113.5", None),
    ],
)
def test_client_ip(trusted, remote, forwarded, client):
    with override_settings(TRUSTED_PROXIES=trusted):
        assert client_ip(request(remote, forwarded)) == client


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_the_access_denial_log_records_the_real_client_not_what_a_stranger_claims(client, carol, other_station, make_staff):
    elsewhere = make_staff("cashier", username="elsewhere", station=other_station)
    client.force_login(carol)
    url = reverse("org:staff_edit", args=[elsewhere.pk])
    assert client.get(url, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5").status_code == 404
    assert client.get(url, REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.77").status_code == 404
    assert list(AccessDenial.objects.order_by("pk").values_list("ip", flat=True)) == ["203.0.113.5", "198.51.100.9"]
