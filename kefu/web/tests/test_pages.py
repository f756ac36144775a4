"""The shell's pages: the dashboard (empty and with a team), the team list, an agent's page,
the no-shop page, the error pages and the English version."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.test import Client

from kefu.core.choices import Platform, Role
from kefu.core.services import agency_create, membership_grant, shop_create
from kefu.web import selectors
from kefu.web.tests import scenario
from kefu.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db


def text(response) -> str:  # type: ignore[no-untyped-def]
    """The page's visible text with the tags dropped and the white space squeezed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def empty_shop(frozen):
    """A shop with its supervisor and nothing else: no policy, no agents, no notices."""
    agency = agency_create(name="新代运营")
    shop = shop_create(agency=agency, name="新开的小店", platform=Platform.JD)
    user = get_user_model().objects.create_user(username="boss", password="x-long-password")
    membership_grant(shop=shop, user=user, role=Role.SUPERVISOR)
    return shop, client_for(user)


def test_dashboard_of_an_empty_shop(db, empty_shop):
    shop, client = empty_shop
    response = client.get(f"/s/{shop.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert "今天是 2026年11月22日" in page
    assert "在岗客服 0 人" in page
    assert "尚未设置管理制度" in page
    assert "去设置管理制度" in page
    assert "未读通知 0 条" in page
    assert "还没有业务数据" in page
    assert "导入平台导出的数据后，工作台会在这里显示：" in page
    for topic in ("排班", "考勤", "咨询数据", "订单", "售后与评价", "绩效"):
        assert topic in page
    # No data, no chart (and no ECharts download).
    assert "chart-levels" not in response.content.decode()
    assert "echarts.min.js" not in response.content.decode()


def test_dashboard_with_a_team(team):
    response = client_for(team.supervisor).get(f"/s/{team.shop.pk}/")
    page = text(response)
    assert "在岗客服 4 人" in page
    assert "淘宝客服管理制度+奖金（积分制） 第 1 版 2026年1月1日 起生效" in page
    assert "未读通知 2 条" in page
    chart = re.search(
        r'<script id="chart-levels" type="application/json">(.*?)</script>',
        response.content.decode(),
    )
    assert chart is not None
    assert json.loads(chart.group(1)) == {
        "kind": "bar",
        "categories": ["初级客服", "资深客服"],
        "values": [3, 1],
    }


def test_dashboard_selector_counts_working_agents_only(team):
    agent = team.agents["李娜"]
    agent.status = "left"
    agent.save()
    board = selectors.dashboard_get(shop=team.shop, user=team.supervisor, with_levels=True)
    assert board.agent_count == 3
    assert [(lv.label, lv.count) for lv in board.levels] == [("初级客服", 2), ("资深客服", 1)]
    assert board.policy == selectors.PolicySummary(
        name="淘宝客服管理制度+奖金（积分制）", version=1, effective_from=scenario.POLICY_FROM
    )
    assert scenario.POLICY_FROM.isoformat() == "2026-01-01"


def test_agent_sees_the_dashboard_without_team_links(team):
    response = client_for(team.agent_user).get(f"/s/{team.shop.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert "本店当前在岗的客服人数" in page
    assert "查看客服团队" not in page
    assert "未读通知 0 条" in page  # the supervisor's notices are not the agent's
    # The head count, but not the team's make-up.
    assert "在岗客服 4 人" in page
    assert "客服级别分布" not in page
    assert "chart-levels" not in response.content.decode()


def test_team_list(team):
    response = client_for(team.supervisor).get(f"/s/{team.shop.pk}/agents/")
    assert response.status_code == 200
    page = text(response)
    assert "共 4 人" in page
    rows = re.findall(r"<tr>(.*?)</tr>", response.content.decode(), flags=re.S)[1:]
    squeezed = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip() for r in rows]
    assert squeezed == [
        "李娜 售后 售前一组 初级客服 2 个月 2026年9月6日 入职 在职 "
        "2026年12月6日 满足“中级客服” 乐乐家居旗舰店:李娜",
        "王小美 售前 售前一组 初级客服 14 个月 2025年9月6日 入职 在职 "
        "可晋升“高级客服” 乐乐家居旗舰店:王小美",
        "赵强 售前 售前一组 资深客服 42 个月 2023年5月10日 入职 在职 "
        "已是最高级别 乐乐家居旗舰店:赵强",
        "陈静 查件 售前一组 初级客服 0 个月 2026年11月2日 入职 试用期 "
        "2027年2月2日 满足“中级客服” 乐乐家居旗舰店:陈静",
    ]


def test_agent_page(team):
    agent = team.agents["王小美"]
    response = client_for(team.supervisor).get(f"/s/{team.shop.pk}/agents/{agent.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert "入职14个月，已满足“高级客服”条件（S4.5）" in page
    assert "入职日期 2025年9月6日" in page
    assert "司龄 14 个月" in page
    assert "试用期结束 —" in page
    assert "岗位 售前" in page
    assert "小组 售前一组" in page
    assert "同时服务的其他店铺 1 家" in page
    assert "乐乐家居旗舰店:王小美" in page
    assert "乐乐家居拼多多店:小美" not in page  # the other shop's sub-account is not this shop's
    ladder = re.sub(r"\s+", " ", page.split("级别与晋升资格", 1)[1].split("子账号", 1)[0])
    assert ladder.startswith(
        " 入职14个月，已满足“高级客服”条件（S4.5） "
        "初级客服 当前级别 入职即可 2025年9月6日 已满足 "
        "中级客服 入职满 3 个月 2025年12月6日 已满足 "
        "高级客服 可晋升 入职满 12 个月 2026年9月6日 已满足 "
        "资深客服 入职满 24 个月 将于2027年9月6日满足 "
        "依据制度条款：S4.5 一、二(一) 中级满3个月，高级满1年，资深满2年；试用期一个月"
    )


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("李娜", "入职2个月，将于2026年12月6日满足“中级客服”条件"),
        ("赵强", "入职42个月，已是最高级别“资深客服”"),
        ("陈静", "入职0个月，将于2027年2月2日满足“中级客服”条件"),
    ],
)
def test_eligibility_sentences(team, name, sentence):
    agent = team.agents[name]
    page = text(client_for(team.supervisor).get(f"/s/{team.shop.pk}/agents/{agent.pk}/"))
    assert sentence in page


