"""The complaint register: the policy's steps in order, confirmation, valid complaints per agent
per natural month as facts, the return visit's satisfaction score, and the pages."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from kefu.complaints.models import Complaint
from kefu.complaints.selectors import valid_by_agent
from kefu.complaints.services import (
    complaint_confirm,
    complaint_record,
    complaint_return_visit,
    complaint_step_record,
    next_step,
)
from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.performance.models import Fact
from kefu.staff.models import Agent

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)  # type: ignore[misc]


def record(shop: Shop, agent: Agent | None, at: dt.datetime, subject: str = "态度差") -> Complaint:
    return complaint_record(
        shop=shop,
        received_at=at,
        channel="chat",
        subject=subject,
        content="买家说客服回复很冲",
        buyer_nick="小鹿",
        order_no="T100",
        agent=agent,
        acting_user=None,
    )


def to_confirm(shop: Shop, complaint: Complaint) -> None:
    complaint_step_record(
        shop=shop, complaint=complaint, step="identify", note="", acting_user=None
    )
    complaint_step_record(
        shop=shop,
        complaint=complaint,
        step="investigate",
        note="聊天记录里有反问句",
        acting_user=None,
    )
    complaint_step_record(
        shop=shop, complaint=complaint, step="follow_up", note="致歉并补偿优惠券", acting_user=None
    )


def confirm_valid(shop: Shop, agent: Agent, at: dt.datetime) -> Complaint:
    complaint = record(shop, agent, at)
    to_confirm(shop, complaint)
    return complaint_confirm(
        shop=shop, complaint=complaint, valid=True, agent_at_fault=True, result="属实",
        acting_user=None,
    )  # fmt: skip


def test_steps_follow_the_policy_in_order(shop: Shop, agent: Agent) -> None:
    complaint = record(shop, agent, local(2026, 3, 2, 10, 0))
    assert next_step(shop=shop, complaint=complaint) == "identify"
    with pytest.raises(InvalidInput) as caught:
        complaint_step_record(
            shop=shop, complaint=complaint, step="archive", note="", acting_user=None
        )
    assert caught.value.message == "下一步应是「确定投诉事件」，不是「归档」"
    to_confirm(shop, complaint)
    assert complaint.cause == "聊天记录里有反问句"
    with pytest.raises(InvalidInput) as caught:
        complaint_confirm(
            shop=shop, complaint=complaint, valid=False, agent_at_fault=True, result="x",
            acting_user=None,
        )  # fmt: skip
    assert caught.value.message == "无效投诉不能记客服责任"
    complaint_confirm(
        shop=shop, complaint=complaint, valid=False, agent_at_fault=False, result="买家误会",
        acting_user=None,
    )  # fmt: skip
    complaint_step_record(shop=shop, complaint=complaint, step="archive", note="", acting_user=None)
    complaint_step_record(
        shop=shop, complaint=complaint, step="analyse", note="更新话术", acting_user=None
    )
    with pytest.raises(InvalidInput) as caught:
        complaint_return_visit(shop=shop, complaint=complaint, satisfaction=6, acting_user=None)
    assert caught.value.message == "满意度是 1 到 5 分，收到 6"
    with pytest.raises(InvalidInput) as caught:  # dongyao-s4 keeps an evaluation form
        complaint_return_visit(shop=shop, complaint=complaint, satisfaction=4, acting_user=None)
    assert caught.value.message == "本店制度要求填写客户评价单：请写下客户的评价"
    complaint_return_visit(
        shop=shop, complaint=complaint, satisfaction=4, evaluation="处理及时", acting_user=None
    )
    complaint.refresh_from_db()
    assert (complaint.step, complaint.satisfaction, complaint.valid) == ("return_visit", 4, False)
    assert complaint.closed and complaint.archived_at is not None
    assert list(complaint.events.values_list("step", flat=True)) == [
        "record", "identify", "investigate", "follow_up", "confirm", "archive", "analyse",
        "return_visit",
    ]  # fmt: skip
    assert next_step(shop=shop, complaint=complaint) is None
    assert not Fact.objects.filter(shop=shop).exists()  # not valid: no fact


def test_valid_complaints_become_facts_per_natural_month(shop: Shop, agent: Agent) -> None:
    first = confirm_valid(shop, agent, local(2026, 3, 1, 0, 30))  # 2026-02-28 16:30 UTC
    second = confirm_valid(shop, agent, local(2026, 3, 31, 23, 50))
    april = confirm_valid(shop, agent, local(2026, 4, 1, 0, 5))
    facts = Fact.objects.filter(shop=shop, key="complaint_valid").order_by("occurred_at")
    assert [(f.local_date, f.evidence["month"], f.evidence["nth_in_month"]) for f in facts] == [
        (dt.date(2026, 3, 1), "2026-03", 1),
        (dt.date(2026, 3, 31), "2026-03", 2),
        (dt.date(2026, 4, 1), "2026-04", 1),
    ]
    assert [f.source_ref for f in facts] == [
        f"complaint:{first.pk}",
        f"complaint:{second.pk}",
        f"complaint:{april.pk}",
    ]
    assert {f.agent for f in facts} == {agent}
    assert facts[0].evidence["order_no"] == "T100"
    march = valid_by_agent(shop=shop, month=dt.date(2026, 3, 15))
    assert [(r.agent_name, r.complaints, r.valid_at_fault) for r in march] == [("慧兰", 2, 2)]


def test_register_pages(supervisor: Client, agent_client: Client, shop: Shop, agent: Agent) -> None:
    base = reverse("complaints:list", kwargs={"shop_id": shop.pk})
    response = supervisor.post(
        reverse("complaints:new", kwargs={"shop_id": shop.pk}),
        {
            "received_at": "2026-03-02T10:00",
            "channel": "phone",
            "subject": "发错货",
            "content": "买家收到的颜色不对",
            "agent": agent.pk,
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get(shop=shop)
    assert complaint.received_at == local(2026, 3, 2, 10, 0)
    step_url = reverse("complaints:step", kwargs={"shop_id": shop.pk, "complaint_id": complaint.pk})
    supervisor.post(step_url, {"step": "identify", "note": "确认是发错颜色"})
    complaint.refresh_from_db()
    assert complaint.step == "identify"
    assert "发错货" in supervisor.get(base + "?state=all").content.decode()
    # The agent sees the complaint about them, read-only.
    assert "发错货" in agent_client.get(base).content.decode()
    assert agent_client.post(step_url, {"step": "investigate", "note": "x"}).status_code == 403
