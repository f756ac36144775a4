"""Writes of after-sales cases: opening one on the policy's path, its steps, the chat log read,
photo evidence, the party at fault and the resolution. The ledger's writes are in ledger.py."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from kefu.aftersales.choices import CaseStatus, CaseType, EventKind, Party, Remedy
from kefu.aftersales.engine.paths import resolution_problems
from kefu.aftersales.engine.photos import EXTENSIONS, photo_problem, sniff_image
from kefu.aftersales.models import Case, CaseEvent, Photo
from kefu.aftersales.selectors import case_facts
from kefu.conversations.models import Buyer
from kefu.core import clock
from kefu.core.audit import audit_record
from kefu.core.errors import InvalidInput, NotFound
from kefu.core.models import Shop
from kefu.orders.models import Order
from kefu.performance.models import Fact
from kefu.performance.services import fact_record
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Agent, Assignment

AnyUser = AbstractBaseUser | AnonymousUser | None


def _user(acting_user: AnyUser) -> User | None:
    return acting_user if isinstance(acting_user, User) else None


def _event(case: Case, kind: str, at: dt.datetime, actor: AnyUser, text: str = "", **data: object):  # type: ignore[no-untyped-def]
    return CaseEvent.objects.create(
        shop_id=case.shop_id, case=case, kind=kind, text=text, data=data, at=at, actor=_user(actor)
    )


def _open_only(case: Case, shop: Shop) -> None:
    if case.shop_id != shop.pk:
        raise InvalidInput(_("售后单不属于该店铺"))
    if case.status == CaseStatus.RESOLVED:
        raise InvalidInput(_("该售后已解决，不能再修改"))


def case_open(
    *,
    shop: Shop,
    type: str,
    order_no: str = "",
    buyer_nick: str = "",
    description: str = "",
    agent: Agent | None = None,
    acting_user: AnyUser,
    now: dt.datetime | None = None,
) -> Case:
    """Open a case of one of the six types on the path the policy in force gives it, with its
    deadlines: the buyer hears from the shop within first_action_hours, the case is closed
    within resolve_days."""
    now = now or clock.now()
    if type not in CaseType.values:
        raise InvalidInput(_("未知的售后类型：%(type)s") % {"type": type})
    today = now.astimezone(shop.tzinfo).date()
    try:
        in_force = policy_in_force(shop=shop, on=today)
    except NotFound:
        raise InvalidInput(_("店铺还没有生效的管理制度，无法登记售后")) from None
    section = in_force.policy.after_sales
    rule = next((c for c in section.cases if c.type == type), None)
    if rule is None:
        raise InvalidInput(_("本店制度没有「%(type)s」类售后的处理流程") % {"type": type})
    if agent is not None and not Assignment.objects.filter(shop=shop, agent=agent).exists():
        raise InvalidInput(_("%(name)s 不是本店客服") % {"name": agent.name})
    order_no = order_no.strip()
    order = Order.objects.filter(shop=shop, order_no=order_no).first() if order_no else None
    if order_no and order is None:
        raise InvalidInput(_("本店没有订单 %(no)s") % {"no": order_no})
    nick = buyer_nick.strip() or (order.buyer_nick if order else "")
    buyer = Buyer.objects.get_or_create(shop=shop, nickname=nick)[0] if nick else None
    with transaction.atomic():
        case = Case.objects.create(
            shop=shop,
            type=type,
            label=rule.label,
            order=order,
            order_no=order_no,
            buyer=buyer,
            buyer_nick=nick,
            agent=agent,
            description=description.strip(),
            steps=list(rule.steps),
            remedies_allowed=list(rule.remedies),
            photo_evidence=rule.photo_evidence,
            record_party_at_fault=section.record_party_at_fault,
            weekly_meeting=section.report_to_weekly_meeting,
            policy_version=in_force.number,
            clause=rule.clause,
            opened_at=now,
            first_action_due=now + dt.timedelta(hours=rule.first_action_hours),
            resolve_due=now + dt.timedelta(days=rule.resolve_days),
            created_by=_user(acting_user),
        )
        _event(case, EventKind.OPENED, now, acting_user, description.strip())
        audit_record(
            shop=shop,
            actor=acting_user,
            action="aftersales.case_open",
            object_type="Case",
            object_id=case.pk,
            new_value={"type": type, "order_no": order_no, "buyer": nick},
        )
    return case


def case_step_done(
    *, shop: Shop, case: Case, index: int, acting_user: AnyUser, now: dt.datetime | None = None
) -> Case:
    """Tick one step of the path. The first step ticked is the first action (the deadline)."""
    _open_only(case, shop)
    now = now or clock.now()
    if not 0 <= index < len(case.steps):
        raise InvalidInput(_("没有第 %(n)s 步") % {"n": index + 1})
    if index in case.steps_done:
        return case
    case.steps_done = sorted([*case.steps_done, index])
    case.first_action_at = case.first_action_at or now
    case.status = CaseStatus.IN_PROGRESS
    with transaction.atomic():
        case.save(update_fields=["steps_done", "first_action_at", "status"])
        _event(case, EventKind.STEP, now, acting_user, case.steps[index], index=index)
    return case


def case_chat_read(
    *, shop: Shop, case: Case, acting_user: AnyUser, now: dt.datetime | None = None
) -> Case:
    """The agent opened the buyer's chat log from the case (recorded once)."""
    if case.shop_id != shop.pk:
        raise InvalidInput(_("售后单不属于该店铺"))
    if case.chat_read_at is not None or case.status == CaseStatus.RESOLVED:
        return case
    now = now or clock.now()
    case.chat_read_at = now
    with transaction.atomic():
        case.save(update_fields=["chat_read_at"])
        _event(case, EventKind.CHAT_READ, now, acting_user)
    return case


