"""Unpaid-order reminders 催付 (RULEBOOK §6; policy `orders.unpaid_reminder`).

Every few minutes the scheduler calls `reminder_batches_create_due`; a shop whose policy time
(S4.3/S4.4: 16:00, shop-local) has passed today and that has no batch for today gets one: the
orders still awaiting payment that are older than `min_age_hours` (S2: 12), minus those already
listed on an earlier day or already carrying the policy's reminder flag, so no buyer is reminded
twice about the same order. The batch goes to the agent on duty at that time (the roster); with
`one_agent: false` and several agents on duty, the list is split among them (a buyer's orders
together, balanced by count; reminder_split.py); with no roster (or nobody on duty) it waits
for the supervisor to choose. The agent marks each buyer
reminded (the policy's flag colour is recorded); later imports decide the outcome (paid,
closed), and the conversion (paid after the reminder / reminded) feeds the reminders page and
the dashboard."""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.conversations.models import Buyer
from kefu.core import clock
from kefu.core.access import Capability, shop_members_who_can
from kefu.core.audit import audit_record
from kefu.core.errors import InvalidInput, NotFound
from kefu.core.models import Shop
from kefu.notify.services import notice_send
from kefu.orders.choices import OrderStatus, ReminderOutcome
from kefu.orders.models import Order, OrderStatusChange, Reminder, ReminderBatch
from kefu.orders.reminder_split import reminder_split
from kefu.policy.schema.base import clock_minutes
from kefu.policy.schema.orders import UnpaidReminder
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Agent, Assignment

log = logging.getLogger(__name__)

PAID_STATUSES = (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.FINISHED)


# --- the policy ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderRule:
    rule: UnpaidReminder
    version: int
    due_at: dt.datetime  # today's reminder time, aware


def reminder_rule(*, shop: Shop, day: dt.date) -> ReminderRule | None:
    """The shop's reminder rule on this local day and the instant it falls due; None when the
    shop has no policy then or the policy has no reminder round."""
    try:
        in_force = policy_in_force(shop=shop, on=day)
    except NotFound:
        return None
    rule = in_force.policy.orders.unpaid_reminder
    if rule is None:
        return None
    return ReminderRule(rule, in_force.number, local_clock(day, rule.at, shop.tzinfo))


