"""A ``queryset.get(pk=…)`` whose SQL is built once per process.

Django builds a query's SQL again on every evaluation. For the dossier lock — six tables joined
by ``select_related`` — building took 1.3 ms against 0.3 ms for running it. ``PreparedGet``
compiles the queryset once, then runs the same SQL with another primary key and builds the
objects (``select_related`` ones included) with the ORM's own converters and populators, as
``ModelIterable`` does; the statement then also hits PostgreSQL's prepared-statement cache.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

_MARK = -7_230_508  # stands for the primary key while compiling; never a real id


@dataclass(frozen=True)
class _Plan:
    sql: str
    compiler: SQLCompiler
    converters: dict
    model: type[Model]
    init_list: list[str]
    fields: slice
    populators: list
    db: str


class PreparedGet:
    """``PreparedGet(lambda: Model.objects.select_related(…)).get(pk)`` is
    ``queryset.filter(pk=pk).first()`` (None when there is no such row). The queryset is built
    at first use, when the database is known, and must have no parameters of its own."""

    def __init__(self, build: Callable[[], QuerySet]):
        self._build = build
        self._plan: _Plan | None = None

    def _compile(self) -> _Plan:
        qs = self._build().filter(pk=_MARK)
        compiler = qs.query.get_compiler(using=qs.db)
        sql, params = compiler.as_sql()
        if list(params) != [_MARK]:
            raise ValueError("PreparedGet needs a queryset without parameters of its own")
        select, klass_info = compiler.select, compiler.klass_info
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return _Plan(
            sql=sql,
            compiler=compiler,
            converters=compiler.get_converters([column[0] for column in select]),
            model=klass_info["model"],
            init_list=[column[0].target.attname for column in select[first:last]],
            fields=slice(first, last),
            populators=get_related_populators(klass_info, select, qs.db),
            db=qs.db,
        )

    def get(self, pk: Any) -> Model | None:
        plan = self._plan or self._compile()
        self._plan = plan
        with connections[plan.db].cursor() as cursor:
            cursor.execute(plan.sql, [pk])
            rows = cursor.fetchall()
        if plan.converters:
            rows = plan.compiler.apply_converters(rows, plan.converters)
        for row in rows:
            obj = plan.model.from_db(plan.db, plan.init_list, row[plan.fields])
            for populator in plan.populators:
                populator.populate(row, obj)
            return obj
        return None
