"""Writes of return visits 回访: the schedule from the policy (created daily, assigned to the
agent who last served the buyer), missed visits, and the visit recorded. Keyword-only, atomic,
audited."""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.db import transaction
from django.db.models import Min

from kefu.buyers.choices import Channel, VisitOutcome, VisitStatus
from kefu.buyers.engine.schedule import VisitPlan, latest_due
from kefu.buyers.models import ReturnVisit
from kefu.buyers.selectors import erased_buyer_ids, last_serving_agent, paid_orders
from kefu.buyers.services import User, user_or_none
from kefu.conversations.models import Buyer
from kefu.core.audit import audit_record
from kefu.core.clock import now as clock_now
from kefu.core.errors import InvalidInput, NotFound
from kefu.core.models import Shop
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Agent, Assignment


def _plan(shop: Shop, on: dt.date) -> tuple[VisitPlan, int, str, int] | None:
    """The policy's schedule in force on `on`: plan, missed-after days, clause, version."""
    try:
        in_force = policy_in_force(shop=shop, on=on)
    except NotFound:
        return None
    section = in_force.policy.buyers
    rule = section.return_visits if section is not None else None
    if rule is None:
        return None
    plan = VisitPlan(
        first_period=rule.first_period_months,
        first_every=rule.first_period_every_months,
        then_every=rule.then_every_months,
    )
    return plan, rule.missed_after_days, rule.clause, in_force.version.number


@transaction.atomic
def return_visits_schedule(*, shop: Shop, on: dt.date) -> int:
    """Create the visits due on or before `on` (the latest one per buyer, from the first paid
    order's shop-local date); each is assigned to the agent who last served the buyer in chat,
    else left for the supervisor. Idempotent. Returns the number created."""
    plan = _plan(shop, on)
    if plan is None:
        return 0
    visit_plan, _, clause, version = plan
    firsts = (
        paid_orders(shop=shop)
        .exclude(buyer_nick="")
        .order_by()
        .values("buyer_nick")
        .annotate(first=Min("paid_at"))
    )
    by_nick = {row["buyer_nick"]: row["first"] for row in firsts}
    if not by_nick:
        return 0
    ids = dict(
        Buyer.objects.filter(shop=shop, nickname__in=by_nick)
        .exclude(pk__in=erased_buyer_ids(shop=shop))
        .values_list("nickname", "pk")
    )
    zone = shop.tzinfo
    frame = pl.DataFrame(
        {
            "buyer_id": [ids[n] for n in by_nick if n in ids],
            "first_order": [by_nick[n].astimezone(zone).date() for n in by_nick if n in ids],
        },
        schema={"buyer_id": pl.Int64, "first_order": pl.Date},
    )
    due = latest_due(frame, today=on, plan=visit_plan)
    if due.is_empty():
        return 0
    agents = dict(
        Buyer.objects.filter(shop=shop, pk__in=due["buyer_id"].to_list())
        .annotate(agent=last_serving_agent())
        .values_list("pk", "agent")
    )
    serving = set(
        Assignment.objects.filter(shop=shop, active=True).values_list("agent_id", flat=True)
    )
    before = ReturnVisit.objects.filter(shop=shop).count()
    ReturnVisit.objects.bulk_create(
        [
            ReturnVisit(
                shop=shop,
                buyer_id=buyer_id,
                due_on=due_on,
                agent_id=agents.get(buyer_id) if agents.get(buyer_id) in serving else None,
                clause=clause,
                policy_version=version,
            )
            for buyer_id, due_on in due.select("buyer_id", "due_on").iter_rows()
        ],
        ignore_conflicts=True,
    )
    return ReturnVisit.objects.filter(shop=shop).count() - before


@transaction.atomic
def return_visits_mark_missed(*, shop: Shop, on: dt.date) -> int:
    """Visits still due `missed_after_days` after their date become missed (one query)."""
    plan = _plan(shop, on)
    if plan is None:
        return 0
    missed_after = plan[1]
    return ReturnVisit.objects.filter(
        shop=shop, status=VisitStatus.DUE, due_on__lt=on - dt.timedelta(days=missed_after)
    ).update(status=VisitStatus.MISSED)


@transaction.atomic
def return_visit_record(
    *,
    shop: Shop,
    visit: ReturnVisit,
    channel: str,
    outcome: str,
    satisfaction: int | None,
    remark: str = "",
    acting_user: User,
    at: dt.datetime | None = None,
) -> ReturnVisit:
    """Record a visit made (also a missed one, made late). The satisfaction counts for the
    visit's agent; an unassigned visit goes to the recording agent."""
    if visit.shop_id != shop.pk:
        raise NotFound("没有这个回访")
    if visit.status == VisitStatus.DONE:
        raise InvalidInput("这次回访已经记录过了")
    if channel not in Channel.values:
        raise InvalidInput(f"未知的回访方式：{channel}")
    if outcome not in VisitOutcome.values:
        raise InvalidInput(f"未知的回访结果：{outcome}")
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        raise InvalidInput(f"满意度为 1-5 分，收到 {satisfaction}")
    if outcome in {VisitOutcome.SATISFIED, VisitOutcome.FEEDBACK} and satisfaction is None:
        raise InvalidInput("联系上买家的回访要填写满意度（1-5 分）")
    if visit.agent_id is None and acting_user is not None and acting_user.is_authenticated:
        visit.agent = Agent.objects.filter(user_id=acting_user.pk, assignments__shop=shop).first()
    visit.status = VisitStatus.DONE
    visit.channel = channel
    visit.outcome = outcome
    visit.satisfaction = satisfaction
    visit.remark = remark.strip()
    visit.done_at = at or clock_now()
    visit.recorded_by = user_or_none(acting_user)
    visit.save()
    audit_record(
        shop=shop,
        actor=acting_user,
        action="return_visit_record",
        object_type="return_visit",
        object_id=visit.pk,
        new_value={"outcome": outcome, "satisfaction": satisfaction, "agent": visit.agent_id},
    )
    return visit


@transaction.atomic
def return_visit_assign(
    *, shop: Shop, visit: ReturnVisit, agent: Agent | None, acting_user: User
) -> ReturnVisit:
    if visit.shop_id != shop.pk:
        raise NotFound("没有这个回访")
    if agent is not None and not Assignment.objects.filter(shop=shop, agent=agent).exists():
        raise NotFound("没有这个客服")
    old = visit.agent_id
    visit.agent = agent
    visit.save(update_fields=["agent"])
    audit_record(
        shop=shop,
        actor=acting_user,
        action="return_visit_assign",
        object_type="return_visit",
        object_id=visit.pk,
        old_value=old,
        new_value=visit.agent_id,
    )
    return visit
