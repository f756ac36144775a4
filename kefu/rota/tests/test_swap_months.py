"""A swap across two days in two months: agent A's shift of 30 November for agent B's shift of
2 December. Both months' rosters change together, each re-checked against its own month; a
break in either, or a month without a roster, refuses the whole swap and changes nothing.

The shop runs tmall-s0 (白班 08:00-17:30, 晚班 15:30-24:00, 做六休一, at most six days in a
row, no 白班 the day after a 晚班) with S3's swap-day allowance added (four a month, a day of
leave uses one up), so that a rest day can move from one month to the other."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from django.test import Client

from kefu.attendance.roster import absences_for
from kefu.core.models import Shop
from kefu.core.tests.factories import ShopFactory
from kefu.policy.services import policy_adopt_preset, policy_set_value
from kefu.rota.choices import RequestKind, RequestStatus
from kefu.rota.models import Request, Roster, RosterShift
from kefu.rota.request_services import request_decide, request_submit
from kefu.rota.services import roster_publish
from kefu.rota.swap_allowance import swap_days_used
from kefu.rota.tests.helpers import cells, freeze, generate, swap_across, team
from kefu.staff.models import Agent

pytestmark = pytest.mark.django_db
D = dt.date
NOV30, DEC2 = D(2026, 11, 30), D(2026, 12, 2)


@pytest.fixture(autouse=True)
def _now(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)  # 2026-10-20 10:00 in Shanghai


@pytest.fixture
def shop() -> Shop:
    """tmall-s0 with S3's allowance: four swap days a month, leave offsets them."""
    shop = ShopFactory()
    policy_adopt_preset(
        shop=shop, preset="tmall-s0", effective_from=D(2026, 1, 1), acting_user=None
    )
    for path, value in (
        ("schedule.requests.swap_days_per_month", 4),
        ("schedule.requests.leave_offsets_swap", True),
    ):
        policy_set_value(
            shop=shop, path=path, value=value, effective_from=D(2026, 1, 2), acting_user=None
        )
    return shop


def month_row(year: int, month: int, off: set[int], keys: dict[int, str] | None = None):  # type: ignore[no-untyped-def]
    """A whole month for one agent: 白班 every day but the `off` days, `keys` by day."""
    keys = keys or {}
    return {
        D(year, month, d): None if d in off else keys.get(d, "day")
        for d in range(1, calendar.monthrange(year, month)[1] + 1)
    }


def set_row(roster: Roster, agent: Agent, row: dict[dt.date, str | None]) -> None:
    RosterShift.objects.filter(roster=roster, agent=agent).delete()
    RosterShift.objects.bulk_create(
        RosterShift(shop_id=roster.shop_id, roster=roster, agent=agent, local_date=d, shift_key=k)
        for d, k in row.items()
        if k is not None
    )


def two_months(shop: Shop, *, a_keys=None, b_keys=None):  # type: ignore[no-untyped-def]
    """November and December generated for four agents, then A's and B's rows set by hand and
    both months published. Before the swap every rule holds for A and B:

    - A rests on November's Sundays and works 30 November; in December A rests on the 2nd
      and on Mondays;
    - B rests on November's Saturdays and on 30 November; in December B rests on Mondays.
    """
    a, b, c, d = team(shop, 4)
    november, december = generate(shop, "2026-11"), generate(shop, "2026-12")
    a_keys, b_keys = a_keys or {}, b_keys or {}
    set_row(november, a, month_row(2026, 11, {1, 8, 15, 22, 29}, a_keys.get(11)))
    set_row(november, b, month_row(2026, 11, {7, 14, 21, 28, 30}, b_keys.get(11)))
    set_row(december, a, month_row(2026, 12, {2, 7, 14, 21, 28}, a_keys.get(12)))
    set_row(december, b, month_row(2026, 12, {7, 14, 21, 28}, b_keys.get(12)))
    for roster in (november, december):
        roster_publish(shop=shop, roster=roster, acting_user=None)
    return (a, b, c, d), november, december


def cross(shop, a, b, x=NOV30, y=DEC2):  # type: ignore[no-untyped-def]
    return swap_across(shop, a, b, x, y)


