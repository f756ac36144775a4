"""买家: buyer groups (VIP, potential, at risk), the return-visit schedule 回访 and the follow-up
quiet period. Pure pydantic: no Django."""

from __future__ import annotations

from pydantic import Field, model_validator

from kefu.policy.schema.base import Money, PositiveInt, Problems, Rule, StrictModel


class VipRule(Rule):
    """A loyal buyer 忠实买家 becomes a VIP (S4.2): paid total or order count over a window."""

    paid_total_at_least: Money | None = None
    """Paid total (实付, refunds not deducted) inside the window that makes a VIP, e.g. "2000"."""
    orders_at_least: PositiveInt | None = None
    """Number of paid orders inside the window that makes a VIP, e.g. 3."""
    window_days: PositiveInt = 365
    """The window, in days back from today (twelve months: 365)."""

    @model_validator(mode="after")
    def _one_threshold(self) -> VipRule:
        if self.paid_total_at_least is None and self.orders_at_least is None:
            problems = Problems()
            problems.add(("paid_total_at_least",), "set paid_total_at_least or orders_at_least")
            problems.raise_if_any()
        return self


class PotentialRule(Rule):
    """A potential buyer 潜在客户: chatted with the shop and did not order (S2, S4.2)."""

    inquired_within_days: PositiveInt
    """The buyer chatted within this many days and placed no order in those days."""


class AtRiskRule(Rule):
    """A buyer at risk: something went wrong that is not settled yet."""

    bad_review: bool = True
    """A mid or negative review 中差评 not yet settled."""
    open_complaint: bool = True
    """A complaint still open."""
    open_case: bool = False
    """An after-sales case still open."""


class ReturnVisitRule(Rule):
    """回访: buyers are visited again on a schedule counted from their first paid order (S1:
    monthly in the first year, quarterly after)."""

    first_period_months: PositiveInt = 12
    """Length of the first period after the first order, in months."""
    first_period_every_months: PositiveInt = 1
    """Interval between visits in the first period, in months (S1: every month)."""
    then_every_months: PositiveInt = 3
    """Interval between visits after the first period, in months (S1: every quarter)."""
    missed_after_days: PositiveInt = 3
    """A visit not recorded this many days after it was due is missed (shown to the
    supervisor)."""


class FollowUpRule(Rule):
    """Follow-up of potential buyers (S4.2): a buyer contacted once is not listed again inside
    the quiet period."""

    quiet_days: PositiveInt
    """Days after a follow-up during which the buyer is not listed again."""
    phrase_groups: list[str] = Field(default_factory=lambda: ["跟进", "催付"])
    """Quick-reply groups 分组 whose phrases are suggested, in order of preference."""


class Buyers(StrictModel):
    """买家: groups, return visits and follow-ups. Every part is optional: a regime that says
    nothing about it leaves it out."""

    vip: VipRule | None = None
    """VIP buyers."""
    potential: PotentialRule | None = None
    """Potential buyers."""
    at_risk: AtRiskRule | None = None
    """Buyers at risk."""
    return_visits: ReturnVisitRule | None = None
    """The return-visit schedule."""
    follow_up: FollowUpRule | None = None
    """Follow-up lists of potential buyers."""
