"""The month's attributed sales per agent, for commission and the sales awards.

Read from the daily KPI snapshots (`kefu.conversations.models.AgentDayKpi`, written by
`kefu.conversations.kpi_services.kpi_days_compute`): each day's `sales` there is the agent's
credited sales under the attribution mode of the policy version the day was computed under,
after the policy's exclusions and deductions (docs/kpi.md). A month is the sum of its days.
Days still pending (orders that may yet be paid) are counted as they stand and reported."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from kefu.conversations.models import AgentDayKpi, ShopDayKpi
from kefu.core.models import Shop
from kefu.performance.engine import Month
from kefu.performance.engine.text import yuan
from kefu.policy.describe_text import ATTRIBUTION_MODE
from kefu.policy.models import PolicyVersion
from kefu.policy.schema import Policy
from kefu.policy.selectors import parse_version

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class AgentSales:
    amount: Decimal = ZERO
    orders: int = 0
    days: int = 0
    pending_days: int = 0
    inquiries: int = 0
    paid_final: int = 0
    ordered_final: int = 0
    answered_rounds: int = 0
    fast_rounds: int = 0

    @property
    def conversion(self) -> Decimal | None:
        """询单→最终付款 over inquiries, exact (None without inquiries)."""
        if not self.inquiries:
            return None
        return Decimal(self.paid_final) / Decimal(self.inquiries)

    @property
    def payment_rate(self) -> Decimal | None:
        """付款率: inquirers who paid over inquirers who ordered (None without orders)."""
        if not self.ordered_final:
            return None
        return Decimal(self.paid_final) / Decimal(self.ordered_final)

    @property
    def fast_rate(self) -> Decimal | None:
        """3分钟响应率 of the month: fast rounds over answered rounds."""
        if not self.answered_rounds:
            return None
        return Decimal(self.fast_rounds) / Decimal(self.answered_rounds)


@dataclass(frozen=True)
class MonthSales:
    month: Month
    modes: tuple[str, ...]
    """The attribution modes the month's snapshots were computed under."""
    clause: str
    agents: dict[int, AgentSales] = field(default_factory=dict)
    department: Decimal = ZERO
    """The shop's credited sales of the month (department commission, S4.5)."""

    def of(self, agent_id: int) -> AgentSales:
        return self.agents.get(agent_id, AgentSales())

    @property
    def mode_label(self) -> str:
        if not self.modes:
            return "无销售快照"
        return "、".join(ATTRIBUTION_MODE.get(m, m) for m in self.modes)

    def note(self, agent_id: int) -> str:
        """How the agent's figure was made, for the payslip's commission line."""
        sales = self.of(agent_id)
        text = (
            f"{self.month.label}归属销售{yuan(sales.amount)}，{sales.orders}单，"
            f"归属方式：{self.mode_label}"
        )
        if self.clause:
            text += f"（{self.clause}）"
        if sales.pending_days:
            text += f"；其中{sales.pending_days}天的订单仍可能付款，按当前数计"
        return text

    def refs(self, agent_id: int) -> tuple[str, ...]:
        """Where the figure comes from: the snapshot rows of the month."""
        sales = self.of(agent_id)
        return (f"sales:{self.month}:agent{agent_id}:{sales.orders}单:{sales.amount}",)


def month_sales(*, shop: Shop, month: Month, policy: Policy) -> MonthSales:
    """Attributed sales of the month per agent from the daily snapshots (no snapshot: 0)."""
    window = {"shop": shop, "local_date__gte": month.first_day, "local_date__lte": month.last_day}
    rows = (
        AgentDayKpi.objects.filter(agent__isnull=False, **window)
        .values("agent_id")
        .annotate(
            amount=Sum("sales"),
            orders=Sum("orders"),
            days=Count("id"),
            pending=Count("id", filter=Q(sales_pending=True)),
            inquiries=Sum("inquiries"),
            paid_final=Sum("paid_final"),
            ordered_final=Sum("ordered_final"),
            answered_rounds=Sum("answered_rounds"),
            fast_rounds=Sum("fast_rounds"),
        )
    )
    agents = {
        r["agent_id"]: AgentSales(
            amount=(r["amount"] or ZERO).quantize(ZERO),
            orders=r["orders"] or 0,
            days=r["days"],
            pending_days=r["pending"],
            inquiries=r["inquiries"] or 0,
            paid_final=r["paid_final"] or 0,
            ordered_final=r["ordered_final"] or 0,
            answered_rounds=r["answered_rounds"] or 0,
            fast_rounds=r["fast_rounds"] or 0,
        )
        for r in rows
    }
    department = ShopDayKpi.objects.filter(**window).aggregate(total=Sum("sales"))["total"]
    version_ids = set(
        AgentDayKpi.objects.filter(**window).values_list("policy_version_id", flat=True).distinct()
    )
    modes = sorted(
        {
            parse_version(v).attribution.mode
            for v in PolicyVersion.objects.filter(pk__in=version_ids)
        }
    )
    return MonthSales(
        month=month,
        modes=tuple(modes),
        clause=policy.attribution.clause,
        agents=agents,
        department=(department or ZERO).quantize(ZERO),
    )
