from __future__ import annotations

import datetime as dt

import pytest

from kefu.core.errors import InvalidInput
from kefu.core.tests.factories import AgentFactory, ShopFactory
from kefu.staff.selectors import agents_of_shop
from kefu.staff.services import agent_assign, agent_create, sub_account_add, team_create

pytestmark = pytest.mark.django_db


def test_an_agent_serving_two_shops_shows_in_both_and_nowhere_else() -> None:
    tmall = ShopFactory(name="乐乐家居旗舰店")
    pdd = ShopFactory(agency=tmall.agency, name="乐乐家居拼多多店")
    stranger = ShopFactory()
    agent = agent_create(
        agency=tmall.agency, name="小美", hire_date=dt.date(2025, 3, 1), level="junior"
    )
    agent_assign(shop=tmall, agent=agent, since=dt.date(2025, 3, 1))
    agent_assign(shop=pdd, agent=agent, since=dt.date(2025, 6, 1))
    assert list(agents_of_shop(shop=tmall)) == [agent]
    assert list(agents_of_shop(shop=pdd)) == [agent]
    assert list(agents_of_shop(shop=stranger)) == []
    assert agent.level_since == dt.date(2025, 3, 1)


def test_assignments_stay_inside_the_agency_and_the_shop() -> None:
    shop = ShopFactory()
    outsider = AgentFactory()  # another agency
    with pytest.raises(InvalidInput, match="belongs to another agency"):
        agent_assign(shop=shop, agent=outsider, since=dt.date(2026, 1, 1))
    own = AgentFactory(agency=shop.agency)
    other_team = team_create(shop=ShopFactory(agency=shop.agency), name="售后组")
    with pytest.raises(InvalidInput, match="is not a team of shop"):
        agent_assign(shop=shop, agent=own, since=dt.date(2026, 1, 1), team=other_team)


def test_sub_accounts_map_one_nickname_to_one_agent_per_shop() -> None:
    shop = ShopFactory(name="乐乐家居旗舰店")
    mei = AgentFactory(agency=shop.agency, name="小美")
    lan = AgentFactory(agency=shop.agency, name="慧兰")
    with pytest.raises(InvalidInput, match="does not serve shop"):
        sub_account_add(shop=shop, agent=mei, nickname="乐乐家居旗舰店:小美")
    agent_assign(shop=shop, agent=mei, since=dt.date(2026, 1, 1))
    agent_assign(shop=shop, agent=lan, since=dt.date(2026, 1, 1))
    first = sub_account_add(shop=shop, agent=mei, nickname=" 乐乐家居旗舰店:小美 ")
    assert first.nickname == "乐乐家居旗舰店:小美"
    assert sub_account_add(shop=shop, agent=mei, nickname="乐乐家居旗舰店:小美") == first
    with pytest.raises(InvalidInput, match="already belongs to 小美"):
        sub_account_add(shop=shop, agent=lan, nickname="乐乐家居旗舰店:小美")


def test_probation_cannot_end_before_the_hire_date() -> None:
    shop = ShopFactory()
    with pytest.raises(InvalidInput, match="probation_end 2026-01-01 is before hire_date"):
        agent_create(
            agency=shop.agency,
            name="浩然",
            hire_date=dt.date(2026, 2, 1),
            level="junior",
            probation_end=dt.date(2026, 1, 1),
        )


def test_supervisors_are_told_once_when_tenure_allows_a_higher_level() -> None:
    from kefu.core.choices import Role
    from kefu.core.tests.factories import MembershipFactory
    from kefu.notify.models import Notice
    from kefu.policy.services import policy_adopt_preset
    from kefu.staff.services import promotion_reviews_send

    shop = ShopFactory()
    policy_adopt_preset(
        shop=shop, preset="taobao-s4-points", effective_from=dt.date(2026, 1, 1), acting_user=None
    )
    boss = MembershipFactory(shop=shop, role=Role.SUPERVISOR).user
    MembershipFactory(shop=shop, role=Role.AGENT)
    lin = agent_create(
        agency=shop.agency, name="小琳", hire_date=dt.date(2026, 7, 10), level="junior"
    )
    new = agent_create(
        agency=shop.agency, name="子涵", hire_date=dt.date(2026, 10, 1), level="junior"
    )
    for agent in (lin, new):
        agent_assign(shop=shop, agent=agent, since=agent.hire_date)

    assert promotion_reviews_send(shop=shop, on=dt.date(2026, 10, 9)) == []
    assert promotion_reviews_send(shop=shop, on=dt.date(2026, 10, 10)) == ["小琳"]
    assert promotion_reviews_send(shop=shop, on=dt.date(2026, 10, 11)) == []
    [notice] = Notice.objects.filter(shop=shop)
    assert notice.recipient == boss
    assert notice.title == "小琳 已满足“中级客服”级别条件"
    assert notice.body == "入职 3 个月，当前级别“初级客服”。请评估是否晋级。"
    assert notice.link == f"/s/{shop.pk}/agents/{lin.pk}/"
