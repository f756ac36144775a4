"""A small agency for the web tests (unit and browser): two shops, a supervisor in both, an agent
with a login, four agents with tenures that exercise every eligibility case. Built through the
services, on a fixed day, so every figure on the pages is known exactly.

`freeze_now(monkeypatch)` pins the project's clock (kefu.core.clock) to NOW, for the test and
for the live server thread alike. Django's own clock is left alone: sessions and django-axes'
lock-out windows keep real time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser

from kefu.core.choices import Platform, Role
from kefu.core.models import Agency, Shop
from kefu.core.services import agency_create, membership_grant, shop_create
from kefu.notify.services import notice_send
from kefu.policy.services import policy_adopt_preset
from kefu.staff.models import Agent
from kefu.staff.services import agent_assign, agent_create, sub_account_add, team_create

NOW = dt.datetime(2026, 11, 22, 4, 0, tzinfo=dt.UTC)  # 12:00 in Shanghai, a Sunday
TODAY = dt.date(2026, 11, 22)
POLICY_FROM = dt.date(2026, 1, 1)
PRESET = "taobao-s4-points"  # 淘宝客服管理制度+奖金（积分制）, ladder 0/3/12/24 months
OTHER_PRESET = "pdd-s3"
PASSWORD = "kefu-web-tests-1"

SHOP = "乐乐家居旗舰店"
OTHER_SHOP = "乐乐家居拼多多店"


def freeze_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kefu.core.clock.timezone", SimpleNamespace(now=lambda: NOW))


@dataclass(frozen=True)
class Scenario:
    agency: Agency
    shop: Shop
    other_shop: Shop
    supervisor: AbstractBaseUser  # supervisor in both shops
    agent_user: AbstractBaseUser  # the login of agent 王小美, role agent in `shop`
    loner: AbstractBaseUser  # a login without any shop
    agents: dict[str, Agent]


def _user(username: str, display: str) -> AbstractBaseUser:
    user: AbstractBaseUser = get_user_model().objects.create_user(  # type: ignore[attr-defined]
        username=username, password=PASSWORD, first_name=display
    )
    return user


def build(*, with_policy: bool = True) -> Scenario:
    agency = agency_create(name="乐乐家居代运营")
    shop = shop_create(agency=agency, name=SHOP, platform=Platform.TMALL)
    other_shop = shop_create(agency=agency, name=OTHER_SHOP, platform=Platform.PDD)
    supervisor = _user("zhuguan", "张主管")
    agent_user = _user("xiaomei", "王小美")
    loner = _user("newcomer", "新同事")
    for s in (shop, other_shop):
        membership_grant(shop=s, user=supervisor, role=Role.SUPERVISOR)
    membership_grant(shop=shop, user=agent_user, role=Role.AGENT)
    if with_policy:
        policy_adopt_preset(shop=shop, preset=PRESET, effective_from=POLICY_FROM, acting_user=None)
        policy_adopt_preset(
            shop=other_shop, preset=OTHER_PRESET, effective_from=POLICY_FROM, acting_user=None
        )

    team = team_create(shop=shop, name="售前一组")
    agents = {}
    # name: hire date, level, status, duty, probation end
    people = {
        "王小美": (dt.date(2025, 9, 6), "junior", "active", "pre_sales", None),
        "李娜": (dt.date(2026, 9, 6), "junior", "active", "after_sales", None),
        "赵强": (dt.date(2023, 5, 10), "veteran", "active", "pre_sales", None),
        "陈静": (dt.date(2026, 11, 2), "junior", "probation", "tracking", dt.date(2026, 12, 2)),
    }
    for name, (hired, level, status, duty, probation_end) in people.items():
        agent = agent_create(
            agency=agency,
            name=name,
            hire_date=hired,
            level=level,
            status=status,
            probation_end=probation_end,
            user=agent_user if name == "王小美" else None,
        )
        agent_assign(shop=shop, agent=agent, since=hired, duty=duty, team=team)
        sub_account_add(shop=shop, agent=agent, nickname=f"{SHOP}:{name}")
        agents[name] = agent
    # 王小美 also serves the other shop.
    agent_assign(shop=other_shop, agent=agents["王小美"], since=dt.date(2026, 3, 1))
    sub_account_add(shop=other_shop, agent=agents["王小美"], nickname=f"{OTHER_SHOP}:小美")

    notice_send(shop=shop, recipients=[supervisor], kind="info", title="欢迎使用 Kefu 客服")
    notice_send(shop=shop, recipients=[supervisor], kind="task", title="请设置本月排班")
    return Scenario(
        agency=agency,
        shop=shop,
        other_shop=other_shop,
        supervisor=supervisor,
        agent_user=agent_user,
        loner=loner,
        agents=agents,
    )
