"""The server-rendered pages: portal form, public answers, tracking, worklist, statistics."""

from __future__ import annotations

from motcua.feedback import services as S
from motcua.feedback.models import FeedbackItem
from tests.feedback.conftest import new_item, to_published


def test_portal_form_validates_in_vietnamese(world, client):
    page = client.get("/feedback/new/")
    assert page.status_code == 200 and "Gửi phản ánh, kiến nghị" in page.content.decode()
    reply = client.post(
        "/feedback/new/",
        {"category": "traffic", "description": "Ổ gà lớn giữa đường Nguyễn Văn Cừ.",
         "latitude": "21.02", "longitude": "105.80"},
    )  # fmt: skip
    html = reply.content.decode()
    assert reply.status_code == 200
    assert "Vị trí nằm ngoài địa bàn" in html and "số điện thoại hoặc thư điện tử" in html
    assert not FeedbackItem.objects.exists()


def test_public_answers_search_without_personal_data(world, client):
    item = S.submit(
        new_item(description="Đèn đường hỏng, gọi tôi 0901234567 hoặc an@example.vn nhé.")
    )
    hidden = S.submit(new_item(is_public=False, title="Riêng tư"))
    to_published(world, item.code)
    to_published(world, hidden.code)
    html = client.get("/feedback/answers/", {"q": "DEN DUONG hong"}).content.decode()
    assert item.code in html and hidden.code not in html
    assert "0901234567" not in html and "an@example.vn" not in html
    assert "Nguyễn Văn An" not in html
    assert item.code not in client.get("/feedback/answers/", {"q": "cap nuoc"}).content.decode()


def test_track_and_rate(world, client):
    item = S.submit(new_item(is_public=False))
    html = client.get("/feedback/track/", {"code": item.code.lower()}).content.decode()
    assert "Đã tiếp nhận" in html and "Rác thải tồn đọng" not in html  # private: no title
    to_published(world, item.code)
    html = client.get("/feedback/track/", {"code": item.code}).content.decode()
    assert "Đã chỉ đạo" not in html  # private answer needs the contact
    html = client.get(
        "/feedback/track/", {"code": item.code, "contact": "0901234567"}
    ).content.decode()
    assert "Đã chỉ đạo" in html and "Hài lòng" in html
    client.post(
        "/feedback/track/",
        {"code": item.code, "contact": "0901234567", "action": "rate", "value": "like"},
    )
    assert FeedbackItem.objects.get(pk=item.pk).rating == "like"
    html = client.get("/feedback/track/", {"code": "PA-000000-0000"}).content.decode()
    assert "Không tìm thấy phản ánh" in html


def test_worklist_scope_and_actions(world, client):
    assert client.get("/feedback/desk/").status_code == 302  # to the desk login
    client.force_login(world.citizen)
    assert client.get("/feedback/desk/").status_code == 403
    item = S.submit(new_item())
    client.force_login(world.specialist_nk)
    assert item.code not in client.get("/feedback/desk/").content.decode()
    client.force_login(world.operator)
    html = client.get("/feedback/desk/").content.decode()
    assert item.code in html
    page = client.get(f"/feedback/desk/{item.code}/").content.decode()
    assert "Chuyển cơ quan xử lý" in page and "đề xuất: Ủy ban nhân dân quận Ninh Kiều" in page
    stale = client.post(
        f"/feedback/desk/{item.code}/act/", {"action": "assign", "version": item.version + 5}
    )
    assert stale.status_code == 302
    assert FeedbackItem.objects.get(pk=item.pk).state == "received"
    client.post(f"/feedback/desk/{item.code}/act/", {"action": "assign", "version": item.version})
    assert FeedbackItem.objects.get(pk=item.pk).agency == world.district
    client.force_login(world.specialist_nk)
    assert item.code in client.get("/feedback/desk/").content.decode()


def test_statistics_page(world, client):
    S.submit(new_item())
    client.force_login(world.operator)
    html = client.get("/feedback/desk/stats/", {"by": "channel"}).content.decode()
    assert "Thống kê phản ánh" in html
    # people read labels, not the stored codes (issue 9 §5)
    assert "<td>Cổng thông tin 1022</td>" in html and "<td>portal</td>" not in html
