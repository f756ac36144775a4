"""Leave, swap and cover requests: submission checks, decisions and their effect on rosters."""

from __future__ import annotations

import datetime as dt

import pytest

from kefu.core.errors import InvalidInput
from kefu.core.tests.factories import ShopFactory
from kefu.notify.models import Notice
from kefu.policy.services import policy_adopt_preset
from kefu.rota.choices import RequestKind, RequestStatus
from kefu.rota.models import RosterShift
from kefu.rota.request_services import request_decide, request_submit
from kefu.rota.services import roster_cell_set, roster_publish
from kefu.rota.tests.helpers import cells, freeze, generate, team

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _now(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)  # 2026-10-20 10:00 in Shanghai


@pytest.fixture
def s3_shop():  # type: ignore[no-untyped-def]
    shop = ShopFactory()
    policy_adopt_preset(shop=shop, preset="pdd-s3", effective_from=D(2026, 1, 1), acting_user=None)
    return shop


def submit(shop, agent, kind, start, end=None, counterpart=None, shift_key=""):  # type: ignore[no-untyped-def]
    return request_submit(
        shop=shop,
        agent=agent,
        kind=kind,
        start_date=start,
        end_date=end,
        counterpart=counterpart,
        shift_key=shift_key,
        acting_user=None,
    )


def test_leave_in_the_past_is_refused_with_a_clear_message(shop) -> None:  # type: ignore[no-untyped-def]
    a, b = team(shop, 2)
    with pytest.raises(InvalidInput, match=r"不能为过去的日期（2026-10-19）申请请假"):
        submit(shop, a, RequestKind.LEAVE, D(2026, 10, 19), counterpart=b)
    # S4.1 under taobao-s4-fines: one day's notice.
    with pytest.raises(InvalidInput, match="请假须提前 1 天申请"):
        submit(shop, a, RequestKind.LEAVE, D(2026, 10, 20), counterpart=b)
    # cover_named: a leave names who covers it.
    with pytest.raises(InvalidInput, match="须写明替班或调班的同事"):
        submit(shop, a, RequestKind.LEAVE, D(2026, 10, 22))
    with pytest.raises(InvalidInput, match="结束日期早于开始日期"):
        submit(shop, a, RequestKind.LEAVE, D(2026, 10, 22), D(2026, 10, 21), counterpart=b)
    with pytest.raises(InvalidInput, match="对方不是本店客服"):
        other = team(ShopFactory(), 1)[0]
        submit(shop, a, RequestKind.SWAP, D(2026, 10, 22), counterpart=other)
    request = submit(shop, a, RequestKind.LEAVE, D(2026, 10, 21), counterpart=b)
    assert request.status == RequestStatus.PENDING
    assert request.days() == [D(2026, 10, 21)]


def test_approved_leave_feeds_the_solver(shop) -> None:  # type: ignore[no-untyped-def]
    a, b, *_ = team(shop, 4)
    leave = submit(shop, a, RequestKind.LEAVE, D(2026, 11, 9), D(2026, 11, 11), counterpart=b)
    request_decide(shop=shop, request=leave, approve=True, acting_user=None)
    roster = generate(shop)
    grid = cells(roster)
    assert [(a.id, D(2026, 11, d)) in grid for d in (9, 10, 11)] == [False] * 3
    # Leave is not rest: still 3 rest days, so 30 - 3 - 3 = 24 shifts.
    assert sum(1 for (agent_id, _) in grid if agent_id == a.id) == 24
    assert roster.violations == []


def test_leave_leaving_a_gap_flags_the_supervisor(shop, supervisor_user) -> None:  # type: ignore[no-untyped-def]
    agents = team(shop, 4)
    roster = generate(shop)
    roster_publish(shop=shop, roster=roster, acting_user=None)
    grid = cells(roster)
    # The only agent on a late shift, and a colleague working that day too.
    day, a = next(
        (d, agent)
        for d in sorted({d for (_, d) in grid})
        for agent in agents
        if grid.get((agent.id, d)) == "late"
        and sum(1 for (x, e), k in grid.items() if e == d and k == "late") == 1
    )
    b = next(x for x in agents if x != a and (x.id, day) in grid)
    leave = submit(shop, a, RequestKind.LEAVE, day, counterpart=b)

    decided = request_decide(
        shop=shop, request=leave, approve=True, reason="家中有事", acting_user=supervisor_user
    )

    assert decided.status == RequestStatus.APPROVED
    when = f"{day.month}月{day.day}日"
    assert decided.decision_reason == (
        f"家中有事；排班缺口：{when} 晚班需要 1 人，只排了 0 人，缺 1 人；"
        f"{when} 17:30-01:00 在线时间无人值班"
    )
    assert not RosterShift.objects.filter(roster=roster, agent=a, local_date=day).exists()
    notice = Notice.objects.get(shop=shop, kind="coverage_gap")
    assert notice.recipient == supervisor_user
    assert notice.title == f"排班缺口：{a.name} 的请假已批准"


