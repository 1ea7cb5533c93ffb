"""The bulletin-2021 data set (``motcua demo --bulletin-2021``) reproduces the seed's figures
in the report for 2021-01-01..2021-09-30 (catalogue, 1022 feedback, ratings, reform, the
registers and the certificate register); and one record added through a service moves the
right figure by one.

Loaded once for the module inside a transaction that is rolled back at the end (the data set
is 1,915 procedures, 5,492 feedback items and 38,699 ratings; the demo dossiers are left out:
none of these figures counts them)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from motcua.bulletin import compose
from motcua.core import demo
from motcua.core.figures import FigureQuery
from tests.helpers import vacuum_after_rollback

SEED = {
    "catalog.procedures.total": "1.915",
    "catalog.procedures.central": "1.904",
    "catalog.procedures.local": "5",
    "catalog.procedures.interlinked": "6",
    "catalog.online.total": "1.360",
    "catalog.online.partial": "472",
    "catalog.online.full": "888",
    "catalog.national_portal": "706",
    "feedback.received": "5.492",
    "feedback.handled": "5.286",
    "feedback.in_progress": "206",
    "ratings.total": "38.699",
    "reform.plan.objectives": "12",
    "reform.plan.tasks_total": "66",
    "reform.plan.tasks_started_or_done": "52",
    "reform.plan.progress_pct": "78,8%",
    "reform.plan.tasks_cancelled": "2",
    "reform.targets.par_index": "86%",
    "reform.targets.sipas": "88%",
    "reform.targets.papi": "45 điểm",
    "reform.index.departments.tot": "11",
    "reform.index.departments.kha": "8",
    "reform.index.departments.trung_binh": "0",
    "reform.index.departments.yeu": "1",
    "reform.index.districts.tot": "0",
    "reform.index.districts.kha": "5",
    "reform.index.districts.trung_binh": "4",
    "reform.index.districts.yeu": "0",
    "reform.inspections.periodic": "9",
    "reform.inspections.surprise": "19",
    "reform.inspections.thematic": "31",
    "registers.legal.appraised_resolution_drafts": "12",
    "registers.legal.appraised_resolution_proposals": "1",
    "registers.legal.appraised_decision_drafts": "23",
    "registers.legal.commented_central": "40",
    "registers.legal.commented_local": "38",
    "registers.legal.opinions_on_proposals": "27",
    "registers.legal.self_checked": "13",
    "registers.legal.self_checked_with_errors": "4",
    "registers.procedures.announcement_decisions": "52",
    "registers.procedures.simplified": "38",
    "registers.procedures.simplified_shorter_time": "29",
    "registers.procedures.simplified_fewer_documents": "7",
    "registers.procedures.workflow_decisions": "34",
    "registers.procedures.workflows_approved": "252",
    "registers.apparatus.units_established": "13",
    "registers.apparatus.units_dissolved": "3",
    "registers.apparatus.interagency_bodies": "111",
    "registers.apparatus.financial_mechanism_units": "52",
    "registers.staff.streamlined": "78",
    "registers.staff.streamlined_civil_servants": "4",
    "registers.staff.streamlined_public_employees": "69",
    "registers.staff.streamlined_contract": "5",
    "registers.civil_service.cadre_decisions": "50",
    "registers.civil_service.management_decisions": "69",
    "registers.civil_service.policy_cases": "1.841",
    "registers.civil_service.recruitment_cases": "214",
    "registers.training.classes": "7",
    "registers.training.classes_specialist": "2",
    "registers.training.classes_principal": "2",
    "registers.training.classes_division_leader": "3",
    "registers.finance.autonomous_admin_units": "284",
    "registers.finance.autonomous_public_units": "539",
    "registers.meetings.total": "534",
    "registers.meetings.city": "200",
    "registers.meetings.district": "334",
    "registers.edoc.agencies_connected": "479",
    "registers.edoc.agencies_exchanging": "222",
    "registers.outside.national_portal_users": "699",
    "registers.outside.lgsp_databases": "3",
    "certificates.organisation.issued": "454",
    "certificates.organisation.active": "298",
    "certificates.personal.issued": "2.114",
    "certificates.personal.active": "1.007",
    "certificates.tokens": "272",
}
# the seed's own sentences, as the report prints them
SENTENCES = (
    "Tổng số TTHC thuộc thẩm quyền giải quyết là 1.915; trong đó, số TTHC do Trung ương quy "
    "định: 1.904; số TTHC do địa phương quy định (đặc thù): 5; nhóm TTHC liên thông: 6.",
    "Tổng số TTHC cung cấp trực tuyến mức độ 3, 4 là 1.360 TTHC, trong đó mức độ 3 là 472 TTHC, "
    "mức độ 4 là 888 TTHC; có 706 TTHC được tích hợp trên Cổng Dịch vụ công quốc gia.",
    "Tổng số tiếp nhận, xử lý trên Hệ thống Dịch vụ công 1022 là 5.492. Kết quả: đã xử lý "
    "5.286; đang xử lý: 206.",
    "đã và đang triển khai thực hiện 52/66 nhiệm vụ, đạt tỷ lệ 78,8%",
    "đã tiếp nhận 38.699 lượt đánh giá",
    "cấp sở có 11 đơn vị xếp loại Tốt, 8 đơn vị xếp loại Khá",
    "kiểm tra định kỳ 9 cuộc",
    "Tổ chức tổng cộng 534 cuộc họp trực tuyến, trong đó có 200 cuộc họp cấp thành phố và 334 "
    "cuộc họp do UBND quận, huyện chủ trì.",
    "Số lượng chứng thư số đã cấp của tổ chức là 454 (đang hoạt động 298), cá nhân là 2.114 "
    "(đang hoạt động 1.007), trong đó có 272 cá nhân được cấp chứng thư số USB token.",
    "Có 479 cơ quan, đơn vị đã được triển khai hệ thống quản lý văn bản và điều hành và 222 đơn "
    "vị gửi, nhận văn bản điện tử liên thông",
)
START, END = dt.date(2021, 1, 1), dt.date(2021, 9, 30)


@pytest.fixture(scope="module")
def seed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        demo.load(demo.DemoRun(log=lambda _: None, sizes={"dossiers": 0}), "bulletin-2021")
        yield
        transaction.set_rollback(True)
    vacuum_after_rollback(django_db_blocker)


def _values(start=START, end=END) -> dict[str, compose.Value]:
    return compose.compose(
        FigureQuery(start, end), title="t", period_label="p", scope_name="s"
    ).values


def test_the_report_prints_the_seeds_figures(seed, db, tmp_path):
    out = tmp_path / "b.html"
    call_command(
        "report", "bulletin", "--from", "2021-01-01", "--to", "2021-09-30", "--format", "html",
        "--output", str(out), stdout=io.StringIO(),
    )  # fmt: skip
    text = re.sub(r"<[^>]+>", "", out.read_text())
    for sentence in SENTENCES:
        assert sentence in text
    values = _values()
    assert {k: values[k].shown() for k in SEED} == SEED


def test_the_data_set_loads_once(seed, db):
    from motcua.catalog.models import Procedure
    from motcua.ratings.models import Rating

    before = (Procedure.objects.count(), Rating.objects.count())
    run = demo.DemoRun(log=lambda _: None)
    for module in demo.modules():  # the data set's own hooks, a second time
        if hasattr(module, "load_bulletin_2021"):
            module.load_bulletin_2021(run)
    assert (Procedure.objects.count(), Rating.objects.count()) == before


def test_one_record_through_a_service_moves_its_figure_by_one(seed, db):
    from motcua.accounts.models import User
    from motcua.agencies.models import Agency
    from motcua.catalog.records import ProcedureRecord
    from motcua.catalog.services import apply_catalog
    from motcua.feedback import services as feedback
    from motcua.ratings.services import rate_at_kiosk, register_kiosk
    from motcua.reform import services as reform
    from motcua.reform.demo import OFFICE_REF, OFFICER

    today = timezone.localdate()
    before, before_now = _values(), _values(today - dt.timedelta(days=30), today)
    # a procedure laid down locally, online at level 4, on the national portal
    apply_catalog(
        [
            ProcedureRecord(
                code="CT2021.TEST", name_vi="Thủ tục thử", field_vi="Nội vụ",
                levels=("province",), processing_amount=3, online_mode="full",
                historical_online_level=4, origin="local", on_national_portal=True,
            )
        ]
    )  # fmt: skip
    # a 1022 item received in June 2021, not handled yet
    tz = timezone.get_current_timezone()
    feedback.submit(
        feedback.NewItem(
            channel="portal", category="urban-order", description="Đèn đường hỏng nhiều ngày.",
            reporter_name="Người thử", reporter_phone="0912345678",
        ),
        now=dt.datetime(2021, 6, 1, 9, tzinfo=tz),
    )  # fmt: skip
    # a surprise inspection started in August 2021
    office = User.objects.get(username=OFFICER)
    home = Agency.objects.get(local_ref=OFFICE_REF)
    reform.create_inspection(
        by=office, kind="surprise", topic="Kiểm tra đột xuất", organiser=home,
        start_date=dt.date(2021, 8, 2), end_date=dt.date(2021, 8, 2), targets=[home],
    )  # fmt: skip
    # a rating on a counter tablet, today
    _device, token = register_kiosk(home, "Quầy thử")
    rate_at_kiosk(token, level="satisfied")
    after, after_now = _values(), _values(today - dt.timedelta(days=30), today)

    def moved(key: str, old=before, new=after) -> int:
        return int(new[key].value) - int(old[key].value)

    assert moved("catalog.procedures.total") == moved("catalog.procedures.local") == 1
    assert moved("catalog.online.full") == moved("catalog.national_portal") == 1
    assert moved("catalog.procedures.central") == moved("catalog.online.partial") == 0
    assert moved("feedback.received") == moved("feedback.in_progress") == 1
    assert moved("feedback.handled") == 0
    assert moved("reform.inspections.surprise") == 1
    assert moved("reform.inspections.periodic") == moved("reform.inspections.thematic") == 0
    assert moved("ratings.total") == 0  # rated today, outside 2021
    assert moved("ratings.total", before_now, after_now) == 1
