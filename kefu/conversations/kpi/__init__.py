"""The KPI engine (pure Polars, no Django): chat service KPIs, marketplace service scores,
conversion, sales attribution and the facts the rules price. Definitions: docs/kpi.md.

    settings = kpi_settings(policy)
    kpis = compute_day_kpis(messages, orders, settings=settings)
    kpis.agent_day, kpis.scores, kpis.sales, kpis.facts ...
"""

from kefu.conversations.kpi.engine import DayKpis, compute_day_kpis
from kefu.conversations.kpi.inputs import (
    MESSAGE_COLUMNS,
    ORDER_COLUMNS,
    KpiInputError,
    encode_buyers,
    flag_agent_from_note,
    validate_messages,
    validate_orders,
)
from kefu.conversations.kpi.settings import KpiSettings, ScoreSettings, kpi_settings

__all__ = [
    "MESSAGE_COLUMNS",
    "ORDER_COLUMNS",
    "DayKpis",
    "KpiInputError",
    "KpiSettings",
    "ScoreSettings",
    "compute_day_kpis",
    "encode_buyers",
    "flag_agent_from_note",
    "kpi_settings",
    "validate_messages",
    "validate_orders",
]
