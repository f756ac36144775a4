"""The ledger against the platforms' payout exports (a read): each payment 打款登记 matched to
its platform row 打款/赔付 (kefu.orders AfterSale of kind compensation, imported from the JD
赔付, Douyin 打款 and PDD 打款 exports), and the platform payouts nobody entered in the ledger.

Matching (engine/matching.py): same order number, same amount, dated at most
PAYOUT_MATCH_DAYS apart. The policy has no setting for the window; this is Kefu's default
(docs/aftersales.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from kefu.aftersales.choices import Direction
from kefu.aftersales.engine.matching import Entry, match
from kefu.aftersales.models import Payment
from kefu.aftersales.selectors import payments
from kefu.core.models import Shop
from kefu.orders.choices import AfterSaleKind
from kefu.orders.models import AfterSale

# A payout is usually applied for the day the agent records the payment, and reaches the
# platform's export a few days either side (applied, approved, paid): a week covers it.
PAYOUT_MATCH_DAYS = 7

MATCHED = "matched"
UNMATCHED = "unmatched"
NOT_APPLICABLE = "n/a"  # money in, a reversal, or an entry that was reversed

STATE_LABELS = {
    MATCHED: _("已匹配"),
    UNMATCHED: _("未匹配"),
    NOT_APPLICABLE: "—",
}


@dataclass
class Reconciliation:
    # payment id -> the platform row it matched
    matched: dict[int, AfterSale] = field(default_factory=dict)
    # payment id -> matched | unmatched | n/a, for the period's entries
    state: dict[int, str] = field(default_factory=dict)
    # platform payouts dated in the period with no ledger entry
    payouts_missing: list[AfterSale] = field(default_factory=list)
    window_days: int = PAYOUT_MATCH_DAYS

    def label(self, payment_id: int) -> str:
        return str(STATE_LABELS[self.state.get(payment_id, NOT_APPLICABLE)])

    @property
    def unmatched_count(self) -> int:
        return sum(1 for s in self.state.values() if s == UNMATCHED)


def _payout_day(shop: Shop, row: AfterSale) -> dt.date | None:
    return row.applied_at.astimezone(shop.tzinfo).date() if row.applied_at else None


def _matchable(payment: Payment, reversed_ids: set[int]) -> bool:
    return (
        payment.direction == Direction.OUT
        and payment.reverses_id is None
        and payment.pk not in reversed_ids
    )


def ledger_reconcile(
    *, shop: Shop, start: dt.date, end: dt.date, window_days: int = PAYOUT_MATCH_DAYS
) -> Reconciliation:
    """Match the entries and payouts dated start..end. Both sides are read a window wider on
    each side, so a payment on the period's first day still finds its payout of the day before;
    only the period's entries and payouts are reported."""
    window = dt.timedelta(days=window_days)
    since, until = start - window, end + window
    ledger = list(payments(shop=shop, start=since, end=until))
    reversed_ids = {p.reverses_id for p in ledger if p.reverses_id is not None}
    tz = shop.tzinfo
    rows = AfterSale.objects.filter(
        shop=shop,
        kind=AfterSaleKind.COMPENSATION,
        applied_at__gte=dt.datetime.combine(since, dt.time(0), tzinfo=tz),
        applied_at__lt=dt.datetime.combine(until + dt.timedelta(days=1), dt.time(0), tzinfo=tz),
        amount__isnull=False,
    ).order_by("applied_at", "id")
    payouts = {row.pk: row for row in rows}
    result = match(
        payments=[
            Entry(p.pk, p.order_no, p.amount, p.paid_on)
            for p in ledger
            if _matchable(p, reversed_ids)
        ],
        payouts=[
            Entry(row.pk, row.order_no, row.amount, day)
            for row in payouts.values()
            if row.amount is not None and (day := _payout_day(shop, row)) is not None
        ],
        window_days=window_days,
    )
    out = Reconciliation(window_days=window_days)
    for p in ledger:
        if not start <= p.paid_on <= end:
            continue
        if p.pk in result.pairs:
            out.matched[p.pk] = payouts[result.pairs[p.pk]]
            out.state[p.pk] = MATCHED
        elif _matchable(p, reversed_ids):
            out.state[p.pk] = UNMATCHED
        else:
            out.state[p.pk] = NOT_APPLICABLE
    taken = set(result.pairs.values())
    out.payouts_missing = [
        row
        for row in payouts.values()
        if row.pk not in taken
        and (day := _payout_day(shop, row)) is not None
        and start <= day <= end
    ]
    return out
