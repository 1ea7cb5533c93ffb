"""Feedback events are append-only (the database refuses UPDATE and DELETE), and the default
category tree exists from the start (editable afterwards)."""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION feedback_event_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'feedback events are append-only (' || TG_OP || ' refused)',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER feedback_event_append_only
    BEFORE UPDATE OR DELETE ON feedback_feedbackevent
    FOR EACH ROW EXECUTE FUNCTION feedback_event_refuse();
CREATE TRIGGER feedback_event_no_truncate
    BEFORE TRUNCATE ON feedback_feedbackevent
    FOR EACH STATEMENT EXECUTE FUNCTION feedback_event_refuse();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS feedback_event_no_truncate ON feedback_feedbackevent;
DROP TRIGGER IF EXISTS feedback_event_append_only ON feedback_feedbackevent;
DROP FUNCTION IF EXISTS feedback_event_refuse();
"""
SQLITE_UP = [
    "CREATE TRIGGER feedback_event_no_update BEFORE UPDATE ON feedback_feedbackevent "
    "BEGIN SELECT RAISE(ABORT, 'feedback events are append-only (UPDATE refused)'); END;",
    "CREATE TRIGGER feedback_event_no_delete BEFORE DELETE ON feedback_feedbackevent "
    "BEGIN SELECT RAISE(ABORT, 'feedback events are append-only (DELETE refused)'); END;",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS feedback_event_no_update;",
    "DROP TRIGGER IF EXISTS feedback_event_no_delete;",
]

DEFAULT_CATEGORIES = [
    ("urban-order", "Trật tự đô thị"),
    ("environment", "Môi trường, vệ sinh"),
    ("traffic", "Giao thông"),
    ("infrastructure", "Hạ tầng kỹ thuật"),
    ("administrative-procedures", "Thủ tục hành chính"),
    ("officials-conduct", "Thái độ, hành vi của cán bộ, công chức"),
    ("other", "Khác"),
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def add_categories(apps, schema_editor):
    Category = apps.get_model("feedback", "Category")
    for position, (code, name) in enumerate(DEFAULT_CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={"name_vi": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": [PG_UP], "sqlite": SQLITE_UP}),
            _run({"postgresql": [PG_DOWN], "sqlite": SQLITE_DOWN}),
        ),
        migrations.RunPython(add_categories, migrations.RunPython.noop),
    ]
