"""The root of a shop's policy, and the rules that tie its sections together."""

from __future__ import annotations

from pydantic import model_validator

from kefu.policy.schema.attendance import Attendance, DailyRecord, Handover, WeeklySummary
from kefu.policy.schema.awards import Awards, FullAttendanceAward
from kefu.policy.schema.base import Problems, StrictModel
from kefu.policy.schema.buyers import Buyers
from kefu.policy.schema.cases import AfterSales, Complaints, Reviews
from kefu.policy.schema.fines import Fines
from kefu.policy.schema.orders import Attribution, Orders
from kefu.policy.schema.pay import Levels, Pay
from kefu.policy.schema.points import PointsPolicy
from kefu.policy.schema.quality import Quality
from kefu.policy.schema.schedule import Schedule
from kefu.policy.schema.service import ServiceLevels
from kefu.policy.schema.shop import Meta, Shop
from kefu.policy.schema.training import Duty, Exams


class Policy(StrictModel):
    """One shop's customer-service regime: every number Kefu applies comes from here."""

    meta: Meta
    """What this document is and where its rules come from."""
    shop: Shop
    """Platform, time zone and currency."""
    schedule: Schedule
    """排班: shifts, rest, roster rules, coverage, requests."""
    attendance: Attendance
    """考勤: clocking in, lateness, absence, full attendance."""
    handover: Handover
    """交接: the handover log."""
    weekly_summary: WeeklySummary
    """周总结 and the weekly meeting."""
    daily_record: DailyRecord
    """每日记录 per agent."""
    service_levels: ServiceLevels
    """响应: chat service levels and marketplace scores."""
    attribution: Attribution
    """业绩归属: who an order is credited to."""
    orders: Orders
    """订单: paid and unpaid orders, flags, stock, waybills."""
    after_sales: AfterSales
    """售后: case types and their paths."""
    reviews: Reviews
    """评价: mid and negative review follow-up."""
    complaints: Complaints
    """投诉: the complaint register."""
    quality: Quality
    """话术: phrase lists for the chat quality checks."""
    fines: Fines
    """罚款: what each fact costs."""
    points: PointsPolicy
    """积分: the points scale and catalogue."""
    awards: Awards
    """奖励: monthly awards."""
    levels: Levels
    """级别: the level ladder and probation length."""
    pay: Pay
    """薪资: how pay is made up."""
    buyers: Buyers | None = None
    """买家: buyer groups, return visits 回访 and follow-ups (optional)."""
    exams: Exams | None = None
    """考试: the exam scores that become facts (full marks, under the pass mark)."""
    duty: Duty | None = None
    """值日: the daily office cleaning and closing-up rota."""

    @model_validator(mode="after")
    def _sections_agree(self) -> Policy:
        problems = Problems()
        levels = self.levels.keys()
        known = ", ".join(levels)
        if self.pay.base is not None:
            for key in self.pay.base.by_level:
                if key not in levels:
                    problems.add(
                        ("pay", "base", "by_level", key), f"unknown level {key!r} (levels: {known})"
                    )
            for key in levels:
                if key not in self.pay.base.by_level:
                    problems.add(("pay", "base", "by_level"), f"level {key!r} has no base pay")
        if self.pay.guaranteed_minimum is not None:
            seen: dict[str, str] = {}
            for t_index, tier in enumerate(self.pay.guaranteed_minimum.tiers):
                for l_index, key in enumerate(tier.levels):
                    at = ("pay", "guaranteed_minimum", "tiers", t_index, "levels", l_index)
                    if key not in levels:
                        problems.add(at, f"unknown level {key!r} (levels: {known})")
                    elif key in seen:
                        problems.add(at, f"level {key!r} is already in tier {seen[key]!r}")
                    seen[key] = tier.key
        # Full attendance paid twice (award and allowance) would double the bonus.
        if self.pay.allowances is not None and self.pay.allowances.full_attendance is not None:
            for index, award in enumerate(self.awards.items):
                if isinstance(award, FullAttendanceAward):
                    problems.add(
                        ("awards", "items", index),
                        "full attendance is already paid by pay.allowances.full_attendance",
                    )
        if self.service_levels.night_first_response is not None and not (
            self.schedule.night_shifts()
        ):
            problems.add(
                ("service_levels", "night_first_response"),
                "needs a night shift: mark one of schedule.shifts with night: true",
            )
        if self.pay.bonus_pool is not None and (
            self.pay.commission is None or self.pay.commission.basis != "department_sales"
        ):
            problems.add(
                ("pay", "bonus_pool"),
                "a bonus pool splits a department commission: "
                "set pay.commission with basis: department_sales",
            )
        problems.raise_if_any()
        return self