def test_swap_that_breaks_a_rule_is_refused_and_changes_nothing(shop) -> None:  # type: ignore[no-untyped-def]
    a, b, *_ = team(shop, 4)
    roster = generate(shop)
    day = D(2026, 11, 10)
    nxt = day + dt.timedelta(days=1)
    prev = day - dt.timedelta(days=1)
    cells_set = [(a, prev, "early"), (a, day, "late"), (b, prev, "early"), (b, day, "early")]
    for agent, when, key in [*cells_set, (b, nxt, "early")]:
        roster_cell_set(
            shop=shop, roster=roster, agent=agent, day=when, shift_key=key, acting_user=None
        )
    roster_publish(shop=shop, roster=roster, acting_user=None)
    before = cells(roster)
    swap = submit(shop, a, RequestKind.SWAP, day, counterpart=b)

    decided = request_decide(shop=shop, request=swap, approve=True, acting_user=None)

    assert decided.status == RequestStatus.REFUSED
    assert decided.decision_reason == (
        f"违反排班规则，不能批准：{b.name} 11月11日：晚班后次日不能上早班"
    )
    assert cells(roster) == before


def test_approved_swap_edits_the_published_roster(shop) -> None:  # type: ignore[no-untyped-def]
    a, b, *_ = team(shop, 4)
    roster = generate(shop)
    day = D(2026, 11, 10)
    plan = {
        a: ["early", "late", "late"],
        b: ["early", "early", "late"],
    }
    for agent, keys in plan.items():
        for offset, key in enumerate(keys):
            roster_cell_set(
                shop=shop,
                roster=roster,
                agent=agent,
                day=day + dt.timedelta(days=offset - 1),
                shift_key=key,
                acting_user=None,
            )
    roster_publish(shop=shop, roster=roster, acting_user=None)
    swap = submit(shop, a, RequestKind.SWAP, day, counterpart=b)

    decided = request_decide(shop=shop, request=swap, approve=True, acting_user=None)

    assert decided.status == RequestStatus.APPROVED
    grid = cells(roster)
    assert (grid[a.id, day], grid[b.id, day]) == ("early", "late")


def test_s3_swap_days_and_leave_offsetting(s3_shop) -> None:  # type: ignore[no-untyped-def]
    a, b = team(s3_shop, 2)
    leave = submit(s3_shop, a, RequestKind.LEAVE, D(2026, 11, 10), D(2026, 11, 12), counterpart=b)
    assert request_decide(shop=s3_shop, request=leave, approve=True, acting_user=None).status == (
        RequestStatus.APPROVED
    )
    swap = submit(s3_shop, a, RequestKind.SWAP, D(2026, 11, 20), D(2026, 11, 21), counterpart=b)
    refused = request_decide(shop=s3_shop, request=swap, approve=True, acting_user=None)
    assert refused.status == RequestStatus.REFUSED
    assert refused.decision_reason == "2026-11 调休额度 4 天已用 3 天，本次 2 天超出额度"
    more = submit(s3_shop, a, RequestKind.LEAVE, D(2026, 11, 24), D(2026, 11, 25), counterpart=b)
    over = request_decide(shop=s3_shop, request=more, approve=True, acting_user=None)
    assert over.status == RequestStatus.APPROVED
    assert over.over_allowance == 1
    assert over.decision_reason == "2026-11 调休额度 4 天已用 3 天，超出 1 天按缺勤计"
    # December has its own allowance.
    december = submit(s3_shop, a, RequestKind.SWAP, D(2026, 12, 1), counterpart=b)
    assert request_decide(
        shop=s3_shop, request=december, approve=True, acting_user=None
    ).status == (RequestStatus.APPROVED)


def test_refuse_and_decide_once(shop) -> None:  # type: ignore[no-untyped-def]
    a, b = team(shop, 2)
    leave = submit(shop, a, RequestKind.LEAVE, D(2026, 10, 22), counterpart=b)
    refused = request_decide(
        shop=shop, request=leave, approve=False, reason="双十一前不批假", acting_user=None
    )
    assert (refused.status, refused.decision_reason) == (RequestStatus.REFUSED, "双十一前不批假")
    with pytest.raises(InvalidInput, match="该申请已处理"):
        request_decide(shop=shop, request=refused, approve=True, acting_user=None)
