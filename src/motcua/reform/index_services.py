"""Writes of the PAR index: every one a transaction, a permission check and an audit row.

Who does what (see ``index_permissions``): the reform office imports schemes, appoints the
council, opens the assessments, feeds survey and automatic points and publishes; a unit
self-assesses (only its own assessment) with evidence by the deadline and explains; council
members appraise. Every change of a score is recorded with who, why, before and after.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.core import media
from motcua.core.audit import change_event, record_changes
from motcua.dossiers.errors import InvalidInput as UploadRefused
from motcua.dossiers.uploads import read_checked, safe_name
from motcua.reform import index_permissions as perm
from motcua.reform.index_rules import (
    EDITABLE,
    Actor,
    Kind,
    Method,
    Rule,
    Status,
    SubRule,
    check_bands,
    check_before_deadline,
    check_points,
    check_transition,
    parse_levels,
    ratio_points,
)
from motcua.reform.index_sources import SOURCES
from motcua.reform.models import (
    Assessment,
    Band,
    CouncilMember,
    Criterion,
    Scheme,
    SchemeArea,
    Score,
    SubCriterion,
    SurveyResult,
)
from motcua.reform.rules import Conflict, InvalidInput

MAX_NOTE = 2000


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


# --- the scheme, as parsed from its workbook (index_excel) or built by the demo ----------------


@dataclass
class SubSpec:
    code: str
    title: str
    max_points: Decimal
    method: str = Method.SELF
    kind: str = Kind.SCORE
    rule: str = Rule.RANGE
    levels: str = ""
    source: str = ""
    full_at: Decimal = Decimal(1)


@dataclass
class CriterionSpec:
    code: str
    title: str
    subs: list[SubSpec] = field(default_factory=list)


@dataclass
class AreaSpec:
    number: int
    title: str
    max_points: Decimal
    criteria: list[CriterionSpec] = field(default_factory=list)


@dataclass
class SchemeSpec:
    year: int
    tier: str
    name: str
    basis: str = ""
    is_demo: bool = False
    self_deadline: dt.date | None = None
    bonus_cap: Decimal = Decimal(0)
    penalty_cap: Decimal = Decimal(0)
    bands: list[tuple[str, Decimal]] = field(default_factory=list)
    areas: list[AreaSpec] = field(default_factory=list)


def sub_rule(sub: SubCriterion | SubSpec) -> SubRule:
    return SubRule(
        code=sub.code,
        max_points=Decimal(sub.max_points),
        kind=sub.kind,
        rule=sub.rule,
        levels=parse_levels(sub.levels),
        full_at=Decimal(sub.full_at),
    )


def check_spec(spec: SchemeSpec) -> None:
    """The invariants a whole scheme must hold (the workbook's rows are checked one by one in
    index_excel; this is what only the whole tree can tell)."""
    check_bands(spec.bands)
    if not spec.areas:
        raise InvalidInput(_("Bộ chỉ số chưa có lĩnh vực nào."))
    codes: set[str] = set()
    for area in spec.areas:
        scored = Decimal(0)
        for criterion in area.criteria:
            for sub in criterion.subs:
                if sub.code in codes:
                    raise InvalidInput(_("Mã tiêu chí %(c)s bị trùng.") % {"c": sub.code})
                codes.add(sub.code)
                if sub.method == Method.AUTO and sub.source not in SOURCES:
                    raise InvalidInput(
                        _("Tiêu chí %(c)s: nguồn số liệu “%(s)s” không có.")
                        % {"c": sub.code, "s": sub.source}
                    )
                if sub.rule == Rule.RATIO and sub.method == Method.SELF:
                    raise InvalidInput(
                        _(
                            "Tiêu chí %(c)s: quy tắc tỷ lệ chỉ dùng cho điều tra hoặc số liệu tự động."  # noqa: E501
                        )
                        % {"c": sub.code}
                    )
                if sub.method != Method.SELF and sub.rule != Rule.RATIO:
                    raise InvalidInput(
                        _("Tiêu chí %(c)s: điều tra và số liệu tự động được chấm theo tỷ lệ.")
                        % {"c": sub.code}
                    )
                parse_levels(sub.levels)
                if sub.kind == Kind.SCORE:
                    scored += sub.max_points
        if scored != area.max_points:
            raise InvalidInput(
                _("Lĩnh vực %(n)s: tổng điểm các tiêu chí (%(s)s) khác điểm tối đa (%(m)s).")
                % {"n": area.number, "s": scored, "m": area.max_points}
            )


def _event(
    action: str, obj, summary: str, *, by: User | None, why: str = "", before=None, after=None
):
    """A score's or an assessment's audit row, unsaved (``record_changes`` writes batches)."""
    return change_event(
        action, obj, summary, actor=by, data={"why": why, "before": before, "after": after}
    )


def _audit(
    action: str, obj, summary: str, *, by: User | None, why: str = "", before=None, after=None
):
    _event(action, obj, summary, by=by, why=why, before=before, after=after).save(force_insert=True)


@transaction.atomic
def import_scheme(*, by: User, spec: SchemeSpec) -> Scheme:
    """Store a scheme as a new version of its year and tier (earlier versions stay, with the
    assessments made under them)."""
    perm.require_office(by)
    check_spec(spec)
    latest = (
        Scheme.objects.select_for_update()
        .filter(year=spec.year, tier=spec.tier)
        .order_by("-version")
        .first()
    )
    scheme = Scheme.objects.create(
        year=spec.year,
        tier=spec.tier,
        version=(latest.version + 1) if latest else 1,
        name=spec.name,
        basis=spec.basis,
        is_demo=spec.is_demo,
        self_deadline=spec.self_deadline,
        bonus_cap=spec.bonus_cap,
        penalty_cap=spec.penalty_cap,
    )
    Band.objects.bulk_create(Band(scheme=scheme, label=lb, cutoff=c) for lb, c in spec.bands)
    for a in spec.areas:
        area = SchemeArea.objects.create(
            scheme=scheme, number=a.number, title=a.title, max_points=a.max_points
        )
        for c in a.criteria:
            criterion = Criterion.objects.create(area=area, code=c.code, title=c.title)
            SubCriterion.objects.bulk_create(
                SubCriterion(
                    criterion=criterion,
                    scheme=scheme,
                    code=s.code,
                    title=s.title,
                    max_points=s.max_points,
                    method=s.method,
                    kind=s.kind,
                    rule=s.rule,
                    levels=s.levels,
                    source=s.source,
                    full_at=s.full_at,
                )
                for s in c.subs
            )
    _audit(
        "reform.parindex.scheme",
        scheme,
        f"Nhập bộ chỉ số CCHC {scheme.year} ({scheme.tier}) phiên bản {scheme.version}",
        by=by,
        after={"areas": len(spec.areas), "subs": scheme.subs.count()},
    )
    return scheme


@transaction.atomic
def appoint_council(*, by: User, scheme_id: int, user: User, position: str = "") -> CouncilMember:
    perm.require_office(by)
    scheme = Scheme.objects.get(pk=scheme_id)
    member, _new = CouncilMember.objects.get_or_create(
        scheme=scheme, user=user, defaults={"position": position[:100]}
    )
    _audit(
        "reform.parindex.council",
        member,
        f"Phân công thành viên Hội đồng thẩm định: {user.get_username()}",
        by=by,
    )
    return member


@transaction.atomic
def set_deadline(*, by: User, scheme_id: int, deadline: dt.date, reason: str) -> Scheme:
    """The office sets or extends the self-assessment deadline (with its reason)."""
    perm.require_office(by)
    reason = _text(reason, required=True)
    scheme = Scheme.objects.select_for_update().get(pk=scheme_id)
    before = scheme.self_deadline.isoformat() if scheme.self_deadline else None
    scheme.self_deadline = deadline
    scheme.save(update_fields=["self_deadline"])
    _audit(
        "reform.parindex.deadline",
        scheme,
        "Đặt hạn tự đánh giá Chỉ số CCHC",
        by=by,
        why=reason,
        before=before,
        after=deadline.isoformat(),
    )
    return scheme


@transaction.atomic
def open_assessments(*, by: User, scheme_id: int, agencies: Iterable[Agency]) -> int:
    """One assessment per unit of the tier, with an empty score row per sub-criterion."""
    perm.require_office(by)
    scheme = Scheme.objects.get(pk=scheme_id)
    subs = list(scheme.subs.all())
    created = 0
    for agency in agencies:
        assessment, new = Assessment.objects.get_or_create(scheme=scheme, agency=agency)
        if not new:
            continue
        Score.objects.bulk_create(Score(assessment=assessment, sub=s) for s in subs)
        _audit(
            "reform.parindex.open",
            assessment,
            f"Mở đánh giá Chỉ số CCHC {scheme.year}: {agency.name_vi}",
            by=by,
        )
        created += 1
    return created


def _text(value: str, *, required: bool = False, name: str = "note") -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("Vui lòng nhập lý do."), fields={name: "required"})
    if len(value) > MAX_NOTE:
        raise InvalidInput(
            _("Nội dung tối đa %(n)d ký tự.") % {"n": MAX_NOTE}, fields={name: "too_long"}
        )
    return value


def _locked(assessment_id: int) -> Assessment:
    try:
        return (
            Assessment.objects.select_for_update()
            .select_related("scheme", "agency")
            .get(pk=assessment_id)
        )
    except Assessment.DoesNotExist:
        raise InvalidInput(_("Không tìm thấy bản đánh giá.")) from None


def _score(assessment: Assessment, code: str) -> Score:
    score = (
        Score.objects.select_for_update()
        .select_related("sub")
        .filter(assessment=assessment, sub__code=code)
        .first()
    )
    if score is None:
        raise InvalidInput(_("Không có tiêu chí %(c)s.") % {"c": code}, fields={"code": "unknown"})
    return score


def _require_stage(assessment: Assessment, actor: str) -> None:
    if EDITABLE.get(assessment.status) != actor:
        raise Conflict(
            _("Bản đánh giá đang ở bước “%(s)s”: không thể sửa ở bước này.")
            % {"s": Status(assessment.status).label}
        )


def _state(score: Score) -> dict:
    def s(v):
        return None if v is None else str(v)

    return {
        "self": s(score.self_points),
        "council": s(score.council_points),
        "final": s(score.final_points),
        "page": score.evidence_page,
        "evidence": score.evidence_sha256 or None,
    }


@dataclass(frozen=True)
class SelfScore:
    """One sub-criterion the unit scores (``self_assess_many``)."""

    code: str
    points: Decimal
    note: str = ""
    evidence: Upload | None = None
    page: int | None = None


def self_assess(
    *,
    by: User,
    assessment_id: int,
    code: str,
    points: Decimal,
    note: str = "",
    evidence: Upload | None = None,
    page: int | None = None,
    today: dt.date | None = None,
) -> Score:
    """The unit scores one of its own sub-criteria, pointing to the page of the document that
    proves it (a file uploaded here, or the one already attached)."""
    entry = SelfScore(code, points, note, evidence, page)
    return self_assess_many(by=by, assessment_id=assessment_id, entries=[entry], today=today)[0]


def self_assess_many(
    *,
    by: User,
    assessment_id: int,
    entries: Sequence[SelfScore],
    today: dt.date | None = None,
) -> list[Score]:
    """``self_assess`` for several sub-criteria in one transaction (all or none): the same
    checks, one audit row per score, in order; the assessment is locked, the permission and
    the stage checked, and the scores read once for all of them (the demo scores whole units)."""
    checked: list[tuple[str, bytes, str] | None] = []
    for entry in entries:
        if entry.evidence is None:
            checked.append(None)
            continue
        try:  # the project's one upload check (content and size), shared with dossiers
            data, mime = read_checked(io.BytesIO(entry.evidence.data))
        except UploadRefused as exc:
            raise InvalidInput(
                f"{safe_name(entry.evidence.name)}: {exc.message}", fields={"evidence": "bad"}
            ) from None
        checked.append((safe_name(entry.evidence.name, mime), data, mime))
    blobs: list[str] = []
    try:
        for c in checked:  # blobs before rows (core/media.py)
            blobs.append(media.store(c[1]) if c else "")
        return _self_assess_many(by, assessment_id, entries, checked, blobs, today)
    except BaseException:
        for blob in blobs:
            media.discard(blob)
        raise


def _scores(assessment: Assessment, codes: Iterable[str]) -> dict[str, Score]:
    """The assessment's scores of ``codes``, locked, by code (one query for a batch)."""
    return {
        score.sub.code: score
        for score in Score.objects.select_for_update()
        .select_related("sub")
        .filter(assessment=assessment, sub__code__in=set(codes))
    }


