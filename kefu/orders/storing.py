"""Storing a row parse (importers/parse.py): bulk upserts of orders, their goods lines, item
reports (宝贝报表) and after-sales rows. Rows whose digest matches what is stored are left alone,
so importing the same file again changes nothing.

Records go in chunks of CHUNK: per chunk, one lookup of what is stored (by key) and one bulk
statement, rather than a query per row, and each statement stays under SQLite's limit on
variables. Regular CSVs of orders take the columnar path instead (columnar_store.py); this is
the path for xlsx, grouped and irregular files. Runs inside the import's transaction
(services.orders_import).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from django.db import connection
from django.utils import timezone

from kefu.core.models import Shop
from kefu.orders import bulk
from kefu.orders.flag_service import FlagReaders
from kefu.orders.importers import ParsedFile, rawcells
from kefu.orders.importers.parse import AfterSaleRecord, OrderRecord
from kefu.orders.models import AfterSale, ImportBatch, Order, OrderLine, OrderStatusChange

CHUNK = 5000  # rows per bulk statement: well under SQLite's variable limit per statement
T = TypeVar("T")
Progress = Callable[[int], None]

# Columns of an order row as stored (attnames); the key and the creation-only ones come first.
ORDER_KEY = ["shop_id", "order_no"]
ORDER_FIELDS = [
    "platform", "buyer_nick", "status", "status_text", "created_at", "paid_at", "total_amount",
    "paid_amount", "refund_amount", "flag", "seller_note", "buyer_message", "flag_kind",
    "flag_agent_id", "flag_agent_name", "flag_content", "split_into", "raw", "row_hash",
    "batch_id", "updated_at",
]  # fmt: skip
LINE_KEY = ["shop_id", "order_id", "line_no"]
LINE_FIELDS = ["title", "sku", "quantity", "price", "raw", "row_hash"]
HISTORY = ["shop_id", "order_id", "from_status", "to_status", "from_text", "to_text", "seen_at",
           "batch_id"]  # fmt: skip
AFTER_SALE_FIELDS = [
    "platform", "order_no", "order", "status", "applied_at", "amount", "reason", "applicant",
    "raw", "row_hash", "batch",
]  # fmt: skip


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _digest(*parts: Any) -> str:
    # Cells are text in file order, so the same row always gives the same JSON: no sort_keys.
    text = json.dumps(parts, ensure_ascii=False)
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _encoded_with_digest(
    key: str, header: Sequence[str], raw: dict[str, str], lines: list[dict[str, str]]
) -> tuple[str, str]:
    """The raw row as stored (its cells beside the header's key, rawcells.encoded_record) and
    the order's digest over it and its goods lines; the columnar parse writes the same."""
    raw_text = rawcells.encoded_record(key, header, raw)
    lines_json = json.dumps(lines, ensure_ascii=False) if lines else "[]"
    return raw_text, rawcells.digest(raw_text, lines_json)


def _aware(value: dt.datetime | None, tz: zoneinfo.ZoneInfo) -> dt.datetime | None:
    # The exports are in the shop's local time; Django stores the aware value as UTC.
    return None if value is None else value.replace(tzinfo=tz)


def _existing(shop: Shop, order_nos: Iterable[str]) -> dict[str, tuple[int, str, str, str]]:
    """order_no → (id, row_hash, status, status_text) of the stored orders among these."""
    numbers = list(order_nos)
    if connection.vendor == "postgresql":
        # One array parameter: psycopg's client-side binding re-parses a statement with 5,000
        # placeholders in Python, which cost more than the query (bench/README.md).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT order_no, id, row_hash, status, status_text FROM orders_order "
                "WHERE shop_id = %s AND order_no = ANY(%s)",
                [shop.pk, numbers],
            )
            return {no: (pk, digest, st, text) for no, pk, digest, st, text in cursor.fetchall()}
    return {
        no: (pk, digest, status, text)
        for pk, no, digest, status, text in Order.objects.filter(
            shop=shop, order_no__in=numbers
        ).values_list("id", "order_no", "row_hash", "status", "status_text")
    }


