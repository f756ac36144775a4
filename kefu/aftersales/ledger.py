"""The compensation ledger 打款登记 (S4.4 §4.3): every payment in or out is recorded with the
policy's note ("content + agent name", e.g. 删除中评_慧兰), signed by finance, and never changed:
a mistake is undone by a reversing entry. The model refuses edits and deletes as well
(models.Payment), so no code path can silently change an entry."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kefu.aftersales.choices import Direction
from kefu.aftersales.models import Case, Payment
from kefu.aftersales.reconcile import ledger_reconcile
from kefu.aftersales.selectors import payments
from kefu.core import clock
from kefu.core.audit import audit_record
from kefu.core.errors import InvalidInput, NotFound
from kefu.core.models import Shop
from kefu.core.money import money, round_money
from kefu.policy.schema.cases import Payments
from kefu.policy.selectors import policy_in_force
from kefu.staff.models import Agent, Assignment

AnyUser = AbstractBaseUser | AnonymousUser | None
NOTE_MAX = 150


def _user(acting_user: AnyUser) -> User | None:
    return acting_user if isinstance(acting_user, User) else None


def _rule(shop: Shop, day: dt.date) -> tuple[Payments, int]:
    """The policy's payment rule (the default note template when the policy has none)."""
    try:
        in_force = policy_in_force(shop=shop, on=day)
    except NotFound:
        raise InvalidInput(_("店铺还没有生效的管理制度，无法登记打款")) from None
    rule = in_force.policy.after_sales.payments
    return (rule or Payments(clause="RULEBOOK §7（Kefu 默认）")), in_force.number


def _amount(value: str | int | Decimal) -> Decimal:
    try:
        amount = round_money(money(value))
    except (ValueError, TypeError):
        raise InvalidInput(_("金额无法识别：%(v)s") % {"v": value}) from None
    if amount <= 0:
        raise InvalidInput(_("金额必须大于 0：%(v)s") % {"v": value})
    if amount >= Decimal("10000000000"):
        raise InvalidInput(_("金额过大：%(v)s") % {"v": value})
    return amount


def payment_record(
    *,
    shop: Shop,
    agent: Agent | None,
    content: str,
    amount: str | int | Decimal,
    direction: str = Direction.OUT,
    case: Case | None = None,
    order_no: str = "",
    buyer_nick: str = "",
    paid_on: dt.date | None = None,
    acting_user: AnyUser,
    now: dt.datetime | None = None,
) -> Payment:
    """Record one payment. Its note is the policy's refund_note filled with the content and the
    agent's name; a payment without content (so without a note) is refused."""
    now = now or clock.now()
    day = paid_on or now.astimezone(shop.tzinfo).date()
    content = " ".join(content.split())
    if not content:
        raise InvalidInput(_("打款必须有备注：请填写内容（如「删除中评」），备注为“内容_客服姓名”"))
    if agent is None:
        raise InvalidInput(_("打款必须写明经办客服（备注为“内容_客服姓名”）"))
    if not Assignment.objects.filter(shop=shop, agent=agent).exists():
        raise InvalidInput(_("%(name)s 不是本店客服") % {"name": agent.name})
    if direction not in Direction.values:
        raise InvalidInput(_("未知的收支方向：%(d)s") % {"d": direction})
    value = _amount(amount)
    if case is not None and case.shop_id != shop.pk:
        raise InvalidInput(_("售后单不属于该店铺"))
    rule, version = _rule(shop, day)
    note = rule.refund_note.format(content=content, agent=agent.name)
    if len(note) > NOTE_MAX:
        raise InvalidInput(
            _("备注过长（最多 %(n)s 个字符）：%(note)s") % {"n": NOTE_MAX, "note": note}
        )
    with transaction.atomic():
        payment = Payment.objects.create(
            shop=shop,
            case=case,
            order_no=(order_no or (case.order_no if case else "")).strip()[:64],
            buyer_nick=(buyer_nick or (case.buyer_nick if case else "")).strip()[:100],
            direction=direction,
            amount=value,
            content=content[:100],
            agent=agent,
            note=note,
            paid_on=day,
            policy_version=version,
            clause=rule.clause,
            created_at=now,
            created_by=_user(acting_user),
        )
        audit_record(
            shop=shop,
            actor=acting_user,
            action="aftersales.payment_record",
            object_type="Payment",
            object_id=payment.pk,
            new_value={"amount": str(value), "direction": direction, "note": note},
        )
    return payment


def payment_sign(
    *, shop: Shop, payment: Payment, acting_user: AnyUser, now: dt.datetime | None = None
) -> Payment:
    """Finance's signature. Once signed, the entry never changes (models.Payment.save)."""
    if payment.shop_id != shop.pk:
        raise InvalidInput(_("打款记录不属于该店铺"))
    if payment.signed_at is not None:
        raise InvalidInput(_("这笔打款已经签字"))
    user = _user(acting_user)
    if user is None:
        raise InvalidInput(_("签字需要登录的财务人员"))
    payment.signed_at = now or clock.now()
    payment.signed_by = user
    with transaction.atomic():
        payment.save(update_fields=["signed_at", "signed_by"])
        audit_record(
            shop=shop,
            actor=acting_user,
            action="aftersales.payment_sign",
            object_type="Payment",
            object_id=payment.pk,
            new_value={"amount": str(payment.amount), "note": payment.note},
        )
    return payment