def _known(scores: dict[str, Score], code: str) -> Score:
    score = scores.get(code)
    if score is None:
        raise InvalidInput(_("Không có tiêu chí %(c)s.") % {"c": code}, fields={"code": "unknown"})
    return score


def _save_scores(scores: Sequence[Score], events: Sequence, fields: Sequence[str]) -> None:
    """Write changed scores (only their changed ``fields``: the rest of each row is as read,
    under its lock) and their audit rows, in order; the audit rows in one INSERT."""
    for score in {s.pk: s for s in scores}.values():
        score.save(update_fields=fields)
    record_changes(events)


SELF_FIELDS = (
    "self_points",
    "self_note",
    "evidence",
    "evidence_name",
    "evidence_type",
    "evidence_sha256",
    "evidence_page",
)


@transaction.atomic
def _self_assess_many(by, assessment_id, entries, checked, blobs, today) -> list[Score]:
    assessment = _locked(assessment_id)
    perm.require(
        perm.can_self_assess(by, assessment),
        _("Chỉ đơn vị được đánh giá mới tự chấm điểm của mình."),
    )
    _require_stage(assessment, Actor.UNIT)
    if assessment.status != Status.SELF_ASSESSING:
        raise Conflict(_("Đơn vị chỉ tự chấm điểm trước khi gửi thẩm định."))
    check_before_deadline(assessment.scheme.self_deadline, today or timezone.localdate())
    scores = _scores(assessment, (e.code for e in entries))
    changed, events = [], []
    for entry, check, blob in zip(entries, checked, blobs, strict=True):
        code, page = entry.code, entry.page
        score = _known(scores, code)
        if score.sub.method != Method.SELF:
            raise Conflict(
                _("Tiêu chí %(c)s được chấm từ điều tra hoặc số liệu tự động.") % {"c": code}
            )
        points = check_points(sub_rule(score.sub), entry.points)
        if page is not None and page < 1:
            raise InvalidInput(_("Số trang phải từ 1 trở lên."), fields={"page": "invalid"})
        before = _state(score)
        score.self_points = points
        score.self_note = _text(entry.note)
        if check:
            score.evidence.name = blob
            score.evidence_name, score.evidence_type = check[0], check[2]
            score.evidence_sha256 = hashlib.sha256(check[1]).hexdigest()
        if page is not None:
            score.evidence_page = page
        changed.append(score)
        events.append(
            _event(
                "reform.parindex.score",
                score,
                f"Tự chấm tiêu chí {code}: {points}",
                by=by,
                why=score.self_note,
                before=before,
                after=_state(score),
            )
        )
    _save_scores(changed, events, SELF_FIELDS)
    return changed


