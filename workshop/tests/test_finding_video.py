"""A finding's short video: checked by content at the form, stored privately, shown to staff with the
permission and station check (issue #17, approvals with evidence)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.uploads import mp4_seconds
from workshop.models import Finding, FindingVideo

pytestmark = pytest.mark.django_db


def mp4_bytes(seconds: int = 5, brand: bytes = b"isom") -> bytes:
    """A minimal ISO-BMFF file: an ftyp box and a moov box holding a version-0 mvhd (timescale 1000)."""
    ftyp = (16).to_bytes(4, "big") + b"ftyp" + brand + b"\0\0\0\0"
    body = bytes(4) + bytes(8) + (1000).to_bytes(4, "big") + (seconds * 1000).to_bytes(4, "big") + bytes(80)
    mvhd = (8 + len(body)).to_bytes(4, "big") + b"mvhd" + body
    moov = (8 + len(mvhd)).to_bytes(4, "big") + b"moov" + mvhd
    return ftyp + moov + b"\0\0\0\x08mdat"


WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm" + bytes(64)


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def _post(client, line, labour_op, video: bytes, name: str = "clip.mp4", **headers):
    return client.post(reverse("workshop:finding_create", args=[line.pk]), {
        "description": "减震器漏油", "labour_operation": labour_op.pk,
        "video": SimpleUploadedFile(name, video, content_type="video/mp4"),
    }, **headers)


def test_the_movie_header_gives_the_length():
    assert mp4_seconds(mp4_bytes(12)) == 12
    assert mp4_seconds(b"\0\0\0\x10ftypisom\0\0\0\0") is None


@pytest.mark.parametrize(("data", "suffix"), [(mp4_bytes(), ".mp4"), (mp4_bytes(brand=b"qt  "), ".mov"), (WEBM, ".webm")])
def test_a_technician_attaches_a_short_video_checked_by_its_content(client_as, bob, dispatched, labour_op, data,
                                                                     suffix):
    response = _post(client_as(bob), dispatched, labour_op, data, name="whatever.exe")
    assert response.status_code == 302
    video = FindingVideo.objects.get(finding__order=dispatched.order)
    assert video.video.name.endswith(suffix) and "whatever" not in video.video.name
    with video.video.open("rb") as handle:
        assert handle.read() == data


@pytest.mark.parametrize("data", [b"<html><script>alert(1)</script></html>" + bytes(20), b"\0\0\0\x10moovisom" + bytes(40),
                                  b"\x1a\x45\xdf\xa3" + b"matroska" + bytes(60)])
def test_anything_else_is_refused_at_the_field_in_chinese(client_as, bob, dispatched, labour_op, data):
    response = _post(client_as(bob), dispatched, labour_op, data, name="clip.mp4", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.status_code == 400
    assert response.context["form"].errors["video"] == ["这不是可以播放的视频。请上传 MP4、MOV 或 WebM 视频。"]
    assert not Finding.objects.filter(order=dispatched.order).exists()


def test_a_video_over_the_size_or_length_limit_is_refused(client_as, bob, dispatched, labour_op, settings):
    settings.VIDEO_MAX_BYTES = 200
    client = client_as(bob)
    big = _post(client, dispatched, labour_op, mp4_bytes() + bytes(300))
    assert big.status_code == 400 and big.context["form"].errors["video"][0].startswith("The file is too large")
    settings.VIDEO_MAX_BYTES = 20 * 1024 * 1024
    long = _post(client, dispatched, labour_op, mp4_bytes(seconds=31))
    assert long.status_code == 400
    assert long.context["form"].errors["video"] == ["The video is too long (at most 30 seconds)."]
    assert _post(client, dispatched, labour_op, mp4_bytes(seconds=30)).status_code == 302


def test_staff_see_the_video_only_with_the_permission_and_the_station(client_as, bob, alice, mallory, make_staff,
                                                                      dispatched, labour_op, client):
    _post(client_as(bob), dispatched, labour_op, mp4_bytes())
    video = FindingVideo.objects.get()
    url = f"/files/finding-video/{video.pk}/"
    ok = client_as(alice).get(url)
    assert ok.status_code == 200 and ok["Content-Type"] == "video/mp4" and ok["Cache-Control"] == "private, no-store"
    page = client_as(alice).get(f"/reception/orders/{dispatched.order.pk}/").content.decode()
    assert f'<video controls preload="none" src="{url}"' in page
    assert client_as(mallory).get(url).status_code == 404  # another station
    receptionist = make_staff("receptionist", username="rita")  # no workshop.view
    assert client_as(receptionist).get(url).status_code in (403, 404)
    client.logout()
    assert client.get(url).status_code == 404
