"""The ledger against the platforms' payout exports: the pure matcher, then a Douyin shop whose
打款 export comes in through the order importer and is matched on the ledger page and in the
xlsx. No real payout export is among ../shared/data, so the file is written here with the
columns FORMATS.md §1e lists (GB18030, as the platform exports it)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from kefu.aftersales.engine.matching import Entry, match
from kefu.aftersales.ledger import payment_record, payment_reverse
from kefu.aftersales.reconcile import ledger_reconcile
from kefu.aftersales.tests.conftest import login
from kefu.core.choices import Role
from kefu.core.tests.factories import AssignmentFactory, MembershipFactory, ShopFactory
from kefu.orders.services import orders_import
from kefu.policy.services import policy_adopt_preset

D = dt.date


def e(id: int, order: str, amount: str, day: int) -> Entry:
    return Entry(id, order, Decimal(amount), D(2026, 3, day))


def test_match_by_order_amount_and_window() -> None:
    result = match(
        payments=[
            e(1, "A", "5.00", 10),
            e(2, "A", "5.00", 11),  # a second 5.00 for the same order: its own payout
            e(3, "B", "8.80", 10),  # amount differs from B's payout
            e(4, "C", "3", 1),  # C's payout is 8 days later: outside 7
            e(5, "", "2", 10),  # no order number: never matched
        ],
        payouts=[
            e(11, "A", "5", 9),
            e(12, "A", "5.0", 18),
            e(13, "B", "8.81", 10),
            e(14, "C", "3.00", 9),
            e(15, "D", "1", 10),
        ],
        window_days=7,
    )
    assert result.pairs == {1: 11, 2: 12}
    assert result.unmatched_payments == (4, 3, 5)
    assert result.unmatched_payouts == (14, 13, 15)


def test_the_greedy_never_loses_a_match() -> None:
    # Taking the nearest payout for the first payment (day 5 → day 6) would leave the second
    # (day 12) without one; the earliest usable payout (day 1) keeps both matched.
    result = match(
        payments=[e(1, "A", "1", 5), e(2, "A", "1", 12)],
        payouts=[e(11, "A", "1", 1), e(12, "A", "1", 6)],
        window_days=6,
    )
    assert result.pairs == {1: 11, 2: 12}
    with pytest.raises(ValueError):
        match(payments=[], payouts=[], window_days=-1)


DOUYIN_PAY = [
    "支付流水号", "订单编号", "商品名称", "商品ID", "打款类型", "打款金额", "打款申请人",
    "打款申请时间", "打款到账时间", "打款状态", "打款备注",
]  # fmt: skip


def douyin_file(rows: list[list[str]]) -> bytes:
    lines = [",".join(DOUYIN_PAY)] + [",".join(r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode("gb18030")


@pytest.mark.django_db
def test_ledger_page_and_xlsx_show_matched_unmatched_and_missing_payouts() -> None:
    shop = ShopFactory(platform="douyin")
    policy_adopt_preset(
        shop=shop, preset="dongyao-s4", effective_from=D(2026, 1, 1), acting_user=None
    )
    agent = AssignmentFactory(shop=shop, agent__name="慧兰").agent
    finance = MembershipFactory(shop=shop, role=Role.FINANCE).user
    data = douyin_file(
        [
            ["LS001", "4890001", "保温杯", "301", "小额打款", "5.00元", "慧兰",
             "2026-03-02 10:15:00", "2026-03-02 10:16:00", "打款成功", "删除中评"],
            ["LS002", "4890002", "保温杯", "301", "补偿运费", "12", "慧兰",
             "2026-03-03 09:00:00", "", "打款成功", ""],
            ["LS003", "4890003", "水杯", "302", "小额打款", "\"1,000.00\"", "小美",
             "2026-03-04 20:00:00", "", "打款中", ""],
        ]
    )  # fmt: skip
    batch = orders_import(shop=shop, data=data, filename="打款记录.csv", acting_user=None).batch
    assert (batch.kind, batch.rows) == ("douyin_compensation", 3)

    def pay(order: str, amount: str, day: int, content: str = "删除中评"):  # type: ignore[no-untyped-def]
        return payment_record(
            shop=shop, agent=agent, content=content, amount=amount, order_no=order,
            paid_on=D(2026, 3, day), acting_user=None,
        )  # fmt: skip

    matched = pay("4890001", "5", 1)  # one day before the platform's application
    wrong_amount = pay("4890002", "10", 3, "补运费")
    reversed_entry = pay("4890009", "3", 3)
    payment_reverse(
        shop=shop, payment=reversed_entry, reason="重复登记", acting_user=None,
        now=dt.datetime(2026, 3, 3, 12, 0, tzinfo=shop.tzinfo),
    )  # fmt: skip
    received = payment_record(
        shop=shop, agent=agent, content="补运费", amount="8", direction="in",
        paid_on=D(2026, 3, 3), acting_user=None,
    )  # fmt: skip

    result = ledger_reconcile(shop=shop, start=D(2026, 3, 1), end=D(2026, 3, 31))
    assert result.matched[matched.pk].ref_no == "LS001"
    assert result.state[matched.pk] == "matched"
    assert result.state[wrong_amount.pk] == "unmatched"
    assert result.state[reversed_entry.pk] == "n/a"
    assert result.state[received.pk] == "n/a"
    assert [(r.ref_no, r.amount) for r in result.payouts_missing] == [
        ("LS002", Decimal("12.00")),
        ("LS003", Decimal("1000.00")),
    ]
    # The period starting on the payment's day still finds the payout a day later, and a
    # period after both reports neither.
    assert ledger_reconcile(shop=shop, start=D(2026, 3, 2), end=D(2026, 3, 2)).payouts_missing == []
    assert ledger_reconcile(shop=shop, start=D(2026, 3, 1), end=D(2026, 3, 1)).state == {
        matched.pk: "matched"
    }

    client = login(finance)
    period = {"start": "2026-03-01", "end": "2026-03-31"}
    page = client.get(reverse("aftersales:ledger", args=[shop.pk]), period)
    html = page.content.decode()
    assert html.count('data-testid="payout-missing-row"') == 2
    assert "LS001" in html and "未匹配" in html

    response = client.get(reverse("aftersales:ledger_export", args=[shop.pk]), period)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    ledger_rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert ledger_rows[0][-2:] == ("平台对账", "平台打款单号")
    reversal = reversed_entry.reversed_by
    assert {r[0]: (r[-2], r[-1]) for r in ledger_rows[1:6]} == {
        matched.pk: ("已匹配", "LS001"),
        wrong_amount.pk: ("未匹配", None),
        reversed_entry.pk: ("—", None),
        reversal.pk: ("—", None),
        received.pk: ("—", None),
    }
    missing = list(book["平台打款未登记"].iter_rows(values_only=True))
    assert missing[0] == ("平台", "单号", "订单号", "金额", "申请时间", "状态", "原因", "申请人")
    assert missing[1:] == [
        ("douyin", "LS002", "4890002", 12, dt.datetime(2026, 3, 3, 9), "打款成功", "补偿运费",
         "慧兰"),
        ("douyin", "LS003", "4890003", 1000, dt.datetime(2026, 3, 4, 20), "打款中", "小额打款",
         "小美"),
    ]  # fmt: skip
