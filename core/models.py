"""Abstract bases the departments' models share."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.registry import registry


class Observed(models.Model):
    """A row whose saves and deletes higher apps may follow through ``registry.listen`` (instead of signals)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        registry.changed(self)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        registry.changed(self, deleted=True)
        return result


class DocumentCounter(models.Model):
    """The last number given per station, document kind and year (see ``core.numbering``).

    Born in reception; the table keeps its name so no data moves.
    """

    station = models.ForeignKey("aftersales.Station", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "reception_documentcounter"
        constraints = [models.UniqueConstraint(fields=["station", "kind", "year"], name="one_counter_per_kind_year")]

    def __str__(self) -> str:
        return f"{self.station_id}/{self.kind}/{self.year}: {self.last}"


class Notification(models.Model):
    """One message to one person, on one channel, with its delivery state. Every notification is recorded.

    Sent by any app through ``core.notifications``; the in-app ones ring the bell in the top bar. Born in complaints:
    the table keeps its name.

    For email and SMS this table is the outbox: the row is committed with the business change that causes it
    (``queued``), then one task delivers it after commit (``sending`` -> ``sent`` / ``failed``). ``key`` makes a
    message unique per reason and run, so a rerun of the job that records it finds the row instead of adding one.
    A row left in ``sending`` by a worker that died may have reached the gateway: it becomes ``unknown`` and is never
    resent by itself — a person checks it (admin, filter by status).
    """

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("in-app")
        EMAIL = "email", _("email")
        SMS = "sms", _("SMS")
        WECHAT = "wechat", _("WeChat")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        UNKNOWN = "unknown", _("unknown: check with the gateway")
        READ = "read", _("read")
        WITHHELD = "withheld", _("not sent: the customer opted out")

    station = models.ForeignKey(
        "aftersales.Station", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("station")
    )
    recipient_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("staff recipient"),
    )
    recipient_customer = models.ForeignKey(
        "reception.Customer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("customer recipient"),
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254, blank=True, help_text=_("Email address or mobile used."))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(pgettext_lazy("notification", "message"), blank=True)
    related_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    related_id = models.PositiveBigIntegerField(null=True, blank=True)
    related = GenericForeignKey("related_type", "related_id")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    key = models.CharField(
        _("message key"), max_length=200, unique=True, null=True, blank=True,
        help_text=_("One message per key: a job that runs again finds this message instead of sending another."),
    )
    attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)
    attempted_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    provider_id = models.CharField(_("gateway message id"), max_length=100, blank=True)
    # Template-based SMS (core.sms_templates): the provider's template code and its parameters, when the sender named
    # one; otherwise the generic template carries the body as one parameter.
    template = models.CharField(_("message template"), max_length=64, blank=True)
    params = models.JSONField(_("template parameters"), default=dict, blank=True)
    # The delivery receipt (报告) the gateway sent back for provider_id: its own status word and when it was delivered.
    receipt_status = models.CharField(_("delivery receipt"), max_length=64, blank=True)
    receipt_at = models.DateTimeField(_("receipt at"), null=True, blank=True)
    delivered = models.BooleanField(_("delivered to the phone"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        db_table = "complaints_notification"  # born in complaints; the table keeps its name
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient_staff__isnull=False) | models.Q(recipient_customer__isnull=False)
                | (models.Q(channel="sms") & ~models.Q(address="") & models.Q(station__isnull=False)),
                name="notification_has_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient_staff", "channel", "status"], name="complaints__recipie_6fbe38_idx"),
            # the station's message list (newest first, keyset paging) and the receipt look-up by gateway id
            models.Index(fields=["station", "-created_at", "-id"], name="notification_station_list"),
            models.Index(fields=["provider_id"], name="notification_provider_id"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient_staff or self.recipient_customer}: {self.subject}"

    def target_url(self) -> str | None:
        """Where "open" leads: the page of the row it is about, when that row has one (the bell knows no department)."""
        if not self.related_type_id:
            return None
        get_url = getattr(self.related, "get_absolute_url", None)
        return get_url() if get_url else None


# --- per-station settings -------------------------------------------------------------------------------------------

DEFAULT_RESPONSE_HOURS = {1: 24, 2: 8, 3: 4, 4: 1}
DEFAULT_RESOLUTION_HOURS = {1: 7 * 24, 2: 5 * 24, 3: 3 * 24, 4: 24}


class AccessDenial(models.Model):
    """Every refused request, for the security review (written by ``core.access``; the table keeps its name)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    path = models.CharField(max_length=500)
    method = models.CharField(max_length=10)
    action = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("denied access")
        verbose_name_plural = _("denied accesses")
        ordering = ["-at"]
        db_table = "aftersales_accessdenial"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.path} ({self.reason})"


class ImportJob(models.Model):
    """One CSV/xlsx import (``core.imports``): who, which station, the stored file, where it stands, what it found."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("being checked")
        PREVIEWED = "previewed", _("checked")
        RUNNING = "running", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("not imported")

    kind = models.CharField(_("type"), max_length=32)
    station = models.ForeignKey("aftersales.Station", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("station"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("uploaded by"))
    # The uploaded file's name in default_storage (imports/YYYY/MM/<uuid>.csv|xlsx): read through the storage API by the
    # workers, never served to anyone (so a name, not a FileField that would need a private-file registration).
    file = models.CharField(_("file"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_format = models.CharField(max_length=8, default="csv")
    encoding = models.CharField(max_length=20, blank=True)
    language = models.CharField(max_length=10, blank=True)  # the uploader's: messages are written in it
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows done"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row", "column", "message"}], the first 1,000
    preview = models.JSONField(default=list, blank=True)  # [{"row", "cells": [...]}], the first rows as parsed
    ignored_columns = models.JSONField(default=list, blank=True)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    details = models.JSONField(default=list, blank=True)  # [[label, count]]
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["station", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(100, int(self.processed_rows * 100 / self.total_rows)) if self.total_rows else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


# --- consent to be contacted (个人信息保护法) ---------------------------------------------------------------------------


class ContactConsent(models.Model):
    """One recorded change of a customer's consent to reminders and marketing: who, when, on which channel, how.

    The latest row is the customer's state, mirrored on ``Customer.contact_consent`` (which the senders and
    ``core.delivery`` read). Rows are never changed or deleted: the history is the proof. Transactional messages
    (a booking code, "your car is ready", the order link) do not depend on it.
    """

    class Source(models.TextChoices):
        DESK = "desk", _("staff at the desk")
        REPLY = "reply", _("customer replied TD")
        CUSTOMER_PAGE = "page", _("customer's own page")
        IMPORT = "import", _("imported")

    customer = models.ForeignKey("reception.Customer", on_delete=models.CASCADE, related_name="consents",
                                 verbose_name=_("customer"))
    granted = models.BooleanField(_("agrees to be contacted"))
    channel = models.CharField(_("channel"), max_length=8, choices=Notification.Channel.choices, blank=True,
                               help_text=_("Empty: every channel."))
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact consent")
        verbose_name_plural = _("contact consents")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["customer", "-at"])]

    def __str__(self) -> str:
        return f"{self.customer_id} {'+' if self.granted else '-'} {self.source} {self.at:%Y-%m-%d}"
