"""Templates, channel preferences, the record of every notification, the Zalo OA token."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.notifications import rules as R


class Template(models.Model):
    """The wording of one event on one channel, Vietnamese and English; administrators edit it
    (seeded from ``defaults``)."""

    event = models.CharField(_("sự kiện"), max_length=30, choices=R.EVENT_CHOICES)
    channel = models.CharField(_("kênh"), max_length=10, choices=R.CHANNEL_CHOICES)
    subject_vi = models.CharField(_("tiêu đề (tiếng Việt)"), max_length=255, blank=True)
    body_vi = models.TextField(_("nội dung (tiếng Việt)"))
    subject_en = models.CharField(_("tiêu đề (tiếng Anh)"), max_length=255, blank=True)
    body_en = models.TextField(_("nội dung (tiếng Anh)"), blank=True)
    zns_template_id = models.CharField(
        _("mã mẫu ZNS"), max_length=40, blank=True, help_text=_("Mẫu đã được Zalo duyệt.")
    )
    active = models.BooleanField(_("đang dùng"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mẫu thông báo")
        verbose_name_plural = _("mẫu thông báo")
        ordering = ["event", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["event", "channel"], name="notif_template_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} — {self.get_channel_display()}"


class Preference(models.Model):
    """The channels a person wants notifications on (citizens in their profile, officers in
    theirs); without a row, e-mail and SMS are on, Zalo off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_pref"
    )
    email = models.BooleanField(_("thư điện tử"), default=True)
    sms = models.BooleanField(_("tin nhắn SMS"), default=True)
    zalo = models.BooleanField(_("Zalo"), default=False)
    language = models.CharField(
        _("ngôn ngữ"), max_length=2, choices=[("vi", "Tiếng Việt"), ("en", "English")], default="vi"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kênh nhận thông báo")
        verbose_name_plural = _("kênh nhận thông báo")

    def __str__(self) -> str:
        return f"{self.user_id}: {', '.join(self.channels())}"

    def channels(self) -> list[str]:
        return [c for c in (R.EMAIL, R.SMS, R.ZALO) if getattr(self, c)]


class Notification(models.Model):
    """One message to one recipient on one channel: what, to whom, how it went."""

    key = models.CharField(max_length=255, unique=True)  # event key + recipient + channel
    event = models.CharField(_("sự kiện"), max_length=30, choices=R.EVENT_CHOICES)
    channel = models.CharField(_("kênh"), max_length=10, choices=R.CHANNEL_CHOICES)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    feedback = models.ForeignKey(
        "feedback.FeedbackItem",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recipient_role = models.CharField(
        max_length=20, default="applicant"
    )  # applicant|officer|leader
    address = models.CharField(_("địa chỉ nhận"), max_length=254)
    language = models.CharField(max_length=2, default="vi")
    template = models.ForeignKey(Template, null=True, blank=True, on_delete=models.SET_NULL)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)  # a ZNS template's parameters
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=R.STATUS_CHOICES, default=R.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_reply = models.TextField(_("phản hồi của nhà cung cấp"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo đã gửi")
        verbose_name_plural = _("thông báo đã gửi")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["dossier", "created_at"], name="notif_dossier_idx")]

    def __str__(self) -> str:
        return f"{self.event} {self.channel} {R.mask_address(self.address)} [{self.status}]"

    @property
    def masked_address(self) -> str:
        return R.mask_address(self.address)


class ZaloToken(models.Model):
    """The Official Account's OAuth tokens (one row). The refresh token rotates at every
    refresh and is valid once: refreshes are serialised on this row's lock."""

    access_token = models.TextField(blank=True)
    refresh_token = models.TextField()
    expires_at = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("khoá truy cập Zalo OA")
        verbose_name_plural = _("khoá truy cập Zalo OA")

    def __str__(self) -> str:
        return f"Zalo OA token (refreshed {self.refreshed_at})"
