"""The PAR index pages (Django's test client): results with their chart and table, scope of
the assessment sheet, forms driving the services with clear errors."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.reform import index_services
from motcua.reform.index_rules import Status
from motcua.reform.models import Assessment, Score
from tests.reform.test_parindex_services import PDF, _to_final, setup  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_world(setup):  # noqa: F811
    setup.scheme.self_deadline = None  # today's date must not matter
    setup.scheme.save()
    return setup


def test_results_page_has_an_svg_chart_and_its_data_table(open_world, client):
    w = open_world
    from motcua.accounts.models import Membership, Role, User

    ict_leader = User.objects.create_user(username="lanhdao.tttt", password="x-Secret-123")
    Membership.objects.create(user=ict_leader, role=Role.LEADER, agency=w.ict)
    _to_final(w, w.justice, w.leader, ("2", "4", "0"), "0.8")
    _to_final(w, w.ict, ict_leader, ("1", "3", "0"), "0.6")
    client.force_login(w.leader)
    url = f"/desk/reform/index/{w.scheme.pk}/"
    assert "Sở Tư pháp" not in client.get(url).content.decode()  # not published yet
    index_services.publish(by=w.office, scheme_id=w.scheme.pk)
    html = client.get(url).content.decode()
    assert '<svg class="pi-chart" role="img"' in html and '<table id="results">' in html
    assert (
        html.count("<rect ") == 2 and "Sở Tư pháp" in html and "100,00" in html
    )  # Vietnamese decimal comma
    assert 'data-band="Khá">1<' in html and 'data-band="Tốt">1<' in html
    assert 'y="15.4"' in html  # SVG numbers are never localised ("15,4" breaks the chart)
    assert "http://" not in html.split("<body", 1)[1].replace("http://testserver", "")


def test_a_unit_does_not_see_another_units_assessment_in_progress(open_world, client):
    w = open_world
    other = Assessment.objects.get(scheme=w.scheme, agency=w.ict)
    client.force_login(w.leader)
    assert client.get(f"/desk/reform/index/assessments/{other.pk}/").status_code == 404
    assert (
        client.post(
            f"/desk/reform/index/assessments/{other.pk}/score/", {"code": "1.1.2", "points": "1"}
        ).status_code
        == 404
    )
    client.logout()
    assert client.get(f"/desk/reform/index/assessments/{other.pk}/").status_code == 302  # to login


def test_self_assessment_form_with_evidence_and_clear_errors(open_world, client):
    w = open_world
    a = Assessment.objects.get(scheme=w.scheme, agency=w.justice)
    client.force_login(w.justice_officer)
    url = f"/desk/reform/index/assessments/{a.pk}/score/"
    r = client.post(url, {"code": "1.1.2", "points": "nhiều"}, follow=True)
    assert r.status_code == 200 and "Giá trị phải là một số." in r.content.decode()
    r = client.post(url, {"code": "1.1.2", "points": "9"}, follow=True)
    assert "phải từ 0 đến 4" in r.content.decode()
    r = client.post(
        url,
        {
            "code": "1.1.2",
            "points": "3,5",
            "page": "7",
            "note": "Báo cáo năm",
            "evidence": SimpleUploadedFile("bao-cao.pdf", PDF),
        },
        follow=True,
    )
    assert r.status_code == 200
    s = Score.objects.get(assessment=a, sub__code="1.1.2")
    assert (s.self_points, s.evidence_page, s.evidence_name) == (D("3.5"), 7, "bao-cao.pdf")
    assert "bao-cao.pdf</a>, tr. 7" in r.content.decode()
    # the specialist sees no "send" button; the unit's leader does
    assert "Gửi bản tự đánh giá" not in r.content.decode()
    r = client.post(f"/desk/reform/index/assessments/{a.pk}/submit/", follow=True)
    assert "Chỉ lãnh đạo đơn vị" in r.content.decode()
    a.refresh_from_db()
    assert a.status == Status.SELF_ASSESSING


def test_evidence_is_served_only_to_those_who_see_the_assessment(open_world, client):
    w = open_world
    a = Assessment.objects.get(scheme=w.scheme, agency=w.justice)
    from motcua.reform.index_services import Upload

    index_services.self_assess(
        by=w.leader,
        assessment_id=a.pk,
        code="1.1.2",
        points=D(3),
        evidence=Upload("bao-cao.pdf", PDF),
        page=2,
    )
    url = f"/desk/reform/index/assessments/{a.pk}/evidence/1.1.2/"
    client.force_login(w.ict_officer)
    assert client.get(url).status_code == 404
    client.force_login(w.council)
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert r["Content-Type"] == "application/pdf" and r["X-Content-Type-Options"] == "nosniff"
    assert client.get(url.replace("1.1.2", "1.1.1")).status_code == 404  # no file there


def test_the_office_imports_a_scheme_and_runs_the_tier_from_the_pages(
    world, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from motcua.reform import index_demo, index_excel
    from motcua.reform.index_rules import Tier
    from motcua.reform.models import Scheme

    data = index_excel.scheme_workbook(index_demo.spec(Tier.DEPARTMENT))
    client.force_login(world.justice_officer)
    r = client.post("/desk/reform/index/", {"file": SimpleUploadedFile("s.xlsx", data)})
    assert r.status_code == 403 and not Scheme.objects.exists()
    client.force_login(world.office)
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    wb["Bộ chỉ số"]["C4"] = "hai"
    bad = io.BytesIO()
    wb.save(bad)
    r = client.post("/desk/reform/index/", {"file": SimpleUploadedFile("s.xlsx", bad.getvalue())})
    assert r.status_code == 400 and not Scheme.objects.exists()
    assert "Trang “Bộ chỉ số”, dòng 4, cột C" in r.content.decode()
    r = client.post(
        "/desk/reform/index/", {"file": SimpleUploadedFile("s.xlsx", data)}, follow=True
    )
    scheme = Scheme.objects.get()
    assert r.redirect_chain[-1][0] == f"/desk/reform/index/{scheme.pk}/"
    url = f"/desk/reform/index/{scheme.pk}/office/"
    client.post(url + "open/")
    assert set(Assessment.objects.values_list("agency__local_ref", flat=True)) == {
        "92.SNV",
        "92.STP",
        "92.STTTT",
    }
    r = client.post(url + "auto/", {"start": "2020-12-31", "end": "2020-01-01"}, follow=True)
    assert r.status_code == 200 and "Đã tính điểm" not in r.content.decode()
    survey = index_excel.survey_workbook(
        [("Sở Tư pháp", "8.1.1", D(90), 300), ("Sở Ngoại vụ", "8.1.1", D(90), 300)]
    )
    r = client.post(url + "survey/", {"file": SimpleUploadedFile("k.xlsx", survey)}, follow=True)
    assert "dòng 3, cột A" in r.content.decode()
    r = client.post(url + "publish/", follow=True)
    assert "Chưa thể công bố" in r.content.decode()
