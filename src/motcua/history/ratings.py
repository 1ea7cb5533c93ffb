"""History import of satisfaction ratings, each with its own date (``Rating.created_at``).

A rating is linked to a dossier by the dossier's motcua code or its old-system code; without a
dossier it names the agency rated. Idempotent by the rating's old-system code, and by the
dossier (one rating per dossier): a row whose code or dossier already has a rating is skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier
from motcua.history import bulk
from motcua.history.parsing import (
    Column,
    Problem,
    RowReader,
    Table,
    header_key,
    parse_choice,
    parse_datetime,
)
from motcua.ratings.models import Level, Rating

C = Column
COLUMNS: tuple[Column, ...] = (
    C("code", "Mã đánh giá", "text", False,
      "mã trên hệ thống cũ (duy nhất; bắt buộc khi không có mã hồ sơ)", max_length=60),
    C("dossier", "Mã hồ sơ", "text", False, "mã motcua hoặc mã cũ của hồ sơ được đánh giá",
      max_length=60),
    C("agency", "Mã cơ quan", "code", False,
      "cơ quan được đánh giá (mặc định: nơi tiếp nhận hồ sơ)", ("Cơ quan",)),
    C("level", "Mức độ hài lòng", "choice", True,
      "very_satisfied (rất hài lòng), satisfied (hài lòng), not_satisfied (không hài lòng)",
      ("Mức độ",)),
    C("channel", "Hình thức đánh giá", "choice", False, "online (mặc định) / kiosk",
      ("Kênh đánh giá",)),
    C("rated_at", "Ngày đánh giá", "datetime", True, "thời điểm đánh giá", ("Thời gian",)),
    C("comment", "Ý kiến", "text", False, "", ("Góp ý",), max_length=2000),
    C("officer", "Cán bộ", "text", False, "tên đăng nhập của cán bộ được đánh giá",
      max_length=150),
)  # fmt: skip
BY_KEY = {c.key: c for c in COLUMNS}
LEVELS = {
    **{header_key(v.value): v.value for v in Level},
    **{header_key(v.label): v.value for v in Level},
    "rat hai long": Level.VERY_SATISFIED.value,
    "khong hai long": Level.NOT_SATISFIED.value,
    "chua hai long": Level.NOT_SATISFIED.value,
}
CHANNELS = {
    **{header_key(c.value): c.value for c in Rating.Channel},
    **{header_key(c.label): c.value for c in Rating.Channel},
    "truc tuyen": Rating.Channel.ONLINE.value,
    "tai quay": Rating.Channel.KIOSK.value,
}
FIELDS = (
    *("dossier", "agency", "level", "comment", "channel", "device", "officer", "rated_by"),
    *("created_at", "imported", "legacy_code"),
)


@dataclass
class Prepared:
    rows: list[tuple] = field(default_factory=list)
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)


def prepare(table: Table, *, now: dt.datetime) -> Prepared:
    out = Prepared(problems=list(table.problems))
    if table.problems:
        return out
    refs = {str(r["dossier"]) for _, r in table.rows if "dossier" in r}
    dossiers: dict[str, tuple[int, int]] = {}
    ref_list = sorted(refs)
    for start in range(0, len(ref_list), 5000):
        chunk = ref_list[start : start + 5000]
        for pk, code, legacy, agency_id in Dossier.objects.filter(
            Q(code__in=chunk) | Q(legacy_code__in=chunk)
        ).values_list("pk", "code", "legacy_code", "receiving_agency_id"):
            dossiers[code] = (pk, agency_id)
            if legacy:
                dossiers.setdefault(legacy, (pk, agency_id))
    rated = set(
        Rating.objects.filter(dossier_id__in=[pk for pk, _ in dossiers.values()]).values_list(
            "dossier_id", flat=True
        )
    )
    codes = [str(r["code"]) for _, r in table.rows if "code" in r]
    existing = set(
        Rating.objects.filter(legacy_code__in=codes).values_list("legacy_code", flat=True)
    )
    agencies = {
        a.code: a.pk
        for a in Agency.objects.filter(
            code__in={str(r["agency"]) for _, r in table.rows if "agency" in r}
        )
    }
    officers = dict(
        User.objects.filter(
            username__in={str(r["officer"]) for _, r in table.rows if "officer" in r}
        ).values_list("username", "pk")
    )
    seen_codes: dict[str, int] = {}
    seen_dossiers: dict[int, int] = {}
    for line, raw in table.rows:
        reader = RowReader(line, raw, BY_KEY)
        get, text, errors = reader.get, reader.text, reader.errors

        code, ref, agency_code = text("code"), text("dossier"), text("agency")
        level = get("level", lambda v: parse_choice(v, LEVELS, "mức độ"))
        channel = get("channel", lambda v: parse_choice(v, CHANNELS, "hình thức"))
        rated_at = get("rated_at", parse_datetime)
        comment, officer_name = text("comment"), text("officer")
        dossier = dossiers.get(ref) if ref else None
        if ref and dossier is None:
            errors.append(Problem(line, "Mã hồ sơ", f"không có hồ sơ mã “{ref}”."))
        if not code and not ref:
            errors.append(Problem(line, "Mã đánh giá", "cần mã đánh giá hoặc mã hồ sơ."))
        agency = agencies.get(agency_code) if agency_code else None
        if agency_code and agency is None:
            errors.append(Problem(line, "Mã cơ quan", f"không có cơ quan mã “{agency_code}”."))
        if not agency_code and not ref:
            errors.append(Problem(line, "Mã cơ quan", "cần mã cơ quan khi không có mã hồ sơ."))
        officer = officers.get(officer_name) if officer_name else None
        if officer_name and officer is None:
            errors.append(Problem(line, "Cán bộ", f"không có người dùng “{officer_name}”."))
        if rated_at is not None and rated_at > now:
            errors.append(Problem(line, "Ngày đánh giá", "thời điểm ở tương lai."))
        if code:
            if code in seen_codes:
                errors.append(
                    Problem(line, "Mã đánh giá", f"trùng mã “{code}” ở dòng {seen_codes[code]}.")
                )
            seen_codes.setdefault(code, line)
        if dossier is not None:
            if dossier[0] in seen_dossiers:
                errors.append(
                    Problem(
                        line,
                        "Mã hồ sơ",
                        f"hồ sơ đã được đánh giá ở dòng {seen_dossiers[dossier[0]]}"
                        " (mỗi hồ sơ một đánh giá).",
                    )
                )
            seen_dossiers.setdefault(dossier[0], line)
        if errors:
            out.problems.extend(errors)
            continue
        if (code and code in existing) or (dossier is not None and dossier[0] in rated):
            out.skipped += 1
            continue
        out.rows.append(
            (
                dossier[0] if dossier else None,
                agency or dossier[1],
                level,
                comment,
                channel or Rating.Channel.ONLINE.value,
                None,
                officer,
                None,
                rated_at,
                True,
                code,
            )
        )
    return out


def write(rows: list[tuple]) -> list[int]:
    ids = bulk.reserve_ids(Rating, len(rows))
    bulk.write(Rating, ("id", *FIELDS), ((pk, *row) for pk, row in zip(ids, rows, strict=True)))
    return ids