def _order(
    shop: Shop,
    batch: ImportBatch,
    rec: OrderRecord,
    flags: FlagReaders,
    now: dt.datetime,
    header: tuple[str, Sequence[str]],
) -> dict[str, Any]:
    """The stored row of one order record, by attname; `header` is (key, names) of the file's
    header (services.raw_header_register)."""
    tz = shop.tzinfo
    reader = flags.get(rec.created_at.date() if rec.created_at else None)
    reading = reader.read(rec.seller_note, rec.flag) if reader else None
    key, names = header
    raw_json, digest = _encoded_with_digest(key, names, rec.raw, [line.raw for line in rec.lines])
    return {
        "shop_id": shop.pk,
        "order_no": rec.order_no,
        "platform": shop.platform,
        "buyer_nick": rec.buyer_nick[:100],
        "status": rec.status,
        "status_text": rec.status_text[:64],
        "created_at": _aware(rec.created_at, tz),
        "paid_at": _aware(rec.paid_at, tz),
        "total_amount": rec.total_amount,
        "paid_amount": rec.paid_amount,
        "refund_amount": rec.refund_amount,
        "flag": rec.flag or "",
        "seller_note": rec.seller_note,
        "buyer_message": rec.buyer_message,
        "flag_kind": reading.kind if reading else "",
        "flag_agent_id": reading.agent_id if reading else None,
        "flag_agent_name": reading.agent_name[:50] if reading else "",
        "flag_content": reading.content[:255] if reading else "",
        "split_into": rec.split_into,
        "raw": bulk.JsonText(raw_json),
        "row_hash": digest,
        "batch_id": batch.pk,
        "updated_at": now,
    }


def orders_store(
    *,
    shop: Shop,
    batch: ImportBatch,
    parsed: ParsedFile,
    header_key: str,
    warnings: list[str],
    progress: Progress | None,
) -> tuple[int, int, int]:
    """(created, updated, unchanged) of the file's orders, with their status history and goods
    lines; `header_key` is the file's header as registered (services.raw_header_register)."""
    created = updated = unchanged = 0
    flags = FlagReaders(shop)
    unknown_agents: dict[str, str] = {}
    now = timezone.now()
    columns = ORDER_KEY + ORDER_FIELDS
    header = (header_key, parsed.header)
    for records in _chunks(parsed.orders):
        existing = _existing(shop, (r.order_no for r in records))
        to_write: list[dict[str, Any]] = []
        for rec in records:
            order = _order(shop, batch, rec, flags, now, header)
            if order["flag_agent_name"] and order["flag_agent_id"] is None:
                unknown_agents.setdefault(order["flag_agent_name"], rec.order_no)
            before = existing.get(rec.order_no)
            if before is not None and before[1] == order["row_hash"]:
                unchanged += 1
                continue
            if before is None:
                created += 1
            else:
                updated += 1
            to_write.append(order)
        # New orders are appended (COPY straight into the table on PostgreSQL); only changed
        # ones go through the staged upsert. A first import of a million orders is all new.
        bulk.insert(
            Order,
            columns,
            [[o[c] for c in columns] for o in to_write if o["order_no"] not in existing],
        )
        bulk.upsert(
            Order,
            columns,
            [[o[c] for c in columns] for o in to_write if o["order_no"] in existing],
            conflict=ORDER_KEY,
            update=ORDER_FIELDS,
        )
        ids = {no: v[0] for no, v in _existing(shop, (o["order_no"] for o in to_write)).items()}
        history = []
        for o in to_write:
            no = o["order_no"]
            before = existing.get(no)
            if before is None or before[3] != o["status_text"]:
                from_status, from_text = (before[2], before[3]) if before else ("", "")
                history.append(
                    (shop.pk, ids[no], from_status, o["status"], from_text, o["status_text"],
                     now, batch.pk)
                )  # fmt: skip
        bulk.insert(OrderStatusChange, HISTORY, history)
        by_no = {r.order_no: r for r in records}
        _store_lines(shop, [(ids[o["order_no"]], by_no[o["order_no"]]) for o in to_write])
        if progress:
            progress(sum(max(1, len(r.lines)) for r in records))
    for name, order_no in unknown_agents.items():
        warnings.append(f"备注中的客服「{name}」不是本店的客服或子账号（如订单 {order_no}）")
    return created, updated, unchanged


