"""Demo PAR index (a DEMO scheme, marked so): the 2020 index of Cần Thơ's departments and
districts, appraised in 2021, whose bands the seed's bulletin reports (S8): departments
11 Tốt, 8 Khá, 1 Yếu; districts 5 Khá, 4 Trung bình.

The tree is the 2017 provincial scheme's shape (Decision 2948/QĐ-BNV: 8 areas, maxima
10 / 10 / 14.5 / 11 / 16 / 7 / 16 / 15.5 = 100), trimmed to a few criteria per area; the
wording of the criteria follows the areas' subjects, not the Decision's text. The cut-offs
(Tốt ≥ 80 %, Khá ≥ 70 %, Trung bình ≥ 50 %, Yếu below) are demo values.

Nothing is typed in as a result: the scheme is imported from its workbook, each unit
self-assesses with evidence, the council appraises (some units explain, and the final round
answers them), the survey results are imported from their workbook, and the office publishes.
Each unit's level of achievement (``LEVELS``) is what drives its scores.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password

from motcua.accounts.models import Membership, Role, User
from motcua.agencies.models import Agency
from motcua.core.demo import DemoRun
from motcua.reform import index_excel, index_services
from motcua.reform.index_rules import Kind, Method, Rule, Tier, q2
from motcua.reform.index_services import AreaSpec, CriterionSpec, SchemeSpec, SubSpec, Upload
from motcua.reform.models import Assessment, Scheme

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
YEAR = 2020  # the index year; appraised and announced in 2021
OFFICE_REF = "92.SNV"
OFFICER = "cchc.noivu"  # the reform office's officer (reform/demo.py creates it)
COUNCIL = "hoidong.cchc"
BANDS = [
    ("Tốt", Decimal(80)),
    ("Khá", Decimal(70)),
    ("Trung bình", Decimal(50)),
    ("Yếu", Decimal(0)),
]
D = Decimal

# (area title, max, [(criterion, [(sub title, max, method, kind, rule, levels)])])
TREE = [
    (
        "Công tác chỉ đạo, điều hành CCHC",
        "10",
        [
            (
                "Kế hoạch CCHC năm",
                [
                    (
                        "Ban hành kế hoạch CCHC năm đúng thời hạn",
                        "2",
                        "self",
                        "score",
                        "levels",
                        "1;0.5;0",
                    ),
                    ("Mức độ hoàn thành kế hoạch CCHC", "3", "self", "score", "range", ""),
                ],
            ),
            (
                "Báo cáo, kiểm tra, tuyên truyền CCHC",
                [
                    ("Báo cáo CCHC đầy đủ, đúng hạn", "2", "self", "score", "range", ""),
                    ("Kiểm tra và tuyên truyền CCHC", "3", "self", "score", "range", ""),
                ],
            ),
        ],
    ),
    (
        "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật",
        "10",
        [
            (
                "Xây dựng, kiểm tra, rà soát văn bản",
                [
                    (
                        "Tham mưu xây dựng văn bản QPPL đúng chương trình",
                        "4",
                        "self",
                        "score",
                        "range",
                        "",
                    ),
                    (
                        "Tự kiểm tra, rà soát, hệ thống hóa văn bản",
                        "3",
                        "self",
                        "score",
                        "range",
                        "",
                    ),
                ],
            ),
            (
                "Tổ chức thi hành văn bản",
                [
                    ("Theo dõi thi hành pháp luật", "3", "self", "score", "range", ""),
                ],
            ),
        ],
    ),
    (
        "Cải cách thủ tục hành chính",
        "14.5",
        [
            (
                "Kiểm soát, công khai TTHC",
                [
                    ("Rà soát, đơn giản hóa TTHC", "4", "self", "score", "range", ""),
                    ("Công khai TTHC đầy đủ, đúng quy định", "3.5", "self", "score", "range", ""),
                ],
            ),
            (
                "Cơ chế một cửa, một cửa liên thông",
                [
                    (
                        "Giải quyết hồ sơ đúng hạn, xin lỗi khi trễ hạn",
                        "4",
                        "self",
                        "score",
                        "range",
                        "",
                    ),
                    ("Tiếp nhận, xử lý phản ánh, kiến nghị", "3", "self", "score", "range", ""),
                ],
            ),
        ],
    ),
    (
        "Cải cách tổ chức bộ máy hành chính nhà nước",
        "11",
        [
            (
                "Tổ chức bộ máy",
                [
                    ("Sắp xếp tổ chức bộ máy theo quy định", "5", "self", "score", "range", ""),
                    ("Quản lý biên chế, tinh giản biên chế", "6", "self", "score", "range", ""),
                ],
            ),
        ],
    ),
    (
        "Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức",
        "16",
        [
            (
                "Vị trí việc làm, tuyển dụng, đào tạo",
                [
                    ("Xác định và thực hiện vị trí việc làm", "5", "self", "score", "range", ""),
                    ("Đào tạo, bồi dưỡng công chức", "5", "self", "score", "range", ""),
                ],
            ),
            (
                "Kỷ luật, kỷ cương hành chính",
                [
                    ("Chấp hành kỷ luật, kỷ cương", "6", "self", "score", "range", ""),
                ],
            ),
        ],
    ),
    (
        "Cải cách tài chính công",
        "7",
        [
            (
                "Tự chủ tài chính",
                [
                    ("Thực hiện cơ chế tự chủ tài chính", "4", "self", "score", "range", ""),
                    ("Quản lý, sử dụng tài sản công", "3", "self", "score", "range", ""),
                ],
            ),
        ],
    ),
    (
        "Hiện đại hóa hành chính",
        "16",
        [
            (
                "Ứng dụng công nghệ thông tin",
                [
                    ("Văn bản điện tử, chữ ký số", "5", "self", "score", "range", ""),
                    ("Dịch vụ công trực tuyến mức độ 3, 4", "6", "self", "score", "range", ""),
                ],
            ),
            (
                "Hệ thống quản lý chất lượng",
                [
                    ("Áp dụng ISO 9001:2015", "5", "self", "score", "range", ""),
                ],
            ),
        ],
    ),
    (
        "Tác động của cải cách hành chính",
        "15.5",
        [
            (
                "Sự hài lòng của người dân, tổ chức",
                [
                    (
                        "Mức độ hài lòng về phục vụ hành chính (SIPAS)",
                        "9",
                        "survey",
                        "score",
                        "ratio",
                        "",
                    ),
                ],
            ),
            (
                "Tác động đến quản lý nhà nước",
                [
                    ("Thực hiện nhiệm vụ được giao", "6.5", "self", "score", "range", ""),
                ],
            ),
            (
                "Điểm thưởng, điểm trừ",
                [
                    (
                        "Sáng kiến CCHC được công nhận (điểm thưởng)",
                        "1",
                        "self",
                        "bonus",
                        "range",
                        "",
                    ),
                ],
            ),
        ],
    ),
]
SURVEY_CODE = "8.1.1"
BONUS_CODE = "8.3.1"
DISPUTED_CODE = "2.1.1"

# each unit's level of achievement (a fraction of every maximum): the seed's bands follow
DEPARTMENTS = {
    "92.VP": "0.93", "92.SNV": "0.92", "92.STP": "0.91", "92.SKHDT": "0.90",
    "92.STC": "0.89", "92.SCT": "0.88", "92.STTTT": "0.875", "92.SYT": "0.86",
    "92.SGDDT": "0.85", "92.STNMT": "0.84", "92.SXD": "0.825",
    "92.SGTVT": "0.78", "92.SLDTBXH": "0.77", "92.SVHTTDL": "0.76", "92.SKHCN": "0.755",
    "92.SNGV": "0.745", "92.TTTP": "0.74", "92.BDT": "0.73", "92.BQLKCXCN": "0.72",
    "92.SNNPTNT": "0.47",
}  # fmt: skip
DISTRICTS = {
    "916": "0.785", "918": "0.77", "919": "0.755", "917": "0.74", "923": "0.725",
    "926": "0.68", "927": "0.66", "925": "0.64", "924": "0.62",
}  # fmt: skip
BONUS_UNITS = ("92.VP", "92.SNV", "92.STTTT")
# a PDF of one page: the evidence the units attach (a scan in real life)
EVIDENCE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def spec(tier: str) -> SchemeSpec:
    areas = []
    for a_no, (title, maximum, criteria) in enumerate(TREE, start=1):
        area = AreaSpec(a_no, title, D(maximum))
        for c_no, (c_title, subs) in enumerate(criteria, start=1):
            criterion = CriterionSpec(f"{a_no}.{c_no}", c_title)
            for s_no, (s_title, s_max, method, kind, rule, levels) in enumerate(subs, start=1):
                criterion.subs.append(
                    SubSpec(
                        code=f"{a_no}.{c_no}.{s_no}",
                        title=s_title,
                        max_points=D(s_max),
                        method=Method(method),
                        kind=Kind(kind),
                        rule=Rule(rule),
                        levels=levels,
                        full_at=D("0.9") if rule == "ratio" else D(1),
                    )
                )
            area.criteria.append(criterion)
        areas.append(area)
    label = "sở, ban, ngành" if tier == Tier.DEPARTMENT else "quận, huyện"
    return SchemeSpec(
        year=YEAR,
        tier=tier,
        name=f"Bộ chỉ số CCHC năm {YEAR} của {label} (minh họa)",
        basis="Bộ chỉ số minh họa theo cấu trúc Quyết định 2948/QĐ-BNV",
        is_demo=True,
        self_deadline=dt.date(2021, 1, 15),
        bonus_cap=D(2),
        penalty_cap=D(2),
        bands=list(BANDS),
        areas=areas,
    )


def _user(username: str, full_name: str, role: str, agency: Agency, password: str) -> User:
    user, new = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if new:
        user.password = password
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, role=role, agency=agency)
    return user


def _at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2021, month, day, 9, 0, tzinfo=TZ)


def _points(maximum: Decimal, level: Decimal, levels: str) -> Decimal:
    if levels:  # full / partial / zero
        return maximum if level >= D("0.75") else q2(maximum / 2) if level >= D("0.5") else D(0)
    return q2(maximum * level)


def score_tier(
    scheme: Scheme, units: dict[str, str], *, office: User, council: User, password: str
) -> None:
    """Run one tier through the whole workflow."""
    agencies = {a.local_ref: a for a in Agency.objects.filter(local_ref__in=units)}
    index_services.open_assessments(by=office, scheme_id=scheme.pk, agencies=agencies.values())
    subs = list(scheme.subs.order_by("id"))
    self_subs = [s for s in subs if s.method == Method.SELF]
    survey = []
    for n, (ref, level_text) in enumerate(units.items()):
        agency, level = agencies[ref], D(level_text)
        head = _user(
            f"chiso.{ref.lower()}", f"Lãnh đạo {agency.name_vi}", Role.LEADER, agency, password
        )
        assessment = Assessment.objects.get(scheme=scheme, agency=agency)
        claims = []
        for sub in self_subs:
            if sub.kind == Kind.BONUS:
                claimed = sub.max_points if ref in BONUS_UNITS else D(0)
            else:  # units claim a little more than the council will grant
                claimed = _points(sub.max_points, min(level + D("0.05"), D(1)), sub.levels)
            claims.append(
                index_services.SelfScore(
                    code=sub.code,
                    points=claimed,
                    note="Đã thực hiện theo kế hoạch.",
                    evidence=Upload(f"kiem-chung-{sub.code}.pdf", EVIDENCE) if claimed else None,
                    page=1 + n % 7 if claimed else None,
                )
            )
        # each sub-criterion scored as through the page, one audit row each (a batch: the
        # assessment is locked and checked once per unit, not once per sub-criterion)
        index_services.self_assess_many(
            by=head, assessment_id=assessment.pk, entries=claims, today=dt.date(2021, 1, 10)
        )
        index_services.submit(by=head, assessment_id=assessment.pk, now=_at(1, 12))
        disputed = n % 3 == 0
        grants = []
        for sub in self_subs:
            if sub.kind == Kind.BONUS:
                continue  # the council accepts the units' bonus claims
            granted = _points(sub.max_points, level, sub.levels)
            if disputed and sub.code == DISPUTED_CODE:
                granted = D(0)  # evidence found wanting in round 1
            grants.append(
                index_services.CouncilScore(
                    code=sub.code,
                    points=granted,
                    note="Tài liệu kiểm chứng chưa thể hiện đầy đủ kết quả."
                    if granted == D(0)
                    else "Điều chỉnh theo kết quả thẩm định.",
                )
            )
        index_services.appraise_many(by=council, assessment_id=assessment.pk, entries=grants)
        index_services.finish_appraisal(by=council, assessment_id=assessment.pk)
        if disputed:
            index_services.explain(
                by=head,
                assessment_id=assessment.pk,
                code=DISPUTED_CODE,
                text="Bổ sung văn bản kiểm chứng: báo cáo rà soát, trang 3.",
            )
            index_services.submit_explanation(by=head, assessment_id=assessment.pk)
            sub = next(s for s in self_subs if s.code == DISPUTED_CODE)
            index_services.appraise(
                by=council,
                assessment_id=assessment.pk,
                code=DISPUTED_CODE,
                points=_points(sub.max_points, level, sub.levels),
                note="Chấp nhận giải trình của đơn vị.",
            )
        survey.append((agency.local_ref, SURVEY_CODE, q2(level * 90), 300 + 17 * n))
    index_excel.import_survey(
        by=office,
        scheme=scheme,
        data=index_excel.survey_workbook(survey),
        source="Điều tra xã hội học năm 2020 (minh họa)",
    )
    for assessment in Assessment.objects.filter(scheme=scheme):
        index_services.finalise(by=council, assessment_id=assessment.pk)
    index_services.publish(by=office, scheme_id=scheme.pk, now=_at(4, 20))


def load_history(run: DemoRun) -> None:
    if Scheme.objects.filter(year=YEAR, is_demo=True).exists():
        return
    office = User.objects.get(username=OFFICER)
    from motcua.accounts.demo import DEMO_PASSWORD

    password = make_password(DEMO_PASSWORD)  # hashed once for every demo unit's leader
    council = _user(
        COUNCIL,
        "Trần Thị Thẩm Định",
        Role.SPECIALIST,
        Agency.objects.get(local_ref=OFFICE_REF),
        password,
    )
    for tier, units in ((Tier.DEPARTMENT, DEPARTMENTS), (Tier.DISTRICT, DISTRICTS)):
        scheme = index_excel.import_scheme(by=office, data=index_excel.scheme_workbook(spec(tier)))
        index_services.appoint_council(
            by=office, scheme_id=scheme.pk, user=council, position="Thành viên"
        )
        score_tier(scheme, units, office=office, council=council, password=password)
        run.log(f"Chỉ số CCHC {YEAR} ({Tier(tier).label}): {len(units)} đơn vị đã công bố")


def summary(run: DemoRun) -> None:
    run.log(
        f"  {COUNCIL:<20} — Hội đồng thẩm định Chỉ số CCHC; chiso.<mã đơn vị> — lãnh đạo đơn vị"
    )