def _move(assessment: Assessment, target: str, actor: str, by: User, why: str = "") -> None:
    row = check_transition(assessment.status, target, actor)
    before = assessment.status
    assessment.status = target
    assessment.version += 1
    assessment.save()
    _audit(
        "reform.parindex.transition",
        assessment,
        f"Chỉ số CCHC {assessment.agency.name_vi}: {Status(target).label}",
        by=by,
        why=why or row.basis,
        before=before,
        after=target,
    )


@transaction.atomic
def submit(*, by: User, assessment_id: int, now: dt.datetime | None = None) -> Assessment:
    """The unit's leader sends the self-assessment by the deadline; every scored sub-criterion
    it assesses itself needs points, and any points above zero need evidence with a page."""
    now = now or timezone.now()
    assessment = _locked(assessment_id)
    perm.require(
        perm.can_submit(by, assessment), _("Chỉ lãnh đạo đơn vị được gửi bản tự đánh giá.")
    )
    check_before_deadline(assessment.scheme.self_deadline, timezone.localdate(now))
    missing = []
    for score in assessment.scores.select_related("sub").filter(sub__method=Method.SELF):
        if (score.sub.kind == Kind.SCORE and score.self_points is None) or (
            (score.self_points or 0) > 0 and (not score.evidence or not score.evidence_page)
        ):
            missing.append(score.sub.code)
    if missing:
        raise InvalidInput(
            _("Chưa chấm điểm hoặc thiếu tài liệu kiểm chứng (tệp và số trang): %(c)s.")
            % {"c": ", ".join(missing[:20])},
            fields={"scores": "incomplete"},
        )
    assessment.submitted_at = now
    _move(assessment, Status.SUBMITTED, Actor.UNIT, by)
    return assessment


