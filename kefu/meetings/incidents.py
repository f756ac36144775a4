"""Writes to the incident log 突发事件 (S1): the first to know records time, place, symptom and
plan; afterwards the fault report gives impact, cause and corrective action."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction

from kefu.core import clock
from kefu.core.audit import audit_record
from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.meetings.choices import IncidentStatus
from kefu.meetings.models import Incident


def _required(values: dict[str, str], labels: dict[str, str]) -> dict[str, str]:
    cleaned = {k: (values.get(k) or "").strip() for k in labels}
    missing = [labels[k] for k, v in cleaned.items() if not v]
    if missing:
        raise InvalidInput(f"请填写：{'、'.join(missing)}")
    return cleaned


@transaction.atomic
def incident_record(
    *,
    shop: Shop,
    occurred_at: dt.datetime,
    place: str,
    symptom: str,
    plan: str,
    acting_user: User | None,
) -> Incident:
    values = _required(
        {"place": place, "symptom": symptom, "plan": plan},
        {"place": "地点", "symptom": "现象", "plan": "处理方案"},
    )
    if occurred_at.tzinfo is None:
        occurred_at = occurred_at.replace(tzinfo=shop.tzinfo)
    if occurred_at > clock.now() + dt.timedelta(minutes=5):
        raise InvalidInput("发生时间不能晚于现在")
    incident = Incident.objects.create(
        shop=shop, occurred_at=occurred_at, reported_by=acting_user, **values
    )
    audit_record(
        shop=shop,
        actor=acting_user,
        action="incident.record",
        object_type="incident",
        object_id=incident.pk,
        new_value={**values, "occurred_at": occurred_at.isoformat()},
    )
    return incident


@transaction.atomic
def incident_report(
    *,
    shop: Shop,
    incident: Incident,
    impact: str,
    cause: str,
    corrective_action: str,
    acting_user: User | None,
) -> Incident:
    """The fault report; it closes the incident. Written once (a ledger of what happened)."""
    if incident.shop_id != shop.pk:
        raise InvalidInput("事件不属于本店")
    if incident.status == IncidentStatus.CLOSED:
        raise InvalidInput("这起事件已经有故障报告")
    values = _required(
        {"impact": impact, "cause": cause, "corrective_action": corrective_action},
        {"impact": "影响", "cause": "原因", "corrective_action": "纠正措施"},
    )
    for key, value in values.items():
        setattr(incident, key, value)
    incident.status, incident.report_at = IncidentStatus.CLOSED, clock.now()
    incident.save()
    audit_record(
        shop=shop,
        actor=acting_user,
        action="incident.report",
        object_type="incident",
        object_id=incident.pk,
        new_value=values,
    )
    return incident
