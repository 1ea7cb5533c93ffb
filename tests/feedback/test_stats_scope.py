"""/feedback/desk/stats/ counts only the feedback an officer may see (issue 10 §4: it used to
show the whole province to any officer)."""

from __future__ import annotations

from motcua.feedback import services as S
from motcua.feedback.models import FeedbackItem
from tests.feedback.conftest import new_item


def _assign_directly(world, code: str, agency) -> None:
    S.assign(code, by=world.operator)
    FeedbackItem.objects.filter(code=code).update(agency=agency)


def test_statistics_are_scoped_to_the_officers_agencies(world, client):
    mine = S.submit(new_item(title="Rác ở Cái Khế"))
    other = S.submit(new_item(category="traffic", title="Đèn giao thông"))
    _assign_directly(world, mine.code, world.district)
    _assign_directly(world, other.code, world.transport)

    client.force_login(world.specialist_nk)
    html = client.get("/feedback/desk/stats/", {"by": "agency"}).content.decode()
    assert "Ủy ban nhân dân quận Ninh Kiều" in html
    assert "Sở Giao thông vận tải" not in html
    by_channel = client.get("/feedback/desk/stats/", {"by": "channel"}).content.decode()
    # the total row counts one item (the district's), not the province's two
    assert "<tr><th>Tổng</th><th>1</th>" in by_channel.replace("\n", "")

    # the 1022 centre's operator sees everything received at the centre
    client.force_login(world.operator)
    html = client.get("/feedback/desk/stats/", {"by": "agency"}).content.decode()
    assert "Ủy ban nhân dân quận Ninh Kiều" in html and "Sở Giao thông vận tải" in html