@transaction.atomic
def return_to_unit(*, by: User, assessment_id: int, reason: str) -> Assessment:
    assessment = _locked(assessment_id)
    perm.require(perm.is_council(by, assessment.scheme), _("Chỉ Hội đồng thẩm định thực hiện."))
    _move(assessment, Status.SELF_ASSESSING, Actor.COUNCIL, by, _text(reason, required=True))
    return assessment


@dataclass(frozen=True)
class CouncilScore:
    """One sub-criterion the council scores (``appraise_many``)."""

    code: str
    points: Decimal
    note: str = ""


def appraise(*, by: User, assessment_id: int, code: str, points: Decimal, note: str = "") -> Score:
    """A council member scores a sub-criterion: in the first round (after submission) or in the
    final round (after the unit's explanation). Changing the points before it needs a reason."""
    entry = CouncilScore(code, points, note)
    return appraise_many(by=by, assessment_id=assessment_id, entries=[entry])[0]


@transaction.atomic
def appraise_many(*, by: User, assessment_id: int, entries: Sequence[CouncilScore]) -> list[Score]:
    """``appraise`` for several sub-criteria in one transaction (all or none): the same checks,
    one audit row per score, in order; the assessment is locked, the permission and the stage
    checked, and the scores read once for all of them."""
    assessment = _locked(assessment_id)
    perm.require(
        perm.is_council(by, assessment.scheme), _("Chỉ Hội đồng thẩm định được chấm điểm.")
    )
    _require_stage(assessment, Actor.COUNCIL)
    scores = _scores(assessment, (e.code for e in entries))
    final = assessment.status == Status.EXPLAINED
    changed, events = [], []
    for entry in entries:
        code = entry.code
        score = _known(scores, code)
        if score.sub.method != Method.SELF:
            raise Conflict(
                _("Tiêu chí %(c)s được chấm từ điều tra hoặc số liệu tự động.") % {"c": code}
            )
        points = check_points(sub_rule(score.sub), entry.points)
        note = _text(entry.note)
        previous = score.council_points if final else score.self_points
        if previous is not None and points != previous and not note:
            raise InvalidInput(
                _("Vui lòng ghi lý do khi thay đổi điểm của tiêu chí %(c)s.") % {"c": code},
                fields={"note": "required"},
            )
        before = _state(score)
        if final:
            score.final_points, score.final_note = points, note
        else:
            score.council_points, score.council_note = points, note
        changed.append(score)
        events.append(
            _event(
                "reform.parindex.score",
                score,
                f"{'Thẩm định chính thức' if final else 'Thẩm định'} tiêu chí {code}: {points}",
                by=by,
                why=note,
                before=before,
                after=_state(score),
            )
        )
    fields = ("final_points", "final_note") if final else ("council_points", "council_note")
    _save_scores(changed, events, fields)
    return changed


