"""The handover log: writing, acknowledging, the home page's unread entries, and the facts of
missing and unacknowledged handovers (S4.1 shifts: day 08:00-17:30, night 16:00-01:00)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from kefu.attendance.tests.support import (
    agent_in,
    at,
    days,
    freeze,
    machine_punch,
    publish,
    shop_under,
)
from kefu.core.choices import Role
from kefu.core.errors import InvalidInput
from kefu.core.tests.factories import MembershipFactory, UserFactory
from kefu.performance.models import Fact
from kefu.worklog import selectors
from kefu.worklog.facts import (
    day_close,
    handover_missing_record,
    handover_unacknowledged_record,
    worklog_facts_record,
)
from kefu.worklog.services import handover_acknowledge, handover_write

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    freeze(monkeypatch, at(7, 6, 30))
    shop = shop_under("taobao-s4-fines")
    mei_user = UserFactory()
    MembershipFactory(shop=shop, user=mei_user, role=Role.AGENT)
    mei = agent_in(shop, "小美", agent__user=mei_user)
    qiang = agent_in(shop, "阿强")
    publish(shop, {(mei, d): "day" for d in days(5, 6)} | {(qiang, d): "night" for d in days(5)})
    return shop, mei, qiang, mei_user


def facts() -> list[tuple[str, str, str]]:
    return [
        (f.agent.name, f.local_date.isoformat(), f.key)
        for f in Fact.objects.select_related("agent")
        .filter(key__startswith="handover")
        .order_by("occurred_at", "id")
    ]


def test_an_entry_links_orders_and_buyers_and_belongs_to_the_writers_shift(team) -> None:  # type: ignore[no-untyped-def]
    shop, _, qiang, _ = team
    entry = handover_write(
        shop=shop,
        author=qiang,
        text="3 号订单买家要求改地址，明早联系快递",
        order_nos=["1930679858170647", "1930679858170647", " "],
        buyer_nicks=["tb_小李"],
        references="售后单 S-12",
        acting_user=None,
        at=at(6, 0, 50),  # after midnight, in the night shift of the 5th
    )
    assert (entry.shift_date, entry.shift_key) == (dt.date(2026, 1, 5), "night")
    assert entry.order_nos == ["1930679858170647"]
    assert [b.nickname for b in entry.buyers.all()] == ["tb_小李"]
    with pytest.raises(InvalidInput, match="交接内容不能为空"):
        handover_write(shop=shop, author=qiang, text="  ", acting_user=None)


def test_recipients_are_those_on_duty_after_the_writer_else_the_next_shift(team) -> None:  # type: ignore[no-untyped-def]
    shop, mei, qiang, _ = team
    evening = handover_write(shop=shop, author=mei, text="a", acting_user=None, at=at(5, 17, 20))
    night = handover_write(shop=shop, author=qiang, text="b", acting_user=None, at=at(6, 0, 50))
    assert [
        (r.agent_id, r.shift.ends_at) for r in selectors.recipients(shop=shop, entry=evening)
    ] == [(qiang.pk, at(6, 1))]
    assert [
        (r.agent_id, r.shift.ends_at) for r in selectors.recipients(shop=shop, entry=night)
    ] == [(mei.pk, at(6, 17, 30))]


def test_missing_and_unacknowledged_handovers_become_facts(team) -> None:  # type: ignore[no-untyped-def]
    shop, mei, qiang, _ = team
    for who, times in (
        (mei, (at(5, 7, 58), at(5, 17, 31))),
        (qiang, (at(5, 15, 58), at(6, 1, 2))),
        (mei, (at(6, 7, 59), at(6, 17, 30))),
    ):
        for when in times:
            machine_punch(shop, who, when)
    # 小美 leaves an entry on the 5th that 阿强 never acknowledges; 阿强 writes none on the 5th.
    evening = handover_write(shop=shop, author=mei, text="a", acting_user=None, at=at(5, 17, 20))
    # 阿强's entry of the night is acknowledged by 小美 on arrival; she writes none on the 6th.
    night = handover_write(shop=shop, author=qiang, text="b", acting_user=None, at=at(6, 0, 50))
    handover_acknowledge(shop=shop, entry=night, agent=mei, acting_user=None, at=at(6, 8, 5))
    # Written on the night of the 5th: it belongs to the 5th, so 阿强 has no missing entry.
    assert (
        handover_unacknowledged_record(shop=shop, day=dt.date(2026, 1, 5), as_of=at(7, 6, 30)) == 1
    )
    assert handover_missing_record(shop=shop, day=dt.date(2026, 1, 5), as_of=at(7, 6, 30)) == 0
    # The morning job of the 7th: the 6th's shifts (and the weekly summary due on the 3rd).
    day_close(shop=shop, on=dt.date(2026, 1, 7), as_of=at(7, 6, 30))
    assert facts() == [
        ("阿强", "2026-01-05", "handover_unacknowledged"),
        ("小美", "2026-01-06", "handover_missing"),
    ]
    assert sorted(
        Fact.objects.exclude(key__startswith="handover").values_list("key", flat=True)
    ) == [
        "weekly_summary_missing",
        "weekly_summary_missing",
    ]
    unack = Fact.objects.get(key="handover_unacknowledged")
    assert unack.source_ref == f"handover_unack:{evening.pk}:{qiang.pk}"
    assert unack.evidence["shift_ends_at"] == "2026-01-06T01:00:00+08:00"
    assert unack.evidence["clause"] == "S4.1 §1"
    missing = Fact.objects.get(key="handover_missing")
    assert missing.occurred_at == at(6, 17, 30)
    assert missing.evidence["where"] == "网店通事务追踪"
    # Idempotent.
    worklog_facts_record(shop=shop, day=dt.date(2026, 1, 6), as_of=at(7, 6, 30))
    assert Fact.objects.count() == 4


def test_an_absent_agent_owes_no_handover(team) -> None:  # type: ignore[no-untyped-def]
    shop, _, _, _ = team
    worklog_facts_record(shop=shop, day=dt.date(2026, 1, 5), as_of=at(7, 6, 30))
    assert facts() == []


def test_the_home_page_shows_unread_entries_first_and_acknowledging_clears_them(
    team,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    shop, mei, qiang, mei_user = team
    entry = handover_write(
        shop=shop, author=qiang, text="仓库明早补发 5 单", acting_user=None, at=at(6, 0, 50)
    )
    freeze(monkeypatch, at(6, 8, 1))
    client = Client()
    client.force_login(mei_user)
    page = client.get(f"/s/{shop.pk}/").content.decode()
    assert page.index('data-testid="worklog-home"') < page.index('data-testid="card-agents"')
    assert "仓库明早补发 5 单" in page
    response = client.post(f"/s/{shop.pk}/worklog/handover/{entry.pk}/ack/", {"back": "home"})
    assert response.status_code == 302 and response.url == f"/s/{shop.pk}/"
    page = client.get(f"/s/{shop.pk}/").content.decode()
    assert "仓库明早补发 5 单" not in page
    assert entry.acks.get().agent == mei


def test_an_agent_writes_an_entry_on_the_page(team, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    shop, mei, _, mei_user = team
    freeze(monkeypatch, at(6, 17, 25))
    client = Client()
    client.force_login(mei_user)
    response = client.post(
        f"/s/{shop.pk}/worklog/",
        {"text": "两位买家等退款", "order_nos": "111，222", "buyer_nicks": "", "references": ""},
    )
    assert response.status_code == 302
    page = client.get(f"/s/{shop.pk}/worklog/").content.decode()
    assert "两位买家等退款" in page and "111" in page and "222" in page
    assert (
        mei.pk
        == selectors.handover_log(shop=shop, start=dt.date(2026, 1, 6), end=dt.date(2026, 1, 6))
        .get()
        .author_id
    )


def test_the_home_page_shows_the_five_oldest_unread_entries_and_links_the_rest(
    team,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    shop, _, qiang, mei_user = team
    for minute in range(7):
        handover_write(
            shop=shop, author=qiang, text=f"第{minute + 1}条交接", acting_user=None,
            at=at(6, 0, 40 + minute),
        )  # fmt: skip
    freeze(monkeypatch, at(6, 8, 1))
    client = Client()
    client.force_login(mei_user)
    page = client.get(f"/s/{shop.pk}/").content.decode()
    assert 'data-testid="unread-count">7<' in page
    shown = [n for n in range(1, 8) if f"第{n}条交接" in page]
    assert shown == [1, 2, 3, 4, 5]  # oldest first, as they were written
    assert "还有 2 条未读，去交接本查看" in page
