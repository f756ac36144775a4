"""Writes of the complaint register: record, each step of the policy's path in order, the
confirmation (valid or not, agent at fault: a `complaint_valid` fact) and the return visit with
the satisfaction score. Atomic and audited."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from kefu.complaints.choices import ALL_STEPS, Channel, Step
from kefu.complaints.models import Complaint, ComplaintEvent
from kefu.conversations.models import Buyer
from kefu.core.audit import audit_record
from kefu.core.clock import now as clock_now
from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.performance.services import fact_record
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Agent, Assignment

SOURCE = "complaints"
FACT_KEY = "complaint_valid"


def _actor(user: User | None) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated else None


def complaint_steps(*, shop: Shop, on: dt.date) -> tuple[str, ...]:
    """The policy's path (complaints.steps), `record` first; none listed: all eight steps."""
    steps = tuple(policy_in_force(shop=shop, on=on).policy.complaints.steps) or ALL_STEPS
    return steps if steps[0] == Step.RECORD else (Step.RECORD.value, *steps)


def next_step(*, shop: Shop, complaint: Complaint) -> str | None:
    steps = complaint_steps(shop=shop, on=complaint.received_at.astimezone(shop.tzinfo).date())
    if complaint.step not in steps:
        return None
    index = steps.index(complaint.step)
    return steps[index + 1] if index + 1 < len(steps) else None


def _check_agent(shop: Shop, agent: Agent | None) -> None:
    if agent is not None and not Assignment.objects.filter(shop=shop, agent=agent).exists():
        raise InvalidInput(_("客服「%(name)s」不在本店") % {"name": agent.name})


@transaction.atomic
def complaint_record(
    *,
    shop: Shop,
    received_at: dt.datetime,
    channel: str,
    subject: str,
    content: str,
    buyer_nick: str = "",
    order_no: str = "",
    agent: Agent | None = None,
    acting_user: User | None,
) -> Complaint:
    """Step 1, 登记: a complaint enters the register."""
    if channel not in Channel.values:
        raise InvalidInput(_("未知的投诉渠道：%(c)s") % {"c": channel})
    if not subject.strip() or not content.strip():
        raise InvalidInput(_("投诉事由和投诉内容都要填写"))
    if received_at > clock_now() + dt.timedelta(minutes=5):
        raise InvalidInput(_("投诉时间不能在将来"))
    _check_agent(shop, agent)
    day = received_at.astimezone(shop.tzinfo).date()
    version = policy_in_force(shop=shop, on=day).version
    buyer = None
    if buyer_nick.strip():
        buyer, _created = Buyer.objects.get_or_create(shop=shop, nickname=buyer_nick.strip())
    complaint = Complaint.objects.create(
        shop=shop,
        received_at=received_at,
        channel=channel,
        subject=subject.strip(),
        content=content.strip(),
        buyer=buyer,
        buyer_nick=buyer_nick.strip(),
        order_no=order_no.strip(),
        agent=agent,
        step=Step.RECORD,
        policy_version=version,
        recorded_by=_actor(acting_user),
    )
    ComplaintEvent.objects.create(
        shop=shop,
        complaint=complaint,
        step=Step.RECORD,
        note=content.strip(),
        at=clock_now(),
        by=_actor(acting_user),
    )
    audit_record(
        shop=shop,
        actor=_actor(acting_user),
        action="complaint.record",
        object_type="complaint",
        object_id=complaint.pk,
        new_value={"subject": complaint.subject, "agent": agent.pk if agent else None},
    )
    return complaint


def _advance(
    *, shop: Shop, complaint: Complaint, step: str, note: str, acting_user: User | None
) -> None:
    if complaint.shop_id != shop.pk:
        raise InvalidInput(_("这条投诉不属于本店"))
    expected = next_step(shop=shop, complaint=complaint)
    if expected is None:
        raise InvalidInput(_("这条投诉已经处理完毕"))
    if step != expected:
        raise InvalidInput(
            _("下一步应是「%(expected)s」，不是「%(step)s」")
            % {"expected": Step(expected).label, "step": Step(step).label}
        )
    now = clock_now()
    complaint.step = step
    if step == Step.ARCHIVE:
        complaint.archived_at = now
    if next_step(shop=shop, complaint=complaint) is None:
        complaint.closed_at = now
    ComplaintEvent.objects.create(
        shop=shop, complaint=complaint, step=step, note=note, at=now, by=_actor(acting_user)
    )
    audit_record(
        shop=shop,
        actor=_actor(acting_user),
        action=f"complaint.{step}",
        object_type="complaint",
        object_id=complaint.pk,
        new_value=note[:200],
    )


