"""Benchmark of the KPI engine: a month of every daily KPI, against its floor and PostgreSQL.

Run from the repository root:
    .venv/bin/python bench/kpi.py [--scale 180] [--repeat 3] [--no-sql] [--pg URL]

The demo generator makes a month (scale 180: ~10 million messages, ~1 million orders; seed
20260501) and writes the engine's inputs to Arrow files; a fresh child process times the engine
(every daily KPI, then only the KPIs the SQL computes) and its peak memory, then the floor (one
sort on the packed key). PostgreSQL then computes the same KPIs with window queries on an
UNLOGGED table in schema `bench_kpi` (dropped at the end); both results are compared on every
agent-day and shop-day. bench/README.md ("KPI engine") explains each figure.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import polars as pl  # noqa: E402

from kefu.conversations.kpi import KpiSettings, ScoreSettings, compute_day_kpis  # noqa: E402
from kefu.conversations.kpi.settings import kpi_settings  # noqa: E402

DEFAULT_PG = os.environ.get("KEFU_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
WINDOW = (8 * 60, 23 * 60)


def bench_settings() -> KpiSettings:
    """The taobao-s1 preset, plus every score kind, a night rule and silent follow-ups, so that
    every daily KPI the engine knows is computed."""
    from kefu.policy.documents import load_preset

    base = kpi_settings(load_preset("taobao-s1"))
    return replace(
        base,
        scores=(
            *base.scores,
            ScoreSettings("jd_30s", (9 * 60, 23 * 60), Decimal("0.9")),
            ScoreSettings("pdd_valid_reply", WINDOW, Decimal("0.9")),
            ScoreSettings("douyin_3min", WINDOW, Decimal("0.9")),
        ),
        night_first_response_seconds=60,
        night_windows=((15 * 60, 24 * 60),),  # the demo rota's late shift
        silent_follow_up_minutes=30,
    )


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM). Not ru_maxrss: Linux carries a parent's
    high-water mark over fork and exec into the child's ru_maxrss, which would charge the
    engine with the generator's memory."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


def timed(fn: Callable[[], Any], times: int) -> tuple[float, float, Any]:
    """Best wall and CPU seconds (CPU: both cores, less sensitive to other users' load) of
    `times` calls, and the last result."""
    wall, cpu, result = [], [], None
    for _ in range(times):
        result = None  # drop the previous result first: the peak memory is one run's
        gc.collect()
        started, started_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return min(wall), min(cpu), result


def message_layout(m: pl.DataFrame) -> Any:
    from kefu.conversations.kpi.keys import KeyLayout

    t_min, t_max, max_buyer = m.select(
        pl.col("at").min().dt.epoch("s").alias("lo"),
        pl.col("at").max().dt.epoch("s").alias("hi"),
        pl.col("buyer_id").max(),
    ).row(0)
    return KeyLayout.fit(m.get_column("shop_id"), max_buyer, t_min, t_max), t_min, t_max


def same_kpis(messages: pl.DataFrame, settings: KpiSettings) -> pl.DataFrame:
    """Only what the SQL computes, with the engine's own functions: rounds, consulted, served,
    first and average response, slow and unanswered buyers per agent-day, the Taobao rate."""
    from kefu.conversations.kpi import scores, service
    from kefu.conversations.kpi.inputs import validate_messages
    from kefu.conversations.kpi.keys import LocalClock
    from kefu.conversations.kpi.rounds import build_conversations

    taobao = replace(settings, scores=settings.scores[:1])
    m = validate_messages(messages)
    layout, t_min, t_max = message_layout(m)
    clock = LocalClock.covering(taobao.timezone, t_min, t_max)
    conv = build_conversations(m, layout, clock, taobao, as_of=t_max)
    abd = service.agent_buyer_days(service.agent_runs(conv, taobao), layout, None)
    counts = service.agent_counts(abd, layout, taobao)
    scores.platform_scores(conv, taobao)
    return counts


def generate(scale: float, seed: int, folder: Path) -> dict[str, Any]:
    from kefu.conversations.kpi.demo import inputs_from_traffic
    from kefu.demo.traffic import generate_month
    from kefu.demo.traffic.profiles import demo_profile

    started = time.perf_counter()
    traffic = generate_month(demo_profile(scale=scale, seed=seed))
    generated = time.perf_counter() - started
    started = time.perf_counter()
    inputs = inputs_from_traffic(traffic)
    adapted = time.perf_counter() - started
    inputs.messages.write_ipc(folder / "messages.arrow")
    inputs.orders.write_ipc(folder / "orders.arrow")
    (folder / "as_of.txt").write_text(inputs.as_of.isoformat())
    return {
        "messages": inputs.messages.height,
        "orders": inputs.orders.height,
        "agents": len(traffic.profile.sub_accounts),
        "generate_s": round(generated, 2),
        "adapt_s": round(adapted, 2),
    }


def child_engine(folder: Path, repeat: int) -> dict[str, Any]:
    """Runs in a fresh process: the engine's time and peak memory, then the floor."""
    import datetime as dt

    from kefu.conversations.kpi.keys import epoch_seconds, shl
    from kefu.conversations.kpi.rounds import event_code

    messages = pl.read_ipc(folder / "messages.arrow")
    orders = pl.read_ipc(folder / "orders.arrow")
    as_of = dt.datetime.fromisoformat((folder / "as_of.txt").read_text())
    loaded = peak_rss_mb()
    settings = bench_settings()
    engine_s, engine_cpu, kpis = timed(
        lambda: compute_day_kpis(messages, orders, settings=settings, as_of=as_of), repeat
    )
    peak = peak_rss_mb()
    kpis.agent_day.write_parquet(folder / "agent_day.parquet")
    kpis.scores.write_parquet(folder / "scores.parquet")
    sizes = {
        name: getattr(kpis, name).height
        for name in ("agent_day", "shop_day", "scores", "sales", "attribution", "facts", "rounds")
    }
    kpis = None
    same_s, same_cpu, same = timed(lambda: same_kpis(messages, settings), repeat)
    same.with_columns(pl.col("day").cast(pl.Date).alias("date")).write_parquet(
        folder / "same_kpis.parquet"
    )

    # The floor: one sort of the messages on the packed key (the frame the engine would sort
    # row-wise), built first and not timed; and the single UInt64 column the engine now sorts,
    # with code and agent packed below the key (`rounds.sort_messages`).
    layout = message_layout(messages)[0]
    narrow = messages.select(
        layout.pack(pl.col("shop_id"), pl.col("buyer_id"), epoch_seconds("at")).alias("key"),
        event_code(settings).alias("code"),
        "agent_id",
        "shop_id",
        "buyer_id",
        "at",
    ).filter(pl.col("code").is_not_null())
    packed = narrow.select("key", "code", "agent_id")
    floor_s, floor_cpu, _ = timed(lambda: packed.sort("key", maintain_order=True), 3)
    spare = 64 - 2 - layout.shop_bits - layout.buyer_bits - layout.t_bits
    column = packed.select(
        shl(pl.col("key"), 2 + spare)
        | shl(pl.col("code") - 1, spare)
        | (pl.col("agent_id") + 1).fill_null(0).cast(pl.UInt64)
    ).to_series()
    column_s, _, _ = timed(lambda: column.sort(), 3)
    three = narrow.select("shop_id", "buyer_id", "at", "code", "agent_id")
    started = time.perf_counter()
    three.sort("shop_id", "buyer_id", "at", maintain_order=True)
    three_columns = time.perf_counter() - started
    return {
        "engine_s": round(engine_s, 3),
        "engine_cpu_s": round(engine_cpu, 3),
        "engine_same_kpis_s": round(same_s, 3),
        "engine_same_kpis_cpu_s": round(same_cpu, 3),
        "rss_loaded_mb": round(loaded),
        "rss_peak_mb": round(peak),
        "floor_s": round(floor_s, 3),
        "floor_cpu_s": round(floor_cpu, 3),
        "one_column_sort_s": round(column_s, 3),
        "sorted_rows": packed.height,
        "three_column_sort_s": round(three_columns, 3),
        "outputs": sizes,
    }


LOAD_SQL = """
CREATE SCHEMA IF NOT EXISTS bench_kpi;
DROP TABLE IF EXISTS bench_kpi.messages;
CREATE UNLOGGED TABLE bench_kpi.messages (
    id bigint, shop_id bigint, buyer_id bigint, agent_id bigint,
    direction smallint, kind smallint, at timestamptz
);
"""
ROUNDS_SQL = """
CREATE UNLOGGED TABLE bench_kpi.rounds AS
WITH ev AS (
    SELECT id, shop_id, buyer_id, agent_id, at, CASE WHEN direction = 0 THEN 1 ELSE 2 END AS code
    FROM bench_kpi.messages WHERE kind = 0  -- human messages: auto-replies do not answer (S1)
), marked AS (
    SELECT *, lag(code) OVER w AS prev_code, lead(code) OVER w AS next_code,
           lead(at) OVER w AS next_at, lead(agent_id) OVER w AS next_agent
    FROM ev WINDOW w AS (PARTITION BY shop_id, buyer_id ORDER BY at, code, agent_id NULLS FIRST, id)
), runs AS (
    SELECT *, prev_code IS DISTINCT FROM 1 AS is_start, next_code IS DISTINCT FROM 1 AS is_end
    FROM marked WHERE code = 1
), paired AS (
    SELECT shop_id, buyer_id, agent_id AS holder, at AS start_at, is_start,
           CASE WHEN is_end THEN next_at ELSE lead(next_at) OVER w END AS end_at,
           CASE WHEN is_end THEN next_agent ELSE lead(next_agent) OVER w END AS responder
    FROM runs WHERE is_start OR is_end
    WINDOW w AS (PARTITION BY shop_id, buyer_id ORDER BY at, code, agent_id NULLS FIRST, id)
)
SELECT shop_id, buyer_id, holder, responder, coalesce(responder, holder) AS agent_id,
       start_at, end_at, holder IS NULL AS left_msg,
       extract(epoch FROM end_at - start_at)::bigint AS rt,
       (start_at AT TIME ZONE 'Asia/Shanghai')::date AS day,
       ((start_at AT TIME ZONE 'Asia/Shanghai')::time) AS local_time
FROM paired WHERE is_start
"""
AGENT_DAY_SQL = """
WITH r AS (
    SELECT *, row_number() OVER (
        PARTITION BY shop_id, agent_id, day, buyer_id ORDER BY start_at) AS k
    FROM bench_kpi.rounds WHERE agent_id IS NOT NULL
)
SELECT shop_id, agent_id, day,
    count(DISTINCT buyer_id) AS consulted,
    count(DISTINCT buyer_id) FILTER (WHERE end_at IS NOT NULL) AS served,
    coalesce(sum(rt) FILTER (WHERE k = 1 AND NOT left_msg), 0) AS first_response_total_s,
    count(rt) FILTER (WHERE k = 1 AND NOT left_msg) AS first_response_count,
    coalesce(sum(rt) FILTER (WHERE NOT left_msg), 0) AS response_total_s,
    count(rt) FILTER (WHERE NOT left_msg) AS response_count,
    count(DISTINCT buyer_id) FILTER (WHERE NOT left_msg AND rt > {slow}) AS slow_buyers,
    count(DISTINCT buyer_id) FILTER (WHERE end_at IS NULL) AS unanswered_buyers
FROM r GROUP BY shop_id, agent_id, day
"""
TAOBAO_SQL = """
SELECT shop_id, day, count(*) FILTER (WHERE rt <= 180) AS numerator, count(*) AS denominator
FROM bench_kpi.rounds WHERE local_time >= '08:00' AND local_time < '23:00'
GROUP BY shop_id, day
"""
COMPARED = (
    "consulted",
    "served",
    "first_response_total_s",
    "first_response_count",
    "response_total_s",
    "response_count",
    "slow_buyers",
    "unanswered_buyers",
)


def postgres(url: str, folder: Path, slow: int) -> dict[str, Any]:
    import psycopg

    messages = pl.read_ipc(folder / "messages.arrow").select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("id"),
        "shop_id",
        "buyer_id",
        "agent_id",
        pl.col("direction").to_physical().alias("direction"),
        pl.col("kind").to_physical().alias("kind"),
        pl.col("at").dt.truncate("1s"),
    )
    with psycopg.connect(url, autocommit=True) as conn:
        try:
            conn.execute(LOAD_SQL)
            started = time.perf_counter()
            with (
                conn.cursor() as cur,
                cur.copy("COPY bench_kpi.messages FROM STDIN (FORMAT csv)") as copy,
            ):
                for part in messages.iter_slices(500_000):
                    text = part.write_csv(
                        include_header=False, datetime_format="%Y-%m-%d %H:%M:%S%z"
                    )
                    copy.write(text.encode())
            conn.execute("ANALYZE bench_kpi.messages")
            load = time.perf_counter() - started
            del messages
            conn.execute("SET work_mem = '256MB'")
            settings = {
                name: conn.execute(f"SHOW {name}").fetchone()[0]  # type: ignore[index]
                for name in ("work_mem", "max_parallel_workers_per_gather", "shared_buffers")
            }
            started = time.perf_counter()
            conn.execute(ROUNDS_SQL)
            rounds_s = time.perf_counter() - started
            cur = conn.execute(AGENT_DAY_SQL.format(slow=slow))
            agent_day = pl.DataFrame(
                cur.fetchall(), schema=["shop_id", "agent_id", "day", *COMPARED], orient="row"
            )
            taobao = pl.DataFrame(
                conn.execute(TAOBAO_SQL).fetchall(),
                schema=["shop_id", "date", "numerator", "denominator"],
                orient="row",
            )
            total = time.perf_counter() - started
            round_count = conn.execute("SELECT count(*) FROM bench_kpi.rounds").fetchone()[0]  # type: ignore[index]
        finally:
            conn.execute("DROP SCHEMA IF EXISTS bench_kpi CASCADE")
    return {
        "load_s": round(load, 1),
        "sql_s": round(total, 2),
        "sql_rounds_s": round(rounds_s, 2),
        "sql_rounds": round_count,
        "pg_settings": settings,
        "agent_day": agent_day,
        "taobao": taobao,
    }


