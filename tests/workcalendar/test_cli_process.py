"""``motcua workdays`` as an operator runs it: the installed entry point in a process of its
own, on a SQLite file of its own (tests/migrated.py). It never touches the pass's test database,
so it is database-free and runs in one pass of ``make test`` only (tests/conftest.py)."""

from tests.migrated import run_motcua


def test_real_process_imports_then_computes(tmp_path, migrated_sqlite):
    """The installed entry point, on its own SQLite database (migrated by ``motcua migrate``
    once per session, tests/migrated.py): import, check, due."""

    def motcua(*args, stdin=""):
        return run_motcua(migrated_sqlite, *args, cwd=tmp_path, stdin=stdin, timeout=120)

    csv = tmp_path / "o.csv"
    csv.write_text("date,kind,name,reference\n2025-06-03,day_off,Nghỉ thử,TB\n", "utf-8")
    imported = motcua("workdays", "import", str(csv))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "created: 1, updated: 0, unchanged: 0"
    checked = motcua("workdays", "check", stdin="2025-06-03\nnot-a-date\n2025-04-26\n")
    assert checked.returncode != 0
    assert checked.stdout.splitlines() == ["2025-06-03 off", "2025-04-26 working"]
    assert "dòng 2: ngày không hợp lệ" in checked.stderr
    due = motcua("workdays", "due", "2025-06-02T15:01", "0d")
    assert (due.returncode, due.stdout.strip()) == (0, "2025-06-04T17:00:00+07:00")
    bad = tmp_path / "bad.csv"
    bad.write_text("date,kind,name,reference\n2025-06-09,day_off,,\n", "utf-8")
    refused = motcua("workdays", "import", str(bad))
    assert refused.returncode != 0
    assert "dòng 2: thiếu giá trị cột name" in refused.stderr
