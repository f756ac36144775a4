"""The review pages: the table, one review, the import page and the 中差评记录表 export."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kefu.core.models import Shop
from kefu.performance.models import Fact
from kefu.reviews.export import HEADERS
from kefu.reviews.models import Review
from kefu.reviews.services import review_contact_record, review_progress_set
from kefu.staff.models import Agent

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")

CSV = (
    "评价ID,订单号,买家,联系电话,商品,评价结果,评价内容,评价时间\n"
    "R1,1001,小王,13812341234,保温杯,差评,杯盖漏水,2026-03-04 10:00:00\n"
    "R2,1002,小李,,收纳袋,中评,发货慢,2026-03-04 11:00:00\n"
    "R3,1003,小张,,收纳袋,好评,不错,2026-03-04 12:00:00\n"
)


def url(shop: Shop, name: str, **kwargs: int) -> str:
    return reverse(f"reviews:{name}", kwargs={"shop_id": shop.pk, **kwargs})


def upload(supervisor: Client, shop: Shop) -> None:
    file = SimpleUploadedFile("评价.csv", CSV.encode(), content_type="text/csv")
    response = supervisor.post(url(shop, "import"), {"file": file})
    assert response.status_code == 302


def test_import_then_table_severe_first(supervisor: Client, shop: Shop) -> None:
    upload(supervisor, shop)
    page = supervisor.get(url(shop, "list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("小王") < html.index("小李")  # severe before medium
    assert "小张" not in html  # a good review needs nothing: not in the to-do table
    assert "13812341234" in html  # the supervisor sees the phone


def test_agent_sees_masked_phone_and_only_own_or_untaken(
    supervisor: Client, agent_client: Client, shop: Shop, agent: Agent
) -> None:
    upload(supervisor, shop)
    other = Agent.objects.create(
        agency=shop.agency, name="别人", hire_date=dt.date(2025, 1, 1), level="junior",
        level_since=dt.date(2025, 1, 1),
    )  # fmt: skip
    other.assignments.create(shop=shop, since=dt.date(2025, 1, 1))
    taken = Review.objects.get(shop=shop, platform_review_id="R2")
    taken.handler = other
    taken.save()
    html = agent_client.get(url(shop, "list")).content.decode()
    assert "138****1234" in html and "13812341234" not in html
    assert "小李" not in html
    assert agent_client.get(url(shop, "detail", review_id=taken.pk)).status_code == 404
    assert agent_client.get(url(shop, "import")).status_code == 403


def test_contact_and_progress_through_the_page(
    agent_client: Client, supervisor: Client, shop: Shop, agent: Agent
) -> None:
    upload(supervisor, shop)
    review = Review.objects.get(shop=shop, platform_review_id="R1")
    response = agent_client.post(
        url(shop, "contact", review_id=review.pk),
        {"channel": "chat", "outcome": "sent", "link": "https://rate.taobao.com/x"},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.handler) == ("contacting", agent)
    agent_client.post(
        url(shop, "progress", review_id=review.pk),
        {"progress": "promised", "promised_by": "2026-03-08"},
    )
    review.refresh_from_db()
    assert review.promised_by == dt.date(2026, 3, 8)
    detail = agent_client.get(url(shop, "detail", review_id=review.pk))
    assert "旺旺留言" in detail.content.decode()


def test_supervisor_marks_the_agent_at_fault(supervisor: Client, shop: Shop, agent: Agent) -> None:
    upload(supervisor, shop)
    review = Review.objects.get(shop=shop, platform_review_id="R1")
    supervisor.post(url(shop, "fault", review_id=review.pk), {"agent": agent.pk})
    assert Fact.objects.filter(shop=shop, key="bad_review_by_agent", agent=agent).count() == 1


def test_export_is_shaped_like_the_seed_table(supervisor: Client, shop: Shop, agent: Agent) -> None:
    upload(supervisor, shop)
    review = Review.objects.get(shop=shop, platform_review_id="R1")
    review_contact_record(
        shop=shop, review=review, channel="sms", outcome="sent", handler=agent, acting_user=None
    )
    review_progress_set(
        shop=shop, review=review, progress="promised", promised_by=dt.date(2026, 3, 8),
        acting_user=None,
    )  # fmt: skip
    response = supervisor.get(url(shop, "export") + "?status=all")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == list(HEADERS)
    assert rows[0][:8] == [
        "时间", "旺旺ID", "联系电话", "购买物品", "评价内容", "严重程度", "处理状态", "进展状况",
    ]  # fmt: skip
    assert rows[1][:8] == [
        "2026-03-04 10:00", "小王", "13812341234", "保温杯", "杯盖漏水", "严重", "已发送短信",
        "答应03月08日修改",
    ]  # fmt: skip
    assert [r[1] for r in rows[1:]] == ["小王", "小李", "小张"]