def _accept(assessment: Assessment, by: User, *, final: bool) -> None:
    """Sub-criteria the council left as they were keep the points of the stage before
    (recorded as a change like any other, with that reason; written at once)."""
    why = (
        _("Hội đồng giữ nguyên điểm thẩm định vòng 1")
        if final
        else _("Hội đồng chấp nhận điểm tự đánh giá")
    )
    changed, events = [], []
    for score in assessment.scores.select_related("sub").filter(sub__method=Method.SELF):
        if final and score.final_points is None:
            before = _state(score)
            score.final_points = score.council_points
        elif not final and score.council_points is None:
            before = _state(score)
            score.council_points = score.self_points
        else:
            continue
        changed.append(score)
        events.append(
            _event(
                "reform.parindex.score",
                score,
                f"Giữ nguyên điểm tiêu chí {score.sub.code}",
                by=by,
                why=why,
                before=before,
                after=_state(score),
            )
        )
    _save_scores(changed, events, ("final_points",) if final else ("council_points",))


@transaction.atomic
def finish_appraisal(*, by: User, assessment_id: int) -> Assessment:
    """Close the first round: the unit may now explain or dispute."""
    assessment = _locked(assessment_id)
    perm.require(perm.is_council(by, assessment.scheme), _("Chỉ Hội đồng thẩm định thực hiện."))
    check_transition(assessment.status, Status.APPRAISED, Actor.COUNCIL)
    _accept(assessment, by, final=False)
    _move(assessment, Status.APPRAISED, Actor.COUNCIL, by)
    return assessment