def approve(shop, request):  # type: ignore[no-untyped-def]
    return request_decide(shop=shop, request=request, approve=True, acting_user=None)


def around(grid, agent, days):  # type: ignore[no-untyped-def]
    return [grid.get((agent.id, day)) for day in days]


EDGE = [D(2026, 11, 29), NOV30, D(2026, 12, 1), DEC2, D(2026, 12, 3)]


def test_a_swap_from_30_november_to_2_december_changes_both_rosters(shop) -> None:  # type: ignore[no-untyped-def]
    (a, b, _, _), november, december = two_months(shop)
    before_nov, before_dec = cells(november), cells(december)
    decided = approve(shop, cross(shop, a, b))
    assert (decided.status, decided.decision_reason) == (RequestStatus.APPROVED, "")
    after_nov, after_dec = cells(november), cells(december)
    # B works A's 白班 of 30 November, A works B's 白班 of 2 December.
    assert around(after_nov | after_dec, a, EDGE) == [None, None, "day", "day", "day"]
    assert around(after_nov | after_dec, b, EDGE) == ["day", "day", "day", None, "day"]
    # Each row stays in its own month's roster; nothing else moved.
    assert {k: v for k, v in after_nov.items() if k not in before_nov} == {(b.id, NOV30): "day"}
    assert {k: v for k, v in before_nov.items() if k not in after_nov} == {(a.id, NOV30): "day"}
    assert {k: v for k, v in after_dec.items() if k not in before_dec} == {(a.id, DEC2): "day"}
    assert {k: v for k, v in before_dec.items() if k not in after_dec} == {(b.id, DEC2): "day"}
    assert RosterShift.objects.get(agent=b, local_date=NOV30).roster_id == november.pk
    assert RosterShift.objects.get(agent=a, local_date=DEC2).roster_id == december.pk
    # Attendance: each gave away one day, in its own month.
    absences = absences_for(shop=shop, start=D(2026, 11, 1), end=D(2026, 12, 31))
    assert (absences[str(a.id)].swap, absences[str(b.id)].swap) == (
        frozenset({NOV30}),
        frozenset({DEC2}),
    )


def test_a_month_without_a_roster_refuses_the_swap_naming_it(shop) -> None:  # type: ignore[no-untyped-def]
    a, b, *_ = team(shop, 4)
    november = generate(shop, "2026-11")
    before = cells(november)
    decided = approve(shop, cross(shop, a, b))
    assert (decided.status, decided.decision_reason) == (
        RequestStatus.REFUSED,
        "不能批准：12月的排班还没有生成，不能跨月调班",
    )
    assert cells(november) == before
    assert not Roster.objects.filter(shop=shop, month="2026-12").exists()
    # Across the new year the month says its year; two missing months are both named.
    decided = approve(shop, cross(shop, a, b, x=D(2026, 12, 31), y=D(2027, 1, 2)))
    assert decided.decision_reason == (
        "不能批准：2026年12月、2027年1月的排班还没有生成，不能跨月调班"
    )


def test_a_swap_that_breaks_a_rule_in_december_is_refused_and_changes_neither_month(shop) -> None:  # type: ignore[no-untyped-def]
    # A works the 晚班 on 1 December: B's 白班 of the 2nd would follow it.
    (a, b, _, _), november, december = two_months(shop, a_keys={12: {1: "night"}})
    before = (cells(november), cells(december), november.violations, december.violations)
    decided = approve(shop, cross(shop, a, b))
    assert (decided.status, decided.decision_reason) == (
        RequestStatus.REFUSED,
        "违反排班规则，不能批准：客服1 12月2日：晚班后次日不能上白班",
    )
    november.refresh_from_db()
    december.refresh_from_db()
    assert (cells(november), cells(december), november.violations, december.violations) == before
    assert Request.objects.get(pk=decided.pk).status == RequestStatus.REFUSED


