"""`unpaid_reminder.one_agent: false`: the day's list split among the agents on duty (balanced
by count, a buyer's orders together), each agent seeing and marking their own share; the pure
splitter first."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from kefu.notify.models import Notice
from kefu.orders import reminder_selectors, reminders
from kefu.orders.models import Reminder
from kefu.orders.reminder_split import reminder_split
from kefu.orders.tests.test_reminders import agent_of, at, frozen, on_duty, order, shop  # noqa: F401
from kefu.policy.services import policy_set_value


def test_split_balances_by_count_and_keeps_a_buyers_orders_together() -> None:
    groups = [("a", 3), ("b", 1), ("c", 2), ("d", 1), ("e", 1), ("f", 2)]
    owner = reminder_split(groups=groups, agents=[7, 5])
    assert owner == {"a": 7, "c": 5, "f": 5, "b": 7, "d": 7, "e": 5}
    loads = {7: 0, 5: 0}
    for key, n in groups:
        loads[owner[key]] += n
    assert loads == {7: 5, 5: 5}
    # Three agents, seven one-order buyers: 3, 2, 2 in the roster's order.
    seven = reminder_split(groups=[(str(i), 1) for i in range(7)], agents=[3, 1, 2])
    assert [list(seven.values()).count(a) for a in (3, 1, 2)] == [3, 2, 2]
    with pytest.raises(ValueError, match="no agents"):
        reminder_split(groups=[("a", 1)], agents=[])
    with pytest.raises(ValueError, match="twice"):
        reminder_split(groups=[("a", 1)], agents=[1, 1])


@pytest.mark.django_db
def test_the_round_is_split_among_the_agents_on_duty(shop, frozen, on_duty) -> None:  # noqa: F811
    policy_set_value(
        shop=shop, path="orders.unpaid_reminder.one_agent", value=False,
        effective_from=dt.date(2026, 1, 1), acting_user=None,
    )  # fmt: skip
    first, second = agent_of(shop, "小美"), agent_of(shop, "慧兰")
    off = agent_of(shop, "阿杰")  # not on duty
    on_duty([first.pk, second.pk])
    order(shop, "S1", at(1), buyer_nick="张三")
    order(shop, "S2", at(2), buyer_nick="张三")
    order(shop, "S3", at(3), buyer_nick="张三")
    order(shop, "S4", at(1), buyer_nick="李四")
    order(shop, "S5", at(2), buyer_nick="王五")
    order(shop, "S6", at(3), buyer_nick="赵六")
    order(shop, "S7", at(1), buyer_nick="")
    frozen(at(16, 0))
    [batch] = reminders.reminder_batches_create_due()
    assert batch.agent is None
    shares = {
        r.order.order_no: r.agent.name
        for r in Reminder.objects.filter(batch=batch).select_related("order", "agent")
    }
    # 张三's three orders to 小美 (the largest group first); the one-order buyers, in the
    # list's order (the nameless order first), to whoever has fewer, 小美 on a tie: 4 and 3.
    assert shares == {
        "S1": "小美", "S2": "小美", "S3": "小美",
        "S7": "慧兰", "S4": "慧兰", "S5": "慧兰", "S6": "小美",
    }  # fmt: skip
    assert sorted(Notice.objects.values_list("recipient_id", "title")) == sorted(
        [
            (first.user.pk, "今天的催付名单：你负责 4 个未付款订单（共 7 个，2 位值班客服分担）"),
            (second.user.pk, "今天的催付名单：你负责 3 个未付款订单（共 7 个，2 位值班客服分担）"),
        ]
    )
    assert [b.pk for b in reminder_selectors.reminder_batches(shop=shop, agent=second)] == [
        batch.pk
    ]
    assert not reminder_selectors.reminder_batches(shop=shop, agent=off).exists()

    # 慧兰 sees and marks her share only; 小美's rows are not hers to mark.
    client = Client()
    client.force_login(second.user)
    url = reverse("orders:reminder_batch", args=[shop.pk, batch.pk])
    html = client.get(url).content.decode()
    assert html.count('data-testid="reminder-row"') == 3
    listed = re.findall(r'data-testid="reminder-row">\s*<td>[^<]*</td>\s*<td>([^<]+)</td>', html)
    assert sorted(listed) == ["S4", "S5", "S7"]  # her share, none of 小美's
    zhang = Reminder.objects.get(order__order_no="S1")
    li = Reminder.objects.get(order__order_no="S4")
    assert client.post(reverse("orders:reminder_mark", args=[shop.pk, zhang.pk])).status_code == 404
    assert client.post(reverse("orders:reminder_mark", args=[shop.pk, li.pk])).status_code == 302
    li.refresh_from_db()
    assert (li.reminded_by, li.flag) == (second, "blue")
    outsider = Client()
    outsider.force_login(off.user)
    assert outsider.get(url).status_code == 404

    # The supervisor gives the whole batch to one agent: the shares are given up.
    from kefu.core.choices import Role
    from kefu.core.tests.factories import MembershipFactory

    boss = MembershipFactory(shop=shop, role=Role.SUPERVISOR).user
    reminders.reminder_batch_assign(shop=shop, batch=batch, agent=off, acting_user=boss)
    assert not Reminder.objects.filter(batch=batch, agent__isnull=False).exists()
    assert outsider.get(url).content.decode().count('data-testid="reminder-row"') == 7


@pytest.mark.django_db
def test_one_agent_on_duty_takes_the_whole_list_even_when_split(shop, frozen, on_duty) -> None:  # noqa: F811
    policy_set_value(
        shop=shop, path="orders.unpaid_reminder.one_agent", value=False,
        effective_from=dt.date(2026, 1, 1), acting_user=None,
    )  # fmt: skip
    only = agent_of(shop, "小美")
    on_duty([only.pk])
    order(shop, "T1", at(1))
    frozen(at(16, 0))
    [batch] = reminders.reminder_batches_create_due()
    assert batch.agent == only
    assert not Reminder.objects.filter(agent__isnull=False).exists()
