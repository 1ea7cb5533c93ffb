"""Uploaded files in S3-compatible object storage (issue 11 §3), configuration only: the
settings S3_* select django-storages' S3 backend. Tested against a real S3 server process
(moto in server mode): an attachment stored through the normal service lands in the bucket as
a private blob, is read back only through the views that check the dossier's scope, and
`media check` works on the bucket as on a directory."""

from __future__ import annotations

import io
import urllib.error
import urllib.request
import uuid

import pytest

from motcua.core import media
from motcua.dossiers.attachments import attach
from tests.dossiers.conftest import make_world
from tests.portal.conftest import PDF, dossier_for, open_online
from tests.scale.conftest import settings_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return open_online(make_world())


@pytest.fixture
def bucket(s3_server, settings):
    """A fresh private bucket, and STORAGES as settings.py builds it from the S3_* settings."""
    name = f"motcua-{uuid.uuid4().hex[:12]}"
    s3_server.client().create_bucket(Bucket=name)
    built = settings_with(**s3_server.env(name), S3_PREFIX="media/")
    settings.STORAGES = {**settings.STORAGES, "default": built.STORAGES["default"]}
    return name


def _keys(s3_server, bucket: str) -> list[str]:
    listed = s3_server.client().list_objects_v2(Bucket=bucket)
    return [o["Key"] for o in listed.get("Contents", [])]


def test_an_attachment_is_a_private_blob_in_the_bucket_served_only_to_its_readers(
    world, bucket, s3_server, client
):
    from django.core.files.storage import storages
    from storages.backends.s3 import S3Storage

    assert isinstance(storages["default"], S3Storage)
    d = dossier_for(world)
    att = attach(d.pk, by=world.citizen1, upload=io.BytesIO(PDF), name="to-khai.pdf")
    key = f"media/{att.file.name}"
    assert att.file.name.startswith("blobs/")
    assert _keys(s3_server, bucket) == [key]
    obj = s3_server.client().get_object(Bucket=bucket, Key=key)
    assert obj["Body"].read() == PDF

    # private: no public grant, and an unsigned request for the object is refused
    grants = s3_server.client().get_object_acl(Bucket=bucket, Key=key)["Grants"]
    assert all("URI" not in g["Grantee"] for g in grants), grants  # no AllUsers/AuthUsers
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3_server.endpoint}/{bucket}/{key}", timeout=5)
    assert refused.value.code == 403

    # read back through the app's permission checks: the applicant and the officer in scope
    url = f"/ho-so/{d.code}/tep/{att.sha256[:16]}/"
    client.force_login(world.citizen1)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(world.desk_officer_a)
    desk = client.get(f"/desk/dossiers/{d.code}/files/{att.pk}/")
    assert desk.status_code == 200 and b"".join(desk.streaming_content) == PDF
    # anyone else: not found, and nothing on the page points at the bucket
    client.force_login(world.citizen2)
    assert client.get(url).status_code == 404
    client.force_login(world.desk_officer_b)
    assert client.get(f"/desk/dossiers/{d.code}/files/{att.pk}/").status_code == 404
    client.force_login(world.citizen1)
    page = client.get(f"/ho-so/{d.code}/").content.decode()
    assert s3_server.endpoint not in page and bucket not in page


def test_media_check_lists_the_bucket(world, bucket, s3_server):
    import datetime as dt

    d = dossier_for(world)
    attach(d.pk, by=world.citizen1, upload=io.BytesIO(PDF), name="to-khai.pdf")
    stray = media.store(b"%PDF-1.4 left by a transaction that died")
    report = media.collect(grace=dt.timedelta(0))
    assert [f.name for f in report.orphans] == [stray] and report.missing == []
    report = media.collect(grace=dt.timedelta(0), fix=True)
    assert [f.name for f in report.removed] == [stray]
    assert len(_keys(s3_server, bucket)) == 1
    assert media.collect(grace=dt.timedelta(0)).ok
