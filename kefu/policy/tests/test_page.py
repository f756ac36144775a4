"""The policy page: the policy in force in Chinese, its version and the history with audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kefu.core.choices import Role
from kefu.core.tests.factories import MembershipFactory, ShopFactory
from kefu.policy.services import policy_adopt_preset, policy_set_value

pytestmark = pytest.mark.django_db


def page(client, membership):
    client.force_login(membership.user)
    return client.get(reverse("policy:page", kwargs={"shop_id": membership.shop.pk}))


def test_page_shows_the_policy_in_force_with_clauses_and_history(client):
    membership = MembershipFactory(role=Role.AGENT, user__username="lan")
    shop = membership.shop
    policy_adopt_preset(
        shop=shop,
        preset="taobao-s4-fines",
        effective_from=dt.date(2025, 1, 1),
        acting_user=membership.user,
    )
    policy_set_value(
        shop=shop,
        path="fines.rules.0.amounts.0",
        value="40",
        effective_from=dt.date(2025, 2, 1),
        acting_user=membership.user,
    )
    policy_set_value(
        shop=shop,
        path="weekly_summary.min_chars",
        value=300,
        effective_from=dt.date(2099, 1, 1),
        acting_user=membership.user,
    )
    response = page(client, membership)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="version-number">v2</span>' in html
    assert 'data-testid="effective-from">2025-02-01</span>' in html
    assert "交接本未填写：第1次罚款¥40，第2次¥50，第3次¥80，之后扣发当月工资、视为自动离职" in html
    assert (
        '<span class="badge bg-secondary-lt text-wrap text-end" title="条款">S4.1 §1 交接</span>'
        in html
    )
    for title in (
        "排班",
        "考勤",
        "交接与报告",
        "响应",
        "订单",
        "售后",
        "评价",
        "投诉",
        "话术",
        "罚款",
        "积分",
        "奖励",
        "级别与薪资",
    ):
        assert f'<h3 class="card-title">{title}</h3>' in html
    # History: v3 waits for 2099, v2 is in force, v1 is replaced; audit rows name path and values.
    assert html.count("待生效") == 1 and html.count("生效中") == 1 and html.count("已被替代") == 1
    assert "<code>fines.rules.0.amounts</code>" in html
    assert "<code>[&quot;30&quot;, &quot;50&quot;, &quot;80&quot;]</code> → " in html
    assert "<code>weekly_summary.min_chars</code></td>" in html
    assert "<code>200</code> → <code>300</code>" in html
    assert "<td>lan</td>" in html


def test_page_without_a_policy_lists_the_presets(client):
    membership = MembershipFactory(role=Role.SUPERVISOR, shop__name="乐乐家居")
    response = page(client, membership)
    assert response.status_code == 200
    html = response.content.decode()
    assert "店铺「乐乐家居」还没有管理制度，请先选用一个制度模板" in html
    assert "<code>taobao-s4-points</code> 淘宝客服管理制度+奖金（积分制）" in html
    assert "还没有任何版本" in html


def test_page_of_another_shop_is_404(client):
    membership = MembershipFactory()
    other = ShopFactory()
    client.force_login(membership.user)
    response = client.get(reverse("policy:page", kwargs={"shop_id": other.pk}))
    assert response.status_code == 404
