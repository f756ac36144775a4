"""The supervisor's 团队现状 on the dashboard: each queue counted by its own app's selector, the
last day with KPIs, and the empty state only for a shop with nothing imported."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from types import SimpleNamespace

import pytest

from kefu.aftersales.services import case_open
from kefu.conversations.kpi_services import dirty_days_compute
from kefu.conversations.services import chat_rows_import
from kefu.conversations.waiting_selectors import ImportReach
from kefu.core.choices import Role
from kefu.core.models import Shop
from kefu.core.tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    ShopFactory,
    SubAccountFactory,
)
from kefu.policy.services import policy_adopt_preset
from kefu.web.team_today import team_today
from kefu.web.tests.conftest import client_for
from kefu.web.tests.test_pages import text

pytestmark = pytest.mark.django_db
SH = zoneinfo.ZoneInfo("Asia/Shanghai")
SHOP = "乐乐家居旗舰店"
NOW = dt.datetime(2026, 5, 2, 10, 30, tzinfo=SH)


def _msg(buyer: str, who: str, time: str, text: str) -> dict[str, str]:
    return {
        "buyer": buyer,
        "sender": buyer if who == "buyer" else f"{SHOP}:{who}",
        "direction": "buyer" if who == "buyer" else "agent",
        "time": f"2026-05-02T{time}+08:00",
        "text": text,
    }


RECORDS = [
    _msg("买家甲", "buyer", "09:00:00", "在吗"),
    _msg("买家甲", "小美", "09:00:30", "您好，在的"),
    _msg("买家甲", "buyer", "09:01:00", "这款还能补货吗"),
    _msg("买家甲", "小美", "09:01:30", "亲，我们不补货了"),  # a banned refusal (S4.4 §5.5)
    _msg("买家乙", "buyer", "10:00:00", "收到就坏了"),
    _msg("买家乙", "小美", "10:00:20", "您好，非常抱歉，我马上为您处理"),
    _msg("买家丙", "buyer", "10:20:00", "有人吗"),  # still waiting at 10:30
    _msg("买家丙", "buyer", "10:21:00", "急"),
]


@pytest.fixture
def shop(monkeypatch: pytest.MonkeyPatch) -> Shop:
    monkeypatch.setattr("kefu.core.clock.timezone", SimpleNamespace(now=lambda: NOW))
    shop = ShopFactory(name=SHOP)
    policy_adopt_preset(
        shop=shop, preset="dongyao-s4", effective_from=dt.date(2026, 1, 1), acting_user=None
    )
    agent = AssignmentFactory(shop=shop, agent__name="小美").agent
    SubAccountFactory(shop=shop, agent=agent, nickname=f"{SHOP}:小美")
    return shop


def test_team_today_counts_each_queue_and_reads_the_last_kpi_day(shop: Shop) -> None:
    chat_rows_import(shop=shop, records=RECORDS, source="erp", acting_user=None)
    assert dirty_days_compute(shop=shop) == 1
    # One case opened four days ago (past its deadlines by now), one just now.
    case_open(
        shop=shop, type="damaged_in_transit", buyer_nick="买家乙", acting_user=None,
        now=NOW - dt.timedelta(days=4),
    )  # fmt: skip
    case_open(shop=shop, type="damaged_in_transit", buyer_nick="买家乙", acting_user=None, now=NOW)

    team = team_today(shop=shop, now=NOW)

    assert (team.on_duty, team.buyers_waiting) == (0, 1)  # no roster; 买家丙 waits
    assert team.chats == ImportReach(until=dt.datetime(2026, 5, 2, 10, 21, tzinfo=SH), behind=False)
    assert (team.cases_open, team.cases_overdue) == (2, 1)
    assert (team.reviews_todo, team.reviews_phone_due, team.complaints_open) == (0, 0, 0)
    assert team.quality_open == 1
    assert team.last_kpi is not None
    assert team.last_kpi.day == dt.date(2026, 5, 2)
    totals = team.last_kpi.totals
    assert (totals.consulted, totals.served) == (3, 2)
    # 首次响应 per served buyer: 甲 answered after 30 s, 乙 after 20 s (丙 not yet).
    assert (totals.first_response_total_s, totals.first_response_count) == (50, 2)


def test_the_dashboard_shows_the_team_to_supervisors_only(shop: Shop) -> None:
    chat_rows_import(shop=shop, records=RECORDS, source="erp", acting_user=None)
    dirty_days_compute(shop=shop)
    supervisor = MembershipFactory(shop=shop, role=Role.SUPERVISOR).user
    page = client_for(supervisor).get(f"/s/{shop.pk}/")
    assert page.status_code == 200
    seen = text(page)
    assert "团队现状" in seen
    assert "等待中的买家 1" in seen
    assert "聊天记录只导入到" not in seen  # the imports reach the last 24 hours
    assert "待审核质检 1" in seen
    assert "最近有指标的一天：2026年5月2日" in seen
    assert f"/s/{shop.pk}/kpi/?month=2026-05" in page.content.decode()
    assert "还没有业务数据" not in seen  # chats were imported

    agent_user = MembershipFactory(shop=shop, role=Role.AGENT).user
    own = text(client_for(agent_user).get(f"/s/{shop.pk}/"))
    assert "团队现状" not in own
    assert "还没有业务数据" not in own


def test_an_empty_kpi_month_points_to_the_last_month_with_figures(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat_rows_import(shop=shop, records=RECORDS, source="erp", acting_user=None)
    dirty_days_compute(shop=shop)
    june_10 = dt.datetime(2026, 6, 10, 9, 0, tzinfo=SH)
    monkeypatch.setattr("kefu.core.clock.timezone", SimpleNamespace(now=lambda: june_10))
    supervisor = MembershipFactory(shop=shop, role=Role.SUPERVISOR).user
    june = client_for(supervisor).get(f"/s/{shop.pk}/kpi/")
    assert "最近的指标在 2026年5月2日，去看看" in text(june)
    assert 'href="?month=2026-05"' in june.content.decode()
    may = client_for(supervisor).get(f"/s/{shop.pk}/kpi/?month=2026-05")
    assert "最近的指标在" not in text(may)


def test_the_waiting_tile_says_how_far_the_chat_imports_reach(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    supervisor = client_for(MembershipFactory(shop=shop, role=Role.SUPERVISOR).user)
    chat_rows_import(shop=shop, records=RECORDS, source="erp", acting_user=None)
    three_days_on = dt.datetime(2026, 5, 5, 9, 0, tzinfo=SH)
    monkeypatch.setattr("kefu.core.clock.timezone", SimpleNamespace(now=lambda: three_days_on))
    seen = text(supervisor.get(f"/s/{shop.pk}/"))
    # Nobody shows as waiting three days on, and the tile says the imports end on 5月2日.
    assert "等待中的买家 0 聊天记录只导入到 2026年5月2日 10:21" in seen