@transaction.atomic
def explain(*, by: User, assessment_id: int, code: str, text: str) -> Score:
    assessment = _locked(assessment_id)
    perm.require(perm.can_self_assess(by, assessment), _("Chỉ đơn vị được đánh giá giải trình."))
    _require_stage(assessment, Actor.UNIT)
    if assessment.status != Status.APPRAISED:
        raise Conflict(_("Đơn vị giải trình sau khi có kết quả thẩm định vòng 1."))
    score = _score(assessment, code)
    text = _text(text, required=True, name="text")
    before = score.explanation
    score.explanation = text
    score.save(update_fields=["explanation"])
    _audit(
        "reform.parindex.explanation",
        score,
        f"Giải trình tiêu chí {code}",
        by=by,
        why=text,
        before=before,
        after=text,
    )
    return score


@transaction.atomic
def submit_explanation(*, by: User, assessment_id: int) -> Assessment:
    assessment = _locked(assessment_id)
    perm.require(perm.can_submit(by, assessment), _("Chỉ lãnh đạo đơn vị được gửi giải trình."))
    if not assessment.scores.exclude(explanation="").exists():
        raise InvalidInput(_("Chưa có nội dung giải trình nào."), fields={"text": "required"})
    _move(assessment, Status.EXPLAINED, Actor.UNIT, by)
    return assessment


@transaction.atomic
def finalise(*, by: User, assessment_id: int) -> Assessment:
    assessment = _locked(assessment_id)
    perm.require(perm.is_council(by, assessment.scheme), _("Chỉ Hội đồng thẩm định thực hiện."))
    check_transition(assessment.status, Status.FINAL, Actor.COUNCIL)
    _accept(assessment, by, final=True)
    _move(assessment, Status.FINAL, Actor.COUNCIL, by)
    return assessment


@transaction.atomic
def publish(*, by: User, scheme_id: int, now: dt.datetime | None = None) -> int:
    """Publish a tier's results at once (ranks compare every unit): all must be final."""
    perm.require_office(by)
    now = now or timezone.now()
    assessments = list(
        Assessment.objects.select_for_update()
        .select_related("agency", "scheme")
        .filter(scheme_id=scheme_id)
    )
    pending = [a.agency.name_vi for a in assessments if a.status != Status.FINAL]
    if not assessments or pending:
        raise Conflict(
            _("Chưa thể công bố: còn đơn vị chưa thẩm định chính thức (%(u)s).")
            % {"u": ", ".join(pending[:5]) or "—"}
        )
    for assessment in assessments:
        assessment.published_at = now
        _move(assessment, Status.PUBLISHED, Actor.OFFICE, by)
    return len(assessments)


