"""S4.5's first place months running is counted over the whole unbroken run of closes, however
long, read in one query."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.performance.closing import month_close
from kefu.performance.engine import Month
from kefu.performance.evaluation import part_scores_set
from kefu.performance.models import AwardEntry, MonthClose
from kefu.performance.selectors import previous_awards
from kefu.performance.tests.db import OCTOBER, team
from kefu.policy.selectors import policy_in_force

pytestmark = pytest.mark.django_db


def _earlier_closes(t, agent_id: str, months: int, first: Month) -> None:  # type: ignore[no-untyped-def]
    """`months` closes before `first`, each with `agent_id` alone in first place."""
    version = policy_in_force(shop=t.shop, on=first.first_day).version
    cursor = first.previous()
    for _ in range(months):
        MonthClose.objects.create(
            shop=t.shop,
            month=str(cursor),
            kind="close",
            policy_version=version,
            firsts={"evaluation_score": [agent_id]},
        )
        cursor = cursor.previous()


def test_a_15_month_run_in_first_place_is_counted_whole() -> None:
    # S4.5 奖励规则: 3 months 100, 6 months 200, "如此类推" (continues: 9 → 300, 12 → 400,
    # 15 → 500). 小美 was first alone in the 14 months before October (2025-08 .. 2026-09);
    # October makes 15. 小丽's team task is 25 of 30, so 小美 (full marks) is first again.
    t = team("taobao-s4-points")
    xiaomei, xiaoli = t.agents
    october = Month.parse(OCTOBER)
    _earlier_closes(t, str(xiaomei.pk), 14, october)
    part_scores_set(
        shop=t.shop,
        agent=xiaoli,
        month=october,
        scores={"team_task": Decimal("25")},
        acting_user=t.supervisor,
    )
    close = month_close(shop=t.shop, month=OCTOBER, acting_user=t.supervisor)
    awards = list(AwardEntry.objects.filter(close=close).values_list("agent__name", "amount"))
    assert awards == [("小美", Decimal("500.00"))]
    explanation = AwardEntry.objects.get(close=close).explanation
    assert explanation.startswith("连续15个月考核分第一：奖励¥500")


def test_the_months_latest_close_counts_and_all_are_read_in_one_query() -> None:
    t = team("taobao-s4-points")
    xiaomei, xiaoli = t.agents
    october = Month.parse(OCTOBER)
    _earlier_closes(t, str(xiaomei.pk), 16, october)
    # A later correction of 2026-05 put 小丽 first: the month's latest close is what counts.
    MonthClose.objects.create(
        shop=t.shop,
        month="2026-05",
        kind="correction",
        policy_version=policy_in_force(shop=t.shop, on=october.first_day).version,
        firsts={"evaluation_score": [str(xiaoli.pk)]},
    )
    with CaptureQueriesContext(connection) as queries:
        found = previous_awards(shop=t.shop, month=october)
    assert len(queries) == 1
    # All 16 earlier months come back (2026-09 back to 2025-06): the run is the engine's to
    # count; 小美's run from October back ends at 2026-05.
    assert [str(o.month) for o in found][:5] == [
        "2026-09",
        "2026-08",
        "2026-07",
        "2026-06",
        "2026-05",
    ]
    assert len(found) == 16
    assert found[4].firsts == {"evaluation_score": (str(xiaoli.pk),)}


def test_the_months_read_back_end_at_a_month_never_closed() -> None:
    t = team("taobao-s4-points")
    xiaomei, _ = t.agents
    october = Month.parse(OCTOBER)
    _earlier_closes(t, str(xiaomei.pk), 3, october)  # 2026-09, -08, -07
    _earlier_closes(t, str(xiaomei.pk), 2, Month.parse("2026-06"))  # 2026-05, -04: 06 missing
    found = previous_awards(shop=t.shop, month=october)
    assert [str(o.month) for o in found] == ["2026-09", "2026-08", "2026-07"]
