"""One object of the shop per URL parameter of the meetings app (tests/test_tenancy.py)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kefu.core.models import Shop
from kefu.meetings.models import ActionItem, DutyAssignment, Incident, Meeting
from kefu.staff.models import Assignment


def shop_objects(*, shop: Shop, assignment: Assignment) -> dict[str, int]:
    now = timezone.now()
    meeting = Meeting.objects.create(
        shop=shop, title="例会", starts_at=now, local_date=now.astimezone(shop.tzinfo).date()
    )
    action = ActionItem.objects.create(
        shop=shop,
        meeting=meeting,
        text="更新短语",
        agent=assignment.agent,
        due_date=dt.date.today(),
    )
    duty = DutyAssignment.objects.create(
        shop=shop,
        local_date=meeting.local_date,
        task_key="office_morning",
        task_label="上班前清洁办公室",
        timing="early",
        agent=assignment.agent,
    )
    incident = Incident.objects.create(
        shop=shop, occurred_at=now, place="办公室", symptom="断网", plan="热点"
    )
    return {
        "meeting_id": meeting.pk,
        "action_id": action.pk,
        "duty_id": duty.pk,
        "incident_id": incident.pk,
    }