def _set_final(score: Score, points: Decimal | None, by: User, why: str, action: str) -> None:
    if score.final_points == points:
        return
    before = _state(score)
    score.final_points, score.final_note = points, why[:MAX_NOTE]
    score.save(update_fields=["final_points", "final_note"])
    _audit(
        action,
        score,
        f"Điểm tiêu chí {score.sub.code}: {points}",
        by=by,
        why=why,
        before=before,
        after=_state(score),
    )


def _open_for_figures(assessment: Assessment) -> None:
    if assessment.status in (Status.FINAL, Status.PUBLISHED):
        raise Conflict(
            _("Kết quả của %(u)s đã thẩm định chính thức: không thể thay đổi.")
            % {"u": assessment.agency.name_vi}
        )


@dataclass(frozen=True)
class SurveyRow:
    agency: Agency
    code: str
    ratio: Decimal  # 0..1
    respondents: int | None = None


@transaction.atomic
def record_survey(*, by: User, scheme_id: int, rows: Sequence[SurveyRow], source: str) -> int:
    """Survey figures (SIPAS-like satisfaction) for the survey sub-criteria: each becomes the
    sub-criterion's points through its ratio rule. All rows or none."""
    perm.require_office(by)
    scheme = Scheme.objects.get(pk=scheme_id)
    subs = {s.code: s for s in scheme.subs.filter(method=Method.SURVEY)}
    for row in rows:
        sub = subs.get(row.code)
        if sub is None:
            raise InvalidInput(
                _("Tiêu chí %(c)s không phải tiêu chí điều tra xã hội học của bộ chỉ số.")
                % {"c": row.code}
            )
        assessment = (
            Assessment.objects.select_for_update().filter(scheme=scheme, agency=row.agency).first()
        )
        if assessment is None:
            raise InvalidInput(
                _("%(u)s không thuộc đối tượng đánh giá.") % {"u": row.agency.name_vi}
            )
        _open_for_figures(assessment)
        points = ratio_points(sub_rule(sub), row.ratio)
        SurveyResult.objects.update_or_create(
            sub=sub,
            agency=row.agency,
            defaults={"ratio": row.ratio, "respondents": row.respondents},
        )
        score = Score.objects.select_related("sub").get(assessment=assessment, sub=sub)
        _set_final(score, points, by, source, "reform.parindex.survey")
    return len(rows)


@transaction.atomic
def compute_automatic(*, by: User, scheme_id: int, start: dt.date, end: dt.date) -> int:
    """Points of the automatic sub-criteria from motcua's own figures (index_sources), for
    every unit not yet finalised. A source with nothing to measure leaves the points empty."""
    perm.require_office(by)
    if end < start:
        raise InvalidInput(_("Ngày kết thúc phải sau ngày bắt đầu."))
    changed = 0
    scores = (
        Score.objects.select_related("sub", "assessment__agency")
        .filter(assessment__scheme_id=scheme_id, sub__method=Method.AUTO)
        .exclude(assessment__status__in=[Status.FINAL, Status.PUBLISHED])
    )
    for score in scores:
        source = SOURCES[score.sub.source]
        ratio = source.compute(score.assessment.agency.code, start, end)
        points = (
            None if ratio is None else ratio_points(sub_rule(score.sub), min(ratio, Decimal(1)))
        )
        why = f"{source.label} {start.isoformat()}–{end.isoformat()}: " + (
            f"{ratio:.4f}" if ratio is not None else "không có số liệu"
        )
        before = score.final_points
        _set_final(score, points, by, why, "reform.parindex.auto")
        changed += before != points
    return changed