def compare(folder: Path, sql: dict[str, Any]) -> dict[str, Any]:
    engine = pl.read_parquet(folder / "agent_day.parquet").filter(pl.col("rounds") > 0)
    same = pl.read_parquet(folder / "same_kpis.parquet")
    theirs = sql["agent_day"].rename({"day": "date"}).cast({c: pl.Int64 for c in COMPARED})
    ours = engine.select("shop_id", "agent_id", "date", *COMPARED).cast(
        {c: pl.Int64 for c in COMPARED}
    )
    keys = ["shop_id", "agent_id", "date"]
    joined = ours.join(theirs, on=keys, how="full", suffix="_sql", coalesce=True)
    differ = joined.filter(
        pl.any_horizontal(pl.col(c).ne_missing(pl.col(f"{c}_sql")) for c in COMPARED)
    )
    subset = same.select("shop_id", "agent_id", "date", *COMPARED).cast(
        {c: pl.Int64 for c in COMPARED}
    )
    subset_differ = subset.join(ours, on=keys, how="anti").height + (ours.height - subset.height)
    scores = pl.read_parquet(folder / "scores.parquet").filter(kind="taobao_3min")
    taobao = scores.select("shop_id", "date", "numerator", "denominator").join(
        sql["taobao"].cast({"numerator": pl.Int64, "denominator": pl.Int64}),
        on=["shop_id", "date"],
        how="full",
        suffix="_sql",
        coalesce=True,
    )
    taobao_differ = taobao.filter(
        pl.col("numerator").ne_missing(pl.col("numerator_sql"))
        | pl.col("denominator").ne_missing(pl.col("denominator_sql"))
    )
    return {
        "agent_days_compared": joined.height,
        "agent_days_differing": differ.height,
        "same_kpis_run_differing": subset_differ,
        "shop_days_compared": taobao.height,
        "shop_days_differing": taobao_differ.height,
    }


