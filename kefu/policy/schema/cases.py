"""售后, 评价 and 投诉: after-sales case types with their paths and deadlines, the mid/negative
review follow-up, and the complaint register."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from kefu.policy.schema.base import (
    Clock,
    PositiveInt,
    Problems,
    Rule,
    StrictModel,
    check_unique,
    clock_minutes,
)
from kefu.policy.schema.orders import check_note_template

CaseType = Literal[
    "not_as_expected",
    "service_unhappy",
    "missing_items",
    "late_delivery",
    "damaged_in_transit",
    "quality_problem",
]
"""The six after-sales case types of S4.3 §4.1 / S4.4 §4.1."""

Remedy = Literal["apology", "explanation", "compensation", "exchange", "return", "reship", "coupon"]


class CaseRule(Rule):
    type: CaseType
    """The case type."""
    label: str = Field(min_length=1)
    """Its name, e.g. 与想象不符."""
    steps: list[str] = Field(min_length=1)
    """The path an agent follows, in order (shown as the case's checklist)."""
    remedies: list[Remedy] = Field(default_factory=list)
    """Remedies the path may end in."""
    first_action_hours: PositiveInt
    """The buyer hears from the shop within this many hours of the case opening."""
    resolve_days: PositiveInt
    """The case is closed within this many days, else it goes to the supervisor."""
    photo_evidence: bool = False
    """The buyer is asked for photos (missing items, damage, quality)."""


class Payments(Rule):
    list_every_payment: bool = True
    """Every payment in or out, however small, is listed, signed and handed to finance (S4.4)."""
    refund_note: str = "{content}_{agent}"
    """Note on each refund, e.g. 删除中评_慧兰."""

    @field_validator("refund_note")
    @classmethod
    def _template(cls, value: str) -> str:
        return check_note_template(value)


class AfterSales(StrictModel):
    cases: list[CaseRule] = Field(min_length=1)
    """One entry per case type."""
    record_party_at_fault: bool = True
    """Every case records the party at fault 责任方."""
    report_to_weekly_meeting: bool = True
    """Cases go to the supervisor for the weekly meeting."""
    payments: Payments | None = None
    """Compensation ledger rules."""

    @model_validator(mode="after")
    def _one_per_type(self) -> AfterSales:
        problems = Problems()
        check_unique(problems, ("cases",), [c.type for c in self.cases], "case type")
        problems.items = [((*at, "type"), m) for at, m in problems.items]
        problems.raise_if_any()
        return self


class SeverityRule(StrictModel):
    level: Literal["severe", "medium", "light"]
    """A severity a review is given ..."""
    when: str = Field(min_length=1)
    """... and when (shown to the agent grading the review)."""
    ratings: list[Literal["good", "neutral", "bad"]] = Field(default_factory=list)
    """Ratings that give this level (e.g. [bad]). With `keywords` empty too, Kefu's default
    rule for the level applies (docs/reviews.md lists it)."""
    keywords: list[str] = Field(default_factory=list)
    """Words in the review text or the follow-up review that give this level (e.g. 假货)."""


class Reviews(Rule):
    check_daily: bool = True
    """Mid and negative reviews 中差评 are checked every day."""
    severity_rules: list[SeverityRule] = Field(default_factory=list)
    """How a review's severity is graded; severe ones are handled first."""
    contact_order: list[Literal["chat", "sms", "phone"]] = Field(min_length=1)
    """The order of contact attempts: chat message with the edit link, SMS, phone."""
    escalate_to_phone_after_hours: PositiveInt
    """No answer this many hours after the first message: phone the buyer (S4.3, S4.4: 48)."""
    call_windows: list[tuple[Clock, Clock]] = Field(default_factory=list)
    """Local windows for phone calls (S4.4: around 10:00, after 16:00)."""

    @model_validator(mode="after")
    def _windows(self) -> Reviews:
        problems = Problems()
        for index, (start, end) in enumerate(self.call_windows):
            if clock_minutes(end) <= clock_minutes(start):
                problems.add(("call_windows", index), f"ends before it starts ({start}-{end})")
        problems.raise_if_any()
        return self


ComplaintStep = Literal[
    "record",
    "identify",
    "investigate",
    "follow_up",
    "confirm",
    "archive",
    "analyse",
    "return_visit",
]


class Complaints(Rule):
    keep_register: bool = True
    """Complaints go into a register 投诉处理登记表."""
    steps: list[ComplaintStep] = Field(default_factory=list)
    """The handling path (S4.2: record, identify, investigate, follow up, confirm, archive,
    analyse, return visit)."""
    evaluation_form: bool = False
    """A return visit ends with a customer evaluation form 客户评价单 (S4.2)."""
    count_period: Literal["month"] = "month"
    """Valid complaints are counted per natural month (fines and points price them)."""
