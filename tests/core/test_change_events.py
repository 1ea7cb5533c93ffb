"""Every change made through the reference-data services is in the append-only trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, transaction

from motcua.agencies.models import Agency
from motcua.agencies.services import merge_agencies, reparent_agency
from motcua.catalog.models import Field, Procedure
from motcua.catalog.rules import default_workflow_steps
from motcua.catalog.services import activate_workflow, new_workflow_version, set_processing_time
from motcua.core.models import ChangeEvent
from motcua.workcalendar.models import CalendarOverride
from motcua.workcalendar.services import delete_override, import_overrides, save_override


@pytest.fixture
def tree(db):
    root = Agency.objects.create(code="000.00.00.H13", name_vi="UBND thành phố", level="province")
    a = Agency.objects.create(
        code="000.01.21.H13", name_vi="UBND phường A", level="commune", parent=root
    )
    b = Agency.objects.create(
        code="000.02.21.H13", name_vi="UBND phường B", level="commune", parent=root
    )
    return root, a, b


def actions() -> list[tuple[str, str]]:
    return list(ChangeEvent.objects.order_by("pk").values_list("action", "object_type"))


def test_agency_catalog_and_calendar_changes_are_recorded(tree, django_user_model):
    root, a, b = tree
    admin = django_user_model.objects.create_user("quantri", password="x-Secret-123")
    new = Agency.objects.create(
        code="000.03.21.H13",
        name_vi="UBND phường C",
        level="commune",
        parent=root,
        valid_from=dt.date(2025, 7, 1),
    )
    merge_agencies([a, b], into=new, effective=dt.date(2025, 7, 1), actor=admin)
    reparent_agency(new, None, actor=admin)
    field = Field.objects.create(name_vi="Hộ tịch")
    p = Procedure.objects.create(
        code="1.001193",
        name_vi="Đăng ký khai sinh",
        field=field,
        at_commune=True,
        processing_amount=3,
    )
    set_processing_time(p, 5, actor=admin)  # also creates the default workflow
    draft = new_workflow_version(p, default_workflow_steps(5, "d"), actor=admin)
    activate_workflow(draft, actor=admin)
    override = save_override(
        CalendarOverride(
            date=dt.date(2030, 3, 12), kind="day_off", name="Nghỉ bù", reference="TB 1"
        ),
        actor=admin,
    )
    delete_override(override, actor=admin)
    import_overrides([{"date": "2030-03-13", "kind": "day_off", "name": "Nghỉ", "reference": "x"}])
    import_overrides([{"date": "2030-03-13", "kind": "day_off", "name": "Nghỉ", "reference": "x"}])
    assert actions() == [
        ("merge", "agencies.agency"),
        ("reparent", "agencies.agency"),
        ("set_time", "catalog.procedure"),
        ("new_version", "catalog.workflow"),
        ("activate", "catalog.workflow"),  # the default
        ("new_version", "catalog.workflow"),
        ("activate", "catalog.workflow"),
        ("save", "workcalendar.calendaroverride"),
        ("delete", "workcalendar.calendaroverride"),
        ("import", "workcalendar.calendaroverride"),  # the second, unchanged import: no event
    ]
    merge = ChangeEvent.objects.get(action="merge")
    assert merge.actor == admin and "01/07/2025" in merge.summary


def test_change_events_are_append_only(tree):
    _root, a, b = tree
    reparent_agency(b, a)
    event = ChangeEvent.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        ChangeEvent.objects.filter(pk=event.pk).update(summary="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        ChangeEvent.objects.filter(pk=event.pk).delete()
    assert ChangeEvent.objects.get(pk=event.pk).action == "reparent"
