from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import DomainError
from core.factories import PNG
from reception.models import WorkOrder, WorkOrderLine
from reception.services import estimates, orders


@pytest.fixture
def estimate(order, alice, oil_change):
    orders.line_add_labour(order=order, by=alice, operation=oil_change)
    orders.line_add_sublet(order=order, by=alice, description="四轮定位", unit_price=Decimal("150"))
    return order


def test_an_unsigned_estimate_is_unsigned(estimate):
    assert estimates.estimate_state(estimate) == "unsigned"


def test_signing_freezes_a_version_and_opens_the_order(estimate, alice):
    estimate.promised_at = estimate.opened_at
    estimate.save()
    version = estimates.estimate_sign(order=estimate, by=alice, method="signature", signature_png=PNG)
    estimate.refresh_from_db()
    assert estimate.status == WorkOrder.Status.OPEN
    assert estimate.signed_at is not None and estimate.promised_at_signed == estimate.promised_at
    assert version.number == 1 and version.approval_channel == "signature" and version.approved_by == alice
    assert version.signature.read().startswith(b"\x89PNG")
    assert len(version.lines) == 2
    assert version.totals["gross"] == "339.00"
    assert estimates.estimate_state(estimate) == "approved"


def test_a_scanned_signed_paper_is_kept(estimate, alice):
    scan = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    version = estimates.estimate_sign(order=estimate, by=alice, method="scan", scan=scan)
    assert version.scan.name and version.approval_channel == "scan"


def test_signing_needs_the_signature(estimate, alice):
    with pytest.raises(DomainError) as exc:
        estimates.estimate_sign(order=estimate, by=alice, method="signature", signature_png=None)
    assert exc.value.field == "signature"


def test_an_empty_estimate_cannot_be_signed(order, alice):
    with pytest.raises(DomainError):
        estimates.estimate_sign(order=order, by=alice, method="signature", signature_png=PNG)


def test_a_change_after_signing_needs_a_new_approved_version(estimate, alice, oil_change):
    estimates.estimate_sign(order=estimate, by=alice, method="signature", signature_png=PNG)
    line = orders.line_add_labour(order=estimate, by=alice, operation=oil_change)
    assert estimates.estimate_state(estimate) == "changed"
    version = estimates.estimate_snapshot(order=estimate, by=alice, approval_channel="phone", note="客户电话同意")
    line.refresh_from_db()
    assert line.approval == WorkOrderLine.Approval.APPROVED
    assert version.number == 2 and version.approval_channel == "phone" and version.approved_at is not None
    assert estimates.estimate_state(estimate) == "approved"
    assert estimate.estimate_versions.get(number=1).lines != version.lines


def test_a_plain_snapshot_is_not_an_approval(estimate, alice):
    version = estimates.estimate_snapshot(order=estimate, by=alice)
    assert version.approved_at is None
    assert estimates.estimate_state(estimate) == "unsigned"


def test_an_unknown_approval_channel_is_refused(estimate, alice):
    with pytest.raises(DomainError):
        estimates.estimate_snapshot(order=estimate, by=alice, approval_channel="telepathy")


def test_a_signed_version_does_not_change_when_lines_change(estimate, alice):
    v1 = estimates.estimate_sign(order=estimate, by=alice, method="signature", signature_png=PNG)
    line = estimate.lines.first()
    orders.line_update(line=line, by=alice, hours=Decimal("3"))
    v1.refresh_from_db()
    assert v1.lines[0]["hours"] == "0.50"
    assert estimates.estimate_state(estimate) == "changed"


def test_the_fingerprint_does_not_depend_on_how_decimals_are_written(estimate):
    from reception.services.estimates import _fingerprint, _line_row

    line = estimate.lines.first()
    before = _fingerprint([_line_row(line)])
    line.hours = Decimal("0.5")
    assert _fingerprint([_line_row(line)]) == before