def payment_reverse(
    *,
    shop: Shop,
    payment: Payment,
    reason: str,
    acting_user: AnyUser,
    now: dt.datetime | None = None,
) -> Payment:
    """Undo an entry with a new one of the opposite amount (the original stays as it was).
    An entry is reversed at most once; a reversal is not itself reversed (record anew)."""
    if payment.shop_id != shop.pk:
        raise InvalidInput(_("打款记录不属于该店铺"))
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput(_("冲销必须写明原因"))
    if payment.reverses_id is not None:
        raise InvalidInput(_("这是一笔冲销记录，不能再冲销；请重新登记正确的打款"))
    if Payment.objects.filter(reverses=payment).exists():
        raise InvalidInput(_("这笔打款已经冲销过"))
    now = now or clock.now()
    day = now.astimezone(shop.tzinfo).date()
    rule, version = _rule(shop, day)
    content = _("冲销：%(reason)s") % {"reason": reason}
    note = rule.refund_note.format(content=content, agent=payment.agent.name)[:NOTE_MAX]
    try:
        with transaction.atomic():
            reversal = Payment.objects.create(
                shop=shop,
                case=payment.case,
                order_no=payment.order_no,
                buyer_nick=payment.buyer_nick,
                direction=payment.direction,
                amount=-payment.amount,
                content=content[:100],
                agent=payment.agent,
                note=note,
                paid_on=day,
                reverses=payment,
                policy_version=version,
                clause=rule.clause,
                created_at=now,
                created_by=_user(acting_user),
            )
            audit_record(
                shop=shop,
                actor=acting_user,
                action="aftersales.payment_reverse",
                object_type="Payment",
                object_id=payment.pk,
                new_value={"reversal": reversal.pk, "reason": reason},
            )
    except IntegrityError:
        raise InvalidInput(_("这笔打款已经冲销过")) from None
    return reversal


XLSX_HEADER = [
    "登记号", "打款日期", "收支", "金额", "备注", "内容", "经办客服", "订单号", "买家", "售后单",
    "冲销登记号", "登记人", "登记时间", "财务签字", "签字时间", "制度版本", "条款",
    "平台对账", "平台打款单号",
]  # fmt: skip

MISSING_HEADER = ["平台", "单号", "订单号", "金额", "申请时间", "状态", "原因", "申请人"]


def ledger_xlsx(*, shop: Shop, start: dt.date, end: dt.date) -> bytes:
    """The ledger for finance, one row per entry (reversals as negative amounts), with totals."""
    import openpyxl

    tz = shop.tzinfo
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"打款登记 {start:%Y%m%d}-{end:%Y%m%d}"
    sheet.append(XLSX_HEADER)
    out = received = Decimal("0")
    reconciled = ledger_reconcile(shop=shop, start=start, end=end)
    for p in payments(shop=shop, start=start, end=end):
        payout = reconciled.matched.get(p.pk)
        if p.direction == Direction.OUT:
            out += p.amount
        else:
            received += p.amount
        sheet.append(
            [
                p.pk,
                p.paid_on,
                p.get_direction_display(),
                p.amount,
                p.note,
                p.content,
                p.agent.name,
                p.order_no,
                p.buyer_nick,
                p.case_id,
                p.reverses_id,
                p.created_by.get_username() if p.created_by else "",
                p.created_at.astimezone(tz).replace(tzinfo=None),
                p.signed_by.get_username() if p.signed_by else "",
                p.signed_at.astimezone(tz).replace(tzinfo=None) if p.signed_at else None,
                p.policy_version,
                p.clause,
                reconciled.label(p.pk),
                payout.ref_no if payout is not None else "",
            ]
        )
        sheet.cell(row=sheet.max_row, column=4).number_format = "0.00"
    sheet.append([])
    sheet.append(["合计支出", None, None, out])
    sheet.append(["合计收入", None, None, received])
    for row in (sheet.max_row - 1, sheet.max_row):
        sheet.cell(row=row, column=4).number_format = "0.00"
    # The platform's payouts in the period that nobody entered in the ledger.
    missing = book.create_sheet("平台打款未登记")
    missing.append(MISSING_HEADER)
    for row in reconciled.payouts_missing:
        missing.append(
            [
                row.platform,
                row.ref_no,
                row.order_no,
                row.amount,
                row.applied_at.astimezone(tz).replace(tzinfo=None) if row.applied_at else None,
                row.status,
                row.reason,
                row.applicant,
            ]
        )
        missing.cell(row=missing.max_row, column=4).number_format = "0.00"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
