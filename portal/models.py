"""The customer's pages.

--- the work order's link (/c/<token>/) -------------------------------------------------------------------------
One link per work order. The token is never stored: it is an HMAC of a random nonce under the installation's secret
(so the same link can be sent again at each step of the visit without keeping it in clear), and only its SHA-256 is
looked up. A re-issue draws a new nonce: the old address stops working at once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.files import PrivateUploadTo


class OrderLink(models.Model):
    order = models.OneToOneField("reception.WorkOrder", on_delete=models.CASCADE, related_name="portal_link",
                                 verbose_name=_("work order"))
    nonce = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("issued by"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("revoked by"))
    last_opened_at = models.DateTimeField(_("last opened"), null=True, blank=True)

    class Meta:
        verbose_name = _("customer link")
        verbose_name_plural = _("customer links")

    def __str__(self) -> str:
        return f"{self.order_id} link"


class LinkApproval(models.Model):
    """One submission of the approvals form on the customer's phone: the signature drawn for the whole estimate, when,
    from which device, and what was decided (finding id → approved?). Each decision itself is recorded on the finding
    by the workshop's service, with channel "link"."""

    order = models.ForeignKey("reception.WorkOrder", on_delete=models.CASCADE, related_name="link_approvals",
                              verbose_name=_("work order"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    user_agent = models.CharField(_("device"), max_length=300, blank=True)
    decisions = models.JSONField(_("decisions"), default=dict)
    signature = models.FileField(_("signature"), upload_to=PrivateUploadTo("link-signatures"))

    class Meta:
        verbose_name = _("approval on the customer's link")
        verbose_name_plural = _("approvals on the customer's link")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.at:%Y-%m-%d %H:%M}"
