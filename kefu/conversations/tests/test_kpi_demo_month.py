"""The demo month end to end: the chat export `kefu demo` writes, imported, becomes one snapshot
per day whose figures add up to the engine's own run over the same messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from kefu.conversations import kpi_selectors, selectors
from kefu.conversations.demo import demo_chats_load, kpi_demo_compute
from kefu.conversations.kpi import compute_day_kpis, kpi_settings
from kefu.conversations.models import AgentDayKpi, DirtyDay, ShopDayKpi
from kefu.conversations.tests.chat_files import SHOP, demo_chat
from kefu.core.tests.factories import AssignmentFactory, ShopFactory, SubAccountFactory
from kefu.performance.models import Fact
from kefu.policy.selectors import policy_in_force
from kefu.policy.services import policy_adopt_preset

pytestmark = pytest.mark.django_db


def test_the_demo_month_becomes_daily_snapshots(tmp_path: Path) -> None:
    shop = ShopFactory(name=SHOP)
    policy_adopt_preset(
        shop=shop, preset="taobao-s1", effective_from=dt.date(2026, 4, 1), acting_user=None
    )
    for name in ("小美", "晓雯", "阿杰", "慧兰"):
        agent = AssignmentFactory(shop=shop, agent__name=name).agent
        SubAccountFactory(shop=shop, agent=agent, nickname=f"{SHOP}:{name}")
    assert demo_chats_load(shop=shop, folder=tmp_path) is None  # nothing written yet
    demo_chat(tmp_path / "qianniu_chat.txt")
    batch = demo_chats_load(shop=shop, folder=tmp_path)
    assert batch is not None and batch.added == 11359
    assert DirtyDay.objects.filter(shop=shop).count() == 0
    days = ShopDayKpi.objects.filter(shop=shop)
    assert days.count() == 31
    assert {d.local_date.month for d in days} == {5}
    # The stored month adds up to one engine run over the same messages.
    start = dt.datetime(2026, 4, 28, tzinfo=shop.tzinfo)
    end = dt.datetime(2026, 6, 3, tzinfo=shop.tzinfo)
    frame = selectors.message_frame(shop=shop, start=start, end=end)
    settings = kpi_settings(policy_in_force(shop=shop, on=dt.date(2026, 5, 1)).policy)
    kpis = compute_day_kpis(
        frame, selectors.order_frame(shop=shop, start=start, end=end), settings=settings,
        as_of=ShopDayKpi.objects.first().computed_at,  # type: ignore[union-attr]
    )  # fmt: skip
    engine = kpis.shop_day.filter(pl.col("date").dt.month() == 5).select(
        pl.col("served", "rounds", "response_total_s", "slow_rounds").sum()
    )
    month = kpi_selectors.totals(days)
    assert (month.served, month.rounds, month.response_total_s, month.slow_rounds) == engine.row(0)
    per_agent = kpis.agent_day.filter(pl.col("date").dt.month() == 5).height
    assert AgentDayKpi.objects.filter(shop=shop).count() == per_agent
    slow = kpis.facts.filter(pl.col("date").dt.month() == 5, pl.col("fact") == "slow_round")
    assert Fact.objects.filter(shop=shop, source="kpi", key="slow_round").count() == slow.height
    # The demo's own call computes the same days again without adding a fact.
    facts = Fact.objects.filter(shop=shop).count()
    assert kpi_demo_compute(shop=shop, start=dt.date(2026, 5, 1), today=dt.date(2026, 5, 31)) == 31
    assert Fact.objects.filter(shop=shop).count() == facts
