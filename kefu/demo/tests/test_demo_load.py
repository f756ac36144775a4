from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from kefu.core.choices import Role
from kefu.core.models import Membership, Shop
from kefu.demo.people import DEMO_PASSWORD
from kefu.demo.services import demo_load
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Agent, Assignment, SubAccount
from kefu.staff.selectors import agent_rows

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 22)


def test_the_demo_agency_has_two_shops_twelve_agents_and_every_role() -> None:
    result = demo_load(today=TODAY)
    assert result.created is True
    tmall, pdd = result.shops
    assert (tmall.name, tmall.platform, pdd.name, pdd.platform) == (
        "乐乐家居旗舰店",
        "tmall",
        "乐乐家居拼多多店",
        "pdd",
    )
    assert Agent.objects.filter(agency=result.agency).count() == 12
    both = Agent.objects.filter(assignments__shop=tmall).filter(assignments__shop=pdd)
    assert sorted(both.values_list("name", flat=True)) == ["小美", "雨欣"]
    assert Assignment.objects.filter(shop=tmall).count() == 9
    assert Assignment.objects.filter(shop=pdd).count() == 5
    assert (
        SubAccount.objects.filter(shop=tmall, agent__name="小美").get().nickname
        == "乐乐家居旗舰店:小美"
    )
    roles = {
        (m.user.username, m.shop.name): m.role
        for m in Membership.objects.select_related("user", "shop")
    }
    assert roles[("wangfang", "乐乐家居旗舰店")] == Role.SUPERVISOR
    assert roles[("liqiang", "乐乐家居拼多多店")] == Role.SUPERVISOR
    assert roles[("zhaomin", "乐乐家居拼多多店")] == Role.FINANCE
    assert roles[("xiaomei", "乐乐家居旗舰店")] == Role.AGENT
    assert get_user_model().objects.get(username="xiaomei").check_password(DEMO_PASSWORD)


def test_the_demo_shops_run_their_presets_from_the_start_of_last_month() -> None:
    tmall, pdd = demo_load(today=TODAY).shops
    tmall_policy = policy_in_force(shop=tmall, on=TODAY)
    assert tmall_policy.version.preset == "taobao-s1"
    assert tmall_policy.version.effective_from == dt.date(2026, 10, 1)
    assert policy_in_force(shop=pdd, on=TODAY).version.preset == "pdd-s3"


def test_the_demo_has_mixed_levels_and_some_agents_are_due_a_promotion() -> None:
    tmall = demo_load(today=TODAY).shops[0]
    rows = agent_rows(shop=tmall)
    assert len({r.agent.level for r in rows}) >= 3
    due = sorted(r.agent.name for r in rows if r.eligibility.promotion_due)
    # Tenure has outrun three levels: the supervisor has promotions to review.
    assert due == ["小琳", "小美", "思远"]
    assert Agent.objects.get(name="子涵").status == "probation"


def test_loading_twice_changes_nothing_and_a_preset_can_be_chosen() -> None:
    first = demo_load(today=TODAY, tmall_preset="dongyao-s4")
    again = demo_load(today=TODAY)
    assert again.created is False
    assert Shop.objects.count() == 2 and Agent.objects.count() == 12
    assert policy_in_force(shop=first.shops[0], on=TODAY).version.preset == "dongyao-s4"


def test_the_demo_command_writes_last_months_exports_and_prints_the_logins(
    capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    call_command("demo", exports=tmp_path, scale=0.2)
    call_command("demo", exports=tmp_path, scale=0.2)
    out = capsys.readouterr().out
    # shop-<pk>-<month>, in shop order (by pk as a number: on PostgreSQL pks go past 9).
    folders = sorted((p.name for p in tmp_path.iterdir()), key=lambda n: int(n.split("-")[1]))
    assert len(folders) == 2
    tmall_files = sorted(p.name for p in (tmp_path / folders[0]).iterdir())
    pdd_files = sorted(p.name for p in (tmp_path / folders[1]).iterdir())
    assert tmall_files == ["ExportOrderList.csv", "qianniu_chat.txt"]
    assert pdd_files == ["pdd_orders.csv", "qianniu_chat.txt"]
    chat = (tmp_path / folders[0] / "qianniu_chat.txt").read_text(encoding="utf-8")
    assert "乐乐家居旗舰店:" in chat  # the shop's own sub-accounts answer
    assert out.count(" chat lines, ") == 2  # the second run reused the files
    # The first run imported what it wrote: every order written is stored.
    written = [int(n.replace(",", "")) for n in re.findall(r"chat lines, ([\d,]+) orders", out)]
    stored = [int(n.replace(",", "")) for n in re.findall(r"imported: ([\d,]+) orders", out)]
    assert stored == written and min(written) > 0
    from kefu.orders.models import Order

    assert Order.objects.count() == sum(written)
    assert "Loaded: 乐乐家居客服外包中心" in out
    assert "Already loaded: 乐乐家居客服外包中心" in out
    assert f"password for all: {DEMO_PASSWORD}" in out
    assert "wangfang" in out and "xiaomei" in out


def test_the_demo_month_replays_the_daily_jobs_with_their_dates() -> None:
    from kefu.notify.models import Notice

    tmall = demo_load(today=TODAY).shops[0]
    wangfang = Membership.objects.get(shop=tmall, user__username="wangfang").user
    notices = Notice.objects.filter(shop=tmall, recipient=wangfang).order_by("created_at", "id")
    shanghai = tmall.tzinfo
    got = [(n.created_at.astimezone(shanghai).strftime("%m-%d %H:%M"), n.title) for n in notices]
    assert got == [
        ("10-01 08:00", "管理制度已生效：taobao-s1（第1版）"),
        ("10-01 09:00", "小美 已满足“客户经理”级别条件"),  # already due when the policy began
        ("10-10 09:00", "小琳 已满足“中级客服”级别条件"),
        ("10-21 09:00", "思远 已满足“高级客服”级别条件"),
    ]
