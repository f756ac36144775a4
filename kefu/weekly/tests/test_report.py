"""The weekly meeting report: what each part holds for a chosen week, the page, and the xlsx
and PDF exports."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from kefu.aftersales.models import Case
from kefu.aftersales.services import case_fault_record, case_open
from kefu.complaints.services import (
    complaint_confirm,
    complaint_record,
    complaint_step_record,
)
from kefu.core.models import Shop
from kefu.performance.services import fact_record
from kefu.reviews.models import Review
from kefu.reviews.services import review_contact_record, review_progress_set
from kefu.staff.models import Agent
from kefu.weekly.selectors import week_report

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2026, 3, 2)


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)  # type: ignore[misc]


@pytest.fixture
def week(shop: Shop, agent: Agent) -> None:
    """A week with one case of each part, and one of each just outside the week."""
    case = case_open(
        shop=shop, type="missing_items", buyer_nick="小鹿", agent=agent,
        acting_user=None, now=local(2026, 3, 3, 9, 0),
    )  # fmt: skip
    case_fault_record(
        shop=shop, case=case, party="warehouse", acting_user=None, now=local(2026, 3, 3, 9, 30)
    )
    case_open(
        shop=shop, type="late_delivery", buyer_nick="上周", acting_user=None,
        now=local(2026, 2, 28, 9, 0),
    )  # fmt: skip
    inside = Review.objects.create(
        shop=shop, platform_review_id="R1", order_no="B1", buyer_nick="阿杰", rating="bad",
        content="少发了一件", rated_at=local(2026, 3, 4, 20, 0), severity="severe", source="csv",
    )  # fmt: skip
    review_contact_record(
        shop=shop, review=inside, channel="sms", outcome="sent", at=local(2026, 3, 5, 10, 0),
        acting_user=None,
    )  # fmt: skip
    review_progress_set(shop=shop, review=inside, progress="changed", acting_user=None)
    Review.objects.create(
        shop=shop, platform_review_id="R0", order_no="B0", buyer_nick="旧评价", rating="bad",
        content="差", rated_at=local(2026, 3, 9, 0, 0), severity="severe", source="csv",
    )  # fmt: skip
    complaint = complaint_record(
        shop=shop, received_at=local(2026, 3, 8, 23, 59), channel="chat", subject="态度差",
        content="反问买家", buyer_nick="小鹿", agent=agent, acting_user=None,
    )  # fmt: skip
    for step in ("identify", "investigate", "follow_up"):
        complaint_step_record(
            shop=shop, complaint=complaint, step=step, note="记录", acting_user=None
        )
    complaint_confirm(
        shop=shop, complaint=complaint, valid=True, agent_at_fault=True, result="属实",
        acting_user=None,
    )  # fmt: skip
    fact_record(
        shop=shop, agent=agent, key="handover_missing", occurred_at=local(2026, 3, 6, 17, 30),
        source="worklog", source_ref="handover_missing:test",
        evidence={"shift_label": "白班"},
    )  # fmt: skip


def test_report_contents(shop: Shop, week: None) -> None:
    case_label = Case.objects.get(shop=shop, buyer_nick="小鹿").label
    report = week_report(shop=shop, week_start=dt.date(2026, 3, 4))  # any day of the week
    assert (report.week_start, report.week_end) == (MONDAY, dt.date(2026, 3, 8))
    parts = {s.key: s for s in report.sections}
    assert list(parts) == ["aftersales", "reviews", "complaints", "handover"]
    assert [r[:6] for r in parts["aftersales"].rows] == [
        ("03-03 09:00", case_label, "", "小鹿", "慧兰", "仓库/发货"),
    ]
    assert parts["aftersales"].summary == [("仓库/发货", "1")]
    assert parts["reviews"].rows == [
        ("03-04 20:00", "阿杰", "", "差评：少发了一件", "严重", "已发送短信", "已删除/修改", ""),
    ]
    assert parts["reviews"].summary == [("已删除/修改", "1")]
    assert parts["complaints"].rows == [
        ("03-08 23:59", "态度差", "小鹿", "慧兰", "确认结果", "有效，客服责任", ""),
    ]
    assert parts["complaints"].summary == [
        ("本周收到", "1"), ("有效投诉", "1"), ("其中客服责任", "1"), ("回访平均满意度", "—"),
    ]  # fmt: skip
    assert parts["handover"].rows == [("2026-03-06", "慧兰", "交接本未填写", "白班")]
    assert all(not s.missing for s in report.sections)


def test_page_and_xlsx(supervisor: Client, agent_client: Client, shop: Shop, week: None) -> None:
    base = reverse("weekly:report", kwargs={"shop_id": shop.pk})
    html = supervisor.get(base + "?week=2026-03-02").content.decode()
    assert "2026-03-02 至 2026-03-08" in html and "阿杰" in html and "交接本未填写" in html
    assert agent_client.get(base).status_code == 403  # team material: supervisors
    response = supervisor.get(
        reverse("weekly:xlsx", kwargs={"shop_id": shop.pk}) + "?week=2026-03-02"
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["售后问题与责任方", "中差评跟进", "投诉", "交接问题"]
    rows = [list(r) for r in book["中差评跟进"].iter_rows(values_only=True)]
    assert rows[0][0] == f"{shop.name} 周例会材料 2026-03-02 至 2026-03-08"
    assert rows[1] == ["已删除/修改", "1"] + [None] * 6
    assert rows[4][:2] == ["03-04 20:00", "阿杰"]


def test_pdf_export(supervisor: Client, shop: Shop, week: None) -> None:
    url = reverse("weekly:pdf", kwargs={"shop_id": shop.pk}) + "?week=2026-03-02"
    response = supervisor.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert b"STSong-Light" in response.content  # the Chinese font is embedded by name
