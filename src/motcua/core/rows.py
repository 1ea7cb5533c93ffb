"""Lean INSERT and UPDATE of model instances, for write paths that run thousands of times.

The ORM rebuilds each statement's SQL on every call, which costs more than the database round
trip on the dossier intake path. Here the SQL of a (model, row count) is built once from the
model's metadata; values still go through each field's ``pre_save`` and ``get_db_prep_save``
(``auto_now``, JSON, time zones), so rows are stored exactly as ``Model.save()`` stores them.
No signals are sent: use it only for models that have no receivers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

from django.db import connection, models
from django.db.models import Field, Model

PREPARE_AFTER = 5  # runs of the same statement on a connection before it is prepared


@cache
def _fields(model: type[Model]) -> tuple[Field, ...]:
    return tuple(f for f in model._meta.concrete_fields if not f.primary_key)


def _quoted(model: type[Model]) -> tuple[str, str]:
    q = connection.ops.quote_name
    return q(model._meta.db_table), ", ".join(q(f.column) for f in _fields(model))


@cache
def _insert_sql(model: type[Model], n_rows: int, returning: bool) -> str:
    # identifiers come from model metadata, values are always parameters
    table, columns = _quoted(model)
    row = "(" + ", ".join(["%s"] * len(_fields(model))) + ")"
    sql = f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([row] * n_rows)  # noqa: S608
    if returning:
        sql += f" RETURNING {connection.ops.quote_name(model._meta.pk.column)}"
    return sql


@cache
def _update_sql(model: type[Model]) -> str:
    q = connection.ops.quote_name
    sets = ", ".join(f"{q(f.column)} = %s" for f in _fields(model))
    table, pk = q(model._meta.db_table), q(model._meta.pk.column)
    return f"UPDATE {table} SET {sets} WHERE {pk} = %s"  # noqa: S608 - names from metadata


# Columns of these exact types store a value of the matching plain type as it is: their
# get_db_prep_save would only check it. Everything else (dates, JSON, decimals, enums, a str
# given to an integer column) takes the field's own conversion.
_AS_IS: dict[type[Field], frozenset[type]] = {
    **dict.fromkeys((models.CharField, models.TextField, models.EmailField), frozenset({str})),
    models.BooleanField: frozenset({bool}),
    **dict.fromkeys(
        (
            models.IntegerField,
            models.SmallIntegerField,
            models.BigIntegerField,
            models.PositiveIntegerField,
            models.PositiveSmallIntegerField,
            models.PositiveBigIntegerField,
            models.AutoField,
            models.BigAutoField,
        ),
        frozenset({int}),
    ),
}
_NONE = frozenset({type(None)})


@cache
def _columns(model: type[Model]) -> tuple[tuple[Field, frozenset[type]], ...]:
    """Each column's field, with the value types it stores as they are."""
    out = []
    for f in _fields(model):
        target = f.target_field if f.is_relation else f
        plain = _AS_IS.get(type(target), frozenset())
        out.append((f, plain | _NONE if plain and f.null else plain))
    return tuple(out)


def _values(obj: Model, add: bool) -> list[Any]:
    values = []
    for f, plain in _columns(type(obj)):
        value = getattr(obj, f.attname) if plain else None
        if plain and type(value) in plain:
            values.append(value)
        else:
            values.append(f.get_db_prep_save(f.pre_save(obj, add), connection))
    return values


@cache
def _can_prepare() -> bool:
    options = connection.settings_dict.get("OPTIONS", {})
    return connection.vendor == "postgresql" and bool(options.get("server_side_binding"))


@contextmanager
def prepared() -> Iterator[None]:
    """Prepare the statements run inside that repeat (PostgreSQL with DB_PREPARED_STATEMENTS):
    PostgreSQL then plans them once per connection. Only around statements that find rows by
    key, whose one generic plan is as good as a fresh one — never around searches or lists: a
    generic plan cannot use the work queue's partial indexes (measured: seconds instead of
    15 ms). Elsewhere statements are planned for their values each time."""
    if not _can_prepare():
        yield
        return
    connection.ensure_connection()
    conn = connection.connection
    previous = conn.prepare_threshold
    if previous == PREPARE_AFTER:  # already inside
        yield
        return
    conn.prepare_threshold = PREPARE_AFTER
    try:
        yield
    finally:
        conn.prepare_threshold = previous


def insert(objs: Sequence[Model], *, returning: bool = True) -> None:
    """INSERT instances of one model in one statement; with ``returning`` their pks are set
    (leave it off for rows nobody refers to: one less result to wait for)."""
    if not objs:
        return
    model = type(objs[0])
    for obj in objs:  # as save() does: take foreign keys from related objects saved since
        obj._prepare_related_fields_for_save(operation_name="insert")
    params = [value for obj in objs for value in _values(obj, add=True)]
    with prepared(), connection.cursor() as cursor:
        cursor.execute(_insert_sql(model, len(objs), returning), params)
        ids = cursor.fetchall() if returning else ()
    for obj, (pk,) in zip(objs, ids, strict=False):
        obj.pk = pk
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias


def update(obj: Model) -> None:
    """UPDATE every column of a saved instance by its pk."""
    with prepared(), connection.cursor() as cursor:
        cursor.execute(_update_sql(type(obj)), [*_values(obj, add=False), obj.pk])


@contextmanager
def pipeline() -> Iterator[None]:
    """On PostgreSQL, send the statements run inside without waiting for their results
    (psycopg's pipeline mode): the client waits where it reads a result — a SELECT, a
    ``RETURNING`` — and once on leaving, so writes nobody reads ride along with the next wait.
    Use it inside ``transaction.atomic()``, around code that reads no ``rowcount`` (Django's
    ``save()`` of an existing row, ``QuerySet.update()``) and no ``cursor.description`` (raw
    querysets); errors surface as Django's database errors at the latest on leaving.
    Elsewhere (SQLite) statements simply run one by one."""
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    with prepared(), connection.wrap_database_errors, connection.connection.pipeline():
        yield
