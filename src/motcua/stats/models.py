"""The statistics engine's tables: one fact row per dossier, daily counters, the processing-
time histogram (for medians), and the dirty queue the write path fills (docs/statistics.md).

These are derived data: ``motcua stats rebuild`` recomputes them all from the raw records.
No foreign keys to the raw tables: the counters must never block a write to a dossier or an
agency (and a rebuild truncates them freely)."""

from __future__ import annotations

from django.db import models

from motcua.stats.aggregates import COLUMNS


class DossierFact(models.Model):  # noqa: DJ008 - derived rows, never shown
    """``stats.facts.Fact`` of one dossier as last applied to the counters."""

    dossier_id = models.BigIntegerField(primary_key=True)
    agency_id = models.BigIntegerField()
    procedure_id = models.BigIntegerField()
    channel = models.CharField(max_length=20)
    officer_id = models.BigIntegerField(null=True)
    submitted_day = models.DateField()
    received_day = models.DateField(null=True)
    ended_day = models.DateField(null=True)
    end_kind = models.CharField(max_length=10, blank=True)
    end_class = models.CharField(max_length=8, blank=True)
    processing_cwd = models.IntegerField(null=True)
    segments = models.JSONField(default=list)  # [["YYYY-MM-DD", "w"|"o"], …]
    online = models.BooleanField(default=False)
    online_ok = models.BooleanField(default=False)
    fee_bearing = models.BooleanField(default=False)
    fee_nonzero = models.BooleanField(default=False)
    paid_online = models.BooleanField(default=False)
    digitised = models.BooleanField(default=False)
    e_result = models.BooleanField(default=False)
    reused = models.BooleanField(default=False)
    popdata = models.BooleanField(default=False)
    synced = models.BooleanField(default=False)
    negative = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # received_only mode and drill-downs read facts by agency and reception day
            models.Index(fields=["agency_id", "received_day"], name="stats_fact_recv"),
            models.Index(fields=["agency_id", "ended_day"], name="stats_fact_end"),
        ]


class DailyCounter(models.Model):  # noqa: DJ008
    """Per agency, procedure and day: event counts and status deltas (stats.aggregates)."""

    agency_id = models.BigIntegerField()
    procedure_id = models.BigIntegerField()
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency_id", "procedure_id", "day"], name="stats_day_key"
            )
        ]
        indexes = [models.Index(fields=["day", "agency_id"], name="stats_day_agency")]


class MonthlyCounter(models.Model):  # noqa: DJ008
    """The same counters summed per calendar month (``day`` = the month's first day): a
    period's whole months and the status balances before it are read here, 30× fewer rows;
    only the partial months at a period's edges are read from the daily rows."""

    agency_id = models.BigIntegerField()
    procedure_id = models.BigIntegerField()
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency_id", "procedure_id", "day"], name="stats_month_key"
            )
        ]
        indexes = [models.Index(fields=["day", "agency_id"], name="stats_month_agency")]


for _col in COLUMNS:
    DailyCounter.add_to_class(_col, models.BigIntegerField(default=0))
    MonthlyCounter.add_to_class(_col, models.BigIntegerField(default=0))


class WdHistogram(models.Model):  # noqa: DJ008
    """Settled dossiers per end day by processing time (``cwd``: hundredths of a working day,
    in steps of 10, i.e. the median is exact to 0.1 working day)."""

    agency_id = models.BigIntegerField()
    procedure_id = models.BigIntegerField()
    day = models.DateField()
    cwd = models.IntegerField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency_id", "procedure_id", "day", "cwd"], name="stats_hist_key"
            )
        ]


class MonthlyHistogram(models.Model):  # noqa: DJ008
    """``WdHistogram`` summed per calendar month (``day`` = the month's first day)."""

    agency_id = models.BigIntegerField()
    procedure_id = models.BigIntegerField()
    day = models.DateField()
    cwd = models.IntegerField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency_id", "procedure_id", "day", "cwd"], name="stats_mhist_key"
            )
        ]


class DirtyDossier(models.Model):  # noqa: DJ008
    """A dossier whose raw records changed since its fact was applied (filled by
    ``stats.hooks.touch`` in the writer's transaction, drained by ``services.refresh``)."""

    dossier_id = models.BigIntegerField(primary_key=True)
