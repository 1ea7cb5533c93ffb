"""The statistics hook of every write path: one cheap statement in the writer's transaction.

``touch(dossier_id)`` queues the dossier for ``stats.services.refresh`` (an upsert into the
dirty table, nothing else): the aggregates are brought up to date before every read and by
``motcua stats refresh``, never on the intake's critical path (issue 10 §3: at most 10 %).
Raw SQL keeps it importable from any app without model imports, and safe inside
``core.rows.pipeline`` (it reads no result)."""

from __future__ import annotations

from django.db import connection

# DO UPDATE (not DO NOTHING): the row is then locked until the writer commits, so a refresh
# (SELECT … FOR UPDATE SKIP LOCKED) cannot drain it while the writer's change is invisible.
UPSERT_SQL = (
    "INSERT INTO stats_dirtydossier (dossier_id) VALUES (%s) "
    "ON CONFLICT (dossier_id) DO UPDATE SET dossier_id = excluded.dossier_id"
)


def touch(dossier_id: int | None) -> None:
    if dossier_id is None:
        return
    with connection.cursor() as cursor:
        cursor.execute(UPSERT_SQL, [dossier_id])
