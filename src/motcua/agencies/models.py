"""Agencies (cơ quan, đơn vị): a tree of administrative units with validity dates.

The 2021 structure of the seed (districts and all) and today's two-level structure can be
loaded side by side: each agency carries ``valid_from``/``valid_to`` and, once merged or
renamed, a ``successor``. ``path`` is a materialised path of primary keys ("/1/7/42/"), so
"this agency and everything under it" is one indexed ``LIKE 'prefix%'`` filter that other
apps can join on for permission scoping.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr

from motcua.core.text import normalize_search
from motcua.workcalendar.officehours import OfficeHours, parse_office_hours

agency_code_validator = RegexValidator(
    r"^[0-9A-Z.]{1,35}$",
    "Mã định danh điện tử chỉ gồm chữ số, chữ in hoa A–Z và dấu chấm, tối đa 35 ký tự.",
    code="invalid_agency_code",
)


# QCVN 102:2016/BTTTT organ ids (mã định danh cơ quan): four dot-separated segments, the last
# the province/ministry letter code (000.00.21.H13); the edoc app exchanges documents under it
edxml_organ_id_validator = RegexValidator(
    r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$",
    "Mã định danh trao đổi văn bản có dạng 000.00.00.H13 (QCVN 102:2016/BTTTT).",
    code="invalid_edxml_organ_id",
)


def validate_office_hours(value: str) -> None:
    try:
        parse_office_hours(value)
    except ValueError as exc:
        raise ValidationError(str(exc), code="invalid_office_hours") from exc


class AgencyLevel(models.TextChoices):
    PROVINCE = "province", "Cấp tỉnh"
    DEPARTMENT = "department", "Sở, ban, ngành"
    DISTRICT = "district", "Cấp huyện"
    COMMUNE = "commune", "Cấp xã"
    SERVICE_CENTRE = "service_centre", "Trung tâm Phục vụ hành chính công"
    OTHER = "other", "Khác"


class Agency(models.Model):
    code = models.CharField(
        "mã định danh điện tử", max_length=35, unique=True, validators=[agency_code_validator]
    )
    is_demo_code = models.BooleanField(
        "mã minh họa",
        default=False,
        help_text="Mã do hệ thống gán theo quy ước demo, chưa phải mã chính thức.",
    )
    gso_code = models.CharField(
        "mã đơn vị hành chính (TCTK)",
        max_length=10,
        blank=True,
        help_text="Mã đơn vị hành chính của Tổng cục Thống kê, nếu là mã chính thức.",
    )
    local_ref = models.CharField(
        "mã tham chiếu nội bộ",
        max_length=40,
        blank=True,
        db_index=True,
        help_text="Mã dùng khi nhập dữ liệu (mã TCTK hoặc mã viết tắt của địa phương).",
    )
    edxml_organ_id = models.CharField(
        "mã định danh trao đổi văn bản (edXML)",
        max_length=13,
        blank=True,
        validators=[edxml_organ_id_validator],
        help_text="Mã cơ quan theo QCVN 102:2016/BTTTT trên trục liên thông văn bản (motcua.edoc).",
    )
    name_vi = models.CharField("tên (tiếng Việt)", max_length=255)
    name_en = models.CharField("tên (tiếng Anh)", max_length=255, blank=True)
    name_search = models.CharField(max_length=255, editable=False, blank=True, db_index=True)
    level = models.CharField("cấp", max_length=20, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="cơ quan cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, blank=True, db_index=True, default="")
    valid_from = models.DateField("hiệu lực từ ngày", null=True, blank=True)
    valid_to = models.DateField(
        "hết hiệu lực từ ngày",
        null=True,
        blank=True,
        help_text="Ngày đầu tiên đơn vị không còn tồn tại (sáp nhập, giải thể, đổi tên).",
    )
    successor = models.ForeignKey(
        "self",
        verbose_name="đơn vị kế thừa",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    office_hours = models.CharField(
        "giờ làm việc",
        max_length=100,
        blank=True,
        validators=[validate_office_hours],
        help_text="Ví dụ 07:00-11:30,13:30-17:00. Để trống để dùng giờ mặc định của hệ thống.",
    )
    # What the legal forms print about the agency (Decree 30/2020 presentation, Forms 01–07).
    place_name = models.CharField(
        "địa danh trên văn bản",
        max_length=100,
        blank=True,
        help_text=(
            "Tên đơn vị hành chính nơi cơ quan đóng trụ sở, in ở dòng “…, ngày … tháng … năm …”"
            " (ví dụ Cái Khế). Để trống: suy ra từ tên đơn vị, cơ quan cấp trên hoặc PLACE_NAME."
        ),
    )
    phone = models.CharField("số điện thoại liên hệ", max_length=40, blank=True)
    symbol = models.CharField(
        "chữ viết tắt tên cơ quan",
        max_length=30,
        blank=True,
        help_text="Dùng trong số, ký hiệu văn bản (ví dụ UBND, STP). Để trống: tự suy ra.",
    )
    desk_name = models.CharField(
        "tên bộ phận một cửa",
        max_length=255,
        blank=True,
        help_text="Đơn vị ban hành Mẫu 01–03, 06, 07. Để trống: “Bộ phận Một cửa”.",
    )
    head_title = models.CharField(
        "chức danh người đứng đầu",
        max_length=100,
        blank=True,
        help_text="Ví dụ Chủ tịch, Giám đốc. Để trống: suy ra từ tên cơ quan.",
    )

    class Meta:
        verbose_name = "cơ quan, đơn vị"
        verbose_name_plural = "cơ quan, đơn vị"
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gt=models.F("valid_from")),
                name="agency_valid_range",
                violation_error_message="Ngày hết hiệu lực phải sau ngày có hiệu lực.",
            ),
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True) | ~models.Q(parent=models.F("pk")),
                name="agency_parent_not_self",
                violation_error_message="Đơn vị không thể là cấp trên của chính nó.",
            ),
            models.CheckConstraint(
                condition=models.Q(successor__isnull=True)
                | (~models.Q(successor=models.F("pk")) & models.Q(valid_to__isnull=False)),
                name="agency_successor_closes",
                violation_error_message=(
                    "Đơn vị có đơn vị kế thừa phải có ngày hết hiệu lực và không thể tự kế thừa."
                ),
            ),
            # the importer matches rows on local_ref when no code is given
            models.UniqueConstraint(
                fields=["local_ref"],
                condition=~models.Q(local_ref=""),
                name="agency_local_ref_unique",
                violation_error_message="Mã tham chiếu nội bộ đã được dùng cho đơn vị khác.",
            ),
            models.UniqueConstraint(
                fields=["edxml_organ_id"],
                condition=~models.Q(edxml_organ_id=""),
                name="agency_edxml_organ_id_unique",
                violation_error_message="Mã định danh trao đổi văn bản đã có đơn vị khác dùng.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_vi} ({self.code})"

    def save(self, *args, **kwargs) -> None:
        # name_search and path are derived copies kept for search and subtree filters
        self.name_search = normalize_search(self.name_vi)
        with transaction.atomic():
            super().save(*args, **kwargs)
            new_path = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
            if new_path != self.path:
                old_path, self.path = self.path, new_path
                Agency.objects.filter(pk=self.pk).update(path=new_path)
                if old_path:  # re-parented: move the whole subtree with it
                    Agency.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                        path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
                    )

    def clean(self) -> None:
        if self.parent_id and self.pk and self.parent.path.startswith(self.path or "\0"):
            raise ValidationError({"parent": "Không thể đặt đơn vị cấp dưới làm cấp trên."})

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )

    def effective_office_hours(self) -> OfficeHours:
        return parse_office_hours(self.office_hours or settings.MOTCUA_OFFICE_HOURS)


class SignerRole(models.TextChoices):
    """Who may sign Forms 04 and 05 and the authority mark it prints (Decree 30/2020, App. I)."""

    HEAD = "head", "Người đứng đầu"
    DEPUTY = "deputy", "Cấp phó (ký thay – KT.)"
    ACTING = "acting", "Quyền người đứng đầu (Q.)"


class AgencySigner(models.Model):
    """A person competent to sign an agency's letters (Forms 04, 05), configured per agency and
    chosen when a letter is issued; the form prints the name, the position and the marks."""

    agency = models.ForeignKey(
        Agency, verbose_name="cơ quan", on_delete=models.CASCADE, related_name="signers"
    )
    name = models.CharField("họ và tên", max_length=255)
    role = models.CharField("thẩm quyền ký", max_length=10, choices=SignerRole.choices)
    position = models.CharField(
        "chức vụ", max_length=100, help_text="Ví dụ Chủ tịch, Phó Chủ tịch, Giám đốc."
    )
    active = models.BooleanField("đang có thẩm quyền ký", default=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=1)
    # The account that signs digitally as this person: a letter naming this signer can be
    # signed by that account only (signatures/formsigning.py).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="tài khoản ký số",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agency_signers",
    )

    class Meta:
        verbose_name = "người ký văn bản"
        verbose_name_plural = "người ký văn bản"
        ordering = ["agency", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.position} {self.name}"
