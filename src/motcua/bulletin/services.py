"""Use cases of the bulletin: create a draft issue, write its narrative, publish it. Each is
one transaction, checked against the actor's scope and written to the audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.bulletin import compose, layout, outputs, permissions
from motcua.bulletin.models import Issue, IssueStatus, Publication
from motcua.core.audit import record_change
from motcua.core.figures import FigureQuery
from motcua.reform.rules import Conflict, InvalidInput, NotAllowed
from motcua.stats import periods

MAX_NARRATIVE = 20_000
DEFAULT_TITLE = "Bản tin điện tử cải cách hành chính"


def figure_query(agency: Agency, start: dt.date, end: dt.date) -> FigureQuery:
    """The province (the agency without a superior) is the whole city: no agency filter."""
    return FigureQuery(start, end, None if agency.parent_id is None else agency.code)


def check_period(start: dt.date, end: dt.date) -> periods.Period:
    try:
        return periods.range_period(start, end)
    except periods.PeriodError as exc:
        raise InvalidInput(str(exc.message), {"period_end": "period"}) from None


def bulletin_of(issue: Issue, *, language: str = "vi") -> compose.Bulletin:
    """A draft's content composed now (the preview); a published issue's, from its snapshot
    (in the language it was published in, whatever the reader's: it never changes)."""
    if issue.is_published:
        return compose.Bulletin.from_json(issue.publication.content)
    period = periods.range_period(issue.period_start, issue.period_end)
    bulletin = compose.compose(
        figure_query(issue.agency, issue.period_start, issue.period_end),
        title=issue.title,
        period_label=period.label_en if language == "en" else period.label,
        scope_name=(issue.agency.name_en or issue.agency.name_vi)
        if language == "en"
        else issue.agency.name_vi,
        narrative=issue.narrative,
        language=language,
    )
    bulletin.number = issue.number_display
    return bulletin


def _require(user: User, agency: Agency) -> None:
    if not permissions.can_edit(user, agency):
        raise NotAllowed(_("Bạn không có quyền lập bản tin cho phạm vi này."))


def _locked_draft(issue_id: int, by: User) -> Issue:
    issue = Issue.objects.select_for_update().select_related("agency").filter(pk=issue_id).first()
    if issue is None:
        raise InvalidInput(_("Không tìm thấy bản tin."))
    _require(by, issue.agency)
    if issue.is_published:
        raise Conflict(
            _("Bản tin số %(n)s đã phát hành, không thể sửa; hãy lập bản tin đính chính mới.")
            % {"n": issue.number_display}
        )
    return issue


@transaction.atomic
def create_draft(
    *, by: User, agency: Agency, start: dt.date, end: dt.date, title: str = ""
) -> Issue:
    _require(by, agency)
    check_period(start, end)
    title = (title or "").strip() or DEFAULT_TITLE
    if len(title) > 300:
        raise InvalidInput(_("Tiêu đề quá dài (tối đa 300 ký tự)."), {"title": "title"})
    issue = Issue.objects.create(
        agency=agency, period_start=start, period_end=end, title=title, created_by=by
    )
    record_change(
        "bulletin.issue.create",
        issue,
        f"Lập dự thảo bản tin {agency.code} {start.isoformat()}..{end.isoformat()}",
        actor=by,
        data={"agency": agency.code, "start": start.isoformat(), "end": end.isoformat()},
    )
    return issue


@transaction.atomic
def save_narrative(*, by: User, issue_id: int, section: str, text: str, version: int) -> Issue:
    """The editor's text of one section; ``version`` is the one the form was read at."""
    if section not in layout.BY_KEY:
        raise InvalidInput(_("Không có mục này trong bản tin."), {"section": "section"})
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_NARRATIVE:
        raise InvalidInput(
            _("Nội dung quá dài (tối đa %(n)d ký tự).") % {"n": MAX_NARRATIVE}, {"text": "text"}
        )
    issue = _locked_draft(issue_id, by)
    if issue.version != version:
        raise Conflict(_("Bản tin vừa được người khác sửa; hãy tải lại trang."))
    narrative = dict(issue.narrative)
    if narrative.get(section, "") == text:
        return issue
    narrative[section] = text
    issue.narrative = narrative
    issue.version += 1
    issue.save(update_fields=["narrative", "version", "updated_at"])
    record_change(
        "bulletin.issue.narrative",
        issue,
        f"Sửa nội dung mục {section} của dự thảo bản tin",
        actor=by,
        data={"section": section, "length": len(text)},
    )
    return issue


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def next_number(agency: Agency, year: int) -> int:
    top = Issue.objects.filter(agency=agency, year=year).aggregate(n=Max("number"))["n"]
    return (top or 0) + 1


def publish(*, by: User, issue_id: int, now: dt.datetime | None = None) -> Publication:
    """Number the issue (next of its year and scope), compute its figures, render its files
    and store them as the immutable snapshot."""
    try:
        with transaction.atomic():
            return _publish(by, issue_id, now or timezone.now())
    except IntegrityError:  # two issues of the same scope published at once
        raise Conflict(_("Một bản tin khác vừa được phát hành; hãy thử lại.")) from None


def _publish(by: User, issue_id: int, now: dt.datetime) -> Publication:
    issue = _locked_draft(issue_id, by)
    Agency.objects.select_for_update().filter(pk=issue.agency_id).first()  # serialise numbering
    year = issue.period_end.year
    issue.year, issue.number = year, next_number(issue.agency, year)
    bulletin = bulletin_of(issue)
    bulletin.number = issue.number_display
    bulletin.published_at = timezone.localtime(now).strftime("%d/%m/%Y")
    html = outputs.html_document(bulletin).encode("utf-8")
    pdf, docx = outputs.pdf_bytes(bulletin), outputs.docx_bytes(bulletin)
    stem = f"ban-tin-{issue.agency.code}-{year}-{issue.number:02d}"
    publication = Publication(
        issue=issue,
        published_at=now,
        published_by=by,
        content=bulletin.to_json(),
        html=html.decode("utf-8"),
        html_sha256=_sha(html),
        pdf_sha256=_sha(pdf),
        docx_sha256=_sha(docx),
    )
    publication.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    publication.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
    issue.status = IssueStatus.PUBLISHED
    issue.save(update_fields=["status", "year", "number", "updated_at"])
    publication.save()
    record_change(
        "bulletin.issue.publish",
        issue,
        f"Phát hành bản tin số {issue.number_display}/{year} ({issue.agency.code})",
        actor=by,
        data={
            "number": issue.number,
            "year": year,
            "missing": bulletin.missing,
            "html_sha256": publication.html_sha256,
            "pdf_sha256": publication.pdf_sha256,
            "docx_sha256": publication.docx_sha256,
        },
    )
    return publication


def published_file(publication: Publication, fmt: str) -> bytes:
    """A published file's bytes, checked against the SHA-256 stored when it was published."""
    if fmt == "html":
        data, expected = publication.html.encode("utf-8"), publication.html_sha256
    else:
        field = publication.pdf if fmt == "pdf" else publication.docx
        expected = publication.pdf_sha256 if fmt == "pdf" else publication.docx_sha256
        with field.open("rb") as f:
            data = f.read()
    if _sha(data) != expected:
        raise Conflict(_("Tệp bản tin đã bị thay đổi so với khi phát hành."))
    return data
