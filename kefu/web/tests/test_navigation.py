"""The navigation per role: each item shows only to roles with its capability."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kefu.core.choices import Role
from kefu.core.tests.factories import ShopFactory
from kefu.web.navigation import nav_for
from kefu.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db


SUPERVISOR_NAV = [
    "工作台", "客服数据", "咨询记录", "订单",
    "售后", "中差评", "投诉", "买家", "话术质检",
    "客服团队", "排班", "考勤", "交接与总结", "例会", "周例会材料",
    "积分与罚款", "工资",
    "快捷短语", "商品知识", "考试",
    "管理制度", "通知",
]  # fmt: skip
# Agents see no team pages: no chats, orders, team list or meeting papers of others; their
# own figures, cases, shifts, points and pay are on the pages they do see.
AGENT_NAV = [
    "工作台", "客服数据",
    "售后", "中差评", "投诉", "买家", "话术质检",
    "排班", "考勤", "交接与总结", "例会",
    "积分与罚款", "工资",
    "快捷短语", "商品知识", "考试",
    "管理制度", "通知",
]  # fmt: skip


def labels(items):
    return [item.label for item in items]


def test_supervisor_sees_the_team():
    shop = ShopFactory()
    items = nav_for(shop=shop, role=Role.SUPERVISOR, path=f"/s/{shop.pk}/agents/")
    assert labels(items) == SUPERVISOR_NAV
    assert [item.label for item in items if item.active] == ["客服团队"]
    assert items[9].url == f"/s/{shop.pk}/agents/"
    # Every entry has its own icon, and the sections come in the order of NAV.
    assert len({item.icon for item in items}) == len(items)
    assert list(dict.fromkeys(item.section for item in items)) == [
        "今日", "售后与买家", "团队", "绩效与工资", "知识与培训", "制度",
    ]  # fmt: skip


def test_agent_does_not_see_the_team():
    shop = ShopFactory()
    items = nav_for(shop=shop, role=Role.AGENT, path=f"/s/{shop.pk}/")
    assert labels(items) == AGENT_NAV
    assert [item.label for item in items if item.active] == ["工作台"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.ADMIN, SUPERVISOR_NAV),
        (Role.FINANCE, SUPERVISOR_NAV),
        (None, []),
    ],
)
def test_other_roles(role, expected):
    shop = ShopFactory()
    assert labels(nav_for(shop=shop, role=role, path="/")) == expected


def test_rendered_navigation_per_role(team):
    team_url = reverse("web:agent_list", kwargs={"shop_id": team.shop.pk})
    dashboard = reverse("web:dashboard", kwargs={"shop_id": team.shop.pk})

    supervisor_page = client_for(team.supervisor).get(dashboard).content.decode()
    assert f'href="{team_url}"' in supervisor_page
    assert re.search(r'data-testid="current-role"[^>]*>客服主管<', supervisor_page)

    agent_page = client_for(team.agent_user).get(dashboard).content.decode()
    assert f'href="{team_url}"' not in agent_page
    assert "客服团队" not in agent_page
    assert re.search(r'data-testid="current-role"[^>]*>客服<', agent_page)


def test_shop_switcher_lists_only_the_users_shops(team):
    page = client_for(team.supervisor).get(reverse("web:dashboard", args=[team.shop.pk]))
    html = page.content.decode()
    assert html.count('data-testid="shop-option"') == 2
    assert f'href="/s/{team.other_shop.pk}/"' in html
    assert "拼多多</span>" in html

    # The agent has one shop: no switcher, the shop's name only.
    html = client_for(team.agent_user).get(f"/s/{team.shop.pk}/").content.decode()
    assert 'data-testid="shop-switcher"' not in html
    assert 'data-testid="current-shop">乐乐家居旗舰店<' in html
