"""考勤 and 交接与报告: clocking in, lateness, absence, full attendance; the handover log, the
weekly summary and meeting, and the agents' daily records.

These sections say how facts are classified (which lateness is excused, when lateness becomes
an absence); what a fact costs is said by `fines` and `points`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from kefu.policy.schema.base import Clock, Count, PositiveInt, Rule, StrictModel, Weekday


class ClockIn(Rule):
    method: Literal["punch_machine", "sign_in_book", "platform_login"]
    """How presence is recorded: punch machine 打卡机 (S4.3), sign-in book 考勤本 (S3), or the
    sub-account's login (no seed names one)."""
    pay_by_actual_punches: bool = False
    """Pay is computed from actual punch times and days worked (S4.3)."""


class LateGrace(StrictModel):
    count_per_month: Count
    """Latenesses a month that are excused (S1: 2) ..."""
    max_minutes: PositiveInt
    """... when each is at most this many minutes (S1: 10)."""


class Late(Rule):
    grace: LateGrace | None = None
    """Excused latenesses; none means every lateness counts."""
    absence_after_minutes: PositiveInt | None = None
    """A lateness longer than this counts as an absence 缺勤 instead (S3: 30)."""
    early_leave_same_as_late: bool = True
    """Leaving early is classified and priced like a lateness (S4.5 迟到、早退)."""


class Absenteeism(Rule):
    unapproved_rest: bool = True
    """Resting without approval is absenteeism 旷工 (S3, S4.3)."""
    leaving_without_swap: bool = False
    """Leaving one's post without arranging a swap is absenteeism (S3 (3))."""


class ForgottenSignIn(Rule):
    counts_as: Literal["swap_day", "late", "absence", "nothing"]
    """What a forgotten sign-in counts as (S3: a swap day 调休)."""


class OnlineOnDuty(Rule):
    fact: Literal["not_online", "not_logged_in"]
    """The fact a silence on duty is recorded as: S1's 当班旺旺未在线又未请假 (`not_online`), S3's
    值班客服未登录在线客服 (`not_logged_in`)."""
    silent_minutes: PositiveInt
    """Kefu has no login status, only the chat records: a stretch of at least this many
    minutes inside the agent's worked shift in which buyers wrote to the shop and none of
    the agent's sub-accounts sent a message by hand counts as not being online."""
    min_buyers: PositiveInt = 1
    """Fewest buyers who must have written to the shop during that stretch."""


FullAttendanceCondition = Literal[
    "no_late", "no_early_leave", "no_absence", "no_absenteeism", "no_leave"
]


class FullAttendance(Rule):
    requires: list[FullAttendanceCondition] = Field(min_length=1)
    """What a month must be free of to count as full attendance 全勤 (S4.3: no lateness, early
    leave, absenteeism or leave)."""


class Attendance(StrictModel):
    clock_in: ClockIn
    """How presence is recorded."""
    late: Late
    """Lateness and when it becomes an absence."""
    absenteeism: Absenteeism
    """What counts as absenteeism 旷工."""
    forgotten_sign_in: ForgottenSignIn | None = None
    """What a forgotten sign-in counts as; none: it is simply a missing punch."""
    online: OnlineOnDuty | None = None
    """Being online in the chat on duty, judged from the chat records; none: not checked."""
    full_attendance: FullAttendance
    """The conditions of full attendance (the award or allowance is in `awards` / `pay`)."""


class Handover(Rule):
    required_each_shift: bool = True
    """The leaving shift writes what the next must follow up, every shift."""
    where: str = "交接本"
    """Where it is written (交接本, 网店通事务追踪, 旺旺留言 ...)."""
    read_first: bool = True
    """The arriving agent's first job is to read it and the buyers' messages."""
    leave_key_orders: bool = True
    """The leaving agent's last job is to leave the key orders for the next agent."""


class Due(StrictModel):
    weekday: Weekday
    """Day of the week (mon ... sun)."""
    time: Clock
    """Local time on that day."""


class Meeting(Rule):
    weekday: Weekday
    """Day of the weekly meeting 周例会."""
    time: Clock
    """Its start (local time)."""
    material: list[
        Literal["goals", "problems", "after_sales_cases", "review_follow_ups", "last_week"]
    ] = Field(default_factory=list)
    """What each agent brings: goals, problems, after-sales cases with the party at fault,
    review follow-ups, last week's work."""


class WeeklySummary(Rule):
    required: bool = True
    """Each agent hands in a weekly summary 工作总结."""
    due: Due | None = None
    """When it is due (S4.1: Saturday 17:00); required when `required` is true."""
    min_chars: Count = 0
    """Fewest characters it may have (S4.1: 200)."""
    channel: str = ""
    """How it is sent (S4.1: 钉钉)."""
    meeting: Meeting | None = None
    """The weekly meeting where summaries and cases are discussed."""

    @model_validator(mode="after")
    def _due_when_required(self) -> WeeklySummary:
        if self.required and self.due is None:
            raise ValueError("a required weekly summary needs `due` (weekday and time)")
        return self


DailyRecordItem = Literal[
    "buyers_received",
    "buyer_ids",
    "buyers_converted",
    "converted_amount",
    "product_problems",
    "logistics_problems",
    "service_problems",
    "shipments_by_category",
    "returns_by_category",
]


class DailyRecord(Rule):
    required: bool = True
    """Each agent keeps a daily record (S4.4 §3.5)."""
    items: list[DailyRecordItem] = Field(default_factory=list)
    """What the record holds: buyers received (count, IDs), converted (count, amount), problems
    met; the waybill agent records shipments and returns by category."""
    due: Due | None = None
    """When the week's records go to the supervisor (S4.4: Friday 11:00)."""
    forward_to_operations_same_day: bool = False
    """The supervisor forwards them to operations 运营部 the same day."""

    @model_validator(mode="after")
    def _due_when_required(self) -> DailyRecord:
        if self.required and self.due is None:
            raise ValueError("a required daily record needs `due` (weekday and time)")
        return self
