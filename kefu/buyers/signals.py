"""Group membership follows the data: after an order or chat import commits, the shop's groups
are recomputed (a few set-based queries). Connected in apps.py; the imports themselves are not
touched."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kefu.core.models import Shop


def recompute_after_import(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    shop_id = instance.shop_id

    def run() -> None:
        from kefu.buyers.groups import groups_recompute

        shop = Shop.objects.filter(pk=shop_id).first()
        if shop is not None:
            groups_recompute(shop=shop)

    transaction.on_commit(run)
