"""Demo data for attendance and the worklog: punches for the published shifts of this month up
to yesterday (mostly on time, a few late, early or absent), handover entries and their
acknowledgements, weekly summaries and daily records, then the morning job replayed for each
day so the facts exist. Deterministic for a shop."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from kefu.attendance import roster
from kefu.attendance.choices import PunchSource
from kefu.attendance.models import Punch
from kefu.core.errors import NotFound
from kefu.core.models import Shop
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Agent
from kefu.worklog import selectors
from kefu.worklog.choices import SummaryStatus
from kefu.worklog.engine import due_in_week, monday_of
from kefu.worklog.facts import day_close
from kefu.worklog.models import DailyRecord, HandoverAck, HandoverEntry, WeeklySummary

NOTES = (
    "买家催发货，已联系仓库明早优先发出，请跟进物流单号。",
    "有一位买家申请退款未处理，等待买家寄回商品后再操作。",
    "两单地址需要修改，已备注在订单上，请核对后通知仓库。",
    "买家咨询保温杯保温时长，已回复，明天需要回访是否满意。",
    "中差评一条，买家反映包装破损，已致电沟通，请继续跟进改评。",
)
SUMMARY = (
    "本周共接待买家约三百人次，主要咨询商品规格、发货时间和售后退换。询单转化较上周有所提升，"
    "催付成功十余单。遇到的问题：部分买家对发货速度不满，物流延迟导致两条中评，已沟通处理；"
    "快捷短语中有两条话术不够清楚，已提交修改建议。下周计划：提高响应速度，首次响应控制在"
    "三十秒内，加强对新品卖点的熟悉，主动跟进未付款订单，并做好交接本记录，确保晚班接手时"
    "信息完整。"
)


def worklog_demo_replay(*, shop: Shop, today: dt.date) -> int:
    """Fill the month so far and record its facts; returns the number of facts written."""
    rng = random.Random(shop.pk * 7919)
    start = today.replace(day=1)
    yesterday = today - dt.timedelta(days=1)
    if yesterday < start:
        return 0
    try:
        policy = policy_in_force(shop=shop, on=start).policy
    except NotFound:
        return 0
    shifts = roster.shifts_for(shop=shop, start=start, end=yesterday)
    agents = {str(a.pk): a for a in Agent.objects.filter(assignments__shop=shop)}
    minute = dt.timedelta(minutes=1)
    punches = []
    for shift in shifts:
        roll = rng.random()
        if roll < 0.02:
            continue  # absent
        late = rng.randint(1, 25) if roll < 0.14 else rng.randint(35, 45) if roll < 0.16 else 0
        early = rng.randint(5, 20) if 0.16 <= roll < 0.19 else 0
        arrive = (
            shift.starts_at + late * minute
            if late
            else shift.starts_at - rng.randint(2, 12) * minute
        )
        leave = (
            shift.ends_at - early * minute if early else shift.ends_at + rng.randint(0, 15) * minute
        )
        for at in (arrive, leave):
            punches.append(
                Punch(
                    shop=shop,
                    agent=agents[shift.agent_id],
                    at=at,
                    source=PunchSource.IMPORT,
                    device="1",
                )
            )
    Punch.objects.bulk_create(punches, ignore_conflicts=True)
    entries = []
    for shift in shifts:
        if rng.random() < 0.85:
            entries.append(
                HandoverEntry.objects.create(
                    shop=shop,
                    author=agents[shift.agent_id],
                    written_at=shift.ends_at - 10 * minute,
                    shift_date=shift.local_date,
                    shift_key=shift.shift_key,
                    text=rng.choice(NOTES),
                )
            )
    for entry in entries:
        for recipient in selectors.recipients(shop=shop, entry=entry):
            if rng.random() < 0.9:
                read_at = max(recipient.shift.starts_at + 5 * minute, entry.written_at + minute)
                HandoverAck.objects.create(
                    shop=shop, entry=entry, agent_id=recipient.agent_id, acknowledged_at=read_at
                )
    rule = policy.weekly_summary
    if rule.required and rule.due is not None:
        week = monday_of(start)
        limit = dt.datetime.combine(today, dt.time(), tzinfo=shop.tzinfo)
        while (due_at := due_in_week(week, rule.due, shop.tzinfo)) < limit:
            for agent in agents.values():
                roll = rng.random()
                if roll < 0.1:
                    continue
                text = SUMMARY if roll > 0.2 else SUMMARY[:120]
                WeeklySummary.objects.get_or_create(
                    shop=shop,
                    agent=agent,
                    week_start=week,
                    defaults={
                        "text": text,
                        "status": SummaryStatus.SUBMITTED,
                        "submitted_at": due_at - dt.timedelta(hours=rng.randint(1, 30)),
                    },
                )
            week += dt.timedelta(days=7)
    if policy.daily_record.required:
        for shift in shifts:
            if rng.random() < 0.9:
                DailyRecord.objects.get_or_create(
                    shop=shop,
                    agent=agents[shift.agent_id],
                    local_date=shift.local_date,
                    defaults={
                        "buyers_received": rng.randint(40, 120),
                        "buyers_converted": rng.randint(5, 30),
                        "converted_amount": Decimal(rng.randint(800, 6000)),
                        "submitted_at": shift.ends_at,
                    },
                )
    count = 0
    day = start + dt.timedelta(days=1)
    while day <= today:
        morning = dt.datetime.combine(day, dt.time(6, 30), tzinfo=shop.tzinfo)
        count += day_close(shop=shop, on=day, as_of=morning)
        day += dt.timedelta(days=1)
    return count