def local_clock(day: dt.date, at: str, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """The aware instant of local clock time `at` ("HH:MM", "24:00" the end) on `day`."""
    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    return midnight + dt.timedelta(minutes=clock_minutes(at))


# --- the roster -----------------------------------------------------------------------------------


def _roster_lookup() -> Callable[..., list[int]] | None:
    """kefu.rota.selectors.agents_on_duty when the roster app provides it."""
    try:
        module = importlib.import_module("kefu.rota.selectors")
    except (ImportError, RuntimeError):  # not installed, or its models not registered
        return None
    lookup = getattr(module, "agents_on_duty", None)
    return lookup if callable(lookup) else None


def duty_agents(*, shop: Shop, at: dt.datetime) -> list[Agent]:
    """The shop's active agents on duty at `at` by the published roster, in the roster's order;
    empty when there is no roster."""
    lookup = _roster_lookup()
    if lookup is None:
        return []
    ids = [int(i) for i in lookup(shop=shop, at=at)]
    active = {
        a.pk: a
        for a in Agent.objects.filter(
            pk__in=Assignment.objects.filter(shop=shop, active=True, agent_id__in=ids).values(
                "agent_id"
            )
        )
    }
    return [active[i] for i in ids if i in active]


# --- writes ---------------------------------------------------------------------------------------


def _candidates(*, shop: Shop, rule: UnpaidReminder, due_at: dt.datetime) -> QuerySet[Order]:
    """Orders awaiting payment, placed at least min_age_hours before the round, never listed
    before and not already carrying the reminder flag (marked in the platform by hand)."""
    cutoff = due_at - dt.timedelta(hours=rule.min_age_hours)
    orders = Order.objects.filter(
        shop=shop,
        status=OrderStatus.WAIT_PAY,
        created_at__isnull=False,
        created_at__lte=cutoff,
    ).exclude(pk__in=Reminder.objects.filter(shop=shop).values("order_id"))
    if rule.mark_flag:
        orders = orders.exclude(flag=rule.mark_flag)
    return orders.order_by("buyer_nick", "created_at", "id")


def reminder_batch_create(
    *, shop: Shop, day: dt.date, now: dt.datetime | None = None
) -> ReminderBatch | None:
    """Today's batch, made once: None before the policy's time or without a reminder rule; the
    existing batch when it was made already (also when another worker made it meanwhile)."""
    now = now or clock.now()
    existing = ReminderBatch.objects.filter(shop=shop, day=day).first()
    if existing is not None:
        return existing
    found = reminder_rule(shop=shop, day=day)
    if found is None or now < found.due_at:
        return None
    rule = found.rule
    agents = duty_agents(shop=shop, at=found.due_at)
    split = not rule.one_agent and len(agents) > 1
    try:
        with transaction.atomic():
            batch = ReminderBatch.objects.create(
                shop=shop,
                day=day,
                due_at=found.due_at,
                agent=agents[0] if agents and not split else None,
                min_age_hours=rule.min_age_hours,
                mark_flag=rule.mark_flag or "",
                policy_version=found.version,
                clause=rule.clause,
            )
            orders = list(_candidates(shop=shop, rule=rule, due_at=found.due_at))
            nicks = {o.buyer_nick for o in orders if o.buyer_nick}
            Buyer.objects.bulk_create(
                [Buyer(shop=shop, nickname=n) for n in sorted(nicks)], ignore_conflicts=True
            )
            buyers = dict(
                Buyer.objects.filter(shop=shop, nickname__in=nicks).values_list("nickname", "id")
            )
            owners = _split(orders, agents) if split else {}
            Reminder.objects.bulk_create(
                [
                    Reminder(
                        shop=shop,
                        batch=batch,
                        order=order,
                        buyer_id=buyers.get(order.buyer_nick),
                        buyer_nick=order.buyer_nick,
                        order_created_at=order.created_at,
                        amount=order.total_amount,
                        agent_id=owners.get(_buyer_key(order)),
                    )
                    for order in orders
                ]
            )
    except IntegrityError:
        # Another worker made today's batch (or listed one of these orders) first.
        return ReminderBatch.objects.filter(shop=shop, day=day).first()
    _notify(batch)
    return batch


def _buyer_key(order: Order) -> str:
    """A buyer's orders go together; an order without a buyer name is its own group."""
    return f"nick:{order.buyer_nick}" if order.buyer_nick else f"order:{order.pk}"


def _split(orders: list[Order], agents: list[Agent]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for order in orders:  # in the list's order (buyer, then time)
        counts[_buyer_key(order)] = counts.get(_buyer_key(order), 0) + 1
    return reminder_split(groups=list(counts.items()), agents=[a.pk for a in agents])


def _notify(batch: ReminderBatch) -> None:
    shop = batch.shop
    count = batch.reminders.count()
    if count == 0:
        return
    link = reverse(
        "orders:reminder_batch", kwargs={"shop_id": shop.pk, "reminder_batch_id": batch.pk}
    )
    shares = list(
        batch.reminders.filter(agent__isnull=False)
        .values("agent")
        .annotate(n=Count("id"))
        .order_by("agent")
    )
    if shares:  # a split list: each agent hears of their own share
        agents = Agent.objects.in_bulk([s["agent"] for s in shares])
        for share in shares:
            user = agents[share["agent"]].user
            if user is None:
                continue
            title = _(
                "今天的催付名单：你负责 %(mine)s 个未付款订单"
                "（共 %(count)s 个，%(agents)s 位值班客服分担）"
            ) % {"mine": share["n"], "count": count, "agents": len(shares)}
            notice_send(shop=shop, recipients=[user], kind="task", title=title, link=link)
        return
    if batch.agent is not None:
        recipients: list[AbstractBaseUser] = [batch.agent.user] if batch.agent.user else []
        title = _("今天的催付名单：%(count)s 个未付款订单") % {"count": count}
    else:
        recipients = [*shop_members_who_can(shop=shop, capability=Capability.MANAGE_TEAM)]
        title = _("今天的催付名单（%(count)s 单）没有值班客服，请指定负责人") % {"count": count}
    if recipients:
        notice_send(shop=shop, recipients=recipients, kind="task", title=title, link=link)


def reminder_batches_create_due(*, now: dt.datetime | None = None) -> list[ReminderBatch]:
    """Every shop whose reminder time has passed today and has no batch yet gets one. Called by
    the scheduler every few minutes (config/schedule.py); idempotent."""
    now = now or clock.now()
    made = []
    days = [(now + dt.timedelta(days=d)).date() for d in (-1, 0, 1)]  # any zone's today
    done = set(ReminderBatch.objects.filter(day__in=days).values_list("shop_id", "day"))
    for shop in Shop.objects.all():
        day = now.astimezone(shop.tzinfo).date()
        if (shop.pk, day) in done:
            continue
        try:
            batch = reminder_batch_create(shop=shop, day=day, now=now)
        except Exception:  # one shop's bad data must not stop the others' rounds
            log.exception("unpaid reminder batch failed for shop %s", shop.pk)
            continue
        if batch is not None:
            made.append(batch)
    return made


def reminder_batch_assign(
    *,
    shop: Shop,
    batch: ReminderBatch,
    agent: Agent,
    acting_user: AbstractBaseUser | AnonymousUser | None,
) -> ReminderBatch:
    """The supervisor's choice of agent (no roster, nobody on duty, or a change of hands). The
    whole batch goes to that agent: the shares of a split list are given up."""
    if batch.shop_id != shop.pk:
        raise InvalidInput(_("催付批次不属于该店铺"))
    if not Assignment.objects.filter(shop=shop, agent=agent, active=True).exists():
        raise InvalidInput(_("%(name)s 不是本店在岗客服") % {"name": agent.name})
    old = batch.agent_id
    batch.agent = agent
    batch.assigned_by = acting_user if isinstance(acting_user, User) else None
    with transaction.atomic():
        batch.save(update_fields=["agent", "assigned_by"])
        Reminder.objects.filter(shop=shop, batch=batch, agent__isnull=False).update(agent=None)
    audit_record(
        shop=shop,
        actor=acting_user,
        action="orders.reminder_assign",
        object_type="ReminderBatch",
        object_id=batch.pk,
        old_value={"agent": old},
        new_value={"agent": agent.pk},
    )
    if agent.user is not None:
        link = reverse(
            "orders:reminder_batch", kwargs={"shop_id": shop.pk, "reminder_batch_id": batch.pk}
        )
        notice_send(
            shop=shop,
            recipients=[agent.user],
            kind="task",
            title=_("请处理 %(day)s 的催付名单") % {"day": f"{batch.day:%m-%d}"},
            link=link,
        )
    return batch


def reminder_mark(
    *,
    shop: Shop,
    reminder: Reminder,
    agent: Agent | None,
    acting_user: AbstractBaseUser | AnonymousUser | None,
    now: dt.datetime | None = None,
) -> list[Reminder]:
    """Mark a buyer reminded: this row and the buyer's other pending rows of the same batch
    (one message covers them all), with the policy's flag colour recorded. Marking twice
    changes nothing: a buyer is never reminded twice."""
    if reminder.shop_id != shop.pk:
        raise InvalidInput(_("催付记录不属于该店铺"))
    now = now or clock.now()
    batch = reminder.batch
    same_buyer = Reminder.objects.filter(shop=shop, batch=batch, reminded_at__isnull=True)
    same_buyer = (
        same_buyer.filter(buyer_nick=reminder.buyer_nick)
        if reminder.buyer_nick
        else same_buyer.filter(pk=reminder.pk)
    )
    rows = list(same_buyer)
    if not rows:
        return []
    with transaction.atomic():
        Reminder.objects.filter(pk__in=[r.pk for r in rows], reminded_at__isnull=True).update(
            reminded_at=now, reminded_by=agent, flag=batch.mark_flag
        )
        audit_record(
            shop=shop,
            actor=acting_user,
            action="orders.reminder_mark",
            object_type="ReminderBatch",
            object_id=batch.pk,
            new_value={"orders": [r.order_id for r in rows], "flag": batch.mark_flag},
        )
    return list(Reminder.objects.filter(pk__in=[r.pk for r in rows]))


def reminder_outcomes_refresh(*, shop: Shop) -> int:
    """Read the outcome of every pending reminder from its order as last imported: paid (the
    order left 等待买家付款 for paid, shipped or finished) or closed. The time is the order's
    payment time, else when an import first saw the new state. Returns rows changed."""
    pending = Reminder.objects.filter(shop=shop, outcome=ReminderOutcome.PENDING).select_related(
        "order"
    )
    changed = []
    for reminder in pending.filter(order__status__in=[*PAID_STATUSES, OrderStatus.CLOSED]):
        order = reminder.order
        paid = order.status in PAID_STATUSES
        seen = (
            OrderStatusChange.objects.filter(
                shop=shop, order=order, from_status=OrderStatus.WAIT_PAY
            )
            .order_by("seen_at")
            .values_list("seen_at", flat=True)
            .first()
        )
        reminder.outcome = ReminderOutcome.PAID if paid else ReminderOutcome.CLOSED
        reminder.outcome_at = (order.paid_at if paid else None) or seen or clock.now()
        changed.append(reminder)
    Reminder.objects.bulk_update(changed, ["outcome", "outcome_at"])
    return len(changed)


def reminder_outcomes_refresh_all() -> int:
    total = 0
    shops = Reminder.objects.filter(outcome=ReminderOutcome.PENDING).values("shop_id").distinct()
    for shop in Shop.objects.filter(pk__in=shops):
        total += reminder_outcomes_refresh(shop=shop)
    return total
