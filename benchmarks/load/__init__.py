"""The load-test suite of issue 11 §1 (``make loadtest``; entry point ``benchmarks/loadtest.py``).

Modules: ``cluster`` (its own PostgreSQL cluster, kept between runs), ``servers`` (Redis and
gunicorn as production runs them, sessions), ``scenarios`` (what is requested and what each
page must contain), ``wrk`` (single endpoints), ``mixed`` + ``locustfile`` (the mixed profile),
``pgbench`` (the database's own floor), ``report`` (tables, goals, files) and ``runner``.
"""