@transaction.atomic
def complaint_step_record(
    *, shop: Shop, complaint: Complaint, step: str, note: str, acting_user: User | None
) -> Complaint:
    """A plain step (identify, investigate, follow up, archive, analyse) with what was found or
    done. Confirm and the return visit have their own services."""
    if step in (Step.CONFIRM, Step.RETURN_VISIT, Step.RECORD):
        raise InvalidInput(_("「%(step)s」有专门的表单") % {"step": Step(step).label})
    if step in (Step.INVESTIGATE, Step.ANALYSE, Step.FOLLOW_UP) and not note.strip():
        raise InvalidInput(_("请写下「%(step)s」的内容") % {"step": Step(step).label})
    _advance(shop=shop, complaint=complaint, step=step, note=note.strip(), acting_user=acting_user)
    if step == Step.INVESTIGATE:
        complaint.cause = note.strip()
    elif step == Step.ANALYSE:
        complaint.analysis = note.strip()
    complaint.save()
    return complaint


def valid_complaints_in_month(*, shop: Shop, agent: Agent, day: dt.date) -> list[Complaint]:
    """The agent's valid, agent-at-fault complaints received in the natural month of `day`,
    in order (the first is 第1次)."""
    first = day.replace(day=1)
    after = (first + dt.timedelta(days=32)).replace(day=1)
    tz = shop.tzinfo
    start = dt.datetime.combine(first, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(after, dt.time(), tzinfo=tz)
    return list(
        Complaint.objects.filter(
            shop=shop,
            agent=agent,
            valid=True,
            agent_at_fault=True,
            received_at__gte=start,
            received_at__lt=end,
        ).order_by("received_at", "id")
    )


@transaction.atomic
def complaint_confirm(
    *,
    shop: Shop,
    complaint: Complaint,
    valid: bool,
    agent_at_fault: bool,
    result: str,
    agent: Agent | None = None,
    acting_user: User | None,
) -> Complaint:
    """确认结果: valid or not, and whether the agent is at fault. A valid complaint with an agent
    at fault becomes a `complaint_valid` fact dated by the complaint, so the fines and points
    count it in the natural month it was received (S4.1-S4.4, S3)."""
    if not result.strip():
        raise InvalidInput(_("请写下处理结果"))
    if agent is not None:
        _check_agent(shop, agent)
        complaint.agent = agent
    if agent_at_fault and not valid:
        raise InvalidInput(_("无效投诉不能记客服责任"))
    if agent_at_fault and complaint.agent is None:
        raise InvalidInput(_("客服责任要选出被投诉的客服"))
    _advance(
        shop=shop, complaint=complaint, step=Step.CONFIRM, note=result, acting_user=acting_user
    )
    complaint.valid = valid
    complaint.agent_at_fault = agent_at_fault
    complaint.result = result.strip()
    complaint.confirmed_at = clock_now()
    complaint.save()
    if valid and agent_at_fault and complaint.agent is not None:
        local = complaint.received_at.astimezone(shop.tzinfo)
        in_month = valid_complaints_in_month(shop=shop, agent=complaint.agent, day=local.date())
        nth = [c.pk for c in in_month].index(complaint.pk) + 1
        fact = fact_record(
            shop=shop,
            agent=complaint.agent,
            key=FACT_KEY,
            occurred_at=complaint.received_at,
            local_date=local.date(),
            source=SOURCE,
            source_ref=f"complaint:{complaint.pk}",
            evidence={
                "complaint_id": complaint.pk,
                "month": f"{local:%Y-%m}",
                "nth_in_month": nth,
                "subject": complaint.subject,
                "buyer": complaint.buyer_nick,
                "order_no": complaint.order_no,
                "result": complaint.result[:200],
            },
            note=complaint.subject,
            acting_user=acting_user,
        )
        complaint.fact_id = fact.pk
        complaint.save(update_fields=["fact_id", "updated_at"])
    return complaint


@transaction.atomic
def complaint_return_visit(
    *,
    shop: Shop,
    complaint: Complaint,
    satisfaction: int,
    evaluation: str = "",
    acting_user: User | None,
) -> Complaint:
    """回访: the customer's satisfaction (1-5) and, where the policy keeps an evaluation form
    客户评价单 (complaints.evaluation_form), what the customer said."""
    if satisfaction not in (1, 2, 3, 4, 5):
        raise InvalidInput(_("满意度是 1 到 5 分，收到 %(s)s") % {"s": satisfaction})
    day = complaint.received_at.astimezone(shop.tzinfo).date()
    form = policy_in_force(shop=shop, on=day).policy.complaints.evaluation_form
    if form and not evaluation.strip():
        raise InvalidInput(_("本店制度要求填写客户评价单：请写下客户的评价"))
    _advance(
        shop=shop,
        complaint=complaint,
        step=Step.RETURN_VISIT,
        note=f"{satisfaction}/5 {evaluation}".strip(),
        acting_user=acting_user,
    )
    complaint.satisfaction = satisfaction
    complaint.evaluation = evaluation.strip()
    complaint.visited_at = clock_now()
    complaint.save()
    return complaint
