"""Benchmark of the order import: one Taobao 订单报表 of `--rows` orders into PostgreSQL and
SQLite, against the floor, a bare PostgreSQL COPY of the same file into a plain table.

Run from the repository root:
    .venv/bin/python bench/import.py [--rows 1000000] [--pg URL] [--skip-sqlite] [--skip-pg]

1. The demo generator writes one month of the demo shop (scale 10, about 60,000 orders) as a
   real-format 订单报表 (GB18030, ="…" numbers, ' phones, trailing-space headers); its rows are
   repeated with fresh 19-digit order numbers until the file has `--rows` orders.
2. For each database a fresh child process migrates an empty database (PostgreSQL: a database
   created for the run and dropped after; SQLite: a new file in a temporary folder), creates a
   shop, and times `orders_import` on the file (parse + upsert + history + audit, one
   transaction), then times the same file again (every row unchanged).
3. The floor: `COPY … FROM STDIN (FORMAT csv, HEADER, ENCODING 'GB18030')` of the same bytes into
   a plain table of text columns, no constraints.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"


def build_file(rows: int, path: Path) -> int:
    from kefu.demo.traffic import generate_month
    from kefu.demo.traffic.exports import write_taobao_orders
    from kefu.demo.traffic.profiles import demo_profile

    seed_file = path.with_suffix(".seed.csv")
    write_taobao_orders(generate_month(demo_profile(scale=10)), seed_file)
    head, *body = seed_file.read_bytes().split(b"\r\n")
    body = [line for line in body if line]
    seed_file.unlink()
    written = 0
    with path.open("wb") as out:
        out.write(head + b"\r\n")
        copy = 0
        while written < rows:
            chunk = []
            for line in body[: rows - written]:
                # Line starts ="1234…": replace the number, keep every other byte as written.
                end = line.index(b'"', 2)
                number = b"%d%018d" % (copy % 9 + 1, written)
                chunk.append(b'="' + number + line[end:])
                written += 1
            out.write(b"\r\n".join(chunk) + b"\r\n")
            copy += 1
    return written


# Where an import's time goes: these functions are wrapped with a timer in the child process.
# The parse of slice n+1 runs in a thread while slice n is stored, so "parse (thread)" overlaps
# the phases of the main thread; the others add up to about the whole.
PHASES = {
    "read (decode, Polars read, whole-file checks)": ("kefu.orders.services", "_columnar"),
    "parse (thread, overlapped)": ("kefu.orders.importers.columnar", "_parsed"),
    "parse (row parser)": ("kefu.orders.services", "parse_file"),
    "flags read from notes": ("kefu.orders.columnar_store", "_with_flags"),
    "stored states looked up": ("kefu.orders.columnar_store", "_stored_states"),
    "ids from the sequence": ("kefu.orders.columnar_store", "_ids"),
    "COPY (orders, history)": ("kefu.orders.columnar_store", "_copy"),
    "UPDATE of changed orders": ("kefu.orders.columnar_store", "_update"),
    "SQLite states": ("kefu.orders.columnar_sqlite", "SqliteWriter.stored_states"),
    "SQLite inserts (orders, history)": ("kefu.orders.columnar_sqlite", "SqliteWriter.insert"),
    "SQLite updates": ("kefu.orders.columnar_sqlite", "SqliteWriter.update"),
    "row path store": ("kefu.orders.services", "orders_store"),
    "COMMIT": ("django.db.backends.base.base", "BaseDatabaseWrapper.commit"),
    "after commit: KPI days marked": ("kefu.conversations.kpi_services", "order_days_mark"),
    "after commit: buyer groups": ("kefu.buyers.groups", "groups_recompute"),
}


def _timed(spent: dict[str, float]) -> None:
    import functools
    import importlib

    for label, (module_name, name) in PHASES.items():
        owner: object = importlib.import_module(module_name)
        *path, attr = name.split(".")
        for part in path:
            owner = getattr(owner, part)
        function = getattr(owner, attr)

        def timed(
            *args: object, _f: object = function, _label: str = label, **kw: object
        ) -> object:
            started = time.perf_counter()
            try:
                return _f(*args, **kw)  # type: ignore[operator]
            finally:
                spent[_label] = spent.get(_label, 0.0) + time.perf_counter() - started

        setattr(owner, attr, functools.wraps(function)(timed))  # type: ignore[arg-type]


def child(db_url: str, path: Path) -> dict[str, object]:
    """Runs in a fresh process with KEFU_DATABASE_URL set: migrate, import twice."""
    os.environ["KEFU_DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    phases: list[dict[str, float]] = [{}, {}]
    spent: dict[str, float] = {}
    _timed(spent)

    from kefu.core.models import Agency, Shop
    from kefu.orders.models import Order
    from kefu.orders.services import orders_import

    call_command("migrate", verbosity=0)
    shop = Shop.objects.create(
        agency=Agency.objects.create(name="bench"), name="乐乐家居旗舰店", platform="tmall"
    )
    data = path.read_bytes()
    spent.clear()
    started = time.perf_counter()
    first = orders_import(shop=shop, data=data, filename=path.name, acting_user=None).batch
    first_s = time.perf_counter() - started
    phases[0] = dict(spent)
    spent.clear()
    started = time.perf_counter()
    again = orders_import(shop=shop, data=data, filename=path.name, acting_user=None).batch
    again_s = time.perf_counter() - started
    phases[1] = dict(spent)
    assert first.created == Order.objects.filter(shop=shop).count() == first.rows
    assert again.unchanged == first.rows and again.created == again.updated == 0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "import_s": first_s,
        "reimport_s": again_s,
        "rows": first.rows,
        "rss_mb": rss_mb,
        "phases": phases,
    }


def run_child(db_url: str, path: Path) -> dict[str, Any]:
    # This file is named `import`, a keyword: the child loads it by path, not by name.
    code = (
        "import importlib.util, json, pathlib, sys; "
        f"spec = importlib.util.spec_from_file_location('bench_import', {str(__file__)!r}); "
        "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module); "
        f"print(json.dumps(module.child({db_url!r}, pathlib.Path({str(path)!r}))))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(out.stderr)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def uptime() -> str:
    """The machine's load when a figure was taken (the benchmark shares its cores)."""
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def print_phases(result: dict[str, Any]) -> None:
    for title, phases in zip(("import", "re-import"), result["phases"], strict=True):
        shown = sorted(((v, k) for k, v in phases.items() if v >= 0.05), reverse=True)
        print(f"  {title}: " + "; ".join(f"{k} {v:.1f} s" for v, k in shown))


