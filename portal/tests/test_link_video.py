"""The customer's link shows a finding's short video, served only through a verified link of its own order."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from portal.services import link as links
from reception.factories import WorkOrderFactory
from workshop.models import FindingVideo
from workshop.tests.test_finding_video import mp4_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(make_finding, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    finding = make_finding()
    return FindingVideo.objects.create(finding=finding, video=SimpleUploadedFile("v.mp4", mp4_bytes()))


def test_the_pending_finding_shows_its_video_and_the_link_serves_it(verified, token, video):
    page = verified.get(f"/c/{token}/").content.decode()
    assert f'controls preload="none" src="/c/{token}/video/{video.pk}/"' in page
    served = verified.get(f"/c/{token}/video/{video.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "video/mp4"
    assert served["Cache-Control"] == "private, no-store" and b"".join(served.streaming_content) == mp4_bytes()


def test_only_a_verified_link_of_the_videos_own_order_serves_it(verified, token, video, station, alice):
    other = WorkOrderFactory(signed=True, station=station, advisor=alice)
    other_token = links.link_token(links.link_issue(order=other))
    assert verified.get(f"/c/{other_token}/video/{video.pk}/").status_code == 404  # another order's link
    assert verified.get(f"/c/{token}/video/{video.pk + 1000}/").status_code == 404  # another id
    assert Client().get(f"/c/{token}/video/{video.pk}/").status_code == 404  # not verified
    assert Client().get(f"/files/finding-video/{video.pk}/").status_code == 404  # no public address
