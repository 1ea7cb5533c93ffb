"""Issues: numbered per year and scope when published, an immutable snapshot afterwards (the
service refuses, and so does the database), files stored with their SHA-256, audited."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import DatabaseError, transaction

from motcua.bulletin import services
from motcua.bulletin.models import Issue, Publication
from motcua.core.models import ChangeEvent
from motcua.reform.rules import Conflict, InvalidInput, NotAllowed

from .conftest import END, START


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _draft(world, agency=None, start=START, end=END):
    return services.create_draft(by=world.office, agency=agency or world.city, start=start, end=end)


def _text_of_pdf(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _text_of_docx(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_issues_are_numbered_per_year_and_scope_on_publishing(world, fake_registers):
    first, second = _draft(world), _draft(world)
    other_scope = _draft(world, world.justice)
    next_year = _draft(world, start=dt.date(2022, 1, 1), end=dt.date(2022, 3, 31))
    assert first.number is None  # a draft has no number yet
    services.publish(by=world.office, issue_id=second.pk)
    services.publish(by=world.office, issue_id=first.pk)
    services.publish(by=world.office, issue_id=other_scope.pk)
    services.publish(by=world.office, issue_id=next_year.pk)
    numbers = {i.pk: (i.year, i.number_display) for i in Issue.objects.all()}
    assert numbers[second.pk] == (2021, "01")
    assert numbers[first.pk] == (2021, "02")
    assert numbers[other_scope.pk] == (2021, "01")
    assert numbers[next_year.pk] == (2022, "01")


def test_publishing_stores_html_pdf_docx_with_their_figures_and_hashes(world, fake_registers):
    issue = _draft(world)
    services.save_narrative(
        by=world.office, issue_id=issue.pk, section="direction", text="Lời tòa soạn.", version=1
    )
    pub = services.publish(by=world.office, issue_id=issue.pk)
    html = services.published_file(pub, "html").decode()
    pdf = _text_of_pdf(services.published_file(pub, "pdf"))
    docx = _text_of_docx(services.published_file(pub, "docx"))
    for text in (html, pdf, docx):
        assert "Lời tòa soạn." in text
        assert "Bản tin số 01" in text
        assert "2.114" in text  # a register figure
        assert "534" in text
    assert "Đã thẩm định 12 dự thảo nghị quyết" in docx
    assert "registers.training.classes" in pub.content["missing"]
    assert pub.content["values"]["registers.meetings.total"]["value"] == "534"
    assert len(pub.pdf_sha256) == len(pub.docx_sha256) == len(pub.html_sha256) == 64
    event = ChangeEvent.objects.get(action="bulletin.issue.publish")
    assert event.data["pdf_sha256"] == pub.pdf_sha256
    assert ChangeEvent.objects.filter(action="bulletin.issue.narrative").count() == 1


def test_a_published_issue_cannot_change_through_the_services(world, fake_registers):
    issue = _draft(world)
    services.publish(by=world.office, issue_id=issue.pk)
    with pytest.raises(Conflict, match="đã phát hành"):
        services.save_narrative(
            by=world.office, issue_id=issue.pk, section="direction", text="x", version=1
        )
    with pytest.raises(Conflict):
        services.publish(by=world.office, issue_id=issue.pk)


def test_a_published_issue_cannot_change_in_the_database(world, fake_registers):
    issue = _draft(world)
    pub = services.publish(by=world.office, issue_id=issue.pk)
    draft = _draft(world)
    Issue.objects.filter(pk=draft.pk).update(title="Sửa dự thảo")  # a draft may change
    for change in (
        lambda: Issue.objects.filter(pk=issue.pk).update(title="Đính chính"),
        lambda: Issue.objects.filter(pk=issue.pk).delete(),
        lambda: Publication.objects.filter(pk=pub.pk).update(html="<p>khác</p>"),
        lambda: Publication.objects.filter(pk=pub.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert Issue.objects.get(pk=issue.pk).title == issue.title


def test_a_tampered_file_is_refused_on_download(world, fake_registers):
    pub = services.publish(by=world.office, issue_id=_draft(world).pk)
    with open(pub.pdf.path, "ab") as f:
        f.write(b"tampered")
    with pytest.raises(Conflict, match="thay đổi"):
        services.published_file(pub, "pdf")


def test_bad_input_and_other_scopes_are_refused(world):
    with pytest.raises(InvalidInput):
        _draft(world, start=END, end=START)
    with pytest.raises(NotAllowed):
        services.create_draft(by=world.justice_officer, agency=world.city, start=START, end=END)
    issue = _draft(world)
    with pytest.raises(InvalidInput):
        services.save_narrative(by=world.office, issue_id=issue.pk, section="x", text="", version=1)
    with pytest.raises(NotAllowed):
        services.save_narrative(
            by=world.justice_officer, issue_id=issue.pk, section="direction", text="", version=1
        )
    with pytest.raises(Conflict, match="người khác"):
        services.save_narrative(
            by=world.office, issue_id=issue.pk, section="direction", text="a", version=7
        )


def test_a_published_issue_shows_its_snapshot_not_todays_figures(
    world, fake_registers, monkeypatch
):
    issue = _draft(world)
    services.publish(by=world.office, issue_id=issue.pk)
    monkeypatch.setitem(fake_registers, "registers.meetings.total", 999)  # records changed since
    published = services.bulletin_of(Issue.objects.get(pk=issue.pk), language="en")
    assert published.values["registers.meetings.total"].value == "534"
    assert published.number == "01"
    draft = services.bulletin_of(_draft(world))
    assert draft.values["registers.meetings.total"].value == "999"
