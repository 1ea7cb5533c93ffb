"""The ``motcua dossier`` command: every write through the services, as a named user."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.core.management import CommandError, call_command

from motcua.dossiers.models import AuditEvent, Dossier, IssuedForm
from motcua.dossiers.rules import State
from tests.migrated import run_motcua

SUBMIT = (
    "submit",
    "--procedure=1.004884",
    "--agency=000.01.21.H13",
    "--name=Nguyễn Thị Hồng Nhung",
    "--id-number=092190001234",
    "--phone=0901234567",
    "--document=Tờ khai đăng ký lại khai sinh",
)


AT_10 = "--at=2025-02-10T10:00"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("dossier", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args: str) -> tuple[CommandError, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("dossier", *args, stdout=io.StringIO(), stderr=err)
    return caught.value, err.getvalue()


def submitted(when: str = "2025-01-24T08:30") -> str:
    out, _ = run(*SUBMIT, "--as=desk_officer_a", f"--at={when}")
    return out.split()[0]


def test_full_flow_prints_code_state_and_due_after_each_action(world):
    out, _ = run(*SUBMIT, "--as=desk_officer_a", "--at=2025-01-24T08:30")
    assert out.strip() == "000.01.21.H13-250124-0001  Mới đăng ký (registered)  hạn xử lý: —"
    code = out.split()[0]
    out, _ = run("receive", code, "--as=desk_officer_a", "--at=2025-01-24T09:00")
    # 5 working days across the Tết 2025 break
    assert out.strip() == f"{code}  Đã tiếp nhận (received)  hạn xử lý: 07/02/2025 09:00"
    run("hand-over", code, "--as=desk_officer_a", "--at=2025-01-24T10:00")
    run(
        "request-supplement",
        code,
        "--missing",
        "Bản sao Giấy khai sinh",
        "Ảnh chân dung",
        "--as=specialist_a",
        "--at=2025-02-03T09:00",
    )
    out, _ = run("supplement", code, "--as=desk_officer_a", "--at=2025-02-05T09:00")
    assert out.strip().endswith("Đang xử lý (in_process)  hạn xử lý: 11/02/2025 09:00")
    run("hand-over", code, "--as=specialist_a", "--at=2025-02-06T09:00")
    run("approve", code, "--result=Trích lục khai sinh", "--as=leader_a", "--at=2025-02-07T08:00")
    run("request-payment", code, "--fee=Phí cấp bản sao=8.000", "--as=desk_officer_a", AT_10)
    run("confirm-payment", code, "--channel=online", "--as=desk_officer_a", "--at=2025-02-10T11:00")
    out, _ = run("return", code, "--delivery=post", "--as=desk_officer_a", "--at=2025-02-10T14:00")
    assert "Đã trả kết quả (returned)" in out

    d = Dossier.objects.get(code=code)
    assert (d.state, d.result_delivery, d.supplement_count) == (State.RETURNED, "post", 1)
    assert [f.amount_vnd for f in d.fees.order_by("pk")] == [8000, 8000]
    actors = list(
        AuditEvent.objects.filter(dossier=d).values_list("action", "actor__username", "actor_role")
    )
    assert actors[0] == ("submit", "desk_officer_a", "desk_officer")
    assert actors[3] == ("request_supplement", "specialist_a", "specialist")
    assert actors[-1] == ("return_result", "desk_officer_a", "desk_officer")

    show, _ = run("show", code)
    assert "Trạng thái:        Đã trả kết quả (returned)" in show
    assert "Hẹn trả (theo luật):  07/02/2025 09:00" in show
    assert "Hạn xử lý hiện tại:   11/02/2025 09:00" in show
    assert "3. Lãnh đạo" in show or "[leader]" in show
    assert "03/02/2025 09:00 → 05/02/2025 09:00" in show  # the pause
    assert "Mẫu 01 số 01/GTN-BPMC, lập 24/01/2025 09:00" in show
    assert "Mẫu 02 số 01/PYCBS-BPMC, lập 03/02/2025 09:00" in show
    assert "Phí cấp bản sao: 8.000 đồng, đã nộp" in show
    assert "return_result" in show and "desk_officer_a (desk_officer)" in show


def test_submit_and_receive_at_once_at_the_counter(world):
    out, _ = run(*SUBMIT, "--receive", "--as=desk_officer_a", "--at=2025-01-24T09:00")
    code = out.split()[0]
    assert out.strip() == f"{code}  Đã tiếp nhận (received)  hạn xử lý: 07/02/2025 09:00"
    d = Dossier.objects.get(code=code)
    assert list(d.events.values_list("action", flat=True)) == ["submit", "receive"]
    assert list(d.forms.values_list("form", flat=True)) == ["01"]
    error, _ = fails(*SUBMIT, "--receive", "--idempotency-key=k1", "--as=desk_officer_a")
    assert "--idempotency-key" in str(error)
    # only the receiving desk: a specialist may not, and nothing is written
    fails(*SUBMIT, "--receive", "--as=specialist_a")
    assert Dossier.objects.count() == 1


def test_service_errors_print_the_vietnamese_message_and_exit_2(world):
    code = submitted()
    error, err = fails("receive", code, "--as=desk_officer_b")  # another commune's desk
    assert error.returncode == 2
    assert err.startswith(f"Bạn không có quyền “Tiếp nhận hồ sơ” đối với hồ sơ {code}.")
    error, err = fails("approve", code, "--result=Trích lục", "--as=leader_a")
    assert error.returncode == 2
    assert "Không thể thực hiện “Phê duyệt kết quả” (approve)" in err
    assert "“Mới đăng ký” (registered)" in err
    assert Dossier.objects.get(code=code).state == State.REGISTERED
    error, err = fails("receive", "000.01.21.H13-250124-9999", "--as=desk_officer_a")
    assert (error.returncode, err.strip()) == (2, "Không tìm thấy hồ sơ 000.01.21.H13-250124-9999.")
    _, err = fails("receive", code, "--as=nobody")
    assert "Không tìm thấy người dùng “nobody”" in err
    _, err = fails("receive", code, "--as=desk_officer_a", "--at=24/01/2025")
    assert "Thời điểm không hợp lệ" in err
    _, err = fails("request-payment", code, "--fee=Lệ phí", "--as=desk_officer_a")
    assert "Khoản phí không hợp lệ" in err


def test_invalid_submission_lists_the_bad_fields(world):
    error, err = fails(
        "submit",
        "--procedure=1.004884",
        "--agency=000.01.21.H13",
        "--name=Trần Văn A",
        "--id-number=123",
        "--as=desk_officer_a",
    )
    assert error.returncode == 2
    assert err.startswith("Hồ sơ chưa hợp lệ.")
    assert "id_number" in err
    assert not Dossier.objects.exists()


def test_writes_require_as(world):
    code = submitted()
    with pytest.raises(CommandError, match="--as"):
        call_command("dossier", "receive", code, stdout=io.StringIO(), stderr=io.StringIO())


def test_stale_version_is_a_conflict(world):
    code = submitted()
    error, err = fails("receive", code, "--expect-version=7", "--as=desk_officer_a")
    assert error.returncode == 2
    assert "đã được thay đổi bởi người khác" in err


def test_reception_branches_and_forms(world, tmp_path):
    first = submitted()
    run("request-completion", first, "--missing", "Tờ khai", "--as=desk_officer_a")
    run("complete", first, "--document=Tờ khai", "--as=desk_officer_a")
    out, _ = run(
        "refuse-reception", first, "--reason", "Không thuộc thẩm quyền", "--as=admin_d", AT_10
    )
    assert "Không được tiếp nhận (not_received)" in out
    second = submitted()
    out, _ = run("withdraw", second, "--reason=Người nộp rút", "--as=desk_officer_a")
    assert "(withdrawn)" in out

    out, _ = run("form", first, "03", f"--html={tmp_path / 'f03.html'}")
    assert out.startswith("Mẫu 03 số 01/PTC-BPMC")
    html = (tmp_path / "f03.html").read_text("utf-8")
    assert "Không thuộc thẩm quyền" in html and "Nguyễn Thị Hồng Nhung" in html
    out, _ = run("form", first, "2")  # no file: the HTML goes to stdout
    assert "Tờ khai" in out and "<html" in out
    _, err = fails("form", second, "01")
    assert "chưa có Mẫu 01" in err


def test_processing_branches(world):
    code = submitted()
    run("receive", code, "--as=desk_officer_a", "--at=2025-01-24T09:00")
    run("hand-over", code, "--as=desk_officer_a", "--at=2025-01-24T10:00")
    out, _ = run("forward", code, "--to=000.02.21.H13", "--note=Xác minh", "--as=specialist_a")
    assert Dossier.objects.get(code=code).current_agency.code == "000.02.21.H13"
    out, _ = run(
        "apologise",
        code,
        "--reason=Cần xác minh thêm",
        "--new-due=2025-02-14T16:00",
        "--as=leader_a",
        "--at=2025-02-05T09:00",
    )
    assert out.strip().endswith("hạn xử lý: 14/02/2025 16:00")
    _, err = fails(
        "apologise", code, "--reason=Lần hai", "--new-due=2025-02-20T16:00", "--as=leader_a"
    )
    assert "chỉ được hẹn lại ngày trả kết quả một lần" in err
    out, _ = run("stop", code, "--reason=Người nộp không bổ sung", "--as=leader_a")
    assert "Dừng xử lý (stopped)" in out
    assert set(IssuedForm.objects.filter(dossier__code=code).values_list("form", flat=True)) == {
        "01",
        "04",
        "05",
    }
    other = submitted()
    run("receive", other, "--as=desk_officer_a", "--at=2025-01-24T09:00")
    run("hand-over", other, "--as=desk_officer_a", "--at=2025-01-24T10:00")
    out, _ = run("refuse", other, "--reason", "Không đủ điều kiện", "--as=leader_a", AT_10)
    assert "Đã xử lý xong (decided)" in out
    out, _ = run("form", other, "06", "--issue", "--as=specialist_a", AT_10)
    assert out.startswith("Mẫu 06 số 01/PKS-BPMC")


def test_list_and_show_respect_the_as_users_scope(world):
    mine = submitted()
    out, _ = run(*SUBMIT[:2], "--agency=000.02.21.H13", *SUBMIT[3:], "--as=desk_officer_b")
    theirs = out.split()[0]
    out, err = run("list", "--as=desk_officer_a")
    assert mine in out and theirs not in out
    assert err.strip() == "1 hồ sơ"
    out, _ = run("list", "--as=admin_d", "--state=registered")
    assert mine in out and theirs in out
    out, _ = run("list", "--agency=000.02.21.H13")
    assert theirs in out and mine not in out
    assert run("list", "--state=received")[0] == ""
    _, err = fails("show", theirs, "--as=desk_officer_a")
    assert "Không tìm thấy hồ sơ" in err
    _, err = fails("list", "--state=done")
    assert "Trạng thái không hợp lệ" in err


def test_dossier_log_form_07(world, tmp_path):
    code = submitted()
    run("receive", code, "--as=desk_officer_a", "--at=2025-01-24T09:00")
    out, _ = run(
        "log",
        "000.01.21.H13",
        "--from=2025-01-01",
        "--to=2025-01-31",
        f"--html={tmp_path / 'log.html'}",
        "--as=desk_officer_a",
        AT_10,
    )
    assert out.strip() == "Mẫu 07 số 01/STD-BPMC: 1 hồ sơ"
    assert code in (tmp_path / "log.html").read_text("utf-8")
    _, err = fails(
        "log", "000.01.21.H13", "--from=2025-01-01", "--to=2025-01-31", "--as=desk_officer_b"
    )
    assert "không có quyền lập sổ" in err


WORLD = "from tests.dossiers.conftest import make_world; make_world()"


def test_real_process_from_submit_to_return(tmp_path, migrated_sqlite):
    """The installed entry point on its own SQLite file (migrated by ``motcua migrate`` once per
    session, tests/migrated.py): a world, then the flow."""

    def motcua(*args: str) -> subprocess.CompletedProcess:
        return run_motcua(migrated_sqlite, *args, cwd=tmp_path)

    def ok(*args: str) -> str:
        done = motcua(*args)
        assert done.returncode == 0, done.stderr
        return done.stdout

    ok("shell", "-c", WORLD)
    code = ok("dossier", *SUBMIT, "--as=desk_officer_a", "--at=2025-01-24T08:30").split()[0]
    assert code == "000.01.21.H13-250124-0001"
    refused = motcua("dossier", "approve", code, "--result=Trích lục", "--as=leader_a")
    assert refused.returncode == 2
    assert refused.stderr.startswith("Không thể thực hiện “Phê duyệt kết quả”")
    assert "Traceback" not in refused.stderr and "CommandError" not in refused.stderr
    out = ok("dossier", "receive", code, "--as=desk_officer_a", "--at=2025-01-24T09:00")
    assert out.strip().endswith("Đã tiếp nhận (received)  hạn xử lý: 07/02/2025 09:00")
    ok("dossier", "hand-over", code, "--as=desk_officer_a", "--at=2025-01-24T10:00")
    ok("dossier", "hand-over", code, "--as=specialist_a", "--at=2025-02-04T09:00")
    approve = ("approve", code, "--result=Trích lục khai sinh", "--as=leader_a")
    ok("dossier", *approve, "--at=2025-02-05T09:00")
    ok(
        "dossier",
        "request-payment",
        code,
        "--fee=Phí=5000",
        "--as=desk_officer_a",
        "--at=2025-02-05T10:00",
    )
    ok("dossier", "confirm-payment", code, "--as=desk_officer_a", "--at=2025-02-06T09:00")
    out = ok("dossier", "return", code, "--as=desk_officer_a", "--at=2025-02-06T10:00")
    assert "Đã trả kết quả (returned)" in out

    show = ok("dossier", "show", code)
    assert "Trạng thái:        Đã trả kết quả (returned)" in show
    assert "Trả kết quả:          06/02/2025 10:00" in show
    assert "Lệ phí: 8.000 đồng, đã nộp 06/02/2025 09:00 (cash)" in show
    for action in ("submit", "receive", "hand_over", "approve", "confirm_payment"):
        assert f"  {action} " in show
    pdf = tmp_path / "mau01.pdf"
    out = ok("dossier", "form", code, "01", f"--pdf={pdf}")
    assert out.startswith("Mẫu 01 số 01/GTN-BPMC")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 5_000
