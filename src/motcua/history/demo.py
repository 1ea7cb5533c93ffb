"""Demo ratings of 2021, written through the history import's bulk path.

About half of the demo's returned dossiers are rated by their applicant, some hours after the
result was returned (each rating keeps that date, as an imported rating does): online for
dossiers submitted online, on the counter tablet otherwise. Idempotent: each rating carries a
``legacy_code`` made from its dossier's demo key, and a dossier already rated is left alone.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from motcua.core.demo import DemoRun
from motcua.dossiers.models import ONLINE_CHANNELS, Dossier
from motcua.dossiers.rules import State
from motcua.history import ratings
from motcua.ratings.models import Level, Rating
from motcua.stats import services as stats_services

PREFIX = "demo-rating-"
SHARE = 0.5
LEVELS = ((Level.VERY_SATISFIED, 55), (Level.SATISFIED, 35), (Level.NOT_SATISFIED, 10))
COMMENTS = {
    Level.VERY_SATISFIED: "Cán bộ hướng dẫn tận tình, trả kết quả đúng hẹn.",
    Level.SATISFIED: "",
    Level.NOT_SATISFIED: "Phải chờ lâu khi nộp hồ sơ.",
}


def load_history(run: DemoRun) -> None:
    run.log(f"Đánh giá hài lòng: {load_ratings()} mới")


def load_ratings(seed: int = 766) -> int:
    """Rate the returned demo dossiers not rated yet; returns how many ratings were made."""
    dossiers = list(
        Dossier.objects.filter(
            state=State.RETURNED, idempotency_key__startswith="demo-", rating__isnull=True
        )
        .order_by("pk")
        .values_list("pk", "idempotency_key", "receiving_agency_id", "channel", "returned_at")
    )
    existing = set(
        Rating.objects.filter(legacy_code__startswith=PREFIX).values_list("legacy_code", flat=True)
    )
    levels, weights = zip(*LEVELS, strict=True)
    rows = []
    for pk, key, agency_id, channel, returned_at in dossiers:
        rng = random.Random(f"{seed}-{key}")  # noqa: S311 - reproducible demo data
        code = f"{PREFIX}{key}"
        if code in existing or rng.random() >= SHARE:
            continue
        level = rng.choices(levels, weights)[0]
        at = returned_at + dt.timedelta(hours=rng.randint(1, 48))
        online = channel in ONLINE_CHANNELS
        channel_value = Rating.Channel.ONLINE if online else Rating.Channel.KIOSK
        rows.append(
            (pk, agency_id, level.value, COMMENTS[level], channel_value.value, None, None, None,
             at, True, code)
        )  # fmt: skip
    with transaction.atomic():
        ratings.write(rows)
        stats_services.mark_dirty(row[0] for row in rows)  # a rating changes its dossier's 5.4
    return len(rows)


# -- the bulletin-2021 data set (docs/bulletin.md) ---------------------------------------------

# The seed: 38,699 ratings of the one-stop desks in January–September 2021 (the counter tablets
# and online). The demo dossiers' own ratings count; the rest are counter-tablet ratings written
# through the history import's bulk path, dated 01/01–15/09/2021.
BULLETIN_RATINGS = 38699
BULLETIN_PREFIX = "bt2021-rating-"


def _bulletin_window() -> tuple[dt.datetime, dt.datetime]:
    from zoneinfo import ZoneInfo

    from django.conf import settings

    tz = ZoneInfo(settings.TIME_ZONE)
    return dt.datetime(2021, 1, 1, tzinfo=tz), dt.datetime(2021, 10, 1, tzinfo=tz)


def load_bulletin_2021(run: DemoRun, seed: int = 38699) -> None:
    from motcua.agencies.models import Agency

    lo, hi = _bulletin_window()
    have = Rating.objects.filter(created_at__gte=lo, created_at__lt=hi).count()
    missing = BULLETIN_RATINGS - have
    if missing < 0:
        run.log(f"Bản tin 2021 — đánh giá: đã có {have}, nhiều hơn {BULLETIN_RATINGS}; giữ nguyên")
        return
    # the one-stop desks rated: every district's and commune's, and the departments'
    agencies = list(
        Agency.objects.filter(parent__isnull=False).order_by("path").values_list("pk", flat=True)
    )
    if not agencies:
        run.log("Bản tin 2021 — đánh giá: chưa có cơ quan")
        return
    done = Rating.objects.filter(legacy_code__startswith=BULLETIN_PREFIX).count()
    levels, weights = zip(*LEVELS, strict=True)
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data
    span = int((dt.datetime(2021, 9, 15, 17, tzinfo=lo.tzinfo) - lo).total_seconds())
    rows = []
    for i in range(done, done + missing):
        level = rng.choices(levels, weights)[0]
        at = lo + dt.timedelta(seconds=rng.randrange(span))
        agency_id = agencies[rng.randrange(len(agencies))]
        rows.append(
            (None, agency_id, level.value, COMMENTS[level], Rating.Channel.KIOSK.value, None, None,
             None, at, True, f"{BULLETIN_PREFIX}{i + 1:05d}")
        )  # fmt: skip
    with transaction.atomic():
        for start in range(0, len(rows), 5000):
            ratings.write(rows[start : start + 5000])
    run.log(f"Bản tin 2021 — đánh giá hài lòng: {len(rows)} mới ({BULLETIN_RATINGS} trong kỳ)")
