"""After-sales cases: each of the six types through its path on the dongyao-s4 policy (S4.4),
the deadlines, photos, the chat log read, the weekly meeting, and who may see and act."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from kefu.aftersales import selectors, services
from kefu.aftersales.choices import CaseStatus
from kefu.aftersales.models import Case, CaseEvent, Photo
from kefu.aftersales.tests.conftest import OPENED, SH, login
from kefu.aftersales.tests.images import JPEG, PDF, PNG
from kefu.conversations.models import Buyer, Conversation
from kefu.core.errors import InvalidInput
from kefu.core.models import AuditEntry
from kefu.orders.models import ImportBatch, Order

pytestmark = pytest.mark.django_db


def later(hours: float) -> dt.datetime:
    return OPENED + dt.timedelta(hours=hours)


def open_case(shop, agent, type: str, **kwargs) -> Case:  # type: ignore[no-untyped-def]
    return services.case_open(
        shop=shop, type=type, agent=agent, acting_user=None, now=OPENED, **kwargs
    )


def step(shop, case, *indexes: int) -> None:  # type: ignore[no-untyped-def]
    for index in indexes:
        services.case_step_done(shop=shop, case=case, index=index, acting_user=None, now=later(1))


def test_a_case_takes_its_path_and_deadlines_from_the_policy(shop, agent) -> None:
    batch = ImportBatch.objects.create(shop=shop, file_name="a.csv", sha256="0", kind="x")
    order = Order.objects.create(
        shop=shop, order_no="3001", status="finished", buyer_nick="tb_王", batch=batch
    )
    case = open_case(shop, agent, "missing_items", order_no="3001", description="少了一个杯盖")
    assert (case.label, case.order, case.buyer_nick) == ("少发货、缺货", order, "tb_王")
    assert case.buyer == Buyer.objects.get(shop=shop, nickname="tb_王")
    assert case.steps == [
        "致歉",
        "核查聊天记录、后台订单、分包单号、员工失误",
        "责任在我：手写面单立即补发并发优惠券",
        "信息无误：请买家拍照，再次致歉补发",
    ]
    assert case.remedies_allowed == ["apology", "reship", "coupon"]
    assert (case.photo_evidence, case.weekly_meeting, case.policy_version) == (True, True, 1)
    assert case.clause == "S4.4 §4.1③（时限：Kefu 默认）"
    # missing items: first action within 2 hours, resolved within 3 days.
    assert case.first_action_due == later(2)
    assert case.resolve_due == later(72)
    assert CaseEvent.objects.get(case=case).kind == "opened"
    assert AuditEntry.objects.filter(shop=shop, action="aftersales.case_open").count() == 1


def test_bad_input_to_open_a_case_is_named(shop, agent) -> None:
    with pytest.raises(InvalidInput, match="本店没有订单 999"):
        open_case(shop, agent, "late_delivery", order_no="999")
    with pytest.raises(InvalidInput, match="未知的售后类型：lost"):
        open_case(shop, agent, "lost")


def test_not_as_expected_apology_then_compensation(shop, agent) -> None:
    case = open_case(shop, agent, "not_as_expected", buyer_nick="甲")
    with pytest.raises(InvalidInput) as failed:
        services.case_resolve(shop=shop, case=case, resolution="compensation", acting_user=None)
    assert failed.value.details == [
        "还没有完成任何处理步骤（先联系买家，如致歉）",
        "请先判定责任方",
    ]
    case.refresh_from_db()
    assert (case.status, case.resolution) == (CaseStatus.OPEN, "")
    step(shop, case, 0, 1)
    assert case.status == CaseStatus.IN_PROGRESS and case.first_action_at == later(1)
    services.case_fault_record(shop=shop, case=case, party="product", acting_user=None)
    services.case_resolve(
        shop=shop, case=case, resolution="compensation", acting_user=None, now=later(30)
    )
    assert (case.status, case.resolved_at) == (CaseStatus.RESOLVED, later(30))
    with pytest.raises(InvalidInput, match="已解决"):
        step(shop, case, 2)


def test_service_unhappy_reads_the_chat_log_from_the_case(shop, agent) -> None:
    case = open_case(shop, agent, "service_unhappy", buyer_nick="乙")
    buyer = Buyer.objects.get(shop=shop, nickname="乙")
    chat = Conversation.objects.create(shop=shop, buyer=buyer, day=dt.date(2026, 3, 1))
    step(shop, case, 0)
    services.case_fault_record(
        shop=shop, case=case, party="staff", note="回复生硬", acting_user=None
    )
    with pytest.raises(InvalidInput, match="请先查看该买家的聊天记录"):
        services.case_resolve(shop=shop, case=case, resolution="exchange", acting_user=None)

    page = login(agent.user).get(reverse("aftersales:chat", args=[shop.pk, case.pk]))
    assert page.status_code == 200
    case.refresh_from_db()
    assert case.chat_read_at is not None
    # The supervisor's view of the same page links each chat day to the conversation view.
    from kefu.core.choices import Role
    from kefu.core.tests.factories import MembershipFactory

    boss = login(MembershipFactory(shop=shop, role=Role.SUPERVISOR).user)
    listing = boss.get(reverse("aftersales:chat", args=[shop.pk, case.pk])).content.decode()
    assert reverse("conversations:detail", args=[shop.pk, chat.pk]) in listing
    services.case_resolve(shop=shop, case=case, resolution="exchange", acting_user=None)
    assert case.status == CaseStatus.RESOLVED


def test_missing_items_ours_reship_with_coupon(shop, agent) -> None:
    case = open_case(shop, agent, "missing_items", buyer_nick="丙")
    step(shop, case, 0, 1, 2)
    services.case_chat_read(shop=shop, case=case, acting_user=None)
    services.case_fault_record(shop=shop, case=case, party="warehouse", acting_user=None)
    with pytest.raises(InvalidInput, match="责任在我方：补发的同时请发放优惠券"):
        services.case_resolve(shop=shop, case=case, resolution="reship", acting_user=None)
    services.case_resolve(shop=shop, case=case, resolution="reship", coupon=True, acting_user=None)
    assert (case.resolution, case.coupon) == ("reship", True)


def test_late_delivery_records_the_courier(shop, agent) -> None:
    case = open_case(shop, agent, "late_delivery", buyer_nick="丁")
    step(shop, case, 0, 1, 2)
    services.case_fault_record(shop=shop, case=case, party="courier", acting_user=None)
    services.case_resolve(shop=shop, case=case, resolution="explanation", acting_user=None)
    assert case.get_party_at_fault_display() == "快递"


def test_damaged_in_transit_signed_needs_a_photo(shop, agent) -> None:
    case = open_case(shop, agent, "damaged_in_transit", buyer_nick="戊")
    step(shop, case, 0)
    services.case_fault_record(
        shop=shop, case=case, party="courier", signed_for=True, acting_user=None
    )
    with pytest.raises(InvalidInput, match="需要买家提供的照片"):
        services.case_resolve(shop=shop, case=case, resolution="compensation", acting_user=None)
    services.case_photo_add(shop=shop, case=case, data=JPEG, name="破损.jpg", acting_user=None)
    services.case_resolve(shop=shop, case=case, resolution="compensation", acting_user=None)
    assert case.status == CaseStatus.RESOLVED


def test_quality_problem_photo_then_judgement(shop, agent, media: Path) -> None:
    case = open_case(shop, agent, "quality_problem", buyer_nick="己")
    photo = services.case_photo_add(
        shop=shop, case=case, data=PNG, name="开线.png", acting_user=None, now=later(2)
    )
    assert (photo.content_type, photo.size, photo.original_name) == (
        "image/png",
        len(PNG),
        "开线.png",
    )
    stored = media / photo.file.name
    assert stored.read_bytes() == PNG
    assert photo.file.name == f"aftersales/{shop.pk}/{case.pk}/{photo.sha256[:16]}.png"
    step(shop, case, 0, 1, 2)
    services.case_fault_record(shop=shop, case=case, party="product", acting_user=None)
    services.case_resolve(shop=shop, case=case, resolution="return", acting_user=None)
    assert case.status == CaseStatus.RESOLVED


def test_photo_checks_name_the_file_and_store_nothing(shop, agent, media: Path) -> None:
    case = open_case(shop, agent, "quality_problem", buyer_nick="庚")
    with pytest.raises(InvalidInput, match=r"^发票\.jpg：不是图片"):
        services.case_photo_add(shop=shop, case=case, data=PDF, name="发票.jpg", acting_user=None)
    services.case_photo_add(shop=shop, case=case, data=PNG, name="a.png", acting_user=None)
    with pytest.raises(InvalidInput, match=r"b\.png：这张照片已经上传过"):
        services.case_photo_add(shop=shop, case=case, data=PNG, name="b.png", acting_user=None)
    assert Photo.objects.filter(case=case).count() == 1

    client = login(agent.user)
    url = reverse("aftersales:photo_upload", args=[shop.pk, case.pk])
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("大图.jpg", JPEG + b"\x00" * (10 * 1024 * 1024), "image/jpeg")
    page = client.post(url, {"photo": big}, follow=True).content.decode()
    assert "大图.jpg：文件太大（10.0 MB），照片最大 10 MB" in page
    fake = SimpleUploadedFile("x.png", PDF, "image/png")
    page = client.post(url, {"photo": fake}, follow=True).content.decode()
    assert "x.png：不是图片（只接受 JPEG、PNG、GIF、WebP 格式）" in page
    assert Photo.objects.filter(case=case).count() == 1
    served = client.get(
        reverse("aftersales:photo", args=[shop.pk, case.pk, Photo.objects.get(case=case).pk])
    )
    assert served["Content-Type"] == "image/png"
    assert served.content == PNG


def test_deadlines_overdue_and_the_weekly_meeting(shop, agent) -> None:
    slow = open_case(shop, agent, "late_delivery", buyer_nick="辛")  # 2 h, 3 days
    quick = open_case(shop, agent, "not_as_expected", buyer_nick="壬")  # 24 h, 7 days
    step(shop, quick, 0)
    at = later(3)
    assert selectors.case_deadlines(slow, now=at).first_action_overdue is True
    assert selectors.case_deadlines(quick, now=at).overdue is False
    assert list(selectors.cases_overdue(shop=shop, now=at)) == [slow]
    assert list(selectors.cases_overdue(shop=shop, now=later(24 * 8))) == [quick, slow]
    week = selectors.cases_for_weekly_meeting(
        shop=shop, start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 8)
    )
    assert [c.pk for c in week] == [slow.pk, quick.pk]
    assert not selectors.cases_for_weekly_meeting(
        shop=shop, start=dt.date(2026, 3, 9), end=dt.date(2026, 3, 15)
    ).exists()


def test_agents_open_and_work_only_their_own_cases(shop, agent, other_agent) -> None:
    client = login(agent.user)
    response = client.post(
        reverse("aftersales:new", args=[shop.pk]),
        {"type": "late_delivery", "buyer_nick": "癸", "description": "五天没到"},
    )
    case = Case.objects.get(shop=shop)
    assert response.status_code == 302
    assert (case.agent, case.created_by) == (agent, agent.user)
    page = client.get(reverse("aftersales:case", args=[shop.pk, case.pk])).content.decode()
    assert "查原因：发货延迟、地址不详、快递问题" in page
    assert 'data-testid="step-0"' in page
    client.post(reverse("aftersales:step", args=[shop.pk, case.pk]), {"step": "0"})
    case.refresh_from_db()
    assert case.steps_done == [0]

    other = login(other_agent.user)
    assert other.get(reverse("aftersales:case", args=[shop.pk, case.pk])).status_code == 404
    assert (
        other.post(reverse("aftersales:step", args=[shop.pk, case.pk]), {"step": "1"}).status_code
        == 404
    )
    listing = other.get(reverse("aftersales:list", args=[shop.pk])).content.decode()
    assert f"#{case.pk}<" not in listing


def test_a_resolve_refused_in_the_page_shows_every_reason(shop, agent) -> None:
    case = open_case(shop, agent, "damaged_in_transit", buyer_nick="子")
    client = login(agent.user)
    page = client.post(
        reverse("aftersales:resolve", args=[shop.pk, case.pk]),
        {"resolution": "compensation"},
        follow=True,
    ).content.decode()
    for reason in ("还没有完成任何处理步骤", "请先判定责任方", "请先确认买家是否已签收"):
        assert reason in page
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert case.opened_at == OPENED.astimezone(SH)
