"""The "past one machine" settings (issue 11 §3) are configuration only: with none of them set,
settings.py builds exactly the embedded default `make run` uses (SQLite, local files,
in-process cache, sessions and counters in the database, no router); each one switches on
its part."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.scale.conftest import settings_with


def test_the_embedded_default_is_unchanged(tmp_path):
    s = settings_with(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert set(s.DATABASES) == {"default"}
    assert s.DATABASE_ROUTERS == []
    assert not hasattr(s, "CACHES")  # Django's default: the in-process cache
    assert not hasattr(s, "SESSION_ENGINE")  # Django's default: sessions in the database
    assert s.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert s.MOTCUA_REDIS_URL == "" and s.MOTCUA_TRUSTED_PROXIES == []


def test_redis_and_object_storage_by_configuration(tmp_path):
    s = settings_with(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL="redis://cache.internal:6379/2",
        S3_BUCKET="motcua-files",
        S3_ENDPOINT_URL="https://s3.internal",
    )
    assert s.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert s.CACHES["default"]["LOCATION"] == "redis://cache.internal:6379/2"
    assert s.SESSION_ENGINE == "django.contrib.sessions.backends.cache"
    storage = s.STORAGES["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "motcua-files"
    assert storage["OPTIONS"]["default_acl"] is None  # never a public ACL
    assert storage["OPTIONS"]["querystring_auth"] is True  # never an unsigned URL


def test_pool_and_replicas_share_the_primary_connection_options():
    s = settings_with(
        DATABASE_URL="postgres://motcua@db1:5432/motcua",
        DATABASE_REPLICA_URLS="postgres://motcua@db2:5432/motcua,postgres://motcua@db3/motcua",
        DB_POOL_MAX_SIZE="8",
        DB_PREPARED_STATEMENTS="false",
    )
    assert list(s.DATABASES) == ["default", "replica1", "replica2"]
    assert s.DATABASE_ROUTERS == ["motcua.core.replicas.ReplicaRouter"]
    primary, replica = s.DATABASES["default"], s.DATABASES["replica2"]
    assert primary["CONN_MAX_AGE"] == 0 and replica["CONN_MAX_AGE"] == 0  # the pool keeps them
    assert primary["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 8, "timeout": 10}
    assert "server_side_binding" not in primary["OPTIONS"]
    assert replica["HOST"] == "db3" and replica["OPTIONS"] == primary["OPTIONS"]
    assert replica["OPTIONS"]["pool"] is not primary["OPTIONS"]["pool"]
    assert replica["TEST"] == {"MIRROR": "default"}
    assert "lock_timeout" in replica["OPTIONS"]["options"]


def test_replicas_need_postgresql_the_pool_is_postgresqls_only(tmp_path):
    sqlite = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    with pytest.raises(ImproperlyConfigured, match="needs PostgreSQL"):
        settings_with(DATABASE_URL=sqlite, DATABASE_REPLICA_URLS="postgres://x@db2/m")
    # ignored on SQLite, as DB_PREPARED_STATEMENTS is (a command run with a SQLite URL from an
    # environment meant for PostgreSQL still works)
    s = settings_with(DATABASE_URL=sqlite, DB_POOL_MAX_SIZE="4")
    assert "pool" not in s.DATABASES["default"]["OPTIONS"]
