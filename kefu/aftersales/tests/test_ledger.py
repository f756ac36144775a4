"""The compensation ledger: the policy's note (删除中评_慧兰, S4.4), no payment without one,
finance's signature, append-only (model and services), reversal, totals and the xlsx export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from kefu.aftersales import ledger, selectors, services
from kefu.aftersales.models import LedgerError, Payment
from kefu.aftersales.tests.conftest import OPENED, login
from kefu.core.errors import InvalidInput
from kefu.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def pay(shop, agent, content="删除中评", amount="5", **kwargs) -> Payment:  # type: ignore[no-untyped-def]
    return ledger.payment_record(
        shop=shop,
        agent=agent,
        content=content,
        amount=amount,
        acting_user=None,
        now=OPENED,
        **kwargs,
    )


def test_each_payment_carries_the_policys_note(shop, agent) -> None:
    case = services.case_open(
        shop=shop, type="quality_problem", order_no="", buyer_nick="tb_甲", agent=agent,
        acting_user=None, now=OPENED,
    )  # fmt: skip
    payment = pay(shop, agent, amount="12.5", case=case)
    assert payment.note == "删除中评_慧兰"
    assert (payment.amount, payment.direction, payment.buyer_nick) == (
        Decimal("12.50"),
        "out",
        "tb_甲",
    )
    assert (payment.paid_on, payment.policy_version) == (dt.date(2026, 3, 2), 1)
    assert payment.clause == "S4.4 §4.3 财务制度"
    entry = AuditEntry.objects.get(shop=shop, action="aftersales.payment_record")
    assert entry.new_value == {"amount": "12.50", "direction": "out", "note": "删除中评_慧兰"}


@pytest.mark.parametrize(
    ("content", "amount", "message"),
    [
        ("", "5", "打款必须有备注：请填写内容（如「删除中评」），备注为“内容_客服姓名”"),
        ("   ", "5", "打款必须有备注"),
        ("补邮费", "abc", "金额无法识别：abc"),
        ("补邮费", "0", "金额必须大于 0：0"),
        ("补邮费", "-3", "金额必须大于 0：-3"),
    ],
)
def test_a_payment_without_a_note_or_amount_is_refused(
    shop, agent, content: str, amount: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        pay(shop, agent, content=content, amount=amount)
    assert not Payment.objects.exists()


def test_a_payment_without_an_agent_is_refused(shop) -> None:
    with pytest.raises(InvalidInput, match="经办客服"):
        pay(shop, None)


def test_the_database_refuses_an_entry_without_a_note(shop, agent) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            shop=shop, direction="out", amount=Decimal("1"), content="x", agent=agent, note="",
            paid_on=dt.date(2026, 3, 2), policy_version=1, created_at=OPENED,
        )  # fmt: skip


def test_entries_are_never_edited_or_deleted(shop, agent) -> None:
    payment = pay(shop, agent)
    payment.amount = Decimal("50")
    with pytest.raises(LedgerError, match=r"cannot change \['amount'\]"):
        payment.save()
    with pytest.raises(LedgerError):
        payment.delete()
    with pytest.raises(LedgerError):
        Payment.objects.filter(pk=payment.pk).update(amount=Decimal("50"))
    with pytest.raises(LedgerError):
        Payment.objects.filter(pk=payment.pk).delete()
    assert Payment.objects.get(pk=payment.pk).amount == Decimal("5.00")


def test_finance_signs_and_then_nothing_changes(shop, agent, finance, supervisor) -> None:
    payment = pay(shop, agent)
    url = reverse("aftersales:payment_sign", args=[shop.pk, payment.pk])
    assert login(agent.user).post(url).status_code == 403
    assert login(supervisor).post(url).status_code == 403  # supervisors do not sign
    assert login(finance).post(url).status_code == 302
    payment.refresh_from_db()
    assert payment.signed_by == finance and payment.signed_at is not None
    signed_at = payment.signed_at

    # Signed: no field changes, not even the signature.
    payment.signed_at = OPENED
    with pytest.raises(LedgerError, match="is signed"):
        payment.save()
    with pytest.raises(InvalidInput, match="这笔打款已经签字"):
        ledger.payment_sign(
            shop=shop, payment=Payment.objects.get(pk=payment.pk), acting_user=finance
        )
    assert Payment.objects.get(pk=payment.pk).signed_at == signed_at
    assert AuditEntry.objects.filter(shop=shop, action="aftersales.payment_sign").count() == 1


def test_a_signed_entry_is_reversed_by_a_new_one(shop, agent, finance) -> None:
    payment = pay(shop, agent, amount="20")
    ledger.payment_sign(shop=shop, payment=payment, acting_user=finance)
    later = OPENED + dt.timedelta(days=1)
    reversal = ledger.payment_reverse(
        shop=shop, payment=payment, reason="重复打款", acting_user=finance, now=later
    )
    assert (reversal.amount, reversal.reverses, reversal.signed_at) == (
        Decimal("-20.00"),
        payment,
        None,
    )
    assert reversal.note == "冲销：重复打款_慧兰"
    assert reversal.paid_on == dt.date(2026, 3, 3)
    original = Payment.objects.get(pk=payment.pk)
    assert (original.amount, original.note) == (Decimal("20.00"), "删除中评_慧兰")
    with pytest.raises(InvalidInput, match="这笔打款已经冲销过"):
        ledger.payment_reverse(shop=shop, payment=payment, reason="再来", acting_user=finance)
    with pytest.raises(InvalidInput, match="这是一笔冲销记录"):
        ledger.payment_reverse(shop=shop, payment=reversal, reason="撤销冲销", acting_user=finance)
    with pytest.raises(InvalidInput, match="冲销必须写明原因"):
        ledger.payment_reverse(shop=shop, payment=pay(shop, agent), reason=" ", acting_user=finance)
    totals = selectors.ledger_totals(shop=shop, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    assert (totals.paid_out, totals.received, totals.unsigned) == (
        Decimal("5.00"),  # 20 - 20 + the 5 left unreversed
        Decimal("0"),
        2,
    )


def test_the_xlsx_export_for_finance(shop, agent, finance) -> None:
    first = pay(shop, agent, amount="8.8")
    pay(shop, agent, content="补运费", amount="10", direction="in", order_no="5001")
    ledger.payment_sign(shop=shop, payment=first, acting_user=finance)
    ledger.payment_reverse(
        shop=shop, payment=first, reason="买家退回", acting_user=finance, now=OPENED
    )
    client = login(finance)
    response = client.get(
        reverse("aftersales:ledger_export", args=[shop.pk]),
        {"start": "2026-03-01", "end": "2026-03-31"},
    )
    assert (
        response["Content-Disposition"] == 'attachment; filename="payments-20260301-20260331.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:7] == ("登记号", "打款日期", "收支", "金额", "备注", "内容", "经办客服")
    body = [(r[2], r[3], r[4], r[10], r[13]) for r in rows[1:4]]
    assert body == [
        ("支出", 8.8, "删除中评_慧兰", None, finance.get_username()),
        ("收入", 10, "补运费_慧兰", None, None),
        ("支出", -8.8, "冲销：买家退回_慧兰", first.pk, None),
    ]
    assert rows[-2][:4] == ("合计支出", None, None, 0)
    assert rows[-1][:4] == ("合计收入", None, None, 10)
    page = client.get(reverse("aftersales:ledger", args=[shop.pk]), {"start": "2026-03-01"})
    assert "支出 ¥0.00 · 收入 ¥10.00 · 未签字 2" in page.content.decode()


def test_a_payment_from_the_case_page(shop, agent) -> None:
    case = services.case_open(
        shop=shop, type="not_as_expected", buyer_nick="乙", agent=agent, acting_user=None
    )
    client = login(agent.user)
    url = reverse("aftersales:payment", args=[shop.pk, case.pk])
    page = client.post(url, {"content": "", "amount": "5", "direction": "out"}, follow=True)
    assert "打款必须有备注" in page.content.decode()
    client.post(url, {"content": "好评返现", "amount": "3", "direction": "out"})
    assert list(Payment.objects.values_list("note", "amount", "case")) == [
        ("好评返现_慧兰", Decimal("3.00"), case.pk)
    ]
    assert client.get(reverse("aftersales:ledger", args=[shop.pk])).status_code == 403
