"""Overdue cases: the periodic job notices the case's agent and the supervisors once per
deadline per case (first action, resolve), with the clock frozen; the list shows them first."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse

from kefu.aftersales import services
from kefu.aftersales.models import Case, CaseEvent
from kefu.aftersales.overdue import cases_overdue_notify
from kefu.aftersales.tests.conftest import OPENED, login
from kefu.notify.models import Notice

pytestmark = pytest.mark.django_db


def later(hours: float) -> dt.datetime:
    return OPENED + dt.timedelta(hours=hours)


def freeze(monkeypatch: pytest.MonkeyPatch, now: dt.datetime) -> None:
    monkeypatch.setattr("kefu.core.clock.timezone", SimpleNamespace(now=lambda: now))


def run_job() -> None:
    from config import schedule

    schedule.aftersales_overdue.call_local()


def notices() -> list[tuple[str, str]]:
    return sorted(
        (n.recipient.get_username(), n.title) for n in Notice.objects.select_related("recipient")
    )


def test_each_deadline_is_noticed_once_to_the_agent_and_the_supervisors(
    shop, agent, supervisor, monkeypatch: pytest.MonkeyPatch
) -> None:
    # dongyao-s4 到货延迟: first contact within 2 hours, resolved within 3 days.
    case = services.case_open(
        shop=shop, type="late_delivery", buyer_nick="辛", order_no="", agent=agent,
        acting_user=None, now=OPENED,
    )  # fmt: skip
    freeze(monkeypatch, later(1.99))
    run_job()
    assert Notice.objects.count() == 0

    freeze(monkeypatch, later(2))
    run_job()
    title = f"售后超期：#{case.pk} 到货延迟"
    assert notices() == sorted(
        [(agent.user.get_username(), title), (supervisor.get_username(), title)]
    )
    notice = Notice.objects.filter(recipient=agent.user).get()
    assert notice.kind == "warning"
    assert notice.body == "首次联系期限 03-02 12:00 已过（买家 辛，订单 —，负责客服 慧兰）"
    assert notice.link == reverse("aftersales:case", args=[shop.pk, case.pk])
    case.refresh_from_db()
    assert case.first_action_overdue_noticed_at == later(2)
    assert case.resolve_overdue_noticed_at is None

    # The job runs again and again: nobody hears about the same deadline twice.
    for hours in (2.1, 5, 30):
        freeze(monkeypatch, later(hours))
        run_job()
    assert Notice.objects.count() == 2

    # The agent contacts the buyer late; the case is still open when its 3 days are up.
    services.case_step_done(shop=shop, case=case, index=0, acting_user=None, now=later(40))
    freeze(monkeypatch, later(72))
    run_job()
    run_job()
    resolve_notices = Notice.objects.filter(body__startswith="解决期限 03-05 10:00 已过")
    assert sorted(n.recipient_id for n in resolve_notices) == sorted([agent.user.pk, supervisor.pk])
    assert Notice.objects.count() == 4
    assert list(
        CaseEvent.objects.filter(case=case, kind="overdue").values_list("data__deadline", flat=True)
    ) == ["first_action", "resolve"]
    page = login(supervisor).get(reverse("aftersales:case", args=[shop.pk, case.pk]))
    assert "超期提醒：首次联系期限 03-02 12:00 已过，已通知负责客服和主管" in page.content.decode()


def test_resolved_and_contacted_cases_are_not_noticed_and_no_agent_means_supervisors_only(
    shop, agent, supervisor
) -> None:
    done = services.case_open(
        shop=shop, type="not_as_expected", buyer_nick="壬", agent=agent, acting_user=None,
        now=OPENED,
    )  # fmt: skip
    services.case_step_done(shop=shop, case=done, index=0, acting_user=None, now=later(1))
    services.case_fault_record(shop=shop, case=done, party="product", acting_user=None)
    services.case_resolve(
        shop=shop, case=done, resolution="apology", acting_user=None, now=later(2)
    )
    contacted = services.case_open(
        shop=shop, type="not_as_expected", buyer_nick="癸", agent=agent, acting_user=None,
        now=OPENED,
    )  # fmt: skip
    services.case_step_done(shop=shop, case=contacted, index=0, acting_user=None, now=later(1))
    nobody = services.case_open(
        shop=shop, type="not_as_expected", buyer_nick="子", agent=None, acting_user=None,
        now=OPENED,
    )  # fmt: skip
    # not_as_expected: first contact within 24 hours.
    sent = cases_overdue_notify(shop=shop, now=later(25))
    assert [(s.case_id, s.deadline, s.recipients) for s in sent] == [(nobody.pk, "first_action", 1)]
    assert [n.recipient_id for n in Notice.objects.all()] == [supervisor.pk]
    assert cases_overdue_notify(shop=shop, now=later(26)) == []


def test_the_list_shows_overdue_cases_first_and_marked(shop, agent, supervisor) -> None:
    late = services.case_open(
        shop=shop, type="late_delivery", buyer_nick="甲", agent=agent, acting_user=None,
        now=OPENED - dt.timedelta(hours=5),
    )  # fmt: skip
    fresh = services.case_open(
        shop=shop, type="late_delivery", buyer_nick="乙", agent=agent, acting_user=None,
    )  # fmt: skip
    page = login(supervisor).get(reverse("aftersales:list", args=[shop.pk]))
    rows = [c.pk for c, _ in page.context["rows"]]
    # The late one is older, yet listed first.
    assert rows == [late.pk, fresh.pk]
    html = page.content.decode()
    assert html.count('data-testid="overdue-row"') == 1
    assert "未首次联系" in html
    assert Case.objects.count() == 2
