"""The fast write path of history imports: rows built in Python, written with PostgreSQL's
``COPY … FROM STDIN`` (psycopg) or SQLite's ``executemany``, inside the caller's transaction.

Rows are tuples in the order of the given field names. Primary keys of rows that others
refer to are reserved first (``reserve_ids``) and written explicitly, so child rows (pauses,
fees, components) can be built before anything is written. No signals, no ``save()``: only
for models whose writes need nothing but their rows.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache

from django.db import connection, models
from django.db.models import Model

SQLITE_BATCH = 5000


def reserve_ids(model: type[Model], n: int) -> list[int]:
    """``n`` new primary keys of ``model``'s table, never handed out again. Call inside the
    transaction that writes them (on SQLite the write lock, taken at BEGIN IMMEDIATE, keeps
    them to this writer)."""
    if n <= 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, n],
            )
            return [row[0] for row in cursor.fetchall()]
        q = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({q(pk)}), 0) FROM {q(table)}")  # noqa: S608
        top = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()  # AUTOINCREMENT never reuses the ids of deleted rows
        start = max(top, row[0] if row else 0) + 1
    return list(range(start, start + n))


def write_objects(objs: Sequence[Model]) -> None:
    """Write unsaved instances of one model (``bulk_create`` without signals, through
    ``write``): primary keys are reserved and set on the instances first, values go through
    each field's ``pre_save`` and ``get_db_prep_save`` as ``Model.save()`` stores them."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    fields = [f for f in meta.concrete_fields]
    missing = [obj for obj in objs if obj.pk is None]
    for obj, pk in zip(missing, reserve_ids(model, len(missing)), strict=True):
        obj.pk = pk
    for obj in objs:  # foreign keys from related objects saved since, as save() does
        obj._prepare_related_fields_for_save(operation_name="bulk write")
    write(model, [f.name for f in fields], _prepared_rows(objs, fields), prepared=True)
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias


# Fields whose ``pre_save`` is the attribute and whose ``get_db_prep_save`` returns a value of
# this exact type (or None) untouched, on every backend: text, booleans, and foreign keys to
# automatic primary keys (``AutoFieldMixin`` applies no integer adaptation). Their values skip
# Django's preparation, most of the cost of a large write (38,000 objects of the demo's 1022
# feedback: 600,000 calls).
_AS_IS = {
    models.CharField: str,
    models.TextField: str,
    models.EmailField: str,
    models.SlugField: str,
    models.URLField: str,
    models.BooleanField: bool,
}
_AUTO_KEYS = (models.AutoField, models.BigAutoField, models.SmallAutoField)


def _as_is_type(field: models.Field) -> type | None:
    if type(field) is models.ForeignKey and type(field.target_field) in _AUTO_KEYS:
        return int
    return _AS_IS.get(type(field))


def _prepared_rows(objs: Sequence[Model], fields: Sequence[models.Field]) -> Iterator[list]:
    """Each object's values as ``Model.save()`` stores them (``pre_save``, then
    ``get_db_prep_save``), with the short cut above."""
    specs = [(f, f.attname, _as_is_type(f)) for f in fields]
    for obj in objs:
        row = []
        for f, attname, as_is in specs:
            if as_is is not None:
                value = getattr(obj, attname)
                if value is None or type(value) is as_is:
                    row.append(value)
                    continue
            row.append(f.get_db_prep_save(f.pre_save(obj, True), connection))
        yield row


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
COPY_CHUNK = 128  # rows per copy.write(): ~50 kB, under the socket buffer, so the server
# parses one chunk while the next is formatted (8,192-row chunks serialised client and server)


def _text(value: str) -> str:
    # COPY's text format: only backslash, tab, newline and carriage return need escaping;
    # the test is cheaper than translate() on the usual clean value
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


def _interval(value: dt.timedelta) -> str:
    return f"{value.days} days {value.seconds} seconds {value.microseconds} microseconds"


_COPY_TEXT = {
    str: _text,
    bool: lambda v: "t" if v else "f",
    int: str,
    float: repr,
    dt.datetime: lambda v: v.isoformat(" "),  # aware: the offset is written, same instant
    dt.date: dt.date.isoformat,
    dt.timedelta: _interval,
    dict: lambda v: _text(json.dumps(v, ensure_ascii=False)),
    list: lambda v: _text(json.dumps(v, ensure_ascii=False)),
    uuid.UUID: str,
    decimal.Decimal: str,
}


def _copy_value(value: object) -> str:
    """The slow path: subclasses (text choices are ``str`` enums)."""
    for kind in (bool, str, int, dt.datetime, dt.date, dt.timedelta, dict, list, float, uuid.UUID):
        if isinstance(value, kind):
            return _COPY_TEXT[kind](value)
    raise TypeError(f"no COPY text form for {type(value).__name__}")


def copy_line(row: Sequence) -> str:
    """One row in COPY's text format (tab-separated, ``\\N`` for NULL, newline-terminated)
    from the Python values ``write`` takes: str, bool, int, float, aware datetime, date,
    timedelta, dict/list (JSON), None."""
    get = _COPY_TEXT.get
    out = []
    for v in row:
        if v is None:
            out.append("\\N")
        else:
            f = get(type(v))
            out.append(f(v) if f is not None else _copy_value(v))
    return "\t".join(out) + "\n"


