"""Writes of the chat records: file and API imports (atomic per file, idempotent by message
identity, stored in bulk chunks so a 200 MB file stays in bounded memory), binding an unknown
nickname to an agent, and the platform's 客服绩效 report."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from pathlib import PurePath
from typing import Any, BinaryIO

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from kefu.conversations.choices import ImportFormat
from kefu.conversations.importers.generic import (
    parse_csv,
    parse_jsonl,
    parse_qianniu_json,
    row_from_mapping,
)
from kefu.conversations.importers.qianniu_text import parse_qianniu_text
from kefu.conversations.importers.report import parse_report
from kefu.conversations.importers.rows import (
    ChatRow,
    ParseError,
    assign_holders,
    assign_seq,
    text_hash,
)
from kefu.conversations.kpi_services import dirty_days_mark
from kefu.conversations.models import (
    Buyer,
    ChatAccount,
    Conversation,
    DirtyDay,
    ImportBatch,
    Message,
    PlatformStat,
)
from kefu.core.audit import audit_record
from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.quality.services import quality_scan_conversations
from kefu.staff.models import Agent, SubAccount
from kefu.staff.services import sub_account_add

CHUNK = 2000
MAX_API_ROWS = 5000
ProgressFn = Callable[[int], None]


def format_for(name: str) -> ImportFormat:
    suffix = PurePath(name).suffix.lower()
    return {
        ".json": ImportFormat.QIANNIU_JSON,
        ".jsonl": ImportFormat.JSONL,
        ".ndjson": ImportFormat.JSONL,
        ".csv": ImportFormat.CSV,
        ".xlsx": ImportFormat.PERFORMANCE,
    }.get(suffix, ImportFormat.QIANNIU_TEXT)


def _shop_names(shop: Shop) -> set[str]:
    """Names the shop's main account may have: the shop's, and every sub-account's prefix."""
    nicks = SubAccount.objects.filter(shop=shop).values_list("nickname", flat=True)
    return {shop.name} | {nick.split(":", 1)[0] for nick in nicks if ":" in nick}


def _rows(shop: Shop, name: str, stream: BinaryIO, fmt: ImportFormat) -> Iterator[ChatRow]:
    tz = shop.tzinfo
    keys = {shop.name, str(shop.pk)}
    if fmt == ImportFormat.QIANNIU_JSON:
        return parse_qianniu_json(name, stream, tz=tz)
    if fmt == ImportFormat.CSV:
        return parse_csv(name, stream, tz=tz, shop_keys=keys)
    if fmt == ImportFormat.JSONL:
        return parse_jsonl(name, stream, tz=tz, shop_keys=keys)
    return parse_qianniu_text(name, stream, tz=tz, shop_names=_shop_names(shop))


def chat_file_import(
    *,
    shop: Shop,
    name: str,
    stream: BinaryIO,
    acting_user: User | None,
    fmt: ImportFormat | None = None,
    progress: ProgressFn | None = None,
) -> ImportBatch:
    """Import one file; all of it or nothing. InvalidInput names the file and line."""
    fmt = fmt or format_for(name)
    if fmt == ImportFormat.PERFORMANCE:
        return performance_report_import(
            shop=shop, name=name, stream=stream, acting_user=acting_user
        )
    digest = _sha256(stream)
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                shop=shop, name=name[:255], format=fmt, sha256=digest, created_by=acting_user
            )
            _store(shop, _rows(shop, name, stream, fmt), batch, progress)
    except ParseError as exc:
        raise InvalidInput(str(exc)) from None
    return batch


def _sha256(stream: BinaryIO) -> str:
    """The file's digest, shown beside the batch (the stream is left at its start)."""
    digest = hashlib.sha256()
    while block := stream.read(1 << 20):
        digest.update(block)
    stream.seek(0)
    return digest.hexdigest()


