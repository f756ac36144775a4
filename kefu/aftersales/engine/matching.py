"""Match the ledger's payments 打款登记 to the platforms' payout rows 打款/赔付 (pure: no Django).

A payment and a payout match when they name the same order, carry the same amount (Decimal,
exact to the cent) and are dated at most `window_days` apart. Each is matched at most once.

Within one (order, amount) group both sides are sorted by date and matched greedily: each
payment takes the earliest payout still free that is not more than the window before it, if that
payout is not more than the window after it. For points on a line matched within a fixed
distance this greedy gives the largest number of matches (the classic exchange argument: the
earliest usable payout is never worse to take), so no payment is left unmatched that another
assignment would have matched."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Entry:
    """One side's row: a ledger payment or a platform payout."""

    id: int
    order_no: str
    amount: Decimal
    on: dt.date


@dataclass(frozen=True)
class Matching:
    pairs: dict[int, int]  # payment id -> payout id
    unmatched_payments: tuple[int, ...]
    unmatched_payouts: tuple[int, ...]


def _key(entry: Entry) -> tuple[str, Decimal]:
    return entry.order_no.strip(), entry.amount.quantize(Decimal("0.01"))


def match(*, payments: list[Entry], payouts: list[Entry], window_days: int) -> Matching:
    if window_days < 0:
        raise ValueError("window_days must be 0 or more")
    window = dt.timedelta(days=window_days)
    free: dict[tuple[str, Decimal], list[Entry]] = defaultdict(list)
    for payout in sorted(payouts, key=lambda e: (e.on, e.id)):
        if payout.order_no.strip():
            free[_key(payout)].append(payout)
    pairs: dict[int, int] = {}
    for payment in sorted(payments, key=lambda e: (e.on, e.id)):
        if not payment.order_no.strip():
            continue
        queue = free.get(_key(payment), [])
        # Payouts too early for this payment are too early for every later one too.
        while queue and queue[0].on < payment.on - window:
            queue.pop(0)
        if queue and queue[0].on <= payment.on + window:
            pairs[payment.id] = queue.pop(0).id
    taken = set(pairs.values())
    return Matching(
        pairs=pairs,
        unmatched_payments=tuple(
            p.id for p in sorted(payments, key=lambda e: (e.on, e.id)) if p.id not in pairs
        ),
        unmatched_payouts=tuple(
            p.id for p in sorted(payouts, key=lambda e: (e.on, e.id)) if p.id not in taken
        ),
    )
