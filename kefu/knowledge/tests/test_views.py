"""The pages end to end: what a new agent and a supervisor do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kefu.core.models import Shop
from kefu.knowledge import services
from kefu.knowledge.models import Attempt, Exam, ExamFact, QuickPhrase
from kefu.policy.services import policy_adopt_preset
from kefu.staff.models import Agent

pytestmark = pytest.mark.django_db


def _url(name: str, shop: Shop, **kwargs: int) -> str:
    return reverse(f"knowledge:{name}", kwargs={"shop_id": shop.pk, **kwargs})


def test_an_agent_finds_selling_points_and_the_bargaining_reply_in_two_clicks(
    shop: Shop, agent_client: Client
) -> None:
    services.quick_phrases_seed(shop=shop, acting_user=None)
    product = services.product_save(
        shop=shop,
        product=None,
        values={"name": "保温杯", "selling_points": "316不锈钢\n保温12小时"},
        acting_user=None,
    )
    dashboard = agent_client.get(reverse("web:dashboard", kwargs={"shop_id": shop.pk}))
    nav = [item.url for item in dashboard.context["nav_items"]]
    # Click 1: 商品知识 in the navigation; click 2: the product card.
    assert _url("products", shop) in nav
    products = agent_client.get(_url("products", shop)).content.decode()
    assert _url("product", shop, product_id=product.pk) in products
    page = agent_client.get(_url("product", shop, product_id=product.pk)).content.decode()
    assert "316不锈钢" in page and "保温12小时" in page
    # Click 1: 快捷短语; click 2: the 议价 group.
    assert _url("phrases", shop) in nav
    assert "?group=%E8%AE%AE%E4%BB%B7" in agent_client.get(_url("phrases", shop)).content.decode()
    bargaining = agent_client.get(_url("phrases", shop), {"group": "议价"})
    assert [p.group for p in bargaining.context["phrases"]] == ["议价", "议价"]


def test_copy_counts_a_use_through_htmx(shop: Shop, agent_client: Client) -> None:
    phrase, _ = services.quick_phrase_create(
        shop=shop, group="问候", text="您好，在的哦", acting_user=None
    )
    response = agent_client.post(
        _url("phrase_use", shop, phrase_id=phrase.pk), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "用过 1 次" in response.content.decode()
    assert QuickPhrase.objects.get().use_count == 1


def test_agents_cannot_edit_phrases(shop: Shop, agent_client: Client) -> None:
    assert agent_client.get(_url("phrase_new", shop)).status_code == 403


def test_the_supervisor_saving_a_banned_phrase_sees_why(shop: Shop, supervisor: Client) -> None:
    response = supervisor.post(
        _url("phrase_new", shop), {"group": "售后", "text": "这不是我们的问题，亲"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["text"] == [
        "短语未保存：含有禁用语“这不是我们的问题”（S4.3 §5.5 严禁使用以下词语）"
    ]
    assert not QuickPhrase.objects.exists()


def test_import_and_export(shop: Shop, supervisor: Client) -> None:
    upload = SimpleUploadedFile("千牛.csv", "分组,短语\n议价,亲，领券更划算哦\n".encode())
    response = supervisor.post(_url("phrase_import", shop), {"file": upload}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["导入完成：新增 1 条，更新 0 条"]
    exported = supervisor.get(_url("phrase_export", shop), {"format": "csv"})
    assert (
        exported.content.decode("utf-8-sig") == "分组,快捷编码,短语\r\n议价,,亲，领券更划算哦\r\n"
    )
    bad = SimpleUploadedFile("坏.csv", "分组,短语\n议价,\n".encode())
    response = supervisor.post(_url("phrase_import", shop), {"file": bad}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "文件未导入：坏.csv 第2行 B列：短语为空"
    ]


def test_the_supervisor_runs_an_exam_and_its_result_flows_into_points(
    shop: Shop, supervisor: Client, agent: Agent, agent_client: Client
) -> None:
    policy_adopt_preset(
        shop=shop, preset="taobao-s4-points", effective_from=dt.date(2026, 2, 1), acting_user=None
    )
    supervisor.post(_url("exam_create", shop), {"title": "10月考试"})
    exam = Exam.objects.get()
    add = _url("question_add", shop, exam_id=exam.pk)
    response = supervisor.post(
        add,
        {"kind": "single", "text": "买家嫌贵？", "marks": 10, "options": "送券\n不理"},
        follow=True,
    )
    assert "这道题没有正确答案：请至少标出一个正确选项" in [
        str(m) for m in response.context["messages"]
    ]
    supervisor.post(
        add, {"kind": "single", "text": "买家嫌贵？", "marks": 10, "options": "*送券\n不理"}
    )
    supervisor.post(add, {"kind": "short", "text": "写一句告别语", "marks": 10})
    supervisor.post(_url("exam_status", shop, exam_id=exam.pk), {"action": "open"})
    single, short = list(exam.questions.all())
    right = single.choices.get(correct=True)
    take = _url("exam_take", shop, exam_id=exam.pk)
    assert agent_client.get(take).status_code == 200
    agent_client.post(take, {f"q{single.pk}": str(right.pk), f"q{short.pk}": "再见，亲"})
    attempt = Attempt.objects.get(agent=agent)
    supervisor.post(
        _url("attempt_mark", shop, exam_id=exam.pk, attempt_id=attempt.pk), {f"m{short.pk}": "10"}
    )
    fact = ExamFact.objects.get()
    assert (fact.agent, fact.fact, fact.clause) == (agent, "exam_full_marks", "S4.5 加分2")
    page = supervisor.get(_url("exams", shop)).content.decode()
    assert "S4.5 加分2" in page
