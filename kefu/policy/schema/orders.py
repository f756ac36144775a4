"""订单 and 业绩归属: who an order is credited to, unpaid reminders, seller flags and notes,
stock and waybills."""

from __future__ import annotations

import string
from typing import Literal

from pydantic import Field, field_validator, model_validator

from kefu.policy.schema.base import Clock, Count, PositiveInt, Problems, Rule, StrictModel

FlagColour = Literal["red", "yellow", "green", "blue", "purple"]
"""The marketplace's seller flags 插旗 (Taobao: 红黄绿蓝紫)."""

NOTE_FIELDS = ("content", "agent")

Deduction = Literal["return_buyer_whim", "return_poor_service", "bad_review_by_agent"]


def check_note_template(value: str) -> str:
    """A note template may use only {content} and {agent}, and must name the agent."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(value) if name is not None]
    except ValueError as exc:
        raise ValueError(f"not a valid note template: {exc}") from None
    unknown = [name for name in names if name not in NOTE_FIELDS]
    if unknown:
        raise ValueError(f"unknown placeholder {{{unknown[0]}}}; use {{content}} and {{agent}}")
    if "agent" not in names:
        raise ValueError("the note must name the agent: include {agent}")
    return value


class Attribution(Rule):
    mode: Literal["order", "order_first", "payment"]
    """Who gets an order: `order` the agent who last served before the order 下单判定,
    `payment` before payment 付款判定, `order_first` the pre-order agent else the pre-payment
    one 下单优先判定."""
    inquiry_window_days: PositiveInt = 2
    """An inquiry counts for an order placed within this many days (询单有效时长; JD 2-15)."""
    flag_owner_wins: bool = False
    """When several agents served the buyer, the one who flagged the order wins (S1)."""
    chase_after_unpaid_hours: PositiveInt | None = None
    """An order unpaid this long while its agent is offline may be chased by another agent,
    who then gets the credit (S1: 24)."""
    deductions: list[Deduction] = Field(default_factory=list)
    """What takes an order out of the agent's results (S1: a non-quality return caused by the
    buyer's whim or by poor service; a mid/negative review caused by the agent)."""
    silent_order_follow_up_minutes: PositiveInt | None = None
    """A silent order (no chat) followed up within this many minutes of payment is not credited
    (JD: 1-60); none: such follow-ups get no special treatment."""
    after_sales_window_days: PositiveInt = 15
    """A buyer with a paid order this recent who writes without ordering is an after-sales
    consult, not an inquiry (KPI.md)."""
    payment_buffer_days: PositiveInt = 7
    """Days an order may still be paid before conversion figures are final (Taobao: 7)."""


class UnpaidReminder(Rule):
    at: Clock
    """Daily time of the unpaid-order reminder round (S4.3, S4.4: 16:00)."""
    min_age_hours: Count = 0
    """Remind only orders at least this old (S2: 12 hours)."""
    one_agent: bool = True
    """One agent on duty does the round, so no buyer is reminded twice."""
    mark_flag: FlagColour | None = None
    """Flag set on a reminded order (S4.4: blue)."""


class Flag(Rule):
    colour: FlagColour
    """The flag colour."""
    note: str
    """The seller note, a template with {content} and {agent}, e.g. "{content}_{agent}"."""

    @field_validator("note")
    @classmethod
    def _template(cls, value: str) -> str:
        return check_note_template(value)


class CommissionFlag(Flag):
    missing_loses_commission: bool = True
    """A sale without the note earns the agent no commission (S4.2)."""


class Flags(StrictModel):
    special_request: Flag | None = None
    """Flag and note for a buyer's special request (S4.4: red, "{content}_{agent}")."""
    commission: CommissionFlag | None = None
    """Flag and note marking whose sale it is (S4.2: blue, "{agent}")."""


class Waybills(Rule):
    stock_days_ahead: PositiveInt = 2
    """Waybills are stocked at least this many days of orders ahead (S4.4: 2)."""
    print_stop_at: Clock | None = None
    """Printing stops at this time unless the courier is still there (S4.4: 17:00)."""
    check_before_print: bool = True
    """Notes and addresses are checked before printing."""


class PaidOrders(Rule):
    read_buyer_notes: bool = True
    """Read the buyer's message and notes on every paid order (S0)."""
    call_if_unclear: bool = False
    """Phone the buyer when the requirements are unclear (S0)."""
    verify_address: bool = False
    """Confirm the address with the buyer after every order (S4.4)."""


class LowStock(Rule):
    below: PositiveInt
    """A listed item with fewer pieces than this is checked and colleagues told (S4.2: 10)."""


class Orders(StrictModel):
    paid: PaidOrders
    """What to do with a paid order."""
    unpaid_reminder: UnpaidReminder | None = None
    """The daily reminder round for unpaid orders."""
    flags: Flags = Field(default_factory=Flags)
    """Seller flag conventions."""
    low_stock: LowStock | None = None
    """The low-stock check, if the regime has one."""
    waybills: Waybills | None = None
    """Waybill printing rules (S4.4)."""

    @model_validator(mode="after")
    def _distinct_flags(self) -> Orders:
        # Each colour must mean one thing: a reminder flag that looks like a commission flag
        # would credit the reminder round with the sale.
        problems = Problems()
        used: dict[str, str] = {}
        candidates = [
            (("flags", "special_request", "colour"), self.flags.special_request),
            (("flags", "commission", "colour"), self.flags.commission),
        ]
        for at, flag in candidates:
            if flag is not None:
                if flag.colour in used:
                    problems.add(at, f"{flag.colour} is already used by {used[flag.colour]}")
                used[flag.colour] = ".".join(str(p) for p in at[:-1])
        reminder = self.unpaid_reminder
        if reminder is not None and reminder.mark_flag is not None and reminder.mark_flag in used:
            problems.add(
                ("unpaid_reminder", "mark_flag"),
                f"{reminder.mark_flag} is already used by {used[reminder.mark_flag]}",
            )
        problems.raise_if_any()
        return self
