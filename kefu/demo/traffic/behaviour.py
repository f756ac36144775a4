"""How buyers and agents behave: the simulation's knobs, with defaults for a typical shop."""

from __future__ import annotations

from dataclasses import dataclass

# The intent shares, in the order of `model.Intent` (whose values are these names).
INTENT_FIELDS = (
    "ask_leave",
    "order_pay_now",
    "order_pay_later",
    "order_never_pay",
    "order_next_day",
    "after_sales",
)


@dataclass(frozen=True, slots=True)
class Behaviour:
    """How buyers and agents behave. Defaults describe a typical Taobao home-goods shop.

    These are simulation knobs, not shop policy: the KPI thresholds live in the policy.
    """

    buyers_per_day: float = 220.0  # consulting buyers per day at scale 1
    # Shares of consulting sessions by intent; after-sales buyers come from earlier orders.
    ask_leave: float = 0.56
    order_pay_now: float = 0.15
    order_pay_later: float = 0.06
    order_never_pay: float = 0.04
    order_next_day: float = 0.04
    after_sales: float = 0.15
    silent_orders_per_chat_order: float = 1.0  # orders placed without any chat
    auto_reply_share: float = 0.7  # first messages that get the welcome auto-reply
    median_response_s: float = 28.0
    response_sigma: float = 0.85  # log-normal spread: a long right tail
    away_share: float = 0.015  # rounds where the agent is away from the desk
    away_median_s: float = 600.0
    unanswered_share: float = 0.012  # rounds a human never answers although someone is on duty
    night_leave_share: float = 0.35  # buyers writing while nobody is on duty who never come back
    transfer_share: float = 0.03  # sessions handed to another agent mid-way
    buyers_per_agent_hour: float = 12.0  # load at which response times start to stretch
    weekend_factor: float = 1.12
    unpaid_close_hours: int = 72  # an unpaid order closes after this long
    refund_share: float = 0.5  # return or damage consults that end in a refund
    corpus_share: float = 0.3  # pre-sales questions taken from the phrase book's corpus, if any

    def intent_shares(self) -> tuple[float, ...]:
        """Shares in the order of `Intent`, checked: they are plain floats a caller may set."""
        shares = tuple(float(getattr(self, name)) for name in INTENT_FIELDS)
        if any(s < 0 for s in shares) or abs(sum(shares) - 1.0) > 1e-9:
            raise ValueError(f"intent shares must be >= 0 and sum to 1, got {shares}")
        return shares
