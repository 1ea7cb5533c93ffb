"""The 1022 reporter hears that the answer is published: e-mail with the tracking link, SMS
with the code and status only."""

from __future__ import annotations

import pytest

from motcua.feedback import services as F
from motcua.notifications import rules as R
from motcua.notifications.models import Notification
from tests.feedback.conftest import make_world as feedback_world
from tests.feedback.conftest import new_item, to_published


@pytest.fixture
def fworld(db, settings):
    settings.MOTCUA_FEEDBACK_CENTRE_CODE = "000.00.01.H13"
    return feedback_world()


def test_the_reporter_hears_the_answer_is_published(
    fworld, channels, settle, django_capture_on_commit_callbacks
):
    smtp, gateway = channels
    item = F.submit(new_item(reporter_email="an@example.vn"))
    with django_capture_on_commit_callbacks(execute=True):
        to_published(fworld, item.code)
    settle()
    ((rcpts, mail),) = smtp.messages
    assert rcpts == ["an@example.vn"]
    assert mail["Subject"].strip() == f"Phản ánh {item.code} đã được trả lời"
    assert f"/feedback/track/?code={item.code}" in mail.get_content()
    (sms,) = gateway.received
    assert sms == {
        "to": "84901234567",
        "text": f"Phan anh {item.code}: da tra loi.",
        "sender": "MOTCUA",
        "ref": sms["ref"],
    }
    assert set(
        Notification.objects.filter(feedback__code=item.code).values_list("event", "status")
    ) == {(R.FEEDBACK_ANSWERED, R.SENT)}
