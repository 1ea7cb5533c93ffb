"""Demo data of the reform app, shaped like the seed (S8): the city's 2021 plan (Plan
164/KH-UBND: 66 tasks for 12 objectives, 52 done or under way = 78.8 %, propaganda tasks two
of which were cancelled with their reasons), its targets (PAR index ≥ 86 %, SIPAS ≥ 88 %,
PAPI ≥ 45) and the inspections of January–September 2021 (9 periodic, 19 surprise, 31 on
COVID-19 discipline). Everything is created through the services, as the reform office would.

``load`` (reference, fast): the reform office (Department of Home Affairs) and its officer.
``load_history`` (in the background): the plan and the inspections. Both are idempotent.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password

from motcua.accounts.models import Membership, Role, User
from motcua.agencies.models import Agency
from motcua.core.demo import DemoRun
from motcua.reform import index_demo, services
from motcua.reform.models import Inspection, ReformOffice, ReformPlan, Task
from motcua.reform.rules import Area, InspectionKind, RemedyStatus, TaskStatus

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
OFFICE_REF = "92.SNV"  # Sở Nội vụ
OFFICER = "cchc.noivu"
YEAR = 2021
CITY_REF = "92"
DECISION = "164/KH-UBND"

# (area, objective, [(task, output, lead ref, partner refs, deadline month, propaganda)])
PLAN: list[tuple[str, str, list[tuple[str, str, str, tuple[str, ...], int | None, bool]]]] = [
    (
        Area.DIRECTION,
        "Nâng cao hiệu quả chỉ đạo, điều hành công tác CCHC",
        [
            (
                "Ban hành Kế hoạch CCHC năm 2021 của thành phố",
                "Kế hoạch",
                "92.SNV",
                ("92.VP",),
                1,
                False,
            ),
            (
                "Ban hành Kế hoạch kiểm tra công tác CCHC năm 2021",
                "Kế hoạch",
                "92.SNV",
                (),
                2,
                False,
            ),
            (
                "Xác định Chỉ số CCHC năm 2020 của các sở, ngành và quận, huyện",
                "Quyết định công bố",
                "92.SNV",
                ("92.VP",),
                4,
                False,
            ),
            ("Báo cáo CCHC định kỳ quý, 6 tháng, năm", "Báo cáo", "92.SNV", (), None, False),
            (
                "Tổ chức hội nghị sơ kết công tác CCHC 6 tháng đầu năm",
                "Hội nghị",
                "92.SNV",
                ("92.VP",),
                7,
                False,
            ),
            (
                "Khắc phục tồn tại, hạn chế qua xác định Chỉ số CCHC năm 2020",
                "Báo cáo khắc phục",
                "92.VP",
                ("92.SNV",),
                9,
                False,
            ),
        ],
    ),
    (
        Area.DIRECTION,
        "Đẩy mạnh tuyên truyền về cải cách hành chính",
        [
            (
                "Ban hành Kế hoạch tuyên truyền CCHC năm 2021",
                "Kế hoạch",
                "92.SNV",
                ("92.STTTT",),
                2,
                True,
            ),
            (
                "Chuyên mục CCHC trên Báo Cần Thơ và Đài Phát thanh – Truyền hình",
                "Chuyên mục hằng tháng",
                "92.STTTT",
                ("92.SNV",),
                None,
                True,
            ),
            ("Cuộc thi tìm hiểu về CCHC trên mạng", "Cuộc thi", "92.SNV", ("92.STTTT",), 10, True),
            (
                "Tuyên truyền trên Cổng thông tin điện tử thành phố",
                "Tin, bài",
                "92.STTTT",
                (),
                None,
                True,
            ),
            (
                "Hội thi “Cán bộ một cửa thân thiện” cấp thành phố",
                "Hội thi",
                "92.SNV",
                ("916",),
                8,
                True,
            ),
            (
                "Tọa đàm trực tiếp với người dân về dịch vụ công trực tuyến",
                "Tọa đàm",
                "92.STTTT",
                ("92.SNV",),
                9,
                True,
            ),
        ],
    ),
    (
        Area.INSTITUTIONS,
        "Nâng cao chất lượng xây dựng, kiểm tra văn bản quy phạm pháp luật",
        [
            (
                "Xây dựng Chương trình ban hành văn bản QPPL năm 2021",
                "Chương trình",
                "92.STP",
                (),
                1,
                False,
            ),
            ("Tự kiểm tra, rà soát văn bản QPPL", "Báo cáo rà soát", "92.STP", (), 11, False),
            ("Theo dõi tình hình thi hành pháp luật", "Báo cáo", "92.STP", (), 12, False),
            ("Hệ thống hóa văn bản QPPL kỳ 2019–2023", "Danh mục văn bản", "92.STP", (), 12, False),
            (
                "Thẩm định dự thảo văn bản QPPL đúng hạn",
                "Báo cáo thẩm định",
                "92.STP",
                (),
                None,
                False,
            ),
        ],
    ),
    (
        Area.PROCEDURES,
        "Kiểm soát, công bố và đơn giản hóa thủ tục hành chính",
        [
            (
                "Công bố danh mục TTHC thuộc thẩm quyền giải quyết",
                "Quyết định công bố",
                "92.VP",
                ("92.STP",),
                3,
                False,
            ),
            (
                "Rà soát, đánh giá TTHC theo kế hoạch năm 2021",
                "Phương án đơn giản hóa",
                "92.VP",
                (),
                9,
                False,
            ),
            (
                "Xây dựng quy trình nội bộ giải quyết TTHC",
                "Quy trình nội bộ",
                "92.VP",
                (),
                6,
                False,
            ),
            (
                "Công khai TTHC trên Cổng dịch vụ công",
                "TTHC công khai",
                "92.STTTT",
                ("92.VP",),
                None,
                False,
            ),
            (
                "Tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính",
                "Báo cáo",
                "92.VP",
                (),
                None,
                False,
            ),
            (
                "Đánh giá việc giải quyết TTHC theo Quyết định 766",
                "Báo cáo đánh giá",
                "92.VP",
                ("92.STTTT",),
                12,
                False,
            ),
            ("Cắt giảm thời gian giải quyết TTHC", "Danh mục cắt giảm", "92.VP", (), 10, False),
        ],
    ),
    (
        Area.PROCEDURES,
        "Nâng cao chất lượng cơ chế một cửa, một cửa liên thông",
        [
            (
                "Vận hành Trung tâm Phục vụ hành chính công thành phố",
                "Trung tâm",
                "92.VP",
                (),
                6,
                False,
            ),
            (
                "Khảo sát sự hài lòng của người dân, tổ chức",
                "Báo cáo khảo sát",
                "92.SNV",
                (),
                11,
                False,
            ),
            ("Chuẩn hóa bộ phận một cửa cấp xã", "Bộ phận một cửa", "916", ("92.SNV",), 9, False),
            ("Số hóa hồ sơ, kết quả giải quyết TTHC", "Hồ sơ số hóa", "92.STTTT", (), 12, False),
            ("Tiếp nhận hồ sơ qua dịch vụ bưu chính công ích", "Báo cáo", "92.VP", (), None, False),
        ],
    ),
    (
        Area.APPARATUS,
        "Sắp xếp, kiện toàn tổ chức bộ máy",
        [
            (
                "Rà soát chức năng, nhiệm vụ của các sở, ngành",
                "Báo cáo rà soát",
                "92.SNV",
                (),
                6,
                False,
            ),
            ("Sắp xếp đơn vị sự nghiệp công lập", "Đề án", "92.SNV", ("92.STC",), 12, False),
            ("Sắp xếp ấp, khu vực", "Nghị quyết", "92.SNV", ("916",), 10, False),
            (
                "Quản lý biên chế công chức năm 2021",
                "Quyết định giao biên chế",
                "92.SNV",
                (),
                3,
                False,
            ),
            (
                "Tinh giản biên chế theo Nghị định 108/2014",
                "Quyết định",
                "92.SNV",
                ("92.STC",),
                None,
                False,
            ),
            (
                "Kiểm tra tổ chức bộ máy tại các sở, ngành",
                "Kết luận kiểm tra",
                "92.SNV",
                (),
                11,
                False,
            ),
        ],
    ),
    (
        Area.CIVIL_SERVICE,
        "Xây dựng đội ngũ cán bộ, công chức, viên chức",
        [
            (
                "Hoàn thiện vị trí việc làm của các cơ quan",
                "Đề án vị trí việc làm",
                "92.SNV",
                (),
                9,
                False,
            ),
            ("Tuyển dụng công chức năm 2021", "Kết quả tuyển dụng", "92.SNV", (), 12, False),
            ("Đào tạo, bồi dưỡng cán bộ, công chức", "Lớp bồi dưỡng", "92.SNV", (), None, False),
            ("Đánh giá, xếp loại công chức", "Kết quả đánh giá", "92.SNV", (), 12, False),
            ("Thi nâng ngạch công chức", "Kết quả thi", "92.SNV", (), 11, False),
        ],
    ),
    (
        Area.CIVIL_SERVICE,
        "Tăng cường kỷ luật, kỷ cương hành chính",
        [
            (
                "Kiểm tra công vụ định kỳ và đột xuất",
                "Kết luận kiểm tra",
                "92.SNV",
                (),
                None,
                False,
            ),
            ("Thực hiện quy tắc ứng xử của cán bộ, công chức", "Báo cáo", "92.SNV", (), 12, False),
            ("Xử lý cán bộ, công chức vi phạm", "Báo cáo", "92.SNV", ("92.TTTP",), None, False),
            (
                "Kiểm tra kỷ luật, kỷ cương trong phòng, chống dịch COVID-19",
                "Kết luận kiểm tra",
                "92.SNV",
                ("92.SYT",),
                9,
                False,
            ),
            ("Đánh giá sự hài lòng với cán bộ một cửa", "Báo cáo", "92.SNV", (), 12, False),
        ],
    ),
    (
        Area.PUBLIC_FINANCE,
        "Đổi mới cơ chế tài chính đối với cơ quan, đơn vị",
        [
            (
                "Giao quyền tự chủ tài chính cho cơ quan hành chính",
                "Quyết định",
                "92.STC",
                (),
                3,
                False,
            ),
            (
                "Giao quyền tự chủ cho đơn vị sự nghiệp công lập",
                "Quyết định",
                "92.STC",
                ("92.SNV",),
                6,
                False,
            ),
            ("Công khai ngân sách", "Báo cáo công khai", "92.STC", (), None, False),
            ("Quản lý, sử dụng tài sản công", "Báo cáo", "92.STC", (), 12, False),
            ("Thực hiện giá dịch vụ sự nghiệp công", "Quyết định giá", "92.STC", (), 12, False),
            ("Thực hành tiết kiệm, chống lãng phí", "Báo cáo", "92.STC", (), 12, False),
        ],
    ),
    (
        Area.E_GOVERNMENT,
        "Xây dựng chính quyền điện tử thành phố",
        [
            (
                "Nâng cấp Hệ thống thông tin giải quyết TTHC",
                "Hệ thống",
                "92.STTTT",
                ("92.VP",),
                6,
                False,
            ),
            (
                "Tích hợp Cổng dịch vụ công quốc gia",
                "Thủ tục tích hợp",
                "92.STTTT",
                ("92.VP",),
                9,
                False,
            ),
            ("Mở rộng trục liên thông văn bản", "Đơn vị kết nối", "92.STTTT", (), 9, False),
            ("Cấp chứng thư số cho cán bộ, công chức", "Chứng thư số", "92.STTTT", (), None, False),
            (
                "Họp trực tuyến các cấp",
                "Hệ thống hội nghị truyền hình",
                "92.STTTT",
                ("92.VP",),
                None,
                False,
            ),
        ],
    ),
    (
        Area.E_GOVERNMENT,
        "Ứng dụng công nghệ thông tin, chuyển đổi số",
        [
            ("Kế hoạch chuyển đổi số năm 2021", "Kế hoạch", "92.STTTT", (), 3, False),
            ("Cơ sở dữ liệu chuyên ngành", "Cơ sở dữ liệu", "92.STTTT", (), 12, False),
            ("Nền tảng chia sẻ, tích hợp dữ liệu (LGSP)", "Nền tảng", "92.STTTT", (), 12, False),
            (
                "Áp dụng ISO 9001:2015 trong cơ quan hành chính",
                "Hệ thống quản lý chất lượng",
                "92.SKHCN",
                (),
                12,
                False,
            ),
            ("Bảo đảm an toàn thông tin", "Báo cáo", "92.STTTT", (), None, False),
        ],
    ),
    (
        Area.IMPACT,
        "Nâng cao sự hài lòng của người dân, doanh nghiệp",
        [
            ("Khảo sát Chỉ số SIPAS năm 2021", "Báo cáo SIPAS", "92.SNV", (), 11, False),
            ("Cải thiện Chỉ số PAPI", "Kế hoạch cải thiện", "92.SNV", ("92.VP",), 6, False),
            ("Cải thiện Chỉ số PCI", "Kế hoạch cải thiện", "92.SKHDT", (), 6, False),
            (
                "Đánh giá tác động của CCHC đến phát triển kinh tế – xã hội",
                "Báo cáo",
                "92.SKHDT",
                ("92.SNV",),
                12,
                False,
            ),
            ("Đối thoại với doanh nghiệp về TTHC", "Hội nghị đối thoại", "92.SKHDT", (), 10, False),
        ],
    ),
]
# the two propaganda tasks the city cancelled (objective 2, tasks 5 and 6), with reasons
CANCELLED = {
    (2, 5): ("1234/UBND-NC", "Dịch COVID-19 bùng phát: không tổ chức hội thi tập trung."),
    (2, 6): ("1234/UBND-NC", "Giãn cách xã hội theo Chỉ thị 16/CT-TTg: không tổ chức tọa đàm."),
}
# of the other 64 tasks: 38 done, 14 in progress, 12 not started (52 + 2 cancelled = 66)
SPLIT = (38, 14, 12)
TARGETS = (
    ("par_index", "Chỉ số CCHC của thành phố", "86", "%"),
    ("sipas", "Chỉ số hài lòng SIPAS", "88", "%"),
    ("papi", "Chỉ số PAPI", "45", "điểm"),
)
# inspections of January–September 2021
INSPECTIONS = (
    (InspectionKind.PERIODIC, 9, "Kiểm tra công tác cải cách hành chính năm 2021"),
    (InspectionKind.SURPRISE, 19, "Kiểm tra đột xuất việc thực hiện kỷ luật, kỷ cương hành chính"),
    (
        InspectionKind.THEMATIC,
        31,
        "Kiểm tra kỷ luật, kỷ cương hành chính trong phòng, chống dịch COVID-19",
    ),
)


def _agency(ref: str) -> Agency:
    return Agency.objects.get(local_ref=ref)


def load(run: DemoRun) -> None:
    office = _agency(OFFICE_REF)
    ReformOffice.objects.get_or_create(agency=office)
    user, new = User.objects.get_or_create(
        username=OFFICER, defaults={"full_name": "Huỳnh Thị Cải Cách"}
    )
    if new:
        from motcua.accounts.demo import DEMO_PASSWORD, DEMO_USERS

        # the accounts demo hashed the shared demo password once (Argon2 is slow by design):
        # reuse that hash rather than spend another on the first start's critical path
        known = User.objects.filter(username=DEMO_USERS[0].username).first()
        user.password = known.password if known else make_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, role=Role.SPECIALIST, agency=office)
    run.log(f"Cải cách hành chính: cơ quan thường trực {office.name_vi}")


def _at(month: int, day: int) -> dt.datetime:
    return dt.datetime(YEAR, month, day, 9, 0, tzinfo=TZ)


def load_plan(by: User) -> ReformPlan | None:
    city = _agency(CITY_REF)
    if ReformPlan.objects.filter(year=YEAR, agency=city).exists():
        return None
    plan = services.create_plan(
        by=by,
        year_=YEAR,
        agency=city,
        decision_number=DECISION,
        decision_date=dt.date(2020, 12, 31),
        title="Kế hoạch cải cách hành chính năm 2021 của thành phố Cần Thơ",
    )
    for code, name, value, unit in TARGETS:
        services.set_target(by=by, plan_id=plan.pk, code=code, name=name, value=value, unit=unit)
    refs = {lead for _a, _t, tasks in PLAN for _c, _o, lead, _p, _m, _pr in tasks}
    refs |= {p for _a, _t, tasks in PLAN for *_x, partners, _m, _pr in tasks for p in partners}
    agencies = {a.local_ref: a for a in Agency.objects.filter(local_ref__in=refs)}
    rng = random.Random(164)  # noqa: S311 - reproducible demo data
    statuses = [TaskStatus.DONE] * SPLIT[0] + [TaskStatus.IN_PROGRESS] * SPLIT[1]
    statuses += [TaskStatus.NOT_STARTED] * SPLIT[2]
    rng.shuffle(statuses)
    for o_no, (area, title, tasks) in enumerate(PLAN, start=1):
        objective = services.add_objective(by=by, plan_id=plan.pk, area=area, title=title)
        for t_no, (content, output, lead, partners, month, propaganda) in enumerate(tasks, 1):
            task = services.add_task(
                by=by,
                objective_id=objective.pk,
                content=content,
                output=output,
                lead_agency=agencies[lead],
                partners=[agencies[p] for p in partners],
                deadline=dt.date(YEAR, month, 28) if month else None,
                is_propaganda=propaganda,
            )
            if (o_no, t_no) in CANCELLED:
                reference, reason = CANCELLED[(o_no, t_no)]
                services.cancel_task(by=by, task_id=task.pk, reference=reference, reason=reason)
                continue
            status = statuses.pop()
            if status == TaskStatus.NOT_STARTED:
                continue
            services.report_progress(
                by=by,
                task_id=task.pk,
                status=TaskStatus.IN_PROGRESS,
                note="Đã triển khai thực hiện.",
                now=_at(rng.randint(1, 4), rng.randint(1, 28)),
            )
            if status == TaskStatus.DONE:
                services.report_progress(
                    by=by,
                    task_id=task.pk,
                    status=TaskStatus.DONE,
                    note=f"Đã hoàn thành: {output}.",
                    now=_at(rng.randint(5, 9), rng.randint(1, 28)),
                )
    assert not statuses, "the demo plan's status split does not match its tasks"
    return plan


def load_inspections(by: User) -> int:
    if Inspection.objects.filter(year=YEAR).exists():
        return 0
    office = _agency(OFFICE_REF)
    targets = list(
        Agency.objects.filter(level__in=["department", "district"]).order_by("local_ref")
    )
    rng = random.Random(76)  # noqa: S311 - reproducible demo data
    count = 0
    for kind, n, topic in INSPECTIONS:
        for i in range(n):
            start = dt.date(YEAR, 1, 11) + dt.timedelta(days=rng.randint(0, 250))
            inspected = rng.sample(targets, 2 if kind == InspectionKind.PERIODIC else 1)
            inspection = services.create_inspection(
                by=by,
                kind=kind,
                topic=topic,
                organiser=office,
                start_date=start,
                end_date=start + dt.timedelta(days=rng.randint(0, 3)),
                targets=inspected,
                team=[
                    services.Member("Huỳnh Thị Cải Cách", "Trưởng đoàn", office),
                    services.Member("Trần Minh Kiểm", "Thành viên", office),
                ],
                decision_reference=f"{100 + count}/QĐ-SNV",
            )
            count += 1
            if i % 3 == 2:  # a third are still being followed up
                continue
            services.record_findings(
                by=by,
                inspection_id=inspection.pk,
                findings="Cơ bản thực hiện đúng quy định; còn một số hồ sơ trễ hạn chưa xin lỗi.",
                remedies=[
                    services.RequiredRemedy(
                        inspected[0],
                        "Gửi thư xin lỗi đối với hồ sơ trễ hạn; báo cáo kết quả khắc phục.",
                        start + dt.timedelta(days=30),
                    )
                ],
            )
            remedy = inspection.remedies.get()
            services.follow_up_remedy(
                by=by,
                remedy_id=remedy.pk,
                note="Đã khắc phục, có báo cáo kèm theo.",
                status=RemedyStatus.DONE,
                on=start + dt.timedelta(days=20),
            )
            services.close_inspection(
                by=by,
                inspection_id=inspection.pk,
                note="Kết thúc kiểm tra; các tồn tại đã được khắc phục.",
                closed_on=start + dt.timedelta(days=25),
            )
    return count


def load_history(run: DemoRun) -> None:
    by = User.objects.get(username=OFFICER)
    plan = load_plan(by)
    inspections = load_inspections(by)
    made = "mới" if plan else "đã có"
    run.log(f"Cải cách hành chính: kế hoạch {made}, {inspections} đợt kiểm tra mới")
    index_demo.load_history(run)  # the 2020 PAR index of the units, through its workflow


def summary(run: DemoRun) -> None:
    run.log(f"  {OFFICER:<20} — Chuyên viên CCHC, Sở Nội vụ: /desk/reform/")
    index_demo.summary(run)


def load_bulletin_2021(run: DemoRun) -> None:
    """The seed's reform figures come from the history part (Plan 164 with its two cancelled
    propaganda tasks, the inspections, the 2020 index published in 2021): make sure it ran."""
    by = User.objects.get(username=OFFICER)
    plan = load_plan(by)
    inspections = load_inspections(by)
    index_demo.load_history(run)
    cancelled = Task.objects.filter(plan__year=YEAR, status=TaskStatus.CANCELLED).count()
    run.log(
        f"Bản tin 2021 — CCHC: kế hoạch {'mới' if plan else 'đã có'}, {inspections} đợt kiểm "
        f"tra mới, {cancelled} nhiệm vụ tuyên truyền không thực hiện"
    )
