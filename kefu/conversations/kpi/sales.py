"""Sales KPIs per (shop, agent, date) under sole credit, shop totals with silent sales, and the
split view 分类业绩 beside them.

Sales (only `counted` orders, on their `sale_day`, see attribution.py): 销售额 sales, 销售人数
buyers (distinct), 销售量 items, 销售订单数 orders, 客单价 avg_order_value = sales / buyers,
件均价 avg_item_price = sales / items (both Decimal, rounded half-even to the cent), 退款金额
refund_amount, 退款件数 refund_items, 退款人数 refund_buyers (distinct buyers with a refund),
退款率 refund_rate = refund_items / items. Refunds are as of the data and belong to the sale's
date, not the refund's.

Shop totals: shop_sales = every order paid in time on its sale day (the same date basis as the
credited sales), credited_sales, withheld_sales (credited but excluded or deducted), 静默销售额
silent_sales = shop_sales - credited_sales (KPI.md: it includes the withheld orders), 静默占比
silent_share = silent_sales / shop_sales.

`status` is `pending` while orders of that day may still be paid (order-based modes: until the
end of day + payment_buffer_days; payment mode: until the day is over): the figures are shown
and may still grow.

Split view (paid orders, on the local payment date, A = pre-order agent, P = pre-payment agent):
本人落实下单付款 self_order_self_pay (A, P is A or nobody), 本人下单他人付款 self_order_other_pay
(A, when P is another agent), 他人下单本人付款 other_order_self_pay (that P), 静默下单本人付款
silent_order_self_pay (P when nobody served before the order), 全静默跟进 silent_follow_up (the
agent who wrote within silent_order_follow_up_minutes after the payment of an order nobody
served), 协助 assisted (the first agent of the window, A and P when not the credited agent).
"""

from __future__ import annotations

import polars as pl

from kefu.conversations.kpi.keys import LocalClock
from kefu.conversations.kpi.orders import is_final
from kefu.conversations.kpi.settings import KpiSettings

SUM_MONEY = pl.Decimal(18, 2)
SPLITS = (
    "self_order_self_pay",
    "self_order_other_pay",
    "other_order_self_pay",
    "silent_order_self_pay",
    "silent_follow_up",
    "assisted",
)


def _status(clock: LocalClock, settings: KpiSettings, as_of_s: int) -> pl.Expr:
    wait = 0 if settings.attribution_mode == "payment" else settings.payment_buffer_days
    final = is_final(pl.col("day"), wait, clock, as_of_s)
    return pl.when(final).then(pl.lit("final")).otherwise(pl.lit("pending")).alias("status")


def agent_sales(
    attributed: pl.DataFrame, clock: LocalClock, settings: KpiSettings, as_of_s: int
) -> pl.DataFrame:
    """Sales KPIs per (shop_id, agent_id, date) from `attribution.attribute`."""
    refunded = pl.col("refund_amount") > 0
    out = (
        attributed.filter("counted")
        .group_by(
            "shop_id", pl.col("credited_agent").alias("agent_id"), pl.col("sale_day").alias("day")
        )
        .agg(
            pl.col("amount").sum().cast(SUM_MONEY).alias("sales"),
            pl.col("buyer_id").n_unique().alias("buyers"),
            pl.col("items").sum().alias("items"),
            pl.len().alias("orders"),
            pl.col("refund_amount").sum().cast(SUM_MONEY).alias("refund_amount"),
            pl.col("refund_items").sum().alias("refund_items"),
            pl.when(refunded).then("buyer_id").drop_nulls().n_unique().alias("refund_buyers"),
        )
    )
    return (
        out.with_columns(
            pl.when(pl.col("buyers") > 0)
            .then((pl.col("sales") / pl.col("buyers")).cast(SUM_MONEY))
            .alias("avg_order_value"),
            pl.when(pl.col("items") > 0)
            .then((pl.col("sales") / pl.col("items")).cast(SUM_MONEY))
            .alias("avg_item_price"),
            pl.when(pl.col("items") > 0)
            .then(pl.col("refund_items") / pl.col("items"))
            .alias("refund_rate"),
            _status(clock, settings, as_of_s),
            pl.col("day").cast(pl.Date).alias("date"),
        )
        .select(
            "shop_id",
            "agent_id",
            "date",
            "sales",
            "buyers",
            "items",
            "orders",
            "avg_order_value",
            "avg_item_price",
            "refund_amount",
            "refund_items",
            "refund_buyers",
            "refund_rate",
            "status",
        )
        .sort("shop_id", "date", "agent_id")
    )


