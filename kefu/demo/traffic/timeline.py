"""The month's clock: local seconds, the day curve, shopping days and who is on duty when.

The generator counts time in whole seconds since the shop-local midnight that starts the month
("local seconds"): hour and day buckets are then integer divisions, which keeps the hot paths in
numpy. That needs a zone without clock changes inside the month (Asia/Shanghai has none).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import chinese_calendar
import numpy as np
import numpy.typing as npt

from kefu.demo.traffic.model import ShopProfile

DAY = 86_400
HOUR = 3_600
# Days simulated after the month so that late conversations, payments and the duty look-ups for
# them have somewhere to land; events after the month's end are cut at the end.
SPILL_DAYS = 3

# Buyer arrivals by local hour, relative. Shaped after the public 分时接待 curves of Taobao
# shops: quiet 02-06h, a morning peak at 10-11h, a dip at lunch, an afternoon plateau and the
# day's highest peak at 20-22h when buyers browse after work.
HOUR_WEIGHTS: tuple[float, ...] = (
    3.0,
    1.5,
    0.8,
    0.5,
    0.4,
    0.5,
    1.0,
    2.0,
    3.5,
    5.5,
    7.0,
    6.8,
    5.0,
    5.2,
    5.8,
    5.8,
    5.6,
    5.0,
    4.6,
    5.6,
    7.2,
    7.6,
    6.2,
    4.2,
)

# Chinese shopping festivals (month, day) -> traffic factor. Pre-sale days before 双11 and 618
# are busier too; the days after 双11 bring the after-sales wave, modelled as extra traffic.
SHOPPING_DAYS: dict[tuple[int, int], float] = {
    (3, 8): 1.35,  # 女王节
    (6, 1): 1.3,
    (6, 16): 1.3,
    (6, 17): 1.4,
    (6, 18): 1.8,  # 618
    (9, 9): 1.2,
    (11, 1): 1.3,
    (11, 10): 1.6,
    (11, 11): 2.5,  # 双11
    (11, 12): 1.5,
    (12, 12): 1.6,  # 双12
}
SPRING_FESTIVAL_FACTOR = 0.45  # couriers stop and buyers are with family


@dataclass(frozen=True)
class Clock:
    """Month geometry: how local seconds map to UTC and to dates."""

    first_day: dt.date
    days: int
    utc_offset_s: int
    month_start_epoch: int  # UTC epoch seconds of local midnight on the first day

    @property
    def horizon(self) -> int:
        """Local seconds of the month's end: the moment the exports are taken."""
        return self.days * DAY

    @property
    def hours(self) -> int:
        """Hour buckets covered by the duty table (the month plus the spill days)."""
        return (self.days + SPILL_DAYS) * 24

    def date_of_day(self, day: int) -> dt.date:
        return self.first_day + dt.timedelta(days=day)


def make_clock(profile: ShopProfile) -> Clock:
    zone = zoneinfo.ZoneInfo(profile.time_zone)
    first = profile.month.first_day
    days = profile.month.days
    offsets = set()
    for d in range(-16, days + SPILL_DAYS + 1):  # carried-in orders reach 15 days back
        local = dt.datetime.combine(first + dt.timedelta(days=d), dt.time(), tzinfo=zone)
        offset = local.utcoffset()
        assert offset is not None
        offsets.add(int(offset.total_seconds()))
    if len(offsets) != 1:
        raise ValueError(f"time zone {profile.time_zone} changes its clock in this month")
    start = dt.datetime.combine(first, dt.time(), tzinfo=zone)
    return Clock(first, days, offsets.pop(), int(start.timestamp()))


def day_factors(
    profile: ShopProfile, clock: Clock, first: int, count: int
) -> npt.NDArray[np.float64]:
    """Traffic factor per day index `first .. first+count-1` (weekends, festivals, 春节)."""
    out = np.ones(count, dtype=np.float64)
    for i in range(count):
        date = clock.date_of_day(first + i)
        factor = 1.0
        if date.weekday() >= 5:
            factor *= profile.behaviour.weekend_factor
        factor *= SHOPPING_DAYS.get((date.month, date.day), 1.0)
        try:
            _, holiday = chinese_calendar.get_holiday_detail(date)
        except NotImplementedError:  # the package only knows the years the State Council published
            holiday = None
        if holiday == chinese_calendar.Holiday.spring_festival.value:
            factor *= SPRING_FESTIVAL_FACTOR
        out[i] = factor
    return out


