"""`motcua history import dossiers`: the rows land in the engine's own tables, exactly as a
live dossier would read; bad files are refused whole, with every problem by line and column."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from motcua.core.models import ChangeEvent
from motcua.dossiers import services as S
from motcua.dossiers.models import Dossier, DossierDocument, FeeCharge, Pause
from motcua.history.models import HistoryImport
from motcua.history.services import HistoryImportError, import_file
from tests.helpers import at
from tests.history.conftest import HEADER, dossier_row, write_csv, write_xlsx

VI_HEADER = [
    "Mã hồ sơ", "Mã TTHC", "Nơi tiếp nhận", "Kênh thực hiện", "Tình trạng", "NGÀY NỘP",
    "ngay tiep nhan", "Ngày hẹn trả", "Các lần bổ sung", "Ngày có kết quả", "Ngày trả kết quả",
    "Kết quả giải quyết", "Họ tên", "Số CCCD",
]  # fmt: skip


def run(path, *args):
    call_command("history", "import", "dossiers", str(path), *args)


def test_csv_with_vietnamese_headers_and_a_bom_imports_every_field(world, tmp_path, capsys):
    header = [*VI_HEADER, "Xác thực VNeID", "DuocThanhToanTrucTuyen", "Ngày thanh toán",
              "Phí, lệ phí", "Đã số hóa", "Tái sử dụng dữ liệu", "Kết quả điện tử",
              "Đồng bộ Cổng DVCQG", "Ngày hẹn trả lại"]  # fmt: skip
    row = dossier_row("CU-0001", channel="2")
    row[3] = "2"  # KenhThucHien 2: online
    extra = ["có", "1", "2021-03-01 08:10", "8.000", "1", "0", "x", "2021-03-01 09:00",
             "2021-03-12 17:00"]  # fmt: skip
    path = write_csv(tmp_path / "ho-so.csv", header, [row + extra], bom=True)
    run(path)
    assert "1 hồ sơ thêm mới" in capsys.readouterr().out
    d = Dossier.objects.get()
    assert (d.imported, d.legacy_code, d.state, d.outcome) == (
        True,
        "CU-0001",
        "returned",
        "approved",
    )
    assert d.code.startswith("000.01.21.H13-210301-")
    assert (d.channel, d.applicant_vneid, d.result_electronic) == ("city_portal", True, True)
    assert d.submitted_at == at(2021, 3, 1, 8, 0) and d.received_at == at(2021, 3, 1, 8, 30)
    assert d.due_at == at(2021, 3, 8, 8, 30) and d.extended_due_at == at(2021, 3, 12, 17, 0)
    assert d.ended_at == at(2021, 3, 9, 10, 0) and d.returned_at == at(2021, 3, 9, 14, 0)
    assert d.national_synced_at == at(2021, 3, 1, 9, 0)
    assert d.workflow.status == "active" and d.workflow.procedure_id == world.procedure.pk
    # re-dated due moved by the paused working time (2 working days = 16 h of office hours)
    assert d.paused_working_seconds == 16 * 3600 and d.supplement_count == 1
    assert d.effective_due_at == at(2021, 3, 16, 17, 0)
    fee = FeeCharge.objects.get(dossier=d)
    assert (fee.amount_vnd, fee.paid_vnd, fee.payment_channel, fee.gateway) == (
        8000, 8000, "online", "history"
    )  # fmt: skip
    assert fee.paid_at == at(2021, 3, 1, 8, 10)
    doc = DossierDocument.objects.get(dossier=d)
    assert (doc.digitised, doc.from_national_db) == (True, False)


def test_an_imported_dossier_reads_back_like_the_same_dossier_processed_live(world):
    """The same history, once through the services and once imported: the fields the
    statistics read are equal (state, dates, due, pauses)."""
    u = world
    d = S.submit(
        by=u.desk_officer_a, procedure=u.procedure, receiving_agency=u.a,
        applicant=S.ApplicantData(name="Nguyễn Văn An", id_number="092090001234"),
        channel="desk", now=at(2021, 3, 1, 8, 0),
    )  # fmt: skip
    S.receive(d.pk, by=u.desk_officer_a, now=at(2021, 3, 1, 8, 30))
    S.hand_over(d.pk, by=u.desk_officer_a, now=at(2021, 3, 1, 9, 0))
    S.request_supplement(
        d.pk, by=u.specialist_a, now=at(2021, 3, 2, 9, 0),
        missing=[S.MissingItem("Bản sao giấy khai sinh")],
    )  # fmt: skip
    S.supplement(d.pk, by=u.desk_officer_a, now=at(2021, 3, 4, 9, 0))
    t = at(2021, 3, 8, 9, 0)
    for _ in range(d.steps.filter(role="specialist").count()):  # as the demo drives it
        S.hand_over(d.pk, by=u.specialist_a, now=t)
    S.approve(d.pk, by=u.leader_a, result_documents=["Giấy khai sinh"], now=at(2021, 3, 9, 10))
    S.pay_fees(d.pk, by=u.desk_officer_a, now=at(2021, 3, 9, 13, 0))
    S.return_result(d.pk, by=u.desk_officer_a, now=at(2021, 3, 9, 14, 0))
    live = Dossier.objects.get(pk=d.pk)

    from django.utils import timezone

    fmt = lambda m: timezone.localtime(m).strftime("%Y-%m-%d %H:%M")  # noqa: E731
    path = write_csv(
        __import__("pathlib").Path(__import__("tempfile").mkdtemp()) / "one.csv",
        HEADER,
        [dossier_row("CU-LIVE", due_at=fmt(live.due_at))],
    )
    ids = import_file("dossiers", path).ids
    imported = Dossier.objects.get(pk=ids[0])
    fields = (
        "state", "outcome", "channel", "submitted_at", "received_at", "due_at",
        "extended_due_at", "effective_due_at", "paused_total", "paused_working_seconds",
        "supplement_count", "ended_at", "returned_at", "receiving_agency_id",
        "deciding_agency_id", "procedure_id", "workflow_id",
    )  # fmt: skip
    assert {f: getattr(imported, f) for f in fields} == {f: getattr(live, f) for f in fields}
    pauses = lambda x: list(Pause.objects.filter(dossier=x).values_list("started_at", "ended_at"))  # noqa: E731
    assert pauses(imported) == pauses(live)


def test_xlsx_through_the_cli(world, tmp_path, capsys):
    rows = [dossier_row("X-1"), dossier_row("X-2", state="in_process", ended_at="",
                                            returned_at="", outcome="")]  # fmt: skip
    path = write_xlsx(tmp_path / "ho-so.xlsx", VI_HEADER, rows)
    run(path)
    assert "2 hồ sơ thêm mới" in capsys.readouterr().out
    assert sorted(Dossier.objects.values_list("legacy_code", "state")) == [
        ("X-1", "returned"), ("X-2", "in_process")
    ]  # fmt: skip


def test_every_bad_row_is_reported_by_line_and_column_and_nothing_is_written(world, tmp_path):
    from motcua.catalog.models import Procedure

    no_workflow = Procedure.objects.create(
        code="1.000001",
        name_vi="Thủ tục chưa có quy trình",
        field=world.procedure.field,
        at_commune=True,
        processing_amount=5,
        processing_unit="d",
    )
    rows = [
        dossier_row("OK-1"),  # line 2: fine
        dossier_row("B-3", agency="000.99.99.H13"),  # 3: unknown agency
        dossier_row("B-4", procedure="9.999999"),  # 4: unknown procedure
        dossier_row("B-5", received_at="31/02/2021 08:00"),  # 5: no such date
        dossier_row("B-6", ended_at="2021-02-28 10:00", pauses=""),  # 6: ends before reception
        dossier_row("B-7", channel="fax"),  # 7: unknown channel
        dossier_row("B-8", state="lost"),  # 8: unknown state
        dossier_row("OK-1"),  # 9: duplicate code in the file
        dossier_row("B-10", applicant_name="x" * 300),  # 10: too long
        dossier_row("B-11", procedure=no_workflow.code),  # 11: no active workflow
        dossier_row("B-12", returned_at=""),  # 12: returned without its date
    ]
    header = [*HEADER, "Phí, lệ phí"]
    rows = [[*r, "8000"] for r in rows] + [[*dossier_row("B-13"), "9" * 25]]  # 13: huge fee
    path = write_csv(tmp_path / "bad.csv", header, rows)
    with pytest.raises(CommandError) as caught:
        run(path)
    report = str(caught.value)
    for expected in (
        "Dòng 3, cột “Mã cơ quan tiếp nhận”: không có cơ quan mã “000.99.99.H13”",
        "Dòng 4, cột “Mã thủ tục”: không có thủ tục mã “9.999999”",
        "Dòng 5, cột “Ngày tiếp nhận”",
        "Dòng 6, cột “Ngày kết thúc”: trước ngày tiếp nhận",
        "Dòng 7, cột “Kênh nộp”: kênh nộp “fax” không hợp lệ",
        "Dòng 8, cột “Trạng thái”: trạng thái “lost” không hợp lệ",
        "Dòng 9, cột “Mã hồ sơ”: trùng mã “OK-1” ở dòng 2",
        "Dòng 10, cột “Người nộp”: dài 300 ký tự, tối đa 255",
        "Dòng 11, cột “Mã thủ tục”: thủ tục “1.000001” chưa có quy trình nội bộ đang áp dụng",
        "Dòng 12, cột “Ngày trả kết quả”: bắt buộc",
        "Dòng 13, cột “Phí, lệ phí”",
    ):
        assert expected in report, expected
    assert "Dòng 2" not in report
    assert "12 lỗi" in report or "11 lỗi" in report
    assert not Dossier.objects.exists() and not HistoryImport.objects.exists()


def test_one_bad_row_among_good_ones_writes_nothing(world, tmp_path):
    good = [dossier_row(f"G-{i}") for i in range(5)]
    path = write_csv(tmp_path / "x.csv", HEADER, [*good, dossier_row("B", due_at="2021-02-01")])
    with pytest.raises(HistoryImportError) as caught:
        import_file("dossiers", path)
    assert [(p.line, p.column) for p in caught.value.problems] == [(7, "Ngày hẹn trả")]
    assert not Dossier.objects.exists() and not Pause.objects.exists()


def test_a_write_failing_midway_rolls_everything_back(world, tmp_path, monkeypatch):
    from motcua.history import dossiers as importer

    # the last table written (after dossiers, pauses, fees) fails
    monkeypatch.setattr(importer.bulk, "write", _fail_on(importer.bulk.write, "dossierdocument"))
    path = write_csv(tmp_path / "x.csv", [*HEADER, "Đã số hóa"], [[*dossier_row("A"), "1"]])
    with pytest.raises(RuntimeError):
        import_file("dossiers", path)
    assert not Dossier.objects.exists() and not Pause.objects.exists()
    assert not HistoryImport.objects.exists()


def _fail_on(write, table):
    def wrapped(model, fields, rows):
        if model._meta.db_table.endswith(table):
            raise RuntimeError("disk full")
        return write(model, fields, rows)

    return wrapped


def test_importing_the_same_file_again_adds_nothing_and_says_so(world, tmp_path, capsys):
    path = write_csv(tmp_path / "a.csv", HEADER, [dossier_row("A-1"), dossier_row("A-2")])
    run(path)
    first = list(Dossier.objects.values_list("pk", "code", "legacy_code"))
    capsys.readouterr()
    run(path)
    out = capsys.readouterr().out
    assert "0 hồ sơ thêm mới, 2 đã có" in out and "đã được nhập lúc" in out
    assert list(Dossier.objects.values_list("pk", "code", "legacy_code")) == first
    # a file with one known and one new row: the new one only
    path2 = write_csv(tmp_path / "b.csv", HEADER, [dossier_row("A-2"), dossier_row("A-3")])
    result = import_file("dossiers", path2)
    assert (result.created, result.skipped, len(result.ids)) == (1, 1, 1)
    assert Dossier.objects.get(pk=result.ids[0]).legacy_code == "A-3"


def test_the_import_is_audited_as_one_event(world, tmp_path):
    rows = [dossier_row(f"E-{i}") for i in range(3)]
    path = write_csv(tmp_path / "audit.csv", HEADER, rows)
    call_command("history", "import", "dossiers", str(path), "--by", "admin_p")
    event = HistoryImport.objects.get()
    assert (event.kind, event.file_name, event.rows, event.created, event.skipped) == (
        "dossiers", "audit.csv", 3, 3, 0
    )  # fmt: skip
    import hashlib

    assert event.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert event.by == world.admin_p
    change = ChangeEvent.objects.get(action="history_import")
    assert change.actor == world.admin_p and change.data["sha256"] == event.sha256


def test_dry_run_checks_and_writes_nothing(world, tmp_path, capsys):
    path = write_csv(tmp_path / "a.csv", HEADER, [dossier_row("D-1")])
    run(path, "--dry-run")
    assert "1 hồ sơ sẽ được thêm" in capsys.readouterr().out
    assert not Dossier.objects.exists() and not HistoryImport.objects.exists()


def test_motcua_codes_come_from_the_live_counters_so_live_intake_never_collides(world, tmp_path):
    path = write_csv(tmp_path / "a.csv", HEADER, [dossier_row("C-1"), dossier_row("C-2")])
    import_file("dossiers", path)
    live = S.submit(
        by=world.desk_officer_a, procedure=world.procedure, receiving_agency=world.a,
        applicant=S.ApplicantData(name="Lê Thị Lan", id_number="092090001235"),
        channel="desk", now=at(2021, 3, 1, 15, 0),
    )  # fmt: skip
    assert sorted(Dossier.objects.values_list("code", flat=True)) == [
        "000.01.21.H13-210301-0001", "000.01.21.H13-210301-0002", live.code
    ]  # fmt: skip
    assert live.code == "000.01.21.H13-210301-0003"


def test_open_states_and_withdrawals(world, tmp_path):
    rows = [
        dossier_row("S-1", state="supplement_requested", pauses="2021-03-02 09:00/",
                    ended_at="", returned_at="", outcome=""),
        dossier_row("S-2", state="Công dân yêu cầu rút hồ sơ", returned_at="", outcome="",
                    pauses=""),
        dossier_row("S-3", state="registered", received_at="", due_at="", pauses="",
                    ended_at="", returned_at="", outcome=""),
    ]  # fmt: skip
    import_file("dossiers", write_csv(tmp_path / "s.csv", HEADER, rows))
    by_code = {d.legacy_code: d for d in Dossier.objects.all()}
    s1 = by_code["S-1"]
    assert s1.state == "supplement_requested" and s1.effective_due_at == s1.due_at
    assert list(s1.pauses.values_list("ended_at", flat=True)) == [None]
    assert by_code["S-2"].state == "withdrawn" and by_code["S-2"].ended_at is not None
    assert by_code["S-3"].received_at is None and by_code["S-3"].due_at is None


def test_imports_are_listed_read_only_in_the_admin(world, tmp_path, client):
    import_file("dossiers", write_csv(tmp_path / "a.csv", HEADER, [dossier_row("AD-1")]))
    client.force_login(world.root)
    page = client.get("/admin/history/historyimport/")
    assert page.status_code == 200 and "a.csv" in page.content.decode()
    assert client.get("/admin/history/historyimport/add/").status_code == 403