_INTEGER = {
    *("AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField"),
    *("SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField"),
    *("PositiveSmallIntegerField", "ForeignKey", "OneToOneField"),
}
_TEXT = {"CharField", "TextField", "SlugField", "EmailField", "URLField"}


def _any_text(value: object) -> str:
    """Text columns: ``str`` enums (text choices) go through ``str()``, their value."""
    if value is None:
        return "\\N"
    return _text(value if type(value) is str else str(value))


def _any(value: object) -> str:
    if value is None:
        return "\\N"
    if value == {} and type(value) is dict:  # the usual empty JSON object: no json.dumps
        return "{}"
    return _copy_value(value)


@lru_cache(maxsize=64)
def row_formatter(model: type[Model], fields: tuple[str, ...]) -> Callable[[Sequence], str]:
    """A function turning one row (Python values in ``fields`` order) into its COPY text
    line, generated for the columns' types: one f-string a row, the integers, booleans and
    datetimes formatted inline (a function call a value costs as much as the formatting)."""
    parts = []
    for i, name in enumerate(fields):
        field = model._meta.get_field(name)
        kind, v = field.get_internal_type(), f"v{i}"
        if kind in _INTEGER:
            expr = f"NULL if {v} is None else int({v})" if field.null else f"int({v})"
        elif kind == "BooleanField":
            expr = f"NULL if {v} is None else ('t' if {v} else 'f')"
        elif kind == "DateTimeField":  # remembered: isoformat() is the costliest value here
            expr = f"NULL if {v} is None else (SEEN.get({v}) or STAMP({v}))"
        elif kind in _TEXT:  # the usual clean str inline; None, enums, escapes through TEXT
            expr = (
                f"{v} if {v}.__class__ is str and {v}.isprintable() and BACKSLASH not in {v}"
                f" else TEXT({v})"
            )
        else:
            expr = f"ANY({v})"
        parts.append("{" + expr + "}")
    names = ", ".join(f"v{i}" for i in range(len(fields)))
    source = f'def line(row):\n    {names}, = row\n    return f"{TAB.join(parts)}{NEWLINE}"\n'
    seen: dict[dt.datetime, str] = {}

    def stamp(value: dt.datetime) -> str:
        # the same instants recur (a run's "now", a day's office hours): a dict hit costs a
        # tenth of isoformat(); bounded, so a large file cannot fill the memory
        if len(seen) >= DATETIME_MEMO:
            seen.clear()
        text = seen[value] = value.isoformat(" ")
        return text

    namespace = {
        "NULL": "\\N",
        "BACKSLASH": "\\",
        "TEXT": _any_text,
        "ANY": _any,
        "SEEN": seen,
        "STAMP": stamp,
    }
    exec(compile(source, f"<COPY {model._meta.db_table}>", "exec"), namespace)  # noqa: S102
    return namespace["line"]


DATETIME_MEMO = 50_000
TAB, NEWLINE = "\\t", "\\n"  # as written inside the generated f-string


def write(
    model: type[Model],
    fields: Sequence[str],
    rows: Iterable[Sequence],
    *,
    prepared: bool = False,
) -> int:
    """Write ``rows`` (values in ``fields`` order, Python values: aware datetimes, bools,
    dicts for JSON; or, with ``prepared``, values already through ``get_db_prep_save``) into
    ``model``'s table; returns how many. On PostgreSQL, rows not ``prepared`` are formatted
    as COPY text here (``row_formatter``) and sent in large chunks."""
    meta = model._meta
    columns = [meta.get_field(name).column for name in fields]
    q = connection.ops.quote_name
    names = ", ".join(q(c) for c in columns)
    table = q(meta.db_table)
    json_at = (
        []
        if prepared
        else [
            i
            for i, name in enumerate(fields)
            if meta.get_field(name).get_internal_type() == "JSONField"
        ]
    )
    count = 0
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with connection.cursor() as outer:
            raw = outer.cursor  # psycopg's cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                if prepared:
                    for row in rows:
                        if json_at:
                            row = list(row)
                            for i in json_at:
                                row[i] = json.dumps(row[i], ensure_ascii=False)
                        copy.write_row(row)
                        count += 1
                    return count
                # our own text format, written in large chunks: psycopg's write_row per row
                # costs a Python call and a small buffer write per row
                line = row_formatter(model, tuple(fields))
                lines: list[str] = []
                for row in rows:
                    lines.append(line(row))
                    if len(lines) >= COPY_CHUNK:
                        copy.write("".join(lines))
                        count += len(lines)
                        lines = []
                if lines:
                    copy.write("".join(lines))
                    count += len(lines)
        return count
    prepare = [None] * len(fields) if prepared else _sqlite_preparers(model, fields)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - names from metadata
    batch: list[list] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append([p(v) if p else v for p, v in zip(prepare, row, strict=True)])
            if len(batch) >= SQLITE_BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _sqlite_preparers(model: type[Model], fields: Sequence[str]) -> list:
    """Per column: None (stored as it is) or the field's own conversion (datetimes to UTC
    text, durations to microseconds, JSON to text), as ``Model.save()`` would store them."""
    out = []
    for name in fields:
        field = model._meta.get_field(name)
        kind = field.get_internal_type()
        if kind in (
            "DateTimeField",
            "DurationField",
            "JSONField",
            "DateField",
            "UUIDField",
            "DecimalField",
        ):
            out.append(lambda v, f=field: None if v is None else f.get_db_prep_save(v, connection))
        else:
            out.append(None)
    return out


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
