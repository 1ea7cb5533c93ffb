"""The desk pages of the bulletin: draft, narrative per section, preview with drill-down
links and the sources table, publish, download; scoped (another agency's issue is a 403)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from motcua.accounts.models import Membership, Role, User
from motcua.bulletin import services
from motcua.bulletin.models import Issue

from .conftest import END, START


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _leader(world) -> User:
    user = User.objects.create_user(username="lanhdao.tp", password="x-Secret-123")
    Membership.objects.create(user=user, role=Role.LEADER, agency=world.justice)
    return user


def test_the_reform_office_drafts_writes_previews_publishes_and_downloads(
    client, world, fake_registers
):
    client.force_login(world.office)
    page = client.post(
        reverse("bulletin:new"),
        {"agency": world.city.pk, "start": "2021-01-01", "end": "2021-09-30", "title": ""},
    )
    issue = Issue.objects.get()
    assert page.status_code == 302 and page.url == reverse("bulletin:issue", args=[issue.pk])
    edit = reverse("bulletin:section", args=[issue.pk, "institutions"])
    assert client.get(edit).status_code == 200
    saved = client.post(edit, {"text": "Công tác xây dựng văn bản được chú trọng.", "version": 1})
    assert saved.status_code == 302
    html = client.get(reverse("bulletin:issue", args=[issue.pk])).content.decode()
    assert "Công tác xây dựng văn bản được chú trọng." in html
    # every figure links to its records; the sources table names where each comes from
    assert 'data-key="registers.legal.appraised_resolution_drafts" href="/desk/registers/' in html
    assert 'data-key="reform.plan.tasks_total" href="' not in html  # no plan: no link
    assert "Nguồn của từng số liệu" in html and "sổ đăng ký thử" in html
    assert "stats.petitions.feedback_figures" in html
    assert client.get(reverse("bulletin:publish", args=[issue.pk])).status_code == 200
    published = client.post(reverse("bulletin:publish", args=[issue.pk]))
    assert published.status_code == 302
    issue.refresh_from_db()
    assert issue.number_display == "01"
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK"), ("html", b"<!doctype")):
        response = client.get(reverse("bulletin:download", args=[issue.pk, fmt]))
        assert response.status_code == 200
        assert response.content.startswith(magic)
    from docx import Document

    docx = client.get(reverse("bulletin:download", args=[issue.pk, "docx"])).content
    text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert "Công tác xây dựng văn bản được chú trọng." in text and "Bản tin số 01" in text
    # published: the narrative can no longer be edited
    again = client.post(edit, {"text": "Sửa sau khi phát hành", "version": 2})
    assert again.status_code == 302
    issue.refresh_from_db()
    assert issue.narrative["institutions"] == "Công tác xây dựng văn bản được chú trọng."


def test_another_agencys_officer_gets_403_and_sees_only_their_scope(client, world):
    city_issue = services.create_draft(by=world.office, agency=world.city, start=START, end=END)
    leader = _leader(world)
    client.force_login(leader)
    for name, args in (
        ("bulletin:issue", [city_issue.pk]),
        ("bulletin:publish", [city_issue.pk]),
        ("bulletin:section", [city_issue.pk, "direction"]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403
    # the leader's own agency is in scope; the city is not offered
    page = client.get(reverse("bulletin:new")).content.decode()
    assert world.justice.code in page and world.city.code not in page
    refused = client.post(
        reverse("bulletin:new"),
        {"agency": world.city.pk, "start": "2021-01-01", "end": "2021-09-30"},
    )
    assert refused.status_code == 200 and Issue.objects.count() == 1
    own = client.post(
        reverse("bulletin:new"),
        {"agency": world.justice.pk, "start": "2021-01-01", "end": "2021-09-30"},
    )
    assert own.status_code == 302
    listing = client.get(reverse("bulletin:issues")).content.decode()
    mine = Issue.objects.get(agency=world.justice)
    assert reverse("bulletin:issue", args=[mine.pk]) in listing
    assert reverse("bulletin:issue", args=[city_issue.pk]) not in listing


def test_bad_dates_get_a_vietnamese_error_not_a_500(client, world):
    client.force_login(world.office)
    page = client.post(
        reverse("bulletin:new"),
        {"agency": world.city.pk, "start": "2021-09-30", "end": "2021-01-01"},
    )
    assert page.status_code == 200
    assert "ngày" in page.content.decode().lower()
    assert not Issue.objects.exists()
    assert client.get(reverse("bulletin:download", args=[999, "pdf"])).status_code == 404


def test_a_citizen_is_not_let_in(client, world):
    client.force_login(world.citizen)
    assert client.get(reverse("bulletin:issues")).status_code == 403


def test_the_preview_reads_in_english(client, world, fake_registers, settings):
    issue = services.create_draft(by=world.office, agency=world.city, start=START, end=END)
    client.force_login(world.office)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("bulletin:issue", args=[issue.pk])).content.decode()
    assert "Where each figure comes from" in html and "Institutional reform" in html
    assert "Feedback items received" in html  # a provider's label, translated
    assert "2,114" in html and "Publish" in html
