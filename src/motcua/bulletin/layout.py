"""The bulletin's layout as data: the seed's sections in its order (Bản tin CCHC Cần Thơ số 02,
2021), each with the sentences it prints and the figure keys in them.

A sentence is a template in Vietnamese and in English; ``{a.dotted.key}`` is replaced by the
figure's value (``core.figures``), or "—" when no provider gives it (listed as missing). Keys
are fixed by docs/bulletin.md; the text follows the seed's prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"\{([a-z0-9_]+(?:\.[a-z0-9_]+)+)\}")


@dataclass(frozen=True)
class Line:
    vi: str
    en: str

    @property
    def keys(self) -> list[str]:
        return PLACEHOLDER.findall(self.vi)


@dataclass(frozen=True)
class Section:
    key: str
    title_vi: str
    title_en: str
    lines: tuple[Line, ...]

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_vi

    @property
    def keys(self) -> list[str]:
        return list(dict.fromkeys(k for line in self.lines for k in line.keys))


L = Line
SECTIONS: tuple[Section, ...] = (
    Section(
        "direction",
        "Công tác chỉ đạo, điều hành và triển khai kế hoạch cải cách hành chính",
        "Directing and implementing the administrative-reform plan",
        (
            L(
                "Kế hoạch CCHC năm xác định {reform.plan.tasks_total} nhiệm vụ cần thực hiện để "
                "hoàn thành {reform.plan.objectives} mục tiêu; đã và đang triển khai thực hiện "
                "{reform.plan.tasks_started_or_done}/{reform.plan.tasks_total} nhiệm vụ, đạt tỷ lệ "
                "{reform.plan.progress_pct}; trong đó đã hoàn thành {reform.plan.tasks_done} "
                "nhiệm vụ ({reform.plan.done_pct}).",
                "The year's reform plan sets {reform.plan.tasks_total} tasks to reach "
                "{reform.plan.objectives} objectives; {reform.plan.tasks_started_or_done}/"
                "{reform.plan.tasks_total} tasks are done or under way "
                "({reform.plan.progress_pct}), of which {reform.plan.tasks_done} are done "
                "({reform.plan.done_pct}).",
            ),
            L(
                "Mục tiêu: chỉ số cải cách hành chính đạt từ {reform.targets.par_index}; chỉ số "
                "SIPAS đạt từ {reform.targets.sipas}; chỉ số PAPI đạt từ {reform.targets.papi}.",
                "Targets: PAR index at least {reform.targets.par_index}; SIPAS at least "
                "{reform.targets.sipas}; PAPI at least {reform.targets.papi}.",
            ),
            L(
                "Kết quả xếp loại Chỉ số CCHC năm {reform.index.departments.year}: cấp sở có "
                "{reform.index.departments.tot} đơn vị xếp loại Tốt, "
                "{reform.index.departments.kha} đơn vị xếp loại Khá, "
                "{reform.index.departments.trung_binh} đơn vị xếp loại Trung bình và "
                "{reform.index.departments.yeu} đơn vị xếp loại Yếu; cấp huyện có "
                "{reform.index.districts.tot} đơn vị xếp loại Tốt, {reform.index.districts.kha} "
                "đơn vị xếp loại Khá, {reform.index.districts.trung_binh} đơn vị xếp loại Trung "
                "bình và {reform.index.districts.yeu} đơn vị xếp loại Yếu.",
                "PAR index {reform.index.departments.year}: departments "
                "{reform.index.departments.tot} Good, {reform.index.departments.kha} Fair, "
                "{reform.index.departments.trung_binh} Average, {reform.index.departments.yeu} "
                "Weak; districts {reform.index.districts.tot} Good, {reform.index.districts.kha} "
                "Fair, {reform.index.districts.trung_binh} Average, "
                "{reform.index.districts.yeu} Weak.",
            ),
            L(
                "Công tác tuyên truyền CCHC: không thực hiện {reform.plan.tasks_cancelled} nhiệm "
                "vụ (đã hủy theo văn bản cho phép, có nêu lý do).",
                "Reform propaganda: {reform.plan.tasks_cancelled} tasks not carried out "
                "(cancelled by an approving document, with reasons).",
            ),
            L(
                "Công tác kiểm tra CCHC: kiểm tra định kỳ {reform.inspections.periodic} cuộc; "
                "kiểm tra đột xuất về kỷ luật, kỷ cương hành chính {reform.inspections.surprise} "
                "cuộc; kiểm tra chuyên đề {reform.inspections.thematic} cuộc.",
                "Reform inspections: {reform.inspections.periodic} periodic, "
                "{reform.inspections.surprise} surprise inspections of administrative discipline, "
                "{reform.inspections.thematic} thematic inspections.",
            ),
        ),
    ),
    Section(
        "institutions",
        "Cải cách thể chế",
        "Institutional reform",
        (
            L(
                "Đã thẩm định {registers.legal.appraised_resolution_drafts} dự thảo nghị quyết "
                "của HĐND, {registers.legal.appraised_resolution_proposals} đề nghị xây dựng "
                "nghị quyết của HĐND, {registers.legal.appraised_decision_drafts} dự thảo quyết "
                "định của UBND; góp ý {registers.legal.commented_central} dự thảo văn bản quy "
                "phạm pháp luật của Trung ương và {registers.legal.commented_local} dự thảo văn "
                "bản quy phạm pháp luật của địa phương; "
                "{registers.legal.opinions_on_proposals} văn bản ý kiến đối với các đề nghị xây "
                "dựng văn bản quy phạm pháp luật.",
                "Appraised {registers.legal.appraised_resolution_drafts} draft council "
                "resolutions, {registers.legal.appraised_resolution_proposals} resolution "
                "proposals and {registers.legal.appraised_decision_drafts} draft decisions; "
                "commented on {registers.legal.commented_central} central and "
                "{registers.legal.commented_local} local draft legal documents; "
                "{registers.legal.opinions_on_proposals} opinions on proposals for legal "
                "documents.",
            ),
            L(
                "Tự kiểm tra {registers.legal.self_checked} văn bản; có "
                "{registers.legal.self_checked_with_errors} văn bản bị lỗi.",
                "Self-checked {registers.legal.self_checked} documents; "
                "{registers.legal.self_checked_with_errors} had errors.",
            ),
        ),
    ),
    Section(
        "procedures",
        "Cải cách thủ tục hành chính và cơ chế một cửa, một cửa liên thông",
        "Administrative-procedure reform and the one-stop mechanism",
        (
            L(
                "Tổng số TTHC thuộc thẩm quyền giải quyết là {catalog.procedures.total}; trong "
                "đó, số TTHC do Trung ương quy định: {catalog.procedures.central}; số TTHC do "
                "địa phương quy định (đặc thù): {catalog.procedures.local}; nhóm TTHC liên "
                "thông: {catalog.procedures.interlinked}.",
                "{catalog.procedures.total} procedures under the city's authority: "
                "{catalog.procedures.central} laid down centrally, {catalog.procedures.local} "
                "locally, {catalog.procedures.interlinked} interlinked groups.",
            ),
            L(
                "Ban hành {registers.procedures.announcement_decisions} quyết định công bố TTHC; "
                "thông qua phương án đơn giản hóa {registers.procedures.simplified} thủ tục, "
                "trong đó {registers.procedures.simplified_shorter_time} TTHC đề xuất giảm thời "
                "gian giải quyết, {registers.procedures.simplified_fewer_documents} TTHC đề xuất "
                "đơn giản hóa thành phần hồ sơ.",
                "{registers.procedures.announcement_decisions} decisions announcing procedures; "
                "simplification plans for {registers.procedures.simplified} procedures "
                "({registers.procedures.simplified_shorter_time} with a shorter time, "
                "{registers.procedures.simplified_fewer_documents} with fewer documents).",
            ),
            L(
                "Ban hành {registers.procedures.workflow_decisions} quyết định phê duyệt với "
                "{registers.procedures.workflows_approved} quy trình nội bộ giải quyết TTHC.",
                "{registers.procedures.workflow_decisions} decisions approving "
                "{registers.procedures.workflows_approved} internal workflows.",
            ),
            L(
                "Tổng số TTHC cung cấp trực tuyến mức độ 3, 4 là {catalog.online.total} TTHC, "
                "trong đó mức độ 3 là {catalog.online.partial} TTHC, mức độ 4 là "
                "{catalog.online.full} TTHC; có {catalog.national_portal} TTHC được tích hợp "
                "trên Cổng Dịch vụ công quốc gia.",
                "{catalog.online.total} procedures online at levels 3 and 4 "
                "({catalog.online.partial} at level 3, {catalog.online.full} at level 4); "
                "{catalog.national_portal} integrated with the national public-service portal.",
            ),
            L(
                "Bộ phận Một cửa các cấp tiếp nhận {stats.dossiers.received} hồ sơ (trực tuyến "
                "{stats.dossiers.online}); đã giải quyết {stats.dossiers.settled} hồ sơ, tỷ lệ "
                "đúng hạn {stats.dossiers.on_time_pct}; đang giải quyết "
                "{stats.dossiers.in_progress} hồ sơ.",
                "The one-stop desks received {stats.dossiers.received} dossiers (online "
                "{stats.dossiers.online}); {stats.dossiers.settled} settled, "
                "{stats.dossiers.on_time_pct} on time; {stats.dossiers.in_progress} in progress.",
            ),
            L(
                "Tổng số tiếp nhận, xử lý trên Hệ thống Dịch vụ công 1022 là "
                "{feedback.received}. Kết quả: đã xử lý {feedback.handled}; đang xử lý: "
                "{feedback.in_progress}.",
                "The 1022 public-service system received {feedback.received} items: "
                "{feedback.handled} handled, {feedback.in_progress} in progress.",
            ),
        ),
    ),
    Section(
        "apparatus",
        "Cải cách tổ chức bộ máy hành chính nhà nước",
        "Reform of the state apparatus",
        (
            L(
                "Thành lập {registers.apparatus.units_established} đơn vị; giải thể "
                "{registers.apparatus.units_dissolved} đơn vị; kiện toàn, thành lập, điều chỉnh "
                "thành viên {registers.apparatus.interagency_bodies} tổ chức phối hợp liên "
                "ngành; phê duyệt dự toán thực hiện cơ chế tài chính cho "
                "{registers.apparatus.financial_mechanism_units} đơn vị.",
                "{registers.apparatus.units_established} units established, "
                "{registers.apparatus.units_dissolved} dissolved; "
                "{registers.apparatus.interagency_bodies} inter-agency bodies set up or "
                "changed; financial-mechanism budgets approved for "
                "{registers.apparatus.financial_mechanism_units} units.",
            ),
            L(
                "Tinh giản biên chế đối với {registers.staff.streamlined} người (trong đó: "
                "{registers.staff.streamlined_civil_servants} công chức; "
                "{registers.staff.streamlined_public_employees} viên chức; "
                "{registers.staff.streamlined_contract} nhân viên hợp đồng lao động).",
                "Staff streamlining: {registers.staff.streamlined} people "
                "({registers.staff.streamlined_civil_servants} civil servants, "
                "{registers.staff.streamlined_public_employees} public employees, "
                "{registers.staff.streamlined_contract} contract staff).",
            ),
        ),
    ),
    Section(
        "civil_service",
        "Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức; cải cách công vụ",
        "Civil-service reform and the quality of cadres, civil servants and public employees",
        (
            L(
                "Ban hành {registers.civil_service.cadre_decisions} quyết định về công tác cán "
                "bộ và {registers.civil_service.management_decisions} quyết định về quản lý công "
                "chức, viên chức; giải quyết {registers.civil_service.policy_cases} trường hợp "
                "về chính sách tiền lương, chế độ nghỉ hưu, thôi việc và "
                "{registers.civil_service.recruitment_cases} trường hợp về tuyển dụng, sử dụng, "
                "quản lý công chức, viên chức.",
                "{registers.civil_service.cadre_decisions} decisions on cadres and "
                "{registers.civil_service.management_decisions} on managing civil servants; "
                "{registers.civil_service.policy_cases} salary, retirement and resignation cases "
                "and {registers.civil_service.recruitment_cases} recruitment and management "
                "cases.",
            ),
            L(
                "Tổ chức {registers.training.classes} lớp bồi dưỡng: ngạch chuyên viên "
                "({registers.training.classes_specialist} lớp); chuyên viên chính "
                "({registers.training.classes_principal} lớp); lãnh đạo cấp phòng "
                "({registers.training.classes_division_leader} lớp).",
                "{registers.training.classes} training classes: specialist "
                "({registers.training.classes_specialist}), principal specialist "
                "({registers.training.classes_principal}), division leaders "
                "({registers.training.classes_division_leader}).",
            ),
        ),
    ),
    Section(
        "public_finance",
        "Cải cách tài chính công",
        "Public-finance reform",
        (
            L(
                "Toàn thành phố có {registers.finance.autonomous_admin_units} cơ quan hành chính "
                "và {registers.finance.autonomous_public_units} đơn vị sự nghiệp công lập thực "
                "hiện cơ chế tự chủ theo quy định.",
                "{registers.finance.autonomous_admin_units} administrative agencies and "
                "{registers.finance.autonomous_public_units} public service units operate under "
                "financial autonomy.",
            ),
        ),
    ),
    Section(
        "modernisation",
        "Hiện đại hóa hành chính",
        "Administrative modernisation",
        (
            L(
                "Tổ chức tổng cộng {registers.meetings.total} cuộc họp trực tuyến, trong đó có "
                "{registers.meetings.city} cuộc họp cấp thành phố và "
                "{registers.meetings.district} cuộc họp do UBND quận, huyện chủ trì.",
                "{registers.meetings.total} online meetings: {registers.meetings.city} at city "
                "level, {registers.meetings.district} chaired by districts.",
            ),
            L(
                "Hệ thống thu thập ý kiến đánh giá đã tiếp nhận {ratings.total} lượt đánh giá "
                "của người dân, doanh nghiệp về chất lượng phục vụ của Bộ phận Một cửa.",
                "The rating system received {ratings.total} ratings of the one-stop desks' "
                "service from citizens and businesses.",
            ),
            L(
                "Có {registers.edoc.agencies_connected} cơ quan, đơn vị đã được triển khai hệ "
                "thống quản lý văn bản và điều hành và {registers.edoc.agencies_exchanging} đơn "
                "vị gửi, nhận văn bản điện tử liên thông; trên motcua đã gửi "
                "{edoc.documents.sent} và nhận {edoc.documents.received} văn bản điện tử.",
                "{registers.edoc.agencies_connected} agencies run the document-management "
                "system and {registers.edoc.agencies_exchanging} exchange e-documents; motcua "
                "sent {edoc.documents.sent} and received {edoc.documents.received} e-documents.",
            ),
            L(
                "Số lượng chứng thư số đã cấp của tổ chức là "
                "{certificates.organisation.issued} (đang hoạt động "
                "{certificates.organisation.active}), cá nhân là "
                "{certificates.personal.issued} (đang hoạt động "
                "{certificates.personal.active}), trong đó có {certificates.tokens} cá nhân "
                "được cấp chứng thư số USB token.",
                "Digital certificates: {certificates.organisation.issued} organisational "
                "({certificates.organisation.active} active), {certificates.personal.issued} "
                "personal ({certificates.personal.active} active), {certificates.tokens} USB "
                "tokens.",
            ),
            L(
                "Phân quyền cho {registers.outside.national_portal_users} người dùng khai thác "
                "Cổng Dịch vụ công quốc gia; nền tảng dùng chung đã kết nối "
                "{registers.outside.lgsp_databases} cơ sở dữ liệu; có {catalog.national_portal} "
                "TTHC được tích hợp trên Cổng Dịch vụ công quốc gia.",
                "{registers.outside.national_portal_users} users authorised on the national "
                "portal; the shared data platform connects {registers.outside.lgsp_databases} "
                "databases; {catalog.national_portal} procedures integrated with the national "
                "portal.",
            ),
        ),
    ),
)
BY_KEY = {s.key: s for s in SECTIONS}


def all_keys() -> list[str]:
    """Every figure key the bulletin prints, in order of first appearance."""
    return list(dict.fromkeys(k for s in SECTIONS for k in s.keys))


def check() -> None:
    """Each line's English template names the same keys as its Vietnamese one."""
    for section in SECTIONS:
        for line in section.lines:
            if set(PLACEHOLDER.findall(line.en)) != set(line.keys):
                raise ValueError(f"{section.key}: the English line names other keys: {line.en}")