def test_probation_end_is_shown(team):
    agent = team.agents["陈静"]
    page = text(client_for(team.supervisor).get(f"/s/{team.shop.pk}/agents/{agent.pk}/"))
    assert "试用期结束 2026年12月2日" in page


def test_team_pages_without_a_policy(db, frozen):
    team = scenario.build(with_policy=False)
    client = client_for(team.supervisor)
    listing = text(client.get(f"/s/{team.shop.pk}/agents/"))
    assert "尚未设置管理制度" in listing
    assert "王小美 售前 售前一组 junior 14 个月" in listing
    agent = team.agents["王小美"]
    detail = text(client.get(f"/s/{team.shop.pk}/agents/{agent.pk}/"))
    assert "尚未设置管理制度，无法计算晋升资格。" in detail
    assert "司龄 14 个月" in detail


def test_agents_never_see_team_pages(team):
    client = client_for(team.agent_user)
    other = team.agents["李娜"]
    for url in (f"/s/{team.shop.pk}/agents/", f"/s/{team.shop.pk}/agents/{other.pk}/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "没有权限查看此页面" in text(response)


def test_an_agent_of_another_shop_is_not_found(team):
    stranger = team.agents["赵强"]  # serves team.shop only
    response = client_for(team.supervisor).get(f"/s/{team.other_shop.pk}/agents/{stranger.pk}/")
    assert response.status_code == 404
    assert "页面不存在" in text(response)


def test_a_shop_of_someone_else_is_not_found(team):
    response = client_for(team.agent_user).get(f"/s/{team.other_shop.pk}/")
    assert response.status_code == 404


def test_user_without_a_shop(team):
    response = client_for(team.loner).get("/")
    assert response.status_code == 200
    page = text(response)
    assert "新同事，你还没有加入任何店铺" in page
    assert "退出登录" in page


def test_anonymous_users_go_to_the_login_page():
    response = Client().get("/s/1/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/s/1/"


def test_500_page_renders_without_a_request():
    html = render_to_string("500.html")
    assert "服务器出错了" in html
    assert "csrfmiddlewaretoken" not in html  # no language form without a CSRF token
    assert "/static/dist/tabler/css/tabler.min.css" in html


def test_english(team, english_catalog):
    client = client_for(team.supervisor)
    switched = client.post("/i18n/setlang/", {"language": "en", "next": f"/s/{team.shop.pk}/"})
    assert switched.status_code == 302
    dashboard = client.get(f"/s/{team.shop.pk}/")
    assert 'lang="en"' in dashboard.content.decode()
    page = text(dashboard)
    for label in ("Dashboard", "Team", "Policy", "Notifications", "Supervisor", "Sign out"):
        assert label in page, label
    assert "Today is Nov 22, 2026" in page
    assert "No business data yet" in page
    assert "工作台" not in page

    agent = team.agents["王小美"]
    detail = text(client.get(f"/s/{team.shop.pk}/agents/{agent.pk}/"))
    assert "14 months since joining; meets the requirements for “高级客服” (S4.5)" in detail
    listing = text(client.get(f"/s/{team.shop.pk}/agents/"))
    assert "4 agents" in listing


def test_messages_show_as_alerts(team, rf):
    request = rf.get("/")
    request.user = team.supervisor
    html = render_to_string(
        "web/base.html",
        {"messages": [Message(constants.ERROR, "导入失败：第3行缺少订单号")]},
        request=request,
    )
    assert 'class="alert alert-danger alert-dismissible"' in html
    assert "导入失败：第3行缺少订单号" in html