def chat_rows_import(
    *, shop: Shop, records: Sequence[Mapping[str, Any]], source: str, acting_user: User | None
) -> ImportBatch:
    """Import one API batch of generic records (docs/chat-import.md); all or nothing."""
    if len(records) > MAX_API_ROWS:
        raise InvalidInput(f"{source}: at most {MAX_API_ROWS} messages per batch")
    tz, keys = shop.tzinfo, {shop.name, str(shop.pk)}
    try:
        rows = [
            row_from_mapping(source, i, r, tz=tz, shop_keys=keys)
            for i, r in enumerate(records, start=1)
        ]
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                shop=shop, name=source, format=ImportFormat.API, created_by=acting_user
            )
            _store(shop, assign_seq(assign_holders(rows, tz)), batch, None)
    except ParseError as exc:
        raise InvalidInput(str(exc)) from None
    return batch


class _Store:
    """Id caches for one import, so each chunk costs a handful of queries."""

    def __init__(self, shop: Shop, batch: ImportBatch) -> None:
        self.shop, self.batch, self.tz = shop, batch, shop.tzinfo
        self.buyers: dict[str, int] = {}
        self.accounts: dict[str, int] = {}
        self.conversations: dict[tuple[int, Any], int] = {}
        self.touched: set[int] = set()

    def ensure_buyers(self, nicks: set[str]) -> None:
        new = nicks - self.buyers.keys()
        if not new:
            return
        Buyer.objects.bulk_create(
            [Buyer(shop=self.shop, nickname=n) for n in new], ignore_conflicts=True
        )
        found = Buyer.objects.filter(shop=self.shop, nickname__in=new)
        self.buyers.update(found.values_list("nickname", "id"))

    def ensure_accounts(self, chunk: list[ChatRow]) -> None:
        seen: dict[str, Any] = {}
        for row in chunk:
            for nick in (
                row.holder,
                row.transfer_to,
                row.sender if row.direction == "agent" else "",
            ):
                if nick and nick not in self.accounts and nick not in seen:
                    seen[nick] = row.at
        if not seen:
            return
        ChatAccount.objects.bulk_create(
            [
                ChatAccount(
                    shop=self.shop,
                    nickname=nick,
                    is_main=":" not in nick,
                    first_seen_at=at,
                    last_seen_at=at,
                )
                for nick, at in seen.items()
            ],
            ignore_conflicts=True,
        )
        found = ChatAccount.objects.filter(shop=self.shop, nickname__in=list(seen))
        self.accounts.update(found.values_list("nickname", "id"))

    def ensure_conversations(self, keys: set[tuple[int, Any]]) -> None:
        new = keys - self.conversations.keys()
        if not new:
            return
        Conversation.objects.bulk_create(
            [Conversation(shop=self.shop, buyer_id=b, day=d) for b, d in new],
            ignore_conflicts=True,
        )
        found = Conversation.objects.filter(
            shop=self.shop, buyer_id__in={b for b, _ in new}, day__in={d for _, d in new}
        ).values_list("buyer_id", "day", "id")
        self.conversations.update({(b, d): pk for b, d, pk in found})

    def chunk(self, chunk: list[ChatRow]) -> None:
        self.ensure_buyers({row.buyer for row in chunk})
        self.ensure_accounts(chunk)
        days = [(self.buyers[row.buyer], row.at.astimezone(self.tz).date()) for row in chunk]
        self.ensure_conversations(set(days))
        messages = []
        for row, key in zip(chunk, days, strict=True):
            conversation = self.conversations[key]
            self.touched.add(conversation)
            messages.append(
                Message(
                    shop=self.shop,
                    conversation_id=conversation,
                    buyer_id=key[0],
                    sender=row.sender[:100],
                    direction=row.direction,
                    kind=row.kind,
                    at=row.at,
                    text=row.text,
                    text_hash=text_hash(row.text),
                    seq=row.seq,
                    holder_id=self.accounts.get(row.holder),
                    transfer_to_id=self.accounts.get(row.transfer_to),
                    batch=self.batch,
                )
            )
        Message.objects.bulk_create(messages, ignore_conflicts=True)


