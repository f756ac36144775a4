"""The demo's chat numbers: KPI snapshots for the replayed month from the chats the demo shop
holds, and the import of the month of chat exports `kefu demo` writes.

`kefu demo` (kefu/demo/services.py) calls `kpi_demo_compute` for each shop; today the demo
loads no chats, so it stores nothing until `demo_chats_load` (or `kefu import_chats`) brings the
written export in: importing marks the days and computes them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kefu.conversations.kpi_services import dirty_days_compute, kpi_days_compute
from kefu.conversations.models import Conversation, ImportBatch
from kefu.conversations.services import chat_file_import
from kefu.core.models import Shop

CHAT_FILE = "qianniu_chat.txt"


def kpi_demo_compute(*, shop: Shop, start: dt.date, today: dt.date) -> int:
    """Compute the snapshots of every day in [start, today] that holds conversations."""
    days = (
        Conversation.objects.filter(shop=shop, day__gte=start, day__lte=today)
        .order_by()
        .values_list("day", flat=True)
        .distinct()
    )
    return kpi_days_compute(shop=shop, days=list(days))


def demo_chats_load(*, shop: Shop, folder: Path) -> ImportBatch | None:
    """Import the demo's chat export in `folder` (written by kefu.demo.exports) and compute the
    KPI snapshots of its days. None when the folder has no chat export."""
    path = folder / CHAT_FILE
    if not path.is_file():
        return None
    with path.open("rb") as stream:
        batch = chat_file_import(shop=shop, name=path.name, stream=stream, acting_user=None)
    dirty_days_compute(shop=shop)
    return batch