def case_photo_add(
    *,
    shop: Shop,
    case: Case,
    data: bytes,
    name: str,
    acting_user: AnyUser,
    now: dt.datetime | None = None,
) -> Photo:
    """Store one photo of evidence under MEDIA_ROOT after checking its size and that its bytes
    are an image (the name and the browser's content type are not trusted)."""
    _open_only(case, shop)
    problem = photo_problem(data, name)
    if problem:
        raise InvalidInput(problem)
    content_type = sniff_image(data) or ""
    digest = hashlib.sha256(data).hexdigest()
    if Photo.objects.filter(case=case, sha256=digest).exists():
        raise InvalidInput(_("%(name)s：这张照片已经上传过") % {"name": name})
    now = now or clock.now()
    with transaction.atomic():
        photo = Photo(
            shop=shop,
            case=case,
            original_name=name[:255],
            content_type=content_type,
            size=len(data),
            sha256=digest,
            uploaded_by=_user(acting_user),
            uploaded_at=now,
        )
        photo.file.save(f"{digest[:16]}.{EXTENSIONS[content_type]}", ContentFile(data), save=False)
        photo.save()
        _event(case, EventKind.PHOTO, now, acting_user, name, photo=photo.pk)
    return photo


def case_fault_record(
    *,
    shop: Shop,
    case: Case,
    party: str,
    note: str = "",
    signed_for: bool | None = None,
    acting_user: AnyUser,
    now: dt.datetime | None = None,
) -> Case:
    """The party at fault 责任方 (and, for damage in transit, whether the buyer signed)."""
    _open_only(case, shop)
    if party not in Party.values:
        raise InvalidInput(_("未知的责任方：%(party)s") % {"party": party})
    now = now or clock.now()
    case.party_at_fault = party
    case.fault_note = note.strip()
    if signed_for is not None:
        case.signed_for = signed_for
    with transaction.atomic():
        case.save(update_fields=["party_at_fault", "fault_note", "signed_for"])
        _event(
            case,
            EventKind.FAULT,
            now,
            acting_user,
            note.strip(),
            party=party,
            signed_for=signed_for,
        )
    return case


def case_resolve(
    *,
    shop: Shop,
    case: Case,
    resolution: str,
    coupon: bool = False,
    note: str = "",
    acting_user: AnyUser,
    now: dt.datetime | None = None,
) -> Case:
    """Close the case with a remedy, when its type's path allows it (engine/paths.py)."""
    _open_only(case, shop)
    if resolution and resolution not in Remedy.values:
        raise InvalidInput(_("未知的处理结果：%(r)s") % {"r": resolution})
    now = now or clock.now()
    case.resolution = resolution
    case.coupon = coupon
    problems = resolution_problems(case_facts(case))
    if problems:
        case.refresh_from_db()
        raise InvalidInput(problems[0], details=problems)
    case.resolution_note = note.strip()
    case.status = CaseStatus.RESOLVED
    case.resolved_at = now
    with transaction.atomic():
        case.save(
            update_fields=["resolution", "coupon", "resolution_note", "status", "resolved_at"]
        )
        _event(case, EventKind.RESOLVED, now, acting_user, note.strip(), resolution=resolution)
        audit_record(
            shop=shop,
            actor=acting_user,
            action="aftersales.case_resolve",
            object_type="Case",
            object_id=case.pk,
            new_value={"resolution": resolution, "party": case.party_at_fault, "coupon": coupon},
        )
        case_fault_fact(shop=shop, case=case, acting_user=acting_user)
    return case


FACT_SOURCE = "aftersales"


def fault_fact_key(case: Case) -> str | None:
    """The fact a resolved case writes for points and payroll, or None. Only the agent's own
    fault counts (party 客服): a return → `return_poor_service` (S1 绩效薪资计算 4: a return
    caused by poor service); any other resolution → `aftersales_staff_fault`."""
    if case.status != CaseStatus.RESOLVED or case.party_at_fault != Party.STAFF:
        return None
    return "return_poor_service" if case.resolution == Remedy.RETURN else "aftersales_staff_fault"


def case_fault_fact(*, shop: Shop, case: Case, acting_user: AnyUser) -> Fact | None:
    """Record the fault fact of a resolved case against the case's agent, with the case as
    evidence; idempotent (source `aftersales`, source_ref `case:<id>:staff_fault`). A case with
    no agent writes none (nobody to charge)."""
    key = fault_fact_key(case)
    if key is None or case.agent is None or case.resolved_at is None:
        return None
    return fact_record(
        shop=shop,
        agent=case.agent,
        key=key,
        occurred_at=case.resolved_at,
        source=FACT_SOURCE,
        source_ref=f"case:{case.pk}:staff_fault",
        evidence={
            "case_id": case.pk,
            "type": case.type,
            "order_no": case.order_no,
            "buyer": case.buyer_nick,
            "resolution": case.resolution,
            "fault_note": case.fault_note[:200],
            "opened_at": case.opened_at.isoformat(),
            "resolved_at": case.resolved_at.isoformat(),
        },
        note=case.fault_note[:200],
        acting_user=_user(acting_user),
    )