def _store(
    shop: Shop, rows: Iterable[ChatRow], batch: ImportBatch, progress: ProgressFn | None
) -> None:
    store = _Store(shop, batch)
    total = 0
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        store.chunk(chunk)
        total += len(chunk)
        if progress is not None:
            progress(len(chunk))
    _refresh_conversations(store.touched)
    # Chat quality checks (docs/quality.md): the touched conversations, whole, in bulk.
    quality_scan_conversations(shop=shop, conversation_ids=store.touched)
    # An account seen only as a transfer target holds nothing: keep its times as they are.
    held = Message.objects.filter(holder=OuterRef("pk"))
    ChatAccount.objects.filter(pk__in=list(store.accounts.values())).update(
        first_seen_at=Coalesce(Subquery(held.order_by("at").values("at")[:1]), F("first_seen_at")),
        last_seen_at=Coalesce(Subquery(held.order_by("-at").values("at")[:1]), F("last_seen_at")),
    )
    batch.rows = total
    batch.added = Message.objects.filter(batch=batch).count()
    batch.save(update_fields=["rows", "added"])
    # The days of the new messages wait for a KPI recompute (a re-import adds none).
    new_days = Message.objects.filter(batch=batch).values_list("conversation__day", flat=True)
    dirty_days_mark(shop=shop, days=new_days.order_by().distinct(), reason=f"导入 {batch.name}")
    audit_record(
        shop=shop,
        actor=batch.created_by,
        action="import",
        object_type="ImportBatch",
        object_id=batch.pk,
        new_value={"name": batch.name, "rows": total, "added": batch.added},
    )


def _refresh_conversations(ids: set[int]) -> None:
    messages = Message.objects.filter(conversation=OuterRef("pk"))
    count = messages.order_by().values("conversation").annotate(n=Count("pk")).values("n")
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        Conversation.objects.filter(pk__in=ordered[start : start + 500]).update(
            first_at=Subquery(messages.order_by("at").values("at")[:1]),
            last_at=Subquery(messages.order_by("-at").values("at")[:1]),
            message_count=Subquery(count),
        )


def chat_account_bind(
    *, shop: Shop, account: ChatAccount, agent: Agent, acting_user: User | None
) -> int:
    """Bind a chat nickname to an agent (a SubAccount) and mark the days its messages touch for
    a KPI recompute. Returns the number of days marked."""
    with transaction.atomic():
        sub_account_add(shop=shop, agent=agent, nickname=account.nickname)
        days = (
            Message.objects.filter(shop=shop, holder=account)
            .order_by()
            .values_list("conversation__day", flat=True)
            .distinct()
        )
        reason = f"{account.nickname} → {agent.name}"
        marked = [DirtyDay(shop=shop, day=day, reason=reason[:200]) for day in days]
        DirtyDay.objects.bulk_create(marked, ignore_conflicts=True)
        audit_record(
            shop=shop,
            actor=acting_user,
            action="bind",
            object_type="ChatAccount",
            object_id=account.pk,
            path="agent",
            new_value=agent.pk,
            note=reason,
        )
    return len(marked)


def performance_report_import(
    *, shop: Shop, name: str, stream: BinaryIO, acting_user: User | None
) -> ImportBatch:
    """Store a 客服绩效 report's figures; a re-import overwrites the same figures in place."""
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                shop=shop, name=name[:255], format=ImportFormat.PERFORMANCE, created_by=acting_user
            )
            stats = [
                PlatformStat(
                    shop=shop,
                    date_from=s.date_from,
                    date_to=s.date_to,
                    nickname=s.nickname[:100],
                    metric=s.metric[:64],
                    value=s.value,
                    raw=s.raw,
                    pending=s.pending,
                    batch=batch,
                )
                for s in parse_report(name, stream)
            ]
            unique = ["shop", "date_from", "date_to", "nickname", "metric"]
            PlatformStat.objects.bulk_create(
                stats,
                update_conflicts=True,
                unique_fields=unique,
                update_fields=["value", "raw", "pending"],
                batch_size=CHUNK,
            )
            batch.rows = batch.added = len(stats)
            batch.save(update_fields=["rows", "added"])
            audit_record(
                shop=shop,
                actor=acting_user,
                action="import",
                object_type="ImportBatch",
                object_id=batch.pk,
                new_value={"name": batch.name, "figures": len(stats)},
            )
    except ParseError as exc:
        raise InvalidInput(str(exc)) from None
    return batch