def machine() -> dict[str, Any]:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(mem_kb / 1024 / 1024),
        "python": platform.python_version(),
        "polars": pl.__version__,
        "load_average": [round(x, 1) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=180.0)
    parser.add_argument("--seed", type=int, default=20260501)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument("--no-sql", action="store_true")
    parser.add_argument("--child-engine", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_engine:
        print(json.dumps(child_engine(args.child_engine, args.repeat)))
        return
    result: dict[str, Any] = {"machine": machine(), "scale": args.scale, "seed": args.seed}
    with tempfile.TemporaryDirectory(prefix="bench-kpi-") as tmp:
        folder = Path(tmp)
        result["data"] = generate(args.scale, args.seed, folder)
        gc.collect()
        child = subprocess.run(
            [sys.executable, __file__, "--child-engine", str(folder), "--repeat", str(args.repeat)],
            check=True,
            stdout=subprocess.PIPE,  # stderr passes through: a failing child shows its error
            text=True,
        )
        engine = json.loads(child.stdout.strip().splitlines()[-1])
        result["engine"] = engine
        result["engine_over_floor"] = round(engine["engine_s"] / engine["floor_s"], 1)
        if not args.no_sql:
            sql = postgres(args.pg, folder, bench_settings().slow_round_seconds)
            result["check"] = compare(folder, sql)
            result["postgres"] = {k: v for k, v in sql.items() if k not in ("agent_day", "taobao")}
            result["postgres_over_engine"] = round(sql["sql_s"] / engine["engine_s"], 1)
            result["postgres_over_engine_same_kpis"] = round(
                sql["sql_s"] / engine["engine_same_kpis_s"], 1
            )
    result["machine"]["load_average_after"] = [round(x, 1) for x in os.getloadavg()]
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