def _store_lines(shop: Shop, orders: list[tuple[int, OrderRecord]]) -> tuple[int, int, int]:
    """Upsert the goods lines of these orders; returns (created, updated, unchanged)."""
    lines = [
        (shop.pk, order_id, line.line_no[:64], line.title[:255], line.sku[:100], line.quantity,
         line.price, line.raw, _digest(line.raw))
        for order_id, rec in orders
        for line in rec.lines
    ]  # fmt: skip
    created = updated = unchanged = 0
    for chunk in _chunks(lines):
        stored = {
            (order_id, no): digest
            for order_id, no, digest in OrderLine.objects.filter(
                shop=shop, order_id__in={line[1] for line in chunk}
            ).values_list("order_id", "line_no", "row_hash")
        }
        changed = []
        for line in chunk:
            digest = stored.get((line[1], line[2]))
            if digest == line[-1]:
                unchanged += 1
                continue
            created, updated = (created + 1, updated) if digest is None else (created, updated + 1)
            changed.append(line)
        bulk.upsert(
            OrderLine, LINE_KEY + LINE_FIELDS, changed, conflict=LINE_KEY[1:], update=LINE_FIELDS
        )
    return created, updated, unchanged


def item_report_store(
    *, shop: Shop, batch: ImportBatch, parsed: ParsedFile, progress: Progress | None
) -> tuple[int, int, int]:
    """宝贝报表: goods lines joined to orders on the order number. An order not imported yet is
    created from what the item report knows; an existing order's own fields are left to the
    订单报表, so the two files can be imported in either order. Counts are of lines."""
    flags = FlagReaders(shop)
    now = timezone.now()
    header = ("", parsed.header)  # a stub keeps its record as a dict (below)
    totals = [0, 0, 0]
    for records in _chunks(parsed.orders):
        existing = _existing(shop, (r.order_no for r in records))
        stubs = [
            _order(shop, batch, r, flags, now, header)
            for r in records
            if r.order_no not in existing
        ]
        for stub, rec in zip(
            stubs, (r for r in records if r.order_no not in existing), strict=True
        ):
            stub["row_hash"] = ""  # the 订单报表 row, when it comes, always updates a stub
            stub["raw"] = rec.raw  # a model field takes the dict, not the encoded text
        Order.objects.bulk_create([Order(**stub) for stub in stubs], ignore_conflicts=True)
        ids = {no: v[0] for no, v in _existing(shop, (r.order_no for r in records)).items()}
        counts = _store_lines(shop, [(ids[r.order_no], r) for r in records])
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        if progress:
            progress(sum(len(r.lines) for r in records))
    return totals[0], totals[1], totals[2]


def after_sales_store(
    *, shop: Shop, batch: ImportBatch, records: list[AfterSaleRecord], progress: Progress | None
) -> tuple[int, int, int]:
    """(created, updated, unchanged) of the file's after-sales rows, keyed by (kind, ref_no)
    and joined to their orders by order number."""
    created = updated = unchanged = 0
    tz = shop.tzinfo
    for chunk in _chunks(records):
        kind = chunk[0].kind
        stored = dict(
            AfterSale.objects.filter(
                shop=shop, kind=kind, ref_no__in=[r.ref_no for r in chunk]
            ).values_list("ref_no", "row_hash")
        )
        orders = dict(
            Order.objects.filter(shop=shop, order_no__in={r.order_no for r in chunk}).values_list(
                "order_no", "id"
            )
        )
        changed = []
        for rec in chunk:
            digest = _digest(rec.raw)
            if stored.get(rec.ref_no) == digest:
                unchanged += 1
                continue
            created, updated = (
                (created + 1, updated)
                if rec.ref_no not in stored
                else (
                    created,
                    updated + 1,
                )
            )
            changed.append(
                AfterSale(
                    shop=shop,
                    platform=batch.kind.split("_", 1)[0],
                    kind=rec.kind,
                    ref_no=rec.ref_no[:64],
                    order_no=rec.order_no[:64],
                    order_id=orders.get(rec.order_no),
                    status=rec.status[:64],
                    applied_at=_aware(rec.applied_at, tz),
                    amount=rec.amount,
                    reason=rec.reason[:255],
                    applicant=rec.applicant[:100],
                    raw=rec.raw,
                    row_hash=digest,
                    batch=batch,
                )
            )
        AfterSale.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["shop", "kind", "ref_no"],
            update_fields=AFTER_SALE_FIELDS,
        )
        if progress:
            progress(len(chunk))
    return created, updated, unchanged
