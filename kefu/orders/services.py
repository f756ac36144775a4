"""Writes of the orders app: importing an export file (idempotent, atomic, in bulk). The row
path's bulk upserts are in storing.py, the columnar path's in columnar_store.py."""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, transaction

from kefu.core.audit import audit_record
from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.orders import columnar_store
from kefu.orders.columnar_store import orders_store_columnar
from kefu.orders.fields import header_remember
from kefu.orders.importers import ImportFileError, columnar, parse_file, rawcells
from kefu.orders.importers.columnar import ColumnarFile, RowPathNeeded
from kefu.orders.importers.formats import AFTER_SALE, Spec
from kefu.orders.models import ImportBatch, RawHeader
from kefu.orders.storing import Progress, after_sales_store, item_report_store, orders_store


@dataclass
class ImportResult:
    batch: ImportBatch
    warnings: list[str] = field(default_factory=list)


def orders_import(
    *,
    shop: Shop,
    data: bytes,
    filename: str,
    acting_user: AbstractBaseUser | AnonymousUser | None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one export file. Parsing happens first, so a bad file stores nothing; then one
    transaction upserts by (shop, order_no). Rows identical to what is stored are left alone,
    so importing the same file again changes no order and adds no history."""
    # A big file is millions of small dicts and tuples that live until the end; the cyclic
    # collector would walk them all again and again (1M rows: most of the time, bench/README.md).
    # Nothing here makes cycles, so it is paused for the import and restored after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import(shop, data, filename, acting_user, progress)
    finally:
        if collecting:
            gc.enable()


def _import(
    shop: Shop,
    data: bytes,
    filename: str,
    acting_user: AbstractBaseUser | AnonymousUser | None,
    progress: Progress | None,
) -> ImportResult:
    user = acting_user if isinstance(acting_user, User) else None
    fast = _columnar(data, filename)
    if fast is not None:
        _check_platform(shop, fast.spec, filename)
        try:
            with transaction.atomic():
                raw_header_register(header=fast.header)
                batch = _batch(shop, data, filename, fast.spec.kind, fast.rows, user)
                warnings: list[str] = []
                counts = orders_store_columnar(shop=shop, batch=batch, read=fast, warnings=warnings)
                if progress:
                    progress(fast.rows)
                return _finish(shop, batch, counts, warnings, acting_user, filename)
        except RowPathNeeded:
            pass  # a slice that is not the regular case: rolled back, parsed row by row below
        del fast
    try:
        parsed = parse_file(data, filename)
    except ImportFileError as exc:
        raise InvalidInput(str(exc)) from None
    _check_platform(shop, parsed.spec, filename)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # A first import fills the table inside this transaction, so the planner's row
            # counts are stale and it seq-scans for the by-key lookups: 1M orders took 5 min
            # (bench/README.md). Every lookup storing.py makes is by a unique key; use the index.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
        batch = _batch(shop, data, filename, parsed.spec.kind, parsed.rows, user)
        warnings = list(parsed.warnings)
        if parsed.spec.record == AFTER_SALE:
            counts = after_sales_store(
                shop=shop, batch=batch, records=parsed.after_sales, progress=progress
            )
        elif parsed.spec.kind == "taobao_items":
            counts = item_report_store(shop=shop, batch=batch, parsed=parsed, progress=progress)
        else:
            counts = orders_store(
                shop=shop,
                batch=batch,
                parsed=parsed,
                header_key=raw_header_register(header=parsed.header),
                warnings=warnings,
                progress=progress,
            )
        return _finish(shop, batch, counts, warnings, acting_user, filename)


def _check_platform(shop: Shop, spec: Spec, filename: str) -> None:
    # A Tmall shop exports Taobao's formats; every other platform only its own.
    platform = "taobao" if shop.platform == "tmall" else shop.platform
    if spec.platform != platform:
        raise InvalidInput(
            f"{filename}：这是{spec.label}，而店铺「{shop.name}」"
            f"是{shop.get_platform_display()}店铺"
        )


def _batch(
    shop: Shop, data: bytes, filename: str, kind: str, rows: int, user: User | None
) -> ImportBatch:
    return ImportBatch.objects.create(
        shop=shop,
        file_name=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        kind=kind,
        rows=rows,
        created_by=user,
    )


def _finish(
    shop: Shop,
    batch: ImportBatch,
    counts: tuple[int, int, int],
    warnings: list[str],
    acting_user: AbstractBaseUser | AnonymousUser | None,
    filename: str,
) -> ImportResult:
    batch.created, batch.updated, batch.unchanged = counts
    batch.warnings = warnings
    batch.save(update_fields=["created", "updated", "unchanged", "warnings"])
    audit_record(
        shop=shop,
        actor=acting_user,
        action="orders.import",
        object_type="ImportBatch",
        object_id=batch.pk,
        new_value={"file": filename, "kind": batch.kind, "counts": list(counts)},
    )
    return ImportResult(batch=batch, warnings=warnings)


def _columnar(data: bytes, filename: str) -> ColumnarFile | None:
    """The file read into columns when the columnar path applies (a regular CSV of one row per
    order), else None and the row path runs; an irregular file always gets the row path's
    message."""
    if not (columnar_store.available() and columnar.eligible(data)):
        return None
    try:
        return columnar.read_file(data, filename)
    except RowPathNeeded:
        return None


def raw_header_register(*, header: Sequence[str]) -> str:
    """The key an order's raw cells are stored beside (importers/rawcells.py), the header
    stored once under it."""
    key = rawcells.header_key(header)
    stored, _ = RawHeader.objects.get_or_create(key=key, defaults={"names": list(header)})
    if list(stored.names) != list(header):  # 64 bits of MD5 alike: never seen, never ignored
        raise InvalidInput(f"表头键 {key} 已用于另一个表头")
    header_remember(key=key, names=header)
    return key
