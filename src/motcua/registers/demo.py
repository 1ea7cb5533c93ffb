"""The seed's 2021 registers (bulletin No. 02 of Cần Thơ, January–September 2021), generated
record by record through the services — and the online meetings through the Excel import, as
an office would bring them from its video-conference log — so that the ``registers.*``
figures of 2021-01-01..2021-09-30 are the seed's (docs/registers.md lists them).

Every record is dated inside 2021-01-01..2021-09-15 (the seed counts meetings from
05/12/2020; ours are all in 2021). Idempotent: the whole set is one transaction that ends with
a marker event in the audit trail; a second run finds the marker and adds nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import random

from django.db import transaction

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.core.audit import record_change
from motcua.core.demo import DemoRun
from motcua.core.models import ChangeEvent
from motcua.reform import demo as reform_demo
from motcua.registers import excel, services
from motcua.registers.registry import REGISTERS
from motcua.registers.rules import (
    OUTSIDE_KEYS,
    ApparatusKind,
    AutonomyKind,
    CivilServiceKind,
    LegalKind,
    MeetingLevel,
    Proposal,
    TrainingKind,
)

MARKER = "registers.demo.bulletin_2021"
FIRST, LAST = dt.date(2021, 1, 4), dt.date(2021, 9, 15)

LEGAL = (  # (kind, how many, title stem)
    (LegalKind.APPRAISAL_RESOLUTION_DRAFT, 12, "Dự thảo Nghị quyết HĐND thành phố"),
    (LegalKind.APPRAISAL_RESOLUTION_PROPOSAL, 1, "Đề nghị xây dựng Nghị quyết HĐND thành phố"),
    (LegalKind.APPRAISAL_DECISION_DRAFT, 23, "Dự thảo Quyết định của UBND thành phố"),
    (LegalKind.COMMENT_CENTRAL, 40, "Dự thảo văn bản quy phạm pháp luật của Trung ương"),
    (LegalKind.COMMENT_LOCAL, 38, "Dự thảo văn bản quy phạm pháp luật của địa phương"),
    (LegalKind.OPINION_PROPOSAL, 27, "Đề nghị xây dựng văn bản quy phạm pháp luật"),
    (LegalKind.SELF_CHECK, 13, "Quyết định do UBND thành phố ban hành"),
)
SELF_CHECK_ERRORS = 4
SIMPLIFIED = ((Proposal.SHORTER_TIME, 29), (Proposal.FEWER_DOCUMENTS, 7), (Proposal.OTHER, 2))
NOT_ADOPTED = 3  # proposals the city did not adopt: in the register, not in the figure
SIMPLIFICATION_FIELDS = (
    "Xây dựng",
    "Tư pháp",
    "Khoa học và Công nghệ",
    "Y tế",
    "Lao động - Thương binh và Xã hội",
    "Văn hóa, Thể thao và Du lịch",
    "Công Thương",
    "Giáo dục và Đào tạo",
    "Tài nguyên và Môi trường",
    "Giao thông vận tải",
    "Đầu tư tại Việt Nam",
)
WORKFLOW_DECISIONS, WORKFLOWS = 34, 252
ESTABLISHED = [f"Bệnh viện dã chiến điều trị bệnh nhân COVID-19 số {i}" for i in range(1, 13)] + [
    "Trường Trung học cơ sở và Trung học phổ thông Thới Thạnh"
]
DISSOLVED = (
    "Quỹ bảo trì đường bộ thành phố",
    "Hội đồng quản lý Quỹ bảo trì đường bộ",
    "Văn phòng Quỹ bảo trì đường bộ",
)
REORGANISED = 4  # school councils set up / completed (kiện toàn Hội đồng trường)
INTERAGENCY, INTERAGENCY_COVID = 111, 12
FINANCIAL_UNITS = 52
STREAMLINING = (  # (month, civil servants, public employees, contract workers)
    (3, 1, 25, 2),
    (6, 2, 24, 1),
    (9, 1, 20, 2),
)
CADRE_DECISIONS, MANAGEMENT_DECISIONS = 50, 69
POLICY_CASES, RECRUITMENT_CASES = 1841, 214
TRAINING = (
    (TrainingKind.SPECIALIST, 2),
    (TrainingKind.PRINCIPAL, 2),
    (TrainingKind.DIVISION_LEADER, 3),
)
AUTONOMY = ((AutonomyKind.ADMIN_AGENCY, 284), (AutonomyKind.PUBLIC_UNIT, 539))
MEETINGS = ((MeetingLevel.CITY, 200), (MeetingLevel.DISTRICT, 334))
EDOC = ((dt.date(2021, 6, 30), 452, 180), (dt.date(2021, 9, 15), 479, 222))
OUTSIDE = (
    ("national_portal_users", 650, dt.date(2021, 6, 30)),
    ("national_portal_users", 699, dt.date(2021, 9, 15)),
    ("lgsp_databases", 3, dt.date(2021, 9, 15)),
)


def _days(rng: random.Random, n: int, first: dt.date = FIRST, last: dt.date = LAST):
    span = (last - first).days
    return sorted(first + dt.timedelta(days=rng.randint(0, span)) for _ in range(n))


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``parts`` positive numbers summing to ``total`` (batches of cases)."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


class _Writer:
    def __init__(self, by: User) -> None:
        self.by = by
        self.rng = random.Random(2021)  # noqa: S311 - reproducible demo data
        self.refs = {a.local_ref: a for a in Agency.objects.exclude(local_ref="")}
        self.count = 0
        self.pending: tuple[str, list[dict]] | None = None

    def agency(self, ref: str) -> Agency:
        return self.refs[ref]

    def add(self, register: str, **values) -> None:
        """A record through the services: consecutive records of one register go together
        (``services.create_entries``: the same rows and audit events, in the same order)."""
        if self.pending and self.pending[0] != register:
            self.flush()
        if not self.pending:
            self.pending = (register, [])
        self.pending[1].append(values)
        self.count += 1

    def flush(self) -> None:
        if self.pending:
            register, entries = self.pending
            self.pending = None
            services.create_entries(by=self.by, register=register, entries=entries)


def _legal(w: _Writer) -> None:
    justice = w.agency("92.STP")
    for kind, n, stem in LEGAL:
        for i, day in enumerate(_days(w.rng, n), start=1):
            errors = kind == LegalKind.SELF_CHECK and i <= SELF_CHECK_ERRORS
            w.add(
                "legal",
                date=day,
                agency=justice,
                kind=kind,
                number=f"{100 + i}/BC-STP" if kind != LegalKind.SELF_CHECK else f"{i}/2021/QĐ-UBND",
                title=f"{stem} ({i})",
                errors_found=errors,
                error_notes="Lỗi về trình bày văn bản (thể thức, kỹ thuật trình bày)."
                if errors
                else "",
            )


def _procedures(w: _Writer) -> None:
    city, office = w.agency("92"), w.agency("92.VP")
    for i, day in enumerate(_days(w.rng, 52), start=1):
        w.add(
            "announcements",
            date=day,
            agency=city,
            number=f"{200 + i * 7}/QĐ-UBND",
            title="Công bố danh mục thủ tục hành chính mới ban hành, sửa đổi, bổ sung",
            procedures_count=w.rng.randint(1, 25),
        )
    adopted = [(p, True) for p, n in SIMPLIFIED for _ in range(n)]
    adopted += [(Proposal.OTHER, False)] * NOT_ADOPTED
    for i, ((proposal, ok), day) in enumerate(
        zip(adopted, _days(w.rng, len(adopted)), strict=True)
    ):
        w.add(
            "simplification",
            date=day,
            agency=office,
            procedure_name=f"Thủ tục hành chính được rà soát số {i + 1}",
            field_name=SIMPLIFICATION_FIELDS[i % len(SIMPLIFICATION_FIELDS)],
            proposal=proposal,
            adopted=ok,
            decision="2973/QĐ-UBND" if ok else "",
        )
    sizes = [WORKFLOWS // WORKFLOW_DECISIONS] * WORKFLOW_DECISIONS
    for i in range(WORKFLOWS - sum(sizes)):
        sizes[i] += 1
    for i, (n, day) in enumerate(zip(sizes, _days(w.rng, WORKFLOW_DECISIONS), strict=True), 1):
        w.add(
            "workflows",
            date=day,
            agency=city,
            number=f"{500 + i * 11}/QĐ-UBND",
            title="Phê duyệt quy trình nội bộ giải quyết thủ tục hành chính",
            workflows=n,
        )


def _apparatus(w: _Writer) -> None:
    home, health = w.agency("92.SNV"), w.agency("92.SYT")
    units = [(ApparatusKind.ESTABLISHED, name) for name in ESTABLISHED]
    units += [(ApparatusKind.DISSOLVED, name) for name in DISSOLVED]
    units += [(ApparatusKind.REORGANISED, f"Hội đồng trường số {i}") for i in range(1, 5)]
    units += [
        (
            ApparatusKind.INTERAGENCY_BODY,
            f"Ban Chỉ đạo phòng, chống dịch COVID-19 số {i}"
            if i <= INTERAGENCY_COVID
            else f"Tổ chức phối hợp liên ngành số {i}",
        )
        for i in range(1, INTERAGENCY + 1)
    ]
    units += [
        (ApparatusKind.FINANCIAL_MECHANISM, f"Đơn vị sự nghiệp công lập số {i}")
        for i in range(1, FINANCIAL_UNITS + 1)
    ]
    for (kind, name), day in zip(units, _days(w.rng, len(units)), strict=True):
        w.add(
            "apparatus",
            date=day,
            agency=health if "Bệnh viện" in name else home,
            kind=kind,
            unit_name=name,
            decision=f"{w.rng.randint(100, 2500)}/QĐ-UBND",
        )
    for month, cs, pe, cw in STREAMLINING:
        w.add(
            "streamlining",
            date=dt.date(2021, month, 10),
            agency=home,
            decision=f"{month * 100 + 3}/QĐ-UBND",
            civil_servants=cs,
            public_employees=pe,
            contract_workers=cw,
        )


def _civil_service(w: _Writer) -> None:
    home = w.agency("92.SNV")
    for kind, n in (
        (CivilServiceKind.CADRE_DECISION, CADRE_DECISIONS),
        (CivilServiceKind.MANAGEMENT_DECISION, MANAGEMENT_DECISIONS),
    ):
        for i, day in enumerate(_days(w.rng, n), start=1):
            w.add(
                "civil_service",
                date=day,
                agency=home,
                kind=kind,
                count=1,
                reference=f"{1000 + i}/QĐ-UBND",
            )
    for kind, total in (
        (CivilServiceKind.POLICY_CASE, POLICY_CASES),
        (CivilServiceKind.RECRUITMENT_CASE, RECRUITMENT_CASES),
    ):
        for month, n in enumerate(_split(total, 9, w.rng), start=1):
            w.add(
                "civil_service",
                date=dt.date(2021, month, 15 if month < 9 else 14),
                agency=home,
                kind=kind,
                count=n,
                note=f"Tổng hợp tháng {month}/2021",
            )
    for kind, n in TRAINING:
        for i in range(1, n + 1):
            start = _days(w.rng, 1, last=dt.date(2021, 8, 31))[0]
            w.add(
                "training",
                date=start,
                agency=home,
                kind=kind,
                title=f"{kind.label} — lớp {i}",
                end_date=start + dt.timedelta(days=14),
                participants=w.rng.randint(40, 90),
            )


def _finance(w: _Writer) -> None:
    finance = w.agency("92.STC")
    owners = [a for a in w.refs.values() if a.level in ("department", "district", "commune")]
    owners.sort(key=lambda a: a.local_ref)
    for kind, n in AUTONOMY:
        stem = "Cơ quan hành chính" if kind == AutonomyKind.ADMIN_AGENCY else "Đơn vị sự nghiệp"
        for i in range(1, n + 1):
            owner = owners[i % len(owners)]
            w.add(
                "autonomy",
                date=dt.date(2021, 1, 4) + dt.timedelta(days=i % 20),
                agency=owner if owner.level != "commune" else finance,
                kind=kind,
                unit_name=f"{stem} số {i:03d} ({owner.name_vi})",
                decision=f"{10 + i % 40}/QĐ-UBND",
            )


def meetings_workbook(w: _Writer) -> bytes:
    """The year's meetings as the video-conference log's Excel sheet."""
    from openpyxl import Workbook

    register = REGISTERS["meetings"]
    wb = Workbook()
    ws = wb.active
    ws.append([str(f.label) for f in register.fields])
    chairs = {
        MeetingLevel.CITY: [w.agency("92"), w.agency("92.SNV"), w.agency("92.SYT")],
        MeetingLevel.DISTRICT: sorted(
            (a for a in w.refs.values() if a.level == "district"), key=lambda a: a.local_ref
        ),
    }
    for level, n in MEETINGS:
        for i, day in enumerate(_days(w.rng, n), start=1):
            chair = chairs[level][i % len(chairs[level])]
            ws.append(
                [
                    day.strftime("%d/%m/%Y"),
                    chair.code,
                    str(level.label),
                    f"Họp trực tuyến chỉ đạo công tác phòng, chống dịch COVID-19 ({i})",
                ]
            )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _modernisation(w: _Writer) -> None:
    city, ict = w.agency("92"), w.agency("92.STTTT")
    w.flush()  # the records before, in their order
    w.count += excel.import_file(by=w.by, register=REGISTERS["meetings"], data=meetings_workbook(w))
    for day, connected, exchanging in EDOC:
        w.add(
            "edoc",
            date=day,
            agency=ict,
            agencies_connected=connected,
            agencies_exchanging=exchanging,
            source="Hệ thống quản lý văn bản và điều hành thành phố",
        )
    for key, value, day in OUTSIDE:
        w.add(
            "outside",
            date=day,
            agency=city,
            key=key,
            label=str(OUTSIDE_KEYS[key]),
            value=value,
            source="Cổng Dịch vụ công quốc gia" if key == "national_portal_users" else "LGSP",
        )


def load_bulletin_2021(run: DemoRun) -> None:
    if ChangeEvent.objects.filter(action=MARKER).exists():
        run.log("Sổ theo dõi CCHC 2021: đã có")
        return
    by = User.objects.get(username=reform_demo.OFFICER)
    with transaction.atomic():
        w = _Writer(by)
        for step in (_legal, _procedures, _apparatus, _civil_service, _finance, _modernisation):
            step(w)
        w.flush()
        record_change(
            MARKER,
            None,
            f"Dữ liệu mẫu sổ theo dõi CCHC 2021: {w.count} bản ghi",
            actor=by,
            object_type="registers.demo",
            data={"records": w.count},
        )
    run.log(f"Sổ theo dõi CCHC 2021: {w.count} bản ghi mới")