def hour_probabilities() -> npt.NDArray[np.float64]:
    w = np.asarray(HOUR_WEIGHTS, dtype=np.float64)
    return w / w.sum()


def arrival_times(
    rng: np.random.Generator, per_day: npt.NDArray[np.int64], first_day: int
) -> npt.NDArray[np.int64]:
    """Local seconds of `per_day[i]` arrivals on day `first_day + i`, following the day curve."""
    total = int(per_day.sum())
    day = np.repeat(np.arange(first_day, first_day + per_day.size, dtype=np.int64), per_day)
    hour = rng.choice(24, size=total, p=hour_probabilities()).astype(np.int64)
    second = rng.integers(0, HOUR, size=total, dtype=np.int64)
    return np.sort(day * DAY + hour * HOUR + second)


@dataclass(frozen=True)
class Duty:
    """Who is on duty in each hour bucket of the month (plus the spill days).

    `on[a, h]` is True when sub-account `a` works in hour bucket `h`; `roster[h, :count[h]]`
    lists them; `next_open[h]` is the first bucket at or after `h` with anyone on duty (or
    `hours` when there is none).
    """

    on: npt.NDArray[np.bool_]
    count: npt.NDArray[np.int64]
    roster: npt.NDArray[np.int64]
    next_open: npt.NDArray[np.int64]

    def pick(
        self, bucket: npt.NDArray[np.int64], draw: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.int64]:
        """One on-duty agent per element (`count[bucket]` must be > 0); `draw` is any int."""
        return self.roster[bucket, draw % self.count[bucket]]


def make_duty(profile: ShopProfile, clock: Clock) -> Duty:
    index = {nick: i for i, nick in enumerate(profile.sub_accounts)}
    hours = clock.hours
    on = np.zeros((len(index), hours), dtype=np.bool_)
    for d in range(clock.days + SPILL_DAYS):
        date = clock.date_of_day(d)
        per_hour = profile.on_duty(date)
        if len(per_hour) != 24:
            raise ValueError(f"the rota for {date} has {len(per_hour)} hours, not 24")
        for h, nicks in enumerate(per_hour):
            for nick in nicks:
                if nick not in index:
                    raise ValueError(f"the rota for {date} names {nick!r}, not a sub-account")
                on[index[nick], d * 24 + h] = True
    count = on.sum(axis=0).astype(np.int64)
    roster = np.zeros((hours, max(1, int(count.max()))), dtype=np.int64)
    for h in range(hours):
        agents = np.flatnonzero(on[:, h])
        roster[h, : agents.size] = agents
    next_open = np.full(hours + 1, hours, dtype=np.int64)
    for h in range(hours - 1, -1, -1):
        next_open[h] = h if count[h] > 0 else next_open[h + 1]
    return Duty(on, count, roster, next_open[:hours])


def load_factor(profile: ShopProfile, clock: Clock, duty: Duty) -> npt.NDArray[np.float64]:
    """Response-time multiplier per hour bucket: busier hours and thin staffing answer slower.

    Two effects: the hour of day (peaks carry follow-ups and orders, not only new buyers) and
    the expected new buyers per agent on duty against `buyers_per_agent_hour`.
    """
    b = profile.behaviour
    weights = np.asarray(HOUR_WEIGHTS, dtype=np.float64)
    per_day = (
        b.buyers_per_day * profile.scale * day_factors(profile, clock, 0, clock.days + SPILL_DAYS)
    )
    expected = (per_day[:, None] * hour_probabilities()[None, :]).ravel()
    per_agent = expected / np.maximum(duty.count, 1)
    staffing = np.clip(np.sqrt(per_agent / b.buyers_per_agent_hour), 0.8, 3.0)
    hour_of_day = np.tile(0.7 + 0.8 * weights / weights.max(), clock.days + SPILL_DAYS)
    night = np.tile(
        np.where((np.arange(24) < 8) | (np.arange(24) == 23), 1.3, 1.0), clock.days + SPILL_DAYS
    )
    return np.asarray(staffing * hour_of_day * night, dtype=np.float64)
