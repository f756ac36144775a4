"""The demo's month of platform exports: the shop's own sub-accounts and rota shape fed to the
traffic generator, written in the formats the importers read (kefu/demo/traffic/exports.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from kefu.core.models import Shop
from kefu.demo.traffic import generate_month
from kefu.demo.traffic.exports import write_pdd_orders, write_qianniu_chat, write_taobao_orders
from kefu.demo.traffic.model import Month, Platform, ShopProfile
from kefu.demo.traffic.profiles import CATALOGUE, ShiftRota
from kefu.staff.models import SubAccount

WRITERS = {
    "tmall": ("ExportOrderList.csv", write_taobao_orders, Platform.TMALL),
    "taobao": ("ExportOrderList.csv", write_taobao_orders, Platform.TAOBAO),
    "pdd": ("pdd_orders.csv", write_pdd_orders, Platform.PDD),
}


@dataclass(frozen=True)
class ExportFiles:
    shop: Shop
    folder: Path
    messages: int
    orders: int


def demo_exports_write(
    *, shop: Shop, month: tuple[int, int], folder: Path, seed: int, scale: float
) -> ExportFiles:
    """Generate the shop's month and write its chat record and order export into `folder`."""
    nicknames = tuple(
        SubAccount.objects.filter(shop=shop, active=True)
        .order_by("nickname")
        .values_list("nickname", flat=True)
    )
    if shop.platform not in WRITERS:
        raise ValueError(f"no demo export format for platform {shop.platform}")
    order_file, write_orders, platform = WRITERS[shop.platform]
    profile = ShopProfile(
        shop_name=shop.name,
        platform=platform,
        sub_accounts=nicknames,
        rota=ShiftRota(nicknames),
        catalogue=CATALOGUE,
        month=Month(*month),
        seed=seed + shop.pk,
        scale=scale,
        time_zone=shop.timezone,
    )
    traffic = generate_month(profile)
    folder.mkdir(parents=True, exist_ok=True)
    messages = write_qianniu_chat(traffic, folder / "qianniu_chat.txt")
    orders = write_orders(traffic, folder / order_file)
    return ExportFiles(shop=shop, folder=folder, messages=messages, orders=orders)


def demo_exports_import(*, files: ExportFiles) -> str:
    """Import the written order export and chat record through the same services as the
    upload pages; returns a line saying what was stored."""
    from kefu.conversations.demo import demo_chats_load
    from kefu.orders.services import orders_import

    order_file = WRITERS[files.shop.platform][0]
    orders = orders_import(
        shop=files.shop,
        data=(files.folder / order_file).read_bytes(),
        filename=order_file,
        acting_user=None,
    ).batch
    chats = demo_chats_load(shop=files.shop, folder=files.folder)
    messages = chats.added if chats is not None else 0
    return f"{orders.created:,} orders, {messages:,} chat messages"


def last_month(today: dt.date) -> tuple[int, int]:
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month