def test_december_is_checked_with_novembers_new_last_day(shop) -> None:  # type: ignore[no-untyped-def]
    # A's shift of 30 November is the 晚班; B works the 白班 on 1 December. A (晚班 from the
    # 1st to the 6th) takes B's 晚班 of the 2nd, which is fine; B's 晚班 on 30 November is not.
    (a, b, _, _), november, december = two_months(
        shop,
        a_keys={11: {30: "night"}, 12: dict.fromkeys([1, 3, 4, 5, 6], "night")},
        b_keys={12: {2: "night"}},
    )
    before = (cells(november), cells(december))
    decided = approve(shop, cross(shop, a, b))
    assert (decided.status, decided.decision_reason) == (
        RequestStatus.REFUSED,
        "违反排班规则，不能批准：客服2 12月1日：晚班后次日不能上白班",
    )
    assert (cells(november), cells(december)) == before


def test_swap_days_count_in_the_month_of_each_partys_day(shop) -> None:  # type: ignore[no-untyped-def]
    (a, b, c, _), *_ = two_months(shop)

    def used() -> dict[str, int]:
        return {
            f"{who.name} {month}": swap_days_used(shop=shop, agent=who, month=month, offsets=True)
            for who in (a, b)
            for month in ("2026-11", "2026-12")
        }

    # Leave uses the allowance up: A has one day left in November and none in December, B
    # none in November and one in December.
    for who, first, last in (
        (a, D(2026, 11, 10), D(2026, 11, 12)),
        (a, D(2026, 12, 15), D(2026, 12, 18)),
        (b, D(2026, 11, 10), D(2026, 11, 13)),
        (b, D(2026, 12, 15), D(2026, 12, 17)),
    ):
        leave = request_submit(
            shop=shop, agent=who, kind=RequestKind.LEAVE, start_date=first, end_date=last,
            acting_user=None,
        )  # fmt: skip
        assert approve(shop, leave).status == RequestStatus.APPROVED
    assert used() == {
        "客服1 2026-11": 3, "客服1 2026-12": 4, "客服2 2026-11": 4, "客服2 2026-12": 3,
    }  # fmt: skip
    # A's 30 November counts in A's November, B's 2 December in B's December: both have room.
    assert approve(shop, cross(shop, a, b)).status == RequestStatus.APPROVED
    assert used() == {
        "客服1 2026-11": 4, "客服1 2026-12": 4, "客服2 2026-11": 4, "客服2 2026-12": 4,
    }  # fmt: skip
    # A fifth day is refused, for the applicant or the colleague, naming whose month is full.
    fifth = approve(shop, cross(shop, a, c, x=D(2026, 11, 24), y=D(2026, 12, 8)))
    assert (fifth.status, fifth.decision_reason) == (
        RequestStatus.REFUSED,
        "客服1 2026-11 调休额度 4 天已用 4 天，本次 1 天超出额度",
    )
    fifth = approve(shop, cross(shop, c, b, x=D(2026, 11, 24), y=D(2026, 12, 8)))
    assert (fifth.status, fifth.decision_reason) == (
        RequestStatus.REFUSED,
        "客服2 2026-12 调休额度 4 天已用 4 天，本次 1 天超出额度",
    )
    assert swap_days_used(shop=shop, agent=c, month="2026-11", offsets=True) == 0


def test_the_request_page_takes_a_colleagues_day_in_the_next_month(
    shop: Shop, supervisor: Client
) -> None:
    a, b, *_ = team(shop, 4)
    generate(shop, "2026-11")
    response = supervisor.post(
        f"/s/{shop.pk}/rota/requests/",
        {
            "kind": "swap",
            "agent": a.pk,
            "start_date": "2026-11-30",
            "counterpart": b.pk,
            "counterpart_date": "2026-12-02",
        },
    )
    assert response.status_code == 302
    stored = Request.objects.get()
    assert (stored.start_date, stored.end_date, stored.counterpart_date) == (NOV30, NOV30, DEC2)
    response = supervisor.post(
        f"/s/{shop.pk}/rota/requests/{stored.pk}/decide/", {"approve": "on"}, follow=True
    )
    page = response.content.decode()
    assert "客服1 的调班：已拒绝（不能批准：12月的排班还没有生成，不能跨月调班）" in page
    assert "换对方 2026年12月2日 的班" in page