def pg_database(url: str, name: str, create: bool) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        if create:
            conn.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + "/" + name


def copy_floor(url: str, path: Path) -> float:
    import psycopg

    header = path.open("rb").readline().decode("gb18030").rstrip("\r\n").split(",")
    columns = ", ".join(f"c{i} text" for i in range(len(header)))
    data = path.read_bytes()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_copy")
        conn.execute(f"CREATE TABLE bench_copy ({columns})")
        started = time.perf_counter()
        with (
            conn.cursor() as cur,
            cur.copy(
                "COPY bench_copy FROM STDIN (FORMAT csv, HEADER true, ENCODING 'GB18030')"
            ) as copy,
        ):
            for offset in range(0, len(data), 1 << 20):
                copy.write(data[offset : offset + (1 << 20)])
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE bench_copy")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pg", default=PG_DEFAULT)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-pg", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=ROOT / "var") as tmp:
        path = Path(tmp) / "ExportOrderList.csv"
        started = time.perf_counter()
        rows = build_file(args.rows, path)
        size_mb = path.stat().st_size / 1e6
        print(
            f"file: {rows:,} rows, {size_mb:.0f} MB, built in {time.perf_counter() - started:.1f} s"
        )
        print(
            f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}"
        )
        print(
            f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}"
        )
        if not args.skip_pg:
            floor = copy_floor(args.pg, path)
            print(f"PostgreSQL COPY floor: {floor:.1f} s")
            url = pg_database(args.pg, "kefu_bench_import", create=True)
            try:
                pg = run_child(url, path)
            finally:
                pg_database(args.pg, "kefu_bench_import", create=False)
            print(
                f"PostgreSQL: import {pg['import_s']:.1f} s ({pg['import_s'] / floor:.1f}x COPY), "
                f"re-import {pg['reimport_s']:.1f} s, peak RSS {pg['rss_mb']:.0f} MB"
            )
            print_phases(pg)
            print(f"uptime: {uptime()}")
        if not args.skip_sqlite:
            lite = run_child(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", path)
            print(
                f"SQLite: import {lite['import_s']:.1f} s, re-import {lite['reimport_s']:.1f} s, "
                f"peak RSS {lite['rss_mb']:.0f} MB"
            )
            print_phases(lite)
            print(f"uptime: {uptime()}")


if __name__ == "__main__":
    main()
