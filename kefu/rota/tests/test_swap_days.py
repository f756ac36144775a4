"""A swap across two days: agent A's shift of day X for agent B's shift of day Y (B works A's
shift on X, A works B's on Y), checked by the hard-rule checker and refused in words when it
breaks a rule. S4.1 under taobao-s4-fines: early 08:00-17:30, late 16:00-01:00."""

from __future__ import annotations

import datetime as dt

import pytest

from kefu.attendance.roster import absences_for
from kefu.core.errors import InvalidInput
from kefu.rota.choices import RequestKind, RequestStatus
from kefu.rota.request_services import request_decide, request_submit
from kefu.rota.services import roster_cell_set, roster_publish
from kefu.rota.tests.helpers import cells, freeze, generate, swap_across, team

pytestmark = pytest.mark.django_db
D = dt.date
X, Y = D(2026, 11, 10), D(2026, 11, 12)


@pytest.fixture(autouse=True)
def _now(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)  # 2026-10-20 10:00 in Shanghai


def cross(shop, a, b, x=X, y=Y):  # type: ignore[no-untyped-def]
    return swap_across(shop, a, b, x, y)


def roster_with(shop, plan):  # type: ignore[no-untyped-def]
    """The generated November roster with these cells (None: off) set by hand, published."""
    roster = generate(shop)
    for (agent, day), key in plan.items():
        roster_cell_set(
            shop=shop, roster=roster, agent=agent, day=day, shift_key=key, acting_user=None
        )
    roster_publish(shop=shop, roster=roster, acting_user=None)
    return roster


def days_around(agent, keys):  # type: ignore[no-untyped-def]
    """Cells of 9..13 November for one agent."""
    return {(agent, D(2026, 11, 9 + i)): key for i, key in enumerate(keys)}


def test_an_approved_swap_across_two_days_moves_both_shifts(shop) -> None:  # type: ignore[no-untyped-def]
    a, b, *_ = team(shop, 4)
    roster = roster_with(
        shop,
        days_around(a, ["early", "early", "early", None, "late"])
        | days_around(b, ["early", None, "late", "late", "late"]),
    )
    request = cross(shop, a, b)
    decided = request_decide(shop=shop, request=request, approve=True, acting_user=None)
    assert (decided.status, decided.decision_reason) == (RequestStatus.APPROVED, "")
    grid = cells(roster)
    assert [grid.get((a.id, D(2026, 11, d))) for d in range(9, 14)] == [
        "early", None, "early", "late", "late",
    ]  # fmt: skip
    assert [grid.get((b.id, D(2026, 11, d))) for d in range(9, 14)] == [
        "early", "early", "late", None, "late",
    ]  # fmt: skip
    # Attendance counts one swap day each: A gave away the 10th, B the 12th.
    absences = absences_for(shop=shop, start=D(2026, 11, 1), end=D(2026, 11, 30))
    assert absences[str(a.id)].swap == frozenset({X})
    assert absences[str(b.id)].swap == frozenset({Y})


def test_a_swap_across_days_that_breaks_a_rule_is_refused_in_words(shop) -> None:  # type: ignore[no-untyped-def]
    a, b, *_ = team(shop, 4)
    roster = roster_with(
        shop,
        days_around(a, ["early", "early", "early", None, "late"])
        | days_around(b, ["late", None, "late", "late", "late"]),
    )
    before = cells(roster)
    decided = request_decide(shop=shop, request=cross(shop, a, b), approve=True, acting_user=None)
    assert decided.status == RequestStatus.REFUSED
    assert decided.decision_reason == "违反排班规则，不能批准：客服2 11月10日：晚班后次日不能上早班"
    assert cells(roster) == before


def test_a_colleague_already_working_that_day_cannot_take_the_shift(shop) -> None:  # type: ignore[no-untyped-def]
    a, b, *_ = team(shop, 4)
    roster = roster_with(
        shop,
        days_around(a, ["early", "early", "early", None, "late"])
        | days_around(b, ["early", "early", "late", "late", "late"]),
    )
    before = cells(roster)
    decided = request_decide(shop=shop, request=cross(shop, a, b), approve=True, acting_user=None)
    assert (decided.status, decided.decision_reason) == (
        RequestStatus.REFUSED,
        "不能批准：客服2 11月10日 已有班次，不能再上客服1的班",
    )
    assert cells(roster) == before


def test_a_swap_across_days_is_one_day_each(shop) -> None:  # type: ignore[no-untyped-def]
    a, b = team(shop, 2)
    with pytest.raises(InvalidInput, match="跨日调班只能换一天"):
        request_submit(
            shop=shop, agent=a, kind=RequestKind.SWAP, start_date=X, end_date=D(2026, 11, 11),
            counterpart=b, counterpart_date=Y, acting_user=None,
        )  # fmt: skip
    with pytest.raises(InvalidInput, match="只有调班可以写对方的日期"):
        request_submit(
            shop=shop, agent=a, kind=RequestKind.COVER, start_date=X, counterpart=b,
            counterpart_date=Y, acting_user=None,
        )  # fmt: skip
    with pytest.raises(InvalidInput, match="跨日调班只能换一天"):
        request_submit(
            shop=shop, agent=a, kind=RequestKind.SWAP, start_date=D(2026, 11, 30),
            end_date=D(2026, 12, 1), counterpart=b, counterpart_date=D(2026, 12, 2),
            acting_user=None,
        )  # fmt: skip
    # The two days may be in different months (test_swap_months).
    assert cross(shop, a, b, y=D(2026, 12, 1)).counterpart_date == D(2026, 12, 1)
    with pytest.raises(InvalidInput, match=r"不能为过去的日期（2026-10-19）申请调班"):
        cross(shop, a, b, y=D(2026, 10, 19))
    same = cross(shop, a, b, y=X)
    assert same.counterpart_date is None  # the same day: an ordinary swap


def test_the_request_page_takes_the_colleagues_day(shop, supervisor) -> None:  # type: ignore[no-untyped-def]
    from kefu.rota.models import Request

    a, b = team(shop, 2)
    response = supervisor.post(
        f"/s/{shop.pk}/rota/requests/",
        {
            "kind": "swap",
            "agent": a.pk,
            "start_date": "2026-11-10",
            "counterpart": b.pk,
            "counterpart_date": "2026-11-12",
        },
    )
    assert response.status_code == 302
    stored = Request.objects.get()
    assert (stored.start_date, stored.end_date, stored.counterpart_date) == (X, X, Y)
    page = supervisor.get(f"/s/{shop.pk}/rota/requests/").content.decode()
    assert "换对方 2026年11月12日 的班" in page
