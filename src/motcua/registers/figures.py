"""The registers' bulletin figures (``registers.*`` keys of core.figures).

Each figure is one row of ``FIGURES``: which register, which records (exact field values),
and whether it is a COUNT of records or a SUM of a count field, over the period (flow); the
units under the autonomy mechanism on the period's last day (stock); or the latest snapshot of
an outside system at or before the period's end (stock). Nothing is typed in as a total.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.core.figures import FLOW, STOCK, Figure, FigureQuery
from motcua.registers import queries
from motcua.registers.registry import REGISTERS
from motcua.registers.rules import (
    ApparatusKind,
    AutonomyKind,
    CivilServiceKind,
    LegalKind,
    MeetingLevel,
    Proposal,
    TrainingKind,
)

COUNT = None
ACTIVE = "active"  # stock of records in force on the period's end (autonomy)
LATEST = "latest"  # the latest snapshot at or before the period's end


@dataclass(frozen=True)
class Spec:
    key: str
    label: Promise
    register: str
    where: dict[str, object] = field(default_factory=dict)
    total: str | tuple[str, ...] | None = COUNT  # None: count records; else sum field(s)
    mode: str = FLOW  # FLOW, ACTIVE or LATEST
    value_field: str = ""  # LATEST: the snapshot's field the figure reads


STAFF = ("civil_servants", "public_employees", "contract_workers")

FIGURES: tuple[Spec, ...] = (
    Spec(
        "registers.legal.appraised_resolution_drafts",
        _("Dự thảo nghị quyết HĐND đã thẩm định"),
        "legal",
        {"kind": LegalKind.APPRAISAL_RESOLUTION_DRAFT},
    ),
    Spec(
        "registers.legal.appraised_resolution_proposals",
        _("Đề nghị xây dựng nghị quyết HĐND đã thẩm định"),
        "legal",
        {"kind": LegalKind.APPRAISAL_RESOLUTION_PROPOSAL},
    ),
    Spec(
        "registers.legal.appraised_decision_drafts",
        _("Dự thảo quyết định UBND đã thẩm định"),
        "legal",
        {"kind": LegalKind.APPRAISAL_DECISION_DRAFT},
    ),
    Spec(
        "registers.legal.commented_central",
        _("Dự thảo VBQPPL của Trung ương đã góp ý"),
        "legal",
        {"kind": LegalKind.COMMENT_CENTRAL},
    ),
    Spec(
        "registers.legal.commented_local",
        _("Dự thảo VBQPPL của địa phương đã góp ý"),
        "legal",
        {"kind": LegalKind.COMMENT_LOCAL},
    ),
    Spec(
        "registers.legal.opinions_on_proposals",
        _("Văn bản ý kiến đối với đề nghị xây dựng VBQPPL"),
        "legal",
        {"kind": LegalKind.OPINION_PROPOSAL},
    ),
    Spec(
        "registers.legal.self_checked",
        _("Văn bản đã tự kiểm tra"),
        "legal",
        {"kind": LegalKind.SELF_CHECK},
    ),
    Spec(
        "registers.legal.self_checked_with_errors",
        _("Văn bản tự kiểm tra phát hiện lỗi"),
        "legal",
        {"kind": LegalKind.SELF_CHECK, "errors_found": True},
    ),
    Spec(
        "registers.procedures.announcement_decisions",
        _("Quyết định công bố TTHC"),
        "announcements",
    ),
    Spec(
        "registers.procedures.simplified",
        _("TTHC được thông qua phương án đơn giản hóa"),
        "simplification",
        {"adopted": True},
    ),
    Spec(
        "registers.procedures.simplified_shorter_time",
        _("TTHC đề xuất giảm thời gian giải quyết"),
        "simplification",
        {"adopted": True, "proposal": Proposal.SHORTER_TIME},
    ),
    Spec(
        "registers.procedures.simplified_fewer_documents",
        _("TTHC đề xuất đơn giản hóa thành phần hồ sơ"),
        "simplification",
        {"adopted": True, "proposal": Proposal.FEWER_DOCUMENTS},
    ),
    Spec(
        "registers.procedures.workflow_decisions",
        _("Quyết định phê duyệt quy trình nội bộ"),
        "workflows",
    ),
    Spec(
        "registers.procedures.workflows_approved",
        _("Quy trình nội bộ được phê duyệt"),
        "workflows",
        total="workflows",
    ),
    Spec(
        "registers.apparatus.units_established",
        _("Đơn vị được thành lập"),
        "apparatus",
        {"kind": ApparatusKind.ESTABLISHED},
    ),
    Spec(
        "registers.apparatus.units_dissolved",
        _("Đơn vị bị giải thể"),
        "apparatus",
        {"kind": ApparatusKind.DISSOLVED},
    ),
    Spec(
        "registers.apparatus.interagency_bodies",
        _("Tổ chức phối hợp liên ngành được thành lập, kiện toàn"),
        "apparatus",
        {"kind": ApparatusKind.INTERAGENCY_BODY},
    ),
    Spec(
        "registers.apparatus.financial_mechanism_units",
        _("Đơn vị được phê duyệt cơ chế tài chính"),
        "apparatus",
        {"kind": ApparatusKind.FINANCIAL_MECHANISM},
    ),
    Spec("registers.staff.streamlined", _("Người tinh giản biên chế"), "streamlining", total=STAFF),
    Spec(
        "registers.staff.streamlined_civil_servants",
        _("Công chức tinh giản biên chế"),
        "streamlining",
        total="civil_servants",
    ),
    Spec(
        "registers.staff.streamlined_public_employees",
        _("Viên chức tinh giản biên chế"),
        "streamlining",
        total="public_employees",
    ),
    Spec(
        "registers.staff.streamlined_contract",
        _("Hợp đồng lao động tinh giản biên chế"),
        "streamlining",
        total="contract_workers",
    ),
    Spec(
        "registers.civil_service.cadre_decisions",
        _("Quyết định về công tác cán bộ"),
        "civil_service",
        {"kind": CivilServiceKind.CADRE_DECISION},
        total="count",
    ),
    Spec(
        "registers.civil_service.management_decisions",
        _("Quyết định về quản lý công chức, viên chức"),
        "civil_service",
        {"kind": CivilServiceKind.MANAGEMENT_DECISION},
        total="count",
    ),
    Spec(
        "registers.civil_service.policy_cases",
        _("Trường hợp về chính sách tiền lương, nghỉ hưu, thôi việc"),
        "civil_service",
        {"kind": CivilServiceKind.POLICY_CASE},
        total="count",
    ),
    Spec(
        "registers.civil_service.recruitment_cases",
        _("Trường hợp về tuyển dụng, sử dụng, quản lý CCVC"),
        "civil_service",
        {"kind": CivilServiceKind.RECRUITMENT_CASE},
        total="count",
    ),
    Spec("registers.training.classes", _("Lớp bồi dưỡng"), "training"),
    Spec(
        "registers.training.classes_specialist",
        _("Lớp bồi dưỡng ngạch chuyên viên"),
        "training",
        {"kind": TrainingKind.SPECIALIST},
    ),
    Spec(
        "registers.training.classes_principal",
        _("Lớp bồi dưỡng ngạch chuyên viên chính"),
        "training",
        {"kind": TrainingKind.PRINCIPAL},
    ),
    Spec(
        "registers.training.classes_division_leader",
        _("Lớp bồi dưỡng lãnh đạo cấp phòng"),
        "training",
        {"kind": TrainingKind.DIVISION_LEADER},
    ),
    Spec(
        "registers.finance.autonomous_admin_units",
        _("Cơ quan hành chính thực hiện cơ chế tự chủ"),
        "autonomy",
        {"kind": AutonomyKind.ADMIN_AGENCY},
        mode=ACTIVE,
    ),
    Spec(
        "registers.finance.autonomous_public_units",
        _("Đơn vị sự nghiệp công lập thực hiện cơ chế tự chủ"),
        "autonomy",
        {"kind": AutonomyKind.PUBLIC_UNIT},
        mode=ACTIVE,
    ),
    Spec("registers.meetings.total", _("Cuộc họp trực tuyến"), "meetings"),
    Spec(
        "registers.meetings.city",
        _("Cuộc họp trực tuyến cấp thành phố"),
        "meetings",
        {"level": MeetingLevel.CITY},
    ),
    Spec(
        "registers.meetings.district",
        _("Cuộc họp trực tuyến do UBND quận, huyện chủ trì"),
        "meetings",
        {"level": MeetingLevel.DISTRICT},
    ),
    Spec(
        "registers.edoc.agencies_connected",
        _("Cơ quan đã triển khai hệ thống quản lý văn bản và điều hành"),
        "edoc",
        mode=LATEST,
        value_field="agencies_connected",
    ),
    Spec(
        "registers.edoc.agencies_exchanging",
        _("Cơ quan gửi, nhận văn bản điện tử liên thông"),
        "edoc",
        mode=LATEST,
        value_field="agencies_exchanging",
    ),
    Spec(
        "registers.outside.national_portal_users",
        _("Người dùng được phân quyền khai thác Cổng Dịch vụ công quốc gia"),
        "outside",
        {"key": "national_portal_users"},
        mode=LATEST,
        value_field="value",
    ),
    Spec(
        "registers.outside.lgsp_databases",
        _("Cơ sở dữ liệu đã kết nối nền tảng tích hợp LGSP"),
        "outside",
        {"key": "lgsp_databases"},
        mode=LATEST,
        value_field="value",
    ),
)
KEYS = tuple(s.key for s in FIGURES)


def drill_url(spec: Spec, query: FigureQuery) -> str:
    params: dict[str, str] = {}
    if spec.mode == FLOW:
        params["from"] = query.start.isoformat()
        params["to"] = query.end.isoformat()
    elif spec.mode == ACTIVE:
        params["active_on"] = query.end.isoformat()
    else:
        params["to"] = query.end.isoformat()
    for name, value in spec.where.items():
        params[name] = ("1" if value else "0") if isinstance(value, bool) else str(value)
    if query.agency_code:
        params["agency"] = query.agency_code
    return reverse("registers:list", args=[spec.register]) + "?" + urlencode(params)


def value_of(spec: Spec, query: FigureQuery, agency: Agency | None):
    register = REGISTERS[spec.register]
    qs = register.model.objects.filter(**spec.where)
    if agency is not None:
        qs = queries.subtree(qs, agency)
    if spec.mode == FLOW:
        return queries.count_or_sum(
            qs.filter(date__gte=query.start, date__lte=query.end), spec.total
        )
    if spec.mode == ACTIVE:
        return queries.count_or_sum(
            queries.apply_filter(qs, queries.ListFilter(active_on=query.end)), None
        )
    snapshot = queries.latest(qs, query.end)
    return None if snapshot is None else queries.as_number(getattr(snapshot, spec.value_field))


def provide(query: FigureQuery) -> Iterable[Figure]:
    agency = None
    if query.agency_code:
        agency = Agency.objects.filter(code=query.agency_code).first()
    for spec in FIGURES:
        register = REGISTERS[spec.register]
        value = None if (query.agency_code and agency is None) else value_of(spec, query, agency)
        yield Figure(
            key=spec.key,
            label=str(spec.label),
            value=value,
            kind=FLOW if spec.mode == FLOW else STOCK,
            source=str(_("Sổ theo dõi: %(r)s") % {"r": register.title}),
            drill_url=drill_url(spec, query),
        )
