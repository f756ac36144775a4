"""`generate_month(profile) -> Traffic`: a realistic month of one shop's customer service.

Pipeline (each step vectorised; all randomness from one seed, split per step so that changing
one step does not reshuffle the others):
1. pre-sales buyers arrive per day (weekends, festivals) along the day curve and get an intent;
2. their conversations are simulated round by round against the rota;
3. orders follow (same day and paid at once, paid later, never paid, next day), plus silent
   orders and the orders carried in from the 15 days before the month;
4. after-sales buyers are drawn from earlier paid orders and ask about delivery or returns;
   some of those end in a refund;
5. statuses are read at the month's end and everything becomes Polars frames.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from kefu.demo.traffic import frames
from kefu.demo.traffic.conversation import Batch, simulate
from kefu.demo.traffic.model import Intent, ShopProfile, Traffic
from kefu.demo.traffic.names import buyer_nicks
from kefu.demo.traffic.orders import build_orders, pay_delays, settle, silent_and_carried
from kefu.demo.traffic.phrases import (
    AFTER_SALES_TOPICS,
    CORPUS,
    PRE_SALES_TOPICS,
    PhraseBook,
    PhraseTable,
    build_table,
)
from kefu.demo.traffic.timeline import (
    DAY,
    HOUR,
    arrival_times,
    day_factors,
    load_factor,
    make_clock,
    make_duty,
)

I64 = npt.NDArray[np.int64]
INTENTS = tuple(Intent)
ASK, PAY_NOW, PAY_LATER, NEVER_PAY, NEXT_DAY, AFTER = range(6)
ORDERING = (PAY_NOW, PAY_LATER, NEVER_PAY)
MAX_ROUNDS = 8
# The last round says how the chat ends: 已拍 / 晚点付 / 明天再拍 / 我再看看 / 谢谢.
CLOSING = {
    ASK: "leave",
    PAY_NOW: "ordered",
    PAY_LATER: "pay_later",
    NEVER_PAY: "pay_later",
    NEXT_DAY: "think",
    AFTER: "thanks",
}
AFTER_SALES_WINDOW = 15 * DAY  # how far back an after-sales buyer's order lies
REFUND_TOPICS = ("as_return", "as_damage")


def _rounds(rng: np.random.Generator, intent: I64) -> I64:
    """Rounds per session: ordering chats are longer; a bare question can be a single round."""
    extra = rng.geometric(np.where(np.isin(intent, ORDERING), 0.45, 0.5)) - 1
    minimum = np.where(np.isin(intent, (*ORDERING, NEXT_DAY)), 2, 1)
    return np.minimum(minimum + extra, MAX_ROUNDS).astype(np.int64)


def _plan(
    rng: np.random.Generator,
    table: PhraseTable,
    intent: I64,
    rounds: I64,
    topic: I64,
    corpus_share: float,
    has_corpus: bool,
) -> npt.NDArray[np.int16]:
    """Phrase category of every round: opening, middle questions, closing by intent.

    `topic` (after-sales only, else -1) is the session's subject; pre-sales middles vary.
    """
    n = intent.size
    cat = table.category
    pre_cats = np.array([cat[c] for c, _ in PRE_SALES_TOPICS])
    pre_p = np.array([p for _, p in PRE_SALES_TOPICS])
    plan = pre_cats[rng.choice(pre_cats.size, (n, MAX_ROUNDS), p=pre_p / pre_p.sum())]
    if has_corpus:
        plan = np.where(rng.random((n, MAX_ROUNDS)) < corpus_share, cat[CORPUS], plan)
    after = intent == AFTER
    stick = rng.random((n, MAX_ROUNDS)) < 0.7  # after-sales buyers mostly stay on their subject
    plan = np.where(after[:, None] & (stick | (np.arange(MAX_ROUNDS) == 0)), topic[:, None], plan)
    greet = rng.random(n) < np.where(after, 0.3, 0.4)
    plan[:, 0] = np.where(greet, cat["greet"], plan[:, 0])
    closing = np.array([cat[CLOSING[i]] for i in range(len(INTENTS))])
    last = rounds - 1
    rows = np.flatnonzero(rounds >= 2)
    plan[rows, last[rows]] = closing[intent[rows]]
    return plan.astype(np.int16)


def _transfer_round(rng: np.random.Generator, rounds: I64, share: npt.NDArray[np.float64]) -> I64:
    chosen = (rng.random(rounds.size) < share) & (rounds >= 2)
    k = 1 + rng.integers(0, 1 << 30, rounds.size) % np.maximum(rounds - 1, 1)
    return np.where(chosen, k, -1).astype(np.int64)


def _items(rng: np.random.Generator, profile: ShopProfile, n: int) -> I64:
    w = np.array([i.popularity for i in profile.catalogue], dtype=np.float64)
    return rng.choice(w.size, n, p=w / w.sum()).astype(np.int64)


def generate_month(profile: ShopProfile) -> Traffic:
    """One month of `profile`'s traffic; the same profile (seed included) gives the same month."""
    b = profile.behaviour
    shares = np.asarray(b.intent_shares())
    clock = make_clock(profile)
    duty = make_duty(profile, clock)
    load = load_factor(profile, clock, duty)
    book = profile.phrases or PhraseBook()
    table = build_table(book, profile.shop_name, [i.name for i in profile.catalogue])
    r_arrive, r_pre, r_talk, r_orders, r_names, r_after, r_talk2, r_refund = (
        np.random.default_rng(s) for s in np.random.SeedSequence(profile.seed).spawn(8)
    )
    horizon = clock.horizon
    factors = day_factors(profile, clock, 0, clock.days)

    # 1. Arrivals and intents. After-sales buyers are placed in time now and get their order
    # later; the other intents are pre-sales sessions simulated first.
    per_day = r_arrive.poisson(b.buyers_per_day * profile.scale * factors).astype(np.int64)
    start = arrival_times(r_arrive, per_day, 0)
    intent_all = r_arrive.choice(len(INTENTS), start.size, p=shares).astype(np.int64)
    pre_start, intent = start[intent_all != AFTER], intent_all[intent_all != AFTER]
    after_start = start[intent_all == AFTER]

    # 2. Pre-sales conversations.
    pre_item = _items(r_pre, profile, pre_start.size)
    rounds = _rounds(r_pre, intent)
    plan = _plan(
        r_pre, table, intent, rounds, np.full(intent.size, -1), b.corpus_share, book.has_corpus
    )
    transfer = _transfer_round(r_pre, rounds, np.full(rounds.size, b.transfer_share))
    pre = simulate(r_talk, Batch(pre_start, rounds, pre_item, plan, transfer), duty, load, table, b)

    # 3. Orders after chats, silent orders and those carried in from before the month.
    bargain_cats = np.array([table.category["bargain"], table.category["coupon"]])
    bargained: npt.NDArray[np.bool_] = np.asarray(np.isin(plan, bargain_cats).any(axis=1))
    ordering = np.isin(intent, ORDERING)
    follows = ordering & (pre.completed | (r_orders.random(intent.size) < 0.5))
    # A finished chat: the order lands in the pause before the buyer's last message (已拍).
    # An abandoned one: the buyer orders anyway a few minutes after the last message.
    before_last = pre.last_round_start - (
        pre.gap_before_last * r_orders.uniform(0.2, 0.8, intent.size)
    ).astype(np.int64)
    after_end = pre.end + np.clip(
        np.exp(r_orders.normal(np.log(300), 0.8, intent.size)), 30, 7200
    ).astype(np.int64)
    created = np.where(pre.completed, before_last, after_end)
    next_day = intent == NEXT_DAY
    n_next = int(next_day.sum())
    time_of_day = arrival_times(r_orders, np.array([n_next]), 0)[r_orders.permutation(n_next)]
    tomorrow = (pre_start[next_day] // DAY + 1) * DAY + time_of_day
    created[next_day] = np.maximum(tomorrow, pre.end[next_day] + 600)
    chat = np.flatnonzero(follows | next_day)
    mode = np.select([intent[chat] == PAY_LATER, intent[chat] == NEVER_PAY], [1, 2], 0)
    chat_delay = pay_delays(r_orders, mode)
    ordered_share = float(shares[[PAY_NOW, PAY_LATER, NEVER_PAY, NEXT_DAY]].sum())
    chat_rate = b.buyers_per_day * profile.scale * ordered_share
    other_t, other_delay, _ = silent_and_carried(r_orders, profile, factors, chat_rate)

    buyers = buyer_nicks(r_names, pre_start.size + other_t.size, profile.platform)
    pre_buyer = buyers[: pre_start.size]
    n_other = other_t.size
    orders = build_orders(
        r_orders,
        profile,
        created=np.concatenate([created[chat], other_t]),
        pay_delay=np.concatenate([chat_delay, other_delay]),
        buyer=pl.concat([pre_buyer.gather(chat), buyers[pre_start.size :]]),
        session=np.concatenate([chat, np.full(n_other, -1)]),
        # Next-day orders come in silently: nobody is there to flag them.
        agent=np.concatenate([np.where(next_day, -1, pre.last_agent)[chat], np.full(n_other, -1)]),
        item=np.concatenate([pre_item[chat], _items(r_orders, profile, n_other)]),
        bargained=np.concatenate([bargained[chat], np.zeros(n_other, np.bool_)]),
        horizon=horizon,
    ).filter(pl.col("created") < horizon)

    # 4. After-sales: each buyer asks about a paid order from the last 15 days (not the last
    # 6 hours), about shipping if it has not left yet, otherwise about delivery or returns.
    paid = (
        orders.select("paid", "consigned", "buyer", "item")
        .with_row_index("order")
        .drop_nulls("paid")
        .sort("paid", "order")
    )
    paid_t = paid["paid"].to_numpy()
    lo = np.searchsorted(paid_t, after_start - AFTER_SALES_WINDOW)
    hi = np.searchsorted(paid_t, after_start - 6 * HOUR)
    has = hi > lo  # no paid order in the window (only possible at tiny scales): no such buyer
    after_start = after_start[has]
    pick = lo[has] + r_after.integers(0, 1 << 30, after_start.size) % (hi - lo)[has]
    linked = paid[pick]
    about = linked["order"].to_numpy().astype(np.int64)
    shipped = linked["consigned"].fill_null(horizon * 2).to_numpy() <= after_start
    as_cats = np.array([table.category[c] for c, _ in AFTER_SALES_TOPICS])
    as_p = np.array([p for _, p in AFTER_SALES_TOPICS])
    topic = np.where(
        shipped,
        as_cats[r_after.choice(as_cats.size, after_start.size, p=as_p / as_p.sum())],
        table.category["as_not_shipped"],
    )
    a_intent = np.full(after_start.size, AFTER, np.int64)
    a_rounds = _rounds(r_after, a_intent)
    a_plan = _plan(r_after, table, a_intent, a_rounds, topic, 0.0, False)
    a_transfer = _transfer_round(r_after, a_rounds, np.full(a_rounds.size, 2 * b.transfer_share))
    a_item = linked["item"].to_numpy().astype(np.int64)
    post = simulate(
        r_talk2, Batch(after_start, a_rounds, a_item, a_plan, a_transfer), duty, load, table, b
    )

    refund_cats = np.array([table.category[c] for c in REFUND_TOPICS])
    asks_refund = np.isin(topic, refund_cats) & (r_refund.random(topic.size) < b.refund_share)
    amount = orders["amount"].to_numpy()[about]
    # Half of the damage cases are settled with a partial refund (a fifth, in whole yuan) and
    # the goods kept; returns are refunded in full.
    partial = (topic == table.category["as_damage"]) & (r_refund.random(topic.size) < 0.5)
    refunds = pl.DataFrame(
        {
            "order": about[asks_refund].astype(np.uint32),
            "refund_at": (
                post.end
                + np.clip(
                    np.exp(r_refund.normal(np.log(DAY), 0.7, topic.size)), HOUR, 5 * DAY
                ).astype(np.int64)
            )[asks_refund],
            "refund_cents": np.where(partial, np.maximum(amount // 500 * 100, 100), amount)[
                asks_refund
            ],
        }
    )
    orders = settle(orders, refunds, horizon)

    return frames.assemble(
        profile,
        clock,
        table,
        r_names,
        pre=frames.SessionGroup(
            pre, pre_start, pre_buyer, intent, pre_item, np.full(intent.size, -1)
        ),
        post=frames.SessionGroup(post, after_start, linked["buyer"], a_intent, a_item, about),
        orders=orders,
    )


__all__ = ["generate_month"]