@dataclass(frozen=True)
class Chart:
    """A bar chart of some figures, drawn under its section (SVG on the page and in the PDF; a
    small table in the Word file, where offices edit it)."""

    section: str
    title_vi: str
    title_en: str
    bars: tuple[tuple[str, str, str], ...]  # (label vi, label en, figure key)

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_vi


def _bands(tier: str) -> tuple[tuple[str, str, str], ...]:
    return (
        ("Tốt", "Good", f"reform.index.{tier}.tot"),
        ("Khá", "Fair", f"reform.index.{tier}.kha"),
        ("Trung bình", "Average", f"reform.index.{tier}.trung_binh"),
        ("Yếu", "Weak", f"reform.index.{tier}.yeu"),
    )


CHARTS: tuple[Chart, ...] = (
    Chart(
        "direction",
        "Nhiệm vụ của kế hoạch CCHC",
        "Tasks of the reform plan",
        (
            ("Tổng số nhiệm vụ", "All tasks", "reform.plan.tasks_total"),
            ("Đã và đang triển khai", "Done or under way", "reform.plan.tasks_started_or_done"),
            ("Đã hoàn thành", "Done", "reform.plan.tasks_done"),
            ("Không thực hiện", "Cancelled", "reform.plan.tasks_cancelled"),
        ),
    ),
    Chart(
        "direction", "Xếp loại Chỉ số CCHC cấp sở", "PAR index: departments", _bands("departments")
    ),
    Chart(
        "direction", "Xếp loại Chỉ số CCHC cấp huyện", "PAR index: districts", _bands("districts")
    ),
    Chart(
        "procedures",
        "Phản ánh, kiến nghị trên Hệ thống 1022",
        "Feedback on the 1022 system",
        (
            ("Tiếp nhận", "Received", "feedback.received"),
            ("Đã xử lý", "Handled", "feedback.handled"),
            ("Đang xử lý", "In progress", "feedback.in_progress"),
        ),
    ),
)
