"""Reads of the KPI snapshots for the screens: the team dashboard (today, the month, trends, the
24-hour load, Kefu's figures beside the platform's) and one agent's page. The buyers waiting
right now are read from the latest messages in `waiting_selectors`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from kefu.conversations.models import AgentDayKpi, HourKpi, PlatformStat, ShopDayKpi
from kefu.core.models import Shop
from kefu.performance.models import Fact
from kefu.staff.models import Agent, SubAccount

SUMMED = (
    "consulted",
    "served",
    "inquiries",
    "rounds",
    "answered_rounds",
    "left_rounds",
    "fast_rounds",
    "slow_rounds",
    "unanswered_buyers",
    "first_response_total_s",
    "first_response_count",
    "response_total_s",
    "response_count",
    "ordered_final",
    "paid_final",
    "sales",
    "orders",
)


def _ratio(numerator: Any, denominator: Any) -> float | None:
    return float(numerator) / float(denominator) if denominator else None


@dataclass(frozen=True)
class Totals:
    """Figures summed over days (and agents); ratios from the sums (docs/kpi.md, Snapshots)."""

    days: int = 0
    consulted: int = 0
    served: int = 0
    inquiries: int = 0
    rounds: int = 0
    answered_rounds: int = 0
    left_rounds: int = 0
    fast_rounds: int = 0
    slow_rounds: int = 0
    unanswered_buyers: int = 0
    first_response_total_s: int = 0
    first_response_count: int = 0
    response_total_s: int = 0
    response_count: int = 0
    ordered_final: int = 0
    paid_final: int = 0
    final_inquiries: int = 0
    """Inquiries of the days whose 询单→最终下单 is final (the conversion's denominator)."""
    sales: Decimal = Decimal("0.00")
    orders: int = 0

    @property
    def first_response_s(self) -> float | None:
        return _ratio(self.first_response_total_s, self.first_response_count)

    @property
    def avg_response_s(self) -> float | None:
        return _ratio(self.response_total_s, self.response_count)

    @property
    def fast_rate(self) -> float | None:
        """3分钟响应率: rounds answered within 3 minutes / rounds that were not left messages."""
        return _ratio(self.fast_rounds, self.rounds - self.left_rounds)

    @property
    def conversion(self) -> float | None:
        """询单→最终下单 over the days already final; None while every day is pending."""
        return _ratio(self.ordered_final, self.final_inquiries)


def _sums() -> dict[str, Any]:
    # Aggregates named apart from the fields (Django refuses Sum("x") next to an aggregate x).
    return {
        **{f"sum_{name}": Sum(name) for name in SUMMED},
        "sum_final_inquiries": Sum("inquiries", filter=Q(ordered_final__isnull=False)),
        "sum_days": Count("id"),
    }


def _totals_of(sums: dict[str, Any]) -> Totals:
    values: dict[str, Any] = {
        k.removeprefix("sum_"): (v if v is not None else 0)
        for k, v in sums.items()
        if k.startswith("sum_")
    }
    values["sales"] = Decimal(values["sales"] or 0).quantize(Decimal("0.01"))
    return Totals(**values)


def totals(rows: QuerySet[Any]) -> Totals:
    return _totals_of(rows.aggregate(**_sums()))


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


@dataclass(frozen=True)
class AgentRow:
    agent: Agent | None
    totals: Totals


@dataclass(frozen=True)
class Comparison:
    """One figure of the platform's report beside Kefu's for the same agent and period."""

    nickname: str
    agent: Agent | None
    date_from: dt.date
    date_to: dt.date
    metric: str
    platform: Decimal | None
    pending: bool
    kefu: float | Decimal | None

    @property
    def difference(self) -> Decimal | None:
        """Kefu's figure less the platform's, in Decimal (sales are money; a rate or seconds
        figure from the engine is a float, read through its shortest text)."""
        if self.platform is None or self.kefu is None:
            return None
        return Decimal(str(self.kefu)) - self.platform


@dataclass(frozen=True)
class TeamDashboard:
    today: dt.date
    month_start: dt.date
    day: Totals
    month: Totals
    agents: list[AgentRow]
    trend: dict[str, dict[str, Any]]
    load: dict[str, Any]
    comparisons: list[Comparison] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return self.month.rounds > 0 or self.month.orders > 0


def agent_rows(*, shop: Shop, start: dt.date, end: dt.date) -> list[AgentRow]:
    """Per agent (bound or not) over [start, end], most served first."""
    rows = AgentDayKpi.objects.filter(shop=shop, local_date__gte=start, local_date__lte=end)
    # One grouped query for every agent (not one aggregate per agent).
    grouped = list(rows.order_by().values("agent_id").annotate(**_sums()))
    agents = Agent.objects.in_bulk([g["agent_id"] for g in grouped if g["agent_id"] is not None])
    out = [
        AgentRow(agents.get(g["agent_id"]) if g["agent_id"] else None, _totals_of(g))
        for g in grouped
    ]
    return sorted(out, key=lambda r: (-r.totals.served, r.agent.name if r.agent else ""))


def trend(*, shop: Shop, start: dt.date, end: dt.date) -> dict[str, dict[str, Any]]:
    """Daily series for kefu.js: `volume` (served and inquiries, the 3-minute rate in % on the
    right axis) and `response` (first and average response, seconds)."""
    by_day = {
        row.local_date: day_totals(row)
        for row in ShopDayKpi.objects.filter(shop=shop, local_date__gte=start, local_date__lte=end)
    }
    empty = Totals()
    categories: list[str] = []
    series: dict[str, list[Any]] = {k: [] for k in ("served", "inquiries", "fast", "first", "avg")}
    day = start
    while day <= end:
        t = by_day.get(day, empty)
        categories.append(f"{day.month}/{day.day}")
        series["served"].append(t.served)
        series["inquiries"].append(t.inquiries)
        series["fast"].append(round(t.fast_rate * 100, 1) if t.fast_rate is not None else None)
        series["first"].append(_round(t.first_response_s))
        series["avg"].append(_round(t.avg_response_s))
        day += dt.timedelta(days=1)
    return {
        "volume": {
            "kind": "line",
            "categories": categories,
            "series": [
                {"name": "接待人数", "values": series["served"]},
                {"name": "询单人数", "values": series["inquiries"]},
                {"name": "3分钟响应率(%)", "values": series["fast"], "axis": 1},
            ],
        },
        "response": {
            "kind": "line",
            "categories": categories,
            "series": [
                {"name": "首次响应(秒)", "values": series["first"]},
                {"name": "平均响应(秒)", "values": series["avg"]},
            ],
        },
    }


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def hourly_load(
    *, shop: Shop, start: dt.date, end: dt.date, agent: Agent | None = None
) -> dict[str, Any]:
    """分时接待: rounds started in each local hour over the days, for a bar chart."""
    rows = HourKpi.objects.filter(shop=shop, local_date__gte=start, local_date__lte=end)
    rows = rows.filter(agent=agent) if agent is not None else rows.filter(agent__isnull=True)
    per_hour = dict(
        rows.order_by().values("hour").annotate(n=Sum("rounds")).values_list("hour", "n")
    )
    return {
        "kind": "bar",
        "name": "轮次",
        "categories": [f"{h}时" for h in range(24)],
        "values": [per_hour.get(h, 0) for h in range(24)],
    }


# The platform's report column -> how Kefu computes it from the summed snapshots.
COMPARED: dict[str, str] = {
    "咨询人数": "consulted",
    "聊天人数(原咨询人数)": "consulted",
    "接待人数": "served",
    "询单人数": "inquiries",
    "未回复人数": "unanswered_buyers",
    "首次响应(秒)": "first_response_s",
    "平均响应(秒)": "avg_response_s",
    "销售额": "sales",
}


def _agent_by_nick(shop: Shop, nicks: Iterable[str]) -> dict[str, Agent]:
    """The platform report names a sub-account in full (店铺:小美) or by its part after ':'."""
    subs = SubAccount.objects.filter(shop=shop).select_related("agent")
    by_full = {s.nickname: s.agent for s in subs}
    by_short = {s.nickname.split(":", 1)[-1]: s.agent for s in subs}
    return {n: a for n in nicks if (a := by_full.get(n) or by_short.get(n)) is not None}


def comparisons(*, shop: Shop, start: dt.date, end: dt.date) -> list[Comparison]:
    """The platform's figures for periods inside [start, end], each beside Kefu's."""
    stats = list(
        PlatformStat.objects.filter(
            shop=shop, date_from__gte=start, date_to__lte=end, metric__in=list(COMPARED)
        ).order_by("date_from", "date_to", "nickname", "metric")
    )
    agents = _agent_by_nick(shop, {s.nickname for s in stats})
    cache: dict[tuple[int, dt.date, dt.date], Totals] = {}
    out = []
    for stat in stats:
        agent = agents.get(stat.nickname)
        kefu: float | Decimal | None = None
        if agent is not None:
            key = (agent.pk, stat.date_from, stat.date_to)
            if key not in cache:
                cache[key] = totals(
                    AgentDayKpi.objects.filter(
                        shop=shop,
                        agent=agent,
                        local_date__gte=stat.date_from,
                        local_date__lte=stat.date_to,
                    )
                )
            kefu = getattr(cache[key], COMPARED[stat.metric])
        out.append(
            Comparison(
                stat.nickname,
                agent,
                stat.date_from,
                stat.date_to,
                stat.metric,
                stat.value,
                stat.pending,
                kefu,
            )
        )
    return out


def team_dashboard(*, shop: Shop, today: dt.date) -> TeamDashboard:
    start = _month_start(today)
    month_rows = ShopDayKpi.objects.filter(shop=shop, local_date__gte=start, local_date__lte=today)
    return TeamDashboard(
        today=today,
        month_start=start,
        day=totals(month_rows.filter(local_date=today)),
        month=totals(month_rows),
        agents=agent_rows(shop=shop, start=start, end=today),
        trend=trend(shop=shop, start=start, end=today),
        load=hourly_load(shop=shop, start=start, end=today),
        comparisons=comparisons(shop=shop, start=start, end=today),
    )


@dataclass(frozen=True)
class AgentPage:
    agent: Agent
    month_start: dt.date
    today: dt.date
    month: Totals
    days: list[AgentDayKpi]
    breaches: list[Fact]
    load: dict[str, Any]


def agent_page(*, shop: Shop, agent: Agent, today: dt.date) -> AgentPage:
    start = _month_start(today)
    rows = AgentDayKpi.objects.filter(
        shop=shop, agent=agent, local_date__gte=start, local_date__lte=today
    )
    breaches = Fact.objects.filter(
        shop=shop, agent=agent, source="kpi", local_date__gte=start, local_date__lte=today
    ).order_by("-occurred_at", "id")
    return AgentPage(
        agent=agent,
        month_start=start,
        today=today,
        month=totals(rows),
        days=list(rows.order_by("local_date")),
        breaches=list(breaches),
        load=hourly_load(shop=shop, start=start, end=today, agent=agent),
    )


def last_day_kpi(*, shop: Shop, until: dt.date) -> ShopDayKpi | None:
    """The shop's latest day with KPIs on or before `until` (None before any import)."""
    return (
        ShopDayKpi.objects.filter(shop=shop, local_date__lte=until).order_by("-local_date").first()
    )


def day_totals(row: AgentDayKpi | ShopDayKpi) -> Totals:
    """One snapshot row as Totals (so a day and a month read the same way)."""
    values: dict[str, Any] = {name: getattr(row, name) or 0 for name in SUMMED}
    final = row.inquiries if row.ordered_final is not None else 0
    return Totals(days=1, final_inquiries=final, **values)