def shop_sales(
    attributed: pl.DataFrame, clock: LocalClock, settings: KpiSettings, as_of_s: int
) -> pl.DataFrame:
    """Shop totals per (shop_id, date) with silent sales 静默销售额."""
    paid = attributed.filter(pl.col("paid_in_time") & pl.col("sale_day").is_not_null())
    credited = pl.col("credited_agent").is_not_null()
    zero = pl.lit(0, SUM_MONEY)
    out = paid.group_by("shop_id", pl.col("sale_day").alias("day")).agg(
        pl.col("amount").sum().cast(SUM_MONEY).alias("shop_sales"),
        pl.len().alias("shop_orders"),
        pl.when("counted").then("amount").sum().cast(SUM_MONEY).alias("credited_sales"),
        pl.col("counted").sum().alias("credited_orders"),
        pl.when(credited & ~pl.col("counted"))
        .then("amount")
        .sum()
        .cast(SUM_MONEY)
        .alias("withheld_sales"),
    )
    return (
        out.with_columns(
            pl.col("credited_sales").fill_null(zero),
            pl.col("withheld_sales").fill_null(zero),
        )
        .with_columns(
            (pl.col("shop_sales") - pl.col("credited_sales")).cast(SUM_MONEY).alias("silent_sales")
        )
        .with_columns(
            pl.when(pl.col("shop_sales") > 0)
            .then(pl.col("silent_sales").cast(pl.Float64) / pl.col("shop_sales").cast(pl.Float64))
            .alias("silent_share"),
            _status(clock, settings, as_of_s),
            pl.col("day").cast(pl.Date).alias("date"),
        )
        .select(
            "shop_id",
            "date",
            "shop_sales",
            "shop_orders",
            "credited_sales",
            "credited_orders",
            "withheld_sales",
            "silent_sales",
            "silent_share",
            "status",
        )
        .sort("shop_id", "date")
    )


def sales_split(attributed: pl.DataFrame) -> pl.DataFrame:
    """Orders and sales per (shop_id, agent_id, date of payment) in each split category."""
    paid = attributed.filter(pl.col("paid_day").is_not_null())
    a, p = pl.col("pre_order_agent"), pl.col("pre_payment_agent")
    both = a.is_not_null() & p.is_not_null() & (a != p)

    def rows(category: str, agent: pl.Expr, when: pl.Expr) -> pl.DataFrame:
        return paid.filter(when).select(
            "shop_id",
            agent.alias("agent_id"),
            pl.col("paid_day").alias("day"),
            "amount",
            pl.lit(category).alias("category"),
        )

    credited = pl.col("credited_agent")
    first, before_order = pl.col("first_agent"), pl.col("pre_order_agent")
    # 协助: each distinct agent among first, A and P that is not the credited one.
    assisted = [
        rows("assisted", first, first.is_not_null() & first.ne_missing(credited)),
        rows(
            "assisted",
            before_order,
            a.is_not_null() & a.ne_missing(credited) & a.ne_missing(first),
        ),
        rows(
            "assisted",
            p,
            p.is_not_null() & p.ne_missing(credited) & p.ne_missing(first) & p.ne_missing(a),
        ),
    ]
    parts = pl.concat(
        [
            rows("self_order_self_pay", a, a.is_not_null() & (p.is_null() | (a == p))),
            rows("self_order_other_pay", a, both),
            rows("other_order_self_pay", p, both),
            rows("silent_order_self_pay", p, a.is_null() & p.is_not_null()),
            rows(
                "silent_follow_up",
                pl.col("follow_up_agent"),
                a.is_null() & p.is_null() & pl.col("follow_up_agent").is_not_null(),
            ),
            *assisted,
        ]
    )
    category = pl.col("category")
    return (
        parts.group_by("shop_id", "agent_id", "day")
        .agg(
            *(
                expr
                for name in SPLITS
                for expr in (
                    (category == name).sum().alias(f"{name}_orders"),
                    pl.col("amount")
                    .filter(category == name)
                    .sum()
                    .cast(SUM_MONEY)
                    .alias(f"{name}_sales"),
                )
            )
        )
        .with_columns(pl.col("day").cast(pl.Date).alias("date"))
        .select(
            "shop_id",
            "agent_id",
            "date",
            *(f"{n}_{w}" for n in SPLITS for w in ("orders", "sales")),
        )
        .sort("shop_id", "date", "agent_id")
    )
